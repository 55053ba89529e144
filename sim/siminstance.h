#pragma once

// Private to the simulator's sources: what simulator.cpp (instances and their consoles) and
// simulatorroutes.cpp (the HTTP side) share.
#include "bootlog.h"
#include "simulator.h"

#include <QDateTime>

#include <memory>

namespace cpc {

/// The route under which requests that match no route are counted.
inline const QString kOtherRoute = QStringLiteral("other");

struct Simulator::Instance
{
    QString id;
    QString workspaceId;
    QString runtime;
    QString privateIp;
    QString idempotencyKey;
    State state = State::Pending;
    bool panics = false;
    quint32 seed = 0;
    qint64 createdAt = 0; ///< simulator clock, ms; negative for adopted instances
    qint64 bootEndedAt = -1; ///< running or failed since
    qint64 stoppingAt = -1;
    qint64 terminatedAt = -1;
    bool bootCut = false; ///< stopped before the boot finished: powered off, no shutdown lines
    qint64 lastTickAt = 0;
    QDateTime wallCreated;
    std::unique_ptr<BootLog> log;
    QByteArray console; ///< the newest kConsoleKeepBytes (or window) bytes
    qint64 consoleTotal = 0;
};

} // namespace cpc
