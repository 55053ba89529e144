#pragma once

// What the simulator suites share: the simulator on loopback with a suite's secrets, a real
// CpClient on it, and raw requests for what a well-behaved client would never send.

#include "bootlog.h"
#include "captures.h"
#include "cpclient.h"
#include "demodata.h"
#include "faultspec.h"
#include "simfixture.h"
#include "simulator.h"
#include "testutil.h"
#include "validation.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QtTest>

namespace cpc::test {

inline const QString kShared = QStringLiteral("sim-shared-7f3a9c");
inline const QString kAdminToken = QStringLiteral("sim-admintok-42d1");
inline const QString kAdminKey = QStringLiteral("sim-adminkey-b77e");
inline const QString kWs = QStringLiteral("3f2b8c1e-9d4a-4b6e-8f00-1a2b3c4d5e6f");
inline const QString kWs2 = QStringLiteral("9a8b7c6d-1111-4222-8333-444455556666");
inline const CpSecrets kSecrets { kShared, kAdminToken, kAdminKey };

struct RawReply
{
    int status = 0;
    QByteArray head;
    QByteArray body;
    QByteArray header(const QByteArray &name) const
    {
        for (const QByteArray &line : head.split('\n')) {
            const qsizetype colon = line.indexOf(':');
            if (colon > 0 && line.left(colon).trimmed().compare(name, Qt::CaseInsensitive) == 0)
                return line.mid(colon + 1).trimmed();
        }
        return {};
    }
    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
};

using Headers = QList<QPair<QByteArray, QByteArray>>;

inline Headers provisionAuth()
{
    return { { "Authorization", "Bearer " + kShared.toUtf8() },
             { "X-Molecule-Admin-Token", kAdminToken.toUtf8() } };
}

inline Headers adminAuth()
{
    return { { "Authorization", "Bearer " + kAdminKey.toUtf8() },
             { "X-Molecule-Admin-Token", kAdminToken.toUtf8() } };
}

inline QByteArray provisionBody(const QString &ws = kWs, const QString &key = {})
{
    QJsonObject o { { "org_id", "org-42" },
                    { "workspace_id", ws },
                    { "runtime", "python" },
                    { "tier", 2 },
                    { "platform_url", "https://platform.example" },
                    { "env", QJsonObject { { "A", "b" } } } };
    if (!key.isEmpty())
        o.insert("idempotency_key", key);
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

/// The fixture: each suite derives from it and calls setUp()/tearDown() from init()/cleanup().
class SimTestBase : public QObject
{
protected:
    std::unique_ptr<QNetworkAccessManager> m_nam;
    std::unique_ptr<Simulator> m_sim;

    static SimulatorOptions options()
    {
        SimulatorOptions o = simulatorOptions(kSecrets);
        o.bootMs = 150;
        o.stopMs = 150;
        o.consoleGrowthMs = 20;
        o.seed = 42;
        return o;
    }
    bool startSim(const SimulatorOptions &o)
    {
        m_sim = startSimulator(o);
        return m_sim != nullptr;
    }
    CpConfig config(bool secrets = true) const
    {
        return cpConfig(m_sim->baseUrl(), secrets ? kSecrets : CpSecrets {});
    }
    std::unique_ptr<CpClient> client(const CpConfig &c)
    {
        auto client = std::make_unique<CpClient>(m_nam.get(), c);
        client->setRetryPolicy(RetryPolicy::immediate(2));
        return client;
    }
    std::unique_ptr<CpClient> client() { return client(config()); }

    QString consoleText(CpClient &c, const QString &ws)
    {
        const auto r = runConsole(c, ws);
        return r ? r->output : QString();
    }
    QString stateOf(const QString &iid) const
    {
        const auto info = m_sim->instance(iid);
        return info ? info->state : QString();
    }
    /// Provisions kWs (or ws) without faults and returns the instance ID.
    QString provisioned(const QString &ws = kWs)
    {
        auto c = client();
        const auto r = runProvision(*c, provisionRequest(ws));
        return r ? r->instanceId : QString();
    }

    /// A simulator restarted with `o`, and kWs provisioned on it: its instance ID, empty when
    /// the simulator did not start.
    QString provisionedOn(const SimulatorOptions &o)
    {
        m_sim.reset();
        return startSim(o) ? provisioned() : QString();
    }
    /// A simulator restarted with `o`, and kWs provisioned on it and running: its instance ID,
    /// empty when the simulator did not start or the instance never ran.
    QString runningInstance(const SimulatorOptions &o)
    {
        const QString iid = provisionedOn(o);
        if (iid.isEmpty())
            return {};
        [&] {
            QTRY_COMPARE_WITH_TIMEOUT(stateOf(iid), QStringLiteral("running"), 10000);
        }();
        return stateOf(iid) == QLatin1String("running") ? iid : QString();
    }

    /// One request written by hand, for what a well-behaved client would never send.
    RawReply raw(const QByteArray &method, const QByteArray &target,
                 const Headers &headers = provisionAuth(), const QByteArray &body = {},
                 const QByteArray &contentType = "application/json")
    {
        QTcpSocket s;
        QByteArray in;
        bool done = false;
        connect(&s, &QTcpSocket::connected, this, [&] {
            QByteArray req
                = method + ' ' + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
            for (const auto &[n, v] : headers)
                req += n + ": " + v + "\r\n";
            if (!body.isEmpty() || method == "POST" || method == "PUT") {
                if (!contentType.isEmpty())
                    req += "Content-Type: " + contentType + "\r\n";
                req += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
            }
            s.write(req + "\r\n" + body);
        });
        connect(&s, &QTcpSocket::readyRead, this, [&] { in += s.readAll(); });
        connect(&s, &QTcpSocket::disconnected, this, [&] {
            in += s.readAll();
            done = true;
        });
        connect(&s, &QTcpSocket::errorOccurred, this, [&] { done = true; });
        s.connectToHost(QHostAddress::LocalHost, m_sim->port());
        [&] {
            QTRY_VERIFY_WITH_TIMEOUT(done, 10000);
        }();
        RawReply r;
        const qsizetype end = in.indexOf("\r\n\r\n");
        if (end < 0)
            return r;
        r.head = in.left(end);
        r.body = in.mid(end + 4);
        const QList<QByteArray> first = r.head.left(r.head.indexOf('\r')).split(' ');
        r.status = first.value(1).toInt();
        return r;
    }

    bool setUp()
    {
        m_nam = std::make_unique<QNetworkAccessManager>();
        return startSim(options());
    }
    void tearDown()
    {
        m_sim.reset();
        m_nam.reset();
    }
};

} // namespace cpc::test
