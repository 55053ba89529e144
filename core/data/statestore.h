#pragma once

#include "result.h"
#include "workspace.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

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

    /// This process (ProcessIdentity::current()), acting for `profile`.
    static LockHolder currentProcess(const QString &profile = {});
    /// "alice (pid 4121)"; "alice on laptop-2 (pid 4121)" when it is another host.
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

/// The user's local state: one SQLite file (CPCONSOLE_STATE, else <data dir>/state.sqlite),
/// with versioned migrations. Holds the audit log, the provision journal, the status history
/// and remembered settings. Independent of the workspace source.
class StateStore
{
public:
    ~StateStore();
    StateStore(const StateStore &) = delete;
    StateStore &operator=(const StateStore &) = delete;

    /// Opens (creating and migrating) the file. Kind::Database on failure.
    static Result<std::unique_ptr<StateStore>> open(const QString &path);
    static QString defaultPath(); ///< $CPCONSOLE_STATE or userDataDirectory()/state.sqlite
    QString path() const;
    int schemaVersion() const;

    /// Fills at (now), user (OS user) and host when empty.
    VoidResult appendAudit(AuditEntry entry);
    Result<QList<AuditEntry>> audit(const QString &workspaceId = {}, int limit = 1000) const;

    /// One operation per workspace at a time, across the processes that share this file: in
    /// one IMMEDIATE transaction, finds the workspace's in-flight entry (refused: heldBy names
    /// it), releases entries whose process is gone (they become "outcome unknown"), and writes
    /// ours as Pending: the lease, returned by journalFinish(). `takeOver` resumes an unresolved
    /// entry of the workspace (reconcile) instead of writing a new one. A store in PostgreSQL
    /// would do the same with an advisory lock, which the server drops with the connection.
    Result<OperationLock> acquireOperationLock(const QString &workspaceId, JournalEntry::Kind kind,
                                               const LockHolder &holder,
                                               const QString &idempotencyKey,
                                               const QJsonObject &request, qint64 takeOver = 0);
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

private:
    StateStore();
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace cpc
