// The status poller against the real CP simulator over loopback: bounded concurrency under
// latency, backoff that grows while checks fail and resets on recovery, unknown that never
// turns into "not running" whatever the fault, and the CP-unreachable signal both ways.
#include "cpclient.h"
#include "demodata.h"
#include "simulator.h"
#include "statuspoller.h"
#include "testutil.h"

#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTcpServer>
#include <QtTest>

using namespace cpc;

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
        SimulatorOptions o;
        o.port = port;
        o.sharedSecret = Secret(kShared);
        o.adminToken = Secret(kAdmin);
        o.seed = 7;
        return o;
    }

    void startSim(quint16 port = 0)
    {
        m_sim = std::make_unique<Simulator>(simOptions(port));
        QString error;
        QVERIFY2(m_sim->start(&error), qPrintable(error));
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
            QVERIFY2(s.reason.startsWith(reasonStart), qPrintable(s.reason));
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
        // shown under the banner until their own checks fail (a request timeout each, in a real
        // outage).
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
        // Three rows are asked (and fail); the other nine are not asked yet.
        for (int i = 0; i < 3; ++i) {
            poller.pollNow(targets[i].workspaceId);
            QTRY_COMPARE_WITH_TIMEOUT(poller.status(targets[i].workspaceId).state,
                                      RunState::Unknown, 10'000);
        }
        QVERIFY(!poller.cpReachable());
        QCOMPARE(unknownWhenDeclared, 3); // the signal comes first, then the rows follow it
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
