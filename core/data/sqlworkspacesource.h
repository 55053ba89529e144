#pragma once

#include "dburl.h"
#include "workspacesource.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QStringList>

#include <array>

class QSqlQuery;

namespace cpc {

/// What the SQLite and PostgreSQL sources share: the connection's lifetime, reading rows in
/// one fixed column order, the read-only rule and error wording. The backends supply the SQL.
class SqlWorkspaceSource : public WorkspaceSource
{
public:
    ~SqlWorkspaceSource() override;

    QString displayUrl() const override { return m_url.display(); }
    Result<QList<WorkspaceRow>> list(const ListOptions &options = {}) override;
    /// The backend's read loop: the SELECT of listSql() over the raw bytes of the driver.
    VoidResult scan(const ListOptions &options, const RawRowSink &sink) override = 0;
    Result<qint64> count(const ListOptions &options = {}) override;
    Result<std::optional<WorkspaceRow>> get(const QString &id) override;
    Result<QString> resolveInstanceId(const QString &id) override;
    bool isReadOnly() const override { return !m_readOnlyLabel.isEmpty(); }
    QString readOnlyReason() const override;

    /// The SELECT list, in the order readRow() expects: id, name, role, tier, status, runtime,
    /// instance_id, url, last_sample_error, provider, last_heartbeat_at, created_at, updated_at.
    QString selectList() const { return m_selectList; }
    /// The SELECT of list() and scan(): selectList() (or, for tableColumnsOnly, the columns of
    /// scanColumns()) from workspaces, removed rows left out unless asked for.
    QString listSql(const ListOptions &options) const;

    /// Where the SELECT of listSql() puts each value of a RawRow.
    struct ScanColumns
    {
        struct Text
        {
            RawRow::Text field;
            int column;
        };
        std::array<Text, RawRow::TextCount> texts; ///< the text fields selected, first textCount
        int textCount;
        int tier; ///< the tier's column
        int firstTime; ///< last_heartbeat_at, created_at, updated_at from here; -1: none
    };
    static const ScanColumns &scanColumns(const ListOptions &options);

protected:
    SqlWorkspaceSource(DbUrl url, const SourceOptions &options);

    /// Connects (and for SQLite creates the table): the backend's part of opening.
    virtual VoidResult initialise(const SourceOptions &options) = 0;
    /// The one way a backend's open() ends: initialise() the new source, hand it out on success.
    static Result<std::unique_ptr<WorkspaceSource>>
    finishOpen(std::unique_ptr<SqlWorkspaceSource> source, const SourceOptions &options);

    QSqlDatabase database() const;
    const DbUrl &url() const { return m_url; }
    const QString &connectionName() const { return m_connectionName; }
    /// label: "read-only mode"; hint: how to lift it ("turn off read-only to write").
    void setReadOnly(const QString &label, const QString &hint)
    {
        m_readOnlyLabel = label;
        m_readOnlyHint = hint;
    }

    /// Kind::Database with what failed and the driver's text, the password scrubbed out.
    Error databaseError(const QString &what, const QSqlError &error) const;
    /// Kind::Cancelled: the sink of scan() stopped the read.
    static Error cancelledError();
    /// Kind::ReadOnly: "read-only mode: not recording <action> (<how to lift it>)".
    Error readOnlyError(const QString &action) const;
    /// Refuses the write when read-only or when the ID is not a valid workspace ID.
    VoidResult checkWrite(const QString &id, const QString &action) const;
    /// checkWrite(), and refuses an instance ID that is not valid (a provision's record).
    VoidResult checkWrite(const QString &id, const QString &instanceId,
                          const QString &action) const;

    /// Builds m_selectList from the columns the table has; a missing column reads as NULL.
    void setColumns(const QStringList &selectExpressions);
    /// "id = ?" or "id = CAST(? AS uuid)".
    virtual QString idPredicate() const = 0;
    /// False when the ID cannot be in the table (not a UUID where the column is uuid).
    virtual bool idCanExist(const QString &id) const
    {
        Q_UNUSED(id);
        return true;
    }
    virtual QDateTime toDateTime(const QVariant &value) const = 0;
    WorkspaceRow readRow(const QSqlQuery &query) const;
    /// The trimmed instance ID of the row (empty for NULL); no value when there is no row.
    /// After a compare-and-set found nothing to change: what the row holds instead.
    Result<std::optional<QString>> instanceOnRow(const QString &id) const;
    /// What a compare-and-set of the row's instance ID wrote: written when it changed a row,
    /// else what the row holds instead (rowFound false: there is no row).
    Result<LedgerWrite> compareAndSetOutcome(const QString &id, int rowsChanged) const;
    /// Logs why a stop's compare-and-set changed nothing.
    static void logStopNotRecorded(const QString &id, const LedgerWrite &outcome);

    /// Rolls back unless commit() was called.
    class Transaction
    {
    public:
        explicit Transaction(const QSqlDatabase &db);
        ~Transaction();
        bool begun() const { return m_begun; }
        bool commit();
        QSqlError lastError() const { return m_db.lastError(); }

    private:
        QSqlDatabase m_db;
        bool m_begun = false;
        bool m_done = false;
    };

private:
    /// instanceOnRow() with `what` ("cannot read the instance ID of …") heading its errors.
    Result<std::optional<QString>> selectInstanceId(const QString &id, const QString &what) const;

    DbUrl m_url;
    QString m_connectionName;
    QString m_readOnlyLabel;
    QString m_readOnlyHint;
    QString m_selectList;
    QString m_tableSelectList; ///< the columns of ListOptions::tableColumnsOnly
};

/// Reads a tier that may be an integer, numeric text, junk text or NULL (then 0).
int tierFromVariant(const QVariant &value);

} // namespace cpc
