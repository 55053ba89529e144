#pragma once

#include "sqlworkspacesource.h"

namespace cpc {

/// The embedded default: a SQLite file whose `workspaces` table has the platform's table and
/// column names (plus a plain `provider` column), so that an export or a hand-written INSERT
/// reads back. The table is created on first use; timestamps are ISO-8601 text or unix seconds.
class SqliteSource : public SqlWorkspaceSource
{
public:
    static Result<std::unique_ptr<WorkspaceSource>> open(const DbUrl &url,
                                                         const SourceOptions &options);

    Backend backend() const override { return Backend::Sqlite; }
    VoidResult scan(const ListOptions &options, const RawRowSink &sink) override;
    Result<LedgerWrite> recordProvisioned(const QString &id, const QString &instanceId,
                                          const QString &status, const QString &expectedInstanceId,
                                          const std::optional<WorkspaceRow> &created = {}) override;
    Result<LedgerWrite> recordStopped(const QString &id, const QString &stoppedInstanceId) override;
    VoidResult upsertRows(const QList<WorkspaceRow> &rows) override;

    /// ISO-8601 text (with or without zone; none means UTC), unix seconds as a number or as
    /// text; anything else is an invalid QDateTime, never an error.
    static QDateTime parseTimestamp(const QVariant &value);
    /// How the console writes a timestamp: ISO-8601 UTC with milliseconds, NULL when invalid.
    static QVariant formatTimestamp(const QDateTime &at);

protected:
    QString idPredicate() const override { return QStringLiteral("id = ?"); }
    QDateTime toDateTime(const QVariant &value) const override { return parseTimestamp(value); }

private:
    SqliteSource(const DbUrl &url, const SourceOptions &options);
    VoidResult initialise(const SourceOptions &options) override;

    QStringList m_columns; ///< the columns the table has
};

} // namespace cpc
