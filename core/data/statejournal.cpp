// The provision journal and the per-workspace operation locks of StateStore.
#include "statestore_p.h"

#include "logging.h"
#include "processidentity.h"
#include "sharedset.h"

#include <QCoreApplication>
#include <QScopeGuard>

namespace cpc {

using namespace statedetail;

namespace {

const QString kJournalColumns = QStringLiteral(
    "SELECT id, started_at, finished_at, workspace_id, idempotency_key, request, outcome, "
    "instance_id, detail, session, kind, holder_user, holder_host, holder_pid, holder_start, "
    "holder_profile, replaced_instance_id, moved_on_to, holder_program, %1 FROM journal");
// The columns that differ: who wrote it, its UUID, whether it is shared, the lease.
const QString kTeamJournalColumns
    = QStringLiteral("db_user, uuid::text, 1, lease_expires, (lease_expires IS NOT NULL AND "
                     "lease_expires < now())");
const QString kFileJournalColumns = QStringLiteral("NULL, uuid, shared, lease_expires, 0");
constexpr int kSessionColumn = 9;
constexpr int kExpiredColumn = 23;

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
void bindFinish(QSqlQuery &q, const JournalResult &r)
{
    q.addBindValue(iso(QDateTime::currentDateTimeUtc()));
    q.addBindValue(journalOutcomeName(r.outcome));
    q.addBindValue(nullable(r.instanceId));
    q.addBindValue(nullable(redaction::redact(r.detail)));
    q.addBindValue(nullable(r.replacedInstanceId));
    q.addBindValue(nullable(r.movedOnTo));
}

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
    return LockHolder { self.user, self.host,
                        self.pid,  self.startToken,
                        profile,   QCoreApplication::applicationName(),
                        {},        {} };
}

QString LockHolder::describe() const
{
    QString who = !dbUser.isEmpty() ? dbUser
        : user.isEmpty()            ? QStringLiteral("an unknown user")
                                    : user;
    if (pid <= 0)
        return QStringLiteral("%1 (an earlier CP Console)").arg(who);
    if (!host.isEmpty())
        who += u'@' + host;
    // The OS user too when the database role differs from it.
    const QString osUser = !dbUser.isEmpty() && !user.isEmpty() && user != dbUser
        ? QStringLiteral("OS user %1, ").arg(user)
        : QString();
    const QString prog = program.isEmpty() ? QString() : program + QStringLiteral(", ");
    return QStringLiteral("%1 (%2%3pid %4)").arg(who, osUser, prog).arg(pid);
}

QString StateStore::Private::journalColumns() const
{
    return kJournalColumns.arg(pg ? kTeamJournalColumns : kFileJournalColumns);
}

bool StateStore::Private::holderRunning(const JournalEntry &e, const QString &entrySession,
                                        bool expired) const
{
    if (e.holder.pid <= 0) // written before holders were recorded: only this session's are live
        return entrySession == session;
    if (expired) // a lease not renewed in time: its holder is gone, frozen or cut off
        return false;
    const ProcessIdentity &self = ProcessIdentity::current();
    // Another host's process cannot be looked at from here: it holds until it says otherwise
    // (on the team database, until its lease expires).
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
    e.holder.program = q.value(18).toString();
    e.holder.dbUser = q.value(19).toString();
    e.uuid = q.value(20).toString();
    e.shared = q.value(21).toInt() != 0;
    e.holder.leaseExpires = fromIso(q.value(22));
    // Still pending but its process is gone: it ended between sending the request and
    // recording the answer.
    if (e.outcome == O::Pending
        && !holderRunning(e, q.value(kSessionColumn).toString(), q.value(kExpiredColumn).toBool()))
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
    q.addBindValue(nullable(h.program));
    return true;
}

// A new entry's columns after the holder's; the lease's expiry is the server's clock.
QString leaseValue(bool pg)
{
    return pg ? QStringLiteral("now() + make_interval(secs => %1)").arg(StateStore::leaseSeconds())
              : QStringLiteral("NULL");
}

} // namespace

Result<qint64> StateStore::journalBegin(const QString &workspaceId, const QString &idempotencyKey,
                                        const QJsonObject &request)
{
    const QString uuid = newUuid();
    const auto write = [&]() -> Result<qint64> {
        QSqlQuery q(d->db());
        q.prepare(QStringLiteral("INSERT INTO journal (started_at, workspace_id, idempotency_key, "
                                 "request, outcome, session, kind, holder_user, holder_host, "
                                 "holder_pid, holder_start, holder_profile, holder_program, uuid, "
                                 "lease_expires) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                                 "?, %1) RETURNING id")
                      .arg(leaseValue(d->pg)));
        q.addBindValue(iso(QDateTime::currentDateTimeUtc()));
        q.addBindValue(workspaceId);
        q.addBindValue(idempotencyKey);
        q.addBindValue(toJson(request));
        q.addBindValue(journalOutcomeName(O::Pending));
        q.addBindValue(d->session);
        q.addBindValue(journalKindName(JournalEntry::Kind::Provision));
        bindHolder(q, LockHolder::currentProcess());
        q.addBindValue(uuid);
        if (!q.exec() || !q.next())
            return d->error(QStringLiteral("cannot write the provision journal"), q.lastError());
        const qint64 id = q.value(0).toLongLong();
        if (!d->pg)
            d->markUnshared(QStringLiteral("journal"), id);
        return id;
    };
    auto r = write();
    if (!r && d->failOver())
        r = write();
    if (r)
        d->leaseUuids.insert(*r, uuid);
    return r;
}

Result<OperationLock> StateStore::acquireOperationLock(const QString &workspaceId,
                                                       JournalEntry::Kind kind,
                                                       const LockHolder &holder,
                                                       const QString &idempotencyKey,
                                                       const QJsonObject &request, qint64 takeOver)
{
    auto r = d->acquire(workspaceId, kind, holder, idempotencyKey, request, takeOver);
    if (!r && r.error().kind == Error::Kind::Database && d->failOver())
        r = d->acquire(workspaceId, kind, holder, idempotencyKey, request, takeOver);
    return r;
}

bool StateStore::Private::beginLockTransaction(const QString &workspaceId, QSqlError *e)
{
    QSqlQuery q(db());
    if (!pg) {
        // IMMEDIATE takes the write lock of the file at once: two processes cannot both find
        // the workspace free and both insert their entry.
        if (q.exec(QStringLiteral("BEGIN IMMEDIATE")))
            return true;
        *e = q.lastError();
        return false;
    }
    // The same on the team database: a lock per workspace, held until the transaction ends.
    if (!q.exec(QStringLiteral("BEGIN"))) {
        *e = q.lastError();
        return false;
    }
    q.prepare(QStringLiteral("SELECT pg_advisory_xact_lock(hashtext('cpconsole journal'), "
                             "hashtext(?))"));
    q.addBindValue(workspaceId);
    if (q.exec())
        return true;
    *e = q.lastError();
    QSqlQuery(db()).exec(QStringLiteral("ROLLBACK"));
    return false;
}

Result<OperationLock> StateStore::Private::acquire(const QString &workspaceId,
                                                   JournalEntry::Kind kind,
                                                   const LockHolder &holder,
                                                   const QString &idempotencyKey,
                                                   const QJsonObject &request, qint64 takeOver)
{
    const QString what
        = QStringLiteral("cannot take the lock of %1 in the journal").arg(workspaceId);
    QSqlDatabase database = db();
    if (QSqlError e; !beginLockTransaction(workspaceId, &e))
        return error(what, e);
    bool committed = false;
    auto rollback = qScopeGuard([&] {
        if (!committed)
            QSqlQuery(database).exec(QStringLiteral("ROLLBACK"));
    });
    const QString now = iso(QDateTime::currentDateTimeUtc());

    OperationLock lock;
    QSqlQuery q(database);
    q.prepare(journalColumns()
              + QStringLiteral(" WHERE workspace_id = ? AND outcome = ? ORDER BY id"));
    q.addBindValue(workspaceId);
    q.addBindValue(journalOutcomeName(O::Pending));
    if (!q.exec())
        return error(what, q.lastError());
    QList<JournalEntry> pending;
    while (q.next())
        pending.append(readJournal(q));
    q.finish();
    for (JournalEntry &e : pending) {
        if (e.outcome == O::Pending) {
            lock.heldBy = e;
            return lock; // rolled back: nothing was written
        }
        // Its holder is gone: release the lock, and keep the entry as "outcome unknown".
        e.detail = e.holder.leaseExpires.isValid()
                && e.holder.leaseExpires < QDateTime::currentDateTimeUtc()
            ? QStringLiteral("taken over: the lease of %1 expired at %2 UTC without being "
                             "renewed (the outcome was not recorded)")
                  .arg(e.holder.describe(),
                       e.holder.leaseExpires.toUTC().toString(QStringLiteral("HH:mm:ss")))
            : QStringLiteral("released: %1 is gone (it ended without recording the outcome)")
                  .arg(e.holder.describe());
        QSqlQuery release(database);
        release.prepare(QStringLiteral("UPDATE journal SET outcome = ?, finished_at = ?, "
                                       "detail = ? WHERE id = ? AND outcome = ?"));
        release.addBindValue(journalOutcomeName(O::Unknown));
        release.addBindValue(now);
        release.addBindValue(e.detail);
        release.addBindValue(e.id);
        release.addBindValue(journalOutcomeName(O::Pending));
        if (!release.exec())
            return error(what, release.lastError());
        lock.released.append(e);
    }

    QSqlQuery w(database);
    QString uuid;
    if (takeOver > 0) {
        w.prepare(
            QStringLiteral("UPDATE journal SET outcome = ?, finished_at = NULL, session = ?, "
                           "holder_user = ?, holder_host = ?, holder_pid = ?, "
                           "holder_start = ?, holder_profile = ?, holder_program = ?, "
                           "lease_expires = %1 WHERE id = ? AND workspace_id = ? AND "
                           "outcome IN (?, ?) RETURNING %2")
                .arg(leaseValue(pg), pg ? QStringLiteral("uuid::text") : QStringLiteral("uuid")));
        w.addBindValue(journalOutcomeName(O::Pending));
        w.addBindValue(session);
        bindHolder(w, holder);
        w.addBindValue(takeOver);
        w.addBindValue(workspaceId);
        w.addBindValue(journalOutcomeName(O::Unknown));
        w.addBindValue(journalOutcomeName(O::MovedOn));
        if (!w.exec())
            return error(what, w.lastError());
        if (!w.next())
            return Error::make(Error::Kind::Conflict,
                               QStringLiteral("journal entry %1 of %2 is no longer unresolved "
                                              "(see cpctl journal --all)")
                                   .arg(takeOver)
                                   .arg(workspaceId));
        uuid = w.value(0).toString();
        lock.journalId = takeOver;
    } else {
        uuid = newUuid();
        w.prepare(QStringLiteral("INSERT INTO journal (started_at, workspace_id, idempotency_key, "
                                 "request, outcome, session, holder_user, holder_host, "
                                 "holder_pid, holder_start, holder_profile, holder_program, "
                                 "kind, uuid, lease_expires) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, "
                                 "?, ?, ?, ?, ?, %1) RETURNING id")
                      .arg(leaseValue(pg)));
        w.addBindValue(now);
        w.addBindValue(workspaceId);
        w.addBindValue(nullable(idempotencyKey));
        w.addBindValue(toJson(request));
        w.addBindValue(journalOutcomeName(O::Pending));
        w.addBindValue(session);
        bindHolder(w, holder);
        w.addBindValue(journalKindName(kind));
        w.addBindValue(uuid);
        if (!w.exec() || !w.next())
            return error(what, w.lastError());
        lock.journalId = w.value(0).toLongLong();
    }
    w.finish();
    if (!pg)
        markUnshared(QStringLiteral("journal"), lock.journalId);
    if (!QSqlQuery(database).exec(QStringLiteral("COMMIT")))
        return error(what, database.lastError());
    committed = true;
    if (!uuid.isEmpty())
        leaseUuids.insert(lock.journalId, uuid);
    for (const JournalEntry &e : std::as_const(lock.released))
        qCInfo(lcDb).noquote() << "released the lock of" << e.workspaceId << "(journal entry"
                               << e.id << "):" << e.detail;
    return lock;
}

VoidResult StateStore::renewLeases(const QList<qint64> &journalIds)
{
    if (!d->pg || journalIds.isEmpty())
        return Ok {};
    QSqlQuery q(d->db());
    q.prepare(QStringLiteral("UPDATE journal SET lease_expires = %1 WHERE uuid = ?::uuid AND "
                             "outcome = ?")
                  .arg(leaseValue(true)));
    for (const qint64 id : journalIds) {
        const QString uuid = d->leaseUuids.value(id);
        if (uuid.isEmpty())
            continue;
        q.bindValue(0, uuid);
        q.bindValue(1, journalOutcomeName(O::Pending));
        if (!q.exec()) {
            const Error e
                = d->error(QStringLiteral("cannot renew the lease of journal entry %1").arg(id),
                           q.lastError());
            d->failOver();
            return e;
        }
    }
    return Ok {};
}

VoidResult StateStore::journalFinish(qint64 id, const JournalResult &r)
{
    VoidResult done = d->finish(id, r);
    if (!done && done.error().kind == Error::Kind::Database && d->failOver())
        done = d->finish(id, r);
    if (done)
        d->leaseUuids.remove(id);
    return done;
}

VoidResult StateStore::Private::finish(qint64 id, const JournalResult &r)
{
    // Our own lease is finished by its UUID wherever it is now; another entry by its ID.
    const QString uuid = leaseUuids.value(id);
    QSqlQuery q(db());
    q.prepare(QStringLiteral("UPDATE journal SET finished_at = ?, outcome = ?, instance_id = ?, "
                             "detail = ?, replaced_instance_id = ?, moved_on_to = ? WHERE %1")
                  .arg(uuid.isEmpty() ? QStringLiteral("id = ?")
                           : pg       ? QStringLiteral("uuid = ?::uuid")
                                      : QStringLiteral("uuid = ?")));
    bindFinish(q, r);
    q.addBindValue(uuid.isEmpty() ? QVariant(id) : QVariant(uuid));
    if (!q.exec())
        return error(QStringLiteral("cannot write the provision journal"), q.lastError());
    // Our lease, finished while the team database is away: the team database may hold the
    // entry (taken there, or uploaded before), so its end is uploaded too.
    if (outbox && !uuid.isEmpty())
        return rememberFinish(uuid, r);
    if (q.numRowsAffected() == 0) {
        return Error::make(Error::Kind::Database,
                           QStringLiteral("no provision journal entry %1 in %2").arg(id).arg(path));
    }
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

Result<QList<JournalEntry>> StateStore::Private::readJournalWhere(const QString &where,
                                                                  const QVariantList &values) const
{
    QSqlQuery q(db());
    q.setForwardOnly(true);
    q.prepare(journalColumns() + where);
    for (const QVariant &v : values)
        q.addBindValue(v);
    if (!q.exec())
        return error(QStringLiteral("cannot read the provision journal"), q.lastError());
    QList<JournalEntry> out;
    while (q.next())
        out.append(readJournal(q));
    return out;
}

Result<QList<JournalEntry>> StateStore::unresolvedJournal() const
{
    // Provisions only: an interrupted stop leaves its instance on file, nothing to reconcile.
    auto all = d->readJournalWhere(
        QStringLiteral(" WHERE outcome IN (?, ?, ?) AND (kind IS NULL OR kind = ?) ORDER BY id"),
        { journalOutcomeName(O::Unknown), journalOutcomeName(O::MovedOn),
          journalOutcomeName(O::Pending), journalKindName(JournalEntry::Kind::Provision) });
    if (!all)
        return all;
    QList<JournalEntry> out;
    for (const JournalEntry &e : std::as_const(*all)) {
        if (e.outcome != O::Pending) // in flight: not unresolved
            out.append(e);
    }
    return out;
}

Result<QList<JournalEntry>> StateStore::inFlightJournal() const
{
    auto all = d->readJournalWhere(QStringLiteral(" WHERE outcome = ? ORDER BY id"),
                                   { journalOutcomeName(O::Pending) });
    if (!all)
        return all;
    QList<JournalEntry> out;
    for (const JournalEntry &e : std::as_const(*all)) {
        if (e.outcome == O::Pending)
            out.append(e);
    }
    return out;
}

Result<QList<JournalEntry>> StateStore::journal(int limit) const
{
    return d->readJournalWhere(QStringLiteral(" ORDER BY id DESC LIMIT ?"), { qMax(0, limit) });
}

Result<JournalEntry> StateStore::journalEntry(qint64 id) const
{
    auto one = d->readJournalWhere(QStringLiteral(" WHERE id = ?"), { id });
    if (!one)
        return one.error();
    if (one->isEmpty())
        return Error::make(Error::Kind::Database,
                           QStringLiteral("no journal entry %1 in %2").arg(id).arg(d->path));
    return one->first();
}

} // namespace cpc
