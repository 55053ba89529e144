// Status sweep benchmark: `cpctl status --all` and an in-process CpClient sweep against curl
// --parallel over the same URLs, `cpctl status ID` against one curl call, and the peak RSS of
// the sweep; then the same sweep against a CP 20 ms away (`status.latency=20`), where what
// counts is how many calls are really in flight. Each CP is a `cpctl sim` process on 127.0.0.1
// (a separate process, as a real CP is, and the same one for every client of its run); nothing
// leaves loopback. The clients compared are measured on the same inputs in one run.
//
// Usage: bench_status_sweep [--workspaces N] [--concurrency N] [--runs N] [--single-runs N]
//                           [--latency-workspaces N] [--latency-ms N] [--cpctl PATH]
//                           [--curl PATH]
// Defaults: 10000 workspaces, concurrency 16, 3 sweeps per client (median), 21 single calls;
// at latency: 2000 workspaces (about 1,520 status calls), 20 ms (0 workspaces: no such run).
//
// Besides the markdown tables it prints machine-readable lines for run-benchmarks.sh:
//   RESULT <name> <value> <unit> <baseline> <ratio>      (ratio = value / baseline; "-" if none)

#include "benchprocess.h"
#include "cpclient.h"
#include "workspacesource.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QProcessEnvironment>
#include <QTemporaryDir>
#include <QThread>
#include <QUrl>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <vector>

using namespace cpc;
using namespace cpc::bench;

namespace {

constexpr auto kOrg = "bench-org";

struct Options
{
    int workspaces = 10000;
    int concurrency = 16;
    int runs = 3;
    int singleRuns = 21;
    int latencyWorkspaces = 2000;
    int latencyMs = 20;
    QString cpctl;
    QString curl = QStringLiteral("curl");
};

QString arg(const QStringList &args, int &i)
{
    if (i + 1 >= args.size()) {
        std::fprintf(stderr, "bench_status_sweep: %s needs a value\n", qPrintable(args[i]));
        std::exit(2);
    }
    return args[++i];
}

Options parse(const QStringList &args)
{
    Options o;
    for (int i = 1; i < args.size(); ++i) {
        const QString &a = args[i];
        if (a == QLatin1String("--workspaces"))
            o.workspaces = std::max(1, arg(args, i).toInt());
        else if (a == QLatin1String("--concurrency"))
            o.concurrency = std::max(1, arg(args, i).toInt());
        else if (a == QLatin1String("--runs"))
            o.runs = std::max(1, arg(args, i).toInt());
        else if (a == QLatin1String("--single-runs"))
            o.singleRuns = std::max(1, arg(args, i).toInt());
        else if (a == QLatin1String("--latency-workspaces"))
            o.latencyWorkspaces = std::max(0, arg(args, i).toInt());
        else if (a == QLatin1String("--latency-ms"))
            o.latencyMs = std::max(0, arg(args, i).toInt());
        else if (a == QLatin1String("--cpctl"))
            o.cpctl = arg(args, i);
        else if (a == QLatin1String("--curl"))
            o.curl = arg(args, i);
        else {
            std::fprintf(stderr,
                         "usage: bench_status_sweep [--workspaces N] [--concurrency N] [--runs N] "
                         "[--single-runs N] [--latency-workspaces N] [--latency-ms N] "
                         "[--cpctl PATH] [--curl PATH]\n");
            std::exit(2);
        }
    }
    if (o.cpctl.isEmpty()) {
        for (const QString &c :
             { QStringLiteral(CPC_BINARY_DIR "/app/cpctl"),
               QCoreApplication::applicationDirPath() + QStringLiteral("/../../app/cpctl") }) {
            if (QFile::exists(c)) {
                o.cpctl = QDir::cleanPath(c);
                break;
            }
        }
    }
    return o;
}

QString enc(const QString &s)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(s));
}

void result(const char *name, double value, const char *unit, double baseline)
{
    if (baseline > 0)
        std::printf("RESULT %s %.3f %s %.3f %.3f\n", name, value, unit, baseline, value / baseline);
    else
        std::printf("RESULT %s %.3f %s - -\n", name, value, unit);
}

/// A CP for one run: a `cpctl sim` process on its own database, the rows it lists, and the
/// environment and curl config that reach it.
struct Cp
{
    Child sim;
    QString dir; ///< its database, state, settings and outputs
    QString base, shared, admin;
    QList<QByteArray> env; ///< of every child process talking to it
    QList<WorkspaceRow> rows; ///< what `cpctl status --all` lists
    QList<WorkspaceRow> targets; ///< the rows with an instance: one status call each
    QString runningId; ///< an online row, for the single call
    QString curlConfig; ///< every target's status URL, for curl -K
    QString path(const char *name) const { return dir + u'/' + QLatin1String(name); }
};

/// Starts the simulator (faults: a fault spec, empty for none), waits for its credentials, and
/// lists what the clients are to sweep.
bool startCp(Cp &cp, const Options &o, const QString &dir, int workspaces, const QString &faults)
{
    cp.dir = dir;
    QDir().mkpath(dir);
    const QString dbPath = cp.path("workspaces.sqlite");
    // Environment of every child: the simulator makes up the credentials it enforces and prints
    // them; cpctl sends them, curl gets them as headers. Profiles, settings and state go to the
    // run's directory.
    QProcessEnvironment pe = QProcessEnvironment::systemEnvironment();
    for (const char *k :
         { "CP_PROVISION_URL", "MOLECULE_CP_URL", "MOLECULE_CP_SHARED_SECRET",
           "PROVISION_SHARED_SECRET", "ADMIN_TOKEN", "CP_ADMIN_API_TOKEN", "http_proxy",
           "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY" })
        pe.remove(QString::fromLatin1(k));
    pe.insert(QStringLiteral("MOLECULE_ORG_ID"), QLatin1String(kOrg));
    pe.insert(QStringLiteral("CPCONSOLE_DB"), QStringLiteral("sqlite:") + dbPath);
    pe.insert(QStringLiteral("CPCONSOLE_STATE"), cp.path("state.sqlite"));
    pe.insert(QStringLiteral("XDG_CONFIG_HOME"), cp.path("config"));
    pe.insert(QStringLiteral("XDG_DATA_HOME"), cp.path("data"));
    pe.insert(QStringLiteral("NO_PROXY"), QStringLiteral("127.0.0.1,localhost"));
    pe.insert(QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("cpc.*.debug=false"));
    auto envOf = [](const QProcessEnvironment &e) {
        QList<QByteArray> env;
        for (const QString &kv : e.toStringList())
            env << kv.toLocal8Bit();
        return env;
    };

    // The simulator, as its own process.
    std::fprintf(stderr, "starting cpctl sim with %d workspaces%s%s...\n", workspaces,
                 faults.isEmpty() ? "" : ", faults ", qPrintable(faults));
    QStringList argv { o.cpctl,
                       QStringLiteral("--db"),
                       QStringLiteral("sqlite:") + dbPath,
                       QStringLiteral("sim"),
                       QStringLiteral("--workspaces"),
                       QString::number(workspaces) };
    if (!faults.isEmpty())
        argv << QStringLiteral("--faults") << faults;
    if (!cp.sim.start(argv, envOf(pe), cp.path("sim.out"), cp.path("sim.err")))
        return false;
    for (QElapsedTimer t; !t.isValid() || t.elapsed() < 180'000;) {
        if (!t.isValid())
            t.start();
        const QByteArray text = readFile(cp.path("sim.out"));
        if (text.contains("# stop with Ctrl+C")) {
            for (const QByteArray &line : text.split('\n')) {
                const QString value = QString::fromUtf8(line.mid(line.indexOf('=') + 1)).trimmed();
                if (line.startsWith("export CP_PROVISION_URL="))
                    cp.base = value;
                else if (line.startsWith("export MOLECULE_CP_SHARED_SECRET="))
                    cp.shared = value;
                else if (line.startsWith("export ADMIN_TOKEN="))
                    cp.admin = value;
            }
            break;
        }
        if (hasExited(cp.sim.pid()))
            break;
        QThread::msleep(20);
    }
    if (cp.base.isEmpty() || cp.shared.isEmpty() || cp.admin.isEmpty()) {
        std::fprintf(stderr, "bench_status_sweep: the simulator did not start:\n%s%s\n",
                     readFile(cp.path("sim.out")).constData(),
                     readFile(cp.path("sim.err")).constData());
        return false;
    }
    pe.insert(QStringLiteral("CP_PROVISION_URL"), cp.base);
    pe.insert(QStringLiteral("MOLECULE_CP_SHARED_SECRET"), cp.shared);
    pe.insert(QStringLiteral("ADMIN_TOKEN"), cp.admin);
    cp.env = envOf(pe);

    // The rows `cpctl status --all` sweeps, and the same status URLs for curl.
    SourceOptions so;
    so.readOnly = true;
    auto source = WorkspaceSource::open(QStringLiteral("sqlite:") + dbPath, so);
    if (!source) {
        std::fprintf(stderr, "bench_status_sweep: %s\n", qPrintable(source.error().message));
        return false;
    }
    auto listed = source.value()->list({});
    if (!listed) {
        std::fprintf(stderr, "bench_status_sweep: %s\n", qPrintable(listed.error().message));
        return false;
    }
    cp.rows = std::move(listed.value());
    for (const WorkspaceRow &r : std::as_const(cp.rows)) {
        if (r.instanceId.isEmpty())
            continue;
        cp.targets << r;
        if (cp.runningId.isEmpty() && r.status == QLatin1String("online"))
            cp.runningId = r.id;
    }
    cp.curlConfig = cp.path("curl-sweep.cfg");
    QFile cfg(cp.curlConfig);
    if (!cfg.open(QIODevice::WriteOnly))
        return false;
    cfg.write("header = \"Authorization: Bearer " + cp.shared.toUtf8() + "\"\n");
    cfg.write("header = \"X-Molecule-Admin-Token: " + cp.admin.toUtf8() + "\"\n");
    cfg.write("header = \"Accept: application/json\"\n");
    cfg.write("user-agent = \"cpconsole/bench\"\n");
    for (const WorkspaceRow &r : std::as_const(cp.targets)) {
        cfg.write(QStringLiteral("url = \"%1/cp/workspaces/%2/status?instance_id=%3\"\n")
                      .arg(cp.base, enc(r.id), enc(r.instanceId))
                      .toUtf8());
        cfg.write("output = \"/dev/null\"\n");
    }
    return true;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const Options o = parse(app.arguments());
    if (o.cpctl.isEmpty() || !QFile::exists(o.cpctl)) {
        std::fprintf(stderr,
                     "bench_status_sweep: cpctl not found (build it, or pass --cpctl PATH)\n");
        return 2;
    }
    QTemporaryDir tmp;
    if (!tmp.isValid())
        return 2;
    const QString loadBefore = loadAvg();
    Cp cp;
    if (!startCp(cp, o, tmp.filePath(QStringLiteral("loopback")), o.workspaces, {}))
        return 1;
    auto out = [&](const char *n) {
        return tmp.filePath(QString::fromLatin1(n));
    };
    const QList<WorkspaceRow> &rows = cp.rows;
    const QList<WorkspaceRow> &targets = cp.targets;
    const QString &runningId = cp.runningId;
    const QString &base = cp.base;
    const QString &shared = cp.shared;
    const QString &admin = cp.admin;
    Child &sim = cp.sim;
    const QList<QByteArray> &env = cp.env;
    const int requests = int(targets.size());
    Cp *on = &cp; // the CP the sweeps below go to
    const QString singleUrl = [&] {
        for (const WorkspaceRow &r : targets) {
            if (r.id == runningId)
                return QStringLiteral("%1/cp/workspaces/%2/status?instance_id=%3")
                    .arg(base, enc(r.id), enc(r.instanceId));
        }
        return QString();
    }();
    const QStringList curlHeaders {
        QStringLiteral("-H"), QStringLiteral("Authorization: Bearer ") + shared,
        QStringLiteral("-H"), QStringLiteral("X-Molecule-Admin-Token: ") + admin,
        QStringLiteral("-H"), QStringLiteral("Accept: application/json"),
        QStringLiteral("-A"), QStringLiteral("cpconsole/bench")
    };

    auto statusRequests = [&]() -> qint64 { // from the simulator's own count
        Child c;
        if (!c.start({ o.curl, QStringLiteral("-s"), on->base + QStringLiteral("/sim/stats") },
                     on->env, out("stats.json"), out("stats.err")))
            return -1;
        c.wait(10'000);
        const QJsonObject j = QJsonDocument::fromJson(readFile(out("stats.json"))).object();
        return j.value(QStringLiteral("requests"))
            .toObject()
            .value(QStringLiteral("status"))
            .toObject()
            .value(QStringLiteral("total"))
            .toInteger(-1);
    };

    struct Sweep
    {
        std::vector<double> ms;
        std::vector<double> cpuMs; ///< the client's user + system time
        std::vector<double> simCpuMs; ///< the simulator's, during the sweep
        long maxRssKiB = 0;
        qint64 simRequests = -1; ///< status requests the simulator saw, per sweep (last one)
        QString check; ///< what the client reported, for the notes column
        bool failed = false;
    };
    auto runSweep = [&](Sweep &s, const QStringList &argv, const QString &stdoutName,
                        const std::function<QString(const QByteArray &)> &verify) {
        const qint64 before = statusRequests();
        const double simCpu0 = processCpuMs(on->sim.pid());
        Child c;
        if (!c.start(argv, on->env, out(qPrintable(stdoutName)), out("sweep.err"))) {
            s.failed = true;
            return;
        }
        const Child::Exit x = c.wait(300'000);
        s.simCpuMs.push_back(processCpuMs(on->sim.pid()) - simCpu0);
        s.simRequests = statusRequests() - before;
        if (x.timedOut || (x.code != 0 && x.code != 4)) {
            std::fprintf(stderr, "bench_status_sweep: %s exited %d%s: %s\n",
                         qPrintable(argv.join(u' ')), x.code, x.timedOut ? " (timed out)" : "",
                         readFile(out("sweep.err")).left(500).constData());
            s.failed = true;
        }
        s.ms.push_back(x.wallMs);
        s.cpuMs.push_back(x.cpuMs);
        s.maxRssKiB = std::max(s.maxRssKiB, x.maxRssKiB);
        s.check = verify(readFile(out(qPrintable(stdoutName))));
    };
    const QStringList cpctlSweep { o.cpctl, QStringLiteral("status"), QStringLiteral("--all"),
                                   QStringLiteral("--concurrency"),
                                   QString::number(o.concurrency) };
    auto curlSweepArgs = [&](int parallel) {
        return QStringList { o.curl,
                             QStringLiteral("--parallel"),
                             QStringLiteral("--parallel-max"),
                             QString::number(parallel),
                             QStringLiteral("-s"),
                             QStringLiteral("-K"),
                             on->curlConfig,
                             QStringLiteral("-w"),
                             QStringLiteral("%{http_code}\\n") };
    };
    auto verifyCpctl = [](const QByteArray &text) {
        int running = 0, notRunning = 0, unknown = 0;
        for (const QByteArray &line : text.split('\n')) {
            const QByteArray state = line.split('\t').value(1);
            running += state == "running";
            notRunning += state == "not-running";
            unknown += state == "unknown";
        }
        return QStringLiteral("%1 running, %2 not running, %3 unknown")
            .arg(running)
            .arg(notRunning)
            .arg(unknown);
    };
    auto verifyCurl = [](const QByteArray &text) {
        int ok = 0, other = 0;
        for (const QByteArray &line : text.split('\n')) {
            if (line.isEmpty())
                continue;
            (line == "200" ? ok : other)++;
        }
        return QStringLiteral("%1 × 200, %2 other").arg(ok).arg(other);
    };

    // 3. In-process: our CpClient with the same bound on requests in flight as cpctl (and as
    // many status connections, as cpctl and the poller ask for).
    auto inProcessSweep = [&](Sweep &s) {
        CpConfig cfg;
        cfg.orgId = QLatin1String(kOrg);
        cfg.baseUrl = QUrl(on->base);
        cfg.sharedSecret = Secret(on->shared);
        cfg.adminToken = Secret(on->admin);
        cfg.adminApiKey = cfg.sharedSecret;
        QNetworkAccessManager nam;
        CpClient client(&nam, cfg);
        client.setStatusConcurrency(o.concurrency);
        const QList<WorkspaceRow> &targets = on->targets;
        const int requests = int(targets.size());
        const qint64 before = statusRequests();
        int next = 0, done = 0, inFlight = 0, running = 0, unknown = 0;
        QEventLoop loop;
        const double simCpu0 = processCpuMs(on->sim.pid());
        const double cpu0 = selfCpuMs();
        QElapsedTimer t;
        t.start();
        std::function<void()> pump = [&] {
            while (inFlight < o.concurrency && next < requests) {
                const WorkspaceRow &r = targets[next++];
                ++inFlight;
                client.status(r.id, r.instanceId, &loop, [&](const StatusResult &res) {
                    --inFlight;
                    ++done;
                    running += res.state == RunState::Running;
                    unknown += res.state == RunState::Unknown;
                    if (done == requests)
                        loop.quit();
                    else
                        pump();
                });
            }
        };
        pump();
        if (requests > 0)
            loop.exec();
        s.ms.push_back(double(t.nsecsElapsed()) / 1e6);
        s.cpuMs.push_back(selfCpuMs() - cpu0);
        s.simCpuMs.push_back(processCpuMs(on->sim.pid()) - simCpu0);
        s.simRequests = statusRequests() - before;
        s.check = QStringLiteral("%1 running, %2 other, %3 unknown")
                      .arg(running)
                      .arg(done - running - unknown)
                      .arg(unknown);
    };

    Sweep cpctl, inproc, curl16, curl6;
    std::fprintf(stderr, "%d rows listed, %d status URLs; warm-up sweep...\n", int(rows.size()),
                 requests);
    {
        Sweep warm;
        runSweep(warm, cpctlSweep, QStringLiteral("warm.out"), verifyCpctl);
        runSweep(warm, curlSweepArgs(o.concurrency), QStringLiteral("warm-curl.out"), verifyCurl);
    }
    // Interleaved, so a burst of load from elsewhere on the machine hits every client alike.
    for (int run = 0; run < o.runs; ++run) {
        std::fprintf(stderr, "sweep run %d/%d\n", run + 1, o.runs);
        runSweep(cpctl, cpctlSweep, QStringLiteral("cpctl.out"), verifyCpctl);
        runSweep(curl16, curlSweepArgs(o.concurrency), QStringLiteral("curl.out"), verifyCurl);
        inProcessSweep(inproc);
        runSweep(curl6, curlSweepArgs(6), QStringLiteral("curl6.out"), verifyCurl);
    }

    // 4. One status call: cpctl status ID (process start to exit) against one curl call.
    std::vector<double> cpctlOne, curlOne, cpctlVersion, cpctlOneCpu, curlOneCpu, versionCpu;
    long cpctlOneRss = 0, curlOneRss = 0;
    int cpctlOneBad = 0;
    for (int i = 0; i < o.singleRuns + 1; ++i) { // the first of each is a warm-up
        Child a, b, v;
        a.start({ o.cpctl, QStringLiteral("status"), runningId }, env, out("one.out"),
                out("one.err"));
        const Child::Exit xa = a.wait(60'000);
        QStringList curlArgs { o.curl, QStringLiteral("-s"), QStringLiteral("-o"),
                               QStringLiteral("/dev/null") };
        curlArgs << curlHeaders << singleUrl;
        b.start(curlArgs, env, out("one-curl.out"), out("one-curl.err"));
        const Child::Exit xb = b.wait(60'000);
        v.start({ o.cpctl, QStringLiteral("--version") }, env, out("version.out"),
                out("version.err"));
        const Child::Exit xv = v.wait(60'000);
        if (i == 0)
            continue;
        cpctlOneBad += xa.code != 0;
        cpctlOne.push_back(xa.wallMs);
        curlOne.push_back(xb.wallMs);
        cpctlVersion.push_back(xv.wallMs);
        cpctlOneCpu.push_back(xa.cpuMs);
        curlOneCpu.push_back(xb.cpuMs);
        versionCpu.push_back(xv.cpuMs);
        cpctlOneRss = std::max(cpctlOneRss, xa.maxRssKiB);
        curlOneRss = std::max(curlOneRss, xb.maxRssKiB);
    }
    sim.terminate();

    // 5. The same sweep against a CP that takes latencyMs to answer each status call, as one
    // across a network does: here the calls really in flight are what counts.
    Sweep latCpctl, latInproc, latCurl16, latCurl6;
    Cp lat;
    const bool latency = o.latencyWorkspaces > 0;
    if (latency) {
        if (!startCp(lat, o, tmp.filePath(QStringLiteral("latency")), o.latencyWorkspaces,
                     QStringLiteral("status.latency=%1").arg(o.latencyMs)))
            return 1;
        on = &lat;
        std::fprintf(stderr, "%d status URLs at %d ms; warm-up sweep...\n", int(lat.targets.size()),
                     o.latencyMs);
        Sweep warm;
        runSweep(warm, cpctlSweep, QStringLiteral("warm.out"), verifyCpctl);
        runSweep(warm, curlSweepArgs(o.concurrency), QStringLiteral("warm-curl.out"), verifyCurl);
        for (int run = 0; run < o.runs; ++run) {
            std::fprintf(stderr, "sweep at %d ms, run %d/%d\n", o.latencyMs, run + 1, o.runs);
            runSweep(latCpctl, cpctlSweep, QStringLiteral("cpctl.out"), verifyCpctl);
            runSweep(latCurl16, curlSweepArgs(o.concurrency), QStringLiteral("curl.out"),
                     verifyCurl);
            inProcessSweep(latInproc);
            runSweep(latCurl6, curlSweepArgs(6), QStringLiteral("curl6.out"), verifyCurl);
        }
        lat.sim.terminate();
    }
    const QString loadAfter = loadAvg();

    // 6. Report.
    auto table = [&](const Cp &c, const char *cpSpec, const Sweep &cpctlS, const Sweep &inprocS,
                     const Sweep &curlS, const Sweep &curl6S) {
        const int n = int(c.targets.size());
        const double curlMs = median(curlS.ms), curlCpu = median(curlS.cpuMs);
        auto row = [&](const char *what, const Sweep &s, bool baseline) {
            const double ms = median(s.ms), cpu = median(s.cpuMs);
            QStringList each;
            for (double v : s.ms)
                each << QString::number(v, 'f', 0);
            std::printf(
                "| %s | %.0f (%s) | %.0f | %.0f | %.0f | %s | %s | %s | %lld | %s |\n", what, ms,
                qPrintable(each.join(QStringLiteral(", "))), n / (ms / 1000.0), cpu,
                median(s.simCpuMs),
                s.maxRssKiB ? qPrintable(QString::number(s.maxRssKiB / 1024.0, 'f', 1)) : "",
                baseline ? "1.00 (baseline)" : qPrintable(QString::number(ms / curlMs, 'f', 2)),
                baseline ? "1.00 (baseline)" : qPrintable(QString::number(cpu / curlCpu, 'f', 2)),
                s.simRequests, qPrintable(s.check));
        };
        std::printf("CP: `cpctl sim %s` as its own process on 127.0.0.1; %d cores; "
                    "load average %s before, %s after; Qt %s.\n\n",
                    cpSpec, QThread::idealThreadCount(), qPrintable(loadBefore),
                    qPrintable(loadAfter), qVersion());
        std::printf("| client | wall ms (each run) | requests/s | client CPU ms | CP CPU ms | "
                    "peak RSS MiB | wall vs curl | CPU vs curl | requests seen by the CP | "
                    "client's answers |\n");
        std::printf("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        char label[160];
        std::snprintf(label, sizeof label,
                      "`cpctl status --all --concurrency %d` (process start to exit)",
                      o.concurrency);
        row(label, cpctlS, false);
        std::snprintf(label, sizeof label,
                      "CpClient in-process, %d in flight (no process start, no DB)", o.concurrency);
        row(label, inprocS, false);
        std::snprintf(label, sizeof label, "`curl --parallel --parallel-max %d -K urls` (baseline)",
                      o.concurrency);
        row(label, curlS, true);
        row("`curl --parallel --parallel-max 6 -K urls` (6 connections, as a client that opens "
            "at most 6 per host)",
            curl6S, false);
    };
    std::printf("### Status sweep (%d workspaces listed, %d status requests, concurrency %d, "
                "median of %d sweeps)\n\n",
                int(rows.size()), requests, o.concurrency, o.runs);
    const QByteArray loopSpec = "--workspaces " + QByteArray::number(o.workspaces);
    table(cp, loopSpec.constData(), cpctl, inproc, curl16, curl6);
    std::printf("\nCPU is user + system time (wait4 for child processes, getrusage for the "
                "in-process sweep; the CP's from /proc); on a shared machine it is steadier than "
                "wall time. The same number of requests for every client: the CPU ratio is also "
                "the ratio of CPU per request.\n");
    if (latency) {
        std::printf("\n### Status sweep at %d ms (%d workspaces listed, %d status requests, "
                    "concurrency %d, median of %d sweeps)\n\n",
                    o.latencyMs, int(lat.rows.size()), int(lat.targets.size()), o.concurrency,
                    o.runs);
        const QByteArray latSpec = "--workspaces " + QByteArray::number(o.latencyWorkspaces)
            + " --faults status.latency=" + QByteArray::number(o.latencyMs);
        table(lat, latSpec.constData(), latCpctl, latInproc, latCurl16, latCurl6);
        std::printf("\nEach status answer leaves the CP %d ms after its request: a sweep of n "
                    "calls with k in flight takes at least n / k × %d ms.\n",
                    o.latencyMs, o.latencyMs);
    }
    std::printf("\n### One status call (median of %d, process start to exit)\n\n", o.singleRuns);
    std::printf("| command | median ms | min ms | max ms | CPU ms | peak RSS MiB | wall vs curl | "
                "CPU vs curl |\n"
                "|---|---:|---:|---:|---:|---:|---:|---:|\n");
    const double curlOneMs = median(curlOne), curlOneCpuMs = median(curlOneCpu);
    auto one = [&](const char *what, const std::vector<double> &v, const std::vector<double> &cpu,
                   long rss, bool baseline) {
        std::printf("| %s | %.1f | %.1f | %.1f | %.1f | %s | %s | %s |\n", what, median(v),
                    *std::min_element(v.begin(), v.end()), *std::max_element(v.begin(), v.end()),
                    median(cpu), rss ? qPrintable(QString::number(rss / 1024.0, 'f', 1)) : "",
                    baseline ? "1.00 (baseline)"
                             : qPrintable(QString::number(median(v) / curlOneMs, 'f', 2)),
                    baseline ? "1.00 (baseline)"
                             : qPrintable(QString::number(median(cpu) / curlOneCpuMs, 'f', 2)));
    };
    one("`cpctl status ID` (running; exit 0)", cpctlOne, cpctlOneCpu, cpctlOneRss, false);
    one("`cpctl --version` (process floor: Qt start-up, no DB, no HTTP)", cpctlVersion, versionCpu,
        0, false);
    one("`curl -s -o /dev/null -H … URL` (baseline)", curlOne, curlOneCpu, curlOneRss, true);
    if (cpctlOneBad)
        std::printf("\n%d of %d `cpctl status ID` calls did not exit 0 (see above).\n", cpctlOneBad,
                    o.singleRuns);
    std::printf("\n");

    const double curlMs = median(curl16.ms), curlCpu = median(curl16.cpuMs);
    result("status_sweep_cpctl", median(cpctl.ms), "ms", curlMs);
    result("status_sweep_inprocess", median(inproc.ms), "ms", curlMs);
    result("status_sweep_curl", curlMs, "ms", 0);
    result("status_sweep_cpctl_cpu", median(cpctl.cpuMs), "ms", curlCpu);
    result("status_sweep_inprocess_cpu", median(inproc.cpuMs), "ms", curlCpu);
    result("status_single_cpctl_cpu", median(cpctlOneCpu), "ms", curlOneCpuMs);
    result("status_sweep_cpctl_rps", requests / (median(cpctl.ms) / 1000.0), "req/s",
           requests / (curlMs / 1000.0));
    result("status_single_cpctl", median(cpctlOne), "ms", curlOneMs);
    result("status_single_floor", median(cpctlVersion), "ms", curlOneMs);
    result("status_sweep_peak_rss", cpctl.maxRssKiB / 1024.0, "MiB", curl16.maxRssKiB / 1024.0);
    if (latency) {
        const double latCurlMs = median(latCurl16.ms), latCurlCpu = median(latCurl16.cpuMs);
        result("status_sweep_latency_cpctl", median(latCpctl.ms), "ms", latCurlMs);
        result("status_sweep_latency_inprocess", median(latInproc.ms), "ms", latCurlMs);
        result("status_sweep_latency_curl", latCurlMs, "ms", 0);
        result("status_sweep_latency_curl6", median(latCurl6.ms), "ms", latCurlMs);
        result("status_sweep_latency_cpctl_cpu", median(latCpctl.cpuMs), "ms", latCurlCpu);
    }
    const bool bad = cpctl.failed || curl16.failed || inproc.failed || cpctlOneBad
        || latCpctl.failed || latCurl16.failed || latInproc.failed;
    return bad ? 1 : 0;
}
