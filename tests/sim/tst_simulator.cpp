// The CP simulator, driven through the real CpClient (and raw sockets where a client would
// refuse to send the request) over loopback: routes, shapes, auth, lifecycle, consoles,
// hostile IDs, every fault on every route, run-time fault control, demo data and adopt().
#include "cpclient.h"
#include "demodata.h"
#include "faultspec.h"
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

using namespace cpc;
using namespace cpc::test;

namespace {
const QString kShared = QStringLiteral("sim-shared-7f3a9c");
const QString kAdminToken = QStringLiteral("sim-admintok-42d1");
const QString kAdminKey = QStringLiteral("sim-adminkey-b77e");
const QString kWs = QStringLiteral("3f2b8c1e-9d4a-4b6e-8f00-1a2b3c4d5e6f");
const QString kWs2 = QStringLiteral("9a8b7c6d-1111-4222-8333-444455556666");

enum class Call { Provision, Stop, Status, Console };

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

Headers provisionAuth()
{
    return { { "Authorization", "Bearer " + kShared.toUtf8() },
             { "X-Molecule-Admin-Token", kAdminToken.toUtf8() } };
}

Headers adminAuth()
{
    return { { "Authorization", "Bearer " + kAdminKey.toUtf8() },
             { "X-Molecule-Admin-Token", kAdminToken.toUtf8() } };
}

QByteArray provisionBody(const QString &ws = kWs, const QString &key = {})
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
} // namespace

Q_DECLARE_METATYPE(Call)
Q_DECLARE_METATYPE(Error::Kind)

class tst_Simulator : public QObject
{
    Q_OBJECT

    std::unique_ptr<QNetworkAccessManager> m_nam;
    std::unique_ptr<Simulator> m_sim;

    static SimulatorOptions options()
    {
        SimulatorOptions o;
        o.sharedSecret = Secret(kShared);
        o.adminToken = Secret(kAdminToken);
        o.adminApiKey = Secret(kAdminKey);
        o.bootMs = 150;
        o.stopMs = 150;
        o.consoleGrowthMs = 20;
        o.seed = 42;
        return o;
    }
    bool startSim(const SimulatorOptions &o)
    {
        m_sim = std::make_unique<Simulator>(o);
        QString error;
        const bool ok = m_sim->start(&error);
        if (!ok)
            qWarning() << "simulator did not start:" << error;
        return ok;
    }
    CpConfig config(bool secrets = true) const
    {
        CpConfig c;
        c.orgId = QStringLiteral("org-42");
        c.baseUrl = m_sim->baseUrl();
        if (secrets) {
            c.sharedSecret = Secret(kShared);
            c.adminToken = Secret(kAdminToken);
            c.adminApiKey = Secret(kAdminKey);
        }
        c.requestTimeoutMs = 5000;
        c.provisionTimeoutMs = 5000;
        return c;
    }
    std::unique_ptr<CpClient> client(const CpConfig &c)
    {
        auto client = std::make_unique<CpClient>(m_nam.get(), c);
        client->setRetryPolicy(RetryPolicy::immediate(2));
        return client;
    }
    std::unique_ptr<CpClient> client() { return client(config()); }

    static ProvisionRequest provisionRequest(const QString &ws = kWs)
    {
        ProvisionRequest r;
        r.workspaceId = ws;
        r.runtime = QStringLiteral("python");
        r.tier = 2;
        r.platformUrl = QStringLiteral("https://platform.example");
        r.env = { { QStringLiteral("FOO"), QStringLiteral("bar") } };
        return r;
    }
    Result<ProvisionResult> runProvision(CpClient &c, const ProvisionRequest &r)
    {
        Waiter<Result<ProvisionResult>> w;
        c.provision(r, this, w.callback());
        [&] {
            QTRY_VERIFY_WITH_TIMEOUT(w.has(), 20000);
        }();
        return w.has() ? w.get()
                       : Result<ProvisionResult>(Error::make(
                           Error::Kind::Cancelled, QStringLiteral("test waited too long")));
    }
    VoidResult runStop(CpClient &c, const QString &ws, const QString &iid)
    {
        Waiter<VoidResult> w;
        c.stop(ws, iid, this, w.callback());
        [&] {
            QTRY_VERIFY_WITH_TIMEOUT(w.has(), 20000);
        }();
        return w.has() ? w.get()
                       : VoidResult(Error::make(Error::Kind::Cancelled,
                                                QStringLiteral("test waited too long")));
    }
    StatusResult runStatus(CpClient &c, const QString &ws, const QString &iid)
    {
        Waiter<StatusResult> w;
        c.status(ws, iid, this, w.callback());
        [&] {
            QTRY_VERIFY_WITH_TIMEOUT(w.has(), 20000);
        }();
        return w.has() ? w.get() : StatusResult {};
    }
    Result<ConsoleOutput> runConsole(CpClient &c, const QString &ws)
    {
        Waiter<Result<ConsoleOutput>> w;
        c.consoleOutput(ws, this, w.callback());
        [&] {
            QTRY_VERIFY_WITH_TIMEOUT(w.has(), 20000);
        }();
        return w.has() ? w.get()
                       : Result<ConsoleOutput>(Error::make(Error::Kind::Cancelled,
                                                           QStringLiteral("test waited too long")));
    }
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

    struct Flat
    {
        bool ok = false;
        Error::Kind kind = Error::Kind::Transport;
        int status = 0;
        QString message;
    };
    Flat run(Call call, CpClient &c, const QString &ws, const QString &iid)
    {
        Flat f;
        auto take = [&f](const Error &e) {
            f.kind = e.kind;
            f.status = e.httpStatus;
            f.message = e.message;
        };
        switch (call) {
        case Call::Provision: {
            const auto r = runProvision(c, provisionRequest(ws));
            f.ok = r.ok();
            if (!r)
                take(r.error());
            break;
        }
        case Call::Stop: {
            const auto r = runStop(c, ws, iid);
            f.ok = r.ok();
            if (!r)
                take(r.error());
            break;
        }
        case Call::Status: {
            const auto r = runStatus(c, ws, iid);
            f.ok = r.state != RunState::Unknown;
            if (r.error)
                take(*r.error);
            break;
        }
        case Call::Console: {
            const auto r = runConsole(c, ws);
            f.ok = r.ok();
            if (!r)
                take(r.error());
            break;
        }
        }
        return f;
    }

private Q_SLOTS:
    void init()
    {
        m_nam = std::make_unique<QNetworkAccessManager>();
        QVERIFY(startSim(options()));
    }
    void cleanup()
    {
        m_sim.reset();
        m_nam.reset();
    }

    void startsAndAnswersStatus()
    {
        QVERIFY(m_sim->isListening());
        QCOMPARE(m_sim->baseUrl().host(), QStringLiteral("127.0.0.1"));
        const QString iid = provisioned();
        QVERIFY(!iid.isEmpty());
        auto c = client();
        const StatusResult s = runStatus(*c, kWs, iid);
        QVERIFY2(s.state != RunState::Unknown, s.error ? qPrintable(s.error->message) : "");
        QVERIFY(s.httpCallMade);
    }

    void startRefusesBadFaultSpec()
    {
        SimulatorOptions o = options();
        o.faults = QStringLiteral("status.5xx=2");
        Simulator sim(o);
        QString error;
        QVERIFY(!sim.start(&error));
        QVERIFY2(error.contains(QLatin1String("status.5xx=2")), qPrintable(error));
        QVERIFY(!sim.isListening());
    }

    // --- routes and shapes -------------------------------------------------------------

    void provisionAnswersTheContractShape()
    {
        const RawReply r
            = raw("POST", "/cp/workspaces/provision", provisionAuth(), provisionBody(kWs, "key-1"));
        QCOMPARE(r.status, 201);
        QVERIFY(r.header("Content-Type").startsWith("application/json"));
        const QJsonObject o = r.json();
        QCOMPARE(o.keys(), (QStringList { "error", "instance_id", "private_ip", "state" }));
        QVERIFY(o.value("instance_id").toString().startsWith(QLatin1String("mol-ws-")));
        QVERIFY(validation::checkInstanceId(o.value("instance_id").toString()).ok());
        QVERIFY(QRegularExpression(QStringLiteral("^10\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}$"))
                    .match(o.value("private_ip").toString())
                    .hasMatch());
        QCOMPARE(o.value("state").toString(), QStringLiteral("pending"));
        QCOMPARE(o.value("error").toString(), QString());

        // And through the real client.
        auto c = client();
        const auto res = runProvision(*c, provisionRequest(kWs2));
        QVERIFY2(res.ok(), res.ok() ? "" : qPrintable(res.error().message));
        QVERIFY(res->instanceId.startsWith(QLatin1String("mol-ws-")));
        QCOMPARE(res->state, QStringLiteral("pending"));
        QCOMPARE(res->attempts, 1);
        QCOMPARE(m_sim->instanceCount(), 2);
        QCOMPARE(m_sim->latestInstanceId(kWs2), res->instanceId);
    }

    void provisionRejectsBadBodies_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QByteArray>("contentType");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("errorPart");

        const QByteArray json = "application/json";
        auto without = [](const char *field) {
            QJsonObject o = QJsonDocument::fromJson(provisionBody()).object();
            o.remove(QLatin1String(field));
            return QJsonDocument(o).toJson(QJsonDocument::Compact);
        };
        auto with = [](const char *field, const QJsonValue &v) {
            QJsonObject o = QJsonDocument::fromJson(provisionBody()).object();
            o.insert(QLatin1String(field), v);
            return QJsonDocument(o).toJson(QJsonDocument::Compact);
        };
        QTest::newRow("not json") << QByteArray("org_id=1") << json << 400 << "not a JSON object";
        QTest::newRow("array") << QByteArray("[1,2]") << json << 400 << "not a JSON object";
        QTest::newRow("empty") << QByteArray() << json << 400 << "not a JSON object";
        QTest::newRow("no org_id") << without("org_id") << json << 400 << "missing field: org_id";
        QTest::newRow("no workspace_id")
            << without("workspace_id") << json << 400 << "missing field: workspace_id";
        QTest::newRow("no runtime")
            << without("runtime") << json << 400 << "missing field: runtime";
        QTest::newRow("no tier") << without("tier") << json << 400 << "missing field: tier";
        QTest::newRow("no platform_url")
            << without("platform_url") << json << 400 << "missing field: platform_url";
        QTest::newRow("no env") << without("env") << json << 400 << "missing field: env";
        QTest::newRow("tier string")
            << with("tier", "2") << json << 400 << "tier must be an integer";
        QTest::newRow("tier fraction")
            << with("tier", 1.5) << json << 400 << "tier must be an integer";
        QTest::newRow("env list") << with("env", QJsonArray { "a" }) << json << 400
                                  << "env must be an object";
        QTest::newRow("env number")
            << with("env", QJsonObject { { "A", 1 } }) << json << 400 << "env must be an object";
        QTest::newRow("disk_gb zero") << with("disk_gb", 0) << json << 400 << "disk_gb";
        QTest::newRow("org_id empty")
            << with("org_id", "") << json << 400 << "org_id must not be empty";
        QTest::newRow("workspace ../admin")
            << with("workspace_id", "../admin") << json << 400 << "invalid workspace_id";
        QTest::newRow("workspace a/b")
            << with("workspace_id", "a/b") << json << 400 << "invalid workspace_id";
        QTest::newRow("form content type")
            << provisionBody() << QByteArray("application/x-www-form-urlencoded") << 415
            << "Content-Type must be application/json";
    }
    void provisionRejectsBadBodies()
    {
        QFETCH(QByteArray, body);
        QFETCH(QByteArray, contentType);
        QFETCH(int, status);
        QFETCH(QString, errorPart);
        const RawReply r
            = raw("POST", "/cp/workspaces/provision", provisionAuth(), body, contentType);
        QCOMPARE(r.status, status);
        const QString error = r.json().value("error").toString();
        QVERIFY2(error.contains(errorPart), qPrintable(error));
        QCOMPARE(m_sim->instanceCount(), 0);
        QCOMPARE(m_sim->requestCount("provision", "rejected"), 1);
    }

    void idempotentProvision()
    {
        auto c = client();
        ProvisionRequest req = provisionRequest();
        req.idempotencyKey = QStringLiteral("action-7");
        const auto first = runProvision(*c, req);
        QVERIFY(first.ok());
        const auto again = runProvision(*c, req);
        QVERIFY(again.ok());
        QCOMPARE(again->instanceId, first->instanceId);
        QCOMPARE(m_sim->instanceCount(), 1);
        QCOMPARE(m_sim->instance(first->instanceId)->idempotencyKey, QStringLiteral("action-7"));

        // A different action while the instance lives: refused, and no second instance.
        req.idempotencyKey = QStringLiteral("action-8");
        const auto other = runProvision(*c, req);
        QVERIFY(!other.ok());
        QCOMPARE(other.error().httpStatus, 409);
        QVERIFY2(other.error().message.contains(QLatin1String("workspace already has instance ")
                                                + first->instanceId),
                 qPrintable(other.error().message));
        QCOMPARE(m_sim->instanceCount(), 1);

        // The same key for another workspace is a client bug, not a replay.
        req.workspaceId = kWs2;
        req.idempotencyKey = QStringLiteral("action-7");
        const auto misuse = runProvision(*c, req);
        QVERIFY(!misuse.ok());
        QCOMPARE(misuse.error().httpStatus, 409);
        QCOMPARE(m_sim->instanceCount(), 1);
    }

    void provisionRetryAfterDropGetsTheSameInstance()
    {
        // The first answer is lost after the CP created the instance; the client's retry with
        // the same idempotency key must get that instance back, not a second one.
        QVERIFY(m_sim->setFaults(QStringLiteral("provision.drop")));
        auto c = client();
        RetryPolicy p;
        p.maxAttempts = 3;
        p.backoff = [this](int) {
            m_sim->setFaults(QStringLiteral("none"));
            return std::chrono::milliseconds(0);
        };
        c->setRetryPolicy(p);
        const auto r = runProvision(*c, provisionRequest());
        QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().message));
        QCOMPARE(r->attempts, 2);
        QCOMPARE(m_sim->instanceCount(), 1);
        QCOMPARE(m_sim->latestInstanceId(kWs), r->instanceId);
        QCOMPARE(m_sim->requestCount("provision", "drop"), 1);
        QCOMPARE(m_sim->requestCount("provision", "ok"), 1);
    }

    void lifecyclePendingRunningStoppingTerminated()
    {
        QSignalSpy changes(m_sim.get(), &Simulator::instanceStateChanged);
        auto c = client();
        const QString iid = provisioned();
        QVERIFY(!iid.isEmpty());

        StatusResult s = runStatus(*c, kWs, iid);
        QCOMPARE(s.state, RunState::NotRunning);
        QCOMPARE(s.cpState, QStringLiteral("pending"));
        QTRY_COMPARE_WITH_TIMEOUT(runStatus(*c, kWs, iid).cpState, QStringLiteral("running"),
                                  10000);
        QCOMPARE(runStatus(*c, kWs, iid).state, RunState::Running);

        const auto stopped = runStop(*c, kWs, iid);
        QVERIFY2(stopped.ok(), stopped.ok() ? "" : qPrintable(stopped.error().message));
        s = runStatus(*c, kWs, iid);
        QCOMPARE(s.state, RunState::NotRunning);
        QCOMPARE(s.cpState, QStringLiteral("stopping"));
        QTRY_COMPARE_WITH_TIMEOUT(runStatus(*c, kWs, iid).cpState, QStringLiteral("terminated"),
                                  10000);

        // Stopping again is fine (idempotent), and the workspace may be provisioned afresh.
        QVERIFY(runStop(*c, kWs, iid).ok());
        QCOMPARE(stateOf(iid), QStringLiteral("terminated"));
        const QString next = provisioned();
        QVERIFY(!next.isEmpty());
        QVERIFY(next != iid);

        QStringList seen;
        for (const QList<QVariant> &args : std::as_const(changes)) {
            if (args.at(1).toString() == iid)
                seen << args.at(2).toString();
        }
        QCOMPARE(seen, (QStringList { "pending", "running", "stopping", "terminated" }));
    }

    void stopWhileBootingNeverRuns()
    {
        m_sim.reset();
        SimulatorOptions o = options();
        o.bootMs = 60'000;
        QVERIFY(startSim(o));
        auto c = client();
        const QString iid = provisioned();
        QVERIFY(runStop(*c, kWs, iid).ok());
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(iid), QStringLiteral("terminated"), 10000);
        QCOMPARE(runStatus(*c, kWs, iid).state, RunState::NotRunning);
    }

    void stopAndStatusErrors()
    {
        m_sim.reset();
        SimulatorOptions o = options();
        o.bootMs = 60'000; // everything stays pending unless a stop gets through
        QVERIFY(startSim(o));
        auto c = client();
        const QString iid = provisioned();
        const QString other = provisioned(kWs2);

        auto stop = runStop(*c, kWs, QStringLiteral("mol-ws-00000000000000000"));
        QVERIFY(!stop.ok());
        QCOMPARE(stop.error().httpStatus, 404);
        QVERIFY2(stop.error().message.contains(QLatin1String("instance not found")),
                 qPrintable(stop.error().message));

        stop = runStop(*c, kWs, other); // not kWs's instance
        QVERIFY(!stop.ok());
        QCOMPARE(stop.error().httpStatus, 400);
        QCOMPARE(stateOf(other), QStringLiteral("pending"));

        RawReply r = raw("DELETE", "/cp/workspaces/" + kWs.toUtf8());
        QCOMPARE(r.status, 400);
        QCOMPARE(r.json().value("error").toString(), QStringLiteral("instance_id is required"));

        StatusResult s = runStatus(*c, kWs, QStringLiteral("mol-ws-00000000000000000"));
        QCOMPARE(s.state, RunState::Unknown);
        QCOMPARE(s.error->httpStatus, 404);
        s = runStatus(*c, kWs2, iid);
        QCOMPARE(s.state, RunState::Unknown);
        QCOMPARE(s.error->httpStatus, 400);
        r = raw("GET", "/cp/workspaces/" + kWs.toUtf8() + "/status");
        QCOMPARE(r.status, 400);

        const auto console = runConsole(*c, QStringLiteral("never-provisioned"));
        QVERIFY(!console.ok());
        QCOMPARE(console.error().httpStatus, 404);
        QCOMPARE(stateOf(iid), QStringLiteral("pending"));
    }

    void unknownRouteAndWrongMethod_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QByteArray>("target");
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("allow");
        const QByteArray ws = kWs.toUtf8();
        QTest::newRow("unknown") << QByteArray("GET") << QByteArray("/cp/nothing") << 404
                                 << QByteArray();
        QTest::newRow("root") << QByteArray("GET") << QByteArray("/") << 404 << QByteArray();
        QTest::newRow("GET provision")
            << QByteArray("GET") << QByteArray("/cp/workspaces/provision") << 405
            << QByteArray("POST, DELETE");
        QTest::newRow("POST status")
            << QByteArray("POST") << ("/cp/workspaces/" + ws + "/status?instance_id=x") << 405
            << QByteArray("GET");
        QTest::newRow("GET workspace")
            << QByteArray("GET") << ("/cp/workspaces/" + ws) << 405 << QByteArray("DELETE");
        QTest::newRow("DELETE console")
            << QByteArray("DELETE") << ("/cp/admin/workspaces/" + ws + "/console") << 405
            << QByteArray("GET");
        QTest::newRow("POST stats")
            << QByteArray("POST") << QByteArray("/sim/stats") << 405 << QByteArray();
    }
    void unknownRouteAndWrongMethod()
    {
        QFETCH(QByteArray, method);
        QFETCH(QByteArray, target);
        QFETCH(int, status);
        QFETCH(QByteArray, allow);
        const RawReply r = raw(method, target);
        QCOMPARE(r.status, status);
        QVERIFY(r.json().contains("error"));
        if (!allow.isEmpty())
            QCOMPARE(r.header("Allow"), allow);
    }

    // --- auth ----------------------------------------------------------------------------

    void authFailuresAre401_data()
    {
        QTest::addColumn<Call>("call");
        QTest::addColumn<QString>("shared");
        QTest::addColumn<QString>("adminToken");
        QTest::addColumn<QString>("adminKey");
        QTest::newRow("provision wrong secret")
            << Call::Provision << "wrong-secret-1" << kAdminToken << kAdminKey;
        QTest::newRow("provision no admin token")
            << Call::Provision << kShared << QString() << kAdminKey;
        QTest::newRow("provision no secret")
            << Call::Provision << QString() << kAdminToken << kAdminKey;
        QTest::newRow("stop wrong secret")
            << Call::Stop << "wrong-secret-1" << kAdminToken << kAdminKey;
        QTest::newRow("stop wrong admin token")
            << Call::Stop << kShared << "wrong-token-2" << kAdminKey;
        QTest::newRow("status wrong secret")
            << Call::Status << "wrong-secret-1" << kAdminToken << kAdminKey;
        QTest::newRow("status no admin token") << Call::Status << kShared << QString() << kAdminKey;
        QTest::newRow("console wrong key")
            << Call::Console << kShared << kAdminToken << "wrong-key-3";
        // The admin route has its own secret: the provision secret does not open it.
        QTest::newRow("console with shared secret")
            << Call::Console << kShared << kAdminToken << kShared;
        QTest::newRow("console no admin token")
            << Call::Console << kShared << QString() << kAdminKey;
    }
    void authFailuresAre401()
    {
        QFETCH(Call, call);
        QFETCH(QString, shared);
        QFETCH(QString, adminToken);
        QFETCH(QString, adminKey);
        const QString iid = provisioned();
        QVERIFY(!iid.isEmpty());
        const int before = m_sim->instanceCount();

        CpConfig cfg = config();
        cfg.sharedSecret = Secret(shared);
        cfg.adminToken = Secret(adminToken);
        cfg.adminApiKey = Secret(adminKey);
        auto c = client(cfg);
        const Flat f = run(call, *c, call == Call::Provision ? kWs2 : kWs, iid);
        QVERIFY(!f.ok);
        QCOMPARE(f.kind, Error::Kind::HttpStatus);
        QCOMPARE(f.status, 401);
        if (call == Call::Provision || call == Call::Stop)
            QVERIFY2(f.message.contains(QLatin1String("invalid credentials")),
                     qPrintable(f.message));
        QCOMPARE(m_sim->instanceCount(), before);
        QCOMPARE(stateOf(iid), QStringLiteral("pending"));
        QVERIFY(m_sim->requestCount(call == Call::Provision    ? "provision"
                                        : call == Call::Stop   ? "stop"
                                        : call == Call::Status ? "status"
                                                               : "console",
                                    "unauthorized")
                >= 1);
    }

    void authNeverEchoesTheHeader_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QByteArray>("target");
        const QByteArray ws = kWs.toUtf8();
        QTest::newRow("provision") << QByteArray("POST") << QByteArray("/cp/workspaces/provision");
        QTest::newRow("stop") << QByteArray("DELETE")
                              << ("/cp/workspaces/" + ws + "?instance_id=mol-ws-1");
        QTest::newRow("status") << QByteArray("GET")
                                << ("/cp/workspaces/" + ws + "/status?instance_id=mol-ws-1");
        QTest::newRow("console") << QByteArray("GET")
                                 << ("/cp/admin/workspaces/" + ws + "/console");
    }
    void authNeverEchoesTheHeader()
    {
        QFETCH(QByteArray, method);
        QFETCH(QByteArray, target);
        const Headers leaked { { "Authorization", "Bearer leaked-bearer-5150" },
                               { "X-Molecule-Admin-Token", "leaked-admin-8086" } };
        const RawReply r
            = raw(method, target, leaked, method == "POST" ? provisionBody() : QByteArray());
        QCOMPARE(r.status, 401);
        QCOMPARE(r.json().value("error").toString(), QStringLiteral("invalid credentials"));
        QVERIFY(!r.head.contains("leaked") && !r.body.contains("leaked"));
        QVERIFY(r.header("WWW-Authenticate").startsWith("Bearer"));
        const RawReply none
            = raw(method, target, {}, method == "POST" ? provisionBody() : QByteArray());
        QCOMPARE(none.status, 401);
    }

    void emptySecretsAreNotChecked()
    {
        m_sim.reset();
        SimulatorOptions o = options();
        o.sharedSecret = Secret();
        o.adminToken = Secret();
        o.adminApiKey = Secret();
        QVERIFY(startSim(o));
        auto c = client(config(false));
        const auto p = runProvision(*c, provisionRequest());
        QVERIFY2(p.ok(), p.ok() ? "" : qPrintable(p.error().message));
        QVERIFY(runStatus(*c, kWs, p->instanceId).state != RunState::Unknown);
        QVERIFY(runConsole(*c, kWs).ok());
        QVERIFY(runStop(*c, kWs, p->instanceId).ok());
    }

    // --- console -------------------------------------------------------------------------

    void consoleGrowsLikeABootLog()
    {
        m_sim.reset();
        SimulatorOptions o = options();
        o.bootMs = 400;
        o.consoleGrowthMs = 100;
        QVERIFY(startSim(o));
        auto c = client();
        const QString iid = provisioned();
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(iid), QStringLiteral("running"), 10000);

        const QString first = consoleText(*c, kWs);
        QVERIFY(first.startsWith(QLatin1String("\x1b"
                                               "c")));
        QVERIFY(first.contains(QLatin1String("SeaBIOS (version")));
        QVERIFY(first.contains(QLatin1String("[    0.000000] Linux version 6.1.0")));
        QVERIFY(first.contains(
            QRegularExpression(QStringLiteral("\\[ {0,4}\\d+\\.\\d{6}\\] systemd\\[1\\]"))));
        QVERIFY(first.contains(QLatin1String("[\x1b[0;32m  OK  \x1b[0m] Started ")));
        QVERIFY(first.contains(QLatin1String("\r\r\n")));
        QVERIFY(first.contains(QLatin1String("\r\n")));
        QVERIFY(first.contains(QRegularExpression(QStringLiteral("\\d+%\\r[^\\n]"))));
        QVERIFY(first.contains(QRegularExpression(
            QStringLiteral("Cloud-init v\\. 23\\.1 finished at \\w{3}, \\d\\d \\w{3} \\d{4}"))));
        QVERIFY(first.contains(QStringLiteral("\u2026"))); // systemd's ellipsis in unit names
        QVERIFY(first.contains(QChar(0xFFFD))); // the byte of line noise arrives as U+FFFD
        QVERIFY(first.contains(QLatin1String(" login: ")));
        QVERIFY(!first.contains(QLatin1String("Kernel panic")));

        QTRY_VERIFY_WITH_TIMEOUT(consoleText(*c, kWs).size() > first.size(), 10000);
        const QString later = consoleText(*c, kWs);
        QVERIFY(later.startsWith(first));
        QVERIFY(later.mid(first.size()).contains(QLatin1String("molecule-agent[")));

        // Kernel time never runs backwards, and no two distinct events print the same line.
        static const QRegularExpression stamp(QStringLiteral("^\\[\\s*(\\d+\\.\\d{6})\\] "));
        double previous = -1;
        QSet<QString> agentLines;
        for (const QString &line : later.split(QRegularExpression(QStringLiteral("[\\r\\n]+")))) {
            const auto m = stamp.match(line);
            if (!m.hasMatch())
                continue;
            const double t = m.captured(1).toDouble();
            QVERIFY2(t >= previous, qPrintable(line));
            previous = t;
            if (line.contains(QLatin1String("molecule-agent[")) && !line.contains(u'%')) {
                QVERIFY2(!agentLines.contains(line), qPrintable(line));
                agentLines.insert(line);
            }
        }

        // Stopping prints the shutdown, down to the power-off.
        QVERIFY(runStop(*c, kWs, iid).ok());
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(iid), QStringLiteral("terminated"), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(
            consoleText(*c, kWs).endsWith(QLatin1String("reboot: Power down\r\n")), 10000);
    }

    void consoleWhileBootingIsPartial()
    {
        m_sim.reset();
        SimulatorOptions o = options();
        o.bootMs = 60'000;
        QVERIFY(startSim(o));
        auto c = client();
        const QString iid = provisioned();
        QTRY_VERIFY_WITH_TIMEOUT(consoleText(*c, kWs).contains(QLatin1String("Linux version")),
                                 10000);
        const QString booting = consoleText(*c, kWs);
        QVERIFY(!booting.contains(QLatin1String("Cloud-init v. 23.1 finished")));
        QCOMPARE(stateOf(iid), QStringLiteral("pending"));
    }

    void failedInstanceShowsKernelPanic()
    {
        auto c = client();
        ProvisionRequest r = provisionRequest();
        r.runtime = QStringLiteral("python-panic");
        const auto p = runProvision(*c, r);
        QVERIFY(p.ok());
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(p->instanceId), QStringLiteral("failed"), 10000);
        const StatusResult s = runStatus(*c, kWs, p->instanceId);
        QCOMPARE(s.state, RunState::NotRunning);
        QCOMPARE(s.cpState, QStringLiteral("failed"));
        const QString out = consoleText(*c, kWs);
        QVERIFY(out.contains(QLatin1String("Kernel panic - not syncing: ")));
        QVERIFY(out.contains(QLatin1String("Call Trace:")));
        QVERIFY(out.contains(QLatin1String("---[ end Kernel panic")));
        QVERIFY(!out.contains(QLatin1String("login:")));
        // A panicked machine prints nothing more, while a healthy one beside it goes on
        // printing: the growth steps the panicked console sits out did pass.
        const QString healthyWs = QStringLiteral("ws-healthy");
        const QString healthy = provisioned(healthyWs);
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(healthy), QStringLiteral("running"), 10000);
        const QString healthyBefore = consoleText(*c, healthyWs);
        QTRY_VERIFY_WITH_TIMEOUT(consoleText(*c, healthyWs) != healthyBefore, 10000);
        QCOMPARE(consoleText(*c, kWs), out);
    }

    void failFractionIsDeterministicBySeed()
    {
        auto failures = [this](quint32 seed) {
            m_sim.reset();
            SimulatorOptions o = options();
            o.bootMs = 30;
            o.seed = seed;
            o.failFraction = 0.5;
            if (!startSim(o))
                return QStringList { "no simulator" };
            auto c = client();
            QStringList ids;
            for (int i = 0; i < 16; ++i)
                ids << provisioned(QStringLiteral("ws-%1").arg(i));
            [&] {
                QTRY_VERIFY_WITH_TIMEOUT(std::none_of(ids.cbegin(), ids.cend(),
                                                      [this](const QString &iid) {
                                                          return stateOf(iid)
                                                              == QLatin1String("pending");
                                                      }),
                                         10000);
            }();
            QStringList failed;
            for (int i = 0; i < ids.size(); ++i) {
                if (stateOf(ids[i]) == QLatin1String("failed"))
                    failed << QString::number(i);
            }
            return failed;
        };
        const QStringList a = failures(5);
        QCOMPARE(failures(5), a);
        QVERIFY2(a.size() > 0 && a.size() < 16, qPrintable(a.join(',')));
    }

    void consoleReturnsTheLatestWindow()
    {
        m_sim.reset();
        SimulatorOptions o = options();
        o.consoleGrowthMs = 1;
        QVERIFY(startSim(o));
        auto c = client();
        const QString iid = provisioned();
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(iid), QStringLiteral("running"), 10000);
        const auto totalBytes = [&] {
            qint64 total = 0;
            m_sim->consoleBytes(iid, &total);
            return total;
        };
        QTRY_VERIFY_WITH_TIMEOUT(totalBytes() > qint64(300) * 1024, 30000);
        const auto out = runConsole(*c, kWs);
        QVERIFY2(out.ok(), out.ok() ? "" : qPrintable(out.error().message));
        QVERIFY(out->output.size() <= qsizetype(64) * 1024);
        QVERIFY(out->output.size() > qsizetype(60) * 1024);
        QVERIFY(out->bytes < int(CpClient::kConsoleCap));
        QVERIFY(!out->output.contains(QLatin1String("SeaBIOS"))); // the boot scrolled out
        const QByteArray retained = m_sim->consoleBytes(iid);
        QVERIFY(retained.size() >= qsizetype(256) * 1024);
    }

    void consoleWindowIsConfigurable()
    {
        m_sim.reset();
        SimulatorOptions o = options();
        o.consoleWindowBytes = 4096;
        QVERIFY(startSim(o));
        auto c = client();
        const QString iid = provisioned();
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(iid), QStringLiteral("running"), 10000);
        const auto out = runConsole(*c, kWs);
        QVERIFY(out.ok());
        QVERIFY(out->output.toUtf8().size() <= 4096 + 2 * out->output.count(QChar(0xFFFD)));
        QVERIFY(out->output.size() > 3000);
        qint64 total = 0;
        m_sim->consoleBytes(iid, &total);
        QVERIFY(total > qint64(40) * 1024);
    }

    // --- hostile IDs -------------------------------------------------------------------------

    void hostileIdsNeverReachAnotherRoute_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QByteArray>("target");
        QTest::addColumn<bool>("admin");
        QTest::addColumn<int>("status");
        const QByteArray ws = kWs.toUtf8();
        auto row
            = [](const char *name, const char *m, const QByteArray &t, bool admin, int status) {
                  QTest::newRow(name) << QByteArray(m) << t << admin << status;
              };
        row("encoded ../admin in status", "GET", "/cp/workspaces/..%2Fadmin/status?instance_id=IID",
            false, 400);
        row("a%2Fb in status", "GET", "/cp/workspaces/a%2Fb/status?instance_id=IID", false, 400);
        row("a%2Fb in console", "GET", "/cp/admin/workspaces/a%2Fb/console", true, 400);
        row("encoded dots in console", "GET", "/cp/admin/workspaces/%2E%2E/console", true, 400);
        row("console to provision", "GET",
            "/cp/admin/workspaces/..%2F..%2Fworkspaces%2Fprovision/console", true, 400);
        row("literal .. to console", "GET", "/cp/workspaces/../admin/workspaces/" + ws + "/console",
            true, 404);
        row("literal .. from console", "GET",
            "/cp/admin/workspaces/../../workspaces/" + ws + "/status?instance_id=IID", false, 404);
        row("stop into sim", "DELETE", "/cp/workspaces/..%2F..%2Fsim%2Ffaults?instance_id=IID",
            false, 400);
        row("PUT into sim", "PUT", "/cp/workspaces/..%2F..%2Fsim%2Ffaults", false, 405);
        row("NUL", "GET", "/cp/workspaces/" + ws + "%00/status?instance_id=IID", false, 400);
        row("non-ASCII", "GET", "/cp/workspaces/%E2%80%AEabc/status?instance_id=IID", false, 400);
        row("bad UTF-8", "GET", "/cp/workspaces/%FF%FE/status?instance_id=IID", false, 400);
        row("empty ID", "GET", "/cp/workspaces//status?instance_id=IID", false, 400);
        row("instance ../admin", "GET",
            "/cp/workspaces/" + ws + "/status?instance_id=..%2F..%2Fadmin", false, 400);
        row("instance with &", "GET", "/cp/workspaces/" + ws + "/status?instance_id=IID%26x%3D1",
            false, 400);
        row("double slash", "GET", "//cp/workspaces/" + ws + "/status?instance_id=IID", false, 404);
        row("trailing slash", "GET", "/cp/workspaces/" + ws + "/status/?instance_id=IID", false,
            404);
        row("encoded sim", "GET", "/sim%2Fstats", false, 404);
        row("encoded route word", "GET", "/cp/admin/workspaces/" + ws + "/consol%65", true, 404);
    }
    void hostileIdsNeverReachAnotherRoute()
    {
        QFETCH(QByteArray, method);
        QFETCH(QByteArray, target);
        QFETCH(bool, admin);
        QFETCH(int, status);
        const QString iid = provisioned();
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(iid), QStringLiteral("running"), 10000);
        QVERIFY(m_sim->setFaults(QStringLiteral("none")));
        target.replace("IID", iid.toUtf8());

        const RawReply r = raw(method, target, admin ? adminAuth() : provisionAuth(),
                               method == "PUT" ? QByteArray("5xx") : QByteArray());
        QCOMPARE(r.status, status);
        const QJsonObject body = r.json();
        QVERIFY(body.contains("error"));
        QVERIFY(!body.contains("output") && !body.contains("state") && !body.contains("faults"));
        QCOMPARE(m_sim->requestCount("console", "ok"), 0);
        QCOMPARE(m_sim->faults(), QStringLiteral("none"));
        QCOMPARE(stateOf(iid), QStringLiteral("running"));
        QCOMPARE(m_sim->instanceCount(), 1);
    }

    // --- faults ----------------------------------------------------------------------------

    void faultsAsTheClientSeesThem_data()
    {
        QTest::addColumn<Call>("call");
        QTest::addColumn<QString>("spec");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<Error::Kind>("kind");
        QTest::addColumn<int>("statusMin");
        QTest::addColumn<int>("statusMax");
        QTest::addColumn<QString>("messagePart");
        QTest::addColumn<QString>("outcome");

        using K = Error::Kind;
        const struct
        {
            Call call;
            const char *name;
        } routes[] = { { Call::Provision, "provision" },
                       { Call::Stop, "stop" },
                       { Call::Status, "status" },
                       { Call::Console, "console" } };
        for (const auto &rt : routes) {
            const QString r = QString::fromLatin1(rt.name);
            auto row = [&](const char *fault, const QString &spec, bool ok, K kind, int lo, int hi,
                           const QString &part, const QString &outcome) {
                QTest::addRow("%s %s", rt.name, fault)
                    << rt.call << spec << ok << kind << lo << hi << part << outcome;
            };
            row("5xx", r + ".5xx", false, K::HttpStatus, 500, 504, {}, "5xx");
            row("429", r + ".429", false, K::HttpStatus, 429, 429, {}, "429");
            if (rt.call == Call::Stop) {
                // stop accepts any 2xx and does not read its body: the stop happened.
                row("malformed", r + ".malformed", true, K::Transport, 0, 0, {}, "malformed");
                // An error page longer than the 512 bytes the client quotes.
                row("oversize", r + ".oversize", false, K::HttpStatus, 502, 502,
                    "Bad Gateway — nginx", "oversize");
            } else {
                row("malformed", r + ".malformed", false, K::Decode, 0, 0, {}, "malformed");
                row("oversize", r + ".oversize", false, K::Decode, 0, 0, "response larger than",
                    "oversize");
            }
            row("drip", r + ".drip", false, K::Timeout, 0, 0, "timed out", "drip");
            row("drop", r + ".drop", false, K::Transport, 0, 0, {}, "drop");
            row("timeout", r + ".timeout", false, K::Timeout, 0, 0, "timed out", "timeout");
            row("latency", r + ".latency=3000", false, K::Timeout, 0, 0, "timed out", "ok");
            row("small latency", r + ".latency=20", true, K::Transport, 0, 0, {}, "ok");
            row("all routes", "5xx", false, K::HttpStatus, 500, 504, {}, "5xx");
            row("other route only", rt.call == Call::Console ? "status.5xx" : "console.5xx", true,
                K::Transport, 0, 0, {}, "ok");
            row("probability 0", r + ".drop=0", true, K::Transport, 0, 0, {}, "ok");
        }
    }
    void faultsAsTheClientSeesThem()
    {
        QFETCH(Call, call);
        QFETCH(QString, spec);
        QFETCH(bool, ok);
        QFETCH(Error::Kind, kind);
        QFETCH(int, statusMin);
        QFETCH(int, statusMax);
        QFETCH(QString, messagePart);
        QFETCH(QString, outcome);

        // An instance to act on, made before the faults are set.
        const QString iid = provisioned();
        QVERIFY(!iid.isEmpty());
        QString error;
        QVERIFY2(m_sim->setFaults(spec, &error), qPrintable(error));
        CpConfig cfg = config();
        cfg.requestTimeoutMs = 700;
        cfg.provisionTimeoutMs = 700;
        auto c = client(cfg);

        const QString route = call == Call::Provision ? "provision"
            : call == Call::Stop                      ? "stop"
            : call == Call::Status                    ? "status"
                                                      : "console";
        const Flat f = run(call, *c, call == Call::Provision ? kWs2 : kWs, iid);
        QVERIFY2(f.ok == ok, qPrintable(f.message));
        if (!ok) {
            QVERIFY2(f.kind == kind, qPrintable(Error::kindName(f.kind) + u' ' + f.message));
            if (statusMin > 0)
                QVERIFY2(f.status >= statusMin && f.status <= statusMax, qPrintable(f.message));
            if (!messagePart.isEmpty())
                QVERIFY2(f.message.contains(messagePart), qPrintable(f.message));
            QVERIFY(f.message.startsWith(call == Call::Status ? QStringLiteral("status check")
                                                              : route));
            QVERIFY(f.message.size() < 700); // never a whole body
        }
        QVERIFY2(m_sim->requestCount(route, outcome) >= 1,
                 qPrintable(QJsonDocument(m_sim->stats()).toJson(QJsonDocument::Compact)));
        if (call == Call::Stop && spec.endsWith(QLatin1String(".malformed")))
            QCOMPARE(stateOf(iid), QStringLiteral("stopping"));
        if (call == Call::Stop && !ok && (f.kind == Error::Kind::HttpStatus))
            QCOMPARE(stateOf(iid), QStringLiteral("pending")); // a refused stop changed nothing
    }

    void oversizeIsCaughtDeclaredOrStreamed()
    {
        // Half the oversized answers declare their length, half stream until the connection
        // closes: the client must stop at its cap either way.
        const QString iid = provisioned();
        QVERIFY(m_sim->setFaults(QStringLiteral("status.oversize,console.oversize")));
        auto c = client();
        QSet<bool> declared;
        for (int i = 0; i < 10; ++i) {
            const StatusResult s = runStatus(*c, kWs, iid);
            QCOMPARE(s.state, RunState::Unknown);
            QCOMPARE(s.error->kind, Error::Kind::Decode);
            QVERIFY2(s.error->message.contains(QLatin1String("response larger than 64 KiB")),
                     qPrintable(s.error->message));
            declared.insert(s.error->message.contains(QLatin1String("declared")));
        }
        QCOMPARE(declared.size(), 2);
        for (int i = 0; i < 4; ++i) {
            const auto out = runConsole(*c, kWs);
            QVERIFY(!out.ok());
            QVERIFY2(out.error().message.contains(QLatin1String("response larger than 256 KiB")),
                     qPrintable(out.error().message));
        }
        QCOMPARE(m_sim->requestCount("console", "oversize"), 4);
    }

    void errorRatePicksOneOfTheErrors_data()
    {
        QTest::addColumn<Call>("call");
        QTest::newRow("provision") << Call::Provision;
        QTest::newRow("stop") << Call::Stop;
        QTest::newRow("status") << Call::Status;
        QTest::newRow("console") << Call::Console;
    }
    void errorRatePicksOneOfTheErrors()
    {
        QFETCH(Call, call);
        const QString route = call == Call::Provision ? "provision"
            : call == Call::Stop                      ? "stop"
            : call == Call::Status                    ? "status"
                                                      : "console";
        const QString iid = provisioned();
        const qint64 before = m_sim->requestCount(route);
        QVERIFY(m_sim->setFaults(route + QStringLiteral(".error-rate")));
        CpConfig cfg = config();
        cfg.requestTimeoutMs = 2000;
        cfg.provisionTimeoutMs = 2000;
        auto c = client(cfg);
        for (int i = 0; i < 6; ++i) {
            // A fresh workspace per provision: a spoiled answer may still have made an instance.
            const Flat f = run(
                call, *c, call == Call::Provision ? QStringLiteral("ws-er-%1").arg(i) : kWs, iid);
            if (!f.ok) {
                QVERIFY2(f.kind == Error::Kind::HttpStatus || f.kind == Error::Kind::Decode
                             || f.kind == Error::Kind::Transport,
                         qPrintable(f.message));
            } else {
                QCOMPARE(call, Call::Stop); // only a malformed 200 to a stop passes
            }
        }
        qint64 faults = 0;
        for (const char *o : { "5xx", "429", "malformed", "drop" })
            faults += m_sim->requestCount(route, QLatin1String(o));
        QVERIFY(faults >= 6);
        QCOMPARE(faults, m_sim->requestCount(route) - before);
        QCOMPARE(m_sim->requestCount(route, "ok"), before);
    }

    void faultsAreDeterministicBySeed()
    {
        auto outcomes = [this](quint32 seed) {
            m_sim.reset();
            SimulatorOptions o = options();
            o.seed = seed;
            o.faults = QStringLiteral("status.5xx=0.5,status.429=0.3");
            if (!startSim(o))
                return QString();
            const QString iid = m_sim->instanceCount() == 0 ? provisioned() : QString();
            auto c = client();
            QString seq;
            for (int i = 0; i < 24; ++i) {
                const StatusResult s = runStatus(*c, kWs, iid);
                seq += s.state == RunState::Unknown ? QString::number(s.error->httpStatus / 100)
                                                    : QStringLiteral("k");
                seq += u' ';
            }
            return seq;
        };
        const QString a = outcomes(11);
        QCOMPARE(outcomes(11), a);
        QVERIFY2(a.contains(u'k') && a.contains(u'5') && a.contains(u'4'), qPrintable(a));
        QVERIFY(outcomes(12) != a);
    }

    void faultsChangeAtRunTimeOverHttp()
    {
        const QString iid = provisioned();
        auto c = client();
        QSignalSpy changed(m_sim.get(), &Simulator::faultsChanged);

        RawReply r = raw("PUT", "/sim/faults", {}, "status.5xx", "text/plain");
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json().value("faults").toString(), QStringLiteral("status.5xx"));
        QCOMPARE(changed.count(), 1);
        StatusResult s = runStatus(*c, kWs, iid);
        QCOMPARE(s.state, RunState::Unknown);
        QVERIFY(s.error->httpStatus >= 500);
        QVERIFY(runConsole(*c, kWs).ok()); // other routes are untouched

        r = raw("PUT", "/sim/faults", {}, "status.bogus=1", "text/plain");
        QCOMPARE(r.status, 400);
        QVERIFY2(r.json().value("error").toString().contains(QLatin1String("status.bogus=1")),
                 r.body.constData());
        QCOMPARE(m_sim->faults(), QStringLiteral("status.5xx")); // the old faults stay

        r = raw("GET", "/sim/faults", {});
        QCOMPARE(r.json().value("faults").toString(), QStringLiteral("status.5xx"));

        r = raw("PUT", "/sim/faults", {}, "none", "text/plain");
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json().value("faults").toString(), QStringLiteral("none"));
        QVERIFY(runStatus(*c, kWs, iid).state != RunState::Unknown);

        r = raw("GET", "/sim/stats", {});
        QCOMPARE(r.status, 200);
        const QJsonObject stats = r.json();
        const QJsonObject status = stats.value("requests").toObject().value("status").toObject();
        QCOMPARE(status.value("total").toInt(), 2);
        QCOMPARE(status.value("5xx").toInt(), 1);
        QCOMPARE(status.value("ok").toInt(), 1);
        QCOMPARE(
            stats.value("requests").toObject().value("provision").toObject().value("ok").toInt(),
            1);
        QCOMPARE(stats.value("instances").toObject().value("total").toInt(), 1);
        QCOMPARE(stats.value("faults").toString(), QStringLiteral("none"));
    }

    void faultSpecParses_data()
    {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<QString>("canonical");
        QTest::newRow("empty") << ""
                               << "none";
        QTest::newRow("none") << " none "
                              << "none";
        QTest::newRow("bare") << "5xx"
                              << "5xx";
        QTest::newRow("spaces") << " status.5xx = 0.5 , drip "
                                << "status.5xx=0.5,drip";
        QTest::newRow("percent") << "error-rate=20%"
                                 << "error-rate=0.2";
        QTest::newRow("latency") << "latency=250,console.oversize"
                                 << "latency=250,console.oversize";
        QTest::newRow("override") << "5xx=0.1,status.5xx=1"
                                  << "5xx=0.1,status.5xx";
        QTest::newRow("zero") << "provision.drop=0"
                              << "provision.drop=0";
        QTest::newRow("case") << "Status.Timeout"
                              << "status.timeout";
        QTest::newRow("every fault")
            << "latency=1,5xx,429,malformed,oversize,drip,drop,timeout,error-rate"
            << "latency=1,5xx,429,malformed,oversize,drip,drop,timeout,error-rate";
    }
    void faultSpecParses()
    {
        QFETCH(QString, spec);
        QFETCH(QString, canonical);
        const Result<FaultSpec> r = FaultSpec::parse(spec);
        QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().message));
        QCOMPARE(r->toString(), canonical);
        const Result<FaultSpec> again = FaultSpec::parse(r->toString());
        QVERIFY(again.ok());
        QCOMPARE(again->toString(), canonical);
    }

    void faultSpecOverridesPerRoute()
    {
        const Result<FaultSpec> r
            = FaultSpec::parse(QStringLiteral("5xx=0.1,status.5xx=1,latency=30,console.latency=0"));
        QVERIFY(r.ok());
        QCOMPARE(r->value(FaultKind::ServerError, SimRoute::Status), 1.0);
        QCOMPARE(r->value(FaultKind::ServerError, SimRoute::Console), 0.1);
        QCOMPARE(r->latencyMs(SimRoute::Stop), 30);
        QCOMPARE(r->latencyMs(SimRoute::Console), 0);
        QVERIFY(!r->value(FaultKind::Drop, SimRoute::Stop));
    }

    void faultSpecErrorsNameTheItem_data()
    {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<QString>("item");
        QTest::addColumn<QString>("why");
        QTest::newRow("probability > 1") << "5xx=2"
                                         << "'5xx=2'"
                                         << "bad probability";
        QTest::newRow("probability text") << "drip,5xx=abc"
                                          << "'5xx=abc'"
                                          << "bad probability";
        QTest::newRow("negative") << "drop=-0.1"
                                  << "'drop=-0.1'"
                                  << "bad probability";
        QTest::newRow("unknown fault") << "status.slow"
                                       << "'status.slow'"
                                       << "unknown fault 'slow'";
        QTest::newRow("unknown route") << "admin.5xx"
                                       << "'admin.5xx'"
                                       << "unknown route 'admin'";
        QTest::newRow("latency without value") << "latency"
                                               << "'latency'"
                                               << "needs a value in milliseconds";
        QTest::newRow("latency negative") << "latency=-5"
                                          << "'latency=-5'"
                                          << "bad latency";
        QTest::newRow("latency text") << "console.latency=fast"
                                      << "'console.latency=fast'"
                                      << "bad latency";
        QTest::newRow("twice") << "5xx,5xx=0.5"
                               << "'5xx=0.5'"
                               << "given twice";
        QTest::newRow("stray comma") << "5xx,,429"
                                     << "'5xx,,429'"
                                     << "empty item";
        QTest::newRow("none with others") << "none,5xx"
                                          << "'none'"
                                          << "must stand alone";
    }
    void faultSpecErrorsNameTheItem()
    {
        QFETCH(QString, spec);
        QFETCH(QString, item);
        QFETCH(QString, why);
        const Result<FaultSpec> r = FaultSpec::parse(spec);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().kind, Error::Kind::Config);
        QVERIFY2(r.error().message.contains(item), qPrintable(r.error().message));
        QVERIFY2(r.error().message.contains(why), qPrintable(r.error().message));
        QString error;
        QVERIFY(!m_sim->setFaults(spec, &error));
        QCOMPARE(error, r.error().message);
    }

    // --- demo data and adopt() ---------------------------------------------------------------

    void generateWorkspacesIsDeterministic()
    {
        const auto a = generateWorkspaces(300, 7);
        const auto b = generateWorkspaces(300, 7);
        const auto prefix = generateWorkspaces(50, 7);
        const auto other = generateWorkspaces(300, 8);
        QCOMPARE(a.size(), 300);
        int differ = 0;
        for (int i = 0; i < a.size(); ++i) {
            QCOMPARE(a[i].id, b[i].id);
            QCOMPARE(a[i].name, b[i].name);
            QCOMPARE(a[i].status, b[i].status);
            QCOMPARE(a[i].instanceId, b[i].instanceId);
            QCOMPARE(a[i].runtime, b[i].runtime);
            QCOMPARE(a[i].tier, b[i].tier);
            QCOMPARE(a[i].provider, b[i].provider);
            QCOMPARE(a[i].createdAt, b[i].createdAt);
            QCOMPARE(a[i].lastHeartbeatAt, b[i].lastHeartbeatAt);
            if (i < prefix.size()) {
                QCOMPARE(prefix[i].id, a[i].id);
                QCOMPARE(prefix[i].name, a[i].name);
            }
            differ += a[i].id != other[i].id;
        }
        QCOMPARE(differ, 300);
        QVERIFY(generateWorkspaces(0, 7).isEmpty());
    }

    void generateWorkspacesLooksLikeATenant()
    {
        const QDateTime now = demoReferenceTime();
        const auto rows = generateWorkspaces(3000, 99, now);
        QHash<QString, int> byStatus;
        QSet<QString> ids, names, runtimes, providers;
        const QRegularExpression uuid(QStringLiteral(
            "^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"));
        const QRegularExpression nameRe(QStringLiteral("^[a-z][a-z0-9-]+$"));
        for (const WorkspaceRow &r : rows) {
            ++byStatus[r.status];
            QVERIFY(knownWorkspaceStatuses().contains(r.status));
            QVERIFY2(uuid.match(r.id).hasMatch(), qPrintable(r.id));
            QVERIFY(validation::checkWorkspaceId(r.id).ok());
            QVERIFY2(nameRe.match(r.name).hasMatch(), qPrintable(r.name));
            ids.insert(r.id);
            names.insert(r.name);
            runtimes.insert(r.runtime);
            providers.insert(r.provider);
            QVERIFY(r.tier >= 1 && r.tier <= 4);
            QCOMPARE(!r.instanceId.isEmpty(), demoStatusHasCompute(r.status));
            if (!r.instanceId.isEmpty()) {
                QVERIFY(r.instanceId.startsWith(QLatin1String("mol-ws-")));
                QVERIFY(validation::checkInstanceId(r.instanceId).ok());
            }
            QVERIFY(r.createdAt.isValid() && r.createdAt <= now);
            QVERIFY(r.updatedAt >= r.createdAt && r.updatedAt <= now);
            if (r.status == QLatin1String("provisioning") || r.status == QLatin1String("removed"))
                QVERIFY(!r.lastHeartbeatAt.isValid());
            if (r.status == QLatin1String("online"))
                QVERIFY(r.lastHeartbeatAt.secsTo(now) < 120);
            if (r.status == QLatin1String("failed") || r.status == QLatin1String("degraded"))
                QVERIFY(!r.lastSampleError.isEmpty());
        }
        QCOMPARE(ids.size(), rows.size());
        QCOMPARE(names.size(), rows.size());
        for (const char *s : { "online", "offline", "provisioning", "degraded", "failed", "paused",
                               "hibernated", "removed" })
            QVERIFY2(byStatus.value(QLatin1String(s)) > 0, s);
        QVERIFY(byStatus.value("online") > rows.size() * 4 / 10);
        for (auto it = byStatus.cbegin(); it != byStatus.cend(); ++it)
            QVERIFY(it.key() == QLatin1String("online")
                    || it.value() < byStatus.value("online") / 3);
        QVERIFY(byStatus.value("removed") < rows.size() / 10);
        QVERIFY(runtimes.contains("python") && runtimes.contains("node") && runtimes.contains("go")
                && runtimes.contains("rust") && runtimes.contains("jvm"));
        QCOMPARE(providers, (QSet<QString> { "aws", "gcp" }));
        const auto hasName = [&](const QString &pattern) {
            const QRegularExpression re(pattern);
            return std::any_of(names.cbegin(), names.cend(),
                               [&](const QString &n) { return re.match(n).hasMatch(); });
        };
        QVERIFY(hasName(QStringLiteral("^[a-z]+-api-(eu|us|uk|de|sg|ap)")));
        QVERIFY(hasName(QStringLiteral("^ml-[a-z]+-\\d\\d$")));
        QVERIFY(hasName(QStringLiteral("^[a-z]+-dev-sandbox$")));
    }

    void adoptMakesStatusAndConsoleWork()
    {
        m_sim.reset();
        SimulatorOptions o = options();
        o.bootMs = 60'000;
        o.consoleGrowthMs = 700;
        o.consoleWindowBytes = 200 * 1024;
        QVERIFY(startSim(o));
        const auto rows = generateWorkspaces(80, 3);
        m_sim->adopt(rows);
        const auto withCompute
            = std::count_if(rows.cbegin(), rows.cend(),
                            [](const WorkspaceRow &r) { return !r.instanceId.isEmpty(); });
        QCOMPARE(m_sim->instanceCount(), int(withCompute));
        m_sim->adopt(rows); // again: nothing new
        QCOMPARE(m_sim->instanceCount(), int(withCompute));

        auto c = client();
        int online = 0, bootVisible = 0, failed = 0, provisioning = 0, without = 0;
        for (const WorkspaceRow &r : rows) {
            if (r.instanceId.isEmpty()) {
                if (without++ == 0) {
                    const auto console = runConsole(*c, r.id);
                    QVERIFY(!console.ok());
                    QCOMPARE(console.error().httpStatus, 404);
                }
                continue;
            }
            const StatusResult s = runStatus(*c, r.id, r.instanceId);
            QVERIFY2(s.state != RunState::Unknown, qPrintable(r.status));
            if (r.status == QLatin1String("online") && online < 12) {
                ++online;
                QCOMPARE(s.state, RunState::Running);
                const QString out = consoleText(*c, r.id);
                QVERIFY(out.contains(QLatin1String("molecule-agent[")));
                QVERIFY(!out.contains(QLatin1String("Kernel panic")));
                bootVisible += out.contains(QLatin1String("Cloud-init v. 23.1 finished at"));
            } else if (r.status == QLatin1String("failed")) {
                ++failed;
                QCOMPARE(s.cpState, QStringLiteral("failed"));
                const QString out = consoleText(*c, r.id);
                QVERIFY(out.contains(QLatin1String("Kernel panic - not syncing")));
                QVERIFY(out.contains(QLatin1String("Call Trace:")));
            } else if (r.status == QLatin1String("provisioning")) {
                ++provisioning;
                QCOMPARE(s.cpState, QStringLiteral("pending"));
            }
        }
        QVERIFY(online > 0 && failed > 0 && provisioning > 0 && without > 0);
        QVERIFY(bootVisible > 0); // some came up recently enough that the boot is still on screen

        const auto it = std::find_if(rows.cbegin(), rows.cend(), [](const WorkspaceRow &r) {
            return r.status == QLatin1String("online");
        });
        QVERIFY(runStop(*c, it->id, it->instanceId).ok());
        QCOMPARE(stateOf(it->instanceId), QStringLiteral("stopping"));
        QCOMPARE(runStatus(*c, it->id, it->instanceId).cpState, QStringLiteral("stopping"));
    }
};

QTEST_MAIN(tst_Simulator)
#include "tst_simulator.moc"
