#pragma once

// CP calls run to their answer, for the suites that drive a CpClient against a test server or
// the simulator: each waits (at most 20 s) for its callback, and one that never answers fails
// the test and returns a Cancelled error ("test waited too long").
#include "cpclient.h"

#include <QString>
#include <QUrl>

namespace cpc::test {

/// The three CP secrets of a suite: its server checks them, its clients send them.
struct CpSecrets
{
    QString shared;
    QString adminToken;
    QString adminKey;
};

/// A client configuration for org-42 at `base`, sending `secrets` (none when empty), with
/// `timeoutMs` for a request and for a provision.
CpConfig cpConfig(const QUrl &base, const CpSecrets &secrets = {}, int timeoutMs = 5000);

/// A provision request for `workspaceId`: python, tier 2, one environment variable.
ProvisionRequest provisionRequest(const QString &workspaceId);

Result<ProvisionResult> runProvision(CpClient &c, const ProvisionRequest &r);
VoidResult runStop(CpClient &c, const QString &workspaceId, const QString &instanceId);
/// A call that never answers returns a default StatusResult (state Unknown, no error).
StatusResult runStatus(CpClient &c, const QString &workspaceId, const QString &instanceId);
Result<ConsoleOutput> runConsole(CpClient &c, const QString &workspaceId);

enum class Call { Provision, Stop, Status, Console };

/// Any call flattened to what the route and fault tables compare.
struct CallOutcome
{
    bool ok = false;
    Error::Kind kind = Error::Kind::Transport;
    int status = 0;
    QString message;
    /// The instance ID, the run state's name or the console output; empty on an error.
    QString payload;
};
CallOutcome runCall(Call call, CpClient &c, const QString &workspaceId, const QString &instanceId);

} // namespace cpc::test

Q_DECLARE_METATYPE(cpc::test::Call)
