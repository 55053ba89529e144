// The provision journal and the per-workspace operation locks of StateStore.
#include "statestore_p.h"

#include "logging.h"
#include "processidentity.h"
#include "sharedset.h"

#include <QScopeGuard>

namespace cpc {

using namespace statedetail;

namespace {

const QString kJournalColumns = QStringLiteral(
    "SELECT id, started_at, finished_at, workspace_id, idempotency_key, request, outcome, "
    "instance_id, detail, session, kind, holder_user, holder_host, holder_pid, holder_start, "
    "holder_profile, replaced_instance_id, moved_on_to FROM journal");
constexpr int kSessionColumn = 9;

using O = JournalEntry::Outcome;
constexpr O kAllOutcomes[] = { O::Pending,    O::Succeeded, O::Failed,  O::Unknown,
                               O::Reconciled, O::Cleared,   O::Refused, O::MovedOn };

JournalEntry::Outcome outcomeFromName(const QString &name)
{
    for (O o : kAllOutcomes) {
        if (journalOutcomeName(o) == name)
            return o;
    }
    return O::Unknown; // a name from a newer version or a damaged row: not a known outcome
}

JournalEntry::Kind kindFromName(const QString &name)
{
    // Entries written before the journal knew kinds were all provisions.
    return name == journalKindName(JournalEntry::Kind::Stop) ? JournalEntry::Kind::Stop
                                                             : JournalEntry::Kind::Provision;
}

SharedStringSet &openSessions()
{
    static SharedStringSet s;
    return s;
}

} // namespace

namespace statedetail {
void registerSession(const QString &session)
{
    openSessions().insert(session);
}
void unregisterSession(const QString &session)
{
    openSessions().remove(session);
}
bool isSessionOpen(const QString &session)
{
    return openSessions().contains(session);
}
} // namespace statedetail

QString journalOutcomeName(JournalEntry::Outcome o)
{
    switch (o) {
    case O::Pending:
        return QStringLiteral("pending");
    case O::Succeeded:
        return QStringLiteral("succeeded");
    case O::Failed:
        return QStringLiteral("failed");
    case O::Unknown:
        return QStringLiteral("unknown");
    case O::Reconciled:
        return QStringLiteral("reconciled");
    case O::Cleared:
        return QStringLiteral("cleared");
    case O::Refused:
        return QStringLiteral("refused");
    case O::MovedOn:
        return QStringLiteral("moved-on");
    }
    return QStringLiteral("unknown");
}

QString journalKindName(JournalEntry::Kind k)
{
    return k == JournalEntry::Kind::Stop ? QStringLiteral("stop") : QStringLiteral("provision");
}

LockHolder LockHolder::currentProcess(const QString &profile)
{
    const ProcessIdentity &self = ProcessIdentity::current();
    return LockHolder { self.user, self.host, self.pid, self.startToken, profile };
}

QString LockHolder::describe() const
{
    const QString who = user.isEmpty() ? QStringLiteral("an unknown user") : user;
    if (pid <= 0)
        return QStringLiteral("%1 (an earlier CP Console)").arg(who);
    if (!host.isEmpty() && host != ProcessIdentity::current().host)
        return QStringLiteral("%1 on %2 (pid %3)").arg(who, host).arg(pid);
    return QStringLiteral("%1 (pid %2)").arg(who).arg(pid);
}

bool StateStore::Private::holderRunning(const JournalEntry &e, const QString &entrySession) const
{
    if (e.holder.pid <= 0) // written before holders were recorded: only this session's are live
        return entrySession == session;
    const ProcessIdentity &self = ProcessIdentity::current();
    // Another host's process cannot be looked at from here: it holds until it says otherwise.
    if (!e.holder.host.isEmpty() && e.holder.host != self.host)
        return true;
    if (e.holder.pid == self.pid && e.holder.processStart == self.startToken)
        return isSessionOpen(entrySession);
    return ProcessIdentity::isRunning(e.holder.pid, e.holder.processStart);
}

JournalEntry StateStore::Private::readJournal(const QSqlQuery &q) const
{
    JournalEntry e;
    e.id = q.value(0).toLongLong();
    e.startedAt = fromIso(q.value(1));
    e.finishedAt = fromIso(q.value(2));
    e.workspaceId = q.value(3).toString();
    e.idempotencyKey = q.value(4).toString();
    e.request = fromJson(q.value(5));
    e.outcome = outcomeFromName(q.value(6).toString());
    e.instanceId = q.value(7).toString();
    e.detail = q.value(8).toString();
    e.kind = kindFromName(q.value(10).toString());
    e.holder.user = q.value(11).toString();
    e.holder.host = q.value(12).toString();
    e.holder.pid = q.value(13).toLongLong();
    e.holder.processStart = q.value(14).toString();
    e.holder.profile = q.value(15).toString();
    e.replacedInstanceId = q.value(16).toString();
    e.movedOnTo = q.value(17).toString();
    // Still pending but its process is gone: it ended between sending the request and
    // recording the answer.
    if (e.outcome == O::Pending && !holderRunning(e, q.value(kSessionColumn).toString()))
        e.outcome = O::Unknown;
    return e;
}

namespace {

bool bindHolder(QSqlQuery &q, const LockHolder &h)
{
    q.addBindValue(nullable(h.user));
    q.addBindValue(nullable(h.host));
    q.addBindValue(h.pid);
    q.addBindValue(nullable(h.processStart));
    q.addBindValue(nullable(h.profile));
    return true;
}

} // namespace

Result<qint64> StateStore::journalBegin(const QString &workspaceId, const QString &idempotencyKey,
                                        const QJsonObject &request)
{
    QSqlQuery q(d->db());
    q.prepare(QStringLiteral("INSERT INTO journal (started_at, workspace_id, idempotency_key, "
                             "request, outcome, session, kind, holder_user, holder_host, "
                             "holder_pid, holder_start, holder_profile) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    q.addBindValue(iso(QDateTime::currentDateTimeUtc()));
    q.addBindValue(workspaceId);
    q.addBindValue(idempotencyKey);
    q.addBindValue(toJson(request));
    q.addBindValue(journalOutcomeName(O::Pending));
    q.addBindValue(d->session);
    q.addBindValue(journalKindName(JournalEntry::Kind::Provision));
    bindHolder(q, LockHolder::currentProcess());
    if (!q.exec())
        return d->error(QStringLiteral("cannot write the provision journal"), q.lastError());
    return q.lastInsertId().toLongLong();
}

Result<OperationLock> StateStore::acquireOperationLock(const QString &workspaceId,
                                                       JournalEntry::Kind kind,
                                                       const LockHolder &holder,
                                                       const QString &idempotencyKey,
                                                       const QJsonObject &request, qint64 takeOver)
{
    const QString what
        = QStringLiteral("cannot take the lock of %1 in the journal").arg(workspaceId);
    QSqlDatabase db = d->db();
    QSqlQuery q(db);
    // IMMEDIATE takes the write lock of the file at once: two processes cannot both find the
    // workspace free and both insert their entry.
    if (!q.exec(QStringLiteral("BEGIN IMMEDIATE")))
        return d->error(what, q.lastError());
    bool committed = false;
    auto rollback = qScopeGuard([&] {
        if (!committed)
            QSqlQuery(db).exec(QStringLiteral("ROLLBACK"));
    });
    const QString now = iso(QDateTime::currentDateTimeUtc());

    OperationLock lock;
    q.prepare(kJournalColumns
              + QStringLiteral(" WHERE workspace_id = ? AND outcome = ? ORDER BY id"));
    q.addBindValue(workspaceId);
    q.addBindValue(journalOutcomeName(O::Pending));
    if (!q.exec())
        return d->error(what, q.lastError());
    QList<JournalEntry> pending;
    while (q.next())
        pending.append(d->readJournal(q));
    q.finish();
    for (JournalEntry &e : pending) {
        if (e.outcome == O::Pending) {
            lock.heldBy = e;
            return lock; // rolled back: nothing was written
        }
        // Its process is gone: release the lock, and keep the entry as "outcome unknown".
        e.detail = QStringLiteral("released: %1 is gone (it ended without recording the "
                                  "outcome)")
                       .arg(e.holder.describe());
        QSqlQuery release(db);
        release.prepare(QStringLiteral("UPDATE journal SET outcome = ?, finished_at = ?, "
                                       "detail = ? WHERE id = ? AND outcome = ?"));
        release.addBindValue(journalOutcomeName(O::Unknown));
        release.addBindValue(now);
        release.addBindValue(e.detail);
        release.addBindValue(e.id);
        release.addBindValue(journalOutcomeName(O::Pending));
        if (!release.exec())
            return d->error(what, release.lastError());
        lock.released.append(e);
    }

    QSqlQuery w(db);
    if (takeOver > 0) {
        w.prepare(QStringLiteral("UPDATE journal SET outcome = ?, finished_at = NULL, session = ?, "
                                 "holder_user = ?, holder_host = ?, holder_pid = ?, "
                                 "holder_start = ?, holder_profile = ? WHERE id = ? AND "
                                 "workspace_id = ? AND outcome IN (?, ?)"));
        w.addBindValue(journalOutcomeName(O::Pending));
        w.addBindValue(d->session);
        bindHolder(w, holder);
        w.addBindValue(takeOver);
        w.addBindValue(workspaceId);
        w.addBindValue(journalOutcomeName(O::Unknown));
        w.addBindValue(journalOutcomeName(O::MovedOn));
        if (!w.exec())
            return d->error(what, w.lastError());
        if (w.numRowsAffected() != 1)
            return Error::make(Error::Kind::Conflict,
                               QStringLiteral("journal entry %1 of %2 is no longer unresolved "
                                              "(see cpctl journal --all)")
                                   .arg(takeOver)
                                   .arg(workspaceId));
        lock.journalId = takeOver;
    } else {
        w.prepare(QStringLiteral("INSERT INTO journal (started_at, workspace_id, idempotency_key, "
                                 "request, outcome, session, holder_user, holder_host, "
                                 "holder_pid, holder_start, holder_profile, kind) "
                                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
        w.addBindValue(now);
        w.addBindValue(workspaceId);
        w.addBindValue(nullable(idempotencyKey));
        w.addBindValue(toJson(request));
        w.addBindValue(journalOutcomeName(O::Pending));
        w.addBindValue(d->session);
        bindHolder(w, holder);
        w.addBindValue(journalKindName(kind));
        if (!w.exec())
            return d->error(what, w.lastError());
        lock.journalId = w.lastInsertId().toLongLong();
    }
    if (!QSqlQuery(db).exec(QStringLiteral("COMMIT")))
        return d->error(what, db.lastError());
    committed = true;
    for (const JournalEntry &e : std::as_const(lock.released))
        qCInfo(lcDb).noquote() << "released the lock of" << e.workspaceId << "(journal entry"
                               << e.id << "):" << e.detail;
    return lock;
}

VoidResult StateStore::journalFinish(qint64 id, const JournalResult &r)
{
    QSqlQuery q(d->db());
    q.prepare(QStringLiteral("UPDATE journal SET finished_at = ?, outcome = ?, instance_id = ?, "
                             "detail = ?, replaced_instance_id = ?, moved_on_to = ? WHERE id = ?"));
    q.addBindValue(iso(QDateTime::currentDateTimeUtc()));
    q.addBindValue(journalOutcomeName(r.outcome));
    q.addBindValue(nullable(r.instanceId));
    q.addBindValue(nullable(redaction::redact(r.detail)));
    q.addBindValue(nullable(r.replacedInstanceId));
    q.addBindValue(nullable(r.movedOnTo));
    q.addBindValue(id);
    if (!q.exec())
        return d->error(QStringLiteral("cannot write the provision journal"), q.lastError());
    if (q.numRowsAffected() == 0)
        return Error::make(
            Error::Kind::Database,
            QStringLiteral("no provision journal entry %1 in %2").arg(id).arg(d->path));
    return Ok {};
}

VoidResult StateStore::journalFinish(qint64 id, JournalEntry::Outcome outcome,
                                     const QString &instanceId, const QString &detail)
{
    JournalResult r;
    r.outcome = outcome;
    r.instanceId = instanceId;
    r.detail = detail;
    return journalFinish(id, r);
}

Result<QList<JournalEntry>> StateStore::unresolvedJournal() const
{
    QSqlQuery q(d->db());
    q.setForwardOnly(true);
    // Provisions only: an interrupted stop leaves its instance on file, nothing to reconcile.
    q.prepare(kJournalColumns
              + QStringLiteral(" WHERE outcome IN (?, ?, ?) AND (kind IS NULL OR kind = ?) "
                               "ORDER BY id"));
    q.addBindValue(journalOutcomeName(O::Unknown));
    q.addBindValue(journalOutcomeName(O::MovedOn));
    q.addBindValue(journalOutcomeName(O::Pending));
    q.addBindValue(journalKindName(JournalEntry::Kind::Provision));
    if (!q.exec())
        return d->error(QStringLiteral("cannot read the provision journal"), q.lastError());
    QList<JournalEntry> out;
    while (q.next()) {
        JournalEntry e = d->readJournal(q);
        if (e.outcome != O::Pending) // in flight: not unresolved
            out.append(e);
    }
    return out;
}

Result<QList<JournalEntry>> StateStore::inFlightJournal() const
{
    QSqlQuery q(d->db());
    q.setForwardOnly(true);
    q.prepare(kJournalColumns + QStringLiteral(" WHERE outcome = ? ORDER BY id"));
    q.addBindValue(journalOutcomeName(O::Pending));
    if (!q.exec())
        return d->error(QStringLiteral("cannot read the provision journal"), q.lastError());
    QList<JournalEntry> out;
    while (q.next()) {
        JournalEntry e = d->readJournal(q);
        if (e.outcome == O::Pending)
            out.append(e);
    }
    return out;
}

Result<QList<JournalEntry>> StateStore::journal(int limit) const
{
    QSqlQuery q(d->db());
    q.setForwardOnly(true);
    q.prepare(kJournalColumns + QStringLiteral(" ORDER BY id DESC LIMIT ?"));
    q.addBindValue(qMax(0, limit));
    if (!q.exec())
        return d->error(QStringLiteral("cannot read the provision journal"), q.lastError());
    QList<JournalEntry> out;
    while (q.next())
        out.append(d->readJournal(q));
    return out;
}

} // namespace cpc
