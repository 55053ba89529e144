#pragma once

#include "result.h"
#include "workspace.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

class QSqlDriver;

namespace cpc {

struct AuditEntry
{
    qint64 id = 0;
    QDateTime at; ///< UTC
    QString user; ///< OS user of the process (password database, not $USER)
    QString host; ///< host name of the machine it ran on
    QString profile;
    QString orgId;
    QString workspaceId;
    QString action; ///< provision, stop, reconcile, sync, write-mode, …
    QJsonObject request; ///< parameters, never a secret (env values are not stored)
    QString result; ///< "ok", "error", "cancelled", "refused"
    QString detail; ///< instance ID on success, the safe error message otherwise
    /// Team state: the PostgreSQL role that wrote the entry (session_user, set by the server:
    /// the application cannot write it). Empty in a local state file.
    QString dbUser;
    QString program; ///< "cpctl", "cpconsole"
    QString uuid; ///< the entry's identity across stores (an offline entry is uploaded by it)
    /// False for an entry written to the local state while the team database was unreachable
    /// and not uploaded yet.
    bool shared = true;
};

/// Who holds a workspace's operation lock, or asks for it: the process, on which host, for
/// whom. Stored with the journal entry that is the lock.
struct LockHolder
{
    QString user;
    QString host;
    qint64 pid = 0;
    QString processStart; ///< ProcessIdentity::startToken: tells a reused PID from the holder
    QString profile;
    QString program; ///< "cpctl", "cpconsole"
    QString dbUser; ///< team state: the PostgreSQL role that took the lease (read back)
    QDateTime leaseExpires; ///< team state: renewed while in flight; after it, taken over

    /// This process (ProcessIdentity::current()), acting for `profile`.
    static LockHolder currentProcess(const QString &profile = {});
    /// "alice@laptop-3 (cpctl, pid 4121)": the database role when the team state names one,
    /// else the OS user; the host; the program and the process.
    QString describe() const;
};

/// One operation on a workspace (a provision, or a stop), written before anything is sent and
/// finished when the answer is recorded. While Pending it is the workspace's operation lock.
struct JournalEntry
{
    enum class Outcome {
        Pending, ///< in flight: its process still runs (a gone process's entry reads Unknown)
        Succeeded,
        Failed,
        Unknown, ///< the request may have been acted on; nobody saw the answer
        Reconciled,
        Cleared,
        Refused, ///< nothing was sent (a running instance on file, a changed row)
        MovedOn, ///< the CP acted, but the row had moved on meanwhile: nothing was overwritten
    };
    enum class Kind { Provision, Stop };
    qint64 id = 0;
    Kind kind = Kind::Provision;
    QDateTime startedAt;
    QDateTime finishedAt;
    QString workspaceId;
    QString idempotencyKey;
    QJsonObject request; ///< without secrets
    Outcome outcome = Outcome::Pending;
    QString instanceId; ///< the instance the CP created (provision) or stopped (stop)
    QString replacedInstanceId; ///< provision: the instance on file that it replaced
    QString movedOnTo; ///< the instance the row held instead when the answer came back
    QString detail;
    LockHolder holder; ///< the process that wrote (or last took over) the entry
    QString uuid; ///< the entry's identity across stores
    bool shared = true; ///< false: written offline, not uploaded to the team state yet
};
QString journalOutcomeName(JournalEntry::Outcome o);
QString journalKindName(JournalEntry::Kind k); ///< "provision", "stop"

/// How a journal entry ends.
struct JournalResult
{
    JournalEntry::Outcome outcome = JournalEntry::Outcome::Succeeded;
    QString instanceId;
    QString detail;
    QString replacedInstanceId;
    QString movedOnTo;
};

/// What asking for a workspace's operation lock found.
struct OperationLock
{
    qint64 journalId = 0; ///< the lease: our entry, in flight until journalFinish(); 0: refused
    std::optional<JournalEntry> heldBy; ///< refused: the operation in flight on the workspace
    QList<JournalEntry> released; ///< entries whose process was gone: released, outcome unknown
    bool acquired() const { return journalId > 0; }
};

struct StatusSample
{
    QDateTime at;
    QString workspaceId;
    RunState state = RunState::Unknown;
    QString cpState;
    QString detail; ///< the unknown reason, or the transition ("running → not-running")
};

/// Where the console keeps what it did: the audit log, the provision journal (whose entries in
/// flight are the per-workspace operation locks), the status history and remembered settings.
/// Independent of the workspace source, with versioned migrations. Either
///  - a local SQLite file (CPCONSOLE_STATE, else <data dir>/state.sqlite), the default, or
///  - team state: a PostgreSQL database (CPCONSOLE_STATE=postgresql://…, or a profile's "team
///    state"), schema `cpconsole`, shared by every engineer's cpconsole and cpctl. Its schema is
///    made by `cpctl state migrate` (migrateTeam()); the audit entries name the database role
///    that wrote them; a lock is a lease with an expiry that its holder renews; every change is
///    announced with NOTIFY (StateFeed). When the team database cannot be reached the store
///    works on a local outbox file, marks what it writes "not yet shared", and uploads it by
///    entry UUID once the database answers again (reconnect()).
class StateStore
{
public:
    ~StateStore();
    StateStore(const StateStore &) = delete;
    StateStore &operator=(const StateStore &) = delete;

    /// A SQLite path is created and migrated. A postgresql:// URL opens the team state, which
    /// must have been migrated to this version; unreachable, the store opens `outboxPath`
    /// (default: outboxPathFor()) and works offline. Kind::Database on failure.
    static Result<std::unique_ptr<StateStore>> open(const QString &location,
                                                    const QString &outboxPath = {});
    static QString defaultPath(); ///< $CPCONSOLE_STATE or userDataDirectory()/state.sqlite
    static bool isTeamLocation(const QString &location); ///< a postgresql:// URL
    /// <data dir>/team-outbox.sqlite: what was written while the team database was away.
    static QString outboxPathFor(const QString &location);
    /// Creates or upgrades the team schema at `url` (as a role that may create in the
    /// database): idempotent, refuses a schema newer than this version. Returns the version
    /// now and the version found.
    struct Migration
    {
        int from = 0;
        int to = 0;
    };
    static Result<Migration> migrateTeam(const QString &url);
    static int latestTeamVersion();

    QString path() const; ///< the file, or the team URL without its password
    int schemaVersion() const;

    bool isTeam() const; ///< configured as team state (online or not)
    bool isShared() const; ///< team state, and the team database answers
    /// Why the team database is not used now (empty while it is).
    QString teamProblem() const;
    /// Entries written offline and not uploaded yet.
    int unsharedCount() const;
    /// Team state working offline: tries the team database again; on success uploads what was
    /// written meanwhile (nothing twice: by entry UUID) and works on it again. Returns how many
    /// entries it uploaded; an error when it is still unreachable.
    Result<int> reconnect();

    /// How long a lease lasts without renewal: 30 s (CPCONSOLE_LEASE_SECONDS for tests).
    static int leaseSeconds();

    /// Fills at (now), user (OS user) and host when empty.
    VoidResult appendAudit(AuditEntry entry);
    Result<QList<AuditEntry>> audit(const QString &workspaceId = {}, int limit = 1000) const;
    /// Entries after `afterId`, oldest first (cpctl audit --follow, the live feed).
    Result<QList<AuditEntry>> auditAfter(qint64 afterId, int limit = 1000) const;
    Result<JournalEntry> journalEntry(qint64 id) const;

    /// One operation per workspace at a time, across the processes that share this store: in
    /// one transaction (IMMEDIATE on SQLite, an advisory lock on PostgreSQL), finds the
    /// workspace's in-flight entry (refused: heldBy names it), releases entries whose holder is
    /// gone (a process of this host that ended, or a lease that expired: they become "outcome
    /// unknown"), and writes ours as Pending: the lease, returned by journalFinish().
    /// `takeOver` resumes an unresolved entry of the workspace (reconcile) instead of writing a
    /// new one.
    Result<OperationLock> acquireOperationLock(const QString &workspaceId, JournalEntry::Kind kind,
                                               const LockHolder &holder,
                                               const QString &idempotencyKey,
                                               const QJsonObject &request, qint64 takeOver = 0);
    /// Team state: pushes the expiry of our leases in flight leaseSeconds() ahead.
    VoidResult renewLeases(const QList<qint64> &journalIds);
    /// Intent of a provision by this process, written without looking for a lock (tests and
    /// tools). Returns the journal ID.
    Result<qint64> journalBegin(const QString &workspaceId, const QString &idempotencyKey,
                                const QJsonObject &request);
    VoidResult journalFinish(qint64 id, const JournalResult &result);
    VoidResult journalFinish(qint64 id, JournalEntry::Outcome outcome,
                             const QString &instanceId = {}, const QString &detail = {});
    /// Provisions that need the engineer: outcome unknown (including entries left Pending by
    /// a process that is gone: a crash between request and write) or moved on.
    Result<QList<JournalEntry>> unresolvedJournal() const;
    /// Operations in flight now, of any kind, by any live process (this one included).
    Result<QList<JournalEntry>> inFlightJournal() const;
    Result<QList<JournalEntry>> journal(int limit = 200) const;

    VoidResult appendStatus(const StatusSample &sample);
    /// Many samples in one transaction (one sync to disk instead of one per sample); all or
    /// none are written.
    VoidResult appendStatuses(const QList<StatusSample> &samples);
    Result<QList<StatusSample>> statusHistory(const QString &workspaceId, int limit = 100) const;

    VoidResult setSetting(const QString &key, const QString &value);
    QString setting(const QString &key, const QString &fallback = {}) const;

    /// The team database's driver while it answers (for LISTEN), else null.
    QSqlDriver *notificationDriver() const;

private:
    StateStore();
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace cpc
