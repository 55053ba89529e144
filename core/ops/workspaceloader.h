#pragma once

#include "result.h"
#include "workspacesource.h"
#include "workspacetable.h"

#include <QObject>

#include <functional>
#include <memory>

namespace cpc {

/// Reads the workspace list on a thread of its own, through a database connection of its own,
/// and hands it over in batches: the thread that shows the list never waits for the database
/// (a locked SQLite file, a PostgreSQL server across a VPN). Batches grow from a thousand rows
/// so the first rows show at once and a million rows cost a dozen merges. At most two batches
/// wait to be taken, so a slow receiver holds the reader back instead of queueing the table.
class WorkspaceLoader : public QObject
{
    Q_OBJECT
public:
    /// Opens the loader's own source; called on the loader's thread.
    using Opener = std::function<Result<std::unique_ptr<WorkspaceSource>>()>;

    explicit WorkspaceLoader(QObject *parent = nullptr);
    /// Cancels a load in flight and waits briefly for its thread.
    ~WorkspaceLoader() override;

    /// Starts a load; one in flight is cancelled and nothing more arrives from it.
    void start(Opener open, ListOptions options = {});
    void cancel();
    bool isLoading() const { return m_loading; }
    qint64 loaded() const { return m_loaded; }
    /// Rows the source counted before the read; -1 until known (or when it could not count).
    qint64 expected() const { return m_expected; }

Q_SIGNALS:
    /// A batch of rows, in the order the source read them. Valid during the call. It is a
    /// WorkspaceTable::forTransfer() table (no ID index): append it, do not look IDs up in it.
    void batchReady(const cpc::WorkspaceTable &rows);
    void progress(qint64 loaded, qint64 expected);
    /// The source counted the rows (-1: it could not). Counted beside the read: it may come
    /// after the first batches, or not at all when the load finished first.
    void counted(qint64 expected);
    /// The load ended: every batch was delivered (ok), or it failed with `message`.
    void finished(bool ok, const QString &message);

private:
    struct Run;
    std::shared_ptr<Run> m_run;
    bool m_loading = false;
    qint64 m_loaded = 0;
    qint64 m_expected = -1;
};

} // namespace cpc
