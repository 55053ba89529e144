// Child processes for the benchmarks that time other programs (cpctl, curl): started with
// posix_spawn, timed start to exit, their CPU from wait4 and their peak RSS from /proc.
#pragma once

#include <QFile>
#include <QList>
#include <QString>
#include <QStringList>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace cpc::bench {

inline qint64 monoNs()
{
    timespec ts {};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return qint64(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

inline double median(std::vector<double> v)
{
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    const size_t n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

inline QString loadAvg()
{
    QFile f(QStringLiteral("/proc/loadavg"));
    if (!f.open(QIODevice::ReadOnly))
        return QStringLiteral("?");
    return QString::fromLatin1(f.readAll()).section(u' ', 0, 2);
}

/// True once the child has exited; it stays a zombie for wait4().
inline bool hasExited(pid_t pid)
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
            std::fprintf(stderr, "bench: cannot start %s: %s\n", av[0], strerror(rc));
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
inline double processCpuMs(pid_t pid)
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

inline double selfCpuMs()
{
    rusage ru {};
    getrusage(RUSAGE_SELF, &ru);
    return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3
        + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
}

inline QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace cpc::bench
