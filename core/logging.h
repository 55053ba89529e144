#pragma once

#include "secret.h"

#include <QByteArray>
#include <QList>
#include <QLoggingCategory>
#include <QPair>
#include <QString>

Q_DECLARE_LOGGING_CATEGORY(lcNet) // cpc.net
Q_DECLARE_LOGGING_CATEGORY(lcDb) // cpc.db
Q_DECLARE_LOGGING_CATEGORY(lcUi) // cpc.ui
Q_DECLARE_LOGGING_CATEGORY(lcSim) // cpc.sim

namespace cpc {

/// The one place that knows which values are secret. Every string that leaves the core for a
/// log, an error message, the audit log or the screen passes through redact().
namespace redaction {

/// Remembers a secret value for the rest of the process so that redact() can remove it even
/// where a server echoed it back in a body. Values shorter than four characters are ignored.
void registerSecret(const Secret &secret);
/// Replaces every registered secret and every "Bearer <token>" / admin-token header value.
QString redact(const QString &text);
QString redact(const QByteArray &utf8);
/// Headers that must never be logged with their value.
bool isSensitiveHeader(const QByteArray &name);
/// "GET http://host/path [Authorization: <redacted>, ...]" — the only request formatter.
QString formatRequest(const QByteArray &method, const QString &url,
                      const QList<QPair<QByteArray, QByteArray>> &headers);

} // namespace redaction
} // namespace cpc
