#include "processidentity.h"

#include <QCoreApplication>
#include <QFile>
#include <QSysInfo>

#include <optional>

#include <cerrno>
#include <pwd.h>
#include <signal.h>
#include <unistd.h>

namespace cpc {

namespace {

QByteArray readSmallFile(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.read(4096);
}

// /proc/<pid>/stat: "pid (comm) state ppid ... starttime ...". The command may contain spaces
// and parentheses, so the fields are counted from the last ')'. Field 3 is the state, field 22
// the start time in clock ticks since boot.
struct ProcStat
{
    char state = 0;
    QByteArray startTicks;
};

std::optional<ProcStat> procStat(qint64 pid)
{
    const QByteArray stat = readSmallFile(QStringLiteral("/proc/%1/stat").arg(pid));
    const qsizetype close = stat.lastIndexOf(')');
    if (close < 0)
        return std::nullopt;
    const QList<QByteArray> fields = stat.mid(close + 1).simplified().split(' ');
    if (fields.size() < 20 || fields.at(0).isEmpty())
        return std::nullopt;
    return ProcStat { fields.at(0).at(0), fields.at(19) };
}

QByteArray bootId()
{
    static const QByteArray id
        = readSmallFile(QStringLiteral("/proc/sys/kernel/random/boot_id")).trimmed();
    return id;
}

} // namespace

QString ProcessIdentity::osUser()
{
    if (const passwd *pw = ::getpwuid(::geteuid()); pw && pw->pw_name && *pw->pw_name)
        return QString::fromLocal8Bit(pw->pw_name);
    return QStringLiteral("uid %1").arg(::geteuid());
}

QString ProcessIdentity::hostName()
{
    const QString host = QSysInfo::machineHostName();
    return host.isEmpty() ? QStringLiteral("localhost") : host;
}

QString ProcessIdentity::startTokenOf(qint64 pid)
{
    const auto st = procStat(pid);
    if (!st || st->startTicks.isEmpty())
        return {};
    return QString::fromLatin1(bootId() + '/' + st->startTicks);
}

bool ProcessIdentity::isRunning(qint64 pid, const QString &startToken)
{
    if (pid <= 0)
        return false;
    if (const auto st = procStat(pid)) {
        // A zombie has ended; it only waits for its parent to read its exit status.
        if (st->state == 'Z' || st->state == 'X')
            return false;
        return startToken.isEmpty() || startTokenOf(pid) == startToken;
    }
    if (QFile::exists(QStringLiteral("/proc/self/stat")))
        return false; // /proc works and has no such process
    return ::kill(pid_t(pid), 0) == 0 || errno == EPERM;
}

const ProcessIdentity &ProcessIdentity::current()
{
    static const ProcessIdentity self = [] {
        ProcessIdentity p;
        p.user = osUser();
        p.host = hostName();
        p.pid = QCoreApplication::applicationPid();
        p.startToken = startTokenOf(p.pid);
        return p;
    }();
    return self;
}

} // namespace cpc
