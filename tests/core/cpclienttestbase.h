#pragma once

// What the CP client suites share: a loopback test server, a client with a suite's secrets
// on it, and one call of any kind.

#include "cpcalls.h"
#include "cpclient.h"
#include "httppool.h"
#include "testserver.h"
#include "testutil.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QtTest>

namespace cpc::test {

inline const QString kShared = QStringLiteral("shared-5ecr3t-a1b2c3");
inline const QString kAdminToken = QStringLiteral("admintok-9f8e7d");
inline const QString kAdminKey = QStringLiteral("adminkey-1q2w3e");
inline const QString kWs = QStringLiteral("3f2b8c1e-9d4a-4b6e-8f00-1a2b3c4d5e6f");
inline const QString kIid = QStringLiteral("i-0abc123def4567890");
inline const CpSecrets kSecrets { kShared, kAdminToken, kAdminKey };

inline bool containsSecret(const QString &s)
{
    return s.contains(kShared) || s.contains(kAdminToken) || s.contains(kAdminKey)
        || s.contains(QLatin1String("5ecr3t"));
}

/// The fixture: a fresh test server for each test; the client does its work without a warning
/// from Qt.
class CpClientTestBase : public QObject
{
protected:
    QNetworkAccessManager m_nam;
    std::unique_ptr<TestServer> m_server;

    static CpConfig config(const QUrl &base, bool secrets = true)
    {
        return cpConfig(base, secrets ? kSecrets : CpSecrets {});
    }
    std::unique_ptr<CpClient> client(bool secrets = true)
    {
        auto c = std::make_unique<CpClient>(&m_nam, config(m_server->baseUrl(), secrets));
        c->setRetryPolicy(RetryPolicy::immediate(3));
        return c;
    }
    static CallOutcome run(Call call, CpClient &c, const QString &ws = kWs,
                           const QString &iid = kIid)
    {
        return runCall(call, c, ws, iid);
    }

    void setUp()
    {
        // The client does its work without a warning from Qt (a stop's error body cut at the
        // excerpt cap used to make Qt warn "Internal problem, this method must only be called
        // once").
        QTest::failOnWarning(QRegularExpression(QStringLiteral(".*")));
        m_server = std::make_unique<TestServer>();
    }
};

} // namespace cpc::test
