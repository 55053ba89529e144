#include "workspace.h"

namespace cpc {

namespace {
QDateTime timeFromRaw(qint64 msecs)
{
    return msecs == RawRow::kNoTime ? QDateTime() : QDateTime::fromMSecsSinceEpoch(msecs, Qt::UTC);
}
} // namespace

WorkspaceRow rowFromRaw(const RawRow &raw)
{
    WorkspaceRow row;
    row.id = QString::fromUtf8(raw.text[RawRow::Id]);
    row.name = QString::fromUtf8(raw.text[RawRow::Name]);
    row.role = QString::fromUtf8(raw.text[RawRow::Role]);
    row.tier = raw.tier;
    row.status = QString::fromUtf8(raw.text[RawRow::Status]);
    row.runtime = QString::fromUtf8(raw.text[RawRow::Runtime]);
    row.instanceId = QString::fromUtf8(raw.text[RawRow::InstanceId]);
    row.url = QString::fromUtf8(raw.text[RawRow::Url]);
    row.lastSampleError = QString::fromUtf8(raw.text[RawRow::LastSampleError]);
    row.provider = QString::fromUtf8(raw.text[RawRow::Provider]);
    row.lastHeartbeatAt = timeFromRaw(raw.msecs[RawRow::LastHeartbeatAt]);
    row.createdAt = timeFromRaw(raw.msecs[RawRow::CreatedAt]);
    row.updatedAt = timeFromRaw(raw.msecs[RawRow::UpdatedAt]);
    return row;
}

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
