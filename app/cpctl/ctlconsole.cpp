// cpctl console: the serial console, once or followed.
#include "consolebuffer.h"
#include "cpclient.h"
#include "ctlcommands.h"
#include "ctloutput.h"
#include "logging.h"
#include "termtext.h"
#include "validation.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QFile>
#include <QTextStream>
#include <QTimer>

namespace cpc::ctl {

namespace {

int exitForErr(const Error &e)
{
    return e.kind == Error::Kind::Config || e.kind == Error::Kind::Policy
            || e.kind == Error::Kind::ReadOnly
        ? ExitUsage
        : ExitFailed;
}

} // namespace

int runConsole(const Options &o, SessionSetup &s, QTextStream &out, QTextStream &err)
{
    if (o.args.size() != 1) {
        printError(err, QStringLiteral("console needs one workspace ID (cpctl console ID)"));
        return ExitUsage;
    }
    const QString id = o.args.first();
    if (const VoidResult e = validation::checkWorkspaceId(id); !e) {
        printError(err, QStringLiteral("invalid workspace ID: ") + e.error().message);
        return ExitUsage;
    }
    if (const VoidResult opened = s.openClient(); !opened) {
        printError(err, opened.error().message);
        return exitForErr(opened.error());
    }
    CpClient &client = *s.client();

    // --output is written unbuffered, every write checked (writeAll), so a full disk is
    // reported with its reason; standard output goes through the stream.
    QFile file;
    if (!o.output.isEmpty()) {
        file.setFileName(o.output);
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Unbuffered)) {
            printError(err,
                       QStringLiteral("could not write %1: %2").arg(o.output, file.errorString()));
            return ExitFailed;
        }
    }
    const auto format = o.stripAnsi ? ConsoleBuffer::Format::Plain : ConsoleBuffer::Format::Ansi;
    ConsoleBuffer buffer;
    int printedUpTo = 0; // last absolute line number printed
    int rc = ExitOk;
    QEventLoop loop;
    std::function<void()> fetch;
    // False when the output could not be written: then nothing more is fetched.
    auto print = [&](bool includeOpen) {
        const int last = includeOpen ? buffer.lastLineNumber() : buffer.lastCompleteLineNumber();
        const int from = std::max(printedUpTo + 1, buffer.firstLineNumber());
        if (last >= from) {
            // The parser has dropped every sequence but colours (OSC 52 included); bidi
            // controls survive parsing as printable text and are shown escaped.
            const QString text = termtext::escapeBidi(buffer.render(format, from, last));
            if (file.isOpen()) {
                if (const QString why = writeAll(file, text.toUtf8()); !why.isEmpty()) {
                    printError(err, QStringLiteral("could not write %1: %2").arg(o.output, why));
                    return false;
                }
            } else {
                out << text;
                if (!flushed(out, err, QStringLiteral("standard output")))
                    return false;
            }
            printedUpTo = last;
        }
        return true;
    };
    fetch = [&] {
        client.consoleOutput(id, &loop, [&](const Result<ConsoleOutput> &r) {
            if (!r) {
                printError(err, r.error().message);
                if (!o.followSeconds) {
                    rc = exitForErr(r.error());
                    loop.quit();
                    return;
                }
            } else {
                const auto m = buffer.merge(r->output);
                if (m.droppedBytes > 0 && !o.followSeconds)
                    err << "cpctl: " << m.droppedBytes / 1024
                        << " KiB of older output dropped (256 KiB cap)" << Qt::endl;
                if (m.gap && o.followSeconds)
                    err << "cpctl: output missing between fetches (the console moved on further "
                           "than one window)"
                        << Qt::endl;
                if (!print(!o.followSeconds)) {
                    rc = ExitFailed;
                    loop.quit();
                    return;
                }
            }
            if (!o.followSeconds) {
                loop.quit();
                return;
            }
            QTimer::singleShot(*o.followSeconds * 1000, &loop, fetch);
        });
    };
    fetch();
    loop.exec();
    if (file.isOpen() && !file.flush() && rc == ExitOk) {
        printError(err, QStringLiteral("could not write %1: %2").arg(o.output, file.errorString()));
        rc = ExitFailed;
    }
    return rc;
}

} // namespace cpc::ctl
