#pragma once

#include "rawrow.h"
#include "result.h"
#include "secret.h"
#include "workspace.h"

#include <QList>
#include <QString>

#include <memory>
#include <optional>

namespace cpc {

/// Options for opening a workspace source.
struct SourceOptions
{
    bool readOnly = false; ///< the session is read-only (flag or profile): every write refused
    bool allowPostgresWrites = false; ///< a PostgreSQL source is read-only unless this is set
    QString connectionName; ///< QSqlDatabase connection name; generated when empty
    /// PostgreSQL: the password when the URL has none (a profile's, from the keychain). When
    /// neither has one, libpq looks in PGPASSWORD, ~/.pgpass (PGPASSFILE) and the service.
    Secret password;
};

/// What a compare-and-set write of the instance ledger did.
struct LedgerWrite
{
    bool written = false; ///< the row held what the call acted on, and now holds its result
    bool rowFound = true; ///< false: there is no such row (a stop then has nothing to clear)
    QString found; ///< not written: the instance ID the row holds instead ("" for none)
};

struct ListOptions
{
    bool includeRemoved = false; ///< rows with status 'removed' are hidden unless asked for
    /// scan() and list() read only what `cpctl list` prints in its table: the ID, name,
    /// status, runtime, tier and instance ID. The other text fields are then empty and the
    /// times RawRow::kNoTime: nothing else is selected or parsed.
    bool tableColumnsOnly = false;
};

/// The `workspaces` table behind one interface, chosen by a URL:
///   sqlite:PATH                                   embedded default; schema created on first use
///   postgresql://user@host[:port]/db              the platform's database through QPSQL
///   postgresql://user@/db?host=/run/sock&port=N   the unix-socket form
///   postgresql://?service=NAME                    a pg_service.conf entry
/// (user:password@ still works, but a password belongs in PGPASSWORD, ~/.pgpass or the keychain)
/// Nothing here creates or migrates the platform's PostgreSQL schema.
class WorkspaceSource
{
public:
    enum class Backend { Sqlite, Postgres };

    virtual ~WorkspaceSource() = default;

    /// Opens and checks the source. Errors are Kind::Config (bad URL) or Kind::Database, with a
    /// message that never contains the password.
    static Result<std::unique_ptr<WorkspaceSource>> open(const QString &url,
                                                         const SourceOptions &options = {});
    /// sqlite:<data dir>/workspaces.sqlite
    static QString defaultUrl();

    virtual Backend backend() const = 0;
    /// The URL with any password replaced by "***", for display.
    virtual QString displayUrl() const = 0;

    virtual Result<QList<WorkspaceRow>> list(const ListOptions &options = {}) = 0;
    /// The rows list() returns, handed to `sink` one at a time as they are read and never held
    /// all at once. A sink that returns false stops the read: the result is then Kind::Cancelled.
    virtual VoidResult scan(const ListOptions &options, const RawRowSink &sink) = 0;
    /// How many rows list() would return now: the denominator of a loading progress.
    virtual Result<qint64> count(const ListOptions &options = {}) = 0;
    /// No row: an empty optional, not an error.
    virtual Result<std::optional<WorkspaceRow>> get(const QString &id) = 0;
    /// The platform's semantics: "" when there is no row or the row has no instance ID
    /// ("nothing to act on"); an error only when the database fails.
    virtual Result<QString> resolveInstanceId(const QString &id) = 0;

    /// True when every write is refused; readOnlyReason() says why, for a tooltip or stderr.
    virtual bool isReadOnly() const = 0;
    virtual QString readOnlyReason() const = 0;

    /// After a successful provision: instance_id, status and updated_at in one transaction,
    /// compare-and-set: only where the row still holds `expectedInstanceId` (what it held when
    /// the provision started; "" for none). A row that holds the new instance already counts
    /// as written. When the row does not exist, it is created from `created` (SQLite;
    /// PostgreSQL refuses).
    virtual Result<LedgerWrite> recordProvisioned(const QString &id, const QString &instanceId,
                                                  const QString &status,
                                                  const QString &expectedInstanceId,
                                                  const std::optional<WorkspaceRow> &created = {})
        = 0;
    /// After a successful stop of `stoppedInstanceId`: instance_id cleared, status 'offline',
    /// updated_at; only where the row still holds the stopped instance, never a newer one.
    virtual Result<LedgerWrite> recordStopped(const QString &id, const QString &stoppedInstanceId)
        = 0;
    /// Replaces or inserts rows (cpctl sync, demo database). SQLite only.
    virtual VoidResult upsertRows(const QList<WorkspaceRow> &rows) = 0;
};

} // namespace cpc
