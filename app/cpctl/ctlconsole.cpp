// cpctl console and cpctl sim: the long-running commands.
#include "consolebuffer.h"
#include "cpclient.h"
#include "ctlcommands.h"
#include "ctloutput.h"
#include "demodata.h"
#include "logging.h"
#include "simulator.h"
#include "termtext.h"
#include "validation.h"
#include "workspacesource.h"

#include <QCoreApplication>
#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QTextStream>
#include <QTimer>

namespace cpc::ctl {

namespace {

/// A credential for one simulator run: 32 random characters after a prefix that says what it is.
QString simToken(const char *prefix)
{
    QString s = QLatin1String(prefix);
    auto *rng = QRandomGenerator::system();
    for (int i = 0; i < 32; ++i)
        s += QLatin1Char("abcdefghijklmnopqrstuvwxyz0123456789"[rng->bounded(36)]);
    return s;
}

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

int runSim(const Options &o, const QProcessEnvironment &env, QTextStream &out, QTextStream &err)
{
    SimulatorOptions so;
    so.port = quint16(o.port.value_or(0));
    so.faults = o.faults;
    // Practice exercises authentication as the real CP does: credentials made up for this run,
    // printed below and enforced. Those in the environment may be the engineer's real ones:
    // they are neither used nor printed.
    if (!o.noAuth) {
        so.sharedSecret = Secret(simToken("sim-shared-"));
        so.adminToken = Secret(simToken("sim-admin-"));
        so.adminApiKey = Secret(simToken("sim-apikey-"));
    }
    so.bootMs = 3000;
    so.seed = 20261129;
    Simulator sim(so);
    QString error;
    if (!sim.start(&error)) {
        printError(err, QStringLiteral("simulator: ") + error);
        return error.contains(QLatin1String("fault"), Qt::CaseInsensitive) ? ExitUsage : ExitFailed;
    }
    QString dbUrl;
    if (o.workspaces) {
        dbUrl = o.db;
        if (dbUrl.isEmpty()) {
            const QString dir = QStandardPaths::writableLocation(QStandardPaths::TempLocation);
            dbUrl = QStringLiteral("sqlite:%1/cpctl-sim-%2.sqlite").arg(dir).arg(sim.port());
            QFile::remove(dbUrl.mid(7));
        }
        auto src = WorkspaceSource::open(dbUrl);
        if (!src) {
            printError(err, src.error().message);
            return exitForErr(src.error());
        }
        const auto rows
            = generateWorkspaces(*o.workspaces, so.seed, QDateTime::currentDateTimeUtc());
        if (const auto w = src.value()->upsertRows(rows); !w) {
            printError(err, w.error().message);
            return ExitFailed;
        }
        sim.adopt(rows);
    }
    const bool auth = !o.noAuth;
    const QString org = env.value(QStringLiteral("MOLECULE_ORG_ID"), QStringLiteral("sim-org"));
    if (o.json) {
        QJsonObject j { { QStringLiteral("url"), sim.baseUrl().toString() },
                        { QStringLiteral("port"), sim.port() },
                        { QStringLiteral("org_id"), org },
                        { QStringLiteral("faults"), sim.faults() },
                        { QStringLiteral("auth"), auth } };
        if (!dbUrl.isEmpty())
            j.insert(QStringLiteral("db"), dbUrl);
        if (auth) {
            j.insert(QStringLiteral("shared_secret"), so.sharedSecret.reveal());
            j.insert(QStringLiteral("admin_token"), so.adminToken.reveal());
            j.insert(QStringLiteral("admin_api_key"), so.adminApiKey.reveal());
        }
        out << QJsonDocument(j).toJson(QJsonDocument::Compact) << Qt::endl;
    } else {
        out << "# CP simulator on " << sim.baseUrl().toString() << " (faults: " << sim.faults()
            << ")\n";
        out << "export CP_PROVISION_URL=" << sim.baseUrl().toString() << '\n';
        out << "export MOLECULE_ORG_ID=" << org << '\n';
        if (!dbUrl.isEmpty())
            out << "export CPCONSOLE_DB=" << dbUrl << '\n';
        if (auth) {
            // Throwaway values of a loopback simulator, printed so that practice uses them.
            out << "export MOLECULE_CP_SHARED_SECRET=" << so.sharedSecret.reveal() << '\n';
            out << "export ADMIN_TOKEN=" << so.adminToken.reveal() << '\n';
            out << "export CP_ADMIN_API_TOKEN=" << so.adminApiKey.reveal() << '\n';
            out << "# credentials: made up for this run and enforced (a wrong one gets 401); "
                   "--no-auth turns that off\n";
        } else {
            out << "# credentials: none required (--no-auth)\n";
        }
        out << "# faults at run time: curl -X PUT --data 'status.5xx=0.2' "
            << sim.baseUrl().toString() << "/sim/faults\n";
        out << "# stop with Ctrl+C" << Qt::endl;
    }
    return QCoreApplication::exec();
}

} // namespace cpc::ctl
