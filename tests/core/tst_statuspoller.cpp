// The status poller against the real CP simulator over loopback: bounded concurrency under
// latency, backoff that grows while checks fail and resets on recovery, unknown that never
// turns into "not running" whatever the fault, and the CP-unreachable signal both ways.
#include "cpclient.h"
#include "demodata.h"
#include "simfixture.h"
#include "simulator.h"
#include "statuspoller.h"
#include "testutil.h"

#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTcpServer>
#include <QtTest>

using namespace cpc;
using namespace cpc::test;

namespace {
const QString kShared = QStringLiteral("poller-shared-5e1f");
const QString kAdmin = QStringLiteral("poller-admin-77aa");
} // namespace

class tst_StatusPoller : public QObject
{
    Q_OBJECT

    QNetworkAccessManager m_nam;
    std::unique_ptr<Simulator> m_sim;
    std::unique_ptr<CpClient> m_client;
    QList<WorkspaceRow> m_rows;

    SimulatorOptions simOptions(quint16 port = 0) const
    {
        SimulatorOptions o = simulatorOptions({ kShared, kAdmin, {} });
        o.port = port;
        o.seed = 7;
        return o;
    }

    void startSim(quint16 port = 0)
    {
        m_sim = startSimulator(simOptions(port));
        QVERIFY(m_sim);
        m_sim->adopt(m_rows);
    }

    std::unique_ptr<CpClient> makeClient(int timeoutMs = 5000)
    {
        CpConfig c;
        c.orgId = QStringLiteral("org-poller");
        c.baseUrl = m_sim->baseUrl();
        c.sharedSecret = Secret(kShared);
        c.adminToken = Secret(kAdmin);
        c.requestTimeoutMs = timeoutMs;
        c.pollTimeoutMs = timeoutMs; // the poller's checks run under this one
        return std::make_unique<CpClient>(&m_nam, c);
    }

    /// Rows whose instance the simulator reports as running (online rows).
    QList<StatusPoller::Target> runningTargets(int n) const
    {
        QList<StatusPoller::Target> out;
        for (const WorkspaceRow &r : m_rows) {
            if (r.status == QLatin1String("online") && !r.instanceId.isEmpty())
                out.append({ r.id, r.instanceId });
            if (out.size() == n)
                break;
        }
        return out;
    }

    /// Every target's last answer is "running".
    static bool allRunning(const StatusPoller &poller, const QList<StatusPoller::Target> &targets)
    {
        return std::all_of(targets.cbegin(), targets.cend(), [&](const StatusPoller::Target &t) {
            return poller.status(t.workspaceId).state == RunState::Running;
        });
    }

private Q_SLOTS:
    void init()
    {
        m_rows = generateWorkspaces(600, 11);
        startSim();
        m_client = makeClient();
    }

    void cleanup()
    {
        m_client.reset();
        m_sim.reset();
    }

    void concurrencyIsBounded_data()
    {
        QTest::addColumn<int>("limit");
        QTest::newRow("1") << 1;
        QTest::newRow("4") << 4;
        QTest::newRow("16") << 16;
    }

    void concurrencyIsBounded()
    {
        QFETCH(int, limit);
        QVERIFY(m_sim->setFaults(QStringLiteral("status.latency=60")));
        StatusPoller poller(m_client.get());
        poller.setMaxConcurrency(limit);
        const auto targets = runningTargets(limit * 6);
        QVERIFY(targets.size() >= qsizetype(limit) * 3);
        QSignalSpy swept(&poller, &StatusPoller::sweepCompleted);
        poller.setVisible(targets);
        poller.start();
        poller.pollNow(); // every target due at once: the limit is what holds them back
        QVERIFY(swept.wait(30'000));
        QCOMPARE(poller.stats().requests, int(targets.size()));
        QVERIFY2(poller.stats().maxInFlightSeen <= limit,
                 qPrintable(QStringLiteral("%1 in flight with a limit of %2")
                                .arg(poller.stats().maxInFlightSeen)
                                .arg(limit)));
        // The limit is used, not just respected: with slow answers the pipe fills up.
        QCOMPARE(poller.stats().maxInFlightSeen, limit);
        // On the wire too: the CP sees that many checks at once, not the 6 connections the
        // client opens to one host by default.
        QCOMPARE(m_sim->peakConcurrentRequests(), limit);
        QCOMPARE(poller.stats().running, int(targets.size()));
    }

    void backoffGrowsAndRecoveryResetsIt()
    {
        QVERIFY(m_sim->setFaults(QStringLiteral("status.5xx")));
        StatusPoller poller(m_client.get());
        poller.setIntervalMs(100);
        poller.setJitter(0);
        poller.setMaxBackoffMs(60'000);
        const auto target = runningTargets(1).first();
        QList<int> backoffs;
        connect(&poller, &StatusPoller::statusChanged, this,
                [&](const QString &id, const LiveStatus &) { backoffs << poller.backoffMs(id); });
        poller.setVisible({ target });
        poller.start();
        QTRY_VERIFY_WITH_TIMEOUT(backoffs.size() >= 3, 10'000);
        QVERIFY2(backoffs[0] > 0 && backoffs[1] > backoffs[0] && backoffs[2] > backoffs[1],
                 qPrintable(QStringLiteral("backoffs %1, %2, %3")
                                .arg(backoffs[0])
                                .arg(backoffs[1])
                                .arg(backoffs[2])));
        QCOMPARE(poller.status(target.workspaceId).state, RunState::Unknown);
        QVERIFY(poller.status(target.workspaceId).reason.startsWith(QStringLiteral("HTTP 5")));

        // The CP recovers; "retry now" ignores the backoff and a success resets it.
        QVERIFY(m_sim->setFaults(QStringLiteral("none")));
        backoffs.clear();
        poller.pollNow();
        QTRY_VERIFY_WITH_TIMEOUT(poller.status(target.workspaceId).state == RunState::Running,
                                 5000);
        QCOMPARE(poller.backoffMs(target.workspaceId), 0);
    }

    void unknownIsNeverNotRunning_data()
    {
        QTest::addColumn<QString>("faults");
        QTest::addColumn<QString>("reasonStart");
        QTest::newRow("drop") << "status.drop"
                              << "CP unreachable";
        QTest::newRow("5xx") << "status.5xx"
                             << "HTTP 5";
        QTest::newRow("429") << "status.429"
                             << "HTTP 429";
        QTest::newRow("malformed") << "status.malformed"
                                   << "bad answer";
        QTest::newRow("oversize") << "status.oversize"
                                  << "bad answer";
        QTest::newRow("timeout") << "status.timeout"
                                 << "timeout";
        QTest::newRow("drip") << "status.drip"
                              << "timeout";
    }

    void unknownIsNeverNotRunning()
    {
        QFETCH(QString, faults);
        QFETCH(QString, reasonStart);
        m_client = makeClient(600); // the timeout and drip faults outlast this
        StatusPoller poller(m_client.get());
        poller.setIntervalMs(150);
        poller.setJitter(0);
        poller.setMaxBackoffMs(300);
        const auto targets = runningTargets(5);
        QList<LiveStatus> seen;
        connect(&poller, &StatusPoller::statusChanged, this,
                [&](const QString &, const LiveStatus &s) { seen << s; });
        poller.setVisible(targets);
        poller.start();
        // First a definite answer for every target...
        QTRY_VERIFY_WITH_TIMEOUT(allRunning(poller, targets), 5000);
        // ...then the fault: every answer from now on is unknown, with the reason and the last
        // definite state beside it, and never "not running".
        seen.clear();
        QVERIFY(m_sim->setFaults(faults));
        poller.pollNow();
        QTRY_VERIFY_WITH_TIMEOUT(seen.size() >= targets.size() * 2, 15'000);
        for (const LiveStatus &s : std::as_const(seen)) {
            QVERIFY2(s.state != RunState::NotRunning, qPrintable(faults));
            QCOMPARE(s.state, RunState::Unknown);
            // Its own check's reason, or, once two checks in a row got no answer (timeout,
            // drip, drop), "CP unreachable" for the rows the declaration turned unknown.
            const bool noAnswer = reasonStart == QLatin1String("timeout")
                || reasonStart == QLatin1String("CP unreachable");
            QVERIFY2(s.reason.startsWith(reasonStart)
                         || (noAnswer && s.reason == QLatin1String("CP unreachable")),
                     qPrintable(s.reason));
            QCOMPARE(s.lastKnown, RunState::Running);
            QVERIFY(s.confirmedAt.isValid());
            QVERIFY(s.checkedAt >= s.confirmedAt);
        }
        QCOMPARE(poller.stats().notRunning, 0);
    }

    void unreachableAndBack()
    {
        // Stop the CP (close the simulator), then bring it back on the same port.
        const quint16 port = m_sim->port();
        StatusPoller poller(m_client.get());
        poller.setIntervalMs(200);
        poller.setJitter(0);
        poller.setMaxBackoffMs(400);
        poller.setUnreachableThreshold(3);
        QSignalSpy reach(&poller, &StatusPoller::cpReachabilityChanged);
        const auto targets = runningTargets(6);
        poller.setVisible(targets);
        poller.start();
        QTRY_VERIFY_WITH_TIMEOUT(allRunning(poller, targets), 5000);
        m_sim->close();
        poller.pollNow();
        QTRY_COMPARE_WITH_TIMEOUT(reach.size(), 1, 10'000);
        QCOMPARE(reach.at(0).at(0).toBool(), false);
        QVERIFY(!reach.at(0).at(1).toString().isEmpty());
        QVERIFY(!poller.cpReachable());
        for (const auto &t : targets) {
            // The signal came with the third failure; the other answers follow.
            QTRY_COMPARE_WITH_TIMEOUT(poller.status(t.workspaceId).state, RunState::Unknown, 5000);
            QCOMPARE(poller.status(t.workspaceId).reason, QStringLiteral("CP unreachable"));
            QCOMPARE(poller.status(t.workspaceId).lastKnown, RunState::Running);
        }
        m_sim.reset();
        startSim(port);
        poller.pollNow();
        QTRY_COMPARE_WITH_TIMEOUT(reach.size(), 2, 10'000);
        QCOMPARE(reach.at(1).at(0).toBool(), true);
        QTRY_COMPARE_WITH_TIMEOUT(poller.status(targets.first().workspaceId).state,
                                  RunState::Running, 5000);
    }

    void unreachableTurnsEveryAnswerUnknownAtOnce()
    {
        // One check at a time: when the third failure declares the CP unreachable, most rows
        // have not been asked again. Their "running" is stale from that moment and must not be
        // shown under the banner until their own checks fail (a deadline each, in a real
        // outage). A check that gets no answer is confirmed at once, so the one row asked is
        // what declares it.
        StatusPoller poller(m_client.get());
        poller.setIntervalMs(60'000);
        poller.setJitter(0);
        poller.setMaxConcurrency(1);
        poller.setUnreachableThreshold(3);
        const auto targets = runningTargets(12);
        poller.setVisible(targets);
        poller.start();
        QTRY_VERIFY_WITH_TIMEOUT(allRunning(poller, targets), 10'000);
        int unknownWhenDeclared = -1;
        connect(&poller, &StatusPoller::cpReachabilityChanged, this, [&](bool reachable) {
            if (reachable)
                return;
            unknownWhenDeclared = int(
                std::count_if(targets.cbegin(), targets.cend(), [&](const StatusPoller::Target &t) {
                    return poller.status(t.workspaceId).state == RunState::Unknown;
                }));
        });
        QSignalSpy changed(&poller, &StatusPoller::statusChanged);
        m_sim->close();
        // One row is asked (and fails, three times in a row); the other eleven are not asked.
        poller.pollNow(targets[0].workspaceId);
        QTRY_VERIFY_WITH_TIMEOUT(!poller.cpReachable(), 10'000);
        QCOMPARE(unknownWhenDeclared, 1); // the signal comes first, then the rows follow it
        for (const auto &t : targets) {
            const LiveStatus s = poller.status(t.workspaceId);
            QCOMPARE(s.state, RunState::Unknown);
            QVERIFY2(!s.reason.isEmpty(), qPrintable(t.workspaceId));
            QCOMPARE(s.lastKnown, RunState::Running);
            QVERIFY(s.confirmedAt.isValid());
        }
        QVERIFY(changed.size() >= 12); // every row told the view
        m_sim.reset();
    }

    void hungCpIsDeclaredByThePollDeadline()
    {
        // The request timeout of an action (60 s here) does not hold up a background check:
        // the poll deadline ends it. A single row polled still declares the CP unreachable
        // within two deadlines: its first unanswered check is confirmed at once.
        CpConfig c = m_client->config();
        c.requestTimeoutMs = 60'000;
        c.pollTimeoutMs = 300;
        CpClient client(&m_nam, c);
        StatusPoller poller(&client);
        poller.setIntervalMs(200);
        poller.setJitter(0);
        const auto target = runningTargets(1).first();
        QSignalSpy reach(&poller, &StatusPoller::cpReachabilityChanged);
        poller.setVisible({ target });
        poller.start();
        QTRY_COMPARE_WITH_TIMEOUT(poller.status(target.workspaceId).state, RunState::Running, 5000);
        QVERIFY(m_sim->setFaults(QStringLiteral("status.timeout")));
        QTRY_COMPARE_WITH_TIMEOUT(reach.size(), 1, 5000);
        QCOMPARE(reach.at(0).at(0).toBool(), false);
        QVERIFY2(reach.at(0).at(1).toString().contains(QStringLiteral("timed out after 0.3 s")),
                 qPrintable(reach.at(0).at(1).toString()));
        QCOMPARE(poller.status(target.workspaceId).state, RunState::Unknown);
        QCOMPARE(poller.status(target.workspaceId).lastKnown, RunState::Running);
        QCOMPARE(m_sim->requestCount(QStringLiteral("status")) >= 3, true); // first + two hung
    }

    void retryNowAbortsTheChecksInFlight()
    {
        CpConfig c = m_client->config();
        c.pollTimeoutMs = 60'000; // the stuck checks would hold every slot for a minute
        CpClient client(&m_nam, c);
        StatusPoller poller(&client);
        poller.setMaxConcurrency(4);
        poller.setIntervalMs(100);
        const auto targets = runningTargets(8);
        QStringList reasons;
        connect(&poller, &StatusPoller::statusChanged, this,
                [&](const QString &, const LiveStatus &s) { reasons << s.reason; });
        QVERIFY(m_sim->setFaults(QStringLiteral("status.timeout")));
        poller.setVisible(targets);
        poller.start();
        QTRY_COMPARE(poller.stats().inFlight, 4);
        QTRY_COMPARE_WITH_TIMEOUT(m_sim->requestCount(QStringLiteral("status")), 4, 5000);

        // The CP answers again; pollNow() alone has no free slot to ask with.
        QVERIFY(m_sim->setFaults(QStringLiteral("none")));
        poller.pollNow();
        QCOMPARE(poller.stats().inFlight, 4);
        QCOMPARE(m_sim->requestCount(QStringLiteral("status")), 4);
        // retryNow() frees them and asks again at once; what the aborted checks would have
        // said changes nothing (no "cancelled" status, no failure counted).
        poller.retryNow();
        QTRY_VERIFY_WITH_TIMEOUT(allRunning(poller, targets), 5000);
        QVERIFY2(!reasons.contains(QStringLiteral("cancelled")), qPrintable(reasons.join(u',')));
        QVERIFY(poller.cpReachable());
        for (const auto &t : targets)
            QCOMPARE(poller.backoffMs(t.workspaceId), 0);
        QTRY_COMPARE(poller.stats().inFlight, 0);
    }

    void unreachableReasonFollowsTheLatestError()
    {
        const quint16 port = m_sim->port();
        StatusPoller poller(m_client.get());
        poller.setIntervalMs(200);
        poller.setJitter(0);
        QSignalSpy reach(&poller, &StatusPoller::cpReachabilityChanged);
        QSignalSpy reason(&poller, &StatusPoller::cpUnreachableReasonChanged);
        const auto targets = runningTargets(3);
        poller.setVisible(targets);
        poller.start();
        QTRY_VERIFY_WITH_TIMEOUT(allRunning(poller, targets), 5000);
        m_sim->close();
        QTRY_COMPARE_WITH_TIMEOUT(reach.size(), 1, 10'000);
        QVERIFY(poller.cpUnreachableReason().contains(QStringLiteral("connection refused")));
        QCOMPARE(reason.size(), 0); // refused again and again: nothing new to say

        // Back on the same port, restarted without its instances: 404 for each.
        m_sim = startSimulator(simOptions(port));
        QVERIFY(m_sim);
        poller.retryNow();
        QTRY_COMPARE_WITH_TIMEOUT(reason.size(), 1, 10'000);
        QVERIFY2(reason.at(0).at(0).toString().startsWith(QStringLiteral("status check failed "
                                                                         "(404)")),
                 qPrintable(reason.at(0).at(0).toString()));
        QCOMPARE(reason.at(0).at(1).toBool(), true); // answered, with an error
        QCOMPARE(poller.cpUnreachableReason(), reason.at(0).at(0).toString());
        QVERIFY(!poller.cpReachable()); // a 404 is not a good answer
        QCOMPARE(reach.size(), 1);
        // Its instances come back: the first good answer declares it reachable.
        m_sim->adopt(m_rows);
        poller.retryNow();
        QTRY_COMPARE_WITH_TIMEOUT(reach.size(), 2, 10'000);
        QCOMPARE(reach.at(1).at(0).toBool(), true);
    }

    void offscreenStatusesTurnUnknownToo()
    {
        // Rows checked, then scrolled away (no longer polled), keep their answer on file: when
        // the CP is declared unreachable it is stale like the others. A row without an
        // instance stays "not running", which needed no CP.
        StatusPoller poller(m_client.get());
        poller.setIntervalMs(200);
        poller.setJitter(0);
        const auto running = runningTargets(12);
        QList<StatusPoller::Target> noInstance;
        for (const WorkspaceRow &r : std::as_const(m_rows)) {
            if (r.instanceId.isEmpty() && noInstance.size() < 2)
                noInstance.append({ r.id, {} });
        }
        QCOMPARE(noInstance.size(), 2);
        poller.setVisible(running + noInstance);
        poller.start();
        QTRY_VERIFY_WITH_TIMEOUT(allRunning(poller, running), 5000);
        for (const auto &t : noInstance)
            QTRY_COMPARE(poller.status(t.workspaceId).state, RunState::NotRunning);
        const auto gone = running.mid(0, 8) + noInstance;
        poller.setVisible(running.mid(8));
        // A check in flight when its row left the view finishes first, then its target goes.
        QTRY_COMPARE_WITH_TIMEOUT(poller.targetCount(), 4, 5000);
        QSignalSpy changed(&poller, &StatusPoller::statusChanged);

        m_sim->close();
        QTRY_VERIFY_WITH_TIMEOUT(!poller.cpReachable(), 10'000);
        for (const auto &t : running) {
            const LiveStatus s = poller.status(t.workspaceId);
            QCOMPARE(s.state, RunState::Unknown);
            QCOMPARE(s.lastKnown, RunState::Running);
        }
        for (const auto &t : noInstance)
            QCOMPARE(poller.status(t.workspaceId).state, RunState::NotRunning);
        // The rows out of view told the window too.
        QSet<QString> told;
        for (const auto &args : std::as_const(changed))
            told.insert(args.at(0).toString());
        for (const auto &t : running.mid(0, 8))
            QVERIFY2(told.contains(t.workspaceId), qPrintable(t.workspaceId));
        Q_UNUSED(gone);
    }

    void offscreenRowsStopBeingPolled()
    {
        StatusPoller poller(m_client.get());
        const auto targets = runningTargets(20);
        poller.setVisible(targets);
        QCOMPARE(poller.targetCount(), 20);
        poller.setPinned(targets.first(), true);
        poller.setVisible(targets.mid(10));
        QCOMPARE(poller.targetCount(), 11); // ten in view plus the pinned one
        poller.setPinned(targets.first(), false);
        QCOMPARE(poller.targetCount(), 10);
    }
};

QTEST_GUILESS_MAIN(tst_StatusPoller)
#include "tst_statuspoller.moc"
