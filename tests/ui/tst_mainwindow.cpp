// The main window under the offscreen platform, against the real CP simulator on loopback and a
// real SQLite workspace database: what an engineer who was just paged sees and does with the
// keyboard — filter, select, read the details and the console, stop behind a confirmation,
// read-only mode, unknown statuses, the CP-unreachable banner, pinned notifications, the
// provision journal notice and the keyboard help.
#include "appinfo.h"
#include "consolearea.h"
#include "consoletab.h"
#include "cpbanner.h"
#include "detailspane.h"
#include "guitestmain.h"
#include "guitestsupport.h"
#include "journalbanner.h"
#include "mainwindow.h"
#include "modeband.h"
#include "notifier.h"
#include "provisiondialog.h"
#include "shortcutsdialog.h"
#include "statestore.h"
#include "statuspoller.h"
#include "statuspresentation.h"
#include "statustimeline.h"
#include "stopdialog.h"
#include "visiblerowtracker.h"
#include "workspacemodel.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QFrame>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTableView>
#include <QToolButton>
#include <QTreeWidget>
#include <QUuid>
#include <QtTest>

using namespace cpc;
using namespace cpc::ui;
using namespace cpc::test;

class tst_MainWindow : public QObject
{
    Q_OBJECT

    std::unique_ptr<SimEnvironment> m_env;
    std::unique_ptr<MainWindow> m_win;

    bool open(const SessionOptions &o)
    {
        m_win = std::make_unique<MainWindow>(nullptr, o, MainWindow::NotifyMode::InWindow);
        m_win->setSession(Session::create(o, nullptr));
        m_win->show();
        m_win->activateWindow();
        return QTest::qWaitForWindowExposed(m_win.get());
    }
    bool open() { return open(m_env->options()); }

    int expectedRows() const
    {
        return int(
            std::count_if(m_env->rows.cbegin(), m_env->rows.cend(), [](const WorkspaceRow &r) {
                return r.status != QLatin1String("removed");
            }));
    }

    /// Every workspace shown on screen that has an instance.
    QStringList visibleWithInstance() const
    {
        QStringList out;
        for (const auto &t : m_win->rowTracker()->targets()) {
            if (!t.instanceId.isEmpty())
                out << t.workspaceId;
        }
        return out;
    }

    bool allRunning(const QStringList &ids) const
    {
        for (const QString &id : ids) {
            const LiveStatus s = m_win->model()->liveStatus(id);
            const auto *row = m_win->model()->rowById(id);
            // Rows the simulator holds in another state (failed, pending) are skipped.
            if (row && row->status == QLatin1String("online")
                && (!s.checked || s.state != RunState::Running))
                return false;
        }
        return true;
    }

    void keyOnWindow(int key, Qt::KeyboardModifiers mods = Qt::NoModifier)
    {
        QWidget *target = QApplication::focusWidget() ? QApplication::focusWidget() : m_win.get();
        QTest::keyClick(target, Qt::Key(key), mods);
    }

private Q_SLOTS:
    void init()
    {
        m_env = std::make_unique<SimEnvironment>();
        QVERIFY(m_env->start(60));
    }

    void cleanup()
    {
        m_win.reset();
        m_env.reset();
    }

    void listShowsEveryRowWithCounts()
    {
        QVERIFY(open());
        QCOMPARE(m_win->model()->rowCount(), expectedRows());
        QCOMPARE(m_win->windowTitle(), QStringLiteral("CP Console — environment"));
        QVERIFY(m_win->countsLabel()->text().contains(
            QStringLiteral("%1 workspaces").arg(expectedRows())));
        // The rows in view get a live status; the counts follow, by word and shape, not colour.
        QTRY_VERIFY_WITH_TIMEOUT(m_win->countsLabel()->text().contains(
                                     QRegularExpression(QStringLiteral("● [1-9]\\d* running"))),
                                 10'000);
        QVERIFY(m_win->countsLabel()->text().contains(QStringLiteral("not running")));
        QVERIFY(m_win->countsLabel()->text().contains(QStringLiteral("? 0 unknown")));
        QVERIFY(m_win->setupNotice()->isHidden());
        QVERIFY(m_win->cpBanner()->isHidden());
        QVERIFY(m_win->journalBanner()->isHidden());
    }

    void filterAsYouType()
    {
        QVERIFY(open());
        const int all = m_win->model()->rowCount();
        m_win->table()->setFocus();
        QTest::keyClick(m_win->table(), Qt::Key_Slash);
        QTRY_VERIFY(m_win->filterEdit()->hasFocus());

        const WorkspaceRow pick = m_env->runningRow(2);
        const QString needle = pick.name.left(pick.name.indexOf(u'-') > 0 ? pick.name.indexOf(u'-')
                                                                          : pick.name.size());
        QTest::keyClicks(m_win->filterEdit(), needle);
        const auto matches = [&](const WorkspaceRow &r) {
            if (r.status == QLatin1String("removed"))
                return false;
            for (const QString &f : { r.name, r.id, r.instanceId, r.runtime, r.status }) {
                if (f.contains(needle, Qt::CaseInsensitive))
                    return true;
            }
            return false;
        };
        const int expected = int(std::count_if(m_env->rows.cbegin(), m_env->rows.cend(), matches));
        QVERIFY(expected >= 1 && expected < all);
        QCOMPARE(m_win->model()->rowCount(), expected);
        QVERIFY(m_win->model()->visibleRowOf(pick.id) >= 0);

        // Nothing matches: an empty list, and the status bar says how many are shown.
        m_win->filterEdit()->selectAll();
        QTest::keyClicks(m_win->filterEdit(), QStringLiteral("zz-no-such-workspace"));
        QCOMPARE(m_win->model()->rowCount(), 0);
        QVERIFY(m_win->findChild<QLabel *>(QStringLiteral("shown"))
                    ->text()
                    .startsWith(QStringLiteral("0 of")));

        // Esc clears the filter; Esc again goes back to the list.
        QTest::keyClick(m_win->filterEdit(), Qt::Key_Escape);
        QCOMPARE(m_win->filterEdit()->text(), QString());
        QCOMPARE(m_win->model()->rowCount(), all);
        QTest::keyClick(m_win->filterEdit(), Qt::Key_Escape);
        QTRY_VERIFY(m_win->table()->hasFocus());

        // Ctrl+F from the list; Enter in the filter hands over to the first row.
        QTest::keyClick(m_win->table(), Qt::Key_F, Qt::ControlModifier);
        QTRY_VERIFY(m_win->filterEdit()->hasFocus());
        QTest::keyClicks(m_win->filterEdit(), pick.name);
        QTest::keyClick(m_win->filterEdit(), Qt::Key_Return);
        QTRY_VERIFY(m_win->table()->hasFocus());
        QVERIFY(!m_win->selectedWorkspaceId().isEmpty());
        QVERIFY(m_win->selectedWorkspaceId() == pick.id || m_win->model()->rowCount() > 1);

        // The status filter narrows to one database status.
        m_win->filterEdit()->clear();
        auto *status = m_win->findChild<QComboBox *>(QStringLiteral("statusFilter"));
        status->setCurrentIndex(status->findData(QStringLiteral("offline")));
        const int offline = int(
            std::count_if(m_env->rows.cbegin(), m_env->rows.cend(), [](const WorkspaceRow &r) {
                return r.status == QLatin1String("offline");
            }));
        QCOMPARE(m_win->model()->rowCount(), offline);
    }

    void selectionDrivesDetails()
    {
        QVERIFY(open());
        QVERIFY(!m_win->details()->hasWorkspace());
        const WorkspaceRow row = m_env->runningRow(1);
        QVERIFY(m_win->selectWorkspace(row.id));
        QCOMPARE(m_win->details()->workspaceId(), row.id);
        QCOMPARE(m_win->details()->fieldText(QStringLiteral("Instance ID")), row.instanceId);
        QCOMPARE(m_win->details()->fieldText(QStringLiteral("ID")), row.id);
        QCOMPARE(m_win->details()->fieldText(QStringLiteral("Runtime")), row.runtime);
        QCOMPARE(m_win->details()->fieldText(QStringLiteral("Status (database)")), row.status);

        // The copy button puts the instance ID on the clipboard.
        auto *copy = m_win->details()->findChild<QToolButton *>(QStringLiteral("copy:Instance ID"));
        QVERIFY(copy && copy->isEnabled());
        QApplication::clipboard()->clear();
        copy->click();
        QCOMPARE(QApplication::clipboard()->text(), row.instanceId);

        // Live status in words, then the history once the first answer is recorded.
        QTRY_VERIFY_WITH_TIMEOUT(m_win->details()->liveText().startsWith(QStringLiteral("running")),
                                 10'000);
        QVERIFY(m_win->details()->liveText().contains(
            QStringLiteral("confirmed by the control plane")));
        QTRY_VERIFY_WITH_TIMEOUT(!m_win->details()->timeline()->lines().isEmpty(), 10'000);
        QVERIFY(m_win->details()->timeline()->lines().first().contains(QStringLiteral("running")));

        // ↓ moves the selection and the pane follows.
        m_win->table()->setFocus();
        const int r = m_win->model()->visibleRowOf(row.id);
        QTest::keyClick(m_win->table(), Qt::Key_Down);
        const QString next = m_win->model()->rowAt(r + 1)->id;
        QCOMPARE(m_win->selectedWorkspaceId(), next);
        QCOMPARE(m_win->details()->workspaceId(), next);
    }

    void enterOpensConsole()
    {
        QVERIFY(open());
        const WorkspaceRow a = m_env->runningRow(0);
        const WorkspaceRow b = m_env->runningRow(1);
        QVERIFY(m_win->selectWorkspace(a.id));
        m_win->table()->setFocus();
        QTest::keyClick(m_win->table(), Qt::Key_Return);
        QCOMPARE(m_win->consoles()->count(), 1);
        ConsoleTab *tab = m_win->consoles()->tab(a.id);
        QVERIFY(tab);
        QTRY_VERIFY_WITH_TIMEOUT(!tab->text().isEmpty(), 10'000);
        QVERIFY(tab->statusText().contains(QStringLiteral("fetched")));

        // Ctrl+O on another workspace: a second tab; the same workspace again reuses its tab.
        QVERIFY(m_win->selectWorkspace(b.id));
        QTest::keyClick(m_win->table(), Qt::Key_O, Qt::ControlModifier);
        QCOMPARE(m_win->consoles()->count(), 2);
        QTest::keyClick(m_win->table(), Qt::Key_O, Qt::ControlModifier);
        QCOMPARE(m_win->consoles()->count(), 2);
        QTRY_VERIFY_WITH_TIMEOUT(!m_win->consoles()->tab(b.id)->text().isEmpty(), 10'000);

        // Double-click opens too; Ctrl+W closes the current tab.
        QTest::keyClick(m_win.get(), Qt::Key_W, Qt::ControlModifier);
        QCOMPARE(m_win->consoles()->count(), 1);
        QVERIFY(!m_win->consoles()->tab(b.id));
    }

    void consoleErrorIsShown()
    {
        QVERIFY(open());
        QVERIFY(m_env->sim->setFaults(QStringLiteral("console.5xx")));
        const WorkspaceRow a = m_env->runningRow(0);
        QVERIFY(m_win->selectWorkspace(a.id));
        m_win->openConsole();
        ConsoleTab *tab = m_win->consoles()->tab(a.id);
        QTRY_VERIFY_WITH_TIMEOUT(tab->statusText().contains(QStringLiteral("console")), 10'000);
        QVERIFY(tab->statusText().contains(QStringLiteral("5")));
        QVERIFY(tab->text().isEmpty());
    }

    void provisionFromTheWindow()
    {
        QVERIFY(open());
        m_win->table()->setFocus();
        QTest::keyClick(m_win->table(), Qt::Key_N, Qt::ControlModifier);
        auto *dlg = m_win->findChild<ProvisionDialog *>();
        QVERIFY(dlg && dlg->isVisible());
        const QString ws = QUuid::createUuid().toString(QUuid::WithoutBraces);
        dlg->setWorkspace(ws, QStringLiteral("incident-scratch"));
        dlg->findChild<QComboBox *>(QStringLiteral("runtime"))
            ->setCurrentText(QStringLiteral("python"));
        dlg->setPlatformUrl(QStringLiteral("https://platform.example.com"));
        dlg->findChild<QPushButton *>(QStringLiteral("provisionButton"))->click();
        QTRY_VERIFY_WITH_TIMEOUT(dlg->resultText().contains(QStringLiteral("Provisioned")), 10'000);
        const QString iid = m_env->sim->latestInstanceId(ws);
        QVERIFY(!iid.isEmpty());
        QVERIFY(dlg->resultText().contains(iid));
        // The new row is in the list, selected, with its instance; the database agrees.
        QTRY_VERIFY(m_win->model()->rowById(ws) != nullptr);
        QCOMPARE(m_win->model()->rowById(ws)->instanceId, iid);
        QCOMPARE(m_win->selectedWorkspaceId(), ws);
        QCOMPARE(m_env->row(ws)->instanceId, iid);
        QCOMPARE(m_env->row(ws)->status, QStringLiteral("provisioning"));
    }

    void stopNeedsTheExactName()
    {
        QVERIFY(open());
        const WorkspaceRow row = m_env->runningRow(0);
        QVERIFY(m_win->selectWorkspace(row.id));
        m_win->table()->setFocus();
        QTest::keyClick(m_win->table(), Qt::Key_S, Qt::ControlModifier | Qt::ShiftModifier);
        StopDialog *dlg = m_win->stopDialog();
        QVERIFY(dlg);
        QVERIFY(QTest::qWaitForWindowActive(dlg)); // the confirmation has the keyboard
        QTRY_VERIFY2(dlg->confirmField()->hasFocus(),
                     qPrintable(QApplication::focusWidget()
                                    ? QApplication::focusWidget()->objectName()
                                        + QString::fromLatin1(
                                            QApplication::focusWidget()->metaObject()->className())
                                    : QStringLiteral("none")));
        QVERIFY(dlg->message().contains(row.name));
        QVERIFY(dlg->message().contains(row.instanceId));
        QVERIFY(!dlg->stopButton()->isEnabled());

        // A wrong name, Enter: nothing happens, nothing is sent.
        QTest::keyClicks(dlg->confirmField(), row.name.left(row.name.size() - 1));
        QVERIFY(!dlg->stopButton()->isEnabled());
        QTest::keyClick(dlg->confirmField(), Qt::Key_Return);
        QVERIFY(dlg->isVisible());
        QTest::keyClicks(dlg->confirmField(), row.name.right(1) + QStringLiteral(" "));
        QVERIFY(!dlg->stopButton()->isEnabled()); // trailing space: not the name
        QTest::keyClick(dlg->confirmField(), Qt::Key_Escape);
        QTRY_VERIFY(!m_win->stopDialog());
        m_win->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(m_win.get()));
        QCOMPARE(m_env->sim->requestCount(QStringLiteral("stop")), 0);
        QCOMPARE(m_win->model()->rowById(row.id)->instanceId, row.instanceId);

        // Delete on the list asks too; this time the name is right.
        m_win->table()->setFocus();
        QTest::keyClick(m_win->table(), Qt::Key_Delete);
        dlg = m_win->stopDialog();
        QVERIFY(dlg);
        QVERIFY(QTest::qWaitForWindowActive(dlg));
        QTRY_VERIFY(dlg->confirmField()->hasFocus());
        QTest::keyClicks(dlg->confirmField(), row.name);
        QVERIFY(dlg->stopButton()->isEnabled());
        QTest::keyClick(dlg->confirmField(), Qt::Key_Return);
        // "stopping…" until the CP answers...
        QVERIFY(m_win->model()->liveStatus(row.id).busy);
        QCOMPARE(badgeFor(m_win->model()->liveStatus(row.id), true).text,
                 QStringLiteral("stopping…"));
        QVERIFY(!m_win->action(QStringLiteral("stop"))->isEnabled());
        // ...then the row has no instance and the database says offline.
        QTRY_VERIFY_WITH_TIMEOUT(!m_win->model()->liveStatus(row.id).busy, 10'000);
        QCOMPARE(m_env->sim->requestCount(QStringLiteral("stop")), 1);
        QCOMPARE(m_win->model()->rowById(row.id)->instanceId, QString());
        QCOMPARE(m_env->row(row.id)->status, QStringLiteral("offline"));
        const QString state = m_env->sim->instance(row.instanceId)->state;
        QVERIFY2(state == QLatin1String("stopping") || state == QLatin1String("terminated"),
                 qPrintable(state));
        QVERIFY(m_win->details()->actionError().isEmpty());
    }

    void failedStopSaysWhyAndChangesNothing()
    {
        QVERIFY(open());
        QVERIFY(m_env->sim->setFaults(QStringLiteral("stop.5xx")));
        const WorkspaceRow row = m_env->runningRow(0);
        QVERIFY(m_win->selectWorkspace(row.id));
        StopDialog *dlg = m_win->requestStop();
        QVERIFY(dlg);
        QTest::keyClicks(dlg->confirmField(), row.name);
        dlg->stopButton()->click();
        QTRY_VERIFY_WITH_TIMEOUT(!m_win->model()->liveStatus(row.id).busy, 10'000);
        QVERIFY2(m_win->details()->actionError().contains(QStringLiteral("Stop failed")),
                 qPrintable(m_win->details()->actionError()));
        QVERIFY(m_win->details()->actionError().contains(QStringLiteral("stop failed (5")));
        QCOMPARE(m_win->model()->rowById(row.id)->instanceId, row.instanceId);
        QCOMPARE(m_env->row(row.id)->instanceId, row.instanceId);
        QCOMPARE(m_env->row(row.id)->status, QStringLiteral("online"));
        QVERIFY(m_win->notifier()->lastMessage().contains(QStringLiteral("Stop of")));
        // The error stays with its workspace: away and back, still there.
        QVERIFY(m_win->selectWorkspace(m_env->runningRow(1).id));
        QVERIFY(m_win->details()->actionError().isEmpty());
        QVERIFY(m_win->selectWorkspace(row.id));
        QVERIFY(m_win->details()->actionError().contains(QStringLiteral("Stop failed")));
    }

    void readOnlyDisablesEveryMutatingAction()
    {
        SessionOptions o = m_env->options();
        o.readOnly = true;
        QVERIFY(open(o));
        QVERIFY(m_win->selectWorkspace(m_env->runningRow(0).id));
        const QList<QAction *> mutating = m_win->mutatingActions();
        QStringList names;
        for (QAction *a : mutating)
            names << a->objectName();
        for (const QString &n : { QStringLiteral("provision"), QStringLiteral("stop"),
                                  QStringLiteral("stopDelete"), QStringLiteral("reconcile") })
            QVERIFY2(names.contains(n), qPrintable(n));
        for (QAction *a : mutating) {
            QVERIFY2(!a->isEnabled(), qPrintable(a->objectName()));
            QVERIFY2(a->toolTip().contains(QStringLiteral("read-only")), qPrintable(a->toolTip()));
        }
        QVERIFY(!m_win->details()
                     ->findChild<QToolButton *>(QStringLiteral("detailsAction:stop"))
                     ->isEnabled());
        QVERIFY(m_win->readOnlyLabel()->isVisible());
        QVERIFY(m_win->modeBand()->isVisible());
        QVERIFY(m_win->modeBand()->showsReadOnly());
        QVERIFY(m_win->action(QStringLiteral("readOnly"))->isChecked());

        // The keys do nothing either.
        m_win->table()->setFocus();
        QTest::keyClick(m_win->table(), Qt::Key_N, Qt::ControlModifier);
        QTest::keyClick(m_win->table(), Qt::Key_Delete);
        QVERIFY(!m_win->findChild<ProvisionDialog *>());
        QVERIFY(!m_win->stopDialog());

        // Turning writes on asks first; Cancel keeps read-only.
        m_win->action(QStringLiteral("readOnly"))->trigger();
        QMessageBox *box = m_win->writeConfirmation();
        QVERIFY(box);
        QVERIFY(m_win->action(QStringLiteral("readOnly"))->isChecked());
        box->button(QMessageBox::Cancel)->click();
        QTRY_VERIFY(!m_win->writeConfirmation());
        QVERIFY(!m_win->action(QStringLiteral("provision"))->isEnabled());
        m_win->action(QStringLiteral("readOnly"))->trigger();
        box = m_win->writeConfirmation();
        QVERIFY(box);
        box->findChild<QPushButton *>(QStringLiteral("turnWritesOn"))->click();
        QTRY_VERIFY(m_win->action(QStringLiteral("provision"))->isEnabled());
        QVERIFY(m_win->action(QStringLiteral("stop"))->isEnabled());
        QVERIFY(m_win->readOnlyLabel()->isHidden());
        QVERIFY(!m_win->action(QStringLiteral("readOnly"))->isChecked());
        // Back to read-only needs no question.
        QTRY_VERIFY(!m_win->writeConfirmation());
        m_win->action(QStringLiteral("readOnly"))->trigger();
        QVERIFY(!m_win->writeConfirmation());
        QVERIFY(!m_win->action(QStringLiteral("stop"))->isEnabled());
    }

    void droppedConnectionsShowUnknown()
    {
        QVERIFY(open());
        const WorkspaceRow row = m_env->runningRow(0);
        QVERIFY(m_win->selectWorkspace(row.id)); // scrolls: the rows in view are polled
        QTRY_VERIFY_WITH_TIMEOUT(m_win->rowTracker()->targets().size() > 5
                                     && visibleWithInstance().contains(row.id),
                                 5000);
        // The rows in view once the scroll has settled (the tracker is debounced, and may
        // still hold the rows of the position before the scroll).
        QApplication::processEvents();
        m_win->rowTracker()->updateNow();
        const QStringList ids = visibleWithInstance();
        QVERIFY(ids.contains(row.id));
        QTRY_VERIFY_WITH_TIMEOUT(allRunning(ids), 10'000);

        QVERIFY(m_env->sim->setFaults(QStringLiteral("status.drop")));
        const int scroll = m_win->table()->verticalScrollBar()->value();
        QTest::keyClick(m_win->table(), Qt::Key_F5);
        // F5 reloads the list without moving it: the same rows stay in view.
        QCOMPARE(m_win->table()->verticalScrollBar()->value(), scroll);
        QTRY_VERIFY_WITH_TIMEOUT(m_win->model()->liveStatus(row.id).state == RunState::Unknown,
                                 10'000);
        // The CP-unreachable banner takes space above the list, so the bottom rows may have
        // left the view (and are no longer polled): check the rows still in view.
        QApplication::processEvents();
        m_win->rowTracker()->updateNow();
        const QStringList stillInView = visibleWithInstance();
        QVERIFY(stillInView.size() > 5);
        for (const QString &id : ids) {
            const auto *r = m_win->model()->rowById(id);
            if (r->status != QLatin1String("online") || !stillInView.contains(id))
                continue;
            QTRY_VERIFY2_WITH_TIMEOUT(
                m_win->model()->liveStatus(id).state == RunState::Unknown,
                qPrintable(QStringLiteral("%1 (%2): %3 %4 visible=%5 polled=%6")
                               .arg(r->name, r->instanceId,
                                    runStateName(m_win->model()->liveStatus(id).state),
                                    m_win->model()->liveStatus(id).reason)
                               .arg(visibleWithInstance().contains(id))
                               .arg(m_win->session()->poller()->backoffMs(id))),
                10'000);
            const LiveStatus s = m_win->model()->liveStatus(id);
            // Unknown, with why and what was last known — never "not running".
            QCOMPARE(s.reason, QStringLiteral("CP unreachable"));
            QCOMPARE(s.lastKnown, RunState::Running);
            const Badge b = badgeFor(s, true);
            QCOMPARE(b.text, QStringLiteral("unknown"));
            QCOMPARE(b.shape, Badge::Shape::Unknown);
            QVERIFY(b.fill != badgeFor(RunState::Running).fill
                    && b.fill != badgeFor(RunState::NotRunning).fill);
            QVERIFY(liveDetailText(s, true, QDateTime::currentDateTimeUtc())
                        .contains(QStringLiteral("last running")));
            QVERIFY(m_win->model()
                        ->index(m_win->model()->visibleRowOf(id), WorkspaceModel::LiveColumn)
                        .data(WorkspaceModel::RunStateRole)
                        .toInt()
                    == int(RunState::Unknown));
        }
        QVERIFY(m_win->details()->liveText().startsWith(QStringLiteral("unknown")));
        QVERIFY(m_win->details()->liveText().contains(QStringLiteral("Last confirmed running")));
        QTRY_VERIFY(m_win->countsLabel()->text().contains(
            QRegularExpression(QStringLiteral("\\? [1-9]\\d* unknown"))));
        // The history says what happened.
        QTRY_VERIFY_WITH_TIMEOUT(m_win->details()->timeline()->lines().first().contains(
                                     QStringLiteral("running → unknown")),
                                 10'000);
    }

    void cpUnreachableBannerAndRetry()
    {
        QVERIFY(open());
        QTRY_VERIFY_WITH_TIMEOUT(!visibleWithInstance().isEmpty(), 5000);
        QTRY_VERIFY_WITH_TIMEOUT(allRunning(visibleWithInstance()), 10'000);
        QVERIFY(m_win->cpBanner()->isHidden());

        // The CP goes away.
        const quint16 port = m_env->port;
        m_env->sim.reset();
        m_win->refresh();
        QTRY_VERIFY_WITH_TIMEOUT(m_win->cpBanner()->isVisible(), 15'000);
        QVERIFY(m_win->cpBanner()->text().contains(QStringLiteral("Control plane unreachable")));
        QVERIFY(m_win->cpBanner()->retryButton()->isVisible());
        const QString id = visibleWithInstance().first();
        QCOMPARE(m_win->model()->liveStatus(id).state, RunState::Unknown);

        // It comes back; "Retry now" finds it without waiting for the backoff.
        QVERIFY(m_env->startSimulator(port));
        QTest::mouseClick(m_win->cpBanner()->retryButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(m_win->cpBanner()->isHidden(), 10'000);
        QTRY_VERIFY_WITH_TIMEOUT(allRunning(visibleWithInstance()), 10'000);
    }

    void pinnedTransitionNotifies()
    {
        QVERIFY(open());
        QVERIFY(!m_win->notifier()->usesTray());
        const WorkspaceRow row = m_env->runningRow(0);
        QVERIFY(m_win->selectWorkspace(row.id));
        QTRY_VERIFY_WITH_TIMEOUT(m_win->model()->liveStatus(row.id).state == RunState::Running,
                                 10'000);
        m_win->table()->setFocus();
        QTest::keyClick(m_win->table(), Qt::Key_P, Qt::ControlModifier);
        QVERIFY(m_win->model()->isPinned(row.id));
        QVERIFY(m_win->action(QStringLiteral("pin"))->isChecked());
        QVERIFY(m_win->session()->poller()->isPinned(row.id));

        QVERIFY(m_env->sim->setFaults(QStringLiteral("status.5xx")));
        m_win->session()->poller()->pollNow(row.id);
        QTRY_VERIFY_WITH_TIMEOUT(m_win->notifier()->lastMessage().contains(row.name), 10'000);
        QVERIFY(m_win->notifier()->lastMessage().contains(QStringLiteral("running → unknown")));
        QVERIFY(m_win->notifier()->notice()->isVisible());

        // Pins are remembered for the profile.
        m_win->setSession(Session::create(m_env->options(), nullptr));
        QVERIFY(m_win->model()->isPinned(row.id));
    }

    void journalNoticeOnStart()
    {
        const QString ws = QUuid::createUuid().toString(QUuid::WithoutBraces);
        const QString ws2 = QUuid::createUuid().toString(QUuid::WithoutBraces);
        {
            // An earlier run crashed between sending a provision and recording its outcome.
            auto state = StateStore::open(m_env->statePath());
            QVERIFY(state);
            const QJsonObject req { { QStringLiteral("workspace_id"), ws },
                                    { QStringLiteral("runtime"), QStringLiteral("python") },
                                    { QStringLiteral("tier"), 1 },
                                    { QStringLiteral("platform_url"),
                                      QStringLiteral("https://p.example") } };
            QVERIFY(state.value()->journalBegin(ws, QStringLiteral("idem-key-1111"), req));
            QJsonObject req2 = req;
            req2[QStringLiteral("workspace_id")] = ws2;
            QVERIFY(state.value()->journalBegin(ws2, QStringLiteral("idem-key-2222"), req2));
        }
        QVERIFY(open());
        JournalBanner *banner = m_win->journalBanner();
        QVERIFY(banner->isVisible());
        QCOMPARE(banner->entries().size(), 2);
        QCOMPARE(banner->list()->topLevelItemCount(), 2);
        QStringList keys;
        for (int i = 0; i < 2; ++i)
            keys << banner->list()->topLevelItem(i)->text(1);
        QVERIFY(keys.contains(QStringLiteral("idem-key-1111")));
        QVERIFY(m_win->action(QStringLiteral("reconcile"))->isEnabled());

        // Clear the first without asking the CP.
        for (int i = 0; i < 2; ++i)
            banner->list()->topLevelItem(i)->setSelected(banner->list()->topLevelItem(i)->text(0)
                                                         == ws);
        m_win->action(QStringLiteral("clearJournal"))->trigger();
        QTRY_COMPARE(banner->entries().size(), 1);
        QCOMPARE(m_env->sim->requestCount(QStringLiteral("provision")), 0);

        // Reconcile the other: the CP is asked with the same key and the row is recorded.
        m_win->action(QStringLiteral("reconcile"))->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(banner->isHidden(), 10'000);
        const QString iid = m_env->sim->latestInstanceId(ws2);
        QVERIFY(!iid.isEmpty());
        QCOMPARE(m_env->sim->instance(iid)->idempotencyKey, QStringLiteral("idem-key-2222"));
        QCOMPARE(m_env->row(ws2)->instanceId, iid);
        QVERIFY(!m_win->action(QStringLiteral("reconcile"))->isEnabled());
        auto state = StateStore::open(m_env->statePath());
        QVERIFY(state.value()->unresolvedJournal().value().isEmpty());
    }

    void helpListsTheRealActions()
    {
        QVERIFY(open());
        m_win->table()->setFocus();
        QTest::keyClick(m_win->table(), Qt::Key_F1);
        ShortcutsDialog *help = m_win->shortcutsDialog();
        QVERIFY(help);
        const auto rows = help->rows();
        const auto keysFor = [&](const QString &text) {
            for (const auto &r : rows) {
                if (r.first == text)
                    return r.second;
            }
            return QString();
        };
        QVERIFY(keysFor(QStringLiteral("Open console")).contains(QStringLiteral("Ctrl+O")));
        QVERIFY(keysFor(QStringLiteral("Open console")).contains(QStringLiteral("Return")));
        QVERIFY(keysFor(QStringLiteral("Filter")).contains(QStringLiteral("/")));
        QVERIFY(keysFor(QStringLiteral("Filter")).contains(QStringLiteral("Ctrl+F")));
        QVERIFY(keysFor(QStringLiteral("Refresh")).contains(QStringLiteral("F5")));
        QVERIFY(keysFor(QStringLiteral("Stop")).contains(QStringLiteral("Del")));
        QVERIFY(keysFor(QStringLiteral("Keyboard shortcuts")).contains(QStringLiteral("?")));
        // Every action with a key is listed.
        for (QAction *a : m_win->keyboardActions()) {
            if (!a->shortcuts().isEmpty())
                QVERIFY2(!keysFor(a->text().remove(u'&').remove(QChar(0x2026))).isEmpty(),
                         qPrintable(a->text()));
        }
        help->close();
    }

    void demoNeedsNoConfiguration()
    {
        SessionOptions o;
        o.demo = true;
        o.demoWorkspaces = 25;
        o.env = QProcessEnvironment(); // nothing from the shell
        o.profileSettingsFile = m_env->profilesFile();
        QVERIFY(open(o));
        QCOMPARE(m_win->windowTitle(), QStringLiteral("CP Console — DEMO"));
        QVERIFY(m_win->model()->rowCount() > 0 && m_win->model()->rowCount() <= 25);
        QVERIFY(m_win->modeBand()->isVisible());
        QVERIFY(m_win->modeBand()->text().startsWith(QStringLiteral("DEMO")));
        QVERIFY(m_win->setupNotice()->isHidden());
        QVERIFY(m_win->session()->simulator()->baseUrl().host() == QLatin1String("127.0.0.1"));
        QTRY_VERIFY_WITH_TIMEOUT(m_win->model()->liveCounts().value(RunState::Running) > 0, 10'000);
    }

    void missingConfigurationIsExplained()
    {
        SessionOptions o = m_env->options();
        o.env = QProcessEnvironment();
        QVERIFY(open(o));
        QVERIFY(m_win->setupNotice()->isVisible());
        QVERIFY(m_win->findChild<QLabel *>(QStringLiteral("setupText"))
                    ->text()
                    .contains(QStringLiteral("MOLECULE_ORG_ID")));
        // The list still loads from the database; the actions say why they are off.
        QCOMPARE(m_win->model()->rowCount(), expectedRows());
        QVERIFY(!m_win->action(QStringLiteral("provision"))->isEnabled());
        QVERIFY(m_win->action(QStringLiteral("provision"))
                    ->toolTip()
                    .contains(QStringLiteral("not configured")));
    }

    void columnChoiceIsRemembered()
    {
        QVERIFY(open());
        QHeaderView *h = m_win->table()->horizontalHeader();
        QVERIFY(!h->isSectionHidden(WorkspaceModel::RuntimeColumn));
        h->setSectionHidden(WorkspaceModel::RuntimeColumn, true);
        h->setSectionHidden(WorkspaceModel::ProviderColumn, false);
        m_win->close();
        QVERIFY(open());
        m_win->restoreLayout();
        QVERIFY(m_win->table()->horizontalHeader()->isSectionHidden(WorkspaceModel::RuntimeColumn));
        QVERIFY(
            !m_win->table()->horizontalHeader()->isSectionHidden(WorkspaceModel::ProviderColumn));
    }
};

CPC_GUI_TEST_MAIN(tst_MainWindow)

#include "tst_mainwindow.moc"
