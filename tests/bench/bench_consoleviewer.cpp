// Console viewer benchmark (issue 6): fixed inputs built from the real captures in
// shared/testdata, a ConsoleViewer shown offscreen at 1200x800, every case measured up to and
// including a forced synchronous repaint (QWidget::repaint()); median of N runs. Baseline in the
// same run: a QPlainTextEdit given the same text without colours.
//
// Usage: bench_consoleviewer [runs]          (default 21; prints a markdown table)
//        bench_consoleviewer --memory viewer|plain   (internal: one memory measurement)
// Memory is measured in a child process per widget so that neither inherits the other's heap:
// peak RSS (VmHWM, reset through /proc/self/clear_refs) minus RSS before the widget existed.

#include "consolebuffer.h"
#include "consolefindbar.h"
#include "consoleview.h"
#include "consoleviewer.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QFontDatabase>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProcess>
#include <QRegularExpression>
#include <QTest>
#include <QTextStream>

#include <algorithm>
#include <ctime>
#include <functional>
#include <vector>

using namespace cpc;
using namespace cpc::ui;

namespace {

constexpr qsizetype Page = qsizetype(256) * 1024;
constexpr qsizetype Step = qsizetype(4) * 1024;
const QSize WindowSize(1200, 800);

QString capture(const char *name)
{
    QFile f(QStringLiteral(CPC_TESTDATA_DIR "/console/") + QLatin1String(name));
    if (!f.open(QIODevice::ReadOnly))
        qFatal("missing capture %s", qPrintable(f.fileName()));
    return QString::fromUtf8(f.readAll());
}

/// The captures repeated until `size` characters, each repetition with its kernel timestamps
/// moved on by 100 s (plus `epoch`), so that no two lines are alike and two consoles built
/// with different epochs share no line (a refresh that replaces the whole page).
QString console(qsizetype size, qint64 epoch)
{
    const QString parts[]
        = { capture("systemd-boot-ansi.log"), capture("systemd-boot-failed-unit.log"),
            capture("panic-no-rootfs.log") };
    static const QRegularExpression stamp(QStringLiteral("\\[\\s*(\\d+)\\.(\\d{6})\\]"));
    QString out;
    for (int rep = 0; out.size() < size; ++rep) {
        const QString &text = parts[rep % 3];
        qsizetype pos = 0;
        for (auto it = stamp.globalMatch(text); it.hasNext();) {
            const auto m = it.next();
            out += QStringView(text).sliced(pos, m.capturedStart() - pos);
            out += QStringLiteral("[%1.%2]")
                       .arg(m.captured(1).toLongLong() + qint64(100) * rep + epoch, 5)
                       .arg(m.captured(2));
            pos = m.capturedEnd();
        }
        out += QStringView(text).sliced(pos);
    }
    out.truncate(size);
    return out;
}

QString stripped(const QString &text)
{
    ConsoleBuffer b(1 << 30);
    b.merge(text);
    return b.plainText();
}

Result<ConsoleOutput> ok(const QString &text)
{
    return ConsoleOutput { text, int(text.size()) };
}

struct Stats
{
    double median = 0, min = 0, max = 0;
    double cpu = 0; ///< median process CPU time: less sensitive to other load on the machine
};

double processCpuMs()
{
    timespec ts {};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
}

Stats measure(int runs, const std::function<void(int)> &setup, const std::function<void(int)> &work)
{
    std::vector<double> ms, cpu;
    for (int i = 0; i < runs; ++i) {
        setup(i);
        QElapsedTimer t;
        const double c0 = processCpuMs();
        t.start();
        work(i);
        ms.push_back(double(t.nsecsElapsed()) / 1e6);
        cpu.push_back(processCpuMs() - c0);
    }
    std::sort(ms.begin(), ms.end());
    std::sort(cpu.begin(), cpu.end());
    return { ms[ms.size() / 2], ms.front(), ms.back(), cpu[cpu.size() / 2] };
}

/// Runs every work once per round, in an order that rotates between rounds, timing each.
std::vector<Stats> interleaved(int runs, const std::vector<std::function<void(int)>> &works)
{
    const size_t n = works.size();
    std::vector<std::vector<double>> ms(n), cpu(n);
    for (int i = 0; i < runs; ++i) {
        for (size_t j = 0; j < n; ++j) {
            const size_t w = (j + size_t(i)) % n;
            QElapsedTimer t;
            const double c0 = processCpuMs();
            t.start();
            works[w](i);
            ms[w].push_back(double(t.nsecsElapsed()) / 1e6);
            cpu[w].push_back(processCpuMs() - c0);
        }
    }
    std::vector<Stats> out;
    for (size_t w = 0; w < n; ++w) {
        std::sort(ms[w].begin(), ms[w].end());
        std::sort(cpu[w].begin(), cpu[w].end());
        out.push_back(
            { ms[w][ms[w].size() / 2], ms[w].front(), ms[w].back(), cpu[w][cpu[w].size() / 2] });
    }
    return out;
}

void show(QWidget &w)
{
    w.resize(WindowSize);
    w.show();
    if (!QTest::qWaitForWindowExposed(&w))
        qWarning("window not exposed");
    QApplication::processEvents();
}

qint64 procStatusKiB(const char *field)
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : f.readAll().split('\n'))
        if (line.startsWith(field))
            return line.mid(qstrlen(field)).trimmed().split(' ').first().toLongLong();
    return -1;
}

/// Child process: peak RSS growth while the widget shows two full pages and 20 appends.
int memoryMain(const QString &which)
{
    const QString pageA = console(Page, 0);
    const QString pageB = console(Page, 1'000'000);
    const QString stream = console(Page + 20 * Step, 2'000'000);
    const QString plainA = stripped(pageA), plainB = stripped(pageB);
    std::vector<QString> plainSteps;
    for (int k = 1; k <= 20; ++k)
        plainSteps.push_back(stripped(stream.mid(Page + (k - 1) * Step, Step)));
    {
        // Fonts, glyph caches and the platform plugin belong to the application, not the widget.
        QLabel warm(QStringLiteral("warm-up 0123456789 abcdefghijklmnopqrstuvwxyz ABC [  OK  ]"));
        warm.setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
        show(warm);
        warm.repaint();
    }
    QApplication::processEvents();
    const qint64 before = procStatusKiB("VmRSS:");
    QFile clear(QStringLiteral("/proc/self/clear_refs"));
    const bool reset = clear.open(QIODevice::WriteOnly) && clear.write("5") == 1;
    clear.close();
    const qint64 hwmStart = procStatusKiB("VmHWM:");
    if (which == QLatin1String("viewer")) {
        ConsoleViewer v;
        show(v);
        for (const QString &page : { pageA, pageB, stream.left(Page) }) {
            v.applyFetch(ok(page));
            v.flushPendingUpdates();
            v.repaint();
        }
        for (int k = 1; k <= 20; ++k) {
            v.applyFetch(ok(stream.mid(k * Step, Page)));
            v.flushPendingUpdates();
            v.repaint();
        }
    } else {
        QPlainTextEdit e;
        e.setReadOnly(true);
        e.setLineWrapMode(QPlainTextEdit::NoWrap);
        e.setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
        show(e);
        for (const QString &page : { plainA, plainB }) {
            e.setPlainText(page);
            e.repaint();
        }
        for (const QString &s : plainSteps) {
            e.appendPlainText(s);
            e.repaint();
        }
    }
    const qint64 peak = procStatusKiB("VmHWM:");
    QTextStream(stdout) << (peak - std::max(before, reset ? 0 : hwmStart)) << ' '
                        << (reset ? "reset" : "noreset") << Qt::endl;
    return 0;
}

struct Memory
{
    double mib = -1;
    bool reset = false;
};

Memory memoryOf(const QString &which)
{
    QProcess p;
    p.start(QCoreApplication::applicationFilePath(), { QStringLiteral("--memory"), which });
    if (!p.waitForFinished(120000))
        return {};
    const QList<QByteArray> out = p.readAllStandardOutput().trimmed().split(' ');
    if (out.size() < 2)
        return {};
    return { out[0].toDouble() / 1024.0, out[1] == "reset" };
}

QString ms(const Stats &s)
{
    return QStringLiteral("%1 (%2–%3; CPU %4)")
        .arg(s.median, 0, 'f', 2)
        .arg(s.min, 0, 'f', 2)
        .arg(s.max, 0, 'f', 2)
        .arg(s.cpu, 0, 'f', 2);
}

QString ratio(double baseline, double ours)
{
    return ours > 0 ? QStringLiteral("%1×").arg(baseline / ours, 0, 'f', 1) : QStringLiteral("–");
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("cpc-bench"));
    QCoreApplication::setApplicationName(QStringLiteral("bench_consoleviewer"));
    const QStringList args = app.arguments();
    if (args.size() > 2 && args[1] == QLatin1String("--memory"))
        return memoryMain(args[2]);
    const int runs = args.size() > 1 ? std::max(1, args[1].toInt()) : 21;
    QTextStream out(stdout);

    // Two 256 KiB coloured pages that share no line, and one continuous console for appends.
    const QString pageA = console(Page, 0);
    const QString pageB = console(Page, 1'000'000);
    const QString stream = console(Page + (runs + 1) * Step, 2'000'000);
    const QString plainA = stripped(pageA), plainB = stripped(pageB);
    // The CP's window after k steps of 4 KiB of new output.
    auto window = [&](int k) {
        return stream.mid(k * Step, Page);
    };
    std::vector<QString> plainSteps;
    plainSteps.reserve(size_t(runs));
    for (int k = 0; k < runs; ++k)
        plainSteps.push_back(stripped(stream.mid(Page + k * Step, Step)));

    // The whole viewer (toolbar, notable-lines list, banner, text) repainted entirely; the same
    // viewer with only what the update dirtied repainted (a viewport repaint syncs every dirty
    // region of the window: what the event loop paints after an auto-refresh); the text area
    // alone at the baseline's size; the baseline. Their runs are interleaved so that other load
    // on the machine hits all of them alike.
    ConsoleViewer whole, dirty;
    show(whole);
    show(dirty);
    auto viewerApply = [](ConsoleViewer &v, const QString &text, bool all) {
        v.applyFetch(ok(text));
        v.flushPendingUpdates();
        if (all)
            v.repaint();
        else
            v.view()->viewport()->repaint();
    };
    ConsoleBuffer buffer;
    ConsoleView view;
    view.setBuffer(&buffer);
    show(view);
    auto viewApply = [&](const QString &text) {
        const ConsoleBuffer::MergeResult r = buffer.merge(text);
        view.bufferChanged(r.gap ? 0 : r.firstNewLine);
        view.applyPendingChanges();
        view.repaint();
    };
    QPlainTextEdit edit;
    edit.setReadOnly(true);
    edit.setLineWrapMode(QPlainTextEdit::NoWrap);
    edit.setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    show(edit);

    // (a) refresh: the whole page replaced by a new one (parse, merge, layout, repaint).
    viewerApply(whole, pageA, true);
    viewerApply(dirty, pageA, false);
    viewApply(pageA);
    edit.setPlainText(plainA);
    edit.repaint();
    const std::vector<Stats> refresh
        = interleaved(runs,
                      { [&](int i) { viewerApply(whole, i % 2 ? pageA : pageB, true); },
                        [&](int i) { viewerApply(dirty, i % 2 ? pageA : pageB, false); },
                        [&](int i) { viewApply(i % 2 ? pageA : pageB); },
                        [&](int i) {
                            edit.setPlainText(i % 2 ? plainA : plainB);
                            edit.repaint();
                        } });
    const int linesShown = whole.buffer().lineCount();
    const int notables = int(whole.notablesShown().size());

    // (b) append: the CP's 256 KiB window slides by 4 KiB (merge finds the overlap, appends
    // ~4 KiB, the cap drops ~4 KiB from the top); the reader follows at the bottom.
    viewerApply(whole, window(0), true);
    viewerApply(dirty, window(0), false);
    viewApply(window(0));
    edit.setPlainText(stripped(window(0)));
    edit.repaint();
    const std::vector<Stats> append
        = interleaved(runs,
                      { [&](int k) { viewerApply(whole, window(k + 1), true); },
                        [&](int k) { viewerApply(dirty, window(k + 1), false); },
                        [&](int k) { viewApply(window(k + 1)); },
                        [&](int k) {
                            edit.appendPlainText(plainSteps[size_t(k)]);
                            edit.repaint();
                        } });
    const bool followed = whole.isFollowing() && dirty.isFollowing();

    // The same append for a reader scrolled up (position kept, pill updated).
    viewerApply(whole, window(0), true);
    whole.view()->jumpToLine(whole.buffer().lastLineNumber() - 400);
    const int topBefore = whole.topLineNumber();
    const Stats appendScrolled = measure(
        runs, [](int) {}, [&](int k) { viewerApply(whole, window(k + 1), true); });
    const bool kept = whole.topLineNumber() == topBefore;
    const int pill = whole.newLineCount();

    // A refresh with a find active (every match of "systemd" recomputed and highlighted).
    whole.view()->scrollToBottom();
    whole.openFind();
    whole.findBar()->lineEdit()->setText(QStringLiteral("systemd"));
    viewerApply(whole, pageA, true);
    const Stats refreshFind = measure(
        runs, [](int) {}, [&](int i) { viewerApply(whole, i % 2 ? pageA : pageB, true); });
    const int matches = whole.matchCount();

    const Stats &refreshViewer = refresh[0], &refreshDirty = refresh[1], &refreshView = refresh[2],
                &refreshPlain = refresh[3];
    const Stats &appendViewer = append[0], &appendDirty = append[1], &appendView = append[2],
                &appendPlain = append[3];

    const Memory memViewer = memoryOf(QStringLiteral("viewer"));
    const Memory memPlain = memoryOf(QStringLiteral("plain"));

    out << "### Console viewer (" << runs << " runs; 256 KiB coloured pages, " << linesShown
        << " lines, " << notables << " notable lines; window 1200x800, offscreen)\n\n";
    out << "Times in ms: wall-clock median (min–max; median process CPU time), each including a "
           "synchronous `QWidget::repaint()`; the runs of the four widgets are interleaved.\n\n";
    out << "| case | ConsoleViewer, whole widget repainted | ConsoleViewer, changed parts "
           "repainted "
        << "| ConsoleView alone, 1200x800 | baseline QPlainTextEdit, 1200x800 | baseline / viewer "
           "(changed parts) "
        << "| goal | met (whole / changed) |\n";
    out << "|---|---:|---:|---:|---:|---:|---|---|\n";
    auto cell = [&](const Stats *s) {
        return s ? ms(*s) : QStringLiteral("–");
    };
    auto row = [&](const QString &name, const Stats &whole, const Stats *dirty, const Stats *alone,
                   const Stats *base, const QString &goal, double limit) {
        auto met = [&](const Stats *s) {
            return !s               ? QStringLiteral("–")
                : s->median < limit ? QStringLiteral("yes")
                                    : QStringLiteral("**no**");
        };
        out << "| " << name << " | " << cell(&whole) << " | " << cell(dirty) << " | " << cell(alone)
            << " | " << cell(base) << " | "
            << (base && dirty ? ratio(base->median, dirty->median) : QStringLiteral("–")) << " | "
            << goal << " | " << met(&whole) << " / " << met(dirty) << " |\n";
    };
    row(QStringLiteral(
            "(a) refresh: 256 KiB replaced by a new 256 KiB page (parse, merge, render)"),
        refreshViewer, &refreshDirty, &refreshView, &refreshPlain, QStringLiteral("< 50 ms"), 50);
    row(QStringLiteral("(a) same, find \"systemd\" active (%1 matches)").arg(matches), refreshFind,
        nullptr, nullptr, nullptr, QStringLiteral("< 50 ms"), 50);
    row(QStringLiteral("(b) append 4 KiB to a full viewer, reader %1")
            .arg(followed ? "following" : "NOT following"),
        appendViewer, &appendDirty, &appendView, &appendPlain, QStringLiteral("< 5 ms"), 5);
    row(QStringLiteral("(b) same, reader scrolled up (%1, pill: %2 new lines)")
            .arg(kept ? "position kept" : "MOVED")
            .arg(pill),
        appendScrolled, nullptr, nullptr, nullptr, QStringLiteral("< 5 ms"), 5);
    out << "| (c) peak RSS growth: 3 pages + 20 appends | "
        << QString::number(memViewer.mib, 'f', 1) << " MiB | – | – | "
        << QString::number(memPlain.mib, 'f', 1) << " MiB | " << ratio(memPlain.mib, memViewer.mib)
        << " | < 16 MB | "
        << (memViewer.mib >= 0 && memViewer.mib * 1.048576 < 16 ? "yes" : "**no**") << " |\n";
    out << "\nWhole widget: `ConsoleViewer::repaint()`, toolbar, notable-lines list, banner and "
           "text all repainted. "
        << "Changed parts: `repaint()` of the text viewport, which also paints every other region "
           "the update "
        << "dirtied (scroll bar, status line, banner) — what the event loop paints after an "
           "auto-refresh. "
        << "ConsoleView alone: the text area at the baseline's size, same merge and layout. "
        << "Baseline: `setPlainText` of the same page without colours, `appendPlainText` of the "
           "same 4 KiB. "
        << "Memory: VmHWM after minus VmRSS before, in a child process per widget"
        << (memViewer.reset && memPlain.reset ? " (peak reset through /proc/self/clear_refs)"
                                              : " (peak not resettable here)")
        << ".\n";
    // For tests/bench/run-benchmarks.sh: RESULT <name> <value> <unit> <baseline> <value/baseline>.
    auto result = [&](const char *name, double value, const char *unit, double base) {
        out << "RESULT " << name << ' ' << QString::number(value, 'f', 2) << ' ' << unit << ' '
            << (base > 0 ? QString::number(base, 'f', 2) : QStringLiteral("-")) << ' '
            << (base > 0 ? QString::number(value / base, 'f', 2) : QStringLiteral("-")) << '\n';
    };
    out << '\n';
    result("refresh_256k_whole_widget", refreshViewer.median, "ms", refreshPlain.median);
    result("refresh_256k_changed_parts", refreshDirty.median, "ms", refreshPlain.median);
    result("append_4k_whole_widget", appendViewer.median, "ms", appendPlain.median);
    result("append_4k_changed_parts", appendDirty.median, "ms", appendPlain.median);
    result("peak_rss_growth", memViewer.mib, "MiB", memPlain.mib);
    return 0;
}
