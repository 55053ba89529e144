// Status sweep benchmark: `cpctl status --all` and an in-process CpClient sweep against curl
// --parallel over the same URLs, `cpctl status ID` against one curl call, and the peak RSS of
// the sweep. The CP is a `cpctl sim` process on 127.0.0.1 (a separate process, as a real CP
// is, and the same one for every client); nothing leaves loopback. One benchmark over 600 lines:
// the clients it compares are measured on the same inputs in one run.
//
// Usage: bench_status_sweep [--workspaces N] [--concurrency N] [--runs N] [--single-runs N]
//                           [--cpctl PATH] [--curl PATH]
// Defaults: 10000 workspaces, concurrency 16, 3 sweeps per client (median), 21 single calls.
//
// Besides the markdown tables it prints machine-readable lines for run-benchmarks.sh:
//   RESULT <name> <value> <unit> <baseline> <ratio>      (ratio = value / baseline; "-" if none)

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
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <functional>
#include <poll.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

using namespace cpc;

namespace {

constexpr auto kOrg = "bench-org";

qint64 monoNs()
{
    timespec ts {};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return qint64(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

double median(std::vector<double> v)
{
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    const size_t n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

QString loadAvg()
{
    QFile f(QStringLiteral("/proc/loadavg"));
    if (!f.open(QIODevice::ReadOnly))
        return QStringLiteral("?");
    return QString::fromLatin1(f.readAll()).section(u' ', 0, 2);
}

/// True once the child has exited; it stays a zombie for wait4().
bool hasExited(pid_t pid)
{
    siginfo_t info {};
    return waitid(P_PID, id_t(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == pid;
}

/// A child process started with posix_spawn, so that wall time is process start to exit and
/// its peak RSS (VmHWM, sampled every 2 ms while it runs) is its own.
class Child
{
public:
    struct Exit
    {
        int code = -1; ///< exit status, or 128 + signal
        double wallMs = 0;
        double cpuMs = 0; ///< user + system
        long maxRssKiB = 0;
        bool timedOut = false;
    };

    bool start(const QStringList &argv, const QList<QByteArray> &env, const QString &out,
               const QString &err)
    {
        std::vector<QByteArray> a;
        for (const QString &s : argv)
            a.push_back(s.toLocal8Bit());
        std::vector<char *> av, ev;
        for (QByteArray &s : a)
            av.push_back(s.data());
        av.push_back(nullptr);
        QList<QByteArray> e = env;
        for (QByteArray &s : e)
            ev.push_back(s.data());
        ev.push_back(nullptr);
        const QByteArray o = out.toLocal8Bit(), r = err.toLocal8Bit();
        posix_spawn_file_actions_t fa;
        posix_spawn_file_actions_init(&fa);
        posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
        posix_spawn_file_actions_addopen(&fa, 1, o.constData(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        posix_spawn_file_actions_addopen(&fa, 2, r.constData(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        m_hwmKiB = 0;
        m_startNs = monoNs();
        const int rc = posix_spawnp(&m_pid, av[0], &fa, nullptr, av.data(), ev.data());
        posix_spawn_file_actions_destroy(&fa);
        if (rc != 0) {
            std::fprintf(stderr, "bench_status_sweep: cannot start %s: %s\n", av[0], strerror(rc));
            m_pid = -1;
            return false;
        }
        m_pidfd = int(syscall(SYS_pidfd_open, m_pid, 0));
        return true;
    }

    /// Waits at most timeoutMs, then kills the child (a hung client must not hang the bench).
    Exit wait(int timeoutMs)
    {
        Exit x;
        if (m_pid <= 0)
            return x;
        const qint64 deadline = monoNs() + qint64(timeoutMs) * 1'000'000;
        for (;;) {
            const qint64 left = (deadline - monoNs()) / 1'000'000;
            if (left <= 0) {
                kill(m_pid, SIGKILL);
                x.timedOut = true;
                break;
            }
            m_hwmKiB = std::max(m_hwmKiB, hwmKiB(m_pid));
            if (m_pidfd >= 0) {
                pollfd p { m_pidfd, POLLIN, 0 };
                if (poll(&p, 1, int(std::min<qint64>(left, 2))) > 0)
                    break;
            } else {
                if (hasExited(m_pid)) // not reaped: wait4 below
                    break;
                usleep(200);
            }
        }
        int status = 0;
        rusage ru {};
        while (wait4(m_pid, &status, 0, &ru) < 0 && errno == EINTR) { }
        x.wallMs = double(monoNs() - m_startNs) / 1e6;
        x.maxRssKiB = m_hwmKiB;
        x.cpuMs = (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3
            + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
        x.code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        if (m_pidfd >= 0)
            close(m_pidfd);
        m_pidfd = -1;
        m_pid = -1;
        return x;
    }

    void terminate()
    {
        if (m_pid > 0) {
            kill(m_pid, SIGTERM);
            wait(5000);
        }
    }

    pid_t pid() const { return m_pid; }
    ~Child() { terminate(); }

private:
    /// VmHWM of a running process. Not ru_maxrss from wait4(): Linux folds the RSS of the
    /// image replaced by exec (here this benchmark's, through posix_spawn's vfork) into it.
    static long hwmKiB(pid_t pid)
    {
        char path[64];
        std::snprintf(path, sizeof path, "/proc/%d/status", int(pid));
        FILE *f = std::fopen(path, "r");
        if (!f)
            return 0;
        char line[256];
        long kib = 0;
        while (std::fgets(line, sizeof line, f)) {
            if (std::strncmp(line, "VmHWM:", 6) == 0) {
                kib = std::atol(line + 6);
                break;
            }
        }
        std::fclose(f);
        return kib;
    }

    pid_t m_pid = -1;
    int m_pidfd = -1;
    long m_hwmKiB = 0;
    qint64 m_startNs = 0;
};

/// CPU time (user + system) of a running process, from /proc/PID/stat.
double processCpuMs(pid_t pid)
{
    QFile f(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    const QByteArray text = f.readAll();
    const QList<QByteArray> fields = text.mid(text.lastIndexOf(')') + 2).split(' ');
    // Fields after the command: state is field 3, utime 14, stime 15 (1-based in proc(5)).
    const double ticks = fields.value(11).toDouble() + fields.value(12).toDouble();
    return ticks * 1000.0 / double(sysconf(_SC_CLK_TCK));
}

double selfCpuMs()
{
    rusage ru {};
    getrusage(RUSAGE_SELF, &ru);
    return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3
        + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

struct Options
{
    int workspaces = 10000;
    int concurrency = 16;
    int runs = 3;
    int singleRuns = 21;
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
        else if (a == QLatin1String("--cpctl"))
            o.cpctl = arg(args, i);
        else if (a == QLatin1String("--curl"))
            o.curl = arg(args, i);
        else {
            std::fprintf(stderr,
                         "usage: bench_status_sweep [--workspaces N] [--concurrency N] [--runs N] "
                         "[--single-runs N] [--cpctl PATH] [--curl PATH]\n");
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
    const QString dbPath = tmp.filePath(QStringLiteral("workspaces.sqlite"));
    const QString loadBefore = loadAvg();

    // Environment of every child: the simulator makes up the credentials it enforces and prints
    // them; cpctl sends them, curl gets them as headers. Profiles, settings and state go to the
    // temporary directory.
    QProcessEnvironment pe = QProcessEnvironment::systemEnvironment();
    for (const char *k :
         { "CP_PROVISION_URL", "MOLECULE_CP_URL", "MOLECULE_CP_SHARED_SECRET",
           "PROVISION_SHARED_SECRET", "ADMIN_TOKEN", "CP_ADMIN_API_TOKEN", "http_proxy",
           "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY" })
        pe.remove(QString::fromLatin1(k));
    pe.insert(QStringLiteral("MOLECULE_ORG_ID"), QLatin1String(kOrg));
    pe.insert(QStringLiteral("CPCONSOLE_DB"), QStringLiteral("sqlite:") + dbPath);
    pe.insert(QStringLiteral("CPCONSOLE_STATE"), tmp.filePath(QStringLiteral("state.sqlite")));
    pe.insert(QStringLiteral("XDG_CONFIG_HOME"), tmp.filePath(QStringLiteral("config")));
    pe.insert(QStringLiteral("XDG_DATA_HOME"), tmp.filePath(QStringLiteral("data")));
    pe.insert(QStringLiteral("NO_PROXY"), QStringLiteral("127.0.0.1,localhost"));
    pe.insert(QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("cpc.*.debug=false"));
    QList<QByteArray> env;
    for (const QString &kv : pe.toStringList())
        env << kv.toLocal8Bit();
    auto out = [&](const char *n) {
        return tmp.filePath(QString::fromLatin1(n));
    };

    // 1. The simulator, as its own process.
    std::fprintf(stderr, "starting cpctl sim with %d workspaces...\n", o.workspaces);
    Child sim;
    if (!sim.start({ o.cpctl, QStringLiteral("--db"), QStringLiteral("sqlite:") + dbPath,
                     QStringLiteral("sim"), QStringLiteral("--workspaces"),
                     QString::number(o.workspaces) },
                   env, out("sim.out"), out("sim.err")))
        return 1;
    QString base, shared, admin;
    for (QElapsedTimer t; !t.isValid() || t.elapsed() < 180'000;) {
        if (!t.isValid())
            t.start();
        const QByteArray text = readFile(out("sim.out"));
        if (text.contains("# stop with Ctrl+C")) {
            for (const QByteArray &line : text.split('\n')) {
                const QString value = QString::fromUtf8(line.mid(line.indexOf('=') + 1)).trimmed();
                if (line.startsWith("export CP_PROVISION_URL="))
                    base = value;
                else if (line.startsWith("export MOLECULE_CP_SHARED_SECRET="))
                    shared = value;
                else if (line.startsWith("export ADMIN_TOKEN="))
                    admin = value;
            }
            break;
        }
        if (hasExited(sim.pid()))
            break;
        QThread::msleep(20);
    }
    if (base.isEmpty() || shared.isEmpty() || admin.isEmpty()) {
        std::fprintf(stderr, "bench_status_sweep: the simulator did not start:\n%s%s\n",
                     readFile(out("sim.out")).constData(), readFile(out("sim.err")).constData());
        return 1;
    }
    pe.insert(QStringLiteral("CP_PROVISION_URL"), base);
    pe.insert(QStringLiteral("MOLECULE_CP_SHARED_SECRET"), shared);
    pe.insert(QStringLiteral("ADMIN_TOKEN"), admin);
    env.clear();
    for (const QString &kv : pe.toStringList())
        env << kv.toLocal8Bit();

    // 2. The rows `cpctl status --all` sweeps, and the same status URLs for curl.
    SourceOptions so;
    so.readOnly = true;
    auto source = WorkspaceSource::open(QStringLiteral("sqlite:") + dbPath, so);
    if (!source) {
        std::fprintf(stderr, "bench_status_sweep: %s\n", qPrintable(source.error().message));
        return 1;
    }
    auto listed = source.value()->list({});
    if (!listed) {
        std::fprintf(stderr, "bench_status_sweep: %s\n", qPrintable(listed.error().message));
        return 1;
    }
    const QList<WorkspaceRow> rows = std::move(listed.value());
    QList<WorkspaceRow> targets;
    QString runningId;
    for (const WorkspaceRow &r : rows) {
        if (r.instanceId.isEmpty())
            continue;
        targets << r;
        if (runningId.isEmpty() && r.status == QLatin1String("online"))
            runningId = r.id;
    }
    const int requests = int(targets.size());
    {
        QFile cfg(out("curl-sweep.cfg"));
        if (!cfg.open(QIODevice::WriteOnly))
            return 1;
        cfg.write("header = \"Authorization: Bearer " + shared.toUtf8() + "\"\n");
        cfg.write("header = \"X-Molecule-Admin-Token: " + admin.toUtf8() + "\"\n");
        cfg.write("header = \"Accept: application/json\"\n");
        cfg.write("user-agent = \"cpconsole/bench\"\n");
        for (const WorkspaceRow &r : std::as_const(targets)) {
            cfg.write(QStringLiteral("url = \"%1/cp/workspaces/%2/status?instance_id=%3\"\n")
                          .arg(base, enc(r.id), enc(r.instanceId))
                          .toUtf8());
            cfg.write("output = \"/dev/null\"\n");
        }
    }
    const QString singleUrl = [&] {
        for (const WorkspaceRow &r : std::as_const(targets)) {
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
        if (!c.start({ o.curl, QStringLiteral("-s"), base + QStringLiteral("/sim/stats") }, env,
                     out("stats.json"), out("stats.err")))
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
        const double simCpu0 = processCpuMs(sim.pid());
        Child c;
        if (!c.start(argv, env, out(qPrintable(stdoutName)), out("sweep.err"))) {
            s.failed = true;
            return;
        }
        const Child::Exit x = c.wait(300'000);
        s.simCpuMs.push_back(processCpuMs(sim.pid()) - simCpu0);
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
                             out("curl-sweep.cfg"),
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

    // 3. In-process: our CpClient with the same bound on requests in flight as cpctl.
    auto inProcessSweep = [&](Sweep &s) {
        CpConfig cfg;
        cfg.orgId = QLatin1String(kOrg);
        cfg.baseUrl = QUrl(base);
        cfg.sharedSecret = Secret(shared);
        cfg.adminToken = Secret(admin);
        cfg.adminApiKey = cfg.sharedSecret;
        QNetworkAccessManager nam;
        CpClient client(&nam, cfg);
        const qint64 before = statusRequests();
        int next = 0, done = 0, inFlight = 0, running = 0, unknown = 0;
        QEventLoop loop;
        const double simCpu0 = processCpuMs(sim.pid());
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
        s.simCpuMs.push_back(processCpuMs(sim.pid()) - simCpu0);
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
    const QString loadAfter = loadAvg();

    // 5. Report.
    const double curlMs = median(curl16.ms);
    const double curlCpu = median(curl16.cpuMs);
    auto row = [&](const char *what, const Sweep &s, bool baseline) {
        const double ms = median(s.ms), cpu = median(s.cpuMs);
        QStringList each;
        for (double v : s.ms)
            each << QString::number(v, 'f', 0);
        std::printf("| %s | %.0f (%s) | %.0f | %.0f | %.0f | %s | %s | %s | %lld | %s |\n", what,
                    ms, qPrintable(each.join(QStringLiteral(", "))), requests / (ms / 1000.0), cpu,
                    median(s.simCpuMs),
                    s.maxRssKiB ? qPrintable(QString::number(s.maxRssKiB / 1024.0, 'f', 1)) : "",
                    baseline ? "1.00 (baseline)" : qPrintable(QString::number(ms / curlMs, 'f', 2)),
                    baseline ? "1.00 (baseline)"
                             : qPrintable(QString::number(cpu / curlCpu, 'f', 2)),
                    s.simRequests, qPrintable(s.check));
    };
    std::printf("### Status sweep (%d workspaces listed, %d status requests, concurrency %d, "
                "median of %d sweeps)\n\n",
                int(rows.size()), requests, o.concurrency, o.runs);
    std::printf("CP: `cpctl sim --workspaces %d` as its own process on 127.0.0.1; %d cores; "
                "load average %s before, %s after; Qt %s.\n\n",
                o.workspaces, QThread::idealThreadCount(), qPrintable(loadBefore),
                qPrintable(loadAfter), qVersion());
    std::printf("| client | wall ms (each run) | requests/s | client CPU ms | CP CPU ms | peak RSS "
                "MiB | wall vs curl | "
                "CPU vs curl | requests seen by the CP | client's answers |\n");
    std::printf("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
    char label[160];
    std::snprintf(label, sizeof label,
                  "`cpctl status --all --concurrency %d` (process start to exit)", o.concurrency);
    row(label, cpctl, false);
    std::snprintf(label, sizeof label,
                  "CpClient in-process, %d in flight (no process start, no DB)", o.concurrency);
    row(label, inproc, false);
    std::snprintf(label, sizeof label, "`curl --parallel --parallel-max %d -K urls` (baseline)",
                  o.concurrency);
    row(label, curl16, true);
    row("`curl --parallel --parallel-max 6 -K urls` (Qt 6.4 opens at most 6 connections per host)",
        curl6, false);
    std::printf("\nCPU is user + system time (wait4 for child processes, getrusage for the "
                "in-process sweep; "
                "the CP's from /proc); on a shared machine it is steadier than wall time.\n");

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
    const bool bad = cpctl.failed || curl16.failed || inproc.failed || cpctlOneBad;
    return bad ? 1 : 0;
}
