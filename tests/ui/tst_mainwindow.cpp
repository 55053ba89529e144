// The main window under the offscreen platform, against the real CP simulator on loopback and a
// real SQLite workspace database: what an engineer who was just paged sees and does with the
// keyboard — filter, select, read the details and the console, stop behind a confirmation,
// read-only mode, unknown statuses, the CP-unreachable banner, pinned notifications, the
// provision journal notice and the keyboard help. One suite over 600 lines: one window, every
// case on the same fixture.
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
#include "windowparts.h"
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
        return QTest::qWaitForWindowExposed(m_win.get()) && win::loaded(*m_win);
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
        for (const auto &t : win::rowTracker(*m_win)->targets()) {
            if (!t.instanceId.isEmpty())
                out << t.workspaceId;
        }
        return out;
    }

    bool allRunning(const QStringList &ids) const
    {
        for (const QString &id : ids) {
            const LiveStatus s = win::model(*m_win)->liveStatus(id);
            const auto row = win::model(*m_win)->rowById(id);
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
        QCOMPARE(win::model(*m_win)->rowCount(), expectedRows());
        QCOMPARE(m_win->windowTitle(),
                 QStringLiteral("CP Console — environment · org org-gui-test"));
        QVERIFY(win::countsLabel(*m_win)->text().contains(
            QStringLiteral("%1 workspaces").arg(expectedRows())));
        // The rows in view get a live status; the counts follow, by word and shape, not colour.
        QTRY_VERIFY_WITH_TIMEOUT(win::countsLabel(*m_win)->text().contains(
                                     QRegularExpression(QStringLiteral("● [1-9]\\d* running"))),
                                 10'000);
        QVERIFY(win::countsLabel(*m_win)->text().contains(QStringLiteral("not running")));
        QVERIFY(win::countsLabel(*m_win)->text().contains(QStringLiteral("? 0 unknown")));
        QVERIFY(win::setupNotice(*m_win)->isHidden());
        QVERIFY(win::cpBanner(*m_win)->isHidden());
        QVERIFY(win::journalBanner(*m_win)->isHidden());
    }

    void filterAsYouType()
    {
        QVERIFY(open());
        const int all = win::model(*m_win)->rowCount();
        win::table(*m_win)->setFocus();
        QTest::keyClick(win::table(*m_win), Qt::Key_Slash);
        QTRY_VERIFY(win::filterEdit(*m_win)->hasFocus());

        const WorkspaceRow pick = m_env->runningRow(2);
        const QString needle = pick.name.left(pick.name.indexOf(u'-') > 0 ? pick.name.indexOf(u'-')
                                                                          : pick.name.size());
        QTest::keyClicks(win::filterEdit(*m_win), needle);
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
        QCOMPARE(win::model(*m_win)->rowCount(), expected);
        QVERIFY(win::model(*m_win)->visibleRowOf(pick.id) >= 0);

        // Nothing matches: an empty list, and the status bar says how many are shown.
        win::filterEdit(*m_win)->selectAll();
        QTest::keyClicks(win::filterEdit(*m_win), QStringLiteral("zz-no-such-workspace"));
        QCOMPARE(win::model(*m_win)->rowCount(), 0);
        QVERIFY(m_win->findChild<QLabel *>(QStringLiteral("shown"))
                    ->text()
                    .startsWith(QStringLiteral("0 of")));

        // Esc clears the filter; Esc again goes back to the list.
        QTest::keyClick(win::filterEdit(*m_win), Qt::Key_Escape);
        QCOMPARE(win::filterEdit(*m_win)->text(), QString());
        QCOMPARE(win::model(*m_win)->rowCount(), all);
        QTest::keyClick(win::filterEdit(*m_win), Qt::Key_Escape);
        QTRY_VERIFY(win::table(*m_win)->hasFocus());

        // Ctrl+F from the list; Enter in the filter hands over to the first row.
        QTest::keyClick(win::table(*m_win), Qt::Key_F, Qt::ControlModifier);
        QTRY_VERIFY(win::filterEdit(*m_win)->hasFocus());
        QTest::keyClicks(win::filterEdit(*m_win), pick.name);
        QTest::keyClick(win::filterEdit(*m_win), Qt::Key_Return);
        QTRY_VERIFY(win::table(*m_win)->hasFocus());
        QVERIFY(!m_win->selectedWorkspaceId().isEmpty());
        QVERIFY(m_win->selectedWorkspaceId() == pick.id || win::model(*m_win)->rowCount() > 1);

        // The status filter narrows to one database status.
        win::filterEdit(*m_win)->clear();
        auto *status = m_win->findChild<QComboBox *>(QStringLiteral("statusFilter"));
        status->setCurrentIndex(status->findData(QStringLiteral("offline")));
        const int offline = int(
            std::count_if(m_env->rows.cbegin(), m_env->rows.cend(), [](const WorkspaceRow &r) {
                return r.status == QLatin1String("offline");
            }));
        QCOMPARE(win::model(*m_win)->rowCount(), offline);
    }

    void selectionDrivesDetails()
    {
        QVERIFY(open());
        // The list has the keys at launch, on its first row: the details show that row.
        QTRY_VERIFY(win::details(*m_win)->hasWorkspace());
        QCOMPARE(win::details(*m_win)->workspaceId(), win::model(*m_win)->rowAt(0)->id);
        const WorkspaceRow row = m_env->runningRow(1);
        QVERIFY(m_win->selectWorkspace(row.id));
        QCOMPARE(win::details(*m_win)->workspaceId(), row.id);
        QCOMPARE(win::details(*m_win)->fieldText(QStringLiteral("Instance ID")), row.instanceId);
        QCOMPARE(win::details(*m_win)->fieldText(QStringLiteral("ID")), row.id);
        QCOMPARE(win::details(*m_win)->fieldText(QStringLiteral("Runtime")), row.runtime);
        QCOMPARE(win::details(*m_win)->fieldText(QStringLiteral("Status (database)")), row.status);

        // The copy button puts the instance ID on the clipboard.
        auto *copy
            = win::details(*m_win)->findChild<QToolButton *>(QStringLiteral("copy:Instance ID"));
        QVERIFY(copy && copy->isEnabled());
        QApplication::clipboard()->clear();
        copy->click();
        QCOMPARE(QApplication::clipboard()->text(), row.instanceId);

        // Live status in words, then the history once the first answer is recorded.
        QTRY_VERIFY_WITH_TIMEOUT(
            win::details(*m_win)->liveText().startsWith(QStringLiteral("running")), 10'000);
        QVERIFY(win::details(*m_win)->liveText().contains(
            QStringLiteral("confirmed by the control plane")));
        QTRY_VERIFY_WITH_TIMEOUT(!win::details(*m_win)->timeline()->lines().isEmpty(), 10'000);
        QVERIFY(
            win::details(*m_win)->timeline()->lines().first().contains(QStringLiteral("running")));

        // ↓ moves the selection and the pane follows.
        win::table(*m_win)->setFocus();
        const int r = win::model(*m_win)->visibleRowOf(row.id);
        QTest::keyClick(win::table(*m_win), Qt::Key_Down);
        const QString next = win::model(*m_win)->rowAt(r + 1)->id;
        QCOMPARE(m_win->selectedWorkspaceId(), next);
        QCOMPARE(win::details(*m_win)->workspaceId(), next);
    }

    void enterOpensConsole()
    {
        QVERIFY(open());
        const WorkspaceRow a = m_env->runningRow(0);
        const WorkspaceRow b = m_env->runningRow(1);
        QVERIFY(m_win->selectWorkspace(a.id));
        win::table(*m_win)->setFocus();
        QTest::keyClick(win::table(*m_win), Qt::Key_Return);
        QCOMPARE(win::consoles(*m_win)->count(), 1);
        ConsoleTab *tab = win::consoles(*m_win)->tab(a.id);
        QVERIFY(tab);
        QTRY_VERIFY_WITH_TIMEOUT(!tab->text().isEmpty(), 10'000);
        QVERIFY(tab->statusText().contains(QStringLiteral("fetched")));

        // Ctrl+O on another workspace: a second tab; the same workspace again reuses its tab.
        QVERIFY(m_win->selectWorkspace(b.id));
        QTest::keyClick(win::table(*m_win), Qt::Key_O, Qt::ControlModifier);
        QCOMPARE(win::consoles(*m_win)->count(), 2);
        QTest::keyClick(win::table(*m_win), Qt::Key_O, Qt::ControlModifier);
        QCOMPARE(win::consoles(*m_win)->count(), 2);
        QTRY_VERIFY_WITH_TIMEOUT(!win::consoles(*m_win)->tab(b.id)->text().isEmpty(), 10'000);

        // Double-click opens too; Ctrl+W closes the current tab.
        QTest::keyClick(m_win.get(), Qt::Key_W, Qt::ControlModifier);
        QCOMPARE(win::consoles(*m_win)->count(), 1);
        QVERIFY(!win::consoles(*m_win)->tab(b.id));
    }

    void consoleErrorIsShown()
    {
        QVERIFY(open());
        QVERIFY(m_env->sim->setFaults(QStringLiteral("console.5xx")));
        const WorkspaceRow a = m_env->runningRow(0);
        QVERIFY(m_win->selectWorkspace(a.id));
        m_win->openConsole();
        ConsoleTab *tab = win::consoles(*m_win)->tab(a.id);
        QTRY_VERIFY_WITH_TIMEOUT(tab->statusText().contains(QStringLiteral("console")), 10'000);
        QVERIFY(tab->statusText().contains(QStringLiteral("5")));
        QVERIFY(tab->text().isEmpty());
    }

    void provisionFromTheWindow()
    {
        QVERIFY(open());
        win::table(*m_win)->setFocus();
        QTest::keyClick(win::table(*m_win), Qt::Key_N, Qt::ControlModifier);
        auto *dlg = m_win->findChild<ProvisionDialog *>();
        QVERIFY(dlg && dlg->isVisible());
        const QString ws = QUuid::createUuid().toString(QUuid::WithoutBraces);
        dlg->setWorkspace(ws, QStringLiteral("incident-scratch"));
        dlg->findChild<QComboBox *>(QStringLiteral("runtime"))
            ->setCurrentText(QStringLiteral("python"));
        dlg->setPlatformUrl(QStringLiteral("https://platform.example.com"));
        dlg->findChild<QPushButton *>(QStringLiteral("provisionButton"))->click();
        // The summary, then Confirm sends.
        dlg->findChild<QPushButton *>(QStringLiteral("confirmButton"))->click();
        QTRY_VERIFY_WITH_TIMEOUT(dlg->resultText().contains(QStringLiteral("Provisioned")), 10'000);
        const QString iid = m_env->sim->latestInstanceId(ws);
        QVERIFY(!iid.isEmpty());
        QVERIFY(dlg->resultText().contains(iid));
        // The new row is in the list, selected, with its instance; the database agrees.
        QTRY_VERIFY(win::model(*m_win)->rowById(ws).has_value());
        QCOMPARE(win::model(*m_win)->rowById(ws)->instanceId, iid);
        QCOMPARE(m_win->selectedWorkspaceId(), ws);
        QCOMPARE(m_env->row(ws)->instanceId, iid);
        QCOMPARE(m_env->row(ws)->status, QStringLiteral("provisioning"));
    }

    void stopNeedsTheExactName()
    {
        QVERIFY(open());
        const WorkspaceRow row = m_env->runningRow(0);
        QVERIFY(m_win->selectWorkspace(row.id));
        win::table(*m_win)->setFocus();
        QTest::keyClick(win::table(*m_win), Qt::Key_S, Qt::ControlModifier | Qt::ShiftModifier);
        StopDialog *dlg = win::stopDialog(*m_win);
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
        QTRY_VERIFY(!win::stopDialog(*m_win));
        m_win->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(m_win.get()));
        QCOMPARE(m_env->sim->requestCount(QStringLiteral("stop")), 0);
        QCOMPARE(win::model(*m_win)->rowById(row.id)->instanceId, row.instanceId);

        // Delete on the list asks too; this time the name is right.
        win::table(*m_win)->setFocus();
        QTest::keyClick(win::table(*m_win), Qt::Key_Delete);
        dlg = win::stopDialog(*m_win);
        QVERIFY(dlg);
        QVERIFY(QTest::qWaitForWindowActive(dlg));
        QTRY_VERIFY(dlg->confirmField()->hasFocus());
        QTest::keyClicks(dlg->confirmField(), row.name);
        QVERIFY(dlg->stopButton()->isEnabled());
        QTest::keyClick(dlg->confirmField(), Qt::Key_Return);
        // "stopping…" until the CP answers...
        QVERIFY(win::model(*m_win)->liveStatus(row.id).busy);
        QCOMPARE(badgeFor(win::model(*m_win)->liveStatus(row.id), true).text,
                 QStringLiteral("stopping…"));
        QVERIFY(!win::action(*m_win, QStringLiteral("stop"))->isEnabled());
        // ...then the row has no instance and the database says offline.
        QTRY_VERIFY_WITH_TIMEOUT(!win::model(*m_win)->liveStatus(row.id).busy, 10'000);
        QCOMPARE(m_env->sim->requestCount(QStringLiteral("stop")), 1);
        QCOMPARE(win::model(*m_win)->rowById(row.id)->instanceId, QString());
        QCOMPARE(m_env->row(row.id)->status, QStringLiteral("offline"));
        const QString state = m_env->sim->instance(row.instanceId)->state;
        QVERIFY2(state == QLatin1String("stopping") || state == QLatin1String("terminated"),
                 qPrintable(state));
        QVERIFY(win::details(*m_win)->actionError().isEmpty());
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
        QTRY_VERIFY_WITH_TIMEOUT(!win::model(*m_win)->liveStatus(row.id).busy, 10'000);
        QVERIFY2(win::details(*m_win)->actionError().contains(QStringLiteral("Stop failed")),
                 qPrintable(win::details(*m_win)->actionError()));
        QVERIFY(win::details(*m_win)->actionError().contains(QStringLiteral("stop failed (5")));
        QCOMPARE(win::model(*m_win)->rowById(row.id)->instanceId, row.instanceId);
        QCOMPARE(m_env->row(row.id)->instanceId, row.instanceId);
        QCOMPARE(m_env->row(row.id)->status, QStringLiteral("online"));
        QVERIFY(win::notifier(*m_win)->lastMessage().contains(QStringLiteral("Stop of")));
        // The error stays with its workspace: away and back, still there.
        QVERIFY(m_win->selectWorkspace(m_env->runningRow(1).id));
        QVERIFY(win::details(*m_win)->actionError().isEmpty());
        QVERIFY(m_win->selectWorkspace(row.id));
        QVERIFY(win::details(*m_win)->actionError().contains(QStringLiteral("Stop failed")));
    }

    void readOnlyDisablesEveryMutatingAction()
    {
        SessionOptions o = m_env->options();
        o.readOnly = true;
        QVERIFY(open(o));
        QVERIFY(m_win->selectWorkspace(m_env->runningRow(0).id));
        const QList<QAction *> mutating = win::mutatingActions(*m_win);
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
        QVERIFY(!win::details(*m_win)
                     ->findChild<QToolButton *>(QStringLiteral("detailsAction:stop"))
                     ->isEnabled());
        QVERIFY(win::readOnlyLabel(*m_win)->isVisible());
        QVERIFY(win::modeBand(*m_win)->isVisible());
        QVERIFY(win::modeBand(*m_win)->showsReadOnly());
        QVERIFY(win::action(*m_win, QStringLiteral("readOnly"))->isChecked());

        // The keys do nothing either.
        win::table(*m_win)->setFocus();
        QTest::keyClick(win::table(*m_win), Qt::Key_N, Qt::ControlModifier);
        QTest::keyClick(win::table(*m_win), Qt::Key_Delete);
        QVERIFY(!m_win->findChild<ProvisionDialog *>());
        QVERIFY(!win::stopDialog(*m_win));

        // Turning writes on asks first; Cancel keeps read-only.
        win::action(*m_win, QStringLiteral("readOnly"))->trigger();
        QMessageBox *box = win::writeConfirmation(*m_win);
        QVERIFY(box);
        QVERIFY(win::action(*m_win, QStringLiteral("readOnly"))->isChecked());
        box->button(QMessageBox::Cancel)->click();
        QTRY_VERIFY(!win::writeConfirmation(*m_win));
        QVERIFY(!win::action(*m_win, QStringLiteral("provision"))->isEnabled());
        win::action(*m_win, QStringLiteral("readOnly"))->trigger();
        box = win::writeConfirmation(*m_win);
        QVERIFY(box);
        box->findChild<QPushButton *>(QStringLiteral("turnWritesOn"))->click();
        QTRY_VERIFY(win::action(*m_win, QStringLiteral("provision"))->isEnabled());
        QVERIFY(win::action(*m_win, QStringLiteral("stop"))->isEnabled());
        QVERIFY(win::readOnlyLabel(*m_win)->isHidden());
        QVERIFY(!win::action(*m_win, QStringLiteral("readOnly"))->isChecked());
        // Back to read-only needs no question.
        QTRY_VERIFY(!win::writeConfirmation(*m_win));
        win::action(*m_win, QStringLiteral("readOnly"))->trigger();
        QVERIFY(!win::writeConfirmation(*m_win));
        QVERIFY(!win::action(*m_win, QStringLiteral("stop"))->isEnabled());
    }

    void droppedConnectionsShowUnknown()
    {
        QVERIFY(open());
        const WorkspaceRow row = m_env->runningRow(0);
        QVERIFY(m_win->selectWorkspace(row.id)); // scrolls: the rows in view are polled
        QTRY_VERIFY_WITH_TIMEOUT(win::rowTracker(*m_win)->targets().size() > 5
                                     && visibleWithInstance().contains(row.id),
                                 5000);
        // The rows in view once the scroll has settled (the tracker is debounced, and may
        // still hold the rows of the position before the scroll).
        QApplication::processEvents();
        win::rowTracker(*m_win)->updateNow();
        const QStringList ids = visibleWithInstance();
        QVERIFY(ids.contains(row.id));
        QTRY_VERIFY_WITH_TIMEOUT(allRunning(ids), 10'000);

        QVERIFY(m_env->sim->setFaults(QStringLiteral("status.drop")));
        const int scroll = win::table(*m_win)->verticalScrollBar()->value();
        QTest::keyClick(win::table(*m_win), Qt::Key_F5);
        // F5 reloads the list without moving it: the same rows stay in view.
        QCOMPARE(win::table(*m_win)->verticalScrollBar()->value(), scroll);
        QTRY_VERIFY_WITH_TIMEOUT(win::model(*m_win)->liveStatus(row.id).state == RunState::Unknown,
                                 10'000);
        // The CP-unreachable banner takes space above the list, so the bottom rows may have
        // left the view (and are no longer polled): check the rows still in view.
        QApplication::processEvents();
        win::rowTracker(*m_win)->updateNow();
        const QStringList stillInView = visibleWithInstance();
        QVERIFY(stillInView.size() > 5);
        for (const QString &id : ids) {
            const auto r = win::model(*m_win)->rowById(id);
            if (r->status != QLatin1String("online") || !stillInView.contains(id))
                continue;
            QTRY_VERIFY2_WITH_TIMEOUT(
                win::model(*m_win)->liveStatus(id).state == RunState::Unknown,
                qPrintable(QStringLiteral("%1 (%2): %3 %4 visible=%5 polled=%6")
                               .arg(r->name, r->instanceId,
                                    runStateName(win::model(*m_win)->liveStatus(id).state),
                                    win::model(*m_win)->liveStatus(id).reason)
                               .arg(visibleWithInstance().contains(id))
                               .arg(m_win->session()->poller()->backoffMs(id))),
                10'000);
            const LiveStatus s = win::model(*m_win)->liveStatus(id);
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
            QVERIFY(win::model(*m_win)
                        ->index(win::model(*m_win)->visibleRowOf(id), WorkspaceModel::LiveColumn)
                        .data(WorkspaceModel::RunStateRole)
                        .toInt()
                    == int(RunState::Unknown));
        }
        QVERIFY(win::details(*m_win)->liveText().startsWith(QStringLiteral("unknown")));
        QVERIFY(
            win::details(*m_win)->liveText().contains(QStringLiteral("Last confirmed running")));
        QTRY_VERIFY(win::countsLabel(*m_win)->text().contains(
            QRegularExpression(QStringLiteral("\\? [1-9]\\d* unknown"))));
        // The history says what happened.
        QTRY_VERIFY_WITH_TIMEOUT(win::details(*m_win)->timeline()->lines().first().contains(
                                     QStringLiteral("running → unknown")),
                                 10'000);
    }

    void cpUnreachableBannerAndRetry()
    {
        QVERIFY(open());
        QTRY_VERIFY_WITH_TIMEOUT(!visibleWithInstance().isEmpty(), 5000);
        QTRY_VERIFY_WITH_TIMEOUT(allRunning(visibleWithInstance()), 10'000);
        QVERIFY(win::cpBanner(*m_win)->isHidden());

        // The CP goes away.
        const quint16 port = m_env->port;
        m_env->sim.reset();
        m_win->refresh();
        QTRY_VERIFY_WITH_TIMEOUT(win::cpBanner(*m_win)->isVisible(), 15'000);
        QVERIFY(
            win::cpBanner(*m_win)->text().contains(QStringLiteral("Control plane unreachable")));
        QVERIFY(win::cpBanner(*m_win)->retryButton()->isVisible());
        const QString id = visibleWithInstance().first();
        QCOMPARE(win::model(*m_win)->liveStatus(id).state, RunState::Unknown);

        // It comes back; "Retry now" finds it without waiting for the backoff.
        QVERIFY(m_env->startSimulator(port));
        QTest::mouseClick(win::cpBanner(*m_win)->retryButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(win::cpBanner(*m_win)->isHidden(), 10'000);
        QTRY_VERIFY_WITH_TIMEOUT(allRunning(visibleWithInstance()), 10'000);
    }

    void pinnedTransitionNotifies()
    {
        QVERIFY(open());
        QVERIFY(!win::notifier(*m_win)->usesTray());
        const WorkspaceRow row = m_env->runningRow(0);
        QVERIFY(m_win->selectWorkspace(row.id));
        QTRY_VERIFY_WITH_TIMEOUT(win::model(*m_win)->liveStatus(row.id).state == RunState::Running,
                                 10'000);
        win::table(*m_win)->setFocus();
        QTest::keyClick(win::table(*m_win), Qt::Key_P, Qt::ControlModifier);
        QVERIFY(win::model(*m_win)->isPinned(row.id));
        QVERIFY(win::action(*m_win, QStringLiteral("pin"))->isChecked());
        QVERIFY(m_win->session()->poller()->isPinned(row.id));

        QVERIFY(m_env->sim->setFaults(QStringLiteral("status.5xx")));
        m_win->session()->poller()->pollNow(row.id);
        QTRY_VERIFY_WITH_TIMEOUT(win::notifier(*m_win)->lastMessage().contains(row.name), 10'000);
        QVERIFY(win::notifier(*m_win)->lastMessage().contains(QStringLiteral("running → unknown")));
        QVERIFY(win::notifier(*m_win)->notice()->isVisible());

        // Pins are remembered for the profile.
        m_win->setSession(Session::create(m_env->options(), nullptr));
        QVERIFY(win::loaded(*m_win)); // the list loads off the GUI thread
        QVERIFY(win::model(*m_win)->isPinned(row.id));
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
        JournalBanner *banner = win::journalBanner(*m_win);
        QVERIFY(banner->isVisible());
        QCOMPARE(banner->entries().size(), 2);
        QCOMPARE(banner->list()->topLevelItemCount(), 2);
        QStringList keys;
        for (int i = 0; i < 2; ++i)
            keys << banner->list()->topLevelItem(i)->text(1);
        QVERIFY(keys.contains(QStringLiteral("idem-key-1111")));
        QVERIFY(win::action(*m_win, QStringLiteral("reconcile"))->isEnabled());

        // Clear the first without asking the CP.
        for (int i = 0; i < 2; ++i)
            banner->list()->topLevelItem(i)->setSelected(banner->list()->topLevelItem(i)->toolTip(0)
                                                         == ws); // the ID; the name is shown
        win::action(*m_win, QStringLiteral("clearJournal"))->trigger();
        QTRY_COMPARE(banner->entries().size(), 1);
        QCOMPARE(m_env->sim->requestCount(QStringLiteral("provision")), 0);

        // Reconcile the other: the CP is asked with the same key and the row is recorded.
        win::action(*m_win, QStringLiteral("reconcile"))->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(banner->isHidden(), 10'000);
        const QString iid = m_env->sim->latestInstanceId(ws2);
        QVERIFY(!iid.isEmpty());
        QCOMPARE(m_env->sim->instance(iid)->idempotencyKey, QStringLiteral("idem-key-2222"));
        QCOMPARE(m_env->row(ws2)->instanceId, iid);
        QVERIFY(!win::action(*m_win, QStringLiteral("reconcile"))->isEnabled());
        auto state = StateStore::open(m_env->statePath());
        QVERIFY(state.value()->unresolvedJournal().value().isEmpty());
    }

    void helpListsTheRealActions()
    {
        QVERIFY(open());
        win::table(*m_win)->setFocus();
        QTest::keyClick(win::table(*m_win), Qt::Key_F1);
        ShortcutsDialog *help = win::shortcutsDialog(*m_win);
        QVERIFY(help);
        const auto rows = help->rows();
        // An action can be listed in several places (Enter opens the console in the list).
        const auto keysFor = [&](const QString &text) {
            QStringList keys;
            for (const auto &r : rows) {
                if (r.first == text)
                    keys << r.second;
            }
            return keys.join(QStringLiteral(", "));
        };
        QVERIFY(keysFor(QStringLiteral("Open console")).contains(QStringLiteral("Ctrl+O")));
        QVERIFY(keysFor(QStringLiteral("Open console")).contains(QStringLiteral("Return")));
        QVERIFY(keysFor(QStringLiteral("Filter")).contains(QStringLiteral("/")));
        QVERIFY(keysFor(QStringLiteral("Filter")).contains(QStringLiteral("Ctrl+F")));
        QVERIFY(keysFor(QStringLiteral("Refresh")).contains(QStringLiteral("F5")));
        QVERIFY(keysFor(QStringLiteral("Stop")).contains(QStringLiteral("Del")));
        QVERIFY(keysFor(QStringLiteral("Keyboard shortcuts")).contains(QStringLiteral("?")));
        // Every action with a key is listed. The nameless ones carry the console's keys (F3,
        // Ctrl+J) to it from anywhere: listed with the console's keys.
        QVERIFY(keysFor(QStringLiteral("Next match")).contains(QStringLiteral("F3")));
        for (QAction *a : win::keyboardActions(*m_win)) {
            if (!a->shortcuts().isEmpty() && !a->text().isEmpty())
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
        QVERIFY(win::model(*m_win)->rowCount() > 0 && win::model(*m_win)->rowCount() <= 25);
        QVERIFY(win::modeBand(*m_win)->isVisible());
        QVERIFY(win::modeBand(*m_win)->text().startsWith(QStringLiteral("DEMO")));
        QVERIFY(win::setupNotice(*m_win)->isHidden());
        QVERIFY(m_win->session()->simulator()->baseUrl().host() == QLatin1String("127.0.0.1"));
        QTRY_VERIFY_WITH_TIMEOUT(win::model(*m_win)->liveCounts().value(RunState::Running) > 0,
                                 10'000);
    }

    void missingConfigurationIsExplained()
    {
        SessionOptions o = m_env->options();
        o.env = QProcessEnvironment();
        QVERIFY(open(o));
        QVERIFY(win::setupNotice(*m_win)->isVisible());
        QVERIFY(m_win->findChild<QLabel *>(QStringLiteral("setupText"))
                    ->text()
                    .contains(QStringLiteral("MOLECULE_ORG_ID")));
        // The list still loads from the database; the actions say why they are off.
        QCOMPARE(win::model(*m_win)->rowCount(), expectedRows());
        QVERIFY(!win::action(*m_win, QStringLiteral("provision"))->isEnabled());
        QVERIFY(win::action(*m_win, QStringLiteral("provision"))
                    ->toolTip()
                    .contains(QStringLiteral("not configured")));
    }

    void columnChoiceIsRemembered()
    {
        QVERIFY(open());
        QHeaderView *h = win::table(*m_win)->horizontalHeader();
        QVERIFY(!h->isSectionHidden(WorkspaceModel::RuntimeColumn));
        h->setSectionHidden(WorkspaceModel::RuntimeColumn, true);
        h->setSectionHidden(WorkspaceModel::ProviderColumn, false);
        m_win->close();
        QVERIFY(open());
        m_win->restoreLayout();
        QVERIFY(
            win::table(*m_win)->horizontalHeader()->isSectionHidden(WorkspaceModel::RuntimeColumn));
        QVERIFY(!win::table(*m_win)->horizontalHeader()->isSectionHidden(
            WorkspaceModel::ProviderColumn));
    }
};

CPC_GUI_TEST_MAIN(tst_MainWindow)

#include "tst_mainwindow.moc"
