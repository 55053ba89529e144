// A million workspaces: `cpconsole` from process start to a painted, complete list
// (`--quit-when-loaded`), against `sqlite3` reading the same rows with the same query, and the
// peak RSS of both. The database is made by tests/bench/gen-workspaces.sql (fixed values).
//
// Usage: bench_bigload [--rows N[,N…]] [--runs N] [--cpconsole PATH] [--sqlite3 PATH]
// Defaults: 100000 and 1000000 rows, 3 runs each (median), cpconsole next to this benchmark.
// Prints a markdown table and `RESULT <name> <value> <unit> <baseline> <ratio>` lines.

#include "workspacesource.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

using namespace cpc;

namespace {

struct Run
{
    double wallMs = 0;
    double cpuMs = 0;
    double peakMiB = 0;
    int status = -1;
};

double monoMs()
{
    timespec ts {};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
}

/// Runs argv with stdout to /dev/null (or `out`), the environment as given; wall, CPU and peak
/// RSS of the child from wait4().
Run spawn(const QStringList &args, const QProcessEnvironment &env)
{
    std::vector<QByteArray> a;
    for (const QString &s : args)
        a.push_back(s.toLocal8Bit());
    std::vector<char *> argv;
    for (QByteArray &s : a)
        argv.push_back(s.data());
    argv.push_back(nullptr);
    std::vector<QByteArray> e;
    for (const QString &s : env.toStringList())
        e.push_back(s.toLocal8Bit());
    std::vector<char *> envp;
    for (QByteArray &s : e)
        envp.push_back(s.data());
    envp.push_back(nullptr);
    Run run;
    const double start = monoMs();
    const pid_t pid = fork();
    if (pid == 0) {
        if (FILE *devnull = std::fopen("/dev/null", "w"))
            dup2(fileno(devnull), 1);
        execve(argv[0], argv.data(), envp.data());
        _exit(127);
    }
    rusage ru {};
    int status = 0;
    wait4(pid, &status, 0, &ru);
    run.wallMs = monoMs() - start;
    run.cpuMs = double(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3
        + double(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
    run.peakMiB = double(ru.ru_maxrss) / 1024.0;
    run.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return run;
}

Run medianRun(std::vector<Run> runs)
{
    std::sort(runs.begin(), runs.end(),
              [](const Run &a, const Run &b) { return a.wallMs < b.wallMs; });
    Run m = runs[runs.size() / 2];
    std::vector<double> peaks;
    for (const Run &r : runs)
        peaks.push_back(r.peakMiB);
    std::sort(peaks.begin(), peaks.end());
    m.peakMiB = peaks[peaks.size() / 2];
    return m;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QList<int> sizes = { 100000, 1000000 };
    int runs = 3;
    QString cpconsole = QDir(QCoreApplication::applicationDirPath())
                            .absoluteFilePath(QStringLiteral("../../app/cpconsole"));
    QString sqlite3 = QStringLiteral("/usr/bin/sqlite3");
    const QStringList args = app.arguments();
    for (int i = 1; i + 1 < args.size(); i += 2) {
        if (args[i] == QLatin1String("--rows")) {
            sizes.clear();
            for (const QString &n : args[i + 1].split(u','))
                sizes << n.toInt();
        } else if (args[i] == QLatin1String("--runs")) {
            runs = std::max(1, args[i + 1].toInt());
        } else if (args[i] == QLatin1String("--cpconsole")) {
            cpconsole = args[i + 1];
        } else if (args[i] == QLatin1String("--sqlite3")) {
            sqlite3 = args[i + 1];
        }
    }
    const QString generator = QStringLiteral(CPC_SOURCE_DIR "/tests/bench/gen-workspaces.sql");
    QTemporaryDir dir;
    QProcessEnvironment env;
    env.insert(QStringLiteral("PATH"), QStringLiteral("/usr/bin:/bin"));
    env.insert(QStringLiteral("HOME"), dir.path());
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), dir.filePath(QStringLiteral("config")));
    env.insert(QStringLiteral("XDG_DATA_HOME"), dir.filePath(QStringLiteral("data")));
    env.insert(QStringLiteral("XDG_RUNTIME_DIR"), dir.path());
    env.insert(QStringLiteral("CPCONSOLE_STATE"), dir.filePath(QStringLiteral("state.sqlite")));
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    env.insert(QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("*.debug=false"));

    std::printf("| rows | `sqlite3` reads them (ms, median of %d) | `cpconsole` start to painted "
                "list (ms) | ratio | `sqlite3` peak RSS (MiB) | `cpconsole` peak RSS (MiB) |\n",
                runs);
    std::printf("|---:|---:|---:|---:|---:|---:|\n");
    QStringList results;
    for (const int n : sizes) {
        const QString path = dir.filePath(QStringLiteral("w%1.sqlite").arg(n));
        {
            auto created = WorkspaceSource::open(QStringLiteral("sqlite:") + path); // the table
            if (!created) {
                std::fprintf(stderr, "%s\n", qPrintable(created.error().message));
                return 1;
            }
        }
        QProcess gen;
        gen.setStandardInputFile(generator);
        gen.start(sqlite3,
                  { QStringLiteral("-cmd"), QStringLiteral(".parameter set :N %1").arg(n), path });
        if (!gen.waitForFinished(600000) || gen.exitCode() != 0) {
            std::fprintf(stderr, "generating %d rows failed: %s\n", n,
                         gen.readAllStandardError().constData());
            return 1;
        }
        const QString query = QStringLiteral(
            "SELECT id, name, role, tier, status, runtime, instance_id, url, last_sample_error, "
            "provider, last_heartbeat_at, created_at, updated_at FROM workspaces "
            "WHERE status IS NULL OR status <> 'removed'");
        std::vector<Run> floor, ours;
        spawn({ sqlite3, path, query }, env); // warms the page cache
        for (int r = 0; r < runs; ++r) {
            floor.push_back(spawn({ sqlite3, path, query }, env));
            ours.push_back(
                spawn({ cpconsole, QStringLiteral("--db"), QStringLiteral("sqlite:") + path,
                        QStringLiteral("--quit-when-loaded") },
                      env));
            if (ours.back().status != 0) {
                std::fprintf(stderr, "cpconsole exited %d at %d rows\n", ours.back().status, n);
                return 1;
            }
        }
        const Run f = medianRun(floor);
        const Run o = medianRun(ours);
        std::printf("| %d | %.0f | %.0f | %.2f | %.1f | %.1f |\n", n, f.wallMs, o.wallMs,
                    o.wallMs / f.wallMs, f.peakMiB, o.peakMiB);
        const double limit = n >= 1000000 ? 400 : 120;
        results << QStringLiteral("RESULT start_to_painted_list_%1_rows %2 ms %3 %4")
                       .arg(n)
                       .arg(o.wallMs, 0, 'f', 0)
                       .arg(f.wallMs, 0, 'f', 0)
                       .arg(o.wallMs / f.wallMs, 0, 'f', 2);
        results << QStringLiteral("RESULT peak_rss_%1_rows %2 MiB %3 %4")
                       .arg(n)
                       .arg(o.peakMiB, 0, 'f', 1)
                       .arg(limit, 0, 'f', 0)
                       .arg(o.peakMiB / limit, 0, 'f', 2);
    }
    std::printf("\nBaselines: `sqlite3 FILE \"SELECT <the 13 columns> …\" > /dev/null` (wall); the "
                "peak RSS baseline in the RESULT lines is the issue's limit (400 MiB at 1M rows, "
                "120 MiB at 100k).\n\n");
    for (const QString &line : results)
        std::printf("%s\n", qPrintable(line));
    return 0;
}
