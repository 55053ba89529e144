// Console buffer benchmark: fixed inputs built from the real captures in shared/testdata, the
// median of several runs per case, printed as a markdown table for BENCHMARKS.md.
// Usage: bench_consolebuffer [runs]   (default 21)

#include "captures.h"
#include "consolebuffer.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QRegularExpression>
#include <QTextStream>

#include <algorithm>
#include <ctime>
#include <functional>
#include <vector>

using namespace cpc;
using namespace cpc::test;

namespace {

constexpr qsizetype Page = qsizetype(256) * 1024;
constexpr qsizetype Step = qsizetype(4) * 1024;

/// The captures repeated until `size` bytes, each repetition with its kernel timestamps moved
/// on by 100 s so that no two lines are alike (as on a console that keeps running).
QByteArray console(qsizetype size)
{
    const QString parts[]
        = { QString::fromUtf8(consoleCapture(QStringLiteral("systemd-boot-ansi.log"))),
            QString::fromUtf8(consoleCapture(QStringLiteral("systemd-boot-failed-unit.log"))),
            QString::fromUtf8(consoleCapture(QStringLiteral("panic-no-rootfs.log"))) };
    static const QRegularExpression stamp(QStringLiteral("\\[\\s*(\\d+)\\.(\\d{6})\\]"));
    QByteArray out;
    for (int rep = 0; out.size() < size; ++rep) {
        QString text = parts[rep % 3];
        QString shifted;
        qsizetype pos = 0;
        for (auto it = stamp.globalMatch(text); it.hasNext();) {
            const auto m = it.next();
            shifted += QStringView(text).sliced(pos, m.capturedStart() - pos);
            shifted += QStringLiteral("[%1.%2]")
                           .arg(m.captured(1).toLongLong() + qint64(100) * rep, 5)
                           .arg(m.captured(2));
            pos = m.capturedEnd();
        }
        shifted += QStringView(text).sliced(pos);
        out += shifted.toUtf8();
    }
    out.truncate(size);
    return out;
}

struct Stats
{
    double median, min, max, cpuMedian;
};

double threadCpuMs()
{
    timespec ts {};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
}

// Wall time is what a user waits; thread CPU time is reported beside it because on a shared,
// loaded machine the wall-time median mostly measures preemption.
Stats measure(int runs, const std::function<void()> &setup, const std::function<void()> &work)
{
    std::vector<double> ms;
    std::vector<double> cpu;
    for (int i = 0; i < runs; ++i) {
        setup();
        QElapsedTimer t;
        const double c0 = threadCpuMs();
        t.start();
        work();
        ms.push_back(double(t.nsecsElapsed()) / 1e6);
        cpu.push_back(threadCpuMs() - c0);
    }
    std::sort(ms.begin(), ms.end());
    std::sort(cpu.begin(), cpu.end());
    return { ms[ms.size() / 2], ms.front(), ms.back(), cpu[cpu.size() / 2] };
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const int runs = argc > 1 ? std::max(1, atoi(argv[1])) : 21;
    QTextStream out(stdout);

    // Everything below uses the same stream: page A = [0, 256K), page B = [4K, 260K) (a poll
    // of a 256 KiB window after 4 KiB of new output); growth = [0, 320K), which fills the buffer
    // to its cap, then [0, 324K).
    constexpr qsizetype Full = Page + qsizetype(64) * 1024;
    const QByteArray stream = console(Full + Step);
    const QByteArray pageA = stream.left(Page);
    const QByteArray pageB = stream.mid(Step, Page);
    const QByteArray full = stream.left(Full);
    const QByteArray grown = stream.left(Full + Step);
    const QString textA = QString::fromUtf8(pageA);
    const QString textB = QString::fromUtf8(pageB);
    const QString textFull = QString::fromUtf8(full);
    const QString textGrown = QString::fromUtf8(grown);

    std::unique_ptr<ConsoleBuffer> b;
    ConsoleBuffer::MergeResult last;
    auto fresh = [&] {
        b = std::make_unique<ConsoleBuffer>();
    };

    struct Row
    {
        QString name;
        Stats s;
        QString note;
    };
    std::vector<Row> rows;

    {
        QStringList sink;
        const Stats s = measure(
            runs, [] {}, [&] { sink = QString::fromUtf8(pageA).split(u'\n'); });
        rows.push_back({ QStringLiteral("baseline: QString::fromUtf8 + split of a 256 KiB page"), s,
                         QStringLiteral("%1 lines").arg(sink.size()) });
    }
    rows.push_back({ QStringLiteral("parse 256 KiB page into an empty buffer (QString)"),
                     measure(runs, fresh, [&] { last = b->merge(textA); }),
                     QStringLiteral("%1 lines, %2 KiB stored, %3 notables")
                         .arg(b->lineCount())
                         .arg(b->storedBytes() / 1024)
                         .arg(b->notables().size()) });
    rows.push_back({ QStringLiteral("parse 256 KiB page into an empty buffer (bytes)"),
                     measure(runs, fresh, [&] { last = b->mergeBytes(pageA); }), QString() });
    rows.push_back(
        { QStringLiteral("refresh: 256 KiB page, all but the last 4 KiB overlap (QString)"),
          measure(
              runs,
              [&] {
                  fresh();
                  b->merge(textA);
              },
              [&] { last = b->merge(textB); }),
          QStringLiteral("gap=%1, %2 new lines").arg(last.gap).arg(last.newLines) });
    rows.push_back(
        { QStringLiteral("refresh: 256 KiB page, all but the last 4 KiB overlap (bytes)"),
          measure(
              runs,
              [&] {
                  fresh();
                  b->mergeBytes(pageA);
              },
              [&] { last = b->mergeBytes(pageB); }),
          QStringLiteral("gap=%1, %2 new lines").arg(last.gap).arg(last.newLines) });
    rows.push_back({ QStringLiteral("append 4 KiB to a full buffer (growing fetch, QString)"),
                     measure(
                         runs,
                         [&] {
                             fresh();
                             b->merge(textFull);
                         },
                         [&] { last = b->merge(textGrown); }),
                     QStringLiteral("gap=%1, %2 new lines, %3 B dropped")
                         .arg(last.gap)
                         .arg(last.newLines)
                         .arg(last.droppedBytes) });
    rows.push_back({ QStringLiteral("render the full buffer as plain text"),
                     measure(
                         runs,
                         [&] {
                             fresh();
                             b->merge(textA);
                         },
                         [&] { (void)b->plainText(); }),
                     QString() });
    rows.push_back({ QStringLiteral("render the full buffer with ANSI colours"),
                     measure(
                         runs, [] {}, [&] { (void)b->render(ConsoleBuffer::Format::Ansi); }),
                     QString() });

    out << "### Console buffer (" << runs << " runs, input " << pageA.size() / 1024
        << " KiB of coloured console, cap " << ConsoleBuffer::DefaultCapBytes / 1024 << " KiB)\n\n";
    out << "| case | median ms | min ms | max ms | median CPU ms | notes |\n"
           "|---|---:|---:|---:|---:|---|\n";
    for (const Row &r : rows) {
        out << "| " << r.name << " | " << QString::number(r.s.median, 'f', 3) << " | "
            << QString::number(r.s.min, 'f', 3) << " | " << QString::number(r.s.max, 'f', 3)
            << " | " << QString::number(r.s.cpuMedian, 'f', 3) << " | " << r.note << " |\n";
    }
    return 0;
}
