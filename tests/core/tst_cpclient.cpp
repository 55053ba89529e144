// The CP client against a real loopback HTTP server: every route, every status class, caps,
// deadlines, redirects and hostile IDs. One suite over 600 lines: its route and status-class
// tables are one matrix each; retries, secrets and cancellation are tst_cpclientcalls.
#include "cpclienttestbase.h"

using namespace cpc;
using namespace cpc::test;

class tst_CpClient : public CpClientTestBase
{
    Q_OBJECT

private Q_SLOTS:
    void init() { setUp(); }
    void cleanup() { m_server.reset(); }

    // --- routes: method, path, query, headers, body -------------------------------------
    void routes_data()
    {
        QTest::addColumn<Call>("call");
        QTest::addColumn<bool>("secrets");
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QByteArray>("target");
        QTest::addColumn<QByteArray>("bearer");
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("body");

        const QByteArray wsPath = "/cp/workspaces/" + kWs.toLatin1();
        QTest::newRow("provision")
            << Call::Provision << true << QByteArray("POST")
            << QByteArray("/cp/workspaces/provision") << ("Bearer " + kShared.toLatin1()) << 201
            << QByteArray(R"({"instance_id":"i-1","private_ip":"10.0.0.1","state":"pending"})");
        QTest::newRow("stop") << Call::Stop << true << QByteArray("DELETE")
                              << (wsPath + "?instance_id=" + kIid.toLatin1())
                              << ("Bearer " + kShared.toLatin1()) << 204 << QByteArray();
        QTest::newRow("status") << Call::Status << true << QByteArray("GET")
                                << (wsPath + "/status?instance_id=" + kIid.toLatin1())
                                << ("Bearer " + kShared.toLatin1()) << 200
                                << QByteArray(R"({"state":"running"})");
        QTest::newRow("console") << Call::Console << true << QByteArray("GET")
                                 << ("/cp/admin/workspaces/" + kWs.toLatin1() + "/console")
                                 << ("Bearer " + kAdminKey.toLatin1()) << 200
                                 << QByteArray(R"({"output":"boot\n"})");
        QTest::newRow("provision no secrets")
            << Call::Provision << false << QByteArray("POST")
            << QByteArray("/cp/workspaces/provision") << QByteArray() << 201
            << QByteArray(R"({"instance_id":"mol-ws-1"})");
        QTest::newRow("stop no secrets") << Call::Stop << false << QByteArray("DELETE")
                                         << (wsPath + "?instance_id=" + kIid.toLatin1())
                                         << QByteArray() << 200 << QByteArray("{}");
        QTest::newRow("status no secrets")
            << Call::Status << false << QByteArray("GET")
            << (wsPath + "/status?instance_id=" + kIid.toLatin1()) << QByteArray() << 200
            << QByteArray(R"({"state":"stopped"})");
        QTest::newRow("console no secrets")
            << Call::Console << false << QByteArray("GET")
            << ("/cp/admin/workspaces/" + kWs.toLatin1() + "/console") << QByteArray() << 200
            << QByteArray(R"({"output":""})");
    }
    void routes()
    {
        QFETCH(Call, call);
        QFETCH(bool, secrets);
        QFETCH(QByteArray, method);
        QFETCH(QByteArray, target);
        QFETCH(QByteArray, bearer);
        QFETCH(int, status);
        QFETCH(QByteArray, body);
        m_server->enqueue(HttpResponse::json(status, body));
        auto c = client(secrets);
        const CallOutcome f = run(call, *c);
        QVERIFY2(f.ok, qPrintable(f.message));
        QCOMPARE(m_server->requestCount(), 1);
        const HttpRequest req = m_server->lastRequest();
        QCOMPARE(req.method, method);
        QCOMPARE(req.target, target);
        QCOMPARE(req.header("Authorization"), bearer);
        QCOMPARE(req.hasHeader("Authorization"), secrets);
        QCOMPARE(req.hasHeader("X-Molecule-Admin-Token"), secrets);
        if (secrets)
            QCOMPARE(req.header("X-Molecule-Admin-Token"), kAdminToken.toLatin1());
        if (call == Call::Provision) {
            QCOMPARE(req.header("Content-Type"), QByteArray("application/json"));
            const QJsonObject o = QJsonDocument::fromJson(req.body).object();
            QCOMPARE(o.value("org_id").toString(), QStringLiteral("org-42"));
            QCOMPARE(o.value("workspace_id").toString(), kWs);
            QCOMPARE(o.value("runtime").toString(), QStringLiteral("python"));
            QVERIFY(o.value("tier").isDouble());
            QCOMPARE(o.value("tier").toInt(), 2);
            QCOMPARE(o.value("platform_url").toString(),
                     QStringLiteral("https://platform.example"));
            QCOMPARE(o.value("env").toObject().value("FOO").toString(), QStringLiteral("bar"));
            QVERIFY(!o.value("idempotency_key").toString().isEmpty());
            for (const char *absent : { "provider", "instance_type", "disk_gb", "template" })
                QVERIFY2(!o.contains(QLatin1String(absent)), absent);
        } else {
            QVERIFY(req.body.isEmpty());
        }
    }

    void provisionOptionalFields()
    {
        m_server->enqueue(HttpResponse::json(201, R"({"instance_id":"i-2"})"));
        auto c = client();
        ProvisionRequest r = provisionRequest(kWs);
        r.provider = QStringLiteral("aws");
        r.instanceType = QStringLiteral("t3.large");
        r.diskGb = 80;
        r.templateName = QStringLiteral("gpu-base");
        r.idempotencyKey = QStringLiteral("key-123");
        const auto res = runProvision(*c, r);
        QVERIFY(res);
        QCOMPARE(res->idempotencyKey, QStringLiteral("key-123"));
        const QJsonObject o = QJsonDocument::fromJson(m_server->lastRequest().body).object();
        QCOMPARE(o.value("provider").toString(), QStringLiteral("aws"));
        QCOMPARE(o.value("instance_type").toString(), QStringLiteral("t3.large"));
        QCOMPARE(o.value("disk_gb").toInt(), 80);
        QCOMPARE(o.value("template").toString(), QStringLiteral("gpu-base"));
        QCOMPARE(o.value("idempotency_key").toString(), QStringLiteral("key-123"));
    }

    void opaqueInstanceIdAndFields()
    {
        m_server->enqueue(HttpResponse::json(
            201,
            R"({"instance_id":"mol-ws-00042","private_ip":"10.1.2.3","state":"pending","error":""})"));
        auto c = client();
        const auto res = runProvision(*c, provisionRequest(kWs));
        QVERIFY(res);
        QCOMPARE(res->instanceId, QStringLiteral("mol-ws-00042"));
        QCOMPARE(res->privateIp, QStringLiteral("10.1.2.3"));
        QCOMPARE(res->state, QStringLiteral("pending"));
        QCOMPARE(res->attempts, 1);
    }

    // --- every status class for every call ----------------------------------------------
    void statusClasses_data()
    {
        QTest::addColumn<Call>("call");
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<QString>("expected"); // payload when ok, message fragment otherwise
        QTest::addColumn<int>("requests");

        // provision: exactly 201; 408/429/5xx retried (3 attempts); other 4xx final
        QTest::newRow("provision 201")
            << Call::Provision << 201 << QByteArray(R"({"instance_id":"i-9"})") << true << "i-9"
            << 1;
        QTest::newRow("provision 200")
            << Call::Provision << 200 << QByteArray(R"({"instance_id":"i-9"})") << false
            << "provision failed (200): <unstructured body, 21 bytes>" << 1;
        QTest::newRow("provision 202")
            << Call::Provision << 202 << QByteArray(R"({"instance_id":"i-9","error":"queued"})")
            << false << "provision failed (202): queued" << 1;
        QTest::newRow("provision 204")
            << Call::Provision << 204 << QByteArray() << false
            << "provision failed (204): <unstructured body, 0 bytes>" << 1;
        QTest::newRow("provision 301")
            << Call::Provision << 301 << QByteArray() << false << "provision failed (301)" << 1;
        QTest::newRow("provision 400")
            << Call::Provision << 400 << QByteArray(R"({"error":"tier must be 1-4"})") << false
            << "provision failed (400): tier must be 1-4" << 1;
        QTest::newRow("provision 401")
            << Call::Provision << 401 << QByteArray(R"({"error":"invalid credentials"})") << false
            << "provision failed (401): invalid credentials" << 1;
        QTest::newRow("provision 403")
            << Call::Provision << 403 << QByteArray(R"({"error":"wrong tenant"})") << false
            << "provision failed (403): wrong tenant" << 1;
        QTest::newRow("provision 404")
            << Call::Provision << 404 << QByteArray("not found") << false
            << "provision failed (404): <unstructured body, 9 bytes>" << 1;
        QTest::newRow("provision 409")
            << Call::Provision << 409 << QByteArray(R"({"error":"already provisioning"})") << false
            << "provision failed (409): already provisioning" << 1;
        QTest::newRow("provision 422")
            << Call::Provision << 422 << QByteArray(R"({"error":"bad runtime"})") << false
            << "provision failed (422): bad runtime" << 1;
        QTest::newRow("provision 408")
            << Call::Provision << 408 << QByteArray() << false
            << "provision failed (408): <unstructured body, 0 bytes> (after 3 attempts)" << 3;
        QTest::newRow("provision 429")
            << Call::Provision << 429 << QByteArray(R"({"error":"slow down"})") << false
            << "provision failed (429): slow down (after 3 attempts)" << 3;
        QTest::newRow("provision 500")
            << Call::Provision << 500 << QByteArray("<html>oops</html>") << false
            << "provision failed (500): <unstructured body, 17 bytes> (after 3 attempts)" << 3;
        QTest::newRow("provision 503")
            << Call::Provision << 503 << QByteArray(R"({"error":"ec2 capacity"})") << false
            << "provision failed (503): ec2 capacity (after 3 attempts)" << 3;

        // stop: any 2xx; error path carries a 512-byte excerpt
        QTest::newRow("stop 200") << Call::Stop << 200 << QByteArray(R"({"ok":true})") << true << ""
                                  << 1;
        QTest::newRow("stop 202") << Call::Stop << 202 << QByteArray() << true << "" << 1;
        QTest::newRow("stop 204") << Call::Stop << 204 << QByteArray() << true << "" << 1;
        QTest::newRow("stop 302") << Call::Stop << 302 << QByteArray() << false
                                  << "stop failed (302): <empty body>" << 1;
        QTest::newRow("stop 400") << Call::Stop << 400 << QByteArray("InvalidInstanceID.Malformed")
                                  << false << "stop failed (400): InvalidInstanceID.Malformed" << 1;
        QTest::newRow("stop 404") << Call::Stop << 404
                                  << QByteArray(R"({"error":"no such instance"})") << false
                                  << R"(stop failed (404): {"error":"no such instance"})" << 1;
        QTest::newRow("stop 500") << Call::Stop << 500
                                  << QByteArray("terminate failed:\nIAM denied") << false
                                  << "stop failed (500): terminate failed: IAM denied" << 1;
        QTest::newRow("stop 503") << Call::Stop << 503 << QByteArray() << false
                                  << "stop failed (503): <empty body>" << 1;

        // status: three-valued
        QTest::newRow("status running")
            << Call::Status << 200 << QByteArray(R"({"state":"running"})") << true << "running"
            << 1;
        QTest::newRow("status pending")
            << Call::Status << 200 << QByteArray(R"({"state":"pending"})") << true << "not-running"
            << 1;
        QTest::newRow("status stopped")
            << Call::Status << 200 << QByteArray(R"({"state":"stopped"})") << true << "not-running"
            << 1;
        QTest::newRow("status terminated 203")
            << Call::Status << 203 << QByteArray(R"({"state":"terminated"})") << true
            << "not-running" << 1;
        QTest::newRow("status Running case")
            << Call::Status << 200 << QByteArray(R"({"state":"Running"})") << true << "not-running"
            << 1;
        QTest::newRow("status 301")
            << Call::Status << 301 << QByteArray() << false << "status check failed (301)" << 1;
        QTest::newRow("status 401") << Call::Status << 401 << QByteArray(R"({"state":"running"})")
                                    << false << "status check failed (401)" << 1;
        QTest::newRow("status 404")
            << Call::Status << 404 << QByteArray() << false << "status check failed (404)" << 1;
        QTest::newRow("status 429")
            << Call::Status << 429 << QByteArray() << false << "status check failed (429)" << 1;
        QTest::newRow("status 500") << Call::Status << 500 << QByteArray(R"({"state":"running"})")
                                    << false << "status check failed (500)" << 1;
        QTest::newRow("status 503")
            << Call::Status << 503 << QByteArray() << false << "status check failed (503)" << 1;

        // console
        QTest::newRow("console 200")
            << Call::Console << 200
            << QByteArray(R"({"output":"[    0.000000] Linux version 6.1\n"})") << true
            << "[    0.000000] Linux version 6.1\n"
            << 1;
        QTest::newRow("console 204") << Call::Console << 204 << QByteArray() << false
                                     << "console failed: undecodable answer (0 bytes)" << 1;
        QTest::newRow("console 302")
            << Call::Console << 302 << QByteArray() << false << "console failed (302)" << 1;
        QTest::newRow("console 401") << Call::Console << 401 << QByteArray() << false
                                     << "console failed (401): not authorised" << 1;
        QTest::newRow("console 403") << Call::Console << 403 << QByteArray() << false
                                     << "console failed (403): forbidden" << 1;
        QTest::newRow("console 404") << Call::Console << 404 << QByteArray() << false
                                     << "console failed (404): no console" << 1;
        QTest::newRow("console 500") << Call::Console << 500 << QByteArray(R"({"output":"x"})")
                                     << false << "console failed (500)" << 1;
        QTest::newRow("console 502")
            << Call::Console << 502 << QByteArray() << false << "console failed (502)" << 1;
    }
    void statusClasses()
    {
        QFETCH(Call, call);
        QFETCH(int, status);
        QFETCH(QByteArray, body);
        QFETCH(bool, ok);
        QFETCH(QString, expected);
        QFETCH(int, requests);
        HttpResponse r = HttpResponse::json(status, body);
        m_server->setFallback(r); // a 3xx without Location: nothing to follow
        auto c = client();
        const CallOutcome f = run(call, *c);
        QCOMPARE(f.ok, ok);
        if (ok) {
            if (!expected.isEmpty())
                QCOMPARE(f.payload, expected);
        } else {
            QVERIFY2(f.message.startsWith(expected), qPrintable(f.message));
            if (call == Call::Status)
                QCOMPARE(f.payload, QStringLiteral("unknown"));
        }
        QCOMPARE(m_server->requestCount(), requests);
    }

    // --- malformed and oversized bodies ---------------------------------------------------
    void malformed_data()
    {
        QTest::addColumn<Call>("call");
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("message");
        QTest::newRow("provision garbage") << Call::Provision << 201 << QByteArray("{not json")
                                           << "provision failed: undecodable response (9 bytes)";
        QTest::newRow("provision array") << Call::Provision << 201 << QByteArray("[1,2]")
                                         << "provision failed: undecodable response";
        QTest::newRow("provision no instance")
            << Call::Provision << 201 << QByteArray(R"({"state":"pending"})")
            << "provision failed: 201 without an instance_id";
        QTest::newRow("provision control-char instance")
            << Call::Provision << 201 << QByteArray("{\"instance_id\":\"\\u001f\\u0000\"}")
            << "provision failed: 201 with an unusable instance_id";
        QTest::newRow("provision traversal instance")
            << Call::Provision << 201 << QByteArray(R"({"instance_id":"../admin"})")
            << "provision failed: 201 with an unusable instance_id";
        QTest::newRow("provision numeric instance")
            << Call::Provision << 201 << QByteArray(R"({"instance_id":42})")
            << "provision failed: 201 without an instance_id";
        QTest::newRow("status garbage") << Call::Status << 200 << QByteArray("running")
                                        << "status check failed: undecodable answer (7 bytes)";
        QTest::newRow("status no state")
            << Call::Status << 200 << QByteArray(R"({"status":"running"})")
            << "status check failed: no \"state\"";
        QTest::newRow("status numeric state") << Call::Status << 200 << QByteArray(R"({"state":1})")
                                              << "status check failed: no \"state\"";
        QTest::newRow("status truncated json")
            << Call::Status << 200 << QByteArray(R"({"state":"runn)")
            << "status check failed: undecodable";
        QTest::newRow("console garbage")
            << Call::Console << 200 << QByteArray("\xff\xfe\x00garbage", 10)
            << "console failed: undecodable answer (10 bytes)";
        QTest::newRow("console no output")
            << Call::Console << 200 << QByteArray(R"({"console":"x"})")
            << "console failed: no \"output\"";
        QTest::newRow("console null output")
            << Call::Console << 200 << QByteArray(R"({"output":null})")
            << "console failed: no \"output\"";
    }
    void malformed()
    {
        QFETCH(Call, call);
        QFETCH(int, status);
        QFETCH(QByteArray, body);
        QFETCH(QString, message);
        m_server->setFallback(HttpResponse::json(status, body));
        auto c = client();
        const CallOutcome f = run(call, *c);
        QVERIFY(!f.ok);
        QCOMPARE(f.kind, Error::Kind::Decode);
        QVERIFY2(f.message.startsWith(message), qPrintable(f.message));
        QCOMPARE(m_server->requestCount(), 1); // a decode failure after a 201 is never retried
    }

    void oversized_data()
    {
        QTest::addColumn<Call>("call");
        QTest::addColumn<int>("size");
        QTest::addColumn<bool>("declareLength");
        QTest::addColumn<bool>("ok");
        QTest::newRow("provision 64 KiB + 1, declared")
            << Call::Provision << 64 * 1024 + 1 << true << false;
        QTest::newRow("provision 64 KiB + 1, streamed")
            << Call::Provision << 64 * 1024 + 1 << false << false;
        QTest::newRow("status 64 KiB + 1, declared")
            << Call::Status << 64 * 1024 + 1 << true << false;
        QTest::newRow("status 1 MiB streamed") << Call::Status << 1024 * 1024 << false << false;
        QTest::newRow("console 256 KiB + 1, declared")
            << Call::Console << 256 * 1024 + 1 << true << false;
        QTest::newRow("console 10 MiB streamed")
            << Call::Console << 10 * 1024 * 1024 << false << false;
        QTest::newRow("console exactly 256 KiB") << Call::Console << 256 * 1024 << true << true;
        QTest::newRow("status exactly 64 KiB") << Call::Status << 64 * 1024 << true << true;
    }
    void oversized()
    {
        QFETCH(Call, call);
        QFETCH(int, size);
        QFETCH(bool, declareLength);
        QFETCH(bool, ok);
        // A valid JSON document of exactly `size` bytes, padded inside a string.
        const char *field = call == Call::Console ? "output"
            : call == Call::Status                ? "state"
                                                  : "instance_id";
        const QByteArray head = QByteArray("{\"") + field + "\":\"";
        QByteArray body = head + QByteArray(size - head.size() - 2, 'x') + "\"}";
        QCOMPARE(body.size(), size);
        HttpResponse r = HttpResponse::json(call == Call::Provision ? 201 : 200, body);
        if (!declareLength) {
            // No Content-Length: the size is only known while streaming. The body is sent raw
            // with Connection: close framing.
            r.raw = "HTTP/1.1 " + QByteArray::number(r.status)
                + " OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n" + body;
        }
        m_server->setFallback(r);
        auto c = client();
        const CallOutcome f = run(call, *c);
        QCOMPARE(f.ok, ok);
        if (!ok) {
            QCOMPARE(f.kind, Error::Kind::Decode);
            QVERIFY2(f.message.contains(QLatin1String("response larger than")),
                     qPrintable(f.message));
            QCOMPARE(m_server->requestCount(), 1);
        } else if (call == Call::Console) {
            QCOMPARE(f.payload.size(), size - head.size() - 2);
        }
    }

    void stopExcerptIsCappedAt512Bytes()
    {
        m_server->setFallback(HttpResponse::text(500, QByteArray(600, 'E') + "TAIL"));
        auto c = client();
        const auto r = runStop(*c, kWs, kIid);
        QVERIFY(!r);
        QCOMPARE(r.error().httpStatus, 500);
        QVERIFY(r.error().message.contains(QString(512, u'E')));
        QVERIFY(!r.error().message.contains(QString(513, u'E')));
        QVERIFY(!r.error().message.contains(QLatin1String("TAIL")));
    }

    void stopSuccessIgnoresLargeBody()
    {
        m_server->setFallback(HttpResponse::text(200, QByteArray(qsizetype(2) * 1024 * 1024, 'x')));
        auto c = client();
        QVERIFY(runStop(*c, kWs, kIid));
    }

    // --- no instance ID: no HTTP call -----------------------------------------------------
    void noInstanceIdMeansNoCall()
    {
        auto c = client();
        const StatusResult s = runStatus(*c, kWs, QString());
        QCOMPARE(s.state, RunState::NotRunning);
        QVERIFY(!s.httpCallMade);
        QVERIFY(!s.error);
        QVERIFY(runStop(*c, kWs, QString()));
        QCOMPARE(m_server->requestCount(), 0);
    }

    // --- transport: dropped connection, drip past the deadline ----------------------------
    void transport_data()
    {
        QTest::addColumn<Call>("call");
        QTest::addColumn<QString>("fault");
        QTest::addColumn<int>("kind");
        for (Call call : { Call::Provision, Call::Stop, Call::Status, Call::Console }) {
            const char *n = call == Call::Provision ? "provision"
                : call == Call::Stop                ? "stop"
                : call == Call::Status              ? "status"
                                                    : "console";
            QTest::newRow(
                qPrintable(QStringLiteral("%1 closed without answer").arg(QLatin1String(n))))
                << call << "close" << int(Error::Kind::Transport);
            QTest::newRow(qPrintable(QStringLiteral("%1 dropped mid-body").arg(QLatin1String(n))))
                << call << "drop" << int(Error::Kind::Transport);
            QTest::newRow(
                qPrintable(QStringLiteral("%1 slow drip past deadline").arg(QLatin1String(n))))
                << call << "drip" << int(Error::Kind::Timeout);
            QTest::newRow(qPrintable(QStringLiteral("%1 silent server").arg(QLatin1String(n))))
                << call << "silent" << int(Error::Kind::Timeout);
            QTest::newRow(
                qPrintable(QStringLiteral("%1 garbage status line").arg(QLatin1String(n))))
                << call << "garbage" << int(Error::Kind::Transport);
            QTest::newRow(qPrintable(QStringLiteral("%1 connection refused").arg(QLatin1String(n))))
                << call << "refused" << int(Error::Kind::Transport);
        }
    }
    void transport()
    {
        QFETCH(Call, call);
        QFETCH(QString, fault);
        QFETCH(int, kind);
        const QByteArray okBody = call == Call::Console
            ? R"({"output":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"})"
            : call == Call::Status ? R"({"state":"running","pad":"xxxxxxxxxxxxxxxxxxxxxxxxxxx"})"
                                   : R"({"instance_id":"i-1","pad":"xxxxxxxxxxxxxxxxxxxxxxxxxxx"})";
        HttpResponse r = HttpResponse::json(call == Call::Provision ? 201 : 200, okBody);
        if (fault == QLatin1String("close")) {
            r.closeWithoutAnswer = true;
        } else if (fault == QLatin1String("drop")) {
            r.dropAfterBytes = 90; // past the headers, inside the body
        } else if (fault == QLatin1String("drip")) {
            r.dripIntervalMs = 40; // one byte every 40 ms: ~5 s for the answer, deadline 600 ms
        } else if (fault == QLatin1String("silent")) {
            r.delayMs = 60'000;
        } else if (fault == QLatin1String("garbage")) {
            r.raw = "SSH-2.0-OpenSSH_9.2\r\n\r\n";
        }
        m_server->setFallback(r);
        std::unique_ptr<CpClient> c;
        if (fault == QLatin1String("refused")) {
            // A port that was open a moment ago and is closed now.
            quint16 port;
            {
                TestServer gone;
                port = gone.port();
            }
            c = std::make_unique<CpClient>(
                &m_nam, config(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port))));
            c->setRetryPolicy(RetryPolicy::immediate(3));
        } else {
            c = client();
        }
        c->setRequestTimeout(600);
        c->setProvisionTimeout(600);
        QElapsedTimer t;
        t.start();
        const CallOutcome f = run(call, *c);
        QVERIFY(!f.ok);
        QCOMPARE(int(f.kind), kind);
        QVERIFY(!f.message.isEmpty());
        if (kind == int(Error::Kind::Timeout))
            QVERIFY2(f.message.contains(QLatin1String("timed out after 0.6 s")),
                     qPrintable(f.message));
        if (call == Call::Provision && fault != QLatin1String("refused")) {
            // Transient: retried, always with the same key. Qt itself resends once when a
            // connection closes before any answer, so the server may see more than 3.
            QVERIFY(m_server->requestCount() >= 3);
            QSet<QString> keys;
            for (const HttpRequest &req : m_server->requests())
                keys.insert(
                    QJsonDocument::fromJson(req.body).object().value("idempotency_key").toString());
            QCOMPARE(keys.size(), 1);
        }
        if (call == Call::Status)
            QCOMPARE(f.payload, QStringLiteral("unknown"));
    }

    // --- redirects -----------------------------------------------------------------------
    void redirectToAnotherPortRefused_data()
    {
        QTest::addColumn<Call>("call");
        QTest::newRow("provision") << Call::Provision;
        QTest::newRow("stop") << Call::Stop;
        QTest::newRow("status") << Call::Status;
        QTest::newRow("console") << Call::Console;
    }
    void redirectToAnotherPortRefused()
    {
        QFETCH(Call, call);
        TestServer other;
        other.setFallback(
            HttpResponse::json(200, R"({"state":"running","output":"x","instance_id":"i-evil"})"));
        HttpResponse r;
        r.status = 307;
        r.setHeader("Location", other.baseUrl().toEncoded() + "/cp/admin/steal");
        m_server->setFallback(r);
        auto c = client();
        const CallOutcome f = run(call, *c);
        QVERIFY(!f.ok);
        // The CP misbehaved (a failed call, exit 1 in cpctl), not the user's input.
        QCOMPARE(f.kind, Error::Kind::HttpStatus);
        QCOMPARE(f.status, 307);
        QVERIFY2(f.message.contains(QLatin1String("redirect to another origin")),
                 qPrintable(f.message));
        QCOMPARE(other.requestCount(), 0);
    }

    void sameOriginRedirectFollowed()
    {
        m_server->setHandler([this](const HttpRequest &req) {
            if (req.path.startsWith("/moved"))
                return HttpResponse::json(200, R"({"state":"running"})");
            HttpResponse r;
            r.status = 307;
            r.setHeader("Location", m_server->baseUrl().toEncoded() + "/moved");
            return r;
        });
        auto c = client();
        const StatusResult s = runStatus(*c, kWs, kIid);
        QCOMPARE(s.state, RunState::Running);
        QCOMPARE(m_server->requestCount(), 2);
        QCOMPARE(m_server->requests().at(1).header("X-Molecule-Admin-Token"),
                 kAdminToken.toLatin1());
    }

    // --- hostile IDs ---------------------------------------------------------------------
    void hostileIds_data()
    {
        QTest::addColumn<Call>("call");
        QTest::addColumn<QString>("ws");
        QTest::addColumn<QString>("iid");
        const QStringList bad = { QStringLiteral("../admin"),
                                  QStringLiteral("a/b"),
                                  QStringLiteral("a?b"),
                                  QStringLiteral("a b"),
                                  QString(300, u'w'),
                                  QStringLiteral(".."),
                                  QStringLiteral("%2e%2e%2fadmin"),
                                  QStringLiteral("a#b"),
                                  QStringLiteral("a\r\nX: y") };
        for (Call call : { Call::Provision, Call::Stop, Call::Status, Call::Console }) {
            const char *n = call == Call::Provision ? "provision"
                : call == Call::Stop                ? "stop"
                : call == Call::Status              ? "status"
                                                    : "console";
            for (const QString &b : bad)
                QTest::newRow(
                    qPrintable(QStringLiteral("%1 ws %2").arg(QLatin1String(n), b.left(20))))
                    << call << b << kIid;
            if (call == Call::Stop || call == Call::Status) {
                for (const QString &b : bad)
                    QTest::newRow(
                        qPrintable(QStringLiteral("%1 iid %2").arg(QLatin1String(n), b.left(20))))
                        << call << kWs << b;
            }
        }
    }
    void hostileIds()
    {
        QFETCH(Call, call);
        QFETCH(QString, ws);
        QFETCH(QString, iid);
        m_server->setFallback(HttpResponse::json(200, R"({"state":"running","output":"x"})"));
        auto c = client();
        const CallOutcome f = run(call, *c, ws, iid);
        QVERIFY(!f.ok);
        QCOMPARE(f.kind, Error::Kind::Policy);
        QVERIFY(f.message.contains(QLatin1String(" ID ")));
        QCOMPARE(m_server->requestCount(), 0);
    }

    void idsArePercentEncoded()
    {
        m_server->setFallback(HttpResponse::json(200, R"({"state":"running"})"));
        auto c = client();
        runStatus(*c, QStringLiteral("ws:a.b_c"), QStringLiteral("i-1:x"));
        QCOMPARE(m_server->lastRequest().target,
                 QByteArray("/cp/workspaces/ws%3Aa.b_c/status?instance_id=i-1%3Ax"));
    }

    void plainHttpToRemoteHostRefusedWithoutSending()
    {
        auto cfg = config(QUrl(QStringLiteral("http://cp.invalid")));
        CpClient c(&m_nam, cfg);
        const CallOutcome f = run(Call::Status, c);
        QCOMPARE(f.kind, Error::Kind::Policy);
        QVERIFY(f.message.contains(QLatin1String("plain http")));
        QCOMPARE(f.payload, QStringLiteral("unknown"));
    }

    void basePathPrefixKept()
    {
        m_server->setFallback(HttpResponse::json(200, R"({"state":"running"})"));
        QUrl base = m_server->baseUrl();
        base.setPath(QStringLiteral("/api/v1"));
        CpClient c(&m_nam, config(base));
        runStatus(c, kWs, kIid);
        QVERIFY(m_server->lastRequest().target.startsWith("/api/v1/cp/workspaces/"));
    }
};

QTEST_GUILESS_MAIN(tst_CpClient)
#include "tst_cpclient.moc"
