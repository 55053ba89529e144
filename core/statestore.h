#pragma once

#include "result.h"
#include "workspace.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>

namespace cpc {

struct AuditEntry
{
    qint64 id = 0;
    QDateTime at; ///< UTC
    QString user; ///< OS user
    QString profile;
    QString orgId;
    QString workspaceId;
    QString action; ///< provision, stop, reconcile, sync, write-mode, …
    QJsonObject request; ///< parameters, never a secret (env values are not stored)
    QString result; ///< "ok", "error", "cancelled", "refused"
    QString detail; ///< instance ID on success, the safe error message otherwise
};

struct JournalEntry
{
    enum class Outcome { Pending, Succeeded, Failed, Unknown, Reconciled, Cleared };
    qint64 id = 0;
    QDateTime startedAt;
    QDateTime finishedAt;
    QString workspaceId;
    QString idempotencyKey;
    QJsonObject request; ///< without secrets
    Outcome outcome = Outcome::Pending;
    QString instanceId;
    QString detail;
};
QString journalOutcomeName(JournalEntry::Outcome o);

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

    VoidResult appendAudit(AuditEntry entry); ///< fills at (now) and user (OS user) when empty
    Result<QList<AuditEntry>> audit(const QString &workspaceId = {}, int limit = 1000) const;

    /// Intent, written before the request is sent. Returns the journal ID.
    Result<qint64> journalBegin(const QString &workspaceId, const QString &idempotencyKey,
                                const QJsonObject &request);
    VoidResult journalFinish(qint64 id, JournalEntry::Outcome outcome,
                             const QString &instanceId = {}, const QString &detail = {});
    /// Entries left Pending by an earlier process (crash between request and write) are
    /// reported as Unknown by this call: "outcome unknown".
    Result<QList<JournalEntry>> unresolvedJournal() const;
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
