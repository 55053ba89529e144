// The instance ledger where the engineer is looking: the main window (offscreen) against the CP
// simulator and a SQLite workspace file that another writer changes while an action is out.
// A stop that returns after a newer provision was recorded warns in the status bar and keeps
// the newer instance; a provision whose row moved on says so in the dialog and the status bar.
#include "appinfo.h"
#include "detailspane.h"
#include "guitestmain.h"
#include "guitestsupport.h"
#include "journalbanner.h"
#include "mainwindow.h"
#include "notifier.h"
#include "provisiondialog.h"
#include "stopdialog.h"
#include "windowparts.h"
#include "workspacemodel.h"

#include <QApplication>
#include <QComboBox>
#include <QLineEdit>
#include <QPushButton>
#include <QStatusBar>
#include <QUuid>
#include <QtTest>

using namespace cpc;
using namespace cpc::ui;
using namespace cpc::test;

class tst_LedgerWindow : public QObject
{
    Q_OBJECT

    std::unique_ptr<SimEnvironment> m_env;
    std::unique_ptr<MainWindow> m_win;

    bool open()
    {
        const SessionOptions o = m_env->options();
        m_win = std::make_unique<MainWindow>(nullptr, o, MainWindow::NotifyMode::InWindow);
        m_win->setSession(Session::create(o, nullptr));
        m_win->show();
        m_win->activateWindow();
        return QTest::qWaitForWindowExposed(m_win.get()) && win::loaded(*m_win);
    }
    /// Another writer (the platform, a second console) records an instance on the row.
    bool recordBehindTheWindow(const QString &ws, const QString &instanceId,
                               const QString &expected)
    {
        auto other = WorkspaceSource::open(m_env->dbUrl());
        if (!other)
            return false;
        const auto w = other.value()->recordProvisioned(ws, instanceId,
                                                        QStringLiteral("provisioning"), expected);
        return w && w->written;
    }

private Q_SLOTS:
    void init()
    {
        m_env = std::make_unique<SimEnvironment>();
        QVERIFY(m_env->start(20));
    }
    void cleanup()
    {
        m_win.reset();
        m_env.reset();
    }

    void stopThatReturnsAfterANewerProvisionWarns()
    {
        QVERIFY(open());
        const WorkspaceRow row = m_env->runningRow(0);
        const QString newer = QStringLiteral("i-0newer0window");
        QVERIFY(m_env->sim->setFaults(QStringLiteral("stop.latency=1500")));
        QVERIFY(m_win->selectWorkspace(row.id));
        StopDialog *dlg = m_win->requestStop();
        QVERIFY(dlg);
        QTest::keyClicks(dlg->confirmField(), row.name);
        dlg->stopButton()->click();
        QVERIFY(win::model(*m_win)->liveStatus(row.id).busy);
        QTRY_VERIFY_WITH_TIMEOUT(
            m_env->sim->instance(row.instanceId)->state == QLatin1String("stopping"), 10'000);
        QVERIFY(recordBehindTheWindow(row.id, newer, row.instanceId));
        QTRY_VERIFY_WITH_TIMEOUT(!win::model(*m_win)->liveStatus(row.id).busy, 10'000);

        // The newer instance stays on file and on screen; the status bar names both.
        QCOMPARE(m_env->row(row.id)->instanceId, newer);
        QTRY_COMPARE(win::model(*m_win)->rowById(row.id)->instanceId, newer);
        const QString message = m_win->statusBar()->currentMessage();
        QVERIFY2(message.startsWith(QStringLiteral("⚠ ")) && message.contains(row.instanceId)
                     && message.contains(newer) && message.contains(QStringLiteral("moved on")),
                 qPrintable(message));
        QVERIFY2(win::notifier(*m_win)->lastMessage().contains(newer),
                 qPrintable(win::notifier(*m_win)->lastMessage()));
        QVERIFY(win::details(*m_win)->actionError().isEmpty()); // the stop itself succeeded
    }

    void plainStopSaysSoWithoutAWarning()
    {
        // Positive control for the warning above: the same path without a second writer.
        QVERIFY(open());
        const WorkspaceRow row = m_env->runningRow(1);
        QVERIFY(m_win->selectWorkspace(row.id));
        StopDialog *dlg = m_win->requestStop();
        QVERIFY(dlg);
        QTest::keyClicks(dlg->confirmField(), row.name);
        dlg->stopButton()->click();
        QTRY_VERIFY_WITH_TIMEOUT(!win::model(*m_win)->liveStatus(row.id).busy, 10'000);
        const QString message = m_win->statusBar()->currentMessage();
        QVERIFY2(message.endsWith(QStringLiteral("instance %1 stopped").arg(row.instanceId))
                     && !message.contains(QStringLiteral("⚠")),
                 qPrintable(message));
        QVERIFY(m_env->row(row.id)->instanceId.isEmpty());
    }

    void provisionWhoseRowMovedOnSaysSoInTheStatusBar()
    {
        QVERIFY(open());
        QVERIFY(m_env->sim->setFaults(QStringLiteral("provision.latency=1500")));
        const QString ws = QUuid::createUuid().toString(QUuid::WithoutBraces);
        ProvisionDialog *dlg = m_win->openProvisionDialog();
        QVERIFY(dlg);
        dlg->setWorkspace(ws, QStringLiteral("moved-on"));
        dlg->setRuntime(QStringLiteral("python"));
        dlg->setPlatformUrl(QStringLiteral("https://platform.example.com"));
        dlg->findChild<QPushButton *>(QStringLiteral("provisionButton"))->click();
        // The summary, then Confirm sends.
        dlg->findChild<QPushButton *>(QStringLiteral("confirmButton"))->click();
        QTRY_VERIFY_WITH_TIMEOUT(!m_env->sim->latestInstanceId(ws).isEmpty(), 10'000);
        const QString created = m_env->sim->latestInstanceId(ws);
        QVERIFY(recordBehindTheWindow(ws, QStringLiteral("i-0elsewhere"), QString()));
        QTRY_VERIFY_WITH_TIMEOUT(!dlg->isRunning(), 10'000);

        QCOMPARE(m_env->row(ws)->instanceId, QStringLiteral("i-0elsewhere"));
        const QString message = m_win->statusBar()->currentMessage();
        QVERIFY2(message.contains(created) && message.contains(QStringLiteral("i-0elsewhere"))
                     && message.contains(QStringLiteral("moved on")),
                 qPrintable(message));
        QVERIFY(dlg->errorText().contains(QStringLiteral("i-0elsewhere")));
        // The journal notice offers it for a decision.
        QTRY_VERIFY(win::journalBanner(*m_win)->isVisible());
    }
};

CPC_GUI_TEST_MAIN(tst_LedgerWindow)

#include "tst_ledgerwindow.moc"
