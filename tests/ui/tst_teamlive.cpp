// Team mode in the window, on the real PostgreSQL server of tests/pg-fixture.sh: a console
// whose state is the team database (CPCONSOLE_STATE=postgresql://…, as alice) sees what a
// teammate (bob, another connection) does within a second: "stopping… by bob" on the row while
// his stop is in flight, his entries in the details pane's team activity, a notification for a
// pinned workspace, and the marker gone when his stop ends. A console whose team database
// cannot be reached says so, works on, and counts what is not yet shared.
#include "badgewidget.h"
#include "guitestmain.h"
#include "livestatusdelegate.h"
#include "mainwindow.h"
#include "statestore.h"
#include "teamdb.h"
#include "windowparts.h"
#include "workspacemodel.h"

#include <QElapsedTimer>
#include <QLabel>
#include <QScrollArea>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

using namespace cpc;
using namespace cpc::ui;
using namespace cpc::test;

namespace {

QString rowBadge(const MainWindow &w, const QString &workspaceId)
{
    const WorkspaceModel *m = win::model(w);
    const int r = m->visibleRowOf(workspaceId);
    if (r < 0)
        return {};
    return LiveStatusDelegate::badgeAt(m->index(r, WorkspaceModel::LiveColumn)).text;
}

bool anyContains(const QStringList &lines, const QString &a, const QString &b)
{
    for (const QString &l : lines) {
        if (l.contains(a) && l.contains(b))
            return true;
    }
    return false;
}

} // namespace

class tst_TeamLive : public QObject
{
    Q_OBJECT

    TeamDb m_team;
    SimEnvironment m_env;
    QTemporaryDir m_dir;
    std::unique_ptr<StateStore> m_bob;
    int m_outboxes = 0;

    std::unique_ptr<MainWindow> openWindow(const QString &stateUrl)
    {
        SessionOptions o = m_env.options();
        o.statePath.clear(); // as an engineer's shell does it: CPCONSOLE_STATE
        o.env.insert(QStringLiteral("CPCONSOLE_STATE"), stateUrl);
        auto w = std::make_unique<MainWindow>(nullptr, o, MainWindow::NotifyMode::InWindow);
        w->setSession(Session::create(o, nullptr));
        w->resize(1500, 820);
        w->show();
        if (!QTest::qWaitForWindowExposed(w.get()) || !win::loaded(*w))
            return {};
        return w;
    }

    std::unique_ptr<StateStore> openStore(const QString &url)
    {
        auto r = StateStore::open(
            url, m_dir.filePath(QStringLiteral("outbox-%1.sqlite").arg(++m_outboxes)));
        if (!r) {
            qWarning() << r.error().message;
            return {};
        }
        return std::move(r.value());
    }

    QString teamLabel(const MainWindow &w)
    {
        auto *l = win::part<QLabel>(w, QStringLiteral("teamStateLabel"));
        return l && l->isVisible() ? l->text() : QString();
    }

    QString stopWhyOff(const MainWindow &w)
    {
        return win::action(w, QStringLiteral("stop"))->property("cpcWhyOff").toString();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        CPC_TEAMDB_SET_UP(m_team);
        QVERIFY(m_env.start(120));
        m_bob = openStore(m_team.url(m_team.bob));
        QVERIFY(m_bob);
        QVERIFY(m_bob->isShared());
    }
    void cleanupTestCase()
    {
        m_bob.reset();
        m_team.teardown();
    }

    void teammatesStopShowsOnRowDetailsAndPinNotification()
    {
        auto w = openWindow(m_team.url(m_team.alice));
        QVERIFY(w);
        QCOMPARE(teamLabel(*w), QStringLiteral("team state: shared"));
        QVERIFY(win::part<QWidget>(*w, QStringLiteral("teamBanner"))->isHidden());

        const WorkspaceRow row = m_env.runningRow(0);
        QVERIFY(w->selectWorkspace(row.id));
        w->togglePinned();
        QVERIFY(win::model(*w)->isPinned(row.id));
        const ui::DetailsPane *details = win::details(*w);
        // The section is there, and says nobody acted yet.
        auto *activity = win::part<QWidget>(*w, QStringLiteral("teamActivity"));
        QVERIFY(activity && activity->isVisible());
        QCOMPARE(details->teamActivity(), QStringList());
        QTRY_COMPARE(win::model(*w)->liveStatus(row.id).state, RunState::Running);
        QVERIFY(!rowBadge(*w, row.id).contains(m_team.bob));

        // Bob, on his laptop, stops it with cpctl: his lease is taken.
        const auto lock = m_bob->acquireOperationLock(row.id, JournalEntry::Kind::Stop,
                                                      laptopHolder(QStringLiteral("bob")), {}, {});
        QVERIFY(lock && lock->acquired());
        const QString marker = QStringLiteral("stopping… by ") + m_team.bob;
        QTRY_COMPARE(rowBadge(*w, row.id), marker);
        // What a screen reader or a copy gets: the same words, no second ellipsis.
        {
            const WorkspaceModel *m = win::model(*w);
            QCOMPARE(
                m->index(m->visibleRowOf(row.id), WorkspaceModel::LiveColumn).data().toString(),
                marker);
        }
        // An in-flight marker, not a state: the CP's last answer is still what it was.
        QCOMPARE(win::model(*w)->liveStatus(row.id).state, RunState::Running);
        QCOMPARE(details->badge()->badge().text, marker);
        // Our own Stop says who is at it instead of acting.
        QVERIFY(!win::action(*w, QStringLiteral("stop"))->isEnabled());
        QVERIFY2(stopWhyOff(*w).contains(m_team.bob + QStringLiteral("@laptop-3.example")),
                 qPrintable(stopWhyOff(*w)));
        QTRY_VERIFY2(anyContains(details->teamActivity(),
                                 m_team.bob + QStringLiteral("@laptop-3.example"),
                                 QStringLiteral("stopping… (in flight")),
                     qPrintable(details->teamActivity().join(u'\n')));
        // Pinned: a notification names the workspace and the teammate.
        QTRY_VERIFY(anyContains(win::notifier(*w)->history(), row.name, marker));

        // His audit entry appears in the details pane.
        AuditEntry e;
        e.workspaceId = row.id;
        e.user = QStringLiteral("bob");
        e.host = QStringLiteral("laptop-3.example");
        e.program = QStringLiteral("cpctl");
        e.action = QStringLiteral("stop");
        e.result = QStringLiteral("ok");
        e.detail = row.instanceId;
        QVERIFY(m_bob->appendAudit(e));
        QTRY_VERIFY2(anyContains(details->teamActivity(),
                                 m_team.bob + QStringLiteral("@laptop-3.example"),
                                 QStringLiteral("stop ok")),
                     qPrintable(details->teamActivity().join(u'\n')));

        // A picture to look at (tests/screenshots.sh style): the row, the pane's team activity.
        if (const QString shot = qEnvironmentVariable("CPC_TEAMLIVE_SCREENSHOT"); !shot.isEmpty()) {
            if (auto *scroll = details->findChild<QScrollArea *>())
                scroll->ensureWidgetVisible(activity);
            QVERIFY(w->grab().save(shot));
        }

        // His stop ends: the marker goes, the notification says how it ended.
        QVERIFY(m_bob->journalFinish(lock->journalId, JournalEntry::Outcome::Succeeded,
                                     row.instanceId));
        QTRY_VERIFY(!win::model(*w)->liveStatus(row.id).busy);
        QVERIFY(!rowBadge(*w, row.id).contains(m_team.bob));
        QTRY_VERIFY(anyContains(win::notifier(*w)->history(), m_team.bob,
                                QStringLiteral("stop ended: succeeded")));
        QTRY_VERIFY(!anyContains(details->teamActivity(), m_team.bob, QStringLiteral("in flight")));
        QVERIFY(anyContains(details->teamActivity(), m_team.bob, QStringLiteral("stop ok")));
    }

    void operationInFlightBeforeTheWindowOpensIsMarked()
    {
        const WorkspaceRow row = m_env.runningRow(1);
        const auto lock = m_bob->acquireOperationLock(row.id, JournalEntry::Kind::Provision,
                                                      laptopHolder(QStringLiteral("bob")), {}, {});
        QVERIFY(lock && lock->acquired());
        auto w = openWindow(m_team.url(m_team.alice));
        QVERIFY(w);
        QTRY_COMPARE(rowBadge(*w, row.id), QStringLiteral("provisioning… by ") + m_team.bob);
        QVERIFY(m_bob->journalFinish(lock->journalId, JournalEntry::Outcome::Failed));
        QTRY_VERIFY(!win::model(*w)->liveStatus(row.id).busy);
        QVERIFY(!rowBadge(*w, row.id).contains(m_team.bob));
    }

    void holdWhoseLeaseRanOutIsDropped()
    {
        auto w = openWindow(m_team.url(m_team.alice));
        QVERIFY(w);
        const WorkspaceRow row = m_env.runningRow(9);
        // Bob's laptop takes a lease of a second and is never heard of again (no renewal, no
        // outcome): the server reads it "outcome unknown" once it expired.
        qputenv("CPCONSOLE_LEASE_SECONDS", "1");
        const auto lock = m_bob->acquireOperationLock(row.id, JournalEntry::Kind::Stop,
                                                      laptopHolder(QStringLiteral("bob")), {}, {});
        qunsetenv("CPCONSOLE_LEASE_SECONDS");
        QVERIFY(lock && lock->acquired());
        QTRY_COMPARE(rowBadge(*w, row.id), QStringLiteral("stopping… by ") + m_team.bob);
        QTRY_VERIFY_WITH_TIMEOUT(!win::model(*w)->liveStatus(row.id).busy, 15'000);
        QVERIFY(!rowBadge(*w, row.id).contains(m_team.bob));
    }

    void latencyOfATeammatesAction()
    {
        auto w = openWindow(m_team.url(m_team.alice));
        QVERIFY(w);
        const WorkspaceModel *model = win::model(*w);
        QList<qint64> times;
        QList<qint64> callTimes; ///< from before bob's call: his lock's transaction included
        for (int round = 0; round < 5; ++round) {
            const WorkspaceRow row = m_env.runningRow(2 + round);
            QVERIFY(!row.id.isEmpty());
            const QString marker = QStringLiteral("stopping… by ") + m_team.bob;
            QElapsedTimer t;
            QElapsedTimer sinceCall;
            qint64 seen = -1;
            qint64 seenSinceCall = -1;
            const auto c = connect(model, &QAbstractItemModel::dataChanged, this, [&] {
                if (seen < 0 && t.isValid() && rowBadge(*w, row.id) == marker) {
                    seen = t.elapsed();
                    seenSinceCall = sinceCall.elapsed();
                }
            });
            sinceCall.start();
            const auto lock = m_bob->acquireOperationLock(
                row.id, JournalEntry::Kind::Stop, laptopHolder(QStringLiteral("bob")), {}, {});
            t.start();
            QVERIFY(lock && lock->acquired());
            QTRY_VERIFY(seen >= 0);
            disconnect(c);
            times << seen;
            callTimes << seenSinceCall;
            QVERIFY(m_bob->journalFinish(lock->journalId, JournalEntry::Outcome::Succeeded));
            QTRY_VERIFY(!model->liveStatus(row.id).busy);
        }
        const auto list = [](const QList<qint64> &l) {
            QStringList ms;
            for (qint64 t : l)
                ms << QString::number(t);
            return ms.join(QStringLiteral(", "));
        };
        qInfo().noquote() << "row marker after bob's lock returned, ms:" << list(times);
        qInfo().noquote() << "row marker after bob's call began, ms:" << list(callTimes);
    }

    void unreachableTeamStateSaysSoAndCountsWhatIsNotShared()
    {
        auto w = openWindow(m_team.unreachableUrl(m_team.alice));
        QVERIFY(w);
        auto *banner = win::part<QWidget>(*w, QStringLiteral("teamBanner"));
        QVERIFY(banner->isVisible());
        auto *text = win::part<QLabel>(*w, QStringLiteral("teamBannerText"));
        QVERIFY2(text->text().contains(QStringLiteral("Team state unreachable")),
                 qPrintable(text->text()));
        QVERIFY(text->text().contains(QStringLiteral("working locally")));
        QVERIFY(!text->toolTip().isEmpty()); // the reason
        QVERIFY(teamLabel(*w).startsWith(QStringLiteral("team state: unreachable")));

        // The console keeps working: a stop goes through and is kept locally, not yet shared.
        const WorkspaceRow row = m_env.runningRow(8);
        QVERIFY(w->selectWorkspace(row.id));
        QTRY_COMPARE(win::model(*w)->liveStatus(row.id).state, RunState::Running);
        w->stopWorkspace(row.id);
        QTRY_VERIFY_WITH_TIMEOUT(m_env.row(row.id)->instanceId.isEmpty(), 10'000);
        QTRY_VERIFY2(text->text().contains(QStringLiteral("not yet shared")),
                     qPrintable(text->text()));
        QVERIFY(!text->text().contains(QStringLiteral("nothing waiting")));
        QTRY_VERIFY2(anyContains(win::details(*w)->teamActivity(), QStringLiteral("stop"),
                                 QStringLiteral("(not yet shared)")),
                     qPrintable(win::details(*w)->teamActivity().join(u'\n')));
    }
};

CPC_GUI_TEST_MAIN(tst_TeamLive)
#include "tst_teamlive.moc"
