// The CP simulator, driven through the real CpClient (and raw sockets where a client would
// refuse to send the request) over loopback: routes, shapes, auth and lifecycle.

#include "simtestbase.h"

using namespace cpc;
using namespace cpc::test;

Q_DECLARE_METATYPE(Error::Kind)

class tst_Simulator : public SimTestBase
{
    Q_OBJECT

private Q_SLOTS:
    void init() { QVERIFY(setUp()); }
    void cleanup() { tearDown(); }

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
        ProvisionRequest req = provisionRequest(kWs);
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
        const auto r = runProvision(*c, provisionRequest(kWs));
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
        SimulatorOptions o = options();
        o.bootMs = 60'000;
        const QString iid = provisionedOn(o);
        QVERIFY(!iid.isEmpty());
        auto c = client();
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
        const CallOutcome f = runCall(call, *c, call == Call::Provision ? kWs2 : kWs, iid);
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
        const auto p = runProvision(*c, provisionRequest(kWs));
        QVERIFY2(p.ok(), p.ok() ? "" : qPrintable(p.error().message));
        QVERIFY(runStatus(*c, kWs, p->instanceId).state != RunState::Unknown);
        QVERIFY(runConsole(*c, kWs).ok());
        QVERIFY(runStop(*c, kWs, p->instanceId).ok());
    }

    // --- console -------------------------------------------------------------------------
};

QTEST_MAIN(tst_Simulator)
#include "tst_simulator.moc"
