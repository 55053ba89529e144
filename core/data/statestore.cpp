#include "statestore_p.h"

#include "dburl.h"
#include "logging.h"
#include "privatefiles.h"
#include "processidentity.h"

#include <QAtomicInt>
#include <QCoreApplication>
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

const QString kRedactedValue = QStringLiteral("<redacted>");

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
    if (v.metaType() == QMetaType::fromType<QDateTime>()) // a timestamptz of the team database
        return v.toDateTime().toUTC();
    QDateTime at = QDateTime::fromString(v.toString(), Qt::ISODateWithMs);
    return at.isValid() ? at.toUTC() : QDateTime();
}

QVariant nullable(const QString &s)
{
    return s.isNull() ? QVariant(QMetaType::fromType<QString>()) : QVariant(s);
}

QString newConnectionName()
{
    static QAtomicInt counter;
    return QStringLiteral("cpc-state-%1").arg(counter.fetchAndAddRelaxed(1) + 1);
}

QString newUuid()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
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

StateStore::StateStore()
    : d(std::make_unique<Private>())
{
}

StateStore::~StateStore()
{
    unregisterSession(d->session);
    for (const QString &name : { d->fileConnection, d->teamConnection }) {
        if (name.isEmpty())
            continue;
        {
            QSqlDatabase db = QSqlDatabase::database(name, false);
            if (db.isOpen())
                db.close();
        }
        QSqlDatabase::removeDatabase(name);
    }
}

QString StateStore::defaultPath()
{
    QString env = qEnvironmentVariable("CPCONSOLE_STATE");
    if (!env.isEmpty())
        return env;
    return userDataDirectory() + QStringLiteral("/state.sqlite");
}

bool StateStore::isTeamLocation(const QString &location)
{
    return location.startsWith(QLatin1String("postgresql:"), Qt::CaseInsensitive)
        || location.startsWith(QLatin1String("postgres:"), Qt::CaseInsensitive);
}

QString StateStore::outboxPathFor(const QString &)
{
    return userDataDirectory() + QStringLiteral("/team-outbox.sqlite");
}

int StateStore::leaseSeconds()
{
    bool ok = false;
    const int s = qEnvironmentVariableIntValue("CPCONSOLE_LEASE_SECONDS", &ok);
    return ok && s > 0 ? s : 30;
}

Result<std::unique_ptr<StateStore>> StateStore::open(const QString &location,
                                                     const QString &outboxPath)
{
    if (location.isEmpty())
        return Error::make(Error::Kind::Config, QStringLiteral("no path for the local state"));
    std::unique_ptr<StateStore> store(new StateStore);
    Private &d = *store->d;
    d.session = newUuid();
    registerSession(d.session);
    if (!isTeamLocation(location)) {
        d.path = location;
        if (const VoidResult opened = d.openFile(location); !opened)
            return opened.error();
        qCDebug(lcDb).noquote() << "local state" << location << "version" << d.version;
        return store;
    }

    const auto url = DbUrl::parse(location);
    if (!url)
        return url.error();
    d.team = true;
    d.teamUrl = *url;
    d.path = url->display();
    d.outboxPath = outboxPath.isEmpty() ? outboxPathFor(location) : outboxPath;
    if (const VoidResult online = d.openTeam(); !online) {
        // A schema that is missing, older or newer will not mend itself by waiting: an error.
        if (online.error().kind != Error::Kind::Transport)
            return online.error();
        d.teamProblem = online.error().message;
        if (const VoidResult offline = d.openOutbox(); !offline)
            return Error::make(Error::Kind::Database,
                               QStringLiteral("%1; and the local outbox cannot be used either: %2")
                                   .arg(online.error().message, offline.error().message));
        qCWarning(lcDb).noquote() << "team state unreachable, working on the local outbox"
                                  << d.outboxPath
                                  << "(entries are not yet shared):" << d.teamProblem;
        return store;
    }
    if (QFileInfo::exists(d.outboxPath)) {
        if (const auto uploaded = d.upload(); !uploaded)
            qCWarning(lcDb).noquote() << "could not upload the outbox:" << uploaded.error().message;
    }
    return store;
}

VoidResult StateStore::Private::openFile(const QString &file)
{
    // Created owner-only before SQLite opens it (it holds who did what to which workspace); a
    // FIFO or a device named by CPCONSOLE_STATE is refused without being opened.
    if (const auto prepared = files::prepareDatabaseFile(file, QStringLiteral("the local state"));
        !prepared)
        return prepared.error();
    if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QSQLITE")))
        return Error::make(Error::Kind::Database,
                           QStringLiteral("the Qt SQLite driver (QSQLITE) is not installed"));
    fileConnection = newConnectionName();
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), fileConnection);
    db.setDatabaseName(file);
    db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
    connectionName = fileConnection;
    pg = false;
    if (!db.open())
        return error(QStringLiteral("cannot open the local state"), db.lastError());
    return migrate();
}

QString StateStore::path() const
{
    return d->path;
}

int StateStore::schemaVersion() const
{
    return d->version;
}

bool StateStore::isTeam() const
{
    return d->team;
}

bool StateStore::isShared() const
{
    return d->team && d->pg;
}

QString StateStore::teamProblem() const
{
    return d->pg ? QString() : d->teamProblem;
}

QSqlDriver *StateStore::notificationDriver() const
{
    return d->pg ? d->db().driver() : nullptr;
}

VoidResult StateStore::appendAudit(AuditEntry entry)
{
    if (!entry.at.isValid())
        entry.at = QDateTime::currentDateTimeUtc();
    if (entry.user.isEmpty())
        entry.user = ProcessIdentity::osUser();
    if (entry.host.isEmpty())
        entry.host = ProcessIdentity::hostName();
    if (entry.program.isEmpty())
        entry.program = QCoreApplication::applicationName();
    if (entry.uuid.isEmpty())
        entry.uuid = newUuid();
    const auto write = [&]() -> VoidResult {
        QSqlQuery q(d->db());
        // db_user and shared_at are the team database's own (see the migrations).
        q.prepare(d->pg ? QStringLiteral("INSERT INTO audit (at, \"user\", host, profile, org_id, "
                                         "workspace_id, action, request, result, detail, uuid, "
                                         "program) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                        : QStringLiteral("INSERT INTO audit (at, \"user\", host, profile, org_id, "
                                         "workspace_id, action, request, result, detail, uuid, "
                                         "program, shared) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                                         "?, ?, ?)"));
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
        q.addBindValue(entry.uuid);
        q.addBindValue(nullable(entry.program));
        if (!d->pg)
            q.addBindValue(d->outbox ? 0 : 1);
        if (!q.exec())
            return d->error(QStringLiteral("cannot write the audit log"), q.lastError());
        return Ok {};
    };
    VoidResult r = write();
    if (!r && d->failOver())
        r = write();
    return r;
}

namespace {

const QString kAuditColumns
    = QStringLiteral("SELECT id, at, \"user\", profile, org_id, workspace_id, action, request, "
                     "result, detail, host, uuid, program, %1 FROM audit");

AuditEntry readAudit(const QSqlQuery &q)
{
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
    e.uuid = q.value(11).toString();
    e.program = q.value(12).toString();
    e.dbUser = q.value(13).toString();
    e.shared = q.value(14).toInt() != 0;
    return e;
}

} // namespace

Result<QList<AuditEntry>> StateStore::Private::readAuditWhere(const QString &where,
                                                              const QVariantList &values) const
{
    QSqlQuery q(db());
    q.setForwardOnly(true);
    q.prepare(kAuditColumns.arg(pg ? QStringLiteral("db_user, 1") : QStringLiteral("NULL, shared"))
              + where);
    for (const QVariant &v : values)
        q.addBindValue(v);
    if (!q.exec())
        return error(QStringLiteral("cannot read the audit log"), q.lastError());
    QList<AuditEntry> out;
    while (q.next())
        out.append(readAudit(q));
    return out;
}

Result<QList<AuditEntry>> StateStore::audit(const QString &workspaceId, int limit) const
{
    const auto read = [&] {
        if (workspaceId.isEmpty())
            return d->readAuditWhere(QStringLiteral(" ORDER BY id DESC LIMIT ?"),
                                     { qMax(0, limit) });
        return d->readAuditWhere(QStringLiteral(" WHERE workspace_id = ? ORDER BY id DESC LIMIT ?"),
                                 { workspaceId, qMax(0, limit) });
    };
    auto r = read();
    if (!r && d->failOver())
        r = read();
    return r;
}

Result<QList<AuditEntry>> StateStore::auditAfter(qint64 afterId, int limit) const
{
    return d->readAuditWhere(QStringLiteral(" WHERE id > ? ORDER BY id LIMIT ?"),
                             { afterId, qMax(0, limit) });
}

VoidResult StateStore::appendStatus(const StatusSample &sample)
{
    return appendStatuses({ sample });
}

VoidResult StateStore::appendStatuses(const QList<StatusSample> &samples)
{
    if (samples.isEmpty())
        return Ok {};
    VoidResult r = d->appendStatuses(samples);
    if (!r && d->failOver())
        r = d->appendStatuses(samples);
    return r;
}

VoidResult StateStore::Private::appendStatuses(const QList<StatusSample> &samples)
{
    QSqlDatabase database = db();
    const bool batch = samples.size() > 1;
    if (batch && !database.transaction())
        return error(QStringLiteral("cannot write the status history"), database.lastError());
    QSqlQuery q(database);
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
                database.rollback();
            return error(QStringLiteral("cannot write the status history"), e);
        }
    }
    if (batch && !database.commit()) {
        const QSqlError e = database.lastError();
        database.rollback();
        return error(QStringLiteral("cannot write the status history"), e);
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
    const auto write = [&]() -> VoidResult {
        QSqlQuery q(d->db());
        // On the team database each engineer's settings are their own (db_user is theirs).
        q.prepare(d->pg ? QStringLiteral("INSERT INTO settings (key, value) VALUES (?, ?) ON "
                                         "CONFLICT (db_user, key) DO UPDATE SET value = "
                                         "excluded.value")
                        : QStringLiteral("INSERT INTO settings (key, value) VALUES (?, ?) "
                                         "ON CONFLICT(key) DO UPDATE SET value = excluded.value"));
        q.addBindValue(key);
        q.addBindValue(value);
        if (!q.exec())
            return d->error(QStringLiteral("cannot save the setting %1").arg(key), q.lastError());
        return Ok {};
    };
    VoidResult r = write();
    if (!r && d->failOver())
        r = write();
    return r;
}

QString StateStore::setting(const QString &key, const QString &fallback) const
{
    QSqlQuery q(d->db());
    q.setForwardOnly(true);
    q.prepare(d->pg ? QStringLiteral("SELECT value FROM settings WHERE key = ? AND db_user = "
                                     "session_user")
                    : QStringLiteral("SELECT value FROM settings WHERE key = ?"));
    q.addBindValue(key);
    if (!q.exec() || !q.next())
        return fallback;
    return q.value(0).toString();
}

} // namespace cpc
