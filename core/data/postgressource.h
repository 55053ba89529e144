#pragma once

#include "sqlworkspacesource.h"

namespace cpc {

/// The platform's own database through QPSQL. Reads the `workspaces` table as the platform
/// defines it (id uuid, status workspace_status, compute jsonb, many other columns ignored) and
/// never creates or migrates anything. Read-only unless SourceOptions::allowPostgresWrites;
/// then it writes only instance_id, status and updated_at, with the platform's types.
class PostgresSource : public SqlWorkspaceSource
{
public:
    static Result<std::unique_ptr<WorkspaceSource>> open(const DbUrl &url,
                                                         const SourceOptions &options);

    Backend backend() const override { return Backend::Postgres; }
    /// Through a server-side cursor, FETCH FORWARD 5000 at a time, in a transaction of its own
    /// that ends with the read (committed; rolled back on an error or when the sink stops).
    /// The sink must not use this source: the connection is busy with the cursor.
    VoidResult scan(const ListOptions &options, const RawRowSink &sink) override;
    Result<LedgerWrite> recordProvisioned(const QString &id, const QString &instanceId,
                                          const QString &status, const QString &expectedInstanceId,
                                          const std::optional<WorkspaceRow> &created = {}) override;
    Result<LedgerWrite> recordStopped(const QString &id, const QString &stoppedInstanceId) override;
    VoidResult upsertRows(const QList<WorkspaceRow> &rows) override;

protected:
    QString idPredicate() const override;
    bool idCanExist(const QString &id) const override;
    QDateTime toDateTime(const QVariant &value) const override;

private:
    PostgresSource(const DbUrl &url, const SourceOptions &options);
    VoidResult initialise(const SourceOptions &options) override;
    /// Runs one UPDATE of one row in a transaction; the number of rows it changed.
    Result<int> updateRow(const QString &sql, const QVariantList &values, const QString &id,
                          const QString &action);

    bool m_idIsUuid = true;
    bool m_statusIsEnum = true;
    bool m_hasUpdatedAt = true;
};

} // namespace cpc
