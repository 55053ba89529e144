#include "statestore_p.h"

#include "dburl.h"
#include "logging.h"
#include "privatefiles.h"
#include "processidentity.h"

#include <QAtomicInt>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QUuid>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace cpc {

namespace {

// Each step takes the file from version N to N + 1, in order. Never edit a released step: add
// one. v1 was the first layout; v2 added the per-open session to the journal (an entry left
// Pending by another session is "outcome unknown") and the lookup indexes; v3 added settings;
// v4 added the audit host, and to the journal the operation kind, the holder of the entry (the
// per-workspace operation lock) and the instance IDs a compare-and-set found.
const QStringList kMigrations[] = {
    {
        QStringLiteral("CREATE TABLE audit (id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT "
                       "NULL, user TEXT, profile TEXT, org_id TEXT, workspace_id TEXT, action "
                       "TEXT NOT NULL, request TEXT, result TEXT, detail TEXT)"),
        QStringLiteral("CREATE TABLE journal (id INTEGER PRIMARY KEY AUTOINCREMENT, started_at "
                       "TEXT NOT NULL, finished_at TEXT, workspace_id TEXT NOT NULL, "
                       "idempotency_key TEXT, request TEXT, outcome TEXT NOT NULL, "
                       "instance_id TEXT, detail TEXT)"),
        QStringLiteral("CREATE TABLE status_history (id INTEGER PRIMARY KEY AUTOINCREMENT, at "
                       "TEXT NOT NULL, workspace_id TEXT NOT NULL, state TEXT NOT NULL, "
                       "cp_state TEXT, detail TEXT)"),
    },
    {
        QStringLiteral("ALTER TABLE journal ADD COLUMN session TEXT"),
        QStringLiteral("CREATE INDEX audit_workspace ON audit (workspace_id, id)"),
        QStringLiteral("CREATE INDEX journal_outcome ON journal (outcome)"),
        QStringLiteral("CREATE INDEX status_workspace ON status_history (workspace_id, at)"),
    },
    {
        QStringLiteral("CREATE TABLE settings (key TEXT PRIMARY KEY NOT NULL, value TEXT)"),
    },
    {
        QStringLiteral("ALTER TABLE audit ADD COLUMN host TEXT"),
        QStringLiteral("ALTER TABLE journal ADD COLUMN kind TEXT"),
        QStringLiteral("ALTER TABLE journal ADD COLUMN holder_user TEXT"),
        QStringLiteral("ALTER TABLE journal ADD COLUMN holder_host TEXT"),
        QStringLiteral("ALTER TABLE journal ADD COLUMN holder_pid INTEGER"),
        QStringLiteral("ALTER TABLE journal ADD COLUMN holder_start TEXT"),
        QStringLiteral("ALTER TABLE journal ADD COLUMN holder_profile TEXT"),
        QStringLiteral("ALTER TABLE journal ADD COLUMN replaced_instance_id TEXT"),
        QStringLiteral("ALTER TABLE journal ADD COLUMN moved_on_to TEXT"),
        QStringLiteral("CREATE INDEX journal_workspace ON journal (workspace_id, outcome)"),
    },
};
constexpr int kLatestVersion = int(std::size(kMigrations));

const QString kRedactedValue = QStringLiteral("<redacted>");

QString newConnectionName()
{
    static QAtomicInt counter;
    return QStringLiteral("cpc-state-%1").arg(counter.fetchAndAddRelaxed(1) + 1);
}

} // namespace

namespace statedetail {

QString iso(const QDateTime &at)
{
    return at.isValid() ? at.toUTC().toString(Qt::ISODateWithMs) : QString();
}

QDateTime fromIso(const QVariant &v)
{
    if (v.isNull())
        return {};
    QDateTime at = QDateTime::fromString(v.toString(), Qt::ISODateWithMs);
    return at.isValid() ? at.toUTC() : QDateTime();
}

QVariant nullable(const QString &s)
{
    return s.isNull() ? QVariant(QMetaType::fromType<QString>()) : QVariant(s);
}

} // namespace statedetail

namespace {

// Requests are stored for the record, never a credential: values under secret-looking keys and
// every value of an "env" map are replaced, and the rest passes through the redactor.
QJsonValue sanitize(const QJsonValue &value, bool hideAll);
QJsonObject sanitizeObject(const QJsonObject &object, bool hideAll)
{
    static const QRegularExpression secretKey(
        QStringLiteral("secret|token|password|passwd|authorization|api[_-]?key|credential"),
        QRegularExpression::CaseInsensitiveOption);
    QJsonObject out;
    for (auto it = object.begin(); it != object.end(); ++it) {
        const bool hide = hideAll || secretKey.match(it.key()).hasMatch();
        const bool env = it.key().compare(QLatin1String("env"), Qt::CaseInsensitive) == 0;
        out.insert(it.key(), sanitize(it.value(), hide || env));
    }
    return out;
}
QJsonValue sanitize(const QJsonValue &value, bool hideAll)
{
    if (value.isObject())
        return sanitizeObject(value.toObject(), hideAll);
    if (value.isArray()) {
        QJsonArray out;
        for (const QJsonValue v : value.toArray())
            out.append(sanitize(v, hideAll));
        return out;
    }
    if (hideAll && !value.isNull())
        return kRedactedValue;
    if (value.isString())
        return redaction::redact(value.toString());
    return value;
}

} // namespace

namespace statedetail {

QString toJson(const QJsonObject &object)
{
    return QString::fromUtf8(
        QJsonDocument(sanitizeObject(object, false)).toJson(QJsonDocument::Compact));
}

QJsonObject fromJson(const QVariant &v)
{
    return QJsonDocument::fromJson(v.toString().toUtf8()).object();
}

} // namespace statedetail

using namespace statedetail;

namespace {

QString runStateKey(RunState s)
{
    return runStateName(s);
}

RunState runStateFromKey(const QString &key)
{
    if (key == runStateName(RunState::Running))
        return RunState::Running;
    if (key == runStateName(RunState::NotRunning))
        return RunState::NotRunning;
    return RunState::Unknown;
}

} // namespace

Error StateStore::Private::error(const QString &what, const QSqlError &e) const
{
    const QString message
        = QStringLiteral("%1 (%2): %3")
              .arg(what, path, e.databaseText().isEmpty() ? e.driverText() : e.databaseText());
    qCWarning(lcDb).noquote() << message;
    return Error::make(Error::Kind::Database, message);
}

VoidResult StateStore::Private::migrate()
{
    QSqlQuery q(db());
    if (!q.exec(QStringLiteral("PRAGMA user_version")) || !q.next())
        return error(QStringLiteral("cannot read the local state"), q.lastError());
    version = q.value(0).toInt();
    q.finish();
    if (version > kLatestVersion)
        return Error::make(Error::Kind::Database,
                           QStringLiteral("%1 was written by a newer CP Console (state schema "
                                          "version %2; this version knows up to %3): update CP "
                                          "Console, or set CPCONSOLE_STATE to another file")
                               .arg(path)
                               .arg(version)
                               .arg(kLatestVersion));
    while (version < kLatestVersion) {
        QSqlDatabase database = db();
        if (!database.transaction())
            return error(QStringLiteral("cannot migrate the local state"), database.lastError());
        for (const QString &statement : kMigrations[version]) {
            if (!q.exec(statement)) {
                const Error e = error(
                    QStringLiteral("cannot migrate the local state to version %1").arg(version + 1),
                    q.lastError());
                database.rollback();
                return e;
            }
        }
        // PRAGMA takes no bound value; the number is ours.
        if (!q.exec(QStringLiteral("PRAGMA user_version = %1").arg(version + 1))) {
            const Error e = error(QStringLiteral("cannot migrate the local state"), q.lastError());
            database.rollback();
            return e;
        }
        if (!database.commit())
            return error(QStringLiteral("cannot migrate the local state"), database.lastError());
        ++version;
        qCInfo(lcDb).noquote() << "local state" << path << "migrated to version" << version;
    }
    return Ok {};
}

StateStore::StateStore()
    : d(std::make_unique<Private>())
{
}

StateStore::~StateStore()
{
    unregisterSession(d->session);
    {
        QSqlDatabase db = d->db();
        if (db.isOpen())
            db.close();
    }
    QSqlDatabase::removeDatabase(d->connectionName);
}

QString StateStore::defaultPath()
{
    QString env = qEnvironmentVariable("CPCONSOLE_STATE");
    if (!env.isEmpty())
        return env;
    return userDataDirectory() + QStringLiteral("/state.sqlite");
}

Result<std::unique_ptr<StateStore>> StateStore::open(const QString &path)
{
    if (path.isEmpty())
        return Error::make(Error::Kind::Config, QStringLiteral("no path for the local state"));
    // Created owner-only before SQLite opens it (it holds who did what to which workspace); a
    // FIFO or a device named by CPCONSOLE_STATE is refused without being opened.
    if (const auto prepared = files::prepareDatabaseFile(path, QStringLiteral("the local state"));
        !prepared)
        return prepared.error();
    if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QSQLITE")))
        return Error::make(Error::Kind::Database,
                           QStringLiteral("the Qt SQLite driver (QSQLITE) is not installed"));

    std::unique_ptr<StateStore> store(new StateStore);
    store->d->path = path;
    store->d->connectionName = newConnectionName();
    store->d->session = QUuid::createUuid().toString(QUuid::WithoutBraces);
    registerSession(store->d->session);
    QSqlDatabase db
        = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), store->d->connectionName);
    db.setDatabaseName(path);
    db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
    if (!db.open())
        return store->d->error(QStringLiteral("cannot open the local state"), db.lastError());
    if (const VoidResult migrated = store->d->migrate(); !migrated)
        return migrated.error();
    qCDebug(lcDb).noquote() << "local state" << path << "version" << store->d->version;
    return store;
}

QString StateStore::path() const
{
    return d->path;
}

int StateStore::schemaVersion() const
{
    return d->version;
}

VoidResult StateStore::appendAudit(AuditEntry entry)
{
    if (!entry.at.isValid())
        entry.at = QDateTime::currentDateTimeUtc();
    if (entry.user.isEmpty())
        entry.user = ProcessIdentity::osUser();
    if (entry.host.isEmpty())
        entry.host = ProcessIdentity::hostName();
    QSqlQuery q(d->db());
    q.prepare(QStringLiteral("INSERT INTO audit (at, user, host, profile, org_id, workspace_id, "
                             "action, request, result, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, "
                             "?)"));
    q.addBindValue(iso(entry.at));
    q.addBindValue(entry.user);
    q.addBindValue(entry.host);
    q.addBindValue(nullable(entry.profile));
    q.addBindValue(nullable(entry.orgId));
    q.addBindValue(nullable(entry.workspaceId));
    q.addBindValue(entry.action);
    q.addBindValue(toJson(entry.request));
    q.addBindValue(entry.result);
    q.addBindValue(redaction::redact(entry.detail));
    if (!q.exec())
        return d->error(QStringLiteral("cannot write the audit log"), q.lastError());
    return Ok {};
}

Result<QList<AuditEntry>> StateStore::audit(const QString &workspaceId, int limit) const
{
    QSqlQuery q(d->db());
    q.setForwardOnly(true);
    const QString columns = QStringLiteral(
        "SELECT id, at, user, profile, org_id, workspace_id, action, request, result, detail, "
        "host FROM audit");
    if (workspaceId.isEmpty()) {
        q.prepare(columns + QStringLiteral(" ORDER BY id DESC LIMIT ?"));
    } else {
        q.prepare(columns + QStringLiteral(" WHERE workspace_id = ? ORDER BY id DESC LIMIT ?"));
        q.addBindValue(workspaceId);
    }
    q.addBindValue(qMax(0, limit));
    if (!q.exec())
        return d->error(QStringLiteral("cannot read the audit log"), q.lastError());
    QList<AuditEntry> out;
    while (q.next()) {
        AuditEntry e;
        e.id = q.value(0).toLongLong();
        e.at = fromIso(q.value(1));
        e.user = q.value(2).toString();
        e.profile = q.value(3).toString();
        e.orgId = q.value(4).toString();
        e.workspaceId = q.value(5).toString();
        e.action = q.value(6).toString();
        e.request = fromJson(q.value(7));
        e.result = q.value(8).toString();
        e.detail = q.value(9).toString();
        e.host = q.value(10).toString();
        out.append(e);
    }
    return out;
}

VoidResult StateStore::appendStatus(const StatusSample &sample)
{
    return appendStatuses({ sample });
}

VoidResult StateStore::appendStatuses(const QList<StatusSample> &samples)
{
    if (samples.isEmpty())
        return Ok {};
    QSqlDatabase db = d->db();
    const bool batch = samples.size() > 1;
    if (batch && !db.transaction())
        return d->error(QStringLiteral("cannot write the status history"), db.lastError());
    QSqlQuery q(db);
    q.prepare(QStringLiteral("INSERT INTO status_history (at, workspace_id, state, cp_state, "
                             "detail) VALUES (?, ?, ?, ?, ?)"));
    for (const StatusSample &sample : samples) {
        q.bindValue(0, iso(sample.at.isValid() ? sample.at : QDateTime::currentDateTimeUtc()));
        q.bindValue(1, sample.workspaceId);
        q.bindValue(2, runStateKey(sample.state));
        q.bindValue(3, nullable(sample.cpState));
        q.bindValue(4, nullable(redaction::redact(sample.detail)));
        if (!q.exec()) {
            const QSqlError e = q.lastError();
            if (batch)
                db.rollback();
            return d->error(QStringLiteral("cannot write the status history"), e);
        }
    }
    if (batch && !db.commit()) {
        const QSqlError e = db.lastError();
        db.rollback();
        return d->error(QStringLiteral("cannot write the status history"), e);
    }
    return Ok {};
}

Result<QList<StatusSample>> StateStore::statusHistory(const QString &workspaceId, int limit) const
{
    QSqlQuery q(d->db());
    q.setForwardOnly(true);
    // Newest first; samples with the same time in the order they were written.
    q.prepare(QStringLiteral("SELECT at, workspace_id, state, cp_state, detail FROM "
                             "status_history WHERE workspace_id = ? ORDER BY at DESC, id DESC "
                             "LIMIT ?"));
    q.addBindValue(workspaceId);
    q.addBindValue(qMax(0, limit));
    if (!q.exec())
        return d->error(QStringLiteral("cannot read the status history"), q.lastError());
    QList<StatusSample> out;
    while (q.next()) {
        StatusSample s;
        s.at = fromIso(q.value(0));
        s.workspaceId = q.value(1).toString();
        s.state = runStateFromKey(q.value(2).toString());
        s.cpState = q.value(3).toString();
        s.detail = q.value(4).toString();
        out.append(s);
    }
    return out;
}

VoidResult StateStore::setSetting(const QString &key, const QString &value)
{
    QSqlQuery q(d->db());
    q.prepare(QStringLiteral("INSERT INTO settings (key, value) VALUES (?, ?) "
                             "ON CONFLICT(key) DO UPDATE SET value = excluded.value"));
    q.addBindValue(key);
    q.addBindValue(value);
    if (!q.exec())
        return d->error(QStringLiteral("cannot save the setting %1").arg(key), q.lastError());
    return Ok {};
}

QString StateStore::setting(const QString &key, const QString &fallback) const
{
    QSqlQuery q(d->db());
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT value FROM settings WHERE key = ?"));
    q.addBindValue(key);
    if (!q.exec() || !q.next())
        return fallback;
    return q.value(0).toString();
}

} // namespace cpc
