// The window during a control-plane outage, against the real CP simulator on loopback: a CP
// that hangs is declared unreachable by the short poll deadline of the profile (not the two
// minutes of an action), every status shown anywhere turns unknown at once — rows scrolled out
// of view, the details pane of the selected row, the status bar's counts — "Retry now" does not
// wait for the stuck checks, and the banner says what the CP does now.
#include "cpbanner.h"
#include "detailspane.h"
#include "guitestsupport.h"
#include "httppool.h"
#include "mainwindow.h"
#include "statuspoller.h"
#include "visiblerowtracker.h"
#include "windowparts.h"
#include "workspacemodel.h"

#include <QLabel>
#include <QPushButton>
#include <QScrollBar>
#include <QSettings>
#include <QTableView>
#include <QtTest>

using namespace cpc;
using namespace cpc::ui;
using namespace cpc::test;

namespace {
const QString kProfile = QStringLiteral("outage");
} // namespace

class tst_CpOutage : public QObject
{
    Q_OBJECT

    std::unique_ptr<SimEnvironment> m_env;
    std::unique_ptr<MainWindow> m_win;

    /// A profile whose poll deadline is `deadlineMs`, written where the profile dialog writes
    /// it; the CP and its credentials come from the environment, which wins over the profile.
    SessionOptions withPollDeadline(int deadlineMs) const
    {
        QSettings ini(m_env->profilesFile(), QSettings::IniFormat);
        ini.beginGroup(QStringLiteral("profiles/") + kProfile);
        ini.setValue(QStringLiteral("orgId"), QStringLiteral("org-gui-test"));
        ini.setValue(QStringLiteral("pollDeadlineMs"), deadlineMs);
        ini.endGroup();
        ini.sync();
        SessionOptions o = m_env->options();
        o.profile = kProfile;
        return o;
    }

    bool open(const SessionOptions &o)
    {
        m_win = std::make_unique<MainWindow>(nullptr, o, MainWindow::NotifyMode::InWindow);
        m_win->setSession(Session::create(o, nullptr));
        m_win->resize(1100, 700);
        m_win->show();
        m_win->activateWindow();
        return QTest::qWaitForWindowExposed(m_win.get()) && win::loaded(*m_win);
    }

    /// The rows in view (polled), settled after any scroll.
    QStringList inView() const
    {
        QApplication::processEvents();
        win::rowTracker(*m_win)->updateNow();
        QStringList out;
        for (const auto &t : win::rowTracker(*m_win)->targets())
            out << t.workspaceId;
        return out;
    }

    /// Rows the simulator runs (online, with an instance) among `ids`.
    QStringList runningAmong(const QStringList &ids) const
    {
        QStringList out;
        for (const QString &id : ids) {
            const std::optional<WorkspaceRow> r = win::model(*m_win)->rowById(id);
            if (r && r->status == QLatin1String("online") && !r->instanceId.isEmpty())
                out << id;
        }
        return out;
    }

    bool shownRunning(const QStringList &ids) const
    {
        return std::all_of(ids.cbegin(), ids.cend(), [this](const QString &id) {
            const LiveStatus s = win::model(*m_win)->liveStatus(id);
            return s.checked && s.state == RunState::Running;
        });
    }

    int liveCount(RunState state) const { return win::model(*m_win)->liveCounts().value(state); }

    /// A simulator on `port` that knows none of the instances: a CP restarted with its state
    /// lost answers 404 for every one of them.
    std::unique_ptr<Simulator> amnesiacSimulator(quint16 port) const
    {
        SimulatorOptions o;
        o.port = port;
        o.sharedSecret = Secret(kGuiShared);
        o.adminToken = Secret(kGuiAdmin);
        o.adminApiKey = Secret(kGuiApiKey);
        auto sim = std::make_unique<Simulator>(o);
        QString error;
        if (!sim->start(&error)) {
            qWarning() << "simulator did not start:" << error;
            return nullptr;
        }
        return sim;
    }

private Q_SLOTS:
    void init()
    {
        m_env = std::make_unique<SimEnvironment>();
        QVERIFY(m_env->start(200));
        isolateSettings(m_env->dir.path());
    }

    void cleanup()
    {
        m_win.reset();
        m_env.reset();
    }

    void hungCpTurnsEveryStatusUnknown()
    {
        // 300 ms stands for the 8 s default: the test shows the poll's own deadline is used,
        // not the request timeout of an action (120 s here, the default).
        QVERIFY(open(withPollDeadline(300)));
        QCOMPARE(m_win->session()->config().requestTimeoutMs, 120'000);

        // A running row, selected, then scrolled out of view with others that were running.
        QStringList top;
        QTRY_VERIFY_WITH_TIMEOUT(!(top = runningAmong(inView())).isEmpty(), 5000);
        QTRY_VERIFY_WITH_TIMEOUT(shownRunning(top), 10'000);
        const QString selected = top.first();
        QVERIFY(m_win->selectWorkspace(selected));
        QVERIFY(win::details(*m_win)->liveText().startsWith(QStringLiteral("running")));
        win::table(*m_win)->verticalScrollBar()->setValue(
            win::table(*m_win)->verticalScrollBar()->maximum());
        QTRY_VERIFY(!inView().contains(selected));
        const QStringList bottom = runningAmong(inView());
        QVERIFY(!bottom.isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(shownRunning(bottom), 10'000);
        QStringList offScreen;
        for (const QString &id : top) {
            if (!inView().contains(id) && !m_win->session()->poller()->isPinned(id))
                offScreen << id;
        }
        QVERIFY(offScreen.contains(selected));
        QVERIFY(shownRunning(offScreen)); // stale, but not yet known to be
        QVERIFY(win::countsLabel(*m_win)->text().contains(
            QRegularExpression(QStringLiteral("● [1-9]\\d* running"))));
        QVERIFY(win::cpBanner(*m_win)->isHidden());

        // The status route hangs.
        QVERIFY(m_env->sim->setFaults(QStringLiteral("status.timeout")));
        QTRY_VERIFY_WITH_TIMEOUT(win::cpBanner(*m_win)->isVisible(), 10'000);
        QVERIFY2(win::cpBanner(*m_win)->text().contains(QStringLiteral("unreachable")),
                 qPrintable(win::cpBanner(*m_win)->text()));

        // Everything says unknown at once, with what was last known: the rows in view, the
        // rows out of view, the details pane and the counts.
        for (const QStringList &ids : { bottom, offScreen }) {
            for (const QString &id : ids) {
                const LiveStatus s = win::model(*m_win)->liveStatus(id);
                QVERIFY2(s.state == RunState::Unknown,
                         qPrintable(id + u' ' + runStateName(s.state)));
                QCOMPARE(s.lastKnown, RunState::Running);
                QVERIFY(s.confirmedAt.isValid());
            }
        }
        QCOMPARE(liveCount(RunState::Running), 0);
        const QString details = win::details(*m_win)->liveText();
        QVERIFY2(details.startsWith(QStringLiteral("unknown")), qPrintable(details));
        QVERIFY2(details.contains(QStringLiteral("Last confirmed running")), qPrintable(details));
        QTRY_VERIFY(win::countsLabel(*m_win)->text().contains(QStringLiteral("● 0 running")));
        QVERIFY(win::countsLabel(*m_win)->text().contains(
            QRegularExpression(QStringLiteral("\\? [1-9]\\d* unknown"))));
        // Nothing is "not running" because the CP did not answer.
        for (const QString &id : offScreen + bottom)
            QVERIFY(win::model(*m_win)->liveStatus(id).state != RunState::NotRunning);
    }

    void retryDoesNotWaitForStuckChecks()
    {
        // A deadline longer than the test may take: whatever clears the banner, it is not the
        // stuck checks running out.
        QVERIFY(open(withPollDeadline(60'000)));
        QStringList ids;
        QTRY_VERIFY_WITH_TIMEOUT(!(ids = runningAmong(inView())).isEmpty(), 5000);
        QTRY_VERIFY_WITH_TIMEOUT(shownRunning(ids), 10'000);

        // The CP goes away (connections refused), then comes back hanging.
        const quint16 port = m_env->port;
        m_env->sim.reset();
        QTRY_VERIFY_WITH_TIMEOUT(win::cpBanner(*m_win)->isVisible(), 10'000);
        QVERIFY(m_env->startSimulator(port));
        QVERIFY(m_env->sim->setFaults(QStringLiteral("status.timeout")));
        QPushButton *retry = win::cpBanner(*m_win)->retryButton();
        QTest::mouseClick(retry, Qt::LeftButton);
        QVERIFY(win::cpBanner(*m_win)->text().contains(QStringLiteral("Retrying")));
        // Every slot is taken by a check the CP holds (the connections it may open to the CP
        // reach the simulator; the rest wait for one of them).
        const int capacity = m_win->session()->poller()->maxConcurrency();
        QTRY_VERIFY_WITH_TIMEOUT(m_env->sim->requestCount(QStringLiteral("status"))
                                     >= std::min(capacity, HttpPool::kPerOrigin),
                                 10'000);
        QTRY_COMPARE(m_win->session()->poller()->stats().inFlight, capacity);
        QVERIFY(win::cpBanner(*m_win)->isVisible());

        // The CP answers again. "Retry now" aborts the stuck checks and asks at once: the first
        // good answer clears the banner, long before the 60 s deadline.
        QVERIFY(m_env->sim->setFaults(QStringLiteral("none")));
        QElapsedTimer clock;
        clock.start();
        QTest::mouseClick(retry, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(win::cpBanner(*m_win)->isHidden(), 10'000);
        QVERIFY(clock.elapsed() < 30'000);
        QTRY_VERIFY_WITH_TIMEOUT(shownRunning(runningAmong(inView())), 10'000);
    }

    void bannerShowsTheLatestError()
    {
        QVERIFY(open(withPollDeadline(2000)));
        QStringList ids;
        QTRY_VERIFY_WITH_TIMEOUT(!(ids = runningAmong(inView())).isEmpty(), 5000);
        QTRY_VERIFY_WITH_TIMEOUT(shownRunning(ids), 10'000);

        const quint16 port = m_env->port;
        m_env->sim.reset();
        QTRY_VERIFY_WITH_TIMEOUT(win::cpBanner(*m_win)->isVisible(), 10'000);
        QTRY_VERIFY(win::cpBanner(*m_win)->text().contains(QStringLiteral("connection refused")));

        // The CP is back, restarted without its instances: it answers 404 for each.
        auto restarted = amnesiacSimulator(port);
        QVERIFY(restarted);
        QTest::mouseClick(win::cpBanner(*m_win)->retryButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(restarted->requestCount(QStringLiteral("status")) > 0, 10'000);
        QTRY_VERIFY2_WITH_TIMEOUT(win::cpBanner(*m_win)->text().contains(QStringLiteral("(404)")),
                                  qPrintable(win::cpBanner(*m_win)->text()), 10'000);
        QVERIFY(!win::cpBanner(*m_win)->text().contains(QStringLiteral("connection refused")));
        QVERIFY(!win::cpBanner(*m_win)->text().contains(QStringLiteral("Retrying")));
        QVERIFY(win::cpBanner(*m_win)->isVisible()); // a 404 is not a good answer
        QCOMPARE(liveCount(RunState::Running), 0);
    }
};

QTEST_MAIN(tst_CpOutage)
#include "tst_cpoutage.moc"
