#pragma once

// What bench_cpctl_list and bench_pg_list share: timing a command line (median of N runs after
// one warm-up, standard output to /dev/null; or several lines in turns), the markdown row naming
// the command, and the RESULT lines run-benchmarks.sh reads.

#include "benchprocess.h"

#include <QFile>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

#include <cstdio>
#include <vector>

namespace cpc::bench {

struct Timing
{
    bool ok = false; ///< every run exited 0
    double wallMs = 0; ///< medians of the runs
    double cpuMs = 0;
    double rssMiB = 0;
    QString failure; ///< the first failing run's exit code and stderr
};

inline QList<QByteArray> environmentOf(const QProcessEnvironment &env)
{
    QList<QByteArray> out;
    for (const QString &k : env.keys())
        out << (k + u'=' + env.value(k)).toLocal8Bit();
    return out;
}

/// Runs `argv` once to warm the page cache, then `runs` times; stdout to /dev/null.
inline Timing timeCommand(const QStringList &argv, const QProcessEnvironment &env, int runs,
                          const QString &errFile, int timeoutMs = 600'000)
{
    std::vector<double> wall, cpu, rss;
    Timing t;
    const QList<QByteArray> e = environmentOf(env);
    for (int i = 0; i <= runs; ++i) {
        Child c;
        if (!c.start(argv, e, QStringLiteral("/dev/null"), errFile)) {
            t.failure = QStringLiteral("cannot start");
            return t;
        }
        const Child::Exit x = c.wait(timeoutMs);
        if (x.code != 0 || x.timedOut) {
            QFile f(errFile);
            f.open(QIODevice::ReadOnly);
            t.failure = QStringLiteral("exit %1%2: %3")
                            .arg(x.code)
                            .arg(x.timedOut ? QStringLiteral(" (timed out)") : QString())
                            .arg(QString::fromUtf8(f.read(300)).simplified());
            return t;
        }
        if (i == 0)
            continue; // the warm-up
        wall.push_back(x.wallMs);
        cpu.push_back(x.cpuMs);
        rss.push_back(double(x.maxRssKiB) / 1024.0);
    }
    t.ok = true;
    t.wallMs = median(wall);
    t.cpuMs = median(cpu);
    t.rssMiB = median(rss);
    return t;
}

/// timeCommand() for several command lines taken in turns: a warm-up of each, then round after
/// round of one run each, so that the machine's drifts (a write-back, a neighbour's build) fall
/// on all of them alike instead of on whichever ran at the wrong moment.
inline std::vector<Timing> timeCommandsInTurn(const std::vector<QStringList> &argvs,
                                              const QProcessEnvironment &env, int runs,
                                              const QString &errFile, int timeoutMs = 600'000)
{
    std::vector<Timing> out(argvs.size());
    std::vector<std::vector<double>> wall(argvs.size()), cpu(argvs.size()), rss(argvs.size());
    const QList<QByteArray> e = environmentOf(env);
    for (int round = 0; round <= runs; ++round) {
        for (size_t k = 0; k < argvs.size(); ++k) {
            if (!out[k].failure.isEmpty())
                continue;
            Child c;
            if (!c.start(argvs[k], e, QStringLiteral("/dev/null"), errFile)) {
                out[k].failure = QStringLiteral("cannot start");
                continue;
            }
            const Child::Exit x = c.wait(timeoutMs);
            if (x.code != 0 || x.timedOut) {
                QFile f(errFile);
                f.open(QIODevice::ReadOnly);
                out[k].failure = QStringLiteral("exit %1%2: %3")
                                     .arg(x.code)
                                     .arg(x.timedOut ? QStringLiteral(" (timed out)") : QString())
                                     .arg(QString::fromUtf8(f.read(300)).simplified());
                continue;
            }
            if (round == 0)
                continue; // the warm-up
            wall[k].push_back(x.wallMs);
            cpu[k].push_back(x.cpuMs);
            rss[k].push_back(double(x.maxRssKiB) / 1024.0);
        }
    }
    for (size_t k = 0; k < argvs.size(); ++k) {
        if (!out[k].failure.isEmpty())
            continue;
        out[k].ok = true;
        out[k].wallMs = median(wall[k]);
        out[k].cpuMs = median(cpu[k]);
        out[k].rssMiB = median(rss[k]);
    }
    return out;
}

/// The command as a reader can paste it (arguments with spaces quoted).
inline QString shellLine(const QStringList &argv)
{
    QStringList out;
    for (const QString &a : argv) {
        const bool plain = !a.isEmpty() && std::all_of(a.begin(), a.end(), [](QChar c) {
            return c.isLetterOrNumber() || QStringLiteral("-_./:=,@%+").contains(c);
        });
        out << (plain ? a : u'\'' + QString(a).replace(u'\'', QStringLiteral("'\\''")) + u'\'');
    }
    return out.join(u' ');
}

inline void result(const QString &name, double value, const char *unit, double baseline)
{
    if (baseline > 0)
        std::printf("RESULT %s %.3f %s %.3f %.3f\n", qPrintable(name), value, unit, baseline,
                    value / baseline);
    else
        std::printf("RESULT %s %.3f %s - -\n", qPrintable(name), value, unit);
}

inline QString cell(const Timing &t, double value, int decimals)
{
    return t.ok ? QString::number(value, 'f', decimals) : QStringLiteral("n/a");
}

/// One markdown row: what, the command, then wall / CPU / peak RSS.
inline void printRow(const QString &what, const QStringList &argv, const Timing &t)
{
    std::printf("| %s | `%s` | %s | %s | %s |\n", qPrintable(what), qPrintable(shellLine(argv)),
                qPrintable(cell(t, t.wallMs, 0)), qPrintable(cell(t, t.cpuMs, 0)),
                qPrintable(cell(t, t.rssMiB, 1)));
    if (!t.ok)
        std::fprintf(stderr, "bench: %s failed: %s\n", qPrintable(shellLine(argv)),
                     qPrintable(t.failure));
}

/// RESULT lines for ours against a baseline: wall (ms), CPU (ms) and peak RSS (MiB).
inline void printResults(const QString &name, const Timing &ours, const Timing &base)
{
    if (!ours.ok)
        return;
    result(name, ours.wallMs, "ms", base.ok ? base.wallMs : 0);
    result(name + QStringLiteral("_cpu"), ours.cpuMs, "ms", base.ok ? base.cpuMs : 0);
    result(name + QStringLiteral("_peak_rss"), ours.rssMiB, "MiB", base.ok ? base.rssMiB : 0);
}

} // namespace cpc::bench
