// Soak benchmark: the status poller over a few thousand workspaces plus console auto-refresh of
// a few of them, for a bounded time, against the CP simulator (in this process, on its own
// thread) while its faults change every 10 s. Memory must not grow: RSS is sampled every 10 s
// after a 10 s warm-up, and the run fails (exit 1) when RSS at the end exceeds RSS at the 25 %
// mark (at least 30 s) by more than --max-growth percent. The RSS is the whole process: client
// and simulator.
//
// Usage: bench_soak [--seconds N (>= 60)] [--workspaces N] [--consoles N] [--interval MS]
//                   [--concurrency N] [--console-step-ms MS] [--faults SPEC|rotate]
//                   [--max-growth PCT]
// Defaults: 120 s, 2000 workspaces, 20 consoles every 500 ms, 1000 ms interval, 16 in flight,
// rotating faults, 10 %. The simulated consoles print a step every 5 ms (about 30 KiB/s each,
// against 700 ms in demo mode) so that every console buffer reaches its 256 KiB cap during the
// warm-up: what is measured after it is the steady state, where memory must stay flat.
//
// Machine-readable lines for run-benchmarks.sh:
//   RESULT <name> <value> <unit> <baseline> <ratio>      ("-" when there is none)

#include "consolebuffer.h"
#include "cpclient.h"
#include "demodata.h"
#include "simulator.h"
#include "statuspoller.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QHash>
#include <QMap>
#include <QNetworkAccessManager>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <vector>

using namespace cpc;

namespace {

struct Options
{
    int seconds = 120;
    int workspaces = 2000;
    int consoles = 20;
    int consoleEveryMs = 500;
    int intervalMs = 1000;
    int concurrency = 16;
    int consoleStepMs = 5;
    QString faults = QStringLiteral("rotate");
    double maxGrowthPct = 10.0;
};

/// Every 10 s the next of these (a failing CP is rarely failing in only one way).
const QStringList kRotation {
    QStringLiteral("error-rate=0.2,latency=5"),
    QStringLiteral("5xx=0.2"),
    QStringLiteral("429=0.2"),
    QStringLiteral("malformed=0.2"),
    QStringLiteral("drop=0.2"),
    QStringLiteral("drip=0.02"),
    QStringLiteral("oversize=0.2"),
};

Options parse(const QStringList &args)
{
    Options o;
    auto value = [&](int &i) {
        if (i + 1 >= args.size()) {
            std::fprintf(stderr, "bench_soak: %s needs a value\n", qPrintable(args[i]));
            std::exit(2);
        }
        return args[++i];
    };
    for (int i = 1; i < args.size(); ++i) {
        const QString &a = args[i];
        if (a == QLatin1String("--seconds"))
            o.seconds = std::max(60, value(i).toInt());
        else if (a == QLatin1String("--workspaces"))
            o.workspaces = std::max(1, value(i).toInt());
        else if (a == QLatin1String("--consoles"))
            o.consoles = std::max(0, value(i).toInt());
        else if (a == QLatin1String("--interval"))
            o.intervalMs = std::max(100, value(i).toInt());
        else if (a == QLatin1String("--concurrency"))
            o.concurrency = std::max(1, value(i).toInt());
        else if (a == QLatin1String("--console-step-ms"))
            o.consoleStepMs = std::max(1, value(i).toInt());
        else if (a == QLatin1String("--faults"))
            o.faults = value(i);
        else if (a == QLatin1String("--max-growth"))
            o.maxGrowthPct = value(i).toDouble();
        else {
            std::fprintf(
                stderr,
                "usage: bench_soak [--seconds N (>= 60)] [--workspaces N] [--consoles N] "
                "[--interval MS] [--concurrency N] [--console-step-ms MS] [--faults SPEC|rotate] "
                "[--max-growth PCT]\n");
            std::exit(2);
        }
    }
    return o;
}

/// VmRSS and VmHWM of this process, in KiB.
std::pair<qint64, qint64> memoryKiB()
{
    QFile f(QStringLiteral("/proc/self/status"));
    qint64 rss = 0, hwm = 0;
    if (f.open(QIODevice::ReadOnly)) {
        for (const QByteArray &line : f.readAll().split('\n')) {
            if (line.startsWith("VmRSS:"))
                rss = line.mid(6).trimmed().split(' ').value(0).toLongLong();
            else if (line.startsWith("VmHWM:"))
                hwm = line.mid(6).trimmed().split(' ').value(0).toLongLong();
        }
    }
    return { rss, hwm };
}

/// Least-squares slope of y over x.
double slope(const std::vector<std::pair<double, double>> &pts)
{
    if (pts.size() < 2)
        return 0;
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    for (const auto &[x, y] : pts) {
        sx += x;
        sy += y;
        sxx += x * x;
        sxy += x * y;
    }
    const double n = double(pts.size());
    const double d = n * sxx - sx * sx;
    return d == 0 ? 0 : (n * sxy - sx * sy) / d;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const Options o = parse(app.arguments());
    const bool rotate = o.faults == QLatin1String("rotate");
    const int warmupS = 10;

    // The simulator on its own thread, as a CP is on its own machine: the client's event loop
    // is not the server's. Every call into it goes through its thread.
    const QList<WorkspaceRow> rows = generateWorkspaces(o.workspaces, 20261129);
    QThread simThread;
    simThread.setObjectName(QStringLiteral("simulator"));
    simThread.start();
    QObject anchor;
    anchor.moveToThread(&simThread);
    Simulator *sim = nullptr;
    auto onSim = [&](const std::function<void()> &fn) {
        QMetaObject::invokeMethod(&anchor, fn, Qt::BlockingQueuedConnection);
    };
    SimulatorOptions so;
    so.sharedSecret = Secret(QStringLiteral("soak-shared-secret"));
    so.adminToken = Secret(QStringLiteral("soak-admin-token"));
    so.adminApiKey = Secret(QStringLiteral("soak-admin-api-key"));
    so.seed = 20261129;
    so.consoleGrowthMs = o.consoleStepMs;
    so.faults = rotate ? QString() : o.faults;
    QString startError;
    bool started = false;
    onSim([&] {
        sim = new Simulator(so);
        started = sim->start(&startError);
        if (started)
            sim->adopt(rows);
    });
    if (!started) {
        std::fprintf(stderr, "bench_soak: simulator: %s\n", qPrintable(startError));
        onSim([&] { delete sim; });
        simThread.quit();
        simThread.wait();
        return 2;
    }
    QUrl base;
    onSim([&] { base = sim->baseUrl(); });
    auto setFaults = [&](const QString &spec) {
        onSim([&] { sim->setFaults(spec); });
    };
    auto simCount = [&](const QString &route, const QString &outcome) {
        qint64 n = 0;
        onSim([&] { n = sim->requestCount(route, outcome); });
        return n;
    };

    // The client side, as the console builds it.
    CpConfig cfg;
    cfg.orgId = QStringLiteral("soak-org");
    cfg.baseUrl = base;
    cfg.sharedSecret = so.sharedSecret;
    cfg.adminToken = so.adminToken;
    cfg.adminApiKey = so.adminApiKey;
    cfg.requestTimeoutMs = 10'000; // a dripped answer is given up on, as a user would
    auto nam = std::make_unique<QNetworkAccessManager>();
    auto client = std::make_unique<CpClient>(nam.get(), cfg);
    auto poller = std::make_unique<StatusPoller>(client.get());
    poller->setIntervalMs(o.intervalMs);
    poller->setMaxConcurrency(o.concurrency);
    QList<StatusPoller::Target> targets;
    QStringList consoleIds;
    for (const WorkspaceRow &r : rows) {
        if (r.status == QLatin1String("removed"))
            continue; // hidden in the list, so never polled
        targets.append({ r.id, r.instanceId });
        if (consoleIds.size() < o.consoles && r.status == QLatin1String("online")
            && !r.instanceId.isEmpty())
            consoleIds << r.id;
    }
    poller->setVisible(targets);
    QHash<QString, qint64> unknownReasons;
    QObject::connect(poller.get(), &StatusPoller::statusChanged, poller.get(),
                     [&](const QString &, const LiveStatus &s) {
                         if (s.state == RunState::Unknown)
                             ++unknownReasons[s.reason];
                     });

    // Console auto-refresh: one buffer per workspace, a fetch every consoleEveryMs unless the
    // previous one for that workspace is still in flight (as the viewer does).
    struct Console
    {
        QString id;
        std::unique_ptr<ConsoleBuffer> buffer = std::make_unique<ConsoleBuffer>();
        bool inFlight = false;
    };
    std::vector<Console> consoles;
    for (const QString &id : std::as_const(consoleIds))
        consoles.push_back({ id });
    qint64 consoleOk = 0, consoleGaps = 0, consoleSkipped = 0;
    QMap<QString, qint64> consoleErrors;
    QObject consoleContext;
    QTimer consoleTimer;
    consoleTimer.setInterval(o.consoleEveryMs);
    QObject::connect(&consoleTimer, &QTimer::timeout, &consoleContext, [&] {
        for (Console &c : consoles) {
            if (c.inFlight) {
                ++consoleSkipped;
                continue;
            }
            c.inFlight = true;
            Console *cp = &c;
            client->consoleOutput(c.id, &consoleContext, [&, cp](const Result<ConsoleOutput> &r) {
                cp->inFlight = false;
                if (r) {
                    ++consoleOk;
                    consoleGaps += cp->buffer->merge(r.value().output).gap;
                } else {
                    ++consoleErrors[Error::kindName(r.error().kind)];
                }
            });
        }
    });

    // Event-loop lag: how late a 50 ms timer fires (a UI would stutter by as much).
    QElapsedTimer lagClock;
    lagClock.start();
    qint64 lastTick = 0, maxLagMs = 0, windowLagMs = 0;
    QTimer lagTimer;
    lagTimer.setTimerType(Qt::PreciseTimer);
    lagTimer.setInterval(50);
    QObject::connect(&lagTimer, &QTimer::timeout, &lagTimer, [&] {
        const qint64 t = lagClock.elapsed();
        if (lastTick > 0) {
            const qint64 lag = t - lastTick - 50;
            windowLagMs = std::max(windowLagMs, lag);
            maxLagMs = std::max(maxLagMs, lag);
        }
        lastTick = t;
    });

    struct Sample
    {
        double t; ///< seconds since start
        qint64 rssKiB, hwmKiB;
        qint64 polls, unknown, consoleFetches, simRequests;
        qint64 lagMs;
        QString faults;
        qint64 consoleStored;
    };
    std::vector<Sample> samples;
    QString faultsNow
        = rotate ? kRotation.first() : (o.faults.isEmpty() ? QStringLiteral("none") : o.faults);
    QElapsedTimer clock;
    auto sample = [&] {
        const auto [rss, hwm] = memoryKiB();
        const auto &st = poller->stats();
        qint64 stored = 0;
        for (const Console &c : consoles)
            stored += c.buffer->storedBytes();
        qint64 fetches = consoleOk;
        for (qint64 n : std::as_const(consoleErrors))
            fetches += n;
        samples.push_back(
            { clock.elapsed() / 1000.0, rss, hwm, st.running + st.notRunning + st.unknown,
              st.unknown, fetches,
              simCount(QStringLiteral("status"), {}) + simCount(QStringLiteral("console"), {}),
              windowLagMs, faultsNow, stored });
        windowLagMs = 0;
        std::fprintf(
            stderr,
            "t=%5.1f s  RSS %.1f MiB  status answers %lld  console fetches %lld  faults %s\n",
            samples.back().t, rss / 1024.0, samples.back().polls, fetches, qPrintable(faultsNow));
    };

    int rotation = 0;
    QTimer faultTimer;
    faultTimer.setTimerType(Qt::PreciseTimer); // coarse timers may fire 5 % early
    faultTimer.setInterval(10'000);
    QObject::connect(&faultTimer, &QTimer::timeout, &faultTimer, [&] {
        rotation = (rotation + 1) % int(kRotation.size());
        faultsNow = kRotation[rotation];
        setFaults(faultsNow);
    });
    QTimer sampleTimer;
    sampleTimer.setTimerType(Qt::PreciseTimer);
    sampleTimer.setInterval(10'000);
    QObject::connect(&sampleTimer, &QTimer::timeout, &sampleTimer, sample);

    std::fprintf(stderr,
                 "soak: %d s (%d s warm-up), %d workspaces (%lld polled), %d consoles every %d ms "
                 "(a console step every %d ms), "
                 "interval %d ms, %d in flight, faults %s; CP %s\n",
                 o.seconds, warmupS, o.workspaces, qlonglong(targets.size()), int(consoles.size()),
                 o.consoleEveryMs, o.consoleStepMs, o.intervalMs, o.concurrency,
                 rotate ? "rotating every 10 s" : qPrintable(faultsNow),
                 qPrintable(base.toString()));
    if (rotate)
        setFaults(faultsNow);
    clock.start();
    poller->start();
    consoleTimer.start();
    lagTimer.start();
    // Faults change 1 s after each sample, so a row's faults are those of most of its window.
    if (rotate)
        QTimer::singleShot(1000, Qt::PreciseTimer, &faultTimer, [&] { faultTimer.start(); });
    // Warm-up, then the first sample ("start") and one every 10 s until the end.
    QTimer::singleShot(warmupS * 1000, Qt::PreciseTimer, &sampleTimer, [&] {
        sample();
        sampleTimer.start();
    });
    QTimer::singleShot(o.seconds * 1000, Qt::PreciseTimer, &app, [&] {
        sampleTimer.stop();
        sample();
        QCoreApplication::quit();
    });
    app.exec();

    // Stop every source of requests, then the simulator, then the client objects.
    poller->stop();
    consoleTimer.stop();
    faultTimer.stop();
    lagTimer.stop();
    const StatusPoller::Stats st = poller->stats();
    QMap<QString, QMap<QString, qint64>> simOutcomes;
    const QStringList outcomes { QStringLiteral("ok"),       QStringLiteral("unauthorized"),
                                 QStringLiteral("rejected"), QStringLiteral("5xx"),
                                 QStringLiteral("429"),      QStringLiteral("malformed"),
                                 QStringLiteral("oversize"), QStringLiteral("drip"),
                                 QStringLiteral("drop"),     QStringLiteral("timeout") };
    for (const QString &route : { QStringLiteral("status"), QStringLiteral("console") }) {
        for (const QString &outcome : outcomes)
            simOutcomes[route][outcome] = simCount(route, outcome);
        simOutcomes[route][QStringLiteral("total")] = simCount(route, {});
    }
    poller.reset();
    onSim([&] {
        delete sim;
        sim = nullptr;
    });
    simThread.quit();
    simThread.wait();
    client.reset();
    nam.reset();

    // Report.
    const Sample &first = samples.front();
    const Sample &last = samples.back();
    // The 25 % mark, but not before 30 s: RSS climbs for the first 20-30 s (buffers, the
    // simulator's retained consoles, allocator arenas) before it levels off.
    const double quarter = std::max(30.0, o.seconds * 0.25);
    const Sample *atQuarter = &first;
    for (const Sample &s : samples) {
        if (s.t + 0.5 >= quarter) {
            atQuarter = &s;
            break;
        }
    }
    std::vector<std::pair<double, double>> secondHalf;
    for (const Sample &s : samples) {
        if (s.t + 0.5 >= o.seconds / 2.0)
            secondHalf.push_back({ s.t / 60.0, double(s.rssKiB) });
    }
    const double slopeKiBPerMin = slope(secondHalf);
    const double growthPct
        = 100.0 * double(last.rssKiB - atQuarter->rssKiB) / double(atQuarter->rssKiB);
    const bool grew = growthPct > o.maxGrowthPct;
    const bool idle = st.running == 0 || consoleOk == 0;
    const bool pass = !grew && !idle;

    std::printf("### Soak (%d s, %d workspaces polled every %d ms with %d in flight, %d consoles "
                "every %d ms, "
                "faults %s)\n\n",
                o.seconds, int(targets.size()), o.intervalMs, o.concurrency, int(consoles.size()),
                o.consoleEveryMs,
                rotate ? qPrintable(QStringLiteral("rotating every 10 s: `")
                                    + kRotation.join(QStringLiteral("` → `")) + u'`')
                       : qPrintable(QStringLiteral("`") + faultsNow + u'`'));
    std::printf("Simulator in this process on its own thread (its memory is in the RSS); consoles "
                "print a step "
                "every %d ms, so the console buffers are at their cap after the warm-up; Qt %s, %d "
                "cores.\n\n",
                o.consoleStepMs, qVersion(), QThread::idealThreadCount());
    std::printf(
        "| t (s) | RSS MiB | peak RSS MiB | status answers | of them unknown | console fetches | "
        "CP requests | console buffers KiB | max loop lag ms | faults (last 9 s of the 10) |\n");
    std::printf("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
    for (const Sample &s : samples) {
        std::printf("| %.0f | %.1f | %.1f | %lld | %lld | %lld | %lld | %lld | %lld | `%s` |\n",
                    s.t, s.rssKiB / 1024.0, s.hwmKiB / 1024.0, s.polls, s.unknown, s.consoleFetches,
                    s.simRequests, s.consoleStored / 1024, s.lagMs, qPrintable(s.faults));
    }
    std::printf("\nClient side (status): %d HTTP calls, %d running, %d not running, %d unknown, at "
                "most %d in flight.\n",
                st.requests, st.running, st.notRunning, st.unknown, st.maxInFlightSeen);
    {
        QList<QPair<qint64, QString>> reasons;
        for (auto it = unknownReasons.cbegin(); it != unknownReasons.cend(); ++it)
            reasons.append({ it.value(), it.key() });
        std::sort(reasons.begin(), reasons.end(), std::greater<>());
        QStringList parts;
        for (const auto &[n, why] :
             std::as_const(reasons).first(std::min<qsizetype>(8, reasons.size())))
            parts << QStringLiteral("%1 × %2").arg(n).arg(why);
        std::printf("Unknown, by reason: %s.\n",
                    parts.isEmpty() ? "none" : qPrintable(parts.join(QStringLiteral(", "))));
    }
    {
        QStringList parts;
        for (auto it = consoleErrors.cbegin(); it != consoleErrors.cend(); ++it)
            parts << QStringLiteral("%1 %2").arg(it.value()).arg(it.key());
        std::printf("Client side (console): %lld fetched and merged (%lld with a gap), %s failed; "
                    "%lld ticks skipped "
                    "while the previous fetch was in flight.\n",
                    consoleOk, consoleGaps,
                    parts.isEmpty() ? "none" : qPrintable(parts.join(QStringLiteral(", "))),
                    consoleSkipped);
    }
    for (auto it = simOutcomes.cbegin(); it != simOutcomes.cend(); ++it) {
        QStringList parts;
        for (auto o2 = it->cbegin(); o2 != it->cend(); ++o2) {
            if (o2.key() != QLatin1String("total") && o2.value() > 0)
                parts << QStringLiteral("%1 %2").arg(o2.value()).arg(o2.key());
        }
        std::printf("CP side (%s): %lld requests: %s.\n", qPrintable(it.key()),
                    it->value(QStringLiteral("total")),
                    qPrintable(parts.join(QStringLiteral(", "))));
    }
    std::printf(
        "\nRSS %.1f MiB after warm-up, %.1f MiB at the 25 %% mark (t=%.0f s, not before 30 s), "
        "%.1f MiB at the end: "
        "%+.1f %% (limit %.0f %%); slope over the second half %+.0f KiB/min; worst event-loop lag "
        "%lld ms.\n",
        first.rssKiB / 1024.0, atQuarter->rssKiB / 1024.0, atQuarter->t, last.rssKiB / 1024.0,
        growthPct, o.maxGrowthPct, slopeKiBPerMin, maxLagMs);
    std::printf("verdict: %s\n\n",
                pass       ? "PASS (memory flat)"
                    : grew ? "FAIL (RSS grew more than the limit)"
                           : "FAIL (no status or console answer came back)");

    std::printf("RESULT soak_rss_start %.1f MiB - -\n", first.rssKiB / 1024.0);
    std::printf("RESULT soak_rss_end %.1f MiB %.1f %.3f\n", last.rssKiB / 1024.0,
                atQuarter->rssKiB / 1024.0, double(last.rssKiB) / double(atQuarter->rssKiB));
    std::printf("RESULT soak_rss_growth %.2f %% %.1f %.3f\n", growthPct, o.maxGrowthPct,
                o.maxGrowthPct > 0 ? growthPct / o.maxGrowthPct : 0.0);
    std::printf("RESULT soak_rss_slope %.1f KiB/min - -\n", slopeKiBPerMin);
    std::printf("RESULT soak_status_answers %d answers - -\n",
                st.running + st.notRunning + st.unknown);
    std::printf("RESULT soak_max_loop_lag %lld ms - -\n", maxLagMs);
    std::printf("VERDICT soak %s\n", pass ? "PASS" : "FAIL");
    return pass ? 0 : 1;
}
