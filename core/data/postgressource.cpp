#include "postgressource.h"

#include "logging.h"
#include "rawparse.h"
#include "sqlitesource.h"

#include <QAtomicInt>
#include <QHash>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlResult>
#include <QUuid>

#include <libpq-fe.h>

namespace cpc {

namespace {

// The caller's password (the profile's, from the keychain) when the URL has none: kept in the
// URL object so that display() masks it and scrub() removes it from driver messages.
DbUrl withCallerPassword(DbUrl url, const SourceOptions &options)
{
    if (url.password.isEmpty() && !options.password.isEmpty())
        url.password = options.password.reveal();
    return url;
}

// libpq's own words say what failed; these say what to do about it.
QString connectHint(const QString &driverText, const DbUrl &url)
{
    if (driverText.contains(QLatin1String("no password supplied")))
        return QStringLiteral(" (give the password through PGPASSWORD, ~/.pgpass, a PGSERVICE "
                              "entry or the profile's keychain entry; never in the URL)");
    if (driverText.contains(QLatin1String("does not support SSL")))
        return QStringLiteral(" (the server %1 does not offer TLS. A host that is not this "
                              "machine is reached with sslmode=verify-full; add sslmode=disable "
                              "or sslmode=prefer to the URL only for a server on a network you "
                              "trust)")
            .arg(url.host.isEmpty() ? QStringLiteral("named by the service") : url.host);
    if (driverText.contains(QLatin1String("root certificate file")))
        return QStringLiteral(" (sslmode=verify-full checks the server's certificate against a "
                              "CA: put it in ~/.postgresql/root.crt or name it with "
                              "sslrootcert=PATH in the URL)");
    return {};
}

// How many rows one FETCH brings: the most scan() holds at a time.
constexpr int kFetchBatch = 5000;

// Type OIDs of the values a tier or a timestamp column may have (pg_type.h).
constexpr Oid kInt8 = 20, kInt2 = 21, kInt4 = 23, kFloat4 = 700, kFloat8 = 701, kNumeric = 1700;

// The PGresult QPSQL holds for the current row; QSqlDatabase keeps owning the connection.
const PGresult *pgResult(const QSqlQuery &q)
{
    const QVariant handle = q.result() ? q.result()->handle() : QVariant();
    if (!handle.isValid() || qstrcmp(handle.typeName(), "PGresult*") != 0)
        return nullptr;
    return *static_cast<PGresult *const *>(handle.constData());
}

QByteArrayView pgText(const PGresult *res, int row, int col)
{
    if (PQgetisnull(res, row, col))
        return {};
    return QByteArrayView(PQgetvalue(res, row, col), PQgetlength(res, row, col));
}

// The rules tierFromVariant() applies to the QVariant QPSQL would make of the value.
int pgTier(const PGresult *res, int row, int col)
{
    if (PQgetisnull(res, row, col))
        return 0;
    const QByteArrayView text = pgText(res, row, col);
    switch (PQftype(res, col)) {
    case kInt2:
    case kInt4:
    case kInt8:
        return int(text.toLongLong());
    case kFloat4:
    case kFloat8:
    case kNumeric:
        return rawparse::tierFromDouble(text.toDouble());
    default:
        return rawparse::tierFromText(text);
    }
}

// Timestamps are selected as epoch seconds (float8) when the column is a timestamp, as text
// otherwise: parseTimestamp()'s rules for a double or a text.
qint64 pgMsecs(const PGresult *res, int row, int col)
{
    if (PQgetisnull(res, row, col))
        return RawRow::kNoTime;
    const QByteArrayView text = pgText(res, row, col);
    switch (PQftype(res, col)) {
    case kInt2:
    case kInt4:
    case kInt8:
        return rawparse::msecsFromSeconds(double(text.toLongLong()));
    case kFloat4:
    case kFloat8:
    case kNumeric: {
        bool ok = false;
        const double secs = text.toDouble(&ok);
        return ok ? rawparse::msecsFromSeconds(secs) : RawRow::kNoTime; // NaN, Infinity
    }
    default:
        return rawparse::timestampFromText(text);
    }
}

} // namespace

PostgresSource::PostgresSource(const DbUrl &url, const SourceOptions &options)
    : SqlWorkspaceSource(withCallerPassword(url, options), options)
{
}

Result<std::unique_ptr<WorkspaceSource>> PostgresSource::open(const DbUrl &url,
                                                              const SourceOptions &options)
{
    return finishOpen(std::unique_ptr<SqlWorkspaceSource>(new PostgresSource(url, options)),
                      options);
}

VoidResult PostgresSource::initialise(const SourceOptions &options)
{
    if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QPSQL")))
        return Error::make(Error::Kind::Database,
                           QStringLiteral("the Qt PostgreSQL driver (QPSQL) is not installed "
                                          "(Debian: libqt6sql6-psql)"));
    const DbUrl &u = url();
    if (!u.password.isEmpty())
        redaction::registerSecret(Secret(u.password));

    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), connectionName());
    if (!u.host.isEmpty())
        db.setHostName(u.host);
    if (u.port > 0)
        db.setPort(u.port);
    db.setDatabaseName(u.database);
    if (!u.user.isEmpty())
        db.setUserName(u.user);
    if (!u.password.isEmpty())
        db.setPassword(u.password);
    db.setConnectOptions(u.connectOptions);
    if (!db.open()) {
        Error e = databaseError(QStringLiteral("cannot connect to the workspace database"),
                                db.lastError());
        e.message += connectHint(db.lastError().databaseText() + db.lastError().driverText(), u);
        return e;
    }

    if (options.readOnly)
        setReadOnly(QStringLiteral("read-only mode"),
                    QStringLiteral("turn off read-only to write"));
    else if (!options.allowPostgresWrites)
        setReadOnly(QStringLiteral("read-only PostgreSQL source"),
                    QStringLiteral("allow writes to the platform database in the profile to "
                                   "write"));

    QSqlQuery q(db);
    // Belt and braces: a read-only session cannot write even through a bug of ours.
    if (isReadOnly()
        && !q.exec(QStringLiteral("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")))
        return databaseError(QStringLiteral("cannot make the session read-only"), q.lastError());

    // The table's columns and their types, through the search path like an unqualified query.
    if (!q.exec(QStringLiteral("SELECT a.attname::text, t.typname::text FROM pg_attribute a "
                               "JOIN pg_type t ON t.oid = a.atttypid "
                               "WHERE a.attrelid = to_regclass('workspaces') "
                               "AND a.attnum > 0 AND NOT a.attisdropped")))
        return databaseError(QStringLiteral("cannot read the workspaces table's columns"),
                             q.lastError());
    QHash<QString, QString> types;
    while (q.next())
        types.insert(q.value(0).toString(), q.value(1).toString());
    q.finish();
    if (types.isEmpty())
        return Error::make(Error::Kind::Database,
                           QStringLiteral("no workspaces table in %1 (is this the platform's "
                                          "database?)")
                               .arg(displayUrl()));
    for (const char *required : { "id", "status" }) {
        if (!types.contains(QLatin1String(required)))
            return Error::make(Error::Kind::Database,
                               QStringLiteral("the workspaces table in %1 has no %2 column")
                                   .arg(displayUrl(), QLatin1String(required)));
    }
    m_idIsUuid = types.value(QStringLiteral("id")) == QLatin1String("uuid");
    m_statusIsEnum = types.value(QStringLiteral("status")) == QLatin1String("workspace_status");
    m_hasUpdatedAt = types.contains(QStringLiteral("updated_at"));

    const auto text = [&](const QString &column) {
        return types.contains(column) ? column + QStringLiteral("::text") : QStringLiteral("NULL");
    };
    const auto timestamp = [&](const QString &column) {
        const QString type = types.value(column);
        if (type.isEmpty())
            return QStringLiteral("NULL");
        if (type == QLatin1String("timestamptz") || type == QLatin1String("timestamp")
            || type == QLatin1String("date"))
            return QStringLiteral("EXTRACT(EPOCH FROM %1)::float8").arg(column);
        return column + QStringLiteral("::text");
    };
    QString provider = QStringLiteral("NULL");
    const QString computeType = types.value(QStringLiteral("compute"));
    if (computeType == QLatin1String("jsonb") || computeType == QLatin1String("json"))
        provider = QStringLiteral("compute->>'provider'");
    else if (types.contains(QStringLiteral("provider")))
        provider = QStringLiteral("provider::text");

    setColumns(
        { QStringLiteral("id::text"), text(QStringLiteral("name")), text(QStringLiteral("role")),
          types.contains(QStringLiteral("tier")) ? QStringLiteral("tier") : QStringLiteral("NULL"),
          QStringLiteral("status::text"), text(QStringLiteral("runtime")),
          text(QStringLiteral("instance_id")), text(QStringLiteral("url")),
          text(QStringLiteral("last_sample_error")), provider,
          timestamp(QStringLiteral("last_heartbeat_at")), timestamp(QStringLiteral("created_at")),
          timestamp(QStringLiteral("updated_at")) });
    qCDebug(lcDb).noquote() << "opened" << displayUrl()
                            << (isReadOnly() ? "read-only" : "writable");
    return Ok {};
}

VoidResult PostgresSource::scan(const ListOptions &options, const RawRowSink &sink)
{
    // A server-side cursor in a transaction of its own, read a batch at a time: the server
    // keeps the result, this process holds one batch (QPSQL reads a forward-only query a row
    // at a time as libpq receives it). The values are read from QPSQL's PGresult as bytes.
    const QString what = QStringLiteral("cannot list workspaces");
    Transaction tx(database());
    if (!tx.begun())
        return databaseError(what, tx.lastError());
    static QAtomicInt counter;
    const QString cursor = QStringLiteral("cpc_list_%1").arg(counter.fetchAndAddRelaxed(1) + 1);
    QSqlQuery q(database());
    q.setForwardOnly(true);
    if (!q.exec(QStringLiteral("DECLARE %1 NO SCROLL CURSOR FOR %2").arg(cursor, listSql(options))))
        return databaseError(what, q.lastError());
    const QString fetch = QStringLiteral("FETCH FORWARD %1 FROM %2").arg(kFetchBatch).arg(cursor);
    const ScanColumns &columns = scanColumns(options);
    std::array<QByteArray, RawRow::TextCount> fallbackText;
    RawRow row; // what the SELECT leaves out stays empty
    row.msecs.fill(RawRow::kNoTime);
    for (;;) {
        if (!q.exec(fetch))
            return databaseError(what, q.lastError());
        int fetched = 0;
        while (q.next()) {
            ++fetched;
            if (const PGresult *res = pgResult(q)) {
                // Single-row mode: the result holds just this row; otherwise the whole batch.
                const int r = q.isForwardOnly() ? 0 : q.at();
                for (int i = 0; i < columns.textCount; ++i) {
                    const auto [field, col] = columns.texts[size_t(i)];
                    row.text[size_t(field)] = pgText(res, r, col);
                }
                row.tier = pgTier(res, r, columns.tier);
                if (columns.firstTime >= 0) {
                    for (int t = 0; t < RawRow::TimeCount; ++t)
                        row.msecs[size_t(t)] = pgMsecs(res, r, columns.firstTime + t);
                }
            } else {
                // A QPSQL that does not hand out its result: the same values through QVariant.
                for (int i = 0; i < columns.textCount; ++i) {
                    const auto [field, col] = columns.texts[size_t(i)];
                    fallbackText[size_t(field)] = q.value(col).toString().toUtf8();
                    row.text[size_t(field)] = fallbackText[size_t(field)];
                }
                row.tier = tierFromVariant(q.value(columns.tier));
                for (int t = 0; columns.firstTime >= 0 && t < RawRow::TimeCount; ++t) {
                    const QDateTime at = toDateTime(q.value(columns.firstTime + t));
                    row.msecs[size_t(t)] = at.isValid() ? at.toMSecsSinceEpoch() : RawRow::kNoTime;
                }
            }
            if (!sink(row)) {
                q.finish(); // the rest of the batch is discarded; the rollback closes the cursor
                return cancelledError();
            }
        }
        if (q.lastError().isValid())
            return databaseError(what, q.lastError());
        if (fetched < kFetchBatch)
            break;
    }
    if (!q.exec(QStringLiteral("CLOSE %1").arg(cursor)))
        return databaseError(what, q.lastError());
    q.finish();
    if (!tx.commit())
        return databaseError(what, tx.lastError());
    return Ok {};
}

QString PostgresSource::idPredicate() const
{
    return m_idIsUuid ? QStringLiteral("id = CAST(? AS uuid)") : QStringLiteral("id = ?");
}

bool PostgresSource::idCanExist(const QString &id) const
{
    // A text that is not a UUID has no row; asking would only earn a type error.
    return !m_idIsUuid || !QUuid::fromString(id).isNull();
}

QDateTime PostgresSource::toDateTime(const QVariant &value) const
{
    // Timestamps arrive as epoch seconds (float8), independent of the server's TimeZone and
    // DateStyle settings.
    return SqliteSource::parseTimestamp(value);
}

Result<int> PostgresSource::updateRow(const QString &sql, const QVariantList &values,
                                      const QString &id, const QString &action)
{
    const QString what = QStringLiteral("cannot record %1").arg(action);
    if (!idCanExist(id))
        return 0;
    Transaction tx(database());
    if (!tx.begun())
        return databaseError(what, tx.lastError());
    QSqlQuery q(database());
    if (!q.prepare(sql))
        return databaseError(what, q.lastError());
    for (const QVariant &v : values)
        q.addBindValue(v);
    if (!q.exec())
        return databaseError(what, q.lastError());
    const int affected = q.numRowsAffected();
    q.finish();
    if (!tx.commit())
        return databaseError(what, tx.lastError());
    qCDebug(lcDb).noquote() << "recorded" << action << "in" << affected << "row(s)";
    return affected;
}

Result<LedgerWrite> PostgresSource::recordProvisioned(const QString &id, const QString &instanceId,
                                                      const QString &status,
                                                      const QString &expectedInstanceId,
                                                      const std::optional<WorkspaceRow> &created)
{
    Q_UNUSED(created); // the platform's rows are the platform's to create
    const QString action = QStringLiteral("the provision of %1 (instance %2)").arg(id, instanceId);
    if (const VoidResult writable = checkWrite(id, instanceId, action); !writable)
        return writable.error();
    if (m_statusIsEnum && !knownWorkspaceStatuses().contains(status))
        return Error::make(Error::Kind::Policy,
                           QStringLiteral("not recording %1: '%2' is not a workspace_status")
                               .arg(action, status.left(40)));
    // Compare-and-set: the row changes only while it holds what the provision started from.
    const QString sql
        = QStringLiteral("UPDATE workspaces SET instance_id = ?, status = %1%2 WHERE %3 AND "
                         "COALESCE(btrim(instance_id), '') = ?")
              .arg(m_statusIsEnum ? QStringLiteral("CAST(? AS workspace_status)")
                                  : QStringLiteral("?"),
                   m_hasUpdatedAt ? QStringLiteral(", updated_at = now()") : QString(),
                   idPredicate());
    // A null QString binds as NULL, which equals nothing: "no instance" is compared as ''.
    const auto affected
        = updateRow(sql,
                    { instanceId, status, id,
                      (expectedInstanceId.trimmed().isEmpty() ? QStringLiteral("")
                                                              : expectedInstanceId.trimmed()) },
                    id, action);
    if (!affected)
        return affected.error();
    auto outcome = compareAndSetOutcome(id, *affected);
    if (!outcome || outcome->written)
        return outcome;
    if (!outcome->rowFound)
        return Error::make(Error::Kind::Database,
                           QStringLiteral("cannot record %1: no row for %2 in %3, and the "
                                          "platform's rows are not created here; note the "
                                          "instance ID")
                               .arg(action, id, displayUrl()));
    LedgerWrite &result = outcome.value();
    result.written = result.found == instanceId; // the row already names this instance
    if (result.written)
        result.found.clear();
    return outcome;
}

Result<LedgerWrite> PostgresSource::recordStopped(const QString &id,
                                                  const QString &stoppedInstanceId)
{
    const QString action
        = QStringLiteral("the stop of %1 (instance %2)").arg(id, stoppedInstanceId);
    if (const VoidResult writable = checkWrite(id, action); !writable)
        return writable.error();
    const QString sql
        = QStringLiteral("UPDATE workspaces SET instance_id = NULL, status = %1%2 WHERE %3 AND "
                         "btrim(instance_id) = ?")
              .arg(m_statusIsEnum ? QStringLiteral("CAST('offline' AS workspace_status)")
                                  : QStringLiteral("'offline'"),
                   m_hasUpdatedAt ? QStringLiteral(", updated_at = now()") : QString(),
                   idPredicate());
    const auto affected = updateRow(sql, { id, stoppedInstanceId.trimmed() }, id, action);
    if (!affected)
        return affected.error();
    const auto outcome = compareAndSetOutcome(id, *affected);
    if (outcome && !outcome->written)
        logStopNotRecorded(id, *outcome);
    return outcome;
}

VoidResult PostgresSource::upsertRows(const QList<WorkspaceRow> &rows)
{
    const QString action = QStringLiteral("a sync of %1 workspaces").arg(rows.size());
    if (isReadOnly())
        return readOnlyError(action);
    return Error::make(Error::Kind::Policy,
                       QStringLiteral("not recording %1: the platform's database is never "
                                      "rewritten; sync into a SQLite source")
                           .arg(action));
}

} // namespace cpc
