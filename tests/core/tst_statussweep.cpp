// The status poller's background sweep against the real CP simulator over loopback: every
// listed row gets an answer over time, the rows in view and the pinned ones come first, the
// sweep keeps to its rate and the concurrency bound, and it stays quiet while the CP is
// unreachable (the rows in view probe for its return) and resumes after.
#include "cpclient.h"
#include "demodata.h"
#include "simfixture.h"
#include "simulator.h"
#include "statuspoller.h"
#include "testutil.h"

#include <QElapsedTimer>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QtTest>

using namespace cpc;
using namespace cpc::test;

namespace {
const QString kShared = QStringLiteral("sweep-shared-41c2");
const QString kAdmin = QStringLiteral("sweep-admin-9d0e");
} // namespace

class tst_StatusSweep : public QObject
{
    Q_OBJECT

    QNetworkAccessManager m_nam;
    std::unique_ptr<Simulator> m_sim;
    std::unique_ptr<CpClient> m_client;
    QList<WorkspaceRow> m_rows;
    QList<StatusPoller::Target> m_all;

    std::unique_ptr<CpClient> makeClient(int timeoutMs = 5000)
    {
        CpConfig c;
        c.orgId = QStringLiteral("org-sweep");
        c.baseUrl = m_sim->baseUrl();
        c.sharedSecret = Secret(kShared);
        c.adminToken = Secret(kAdmin);
        c.requestTimeoutMs = timeoutMs;
        c.pollTimeoutMs = timeoutMs;
        return std::make_unique<CpClient>(&m_nam, c);
    }

    /// Only rows with an instance: each check is one call the simulator sees.
    QList<StatusPoller::Target> withInstance(int n) const
    {
        QList<StatusPoller::Target> out;
        for (const StatusPoller::Target &t : m_all) {
            if (!t.instanceId.isEmpty())
                out.append(t);
            if (out.size() == n)
                break;
        }
        return out;
    }

    static int checkedCount(const StatusPoller &poller, const QList<StatusPoller::Target> &targets)
    {
        return int(std::count_if(targets.cbegin(), targets.cend(), [&](const auto &t) {
            return poller.status(t.workspaceId).checked;
        }));
    }

    qint64 statusCalls() const { return m_sim->requestCount(QStringLiteral("status")); }

private Q_SLOTS:
    void init()
    {
        m_rows = generateWorkspaces(60, 23);
        SimulatorOptions o = simulatorOptions({ kShared, kAdmin, {} });
        o.seed = 5;
        m_sim = startSimulator(o);
        QVERIFY(m_sim);
        m_sim->adopt(m_rows);
        m_client = makeClient();
        m_all.clear();
        for (const WorkspaceRow &r : std::as_const(m_rows))
            m_all.append({ r.id, r.instanceId });
    }

    void cleanup()
    {
        m_client.reset();
        m_sim.reset();
    }

    void everyListedRowGetsAnAnswer()
    {
        // Slow answers and a high rate: the concurrency bound is what holds the sweep back.
        QVERIFY(m_sim->setFaults(QStringLiteral("status.latency=40")));
        StatusPoller poller(m_client.get());
        poller.setIntervalMs(60'000);
        poller.setMaxConcurrency(3);
        poller.setSweepRate(1000);
        poller.setVisible(m_all.mid(0, 5));
        poller.setListed(m_all);
        poller.start();
        QTRY_COMPARE_WITH_TIMEOUT(checkedCount(poller, m_all), int(m_all.size()), 20'000);
        QVERIFY2(poller.stats().maxInFlightSeen <= 3,
                 qPrintable(QString::number(poller.stats().maxInFlightSeen)));
        QCOMPARE(poller.stats().unknown, 0);
        // Only the rows in view stay targets: the swept ones are not polled on their own.
        QTRY_COMPARE(poller.targetCount(), 5);
    }

    void rowsInViewAndPinnedComeFirst()
    {
        StatusPoller poller(m_client.get());
        poller.setIntervalMs(60'000);
        poller.setSweepRate(50);
        QStringList answered;
        connect(&poller, &StatusPoller::statusChanged, this,
                [&answered](const QString &id) { answered.append(id); });
        const auto visible = m_all.mid(20, 5);
        const StatusPoller::Target pinned = m_all.at(50);
        poller.setVisible(visible);
        poller.setPinned(pinned, true);
        poller.setListed(m_all);
        poller.start();
        QTRY_COMPARE_WITH_TIMEOUT(checkedCount(poller, m_all), int(m_all.size()), 20'000);
        QSet<QString> first(answered.cbegin(), answered.cbegin() + 6);
        QSet<QString> expected { pinned.workspaceId };
        for (const auto &t : visible)
            expected.insert(t.workspaceId);
        QCOMPARE(first, expected);
    }

    void sweepKeepsToItsRate()
    {
        StatusPoller poller(m_client.get());
        poller.setIntervalMs(60'000);
        const double rate = 10;
        poller.setSweepRate(rate);
        const auto visible = withInstance(5);
        poller.setVisible(visible);
        poller.setListed(withInstance(60));
        poller.start();
        QTRY_COMPARE_WITH_TIMEOUT(checkedCount(poller, visible), 5, 10'000);
        const qint64 before = statusCalls();
        QElapsedTimer window;
        window.start();
        QTRY_VERIFY_WITH_TIMEOUT(statusCalls() >= before + 20, 20'000);
        const qint64 calls = statusCalls() - before;
        const qint64 ms = window.elapsed();
        // Generous: one call of slack each end of the window.
        QVERIFY2(
            double(calls) <= 2 + rate * double(ms) / 1000.0,
            qPrintable(QStringLiteral("%1 calls in %2 ms at %3/s").arg(calls).arg(ms).arg(rate)));
    }

    void noSweepWhileTheCpIsUnreachable()
    {
        m_client = makeClient(500);
        StatusPoller poller(m_client.get());
        poller.setIntervalMs(100);
        poller.setJitter(0);
        poller.setMaxBackoffMs(200);
        poller.setSweepRate(20);
        const auto visible = withInstance(3);
        const auto listed = withInstance(60);
        QSignalSpy reach(&poller, &StatusPoller::cpReachabilityChanged);
        poller.setVisible(visible);
        poller.setListed(listed);
        poller.start();
        QTRY_COMPARE_WITH_TIMEOUT(checkedCount(poller, visible), 3, 10'000);
        QVERIFY(m_sim->setFaults(QStringLiteral("status.drop")));
        QTRY_COMPARE_WITH_TIMEOUT(reach.size(), 1, 10'000);
        QCOMPARE(reach.at(0).at(0).toBool(), false);

        // Snapshot when each off-screen row was last asked, after the calls out have failed.
        QTRY_COMPARE_WITH_TIMEOUT(poller.stats().inFlight, 0, 5000);
        QHash<QString, QDateTime> askedAt;
        for (const auto &t : listed.mid(3))
            askedAt.insert(t.workspaceId, poller.status(t.workspaceId).checkedAt);
        // Positive control: the rows in view keep probing (each asked twice more, with backoff).
        const qint64 before = statusCalls();
        QTRY_VERIFY_WITH_TIMEOUT(statusCalls() >= before + 6, 10'000);
        for (const auto &t : listed.mid(3)) {
            QCOMPARE(poller.status(t.workspaceId).checkedAt, askedAt.value(t.workspaceId));
            // Never a definite answer for a row nobody could ask.
            if (poller.status(t.workspaceId).checked)
                QCOMPARE(poller.status(t.workspaceId).state, RunState::Unknown);
        }

        // The CP answers again: the rows in view notice, and the sweep goes on to a definite
        // answer for every row.
        QVERIFY(m_sim->setFaults(QStringLiteral("none")));
        QTRY_COMPARE_WITH_TIMEOUT(reach.size(), 2, 10'000);
        QTRY_VERIFY_WITH_TIMEOUT(std::all_of(listed.cbegin(), listed.cend(),
                                             [&](const auto &t) {
                                                 const LiveStatus s = poller.status(t.workspaceId);
                                                 return s.checked && s.state != RunState::Unknown;
                                             }),
                                 20'000);
    }
};

QTEST_GUILESS_MAIN(tst_StatusSweep)
#include "tst_statussweep.moc"
