#pragma once

// Shared by the files that implement StateStore (statestore.cpp: opening, audit, status
// history, settings; statemigrations.cpp: the schema versions of both stores; statejournal.cpp:
// the journal and the operation locks; teamstate.cpp: the team database, its outbox and its
// uploads).
#include "dburl.h"
#include "statestore.h"

#include <QHash>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>

namespace cpc {

struct StateStore::Private
{
    QString path; ///< for messages: the file, or the team URL without its password
    QString connectionName; ///< the store in use now: the file, the team database or the outbox
    QString session; ///< one per open: a Pending entry of another session was interrupted
    int version = 0;
    bool pg = false; ///< the store in use now is the team database

    // Team state.
    bool team = false;
    DbUrl teamUrl;
    QString teamConnection; ///< the team database's connection name (open or not)
    QString fileConnection; ///< the SQLite file's: the local state, or the team outbox
    QString outboxPath;
    bool outbox = false; ///< working on the outbox: what is written is not yet shared
    QString teamProblem;
    /// Our leases: the journal ID handed out → the entry's UUID, so that an entry is finished
    /// where it is now (written to the team database, finished offline, or the other way).
    QHash<qint64, QString> leaseUuids;

    QSqlDatabase db() const { return QSqlDatabase::database(connectionName, false); }
    Error error(const QString &what, const QSqlError &e) const;
    VoidResult openFile(const QString &file); ///< opens, migrates and makes current a file
    VoidResult migrate(); ///< the SQLite file (local state or outbox)
    Result<QList<AuditEntry>> readAuditWhere(const QString &where,
                                             const QVariantList &values) const;
    VoidResult appendStatuses(const QList<StatusSample> &samples);
    JournalEntry readJournal(const QSqlQuery &q) const;
    /// Whether the process that wrote a Pending entry still holds it (so the entry is in
    /// flight): it runs (on this host), and on the team database its lease has not expired.
    bool holderRunning(const JournalEntry &e, const QString &entrySession, bool expired) const;

    /// The column list of the journal (same order on both stores).
    QString journalColumns() const;
    Result<QList<JournalEntry>> readJournalWhere(const QString &where,
                                                 const QVariantList &values) const;
    Result<OperationLock> acquire(const QString &workspaceId, JournalEntry::Kind kind,
                                  const LockHolder &holder, const QString &idempotencyKey,
                                  const QJsonObject &request, qint64 takeOver);
    VoidResult finish(qint64 id, const JournalResult &r);
    /// In the outbox: the row is not yet shared (no-op on a local state file).
    void markUnshared(const QString &table, qint64 id);
    /// Starts the transaction that takes a workspace's lock.
    bool beginLockTransaction(const QString &workspaceId, QSqlError *error);

    // teamstate.cpp
    VoidResult openTeam(); ///< connects to teamUrl, checks its version, makes it current
    VoidResult openOutbox(); ///< opens the outbox file and makes it current
    /// A team database call failed: when the connection is gone, works on the outbox from now
    /// on and returns true (the caller writes again there).
    bool failOver();
    /// Uploads the outbox's unshared entries to the team database; how many.
    Result<int> upload();
    /// Ends an entry by its UUID where it is not (an entry taken on the team database, now
    /// offline): remembered in the outbox and applied by upload().
    VoidResult rememberFinish(const QString &uuid, const JournalResult &r);
};

namespace statedetail {
QString iso(const QDateTime &at);
QDateTime fromIso(const QVariant &v);
QVariant nullable(const QString &s);
/// The request as stored: secrets and env values replaced, the rest through the redactor.
QString toJson(const QJsonObject &object);
QJsonObject fromJson(const QVariant &v);
/// Binds how an entry ended, in the order finished_at (now), outcome, instance_id, detail,
/// replaced_instance_id, moved_on_to: the journal's update and the outbox's kept end.
void bindFinish(QSqlQuery &q, const JournalResult &r);
QString newConnectionName();
QString newUuid();
/// Sessions of StateStore objects open in this process: a Pending entry written by this
/// process under a session that is closed was abandoned.
void registerSession(const QString &session);
void unregisterSession(const QString &session);
bool isSessionOpen(const QString &session);
/// The team schema's statements from version `from` to the latest.
const QList<QStringList> &teamMigrations();
/// Version of the team schema at `db` (0: none), or an error.
Result<int> teamVersion(QSqlDatabase db);
/// Opens a QPSQL connection named `name` to `url`; the driver's error scrubbed of any password.
VoidResult openPostgres(const QString &name, const DbUrl &url, const QString &what);
} // namespace statedetail

} // namespace cpc
