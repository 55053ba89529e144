// Team state: the StateStore on the team's PostgreSQL database, the local outbox it works on
// while that database is away, and the upload of the outbox once it answers again.
#include "statestore_p.h"

#include "logging.h"

#include <QFileInfo>

namespace cpc {

using namespace statedetail;

namespace {

// Outbox journal IDs start here, so that an ID handed out by the outbox is never one the team
// database handed out in the same session.
constexpr qint64 kOutboxFirstId = 1'000'000'000'000;

QString driverText(const QSqlError &e)
{
    return e.databaseText().isEmpty() ? e.driverText() : e.databaseText();
}

// A failure that waiting will mend (the server is down, unreachable, restarting) rather than one
// that needs the engineer (no such role or database, a refused password).
bool isUnreachable(const QString &text)
{
    for (const char *permanent : { "authentication failed", "does not exist", "no password",
                                   "permission denied", "no pg_hba.conf entry" }) {
        if (text.contains(QLatin1String(permanent), Qt::CaseInsensitive))
            return false;
    }
    return true;
}

void closeConnection(const QString &name)
{
    if (name.isEmpty() || !QSqlDatabase::contains(name))
        return;
    {
        QSqlDatabase db = QSqlDatabase::database(name, false);
        if (db.isOpen())
            db.close();
    }
    QSqlDatabase::removeDatabase(name);
}

} // namespace

namespace statedetail {

VoidResult openPostgres(const QString &name, const DbUrl &url, const QString &what)
{
    if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QPSQL")))
        return Error::make(Error::Kind::Database,
                           QStringLiteral("the Qt PostgreSQL driver (QPSQL) is not installed "
                                          "(Debian: libqt6sql6-psql)"));
    if (!url.password.isEmpty())
        redaction::registerSecret(Secret(url.password));
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), name);
    if (!url.host.isEmpty())
        db.setHostName(url.host);
    if (url.port > 0)
        db.setPort(url.port);
    db.setDatabaseName(url.database);
    if (!url.user.isEmpty())
        db.setUserName(url.user);
    if (!url.password.isEmpty())
        db.setPassword(url.password);
    // An unreachable host is told within seconds, not after the system's TCP timeout.
    QString options = url.connectOptions;
    if (!options.contains(QLatin1String("connect_timeout")))
        options += (options.isEmpty() ? QString() : QStringLiteral(";"))
            + QStringLiteral("connect_timeout=5");
    db.setConnectOptions(options);
    if (db.open())
        return Ok {};
    const QString text = url.scrub(driverText(db.lastError())).trimmed();
    return Error::make(
        isUnreachable(text) ? Error::Kind::Transport : Error::Kind::Database,
        QStringLiteral("cannot connect to %1 at %2: %3").arg(what, url.display(), text));
}

} // namespace statedetail

VoidResult StateStore::Private::openTeam()
{
    closeConnection(teamConnection);
    teamConnection = newConnectionName();
    if (const VoidResult opened
        = openPostgres(teamConnection, teamUrl, QStringLiteral("the team state"));
        !opened)
        return opened;
    QSqlDatabase db = QSqlDatabase::database(teamConnection, false);
    const auto found = teamVersion(db);
    if (!found)
        return Error::make(Error::Kind::Transport,
                           QStringLiteral("cannot read the team state's version at %1: %2")
                               .arg(teamUrl.display(), found.error().message));
    const QString migrate
        = QStringLiteral("`cpctl state migrate --state URL`, as a role that may create in the "
                         "database");
    if (*found == 0)
        return Error::make(Error::Kind::Database,
                           QStringLiteral("no team state at %1 (schema cpconsole): create it "
                                          "with %2")
                               .arg(teamUrl.display(), migrate));
    if (*found > latestTeamVersion())
        return Error::make(Error::Kind::Database,
                           QStringLiteral("the team state at %1 has schema version %2, newer "
                                          "than this CP Console knows (%3): update CP Console")
                               .arg(teamUrl.display())
                               .arg(*found)
                               .arg(latestTeamVersion()));
    if (*found < latestTeamVersion())
        return Error::make(Error::Kind::Database,
                           QStringLiteral("the team state at %1 has schema version %2; this CP "
                                          "Console needs %3: upgrade it with %4")
                               .arg(teamUrl.display())
                               .arg(*found)
                               .arg(latestTeamVersion())
                               .arg(migrate));
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("SET search_path = cpconsole")))
        return Error::make(Error::Kind::Database, driverText(q.lastError()));
    version = *found;
    connectionName = teamConnection;
    pg = true;
    outbox = false;
    teamProblem.clear();
    return Ok {};
}

VoidResult StateStore::Private::openOutbox()
{
    if (fileConnection.isEmpty()) {
        const int teamVersion = version;
        const VoidResult opened = openFile(outboxPath);
        version = teamVersion;
        if (!opened)
            return opened;
        QSqlQuery q(db());
        q.prepare(QStringLiteral("INSERT INTO sqlite_sequence (name, seq) SELECT 'journal', ? "
                                 "WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = "
                                 "'journal')"));
        q.addBindValue(kOutboxFirstId);
        if (!q.exec())
            return error(QStringLiteral("cannot prepare the team outbox"), q.lastError());
    }
    connectionName = fileConnection;
    pg = false;
    outbox = true;
    return Ok {};
}

bool StateStore::Private::failOver()
{
    if (!team || !pg)
        return false;
    QSqlDatabase db = QSqlDatabase::database(teamConnection, false);
    QSqlQuery probe(db);
    if (probe.exec(QStringLiteral("SELECT 1")))
        return false; // the database answers: the failure was the statement's own
    QString why = teamUrl.scrub(driverText(probe.lastError())).trimmed();
    if (why.isEmpty())
        why = QStringLiteral("the connection was closed");
    teamProblem
        = QStringLiteral("lost the team database at %1 UTC (%2)")
              .arg(QDateTime::currentDateTimeUtc().toString(QStringLiteral("HH:mm:ss")), why);
    probe.finish();
    db.close();
    if (const VoidResult offline = openOutbox(); !offline) {
        qCWarning(lcDb).noquote() << teamProblem
                                  << "and the outbox failed:" << offline.error().message;
        return false;
    }
    qCWarning(lcDb).noquote() << teamProblem << "- working on the local outbox" << outboxPath
                              << "(entries are not yet shared)";
    return true;
}

void StateStore::Private::markUnshared(const QString &table, qint64 id)
{
    if (!outbox)
        return;
    QSqlQuery q(db());
    q.prepare(QStringLiteral("UPDATE %1 SET shared = 0 WHERE id = ?").arg(table));
    q.addBindValue(id);
    q.exec();
}

VoidResult StateStore::Private::rememberFinish(const QString &uuid, const JournalResult &r)
{
    QSqlQuery q(QSqlDatabase::database(fileConnection, false));
    q.prepare(QStringLiteral("INSERT OR REPLACE INTO journal_finish (finished_at, outcome, "
                             "instance_id, detail, replaced_instance_id, moved_on_to, uuid) VALUES "
                             "(?, ?, ?, ?, ?, ?, ?)"));
    bindFinish(q, r);
    q.addBindValue(uuid);
    if (!q.exec())
        return error(QStringLiteral("cannot keep the journal entry's outcome in the outbox"),
                     q.lastError());
    return Ok {};
}

namespace {

// What the outbox holds that the team database has not got, read as the statements that give
// it to the team database.
struct Upload
{
    QString table;
    QString uuid;
    QString statement;
    QVariantList values;
};

const QString kAuditCopy = QStringLiteral(
    "at, \"user\", host, profile, org_id, workspace_id, action, request, result, detail, "
    "program, uuid");
const QString kJournalCopy = QStringLiteral(
    "started_at, finished_at, workspace_id, idempotency_key, request, outcome, instance_id, "
    "detail, session, kind, holder_user, holder_host, holder_pid, holder_start, holder_profile, "
    "holder_program, replaced_instance_id, moved_on_to, uuid");
const QString kFinishCopy = QStringLiteral(
    "finished_at, outcome, instance_id, detail, replaced_instance_id, moved_on_to, uuid");

QString placeholders(int n)
{
    QStringList marks(n, QStringLiteral("?"));
    return marks.join(QStringLiteral(", "));
}

bool readUploads(QSqlDatabase file, QList<Upload> *out, QSqlError *e)
{
    const int auditColumns = int(kAuditCopy.count(u',')) + 1;
    const int journalColumns = int(kJournalCopy.count(u',')) + 1;
    const int finishColumns = int(kFinishCopy.count(u',')) + 1;
    struct Source
    {
        QString table;
        QString select;
        int columns;
        QString statement;
    };
    const Source sources[] = {
        { QStringLiteral("audit"),
          QStringLiteral("SELECT %1 FROM audit WHERE shared = 0 ORDER BY id").arg(kAuditCopy),
          auditColumns,
          QStringLiteral("INSERT INTO audit (%1) VALUES (%2) ON CONFLICT (uuid) DO NOTHING")
              .arg(kAuditCopy, placeholders(auditColumns)) },
        // A provision in flight when it is uploaded gets a lease from the server's clock.
        { QStringLiteral("journal"),
          QStringLiteral("SELECT %1 FROM journal WHERE shared = 0 ORDER BY id").arg(kJournalCopy),
          journalColumns,
          QStringLiteral("INSERT INTO journal (%1, lease_expires) VALUES (%2, CASE WHEN "
                         "?::text = 'pending' THEN now() + make_interval(secs => %3) END) ON "
                         "CONFLICT (uuid) DO NOTHING")
              .arg(kJournalCopy, placeholders(journalColumns))
              .arg(StateStore::leaseSeconds()) },
        { QStringLiteral("journal_finish"),
          QStringLiteral("SELECT %1 FROM journal_finish").arg(kFinishCopy), finishColumns,
          QStringLiteral("UPDATE journal SET finished_at = ?, outcome = ?, instance_id = ?, "
                         "detail = ?, replaced_instance_id = ?, moved_on_to = ? WHERE uuid = "
                         "?::uuid") },
    };
    for (const Source &source : sources) {
        QSqlQuery q(file);
        q.setForwardOnly(true);
        if (!q.exec(source.select)) {
            *e = q.lastError();
            return false;
        }
        while (q.next()) {
            Upload u { source.table, q.value(source.columns - 1).toString(), source.statement, {} };
            for (int i = 0; i < source.columns; ++i)
                u.values.append(q.value(i));
            if (source.table == QLatin1String("journal")) // the outcome again, for the lease
                u.values.append(
                    q.value(kJournalCopy.split(u',').indexOf(QStringLiteral(" outcome"))));
            out->append(u);
        }
    }
    return true;
}

} // namespace

Result<int> StateStore::Private::upload()
{
    if (!pg)
        return Error::make(Error::Kind::Database, QStringLiteral("the team database is away"));
    if (fileConnection.isEmpty()) {
        if (!QFileInfo::exists(outboxPath))
            return 0;
        const QString current = connectionName;
        const int teamVersion = version;
        const VoidResult opened = openFile(outboxPath);
        connectionName = current;
        version = teamVersion;
        pg = true;
        if (!opened)
            return opened.error();
    }
    QSqlDatabase file = QSqlDatabase::database(fileConnection, false);
    QSqlDatabase team = db();
    QList<Upload> uploads;
    if (QSqlError e; !readUploads(file, &uploads, &e))
        return error(QStringLiteral("cannot read the team outbox"), e);
    if (uploads.isEmpty())
        return 0;

    // All or nothing on the team database; a repeated upload finds every UUID there already.
    QSqlQuery q(team);
    if (!q.exec(QStringLiteral("BEGIN")))
        return error(QStringLiteral("cannot upload the outbox"), q.lastError());
    for (const Upload &u : std::as_const(uploads)) {
        const bool prepared = q.prepare(u.statement);
        for (const QVariant &v : u.values)
            q.addBindValue(v);
        if (!prepared || !q.exec()) {
            const Error e = error(QStringLiteral("cannot upload the outbox"), q.lastError());
            QSqlQuery(team).exec(QStringLiteral("ROLLBACK"));
            return e;
        }
    }
    if (!q.exec(QStringLiteral("COMMIT")))
        return error(QStringLiteral("cannot upload the outbox"), q.lastError());

    // Shared now. A crash before this line repeats an upload that changes nothing.
    QSqlQuery mark(file);
    file.transaction();
    for (const Upload &u : std::as_const(uploads)) {
        mark.prepare(u.table == QLatin1String("journal_finish")
                         ? QStringLiteral("DELETE FROM journal_finish WHERE uuid = ?")
                         : QStringLiteral("UPDATE %1 SET shared = 1 WHERE uuid = ?").arg(u.table));
        mark.addBindValue(u.uuid);
        mark.exec();
    }
    file.commit();
    qCInfo(lcDb).noquote() << "uploaded" << uploads.size() << "outbox entries to the team state"
                           << path;
    return int(uploads.size());
}

Result<int> StateStore::reconnect()
{
    if (!d->team)
        return 0;
    if (d->pg) {
        QSqlQuery probe(d->db());
        if (probe.exec(QStringLiteral("SELECT 1")))
            return 0;
        probe.finish();
        d->failOver();
        return Error::make(Error::Kind::Transport, d->teamProblem);
    }
    if (const VoidResult online = d->openTeam(); !online) {
        d->teamProblem = online.error().message;
        return online.error();
    }
    qCInfo(lcDb).noquote() << "team state" << d->path << "answers again";
    return d->upload();
}

int StateStore::unsharedCount() const
{
    if (!d->team || d->fileConnection.isEmpty())
        return 0;
    QSqlQuery q(QSqlDatabase::database(d->fileConnection, false));
    if (!q.exec(QStringLiteral("SELECT (SELECT count(*) FROM audit WHERE shared = 0) + (SELECT "
                               "count(*) FROM journal WHERE shared = 0) + (SELECT count(*) FROM "
                               "journal_finish)"))
        || !q.next())
        return 0;
    return q.value(0).toInt();
}

} // namespace cpc
