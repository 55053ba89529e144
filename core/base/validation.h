#pragma once

#include "result.h"

#include <QString>
#include <QUrl>

namespace cpc::validation {

/// Workspace and instance IDs are untrusted text. Accepted: 1 to 128 characters from
/// [A-Za-z0-9._:-], starting with a letter or digit. That admits UUIDs, EC2 IDs (i-…) and
/// simulator IDs (mol-ws-…) and refuses anything that could change the route: '/', '?', '#',
/// '%', '..' as a path segment, spaces and control characters.
/// A refused ID is Kind::Policy with a message that is safe to show ("workspace ID is empty").
VoidResult checkWorkspaceId(const QString &id);
VoidResult checkInstanceId(const QString &id);

/// 127.0.0.0/8, ::1 and "localhost".
bool isLoopbackHost(const QString &host);

/// Ok when the CP base URL may be used: http or https, a host, no user info, no query or
/// fragment; plain http only for loopback hosts unless allowInsecureHttp. Else Kind::Policy.
VoidResult checkBaseUrl(const QUrl &url, bool allowInsecureHttp);

/// Same scheme, host and port.
bool sameOrigin(const QUrl &a, const QUrl &b);

} // namespace cpc::validation
