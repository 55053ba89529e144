#pragma once

#include <QString>

namespace cpc {

/// Who and where this process is, for the audit log and the per-workspace operation locks:
/// the OS user from the password database (not $USER, which anyone can set to anything), the
/// host name, the process ID and the process's start time, so that a PID the kernel reused for
/// another program is not taken for the holder of a lock.
struct ProcessIdentity
{
    QString user;
    QString host;
    qint64 pid = 0;
    QString startToken; ///< boot ID and start time; empty where the system does not say

    /// This process, computed once.
    static const ProcessIdentity &current();
    /// The OS user of the effective UID: getpwuid(geteuid()), else "uid N".
    static QString osUser();
    static QString hostName();
    /// The start token of a process on this host; empty when there is no such process (or the
    /// system has no /proc).
    static QString startTokenOf(qint64 pid);
    /// Whether the process `pid` that started at `startToken` still runs on this host. A
    /// process that exists with another start token is another program: gone. Without a token
    /// (a system without /proc) only the PID is checked.
    static bool isRunning(qint64 pid, const QString &startToken);
};

} // namespace cpc
