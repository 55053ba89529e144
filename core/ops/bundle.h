#pragma once

#include "result.h"
#include "statestore.h"
#include "workspace.h"

#include <QByteArray>
#include <QString>

namespace cpc {

/// What goes into an incident bundle for one workspace.
struct BundleInput
{
    WorkspaceRow row;
    std::optional<LiveStatus> live; ///< the latest live status, when known
    QList<StatusSample> history;
    QList<AuditEntry> audit;
    QString consoleShown; ///< the console as the viewer shows it (escapes interpreted)
    QByteArray consoleRaw; ///< the console as the CP sent it
    QString consoleError; ///< why there is no console, when the fetch failed
    QString profile;
    QString orgId;
    QString cpUrl;
};

/// Writes an incident bundle into `dir` (created; must be empty or absent): workspace.json,
/// status-history.json, audit.json, console.txt (as shown), console-raw.log (as sent) and
/// manifest.json with the SHA-256 of every other file. Every text passes the redactor, so no
/// registered secret reaches a file. Returns the list of files written.
Result<QStringList> writeBundle(const QString &dir, const BundleInput &input);

} // namespace cpc
