#pragma once

#include "cpclient.h"
#include "rawrow.h"

#include <QDateTime>
#include <QString>

namespace cpc {

/// One row of the `workspaces` table, with the platform's column names. Status is kept as
/// text: values outside the known enum are shown as they are.
struct WorkspaceRow
{
    QString id;
    QString name;
    QString role;
    int tier = 0;
    QString status; ///< provisioning, online, offline, degraded, failed, removed, paused, …
    QString runtime;
    QString instanceId; ///< empty when the column is NULL or empty
    QString url;
    QString lastSampleError;
    QString provider; ///< SQLite: the provider column; PostgreSQL: compute->>'provider'
    QDateTime lastHeartbeatAt;
    QDateTime createdAt;
    QDateTime updatedAt;

    friend bool operator==(const WorkspaceRow &, const WorkspaceRow &) = default;
};

/// The row a RawRow holds, as QStrings and QDateTimes.
WorkspaceRow rowFromRaw(const RawRow &raw);

/// The workspace_status enum of the platform, in its order.
QStringList knownWorkspaceStatuses();

/// What the console last learned about a workspace's compute from the CP. `state` is the
/// latest answer; when it is Unknown, `lastKnown`/`lastKnownAt` keep the last definite answer
/// so the UI can say "unknown (CP unreachable) — last running 3 min ago".
struct LiveStatus
{
    RunState state = RunState::Unknown;
    bool checked = false; ///< false until the first answer (then state means nothing)
    QString cpState; ///< raw CP state ("pending", "stopping", …)
    QString reason; ///< why it is unknown: "CP unreachable", "HTTP 503", "timeout", …
    QDateTime checkedAt; ///< when the latest answer arrived
    QDateTime confirmedAt; ///< when a definite (running / not running) answer last arrived
    RunState lastKnown = RunState::Unknown;
    bool busy = false; ///< an action (stop, provision) is in flight for this workspace
    QString busyLabel; ///< "stopping", "provisioning"
};

/// A short reason for an unknown status, from the error that caused it.
QString unknownReason(const Error &e);

} // namespace cpc
