#include "workspace.h"

namespace cpc {

QStringList knownWorkspaceStatuses()
{
    return { QStringLiteral("provisioning"),   QStringLiteral("online"),
             QStringLiteral("offline"),        QStringLiteral("degraded"),
             QStringLiteral("failed"),         QStringLiteral("removed"),
             QStringLiteral("paused"),         QStringLiteral("hibernated"),
             QStringLiteral("awaiting_agent"), QStringLiteral("hibernating") };
}

QString unknownReason(const Error &e)
{
    switch (e.kind) {
    case Error::Kind::Transport:
        return QStringLiteral("CP unreachable");
    case Error::Kind::Timeout:
        return QStringLiteral("timeout");
    case Error::Kind::HttpStatus:
        return QStringLiteral("HTTP %1").arg(e.httpStatus);
    case Error::Kind::Decode:
        return QStringLiteral("bad answer");
    case Error::Kind::Policy:
        return QStringLiteral("refused");
    case Error::Kind::Cancelled:
        return QStringLiteral("cancelled");
    case Error::Kind::Database:
        return QStringLiteral("database error");
    case Error::Kind::Config:
        return QStringLiteral("configuration");
    case Error::Kind::ReadOnly:
        return QStringLiteral("read-only");
    case Error::Kind::Conflict:
        return QStringLiteral("conflict");
    }
    return QStringLiteral("error");
}

} // namespace cpc
