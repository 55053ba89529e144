#include "sqlworkspacesource.h"

#include "logging.h"
#include "rawparse.h"
#include "validation.h"

#include <QAtomicInt>
#include <QSqlQuery>
#include <QSqlRecord>

namespace cpc {

namespace {
QString newConnectionName()
{
    static QAtomicInt counter;
    return QStringLiteral("cpc-workspaces-%1").arg(counter.fetchAndAddRelaxed(1) + 1);
}
} // namespace

int tierFromVariant(const QVariant &value)
{
    if (value.isNull())
        return 0;
    switch (value.typeId()) {
    case QMetaType::Int:
    case QMetaType::LongLong:
    case QMetaType::UInt:
    case QMetaType::ULongLong:
        return value.toInt();
    case QMetaType::Double:
        return rawparse::tierFromDouble(value.toDouble());
    default: {
        bool ok = false;
        const int tier = value.toString().trimmed().toInt(&ok);
        return ok ? tier : 0;
    }
    }
}

SqlWorkspaceSource::SqlWorkspaceSource(DbUrl url, const SourceOptions &options)
    : m_url(std::move(url))
    , m_connectionName(options.connectionName.isEmpty() ? newConnectionName()
                                                        : options.connectionName)
{
}

SqlWorkspaceSource::~SqlWorkspaceSource()
{
    {
        QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
        if (db.isOpen())
            db.close();
    }
    QSqlDatabase::removeDatabase(m_connectionName);
}

Result<std::unique_ptr<WorkspaceSource>>
SqlWorkspaceSource::finishOpen(std::unique_ptr<SqlWorkspaceSource> source,
                               const SourceOptions &options)
{
    const VoidResult ok = source->initialise(options);
    if (!ok)
        return ok.error();
    return std::unique_ptr<WorkspaceSource>(std::move(source));
}

QSqlDatabase SqlWorkspaceSource::database() const
{
    return QSqlDatabase::database(m_connectionName, false);
}

Error SqlWorkspaceSource::databaseError(const QString &what, const QSqlError &error) const
{
    QString detail = error.databaseText().trimmed();
    if (detail.isEmpty())
        detail = error.driverText().trimmed();
    if (detail.isEmpty())
        detail = QStringLiteral("unknown error");
    const QString message
        = m_url.scrub(QStringLiteral("%1 (%2): %3").arg(what, m_url.display(), detail));
    qCWarning(lcDb).noquote() << redaction::redact(message);
    return Error::make(Error::Kind::Database, message);
}

QString SqlWorkspaceSource::readOnlyReason() const
{
    if (!isReadOnly())
        return {};
    return QStringLiteral("%1 (%2)").arg(m_readOnlyLabel, m_readOnlyHint);
}

Error SqlWorkspaceSource::readOnlyError(const QString &action) const
{
    return Error::make(
        Error::Kind::ReadOnly,
        QStringLiteral("%1: not recording %2 (%3)").arg(m_readOnlyLabel, action, m_readOnlyHint));
}

VoidResult SqlWorkspaceSource::checkWrite(const QString &id, const QString &action) const
{
    if (isReadOnly())
        return readOnlyError(action);
    if (const VoidResult reason = validation::checkWorkspaceId(id); !reason)
        return Error::make(
            Error::Kind::Policy,
            QStringLiteral("not recording %1: %2").arg(action, reason.error().message));
    return Ok {};
}

VoidResult SqlWorkspaceSource::checkWrite(const QString &id, const QString &instanceId,
                                          const QString &action) const
{
    if (const VoidResult writable = checkWrite(id, action); !writable)
        return writable;
    if (const VoidResult reason = validation::checkInstanceId(instanceId); !reason)
        return Error::make(
            Error::Kind::Policy,
            QStringLiteral("not recording %1: %2").arg(action, reason.error().message));
    return Ok {};
}

WorkspaceRow SqlWorkspaceSource::readRow(const QSqlQuery &q) const
{
    WorkspaceRow row;
    row.id = q.value(0).toString();
    row.name = q.value(1).toString();
    row.role = q.value(2).toString();
    row.tier = tierFromVariant(q.value(3));
    row.status = q.value(4).toString();
    row.runtime = q.value(5).toString();
    row.instanceId = q.value(6).toString();
    row.url = q.value(7).toString();
    row.lastSampleError = q.value(8).toString();
    row.provider = q.value(9).toString();
    row.lastHeartbeatAt = toDateTime(q.value(10));
    row.createdAt = toDateTime(q.value(11));
    row.updatedAt = toDateTime(q.value(12));
    return row;
}

namespace {

// readRow()'s order: id, name, role, tier, status, runtime, instance_id, url,
// last_sample_error, provider, then the three times.
constexpr SqlWorkspaceSource::ScanColumns kAllColumns {
    { { { RawRow::Id, 0 },
        { RawRow::Name, 1 },
        { RawRow::Role, 2 },
        { RawRow::Status, 4 },
        { RawRow::Runtime, 5 },
        { RawRow::InstanceId, 6 },
        { RawRow::Url, 7 },
        { RawRow::LastSampleError, 8 },
        { RawRow::Provider, 9 } } },
    9,
    3,
    10,
};
// The table's: id, name, status, runtime, instance_id, tier.
constexpr SqlWorkspaceSource::ScanColumns kTableColumns {
    { { { RawRow::Id, 0 },
        { RawRow::Name, 1 },
        { RawRow::Status, 2 },
        { RawRow::Runtime, 3 },
        { RawRow::InstanceId, 4 } } },
    5,
    5,
    -1,
};
// Where the table's columns are in the full SELECT list, in kTableColumns' order.
constexpr int kTableFromAll[] = { 0, 1, 4, 5, 6, 3 };

} // namespace

const SqlWorkspaceSource::ScanColumns &SqlWorkspaceSource::scanColumns(const ListOptions &options)
{
    return options.tableColumnsOnly ? kTableColumns : kAllColumns;
}

void SqlWorkspaceSource::setColumns(const QStringList &selectExpressions)
{
    m_selectList = selectExpressions.join(u", ");
    QStringList table;
    for (const int i : kTableFromAll)
        table << selectExpressions.value(i, QStringLiteral("NULL"));
    m_tableSelectList = table.join(u", ");
}

QString SqlWorkspaceSource::listSql(const ListOptions &options) const
{
    // Status is compared as text so that a NULL or unknown status is listed, never dropped.
    QString sql = QStringLiteral("SELECT %1 FROM workspaces")
                      .arg(options.tableColumnsOnly ? m_tableSelectList : m_selectList);
    if (!options.includeRemoved)
        sql += QStringLiteral(" WHERE status IS NULL OR status <> 'removed'");
    return sql;
}

Result<QList<WorkspaceRow>> SqlWorkspaceSource::list(const ListOptions &options)
{
    // One read path: the rows scan() hands over, made into QStrings.
    QList<WorkspaceRow> rows;
    const VoidResult read = scan(options, [&rows](const RawRow &raw) {
        rows.append(rowFromRaw(raw));
        return true;
    });
    if (!read)
        return read.error();
    qCDebug(lcDb) << "listed" << rows.size() << "workspaces from" << displayUrl();
    return rows;
}

Error SqlWorkspaceSource::cancelledError()
{
    return Error::make(Error::Kind::Cancelled, QStringLiteral("listing cancelled"));
}

Result<qint64> SqlWorkspaceSource::count(const ListOptions &options)
{
    QSqlQuery q(database());
    q.setForwardOnly(true);
    QString sql = QStringLiteral("SELECT count(*) FROM workspaces");
    if (!options.includeRemoved)
        sql += QStringLiteral(" WHERE status IS NULL OR status <> 'removed'");
    if (!q.exec(sql) || !q.next())
        return databaseError(QStringLiteral("cannot count workspaces"), q.lastError());
    return q.value(0).toLongLong();
}

Result<std::optional<WorkspaceRow>> SqlWorkspaceSource::get(const QString &id)
{
    if (!idCanExist(id))
        return std::optional<WorkspaceRow>();
    QSqlQuery q(database());
    q.setForwardOnly(true);
    if (!q.prepare(
            QStringLiteral("SELECT %1 FROM workspaces WHERE %2").arg(m_selectList, idPredicate())))
        return databaseError(QStringLiteral("cannot read workspace %1").arg(id), q.lastError());
    q.addBindValue(id);
    if (!q.exec())
        return databaseError(QStringLiteral("cannot read workspace %1").arg(id), q.lastError());
    if (!q.next()) {
        if (q.lastError().isValid())
            return databaseError(QStringLiteral("cannot read workspace %1").arg(id), q.lastError());
        return std::optional<WorkspaceRow>();
    }
    return std::optional<WorkspaceRow>(readRow(q));
}

Result<QString> SqlWorkspaceSource::resolveInstanceId(const QString &id)
{
    const auto onRow
        = selectInstanceId(id, QStringLiteral("cannot resolve the instance ID of %1").arg(id));
    if (!onRow)
        return onRow.error();
    return onRow.value().value_or(QString()); // no row, NULL or empty: nothing to act on
}

Result<std::optional<QString>> SqlWorkspaceSource::instanceOnRow(const QString &id) const
{
    return selectInstanceId(id, QStringLiteral("cannot read the instance ID of %1").arg(id));
}

Result<std::optional<QString>> SqlWorkspaceSource::selectInstanceId(const QString &id,
                                                                    const QString &what) const
{
    if (!idCanExist(id))
        return std::optional<QString>();
    QSqlQuery q(database());
    q.setForwardOnly(true);
    if (!q.prepare(
            QStringLiteral("SELECT instance_id FROM workspaces WHERE %1").arg(idPredicate())))
        return databaseError(what, q.lastError());
    q.addBindValue(id);
    if (!q.exec())
        return databaseError(what, q.lastError());
    if (!q.next()) {
        if (q.lastError().isValid())
            return databaseError(what, q.lastError());
        return std::optional<QString>();
    }
    return std::optional<QString>(q.value(0).toString().trimmed());
}

Result<LedgerWrite> SqlWorkspaceSource::compareAndSetOutcome(const QString &id,
                                                             int rowsChanged) const
{
    LedgerWrite result;
    result.written = rowsChanged > 0;
    if (result.written)
        return result;
    const auto onRow = instanceOnRow(id);
    if (!onRow)
        return onRow.error();
    result.rowFound = onRow.value().has_value();
    result.found = onRow.value().value_or(QString());
    return result;
}

void SqlWorkspaceSource::logStopNotRecorded(const QString &id, const LedgerWrite &outcome)
{
    qCInfo(lcDb).noquote() << "stop of" << id << "not recorded:"
                           << (!outcome.rowFound ? QStringLiteral("no such row")
                                   : outcome.found.isEmpty()
                                   ? QStringLiteral("already cleared")
                                   : QStringLiteral("the row holds %1 now").arg(outcome.found));
}

SqlWorkspaceSource::Transaction::Transaction(const QSqlDatabase &db)
    : m_db(db)
{
    m_begun = m_db.transaction();
}

SqlWorkspaceSource::Transaction::~Transaction()
{
    if (m_begun && !m_done)
        m_db.rollback();
}

bool SqlWorkspaceSource::Transaction::commit()
{
    m_done = m_db.commit();
    return m_done;
}

} // namespace cpc
