// The CP client's calls over time against a real loopback HTTP server: retries and their
// idempotency keys, backoff, secrets echoed back, cancellation, destroyed contexts, stuck
// status checks beside actions, many calls at once.
#include "cpclienttestbase.h"

using namespace cpc;
using namespace cpc::test;

class tst_CpClientCalls : public CpClientTestBase
{
    Q_OBJECT

private Q_SLOTS:
    void init() { setUp(); }
    void cleanup() { m_server.reset(); }

    // --- retries -------------------------------------------------------------------------
    void retriesReuseIdempotencyKey()
    {
        m_server->enqueue(HttpResponse::json(503, R"({"error":"busy"})"));
        HttpResponse silent = HttpResponse::json(201, R"({"instance_id":"i-too-late"})");
        silent.delayMs = 10'000; // past the deadline: a timeout, which is transient
        m_server->enqueue(silent);
        m_server->enqueue(HttpResponse::json(429, {}));
        m_server->enqueue(HttpResponse::json(201, R"({"instance_id":"i-77"})"));
        auto c = client();
        c->setRetryPolicy(RetryPolicy::immediate(5));
        c->setProvisionTimeout(500);
        const auto r = runProvision(*c, provisionRequest(kWs));
        QVERIFY2(r, r ? "" : qPrintable(r.error().message));
        QCOMPARE(r->instanceId, QStringLiteral("i-77"));
        QCOMPARE(r->attempts, 4);
        QCOMPARE(m_server->requestCount(), 4);
        QSet<QString> keys;
        for (const HttpRequest &req : m_server->requests())
            keys.insert(
                QJsonDocument::fromJson(req.body).object().value("idempotency_key").toString());
        QCOMPARE(keys.size(), 1);
        QCOMPARE(*keys.begin(), r->idempotencyKey);
    }

    void lostAnswerThenRefusalIsNotAFailure()
    {
        // Attempt 1 reaches the CP but its answer is cut off (the instance may exist); the retry
        // is refused with a 503. The call fails, but must say the CP may have acted, so the
        // journal keeps the outcome as unknown for Reconcile instead of "failed".
        HttpResponse cut = HttpResponse::json(
            201, R"({"instance_id":"i-maybe","note":")" + QByteArray(2000, 'x') + R"("})");
        cut.dropAfterBytes = 600; // inside the body: the connection closes mid-answer
        m_server->enqueue(cut);
        m_server->setFallback(HttpResponse::json(503, R"({"error":"busy"})"));
        auto c = client();
        c->setRetryPolicy(RetryPolicy::immediate(2));
        const auto r = runProvision(*c, provisionRequest(kWs));
        QVERIFY(!r);
        QCOMPARE(r.error().kind, Error::Kind::HttpStatus);
        QVERIFY(r.error().mayHaveApplied);
        QVERIFY2(r.error().message.contains(QStringLiteral("may exist")),
                 qPrintable(r.error().message));

        // Refused outright, with no lost answer: a plain failure.
        m_server->setFallback(HttpResponse::json(503, R"({"error":"busy"})"));
        const auto plain = runProvision(*c, provisionRequest(kWs));
        QVERIFY(!plain);
        QVERIFY(!plain.error().mayHaveApplied);
        QVERIFY(!plain.error().message.contains(QStringLiteral("may exist")));
    }

    void separateActionsGetSeparateKeys()
    {
        m_server->setFallback(HttpResponse::json(201, R"({"instance_id":"i-1"})"));
        auto c = client();
        const auto a = runProvision(*c, provisionRequest(kWs));
        const auto b = runProvision(*c, provisionRequest(kWs));
        QVERIFY(a && b);
        QVERIFY(a->idempotencyKey != b->idempotencyKey);
    }

    void noRetryOnFinal4xx_data()
    {
        QTest::addColumn<int>("status");
        for (int s : { 400, 401, 403, 404, 409, 422 })
            QTest::newRow(qPrintable(QString::number(s))) << s;
    }
    void noRetryOnFinal4xx()
    {
        QFETCH(int, status);
        m_server->enqueue(HttpResponse::json(status, R"({"error":"nope"})"));
        m_server->enqueue(HttpResponse::json(201, R"({"instance_id":"i-should-not"})"));
        auto c = client();
        c->setRetryPolicy(RetryPolicy::immediate(5));
        const auto r = runProvision(*c, provisionRequest(kWs));
        QVERIFY(!r);
        QCOMPARE(r.error().httpStatus, status);
        QCOMPARE(m_server->requestCount(), 1);
    }

    void backoffScheduleIsConsulted()
    {
        m_server->setFallback(HttpResponse::json(502, {}));
        auto c = client();
        QList<int> asked;
        RetryPolicy p;
        p.maxAttempts = 4;
        p.backoff = [&asked](int attempt) {
            asked << attempt;
            return std::chrono::milliseconds(1);
        };
        c->setRetryPolicy(p);
        const auto r = runProvision(*c, provisionRequest(kWs));
        QVERIFY(!r);
        QCOMPARE(asked, (QList<int> { 1, 2, 3 }));
        QCOMPARE(m_server->requestCount(), 4);
        QVERIFY(r.error().message.endsWith(QLatin1String("(after 4 attempts)")));
    }

    void defaultBackoffIsCappedAndGrows()
    {
        const RetryPolicy p = RetryPolicy::defaultPolicy();
        QVERIFY(p.backoff(1).count() >= 800 && p.backoff(1).count() <= 1200);
        QVERIFY(p.backoff(3).count() >= 3200 && p.backoff(3).count() <= 4800);
        for (int i = 6; i < 40; ++i)
            QVERIFY(p.backoff(i).count() <= 36'000);
    }

    // --- secrets -------------------------------------------------------------------------
    void echoedSecretNeverInResult_data()
    {
        QTest::addColumn<Call>("call");
        QTest::addColumn<int>("status");
        QTest::newRow("provision error field") << Call::Provision << 400;
        QTest::newRow("stop excerpt") << Call::Stop << 500;
        QTest::newRow("status error") << Call::Status << 500;
        QTest::newRow("console error") << Call::Console << 403;
        QTest::newRow("console output") << Call::Console << 200;
    }
    void echoedSecretNeverInResult()
    {
        QFETCH(Call, call);
        QFETCH(int, status);
        // The server echoes every request header back, in the error field and the output.
        m_server->setHandler([status](const HttpRequest &req) {
            QString echo;
            for (const auto &[n, v] : req.headers)
                echo += QString::fromLatin1(n + ": " + v + "\n");
            QJsonObject o { { "error", echo }, { "output", echo }, { "state", echo } };
            return HttpResponse::json(status, QJsonDocument(o).toJson(QJsonDocument::Compact));
        });
        auto c = client();
        const CallOutcome f = run(call, *c);
        QVERIFY2(!containsSecret(f.message), qPrintable(f.message));
        QVERIFY2(!containsSecret(f.payload), qPrintable(f.payload));
        if (status == 200)
            QVERIFY(f.payload.contains(QLatin1String("[redacted]")));
        QVERIFY(m_server->lastRequest()
                    .header("Authorization")
                    .contains(status == 200 || call == Call::Console ? kAdminKey.toLatin1()
                                                                     : kShared.toLatin1()));
    }

    // --- cancellation --------------------------------------------------------------------
    void cancelInFlight_data()
    {
        QTest::addColumn<Call>("call");
        QTest::newRow("provision") << Call::Provision;
        QTest::newRow("stop") << Call::Stop;
        QTest::newRow("status") << Call::Status;
        QTest::newRow("console") << Call::Console;
    }
    void cancelInFlight()
    {
        QFETCH(Call, call);
        m_server->setFallback(HttpResponse::json(200, R"({"state":"running"})"));
        m_server->setHolding(true); // the answer comes only after the cancel
        auto c = client();
        Waiter<Result<ProvisionResult>> wp;
        Waiter<VoidResult> ws;
        Waiter<StatusResult> wst;
        Waiter<Result<ConsoleOutput>> wc;
        CallHandle h;
        switch (call) {
        case Call::Provision:
            h = c->provision(provisionRequest(kWs), this, wp.callback());
            break;
        case Call::Stop:
            h = c->stop(kWs, kIid, this, ws.callback());
            break;
        case Call::Status:
            h = c->status(kWs, kIid, this, wst.callback());
            break;
        case Call::Console:
            h = c->consoleOutput(kWs, this, wc.callback());
            break;
        }
        QTRY_COMPARE(m_server->requestCount(), 1);
        QVERIFY(h.isRunning());
        h.cancel();
        QTRY_VERIFY(wp.has() || ws.has() || wst.has() || wc.has());
        Error e;
        if (wp.has())
            e = wp.get().error();
        if (ws.has())
            e = ws.get().error();
        if (wst.has())
            e = *wst.get().error;
        if (wc.has())
            e = wc.get().error();
        QCOMPARE(e.kind, Error::Kind::Cancelled);
        QVERIFY(e.message.endsWith(QLatin1String("cancelled")));
        QTRY_VERIFY(!h.isRunning());
        h.cancel(); // harmless after the end
        // The CP answers the cancelled request after all. A call made after that answer is
        // answered on the same client, so the late one has come and gone: still one callback.
        m_server->setHolding(false);
        QCOMPARE(m_server->heldCount(), 1);
        m_server->releaseHeld();
        Waiter<StatusResult> later;
        c->status(kWs, kIid, this, later.callback());
        QTRY_VERIFY(later.has());
        QCOMPARE(later.get().state, RunState::Running);
        QCOMPARE(m_server->requestCount(), 2);
        QCOMPARE(wp.calls + ws.calls + wst.calls + wc.calls, 1);
    }

    void cancelDuringBackoff()
    {
        m_server->setFallback(HttpResponse::json(503, {}));
        auto c = client();
        RetryPolicy p;
        p.maxAttempts = 5;
        bool waiting = false; // the 503 came back and the client waits before the next attempt
        p.backoff = [&waiting](int) {
            waiting = true;
            return std::chrono::milliseconds(60'000);
        };
        c->setRetryPolicy(p);
        Waiter<Result<ProvisionResult>> w;
        CallHandle h = c->provision(provisionRequest(kWs), this, w.callback());
        QTRY_VERIFY(waiting);
        QCOMPARE(m_server->requestCount(), 1);
        h.cancel();
        QTRY_VERIFY(w.has());
        QCOMPARE(w.get().error().kind, Error::Kind::Cancelled);
        QCOMPARE(m_server->requestCount(), 1);
    }

    void destroyedContextGetsNoCallback()
    {
        m_server->setFallback(HttpResponse::json(200, R"({"state":"running"})"));
        m_server->setHolding(true);
        auto c = client();
        int calls = 0;
        auto *ctx = new QObject;
        c->status(kWs, kIid, ctx, [&calls](const StatusResult &) { ++calls; });
        QTRY_COMPARE(m_server->heldCount(), 1);
        delete ctx;
        // The answer comes after the context died; a call made after it, for a live context,
        // is answered, so the first answer has come and gone.
        m_server->setHolding(false);
        m_server->releaseHeld();
        Waiter<StatusResult> live;
        c->status(kWs, kIid, this, live.callback());
        QTRY_VERIFY(live.has());
        QCOMPARE(live.get().state, RunState::Running);
        QCOMPARE(calls, 0);
    }

    void stuckStatusChecksDoNotHoldUpStopOrConsole()
    {
        // The CP hangs on every status check (a sweep of 12, more than the 6 connections Qt
        // opens to one host), but answers stop and console at once. The engineer's stop and the
        // console they are waiting for must not queue behind the stuck checks.
        m_server->setHandler([](const HttpRequest &r) {
            if (r.path.endsWith("/status")) {
                HttpResponse slow = HttpResponse::json(200, R"({"state":"running"})");
                slow.delayMs = 4000; // past the client's 2 s deadline
                return slow;
            }
            if (r.method == "DELETE")
                return HttpResponse::json(200, R"({"ok":true})");
            return HttpResponse::json(200, R"({"output":"Y29uc29sZQ=="})");
        });
        auto c = client();
        c->setRequestTimeout(2000);
        QStringList order;
        int statusTimeouts = 0;
        for (int i = 0; i < 12; ++i) {
            c->status(QStringLiteral("ws-%1").arg(i), QStringLiteral("i-%1").arg(i), this,
                      [&](const StatusResult &s) {
                          order << QStringLiteral("status");
                          statusTimeouts += s.state == RunState::Unknown && s.error
                              && s.error->kind == Error::Kind::Timeout;
                      });
        }
        // The sweep holds every connection the client opens for status checks.
        QTRY_VERIFY(m_server->requestCount() >= HttpPool::kPerOrigin);
        bool stopOk = false, consoleOk = false;
        c->stop(kWs, kIid, this, [&](const VoidResult &r) {
            order << QStringLiteral("stop");
            stopOk = r.ok();
        });
        c->consoleOutput(kWs, this, [&](const Result<ConsoleOutput> &r) {
            order << QStringLiteral("console");
            consoleOk = r.ok();
        });
        QTRY_COMPARE_WITH_TIMEOUT(order.size(), 14, 20000);
        QVERIFY2(stopOk && consoleOk, qPrintable(order.join(u' ')));
        QCOMPARE(QSet<QString>(order.cbegin(), order.cbegin() + 2),
                 QSet<QString>({ QStringLiteral("stop"), QStringLiteral("console") }));
        // The stuck checks end as unknown (timeout), never as an answer.
        QCOMPARE(statusTimeouts, 12);
    }

    void manyConcurrentCalls()
    {
        m_server->setFallback(HttpResponse::json(200, R"({"state":"running"})"));
        auto c = client();
        int done = 0, running = 0;
        for (int i = 0; i < 200; ++i) {
            c->status(QStringLiteral("ws-%1").arg(i), QStringLiteral("i-%1").arg(i), this,
                      [&](const StatusResult &s) {
                          ++done;
                          running += s.state == RunState::Running;
                      });
        }
        QTRY_COMPARE_WITH_TIMEOUT(done, 200, 20000);
        QCOMPARE(running, 200);
    }
};

QTEST_GUILESS_MAIN(tst_CpClientCalls)
#include "tst_cpclientcalls.moc"
