// Live state you can act on, in the main window under the offscreen platform against the real
// CP simulator and a real SQLite database: the background sweep takes "not checked" to zero in
// a list longer than the window, the status filter offers the live states and follows the
// answers, a workspace still coming up says "starting…" rather than a failed one's "not
// running", and the window names its profile and org.
#include "badgewidget.h"
#include "detailspane.h"
#include "guitestmain.h"
#include "guitestsupport.h"
#include "livestatusdelegate.h"
#include "mainwindow.h"
#include "profilestore.h"
#include "statuspresentation.h"
#include "windowparts.h"
#include "workspacemodel.h"

#include <QComboBox>
#include <QLabel>
#include <QTableView>
#include <QtTest>

#include <algorithm>

using namespace cpc;
using namespace cpc::ui;
using namespace cpc::test;

class tst_LiveState : public QObject
{
    Q_OBJECT

    std::unique_ptr<SimEnvironment> m_env;
    std::unique_ptr<MainWindow> m_win;

    bool open(const SessionOptions &o)
    {
        m_win = std::make_unique<MainWindow>(nullptr, o, MainWindow::NotifyMode::InWindow);
        m_win->setSession(Session::create(o, nullptr));
        m_win->resize(1366, 768);
        m_win->show();
        return QTest::qWaitForWindowExposed(m_win.get()) && win::loaded(*m_win);
    }

    SessionOptions options(double sweepRate) const
    {
        SessionOptions o = m_env->options();
        o.pollIntervalMs = 60'000; // the rows in view are asked once: what else is asked is swept
        o.sweepRate = sweepRate;
        return o;
    }

    WorkspaceModel *model() const { return win::model(*m_win); }
    QComboBox *statusFilter() const
    {
        return m_win->findChild<QComboBox *>(QStringLiteral("statusFilter"));
    }
    int total() const { return model()->totalCount(); }
    int checked() const
    {
        const auto live = model()->liveCounts();
        return live.value(RunState::Running) + live.value(RunState::NotRunning)
            + live.value(RunState::Unknown);
    }

    /// Chooses the status filter's entry whose text starts with `prefix`, as a click would.
    bool choose(const QString &prefix)
    {
        for (int i = 0; i < statusFilter()->count(); ++i) {
            if (statusFilter()->itemText(i).startsWith(prefix)) {
                statusFilter()->setCurrentIndex(i);
                return true;
            }
        }
        qWarning() << "no status filter entry" << prefix;
        return false;
    }

    QList<LiveStatus> shownStatuses() const
    {
        QList<LiveStatus> out;
        for (int r = 0; r < model()->rowCount(); ++r)
            out << model()->liveStatus(model()->rowAt(r)->id);
        return out;
    }

private Q_SLOTS:
    void init()
    {
        m_env = std::make_unique<SimEnvironment>();
        m_env->bootMs = 10 * 60'000; // provisioning rows stay pending for the whole case
        QVERIFY(m_env->start(200));
    }

    void cleanup()
    {
        m_win.reset();
        m_env.reset();
    }

    void sweepChecksEveryRowInAListLongerThanTheWindow()
    {
        QVERIFY(open(options(200)));
        const QTableView *table = win::table(*m_win);
        // More rows than fit: the ones below the fold are asked by the sweep only.
        QVERIFY2(table->rowAt(table->viewport()->height() - 1) >= 0
                     && table->rowAt(table->viewport()->height() - 1) < total() - 1,
                 "the list must be longer than the window");
        QTRY_VERIFY_WITH_TIMEOUT(checked() > 0, 10'000);
        QTRY_COMPARE_WITH_TIMEOUT(checked(), total(), 30'000);
        QTRY_VERIFY_WITH_TIMEOUT(
            !win::countsLabel(*m_win)->text().contains(QStringLiteral("not checked")), 5000);
        QVERIFY(win::countsLabel(*m_win)->text().contains(
            QStringLiteral("%1 workspaces").arg(total())));
    }

    void liveFilterShowsNotRunning()
    {
        QVERIFY(open(options(200)));
        QTRY_COMPARE_WITH_TIMEOUT(checked(), total(), 30'000);
        const int notRunning = model()->liveCounts().value(RunState::NotRunning);
        QVERIFY(notRunning > 0 && notRunning < total());
        QVERIFY(choose(QStringLiteral("Live: ■ not running")));
        QCOMPARE(model()->rowCount(), notRunning);
        for (const LiveStatus &s : shownStatuses())
            QVERIFY(s.checked && s.state == RunState::NotRunning);
        // The count is where it is chosen.
        QTRY_VERIFY(statusFilter()->currentText().contains(QStringLiteral("(%1)").arg(notRunning)));
        QVERIFY(choose(QStringLiteral("All statuses")));
        QCOMPARE(model()->rowCount(), total());
    }

    void liveFilterShowsNotCheckedAndFollowsTheAnswers()
    {
        QVERIFY(open(options(0))); // no sweep: only the rows in view get answers
        QTRY_VERIFY_WITH_TIMEOUT(checked() > 0, 10'000);
        QTRY_COMPARE_WITH_TIMEOUT(model()->liveCounts().value(RunState::Running)
                                      + model()->liveCounts().value(RunState::NotRunning),
                                  checked(), 10'000);
        const int unchecked = total() - checked();
        QVERIFY(unchecked > 0);
        QVERIFY(choose(QStringLiteral("Live: ◌ not checked")));
        QCOMPARE(model()->rowCount(), unchecked);
        for (const LiveStatus &s : shownStatuses())
            QVERIFY(!s.checked);
        // The rows now in view are asked; each leaves the list with its answer, at the refilter
        // that follows the answers (once per event-loop turn: an answer may have just arrived).
        QTRY_VERIFY_WITH_TIMEOUT(model()->rowCount() < unchecked, 10'000);
        const auto noneChecked = [this] {
            const auto shown = shownStatuses();
            return std::none_of(shown.cbegin(), shown.cend(),
                                [](const LiveStatus &s) { return s.checked; });
        };
        QTRY_VERIFY(noneChecked());
    }

    void startingWorkspaceIsNotShownAsFailed()
    {
        QVERIFY(open(options(200)));
        QTRY_COMPARE_WITH_TIMEOUT(checked(), total(), 30'000);
        const auto rowWith = [this](const QString &status) -> QModelIndex {
            for (int r = 0; r < model()->rowCount(); ++r) {
                const std::optional<WorkspaceRow> row = model()->rowAt(r);
                const LiveStatus s = model()->liveStatus(row->id);
                if (row->status == status && !row->instanceId.isEmpty() && s.checked)
                    return model()->index(r, WorkspaceModel::LiveColumn);
            }
            return {};
        };
        const QModelIndex provisioning = rowWith(QStringLiteral("provisioning"));
        const QModelIndex failed = rowWith(QStringLiteral("failed"));
        QVERIFY(provisioning.isValid() && failed.isValid());
        // Both are "not running" to the CP: one is on its way up, the other is down.
        const auto live = [this](const QModelIndex &i) {
            return model()->liveStatus(i.data(WorkspaceModel::WorkspaceIdRole).toString());
        };
        QCOMPARE(live(provisioning).state, RunState::NotRunning);
        QCOMPARE(live(provisioning).cpState, QStringLiteral("pending"));
        QCOMPARE(live(failed).state, RunState::NotRunning);
        QCOMPARE(live(failed).cpState, QStringLiteral("failed"));

        const Badge starting = LiveStatusDelegate::badgeAt(provisioning);
        const Badge down = LiveStatusDelegate::badgeAt(failed);
        QCOMPARE(starting.text, QStringLiteral("starting…"));
        QCOMPARE(starting.shape, Badge::Shape::Starting);
        QCOMPARE(down.text, QStringLiteral("not running"));
        QCOMPARE(down.shape, Badge::Shape::Stopped);
        // Not colour alone: shape and word differ, and so does the colour.
        QVERIFY(starting.fill != down.fill);

        // The details pane says the same as the list.
        auto *badge
            = win::details(*m_win)->findChild<BadgeWidget *>(QStringLiteral("detailsBadge"));
        QVERIFY(badge);
        QVERIFY(
            m_win->selectWorkspace(provisioning.data(WorkspaceModel::WorkspaceIdRole).toString()));
        QTRY_COMPARE(badge->badge().text, QStringLiteral("starting…"));
        QVERIFY(m_win->selectWorkspace(failed.data(WorkspaceModel::WorkspaceIdRole).toString()));
        QTRY_COMPARE(badge->badge().text, QStringLiteral("not running"));
    }

    void windowNamesProfileAndOrg()
    {
        const QString org = QStringLiteral("7c9e6679-7425-40de-944b-e07fc1f90ae7");
        ProfileStore store(m_env->profilesFile());
        ProfileValues p;
        p.name = QStringLiteral("prod-eu");
        p.orgId = org;
        p.dbUrl = m_env->dbUrl();
        store.save(p);
        SessionOptions o = options(0);
        o.env.remove(QStringLiteral("MOLECULE_ORG_ID")); // the profile's org, not the shell's
        o.dbUrl.clear();
        o.profile = p.name;
        QVERIFY(open(o));
        QCOMPARE(m_win->session()->config().orgId, org);
        QCOMPARE(m_win->windowTitle(), QStringLiteral("CP Console — prod-eu · org 7c9e6679…"));
        const QLabel *label = m_win->findChild<QLabel *>(QStringLiteral("profileLabel"));
        QVERIFY(label && label->isVisible());
        QVERIFY2(label->text().contains(QStringLiteral("prod-eu"))
                     && label->text().contains(QStringLiteral("org ") + org),
                 qPrintable(label->text()));
    }
};

CPC_GUI_TEST_MAIN(tst_LiveState)
#include "tst_livestate.moc"
