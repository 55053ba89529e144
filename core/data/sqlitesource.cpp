#include "sqlitesource.h"

#include "logging.h"
#include "privatefiles.h"
#include "rawparse.h"
#include "validation.h"

#include <QDir>
#include <QFileInfo>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>

#include <sqlite3.h>

#include <memory>

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

// The sqlite3 connection QSQLITE holds; QSqlDatabase keeps owning it.
sqlite3 *sqliteHandle(const QSqlDatabase &db)
{
    const QVariant handle = db.driver() ? db.driver()->handle() : QVariant();
    if (!handle.isValid() || qstrcmp(handle.typeName(), "sqlite3*") != 0)
        return nullptr;
    return *static_cast<sqlite3 *const *>(handle.constData());
}

QByteArrayView columnText(sqlite3_stmt *stmt, int col)
{
    const auto *text = reinterpret_cast<const char *>(sqlite3_column_text(stmt, col));
    return text ? QByteArrayView(text, sqlite3_column_bytes(stmt, col)) : QByteArrayView();
}

// A timestamp column as QSQLITE would have handed it to parseTimestamp(): integers and reals
// are unix seconds, text (or a blob) goes through the text rules.
qint64 columnMsecs(sqlite3_stmt *stmt, int col)
{
    switch (sqlite3_column_type(stmt, col)) {
    case SQLITE_NULL:
        return RawRow::kNoTime;
    case SQLITE_INTEGER:
        return rawparse::msecsFromSeconds(double(sqlite3_column_int64(stmt, col)));
    case SQLITE_FLOAT:
        return rawparse::msecsFromSeconds(sqlite3_column_double(stmt, col));
    default:
        return rawparse::timestampFromText(columnText(stmt, col));
    }
}

int columnTier(sqlite3_stmt *stmt, int col)
{
    switch (sqlite3_column_type(stmt, col)) {
    case SQLITE_NULL:
        return 0;
    case SQLITE_INTEGER:
        return int(sqlite3_column_int64(stmt, col));
    case SQLITE_FLOAT:
        return rawparse::tierFromDouble(sqlite3_column_double(stmt, col));
    default:
        return rawparse::tierFromText(columnText(stmt, col));
    }
}

} // namespace

QDateTime SqliteSource::parseTimestamp(const QVariant &value)
{
    qint64 msecs = RawRow::kNoTime;
    switch (value.typeId()) {
    case QMetaType::UnknownType:
        break;
    case QMetaType::Int:
    case QMetaType::LongLong:
    case QMetaType::UInt:
    case QMetaType::ULongLong:
        if (!value.isNull())
            msecs = rawparse::msecsFromSeconds(double(value.toLongLong()));
        break;
    case QMetaType::Double:
        if (!value.isNull())
            msecs = rawparse::msecsFromSeconds(value.toDouble());
        break;
    case QMetaType::QDateTime:
        return value.toDateTime().toUTC();
    default:
        if (!value.isNull())
            msecs = rawparse::timestampFromText(value.toString().toUtf8());
        break;
    }
    return msecs == RawRow::kNoTime ? QDateTime() : QDateTime::fromMSecsSinceEpoch(msecs, Qt::UTC);
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

VoidResult SqliteSource::scan(const ListOptions &options, const RawRowSink &sink)
{
    // The sqlite3 API on QSQLITE's own connection: no QVariant or QString per value, the text
    // handed over as the bytes SQLite holds, valid until the next step.
    const QString what = QStringLiteral("cannot list workspaces");
    sqlite3 *db = sqliteHandle(database());
    if (!db)
        return Error::make(Error::Kind::Database,
                           QStringLiteral("%1 (%2): the SQLite driver gives no connection handle")
                               .arg(what, displayUrl()));
    const auto failed = [&] {
        return databaseError(
            what,
            QSqlError(QString(), QString::fromUtf8(sqlite3_errmsg(db)), QSqlError::StatementError));
    };
    const QByteArray sql = listSql(options).toUtf8();
    sqlite3_stmt *raw = nullptr;
    if (sqlite3_prepare_v2(db, sql.constData(), int(sql.size()), &raw, nullptr) != SQLITE_OK)
        return failed();
    const std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt *)> stmt(raw, sqlite3_finalize);
    const ScanColumns &columns = scanColumns(options);
    // A real in a text column reads as QVariant(double).toString() did.
    std::array<QByteArray, RawRow::TextCount> numberText;
    RawRow row; // what the SELECT leaves out stays empty
    row.msecs.fill(RawRow::kNoTime);
    int rc = SQLITE_ROW;
    while ((rc = sqlite3_step(raw)) == SQLITE_ROW) {
        for (int i = 0; i < columns.textCount; ++i) {
            const auto [field, col] = columns.texts[size_t(i)];
            if (sqlite3_column_type(raw, col) == SQLITE_FLOAT) {
                numberText[size_t(field)]
                    = QVariant(sqlite3_column_double(raw, col)).toString().toUtf8();
                row.text[size_t(field)] = numberText[size_t(field)];
            } else {
                row.text[size_t(field)] = columnText(raw, col);
            }
        }
        row.tier = columnTier(raw, columns.tier);
        if (columns.firstTime >= 0) {
            for (int t = 0; t < RawRow::TimeCount; ++t)
                row.msecs[size_t(t)] = columnMsecs(raw, columns.firstTime + t);
        }
        if (!sink(row))
            return cancelledError();
    }
    if (rc != SQLITE_DONE)
        return failed();
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
