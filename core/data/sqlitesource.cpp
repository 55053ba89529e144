#include "sqlitesource.h"

#include "logging.h"
#include "privatefiles.h"
#include "validation.h"

#include <QDir>
#include <QFileInfo>
#include <QSqlQuery>

namespace cpc {

namespace {

// The columns of our table in readRow()'s order, with their SQLite types.
struct Column
{
    const char *name;
    const char *type;
};
constexpr Column kColumns[] = {
    { "id", "TEXT PRIMARY KEY NOT NULL" },
    { "name", "TEXT" },
    { "role", "TEXT" },
    { "tier", "INTEGER" },
    { "status", "TEXT" },
    { "runtime", "TEXT" },
    { "instance_id", "TEXT" },
    { "url", "TEXT" },
    { "last_sample_error", "TEXT" },
    { "provider", "TEXT" },
    { "last_heartbeat_at", "TEXT" },
    { "created_at", "TEXT" },
    { "updated_at", "TEXT" },
};

// Compare-and-set: the row changes only while it holds what the call acted on.
const QString kUpdateProvisioned
    = QStringLiteral("UPDATE workspaces SET instance_id = ?, status = ?, updated_at = ? "
                     "WHERE id = ? AND COALESCE(TRIM(instance_id), '') = ?");
const QString kUpdateStopped
    = QStringLiteral("UPDATE workspaces SET instance_id = NULL, status = 'offline', "
                     "updated_at = ? WHERE id = ? AND TRIM(instance_id) = ?");
const QString kUpdateRow = QStringLiteral(
    "UPDATE workspaces SET name = ?, role = ?, tier = ?, status = ?, runtime = ?, "
    "instance_id = ?, url = ?, last_sample_error = ?, provider = ?, last_heartbeat_at = ?, "
    "created_at = ?, updated_at = ? WHERE id = ?");
const QString kInsertRow
    = QStringLiteral("INSERT INTO workspaces (name, role, tier, status, runtime, instance_id, url, "
                     "last_sample_error, provider, last_heartbeat_at, created_at, updated_at, id) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");

QVariant nullIfEmpty(const QString &s)
{
    return s.isEmpty() ? QVariant(QMetaType::fromType<QString>()) : QVariant(s);
}

// Binds the 13 values of kUpdateRow / kInsertRow (same order, id last).
void bindRow(QSqlQuery &q, const WorkspaceRow &row)
{
    q.addBindValue(row.name);
    q.addBindValue(row.role);
    q.addBindValue(row.tier);
    q.addBindValue(row.status);
    q.addBindValue(row.runtime);
    q.addBindValue(nullIfEmpty(row.instanceId)); // the platform stores "no instance" as NULL
    q.addBindValue(row.url);
    q.addBindValue(row.lastSampleError);
    q.addBindValue(row.provider);
    q.addBindValue(SqliteSource::formatTimestamp(row.lastHeartbeatAt));
    q.addBindValue(SqliteSource::formatTimestamp(row.createdAt));
    q.addBindValue(SqliteSource::formatTimestamp(row.updatedAt));
    q.addBindValue(row.id);
}

inline int digit(QChar c)
{
    const char16_t u = c.unicode();
    return u >= '0' && u <= '9' ? int(u - '0') : -1;
}

int digits(QStringView s, qsizetype at, int count)
{
    int v = 0;
    for (int i = 0; i < count; ++i) {
        const int d = digit(s[at + i]);
        if (d < 0)
            return -1;
        v = v * 10 + d;
    }
    return v;
}

// The common shapes, parsed by hand: QDateTime::fromString is ten times slower, and a 100k-row
// list parses three timestamps per row. Returns an invalid QDateTime when it cannot parse.
QDateTime parseIsoFast(QStringView s)
{
    const qsizetype n = s.size();
    if (n < 10 || s[4] != u'-' || s[7] != u'-')
        return {};
    const int y = digits(s, 0, 4), mo = digits(s, 5, 2), d = digits(s, 8, 2);
    if (y < 0 || mo < 0 || d < 0)
        return {};
    const QDate date(y, mo, d);
    if (!date.isValid())
        return {};
    if (n == 10)
        return QDateTime(date, QTime(0, 0), Qt::UTC);
    if (n < 19 || (s[10] != u'T' && s[10] != u't' && s[10] != u' ') || s[13] != u':'
        || s[16] != u':')
        return {};
    const int h = digits(s, 11, 2), mi = digits(s, 14, 2), sec = digits(s, 17, 2);
    if (h < 0 || mi < 0 || sec < 0)
        return {};
    qsizetype i = 19;
    int ms = 0;
    if (i < n && (s[i] == u'.' || s[i] == u',')) {
        ++i;
        int scale = 100;
        const qsizetype start = i;
        while (i < n && digit(s[i]) >= 0) {
            ms += digit(s[i]) * scale;
            scale /= 10;
            ++i;
        }
        if (i == start)
            return {};
    }
    const QTime time(h, mi, sec, ms);
    if (!time.isValid())
        return {};
    int offsetSecs = 0;
    if (i < n) {
        const QChar z = s[i];
        if ((z == u'Z' || z == u'z') && i + 1 == n) {
            // UTC
        } else if (z == u'+' || z == u'-') {
            const QStringView rest = s.mid(i + 1);
            int oh = -1, om = 0;
            if (rest.size() == 2) {
                oh = digits(rest, 0, 2);
            } else if (rest.size() == 4) {
                oh = digits(rest, 0, 2);
                om = digits(rest, 2, 2);
            } else if (rest.size() == 5 && rest[2] == u':') {
                oh = digits(rest, 0, 2);
                om = digits(rest, 3, 2);
            }
            if (oh < 0 || om < 0 || oh > 23 || om > 59)
                return {};
            offsetSecs = (oh * 3600 + om * 60) * (z == u'-' ? -1 : 1);
        } else {
            return {};
        }
    }
    QDateTime utc(date, time, Qt::UTC);
    return offsetSecs ? utc.addSecs(-offsetSecs) : utc;
}

QDateTime fromUnixSeconds(double secs)
{
    // Years 1 to 9999: anything outside is a malformed value, shown as empty.
    if (!(secs > -62135596800.0 && secs < 253402300800.0))
        return {};
    return QDateTime::fromMSecsSinceEpoch(qint64(secs * 1000.0), Qt::UTC);
}

} // namespace

QDateTime SqliteSource::parseTimestamp(const QVariant &value)
{
    if (value.isNull())
        return {};
    switch (value.typeId()) {
    case QMetaType::Int:
    case QMetaType::LongLong:
    case QMetaType::UInt:
    case QMetaType::ULongLong:
        return fromUnixSeconds(double(value.toLongLong()));
    case QMetaType::Double:
        return fromUnixSeconds(value.toDouble());
    case QMetaType::QDateTime:
        return value.toDateTime().toUTC();
    default:
        break;
    }
    const QString text = value.toString().trimmed();
    if (text.isEmpty())
        return {};
    QDateTime at = parseIsoFast(text);
    if (at.isValid())
        return at;
    bool numeric = false;
    const double secs = text.toDouble(&numeric);
    if (numeric)
        return fromUnixSeconds(secs);
    at = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!at.isValid())
        return {};
    if (at.timeSpec() == Qt::LocalTime) // no zone given: the platform writes UTC
        at = QDateTime(at.date(), at.time(), Qt::UTC);
    return at.toUTC();
}

QVariant SqliteSource::formatTimestamp(const QDateTime &at)
{
    if (!at.isValid())
        return QVariant(QMetaType::fromType<QString>());
    return at.toUTC().toString(Qt::ISODateWithMs);
}

SqliteSource::SqliteSource(const DbUrl &url, const SourceOptions &options)
    : SqlWorkspaceSource(url, options)
{
}

Result<std::unique_ptr<WorkspaceSource>> SqliteSource::open(const DbUrl &url,
                                                            const SourceOptions &options)
{
    return finishOpen(std::unique_ptr<SqlWorkspaceSource>(new SqliteSource(url, options)), options);
}

VoidResult SqliteSource::initialise(const SourceOptions &options)
{
    const QString path = url().path;
    const bool memory = path == QLatin1String(":memory:");
    // Created owner-only (its folders 0700) before SQLite opens it; a FIFO or a device named
    // by --db is refused without being opened. SQLite gives -journal, -wal and -shm the mode
    // of the database, so they are as private as the file.
    bool exists = false;
    if (!memory) {
        const auto created
            = files::prepareDatabaseFile(path, QStringLiteral("the workspace database"));
        if (!created)
            return created.error();
        exists = !created.value();
    }
    const bool fileReadOnly = exists && !QFileInfo(path).isWritable();

    if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QSQLITE")))
        return Error::make(Error::Kind::Database,
                           QStringLiteral("the Qt SQLite driver (QSQLITE) is not installed"));
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connectionName());
    db.setDatabaseName(path);
    db.setConnectOptions(fileReadOnly
                             ? QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000;QSQLITE_OPEN_READONLY")
                             : QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
    if (!db.open())
        return databaseError(QStringLiteral("cannot open the workspace database"), db.lastError());

    if (options.readOnly)
        setReadOnly(QStringLiteral("read-only mode"),
                    QStringLiteral("turn off read-only to write"));
    else if (fileReadOnly)
        setReadOnly(QStringLiteral("read-only file"),
                    QStringLiteral("%1 is not writable").arg(path));

    QSqlQuery q(db);
    // The first statement reads the file: a corrupt or foreign file fails here, at open.
    if (!q.exec(QStringLiteral(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'workspaces'"))
        || !q.next())
        return databaseError(QStringLiteral("not a usable workspace database"), q.lastError());
    const bool hasTable = q.value(0).toInt() > 0;
    q.finish();
    if (!hasTable) {
        if (fileReadOnly)
            return Error::make(
                Error::Kind::Database,
                QStringLiteral("%1 has no workspaces table and is not writable").arg(path));
        QStringList defs;
        for (const Column &c : kColumns)
            defs << QStringLiteral("%1 %2").arg(QLatin1String(c.name), QLatin1String(c.type));
        if (!q.exec(QStringLiteral("CREATE TABLE workspaces (%1)").arg(defs.join(u", "))))
            return databaseError(QStringLiteral("cannot create the workspaces table"),
                                 q.lastError());
        qCInfo(lcDb).noquote() << "created the workspaces table in" << displayUrl();
    }

    if (!q.exec(QStringLiteral("PRAGMA table_info(workspaces)")))
        return databaseError(QStringLiteral("cannot read the workspaces table"), q.lastError());
    while (q.next())
        m_columns << q.value(1).toString().toLower();
    q.finish();

    // A table made by hand or exported from the platform may lack some of our columns. Add them
    // when we may write; otherwise read them as NULL.
    QStringList select;
    for (const Column &c : kColumns) {
        const QString name = QLatin1String(c.name);
        if (!m_columns.contains(name) && !isReadOnly() && name != QLatin1String("id")) {
            if (!q.exec(QStringLiteral("ALTER TABLE workspaces ADD COLUMN %1 %2")
                            .arg(name, QLatin1String(c.type))))
                return databaseError(QStringLiteral("cannot add the column %1").arg(name),
                                     q.lastError());
            m_columns << name;
        }
        if (m_columns.contains(name))
            select << name;
        else if (name == QLatin1String("provider") && m_columns.contains(QLatin1String("compute")))
            select << QStringLiteral("CASE WHEN json_valid(compute) THEN "
                                     "json_extract(compute, '$.provider') END");
        else
            select << QStringLiteral("NULL");
    }
    for (const char *required : { "id", "status" }) {
        if (!m_columns.contains(QLatin1String(required)))
            return Error::make(Error::Kind::Database,
                               QStringLiteral("the workspaces table in %1 has no %2 column")
                                   .arg(displayUrl(), QLatin1String(required)));
    }
    setColumns(select);
    qCDebug(lcDb).noquote() << "opened" << displayUrl() << (isReadOnly() ? "read-only" : "");
    return Ok {};
}

Result<LedgerWrite> SqliteSource::recordProvisioned(const QString &id, const QString &instanceId,
                                                    const QString &status,
                                                    const QString &expectedInstanceId,
                                                    const std::optional<WorkspaceRow> &created)
{
    const QString action = QStringLiteral("the provision of %1 (instance %2)").arg(id, instanceId);
    if (const VoidResult writable = checkWrite(id, instanceId, action); !writable)
        return writable.error();
    if (status.trimmed().isEmpty())
        return Error::make(Error::Kind::Policy,
                           QStringLiteral("not recording %1: no status").arg(action));

    const QString what = QStringLiteral("cannot record %1").arg(action);
    Transaction tx(database());
    if (!tx.begun())
        return databaseError(what, tx.lastError());
    const QVariant now = formatTimestamp(QDateTime::currentDateTimeUtc());
    QSqlQuery q(database());
    if (!q.prepare(kUpdateProvisioned))
        return databaseError(what, q.lastError());
    q.addBindValue(instanceId);
    q.addBindValue(status);
    q.addBindValue(now);
    q.addBindValue(id);
    // A null QString binds as NULL, which equals nothing: "no instance" is compared as ''.
    q.addBindValue((expectedInstanceId.trimmed().isEmpty() ? QStringLiteral("")
                                                           : expectedInstanceId.trimmed()));
    if (!q.exec())
        return databaseError(what, q.lastError());
    const auto outcome = compareAndSetOutcome(id, q.numRowsAffected());
    if (!outcome)
        return outcome.error();
    LedgerWrite result = *outcome;
    if (!result.written) {
        if (result.rowFound) {
            // The row moved on while the call was out (or already names this instance).
            result.written = result.found == instanceId;
            if (result.written)
                result.found.clear();
            if (!tx.commit())
                return databaseError(what, tx.lastError());
            return result;
        }
        // No row (deleted meanwhile, or provisioned from cpctl by ID): keep the instance ID on
        // file rather than lose track of a running instance.
        WorkspaceRow row = created.value_or(WorkspaceRow {});
        row.id = id;
        row.instanceId = instanceId;
        row.status = status;
        row.updatedAt = QDateTime::currentDateTimeUtc();
        if (!row.createdAt.isValid())
            row.createdAt = row.updatedAt;
        QSqlQuery insert(database());
        if (!insert.prepare(kInsertRow))
            return databaseError(what, insert.lastError());
        bindRow(insert, row);
        if (!insert.exec())
            return databaseError(what, insert.lastError());
        qCInfo(lcDb).noquote() << "created the row of" << id << "after its provision";
        result.written = true;
        result.rowFound = true;
    }
    if (!tx.commit())
        return databaseError(what, tx.lastError());
    qCDebug(lcDb).noquote() << "recorded" << action;
    return result;
}

Result<LedgerWrite> SqliteSource::recordStopped(const QString &id, const QString &stoppedInstanceId)
{
    const QString action
        = QStringLiteral("the stop of %1 (instance %2)").arg(id, stoppedInstanceId);
    if (const VoidResult writable = checkWrite(id, action); !writable)
        return writable.error();
    const QString what = QStringLiteral("cannot record %1").arg(action);
    Transaction tx(database());
    if (!tx.begun())
        return databaseError(what, tx.lastError());
    QSqlQuery q(database());
    if (!q.prepare(kUpdateStopped))
        return databaseError(what, q.lastError());
    q.addBindValue(formatTimestamp(QDateTime::currentDateTimeUtc()));
    q.addBindValue(id);
    q.addBindValue(stoppedInstanceId.trimmed());
    if (!q.exec())
        return databaseError(what, q.lastError());
    const auto outcome = compareAndSetOutcome(id, q.numRowsAffected());
    if (!outcome)
        return outcome.error();
    if (!outcome->written)
        logStopNotRecorded(id, *outcome);
    if (!tx.commit())
        return databaseError(what, tx.lastError());
    return outcome;
}

VoidResult SqliteSource::upsertRows(const QList<WorkspaceRow> &rows)
{
    const QString action = QStringLiteral("a sync of %1 workspaces").arg(rows.size());
    if (isReadOnly())
        return readOnlyError(action);
    for (const WorkspaceRow &row : rows) {
        if (const VoidResult reason = validation::checkWorkspaceId(row.id); !reason)
            return Error::make(
                Error::Kind::Policy,
                QStringLiteral("not recording %1: %2").arg(action, reason.error().message));
    }
    const QString what = QStringLiteral("cannot record %1").arg(action);
    Transaction tx(database());
    if (!tx.begun())
        return databaseError(what, tx.lastError());
    // UPDATE then INSERT rather than an upsert clause: a hand-made table may lack the unique
    // constraint that ON CONFLICT needs.
    QSqlQuery update(database());
    QSqlQuery insert(database());
    if (!update.prepare(kUpdateRow))
        return databaseError(what, update.lastError());
    if (!insert.prepare(kInsertRow))
        return databaseError(what, insert.lastError());
    for (const WorkspaceRow &row : rows) {
        bindRow(update, row);
        if (!update.exec())
            return databaseError(what, update.lastError());
        if (update.numRowsAffected() > 0)
            continue;
        bindRow(insert, row);
        if (!insert.exec())
            return databaseError(what, insert.lastError());
    }
    if (!tx.commit())
        return databaseError(what, tx.lastError());
    return Ok {};
}

} // namespace cpc
