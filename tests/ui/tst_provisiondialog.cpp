// The provision dialog against the real CP simulator over loopback: nothing is sent until every
// field is valid (with the reason beside the field), environment values are masked, what is sent
// arrives (the simulator's instance, the database row, the audit log without values), progress
// with elapsed time and Cancel while it runs, and the result or the error stays in the dialog.
#include "appinfo.h"
#include "cpclient.h"
#include "guitestmain.h"
#include "guitestsupport.h"
#include "maskeddelegate.h"
#include "provisiondialog.h"
#include "replacechoice.h"
#include "statestore.h"
#include "testutil.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableWidget>
#include <QUuid>
#include <QtTest>

using namespace cpc;
using namespace cpc::ui;
using namespace cpc::test;

class tst_ProvisionDialog : public QObject
{
    Q_OBJECT

    std::unique_ptr<SimEnvironment> m_env;
    std::unique_ptr<Session> m_session;
    std::unique_ptr<ProvisionDialog> m_dlg;

    QLineEdit *edit(const char *name) const
    {
        return m_dlg->findChild<QLineEdit *>(QLatin1String(name));
    }
    QComboBox *runtime() const { return m_dlg->findChild<QComboBox *>(QStringLiteral("runtime")); }
    QTableWidget *env() const { return m_dlg->findChild<QTableWidget *>(QStringLiteral("env")); }
    QPushButton *button(const char *name) const
    {
        return m_dlg->findChild<QPushButton *>(QLatin1String(name));
    }

    void fillValid(const QString &ws)
    {
        m_dlg->setWorkspace(ws, QStringLiteral("scratch"));
        runtime()->setCurrentText(QStringLiteral("python"));
        m_dlg->setPlatformUrl(QStringLiteral("https://platform.example.com"));
    }
    void setEnvRow(int row, const QString &key, const QString &value)
    {
        while (env()->rowCount() <= row)
            env()->insertRow(env()->rowCount());
        env()->setItem(row, 0, new QTableWidgetItem(key));
        env()->setItem(row, 1, new QTableWidgetItem(value));
    }
    static QString newId() { return QUuid::createUuid().toString(QUuid::WithoutBraces); }
    /// Provision… shows the summary; Confirm sends.
    void provisionAndConfirm()
    {
        button("provisionButton")->click();
        QVERIFY2(!m_dlg->summaryText().isEmpty(), qPrintable(m_dlg->fieldError("workspaceId")));
        QVERIFY(!m_dlg->isRunning());
        button("confirmButton")->click();
    }

    /// After a refused click: a valid request made now reaches the simulator, so one sent by the
    /// refused click would have arrived before it. Only the valid one did.
    void onlyTheValidRequestArrives()
    {
        const QString ws = newId();
        fillValid(ws);
        env()->setRowCount(0);
        provisionAndConfirm();
        QTRY_VERIFY_WITH_TIMEOUT(!m_env->sim->latestInstanceId(ws).isEmpty() && !m_dlg->isRunning(),
                                 10'000);
        QCOMPARE(m_env->sim->requestCount(QStringLiteral("provision")), 1);
        QVERIFY(m_dlg->resultText().contains(QStringLiteral("Provisioned")));
    }

private Q_SLOTS:
    void init()
    {
        m_env = std::make_unique<SimEnvironment>();
        QVERIFY(m_env->start(20));
        m_session = Session::create(m_env->options(), nullptr);
        QVERIFY(m_session->operations() && m_session->client());
        m_session->client()->setRetryPolicy(RetryPolicy::immediate(2));
        m_dlg = std::make_unique<ProvisionDialog>(m_session->operations());
        m_dlg->setRuntimeSuggestions({ QStringLiteral("python"), QStringLiteral("node") });
        m_dlg->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_dlg.get()));
    }

    void cleanup()
    {
        m_dlg.reset();
        m_session.reset();
        m_env.reset();
    }

    void badWorkspaceIdIsRefused_data()
    {
        QTest::addColumn<QString>("id");
        QTest::newRow("empty") << "";
        QTest::newRow("traversal") << "../admin";
        QTest::newRow("slash") << "ws/1";
        QTest::newRow("space") << "my workspace";
        QTest::newRow("query") << "ws?x=1";
    }

    void badWorkspaceIdIsRefused()
    {
        QFETCH(QString, id);
        // The cursor moves to the refused field: the dialog must be the active window for that.
        QApplication::setActiveWindow(m_dlg.get());
        QVERIFY(QTest::qWaitForWindowActive(m_dlg.get()));
        fillValid(newId());
        edit("workspaceId")->setText(id);
        edit("platformUrl")->setFocus();
        QVERIFY(edit("platformUrl")->hasFocus());
        button("provisionButton")->click();
        QVERIFY2(!m_dlg->fieldError(QStringLiteral("workspaceId")).isEmpty(), qPrintable(id));
        QVERIFY(m_dlg->findChild<QLabel *>(QStringLiteral("error:workspaceId"))->isVisible());
        QVERIFY(!m_dlg->isRunning());
        QVERIFY(m_dlg->resultText().isEmpty());
        QVERIFY(edit("workspaceId")->hasFocus());
        onlyTheValidRequestArrives();
    }

    void otherFieldsAreChecked_data()
    {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("runtimeText");
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("envKey");
        QTest::newRow("empty runtime") << "runtime"
                                       << "  "
                                       << "https://p.example.com"
                                       << "";
        QTest::newRow("no platform URL") << "platformUrl"
                                         << "python"
                                         << ""
                                         << "";
        QTest::newRow("not a URL") << "platformUrl"
                                   << "python"
                                   << "platform"
                                   << "";
        QTest::newRow("ftp URL") << "platformUrl"
                                 << "python"
                                 << "ftp://p.example.com"
                                 << "";
        QTest::newRow("URL with password") << "platformUrl"
                                           << "python"
                                           << "https://u:pw@p.example.com"
                                           << "";
        QTest::newRow("key with a dash") << "env"
                                         << "python"
                                         << "https://p.example.com"
                                         << "LOG-LEVEL";
        QTest::newRow("key starts with a digit") << "env"
                                                 << "python"
                                                 << "https://p.example.com"
                                                 << "1KEY";
        QTest::newRow("value without a key") << "env"
                                             << "python"
                                             << "https://p.example.com"
                                             << " ";
    }

    void otherFieldsAreChecked()
    {
        QFETCH(QString, field);
        QFETCH(QString, runtimeText);
        QFETCH(QString, url);
        QFETCH(QString, envKey);
        fillValid(newId());
        runtime()->setCurrentText(runtimeText);
        m_dlg->setPlatformUrl(url);
        if (!envKey.isEmpty())
            setEnvRow(0, envKey, QStringLiteral("value"));
        button("provisionButton")->click();
        QVERIFY2(!m_dlg->fieldError(field).isEmpty(), qPrintable(field));
        // Only the broken field complains.
        for (const QString &f : { QStringLiteral("workspaceId"), QStringLiteral("runtime"),
                                  QStringLiteral("platformUrl"), QStringLiteral("env") }) {
            if (f != field)
                QVERIFY2(m_dlg->fieldError(f).isEmpty(),
                         qPrintable(f + QStringLiteral(": ") + m_dlg->fieldError(f)));
        }
        QVERIFY(!m_dlg->isRunning());
        onlyTheValidRequestArrives();
    }

    void duplicateKeysAreRefused()
    {
        fillValid(newId());
        setEnvRow(0, QStringLiteral("A"), QStringLiteral("1"));
        setEnvRow(1, QStringLiteral("A"), QStringLiteral("2"));
        QVERIFY(!m_dlg->validate());
        QVERIFY(m_dlg->fieldError(QStringLiteral("env")).contains(QStringLiteral("twice")));
        // Fixing it clears the message.
        setEnvRow(1, QStringLiteral("B"), QStringLiteral("2"));
        QVERIFY(m_dlg->validate());
        QVERIFY(m_dlg->fieldError(QStringLiteral("env")).isEmpty());
    }

    void valuesAreMaskedUnlessShown()
    {
        setEnvRow(0, QStringLiteral("API_TOKEN"), QStringLiteral("tok-very-secret"));
        auto *delegate = dynamic_cast<MaskedDelegate *>(env()->itemDelegateForColumn(1));
        QVERIFY(delegate);
        QVERIFY(delegate->isMasked());
        QVERIFY(!MaskedDelegate::maskedText(QStringLiteral("tok-very-secret"))
                     .contains(QStringLiteral("tok")));
        // The editor hides the value too.
        env()->setCurrentCell(0, 1);
        env()->editItem(env()->item(0, 1));
        auto *editor = env()->viewport()->findChild<QLineEdit *>();
        QVERIFY(editor);
        QCOMPARE(editor->echoMode(), QLineEdit::Password);
        env()->closePersistentEditor(env()->item(0, 1));
        // "Show values" reveals them.
        m_dlg->findChild<QCheckBox *>(QStringLiteral("showValues"))->click();
        QVERIFY(!delegate->isMasked());
    }

    void sendsTheRequestAndShowsTheInstance()
    {
        const QString ws = newId();
        fillValid(ws);
        m_dlg->findChild<QSpinBox *>(QStringLiteral("tier"))->setValue(3);
        m_dlg->findChild<QComboBox *>(QStringLiteral("provider"))
            ->setCurrentText(QStringLiteral("aws"));
        edit("instanceType")->setText(QStringLiteral("t3.large"));
        m_dlg->findChild<QSpinBox *>(QStringLiteral("diskGb"))->setValue(50);
        setEnvRow(0, QStringLiteral("LOG_LEVEL"), QStringLiteral("debug"));
        setEnvRow(1, QStringLiteral("API_TOKEN"), QStringLiteral("tok-very-secret"));
        QSignalSpy finished(m_dlg.get(), &ProvisionDialog::finished);
        provisionAndConfirm();
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10'000);
        QCOMPARE(finished.at(0).at(1).toBool(), true);
        const QString iid = m_env->sim->latestInstanceId(ws);
        QVERIFY(!iid.isEmpty());
        QCOMPARE(finished.at(0).at(2).toString(), iid);
        // The dialog shows the instance; the simulator has it; the database row names it.
        QVERIFY(m_dlg->resultText().contains(QStringLiteral("Provisioned")));
        QVERIFY(m_dlg->resultText().contains(iid));
        QVERIFY(m_dlg->isVisible());
        const auto inst = m_env->sim->instance(iid);
        QVERIFY(inst);
        QCOMPARE(inst->workspaceId, ws);
        QCOMPARE(inst->runtime, QStringLiteral("python"));
        QVERIFY(inst->state == QLatin1String("pending") || inst->state == QLatin1String("running"));
        const auto row = m_env->row(ws);
        QVERIFY(row);
        QCOMPARE(row->instanceId, iid);
        QCOMPARE(row->status, QStringLiteral("provisioning"));
        QCOMPARE(row->name, QStringLiteral("scratch"));
        // The audit log has the request with env keys, never a value.
        const auto audit = m_session->state()->audit(ws);
        QVERIFY(audit && !audit->isEmpty());
        const QString logged = QString::fromUtf8(QJsonDocument(audit->first().request).toJson());
        QVERIFY(logged.contains(QStringLiteral("API_TOKEN")));
        QVERIFY(!logged.contains(QStringLiteral("tok-very-secret")));
        QCOMPARE(audit->first().result, QStringLiteral("ok"));
    }

    void progressAndCancel()
    {
        QVERIFY(m_env->sim->setFaults(QStringLiteral("provision.latency=4000")));
        const QString ws = newId();
        fillValid(ws);
        provisionAndConfirm();
        QVERIFY(m_dlg->isRunning());
        QVERIFY(m_dlg->elapsedText().startsWith(QStringLiteral("Provisioning… 0:0")));
        QVERIFY(button("cancelRequest")->isVisible());
        QVERIFY(!button("provisionButton")->isEnabled());
        QVERIFY(!edit("workspaceId")->isEnabled());
        // The clock moves on while the CP takes its time (a busy machine may skip a second).
        QTRY_VERIFY(m_dlg->elapsedText().contains(
            QRegularExpression(QStringLiteral("^Provisioning… 0:0[1-3]"))));
        button("cancelRequest")->click();
        QTRY_VERIFY_WITH_TIMEOUT(!m_dlg->isRunning(), 5000);
        QVERIFY(m_dlg->resultText().contains(QStringLiteral("Cancelled")));
        QVERIFY(m_dlg->resultText().contains(QStringLiteral("unknown")));
        QVERIFY(!button("cancelRequest")->isVisible());
        // The journal keeps the outcome as unknown, for Reconcile.
        const auto j = m_session->state()->journal();
        QVERIFY(j && !j->isEmpty());
        QCOMPARE(j->first().workspaceId, ws);
        QCOMPARE(j->first().outcome, JournalEntry::Outcome::Unknown);
    }

    void closingWhileRunningCancelsFirst()
    {
        QVERIFY(m_env->sim->setFaults(QStringLiteral("provision.latency=4000")));
        fillValid(newId());
        provisionAndConfirm();
        QVERIFY(m_dlg->isRunning());
        // The provision itself is out (the check of the instance on file came first).
        QTRY_COMPARE(m_env->sim->requestCount(QStringLiteral("provision")), 1);
        m_dlg->reject();
        // Closed only once the request is cancelled and its outcome recorded as unknown.
        QTRY_VERIFY_WITH_TIMEOUT(!m_dlg->isVisible(), 5000);
        QVERIFY(!m_dlg->isRunning());
        QVERIFY(m_dlg->resultText().contains(QStringLiteral("Cancelled")));
        const auto j = m_session->state()->journal();
        QVERIFY(j && !j->isEmpty());
        QCOMPARE(j->first().outcome, JournalEntry::Outcome::Unknown);
    }

    void outcomeIsRecordedWhenTheCallerIsGone()
    {
        // The window that asked goes away mid-request (closed, profile switched): the CP still
        // answers, and what it did must be on file — journal, audit, the row — or the engineer
        // would see no instance for a workspace the CP is running.
        QVERIFY(m_env->sim->setFaults(QStringLiteral("provision.latency=800")));
        const QString ws = newId();
        ProvisionRequest req;
        req.workspaceId = ws;
        req.runtime = QStringLiteral("python");
        req.tier = 2;
        req.platformUrl = QStringLiteral("https://platform.example.com");
        WorkspaceRow newRow;
        newRow.id = ws;
        newRow.name = QStringLiteral("gone-caller");
        auto caller = std::make_unique<QObject>();
        bool called = false;
        m_session->operations()->provision(
            req, newRow, caller.get(),
            [&called](const Result<ProvisionOutcome> &) { called = true; });
        caller.reset();
        QTRY_VERIFY_WITH_TIMEOUT(!m_env->sim->latestInstanceId(ws).isEmpty(), 5000);
        const QString iid = m_env->sim->latestInstanceId(ws);
        QTRY_VERIFY_WITH_TIMEOUT(m_env->row(ws) && m_env->row(ws)->instanceId == iid, 5000);
        QCOMPARE(m_env->row(ws)->status, QStringLiteral("provisioning"));
        const auto j = m_session->state()->journal();
        QVERIFY(j);
        const auto entry = std::find_if(j->cbegin(), j->cend(),
                                        [&](const JournalEntry &e) { return e.workspaceId == ws; });
        QVERIFY(entry != j->cend());
        QCOMPARE(entry->outcome, JournalEntry::Outcome::Succeeded);
        auto audit = m_session->state()->audit(ws);
        QVERIFY(audit && !audit->isEmpty());
        QCOMPARE(audit->first().action, QStringLiteral("provision"));
        QCOMPARE(audit->first().result, QStringLiteral("ok"));
        QVERIFY(!called); // the caller's callback is not run on a dead object

        // The same for a stop whose window closed.
        QVERIFY(m_env->sim->setFaults(QStringLiteral("stop.latency=800")));
        caller = std::make_unique<QObject>();
        m_session->operations()->stop(ws, caller.get(),
                                      [&called](const Result<StopOutcome> &) { called = true; });
        caller.reset();
        QTRY_VERIFY_WITH_TIMEOUT(m_env->row(ws) && m_env->row(ws)->instanceId.isEmpty(), 5000);
        QCOMPARE(m_env->row(ws)->status, QStringLiteral("offline"));
        audit = m_session->state()->audit(ws);
        QVERIFY(audit && !audit->isEmpty());
        QCOMPARE(audit->first().action, QStringLiteral("stop"));
        QCOMPARE(audit->first().result, QStringLiteral("ok"));
        QVERIFY(!called);
    }

    void runningInstanceIsReplacedOnlyWhenChosen()
    {
        // The workspace already runs an instance: nothing is sent until the engineer ticks the
        // choice that names it.
        const WorkspaceRow running = m_env->runningRow(0);
        fillValid(running.id);
        ReplaceChoice *choice = m_dlg->replaceChoice();
        QVERIFY(choice->isHidden());
        provisionAndConfirm();
        QTRY_VERIFY_WITH_TIMEOUT(choice->isVisible() && !m_dlg->isRunning(), 10'000);
        QVERIFY2(choice->text().contains(running.instanceId)
                     && choice->text().contains(QStringLiteral("running")),
                 qPrintable(choice->text()));
        QCOMPARE(choice->checkBox()->text(),
                 QStringLiteral("&Replace the running instance ") + running.instanceId);
        QVERIFY(!choice->checkBox()->isChecked());
        QVERIFY(m_env->sim->requestCount(QStringLiteral("status")) >= 1);
        QCOMPARE(m_env->sim->requestCount(QStringLiteral("provision")), 0);
        // Confirm again without ticking: still nothing sent.
        button("confirmButton")->click();
        QVERIFY(!m_dlg->isRunning());
        QCOMPARE(m_env->sim->requestCount(QStringLiteral("provision")), 0);

        // Ticked: sent. This CP refuses a second live instance with 409, a final answer, and
        // the error stays in the dialog; the row keeps its instance.
        choice->checkBox()->setChecked(true);
        button("confirmButton")->click();
        QTRY_VERIFY_WITH_TIMEOUT(!m_dlg->isRunning(), 10'000);
        QCOMPARE(m_env->sim->requestCount(QStringLiteral("provision")), 1);
        QVERIFY2(m_dlg->errorText().contains(QStringLiteral("provision failed (409)")),
                 qPrintable(m_dlg->errorText()));
        QVERIFY(m_dlg->resultText().contains(QStringLiteral("409")));
        QVERIFY(m_dlg->isVisible());
        QCOMPARE(button("confirmButton")->text(), QStringLiteral("&Try again"));
        QCOMPARE(m_env->row(running.id)->instanceId, running.instanceId);
        // The attempt names what it would have replaced.
        const auto audit = m_session->state()->audit(running.id);
        QVERIFY(audit && !audit->isEmpty());
        QCOMPARE(audit->first().request.value(QStringLiteral("replaces")).toString(),
                 running.instanceId);
    }

    void stoppedInstanceIsReplacedWithoutAsking()
    {
        // The instance on file has ended (the CP says terminated): no question, and the
        // replaced ID is shown and kept.
        const WorkspaceRow row = m_env->runningRow(1);
        QVERIFY(m_session->client());
        Waiter<VoidResult> stopped;
        m_session->client()->stop(row.id, row.instanceId, this, stopped.callback());
        QTRY_VERIFY(stopped.has() && stopped.get());
        QTRY_VERIFY_WITH_TIMEOUT(
            m_env->sim->instance(row.instanceId)->state == QLatin1String("terminated"), 10'000);
        fillValid(row.id);
        provisionAndConfirm();
        QTRY_VERIFY_WITH_TIMEOUT(!m_dlg->isRunning(), 10'000);
        QVERIFY(m_dlg->replaceChoice()->isHidden());
        const QString iid = m_env->sim->latestInstanceId(row.id);
        QVERIFY(iid != row.instanceId);
        QVERIFY2(m_dlg->resultText().contains(iid)
                     && m_dlg->resultText().contains(QStringLiteral("replaced ") + row.instanceId),
                 qPrintable(m_dlg->resultText()));
        QCOMPARE(m_env->row(row.id)->instanceId, iid);
        const auto j = m_session->state()->journal();
        QVERIFY(j && !j->isEmpty());
        QCOMPARE(j->first().replacedInstanceId, row.instanceId);
        QCOMPARE(j->first().instanceId, iid);
    }

    void cancelWhileCheckingSendsNothing()
    {
        QVERIFY(m_env->sim->setFaults(QStringLiteral("status.latency=4000")));
        const WorkspaceRow running = m_env->runningRow(0);
        fillValid(running.id);
        provisionAndConfirm();
        QVERIFY(m_dlg->isRunning());
        QTRY_COMPARE(m_env->sim->requestCount(QStringLiteral("status")), 1);
        button("cancelRequest")->click();
        QTRY_VERIFY_WITH_TIMEOUT(!m_dlg->isRunning(), 5000);
        QVERIFY2(m_dlg->resultText().contains(QStringLiteral("nothing was sent")),
                 qPrintable(m_dlg->resultText()));
        QVERIFY(m_dlg->replaceChoice()->isHidden());
        QCOMPARE(m_env->sim->requestCount(QStringLiteral("provision")), 0);
    }

    void operationInFlightIsNamed()
    {
        // Another provision of the workspace is out (another window, or cpctl in a terminal).
        QVERIFY(m_env->sim->setFaults(QStringLiteral("provision.latency=3000")));
        const QString ws = newId();
        Waiter<Result<ProvisionOutcome>> first;
        ProvisionRequest req = m_dlg->request();
        req.workspaceId = ws;
        req.runtime = QStringLiteral("python");
        req.platformUrl = QStringLiteral("https://platform.example.com");
        m_session->operations()->provision(req, std::nullopt, this, first.callback());
        QTRY_COMPARE(m_env->sim->requestCount(QStringLiteral("provision")), 1);
        fillValid(ws);
        provisionAndConfirm();
        QTRY_VERIFY_WITH_TIMEOUT(!m_dlg->isRunning(), 10'000);
        QVERIFY(!first.has()); // refused while the first was still out
        QVERIFY2(m_dlg->errorText().contains(QStringLiteral("is provisioning %1 since ").arg(ws))
                     && m_dlg->errorText().contains(
                         QStringLiteral("pid %1)").arg(QCoreApplication::applicationPid())),
                 qPrintable(m_dlg->errorText()));
        QCOMPARE(m_env->sim->requestCount(QStringLiteral("provision")), 1);
        QTRY_VERIFY_WITH_TIMEOUT(first.has(), 10'000);
    }

    void rowThatMovedOnIsNotOverwritten()
    {
        // While the provision is out, another writer records an instance on the row.
        QVERIFY(m_env->sim->setFaults(QStringLiteral("provision.latency=1500")));
        const QString ws = newId();
        fillValid(ws);
        provisionAndConfirm();
        QTRY_VERIFY_WITH_TIMEOUT(!m_env->sim->latestInstanceId(ws).isEmpty(), 10'000);
        const QString created = m_env->sim->latestInstanceId(ws);
        {
            auto other = WorkspaceSource::open(m_env->dbUrl());
            QVERIFY(other);
            QVERIFY(other.value()->recordProvisioned(ws, QStringLiteral("i-0otherwriter"),
                                                     QStringLiteral("provisioning"), QString()));
        }
        QTRY_VERIFY_WITH_TIMEOUT(!m_dlg->isRunning(), 10'000);
        QCOMPARE(m_env->row(ws)->instanceId, QStringLiteral("i-0otherwriter"));
        QVERIFY2(m_dlg->errorText().contains(created)
                     && m_dlg->errorText().contains(QStringLiteral("i-0otherwriter"))
                     && m_dlg->errorText().contains(QStringLiteral("moved on")),
                 qPrintable(m_dlg->errorText()));
        QVERIFY(m_dlg->resultText().startsWith(QStringLiteral("✖ ")));
        const auto j = m_session->state()->journal();
        QCOMPARE(j->first().outcome, JournalEntry::Outcome::MovedOn);
        QCOMPARE(j->first().instanceId, created);
        QCOMPARE(j->first().movedOnTo, QStringLiteral("i-0otherwriter"));
    }

    void tryAgainReusesTheIdempotencyKey()
    {
        QVERIFY(m_env->sim->setFaults(QStringLiteral("provision.5xx")));
        const QString ws = newId();
        fillValid(ws);
        provisionAndConfirm();
        QTRY_VERIFY_WITH_TIMEOUT(!m_dlg->isRunning(), 10'000);
        QVERIFY(m_dlg->errorText().contains(QStringLiteral("provision failed (5")));
        QVERIFY(m_env->sim->setFaults(QStringLiteral("none")));
        button("confirmButton")->click();
        QTRY_VERIFY_WITH_TIMEOUT(m_dlg->resultText().contains(QStringLiteral("Provisioned")),
                                 10'000);
        const auto j = m_session->state()->journal();
        QVERIFY(j && j->size() >= 2);
        QCOMPARE(j->at(0).workspaceId, ws);
        QCOMPARE(j->at(1).workspaceId, ws);
        QCOMPARE(j->at(0).idempotencyKey, j->at(1).idempotencyKey);
        QCOMPARE(m_env->sim->instance(m_env->sim->latestInstanceId(ws))->idempotencyKey,
                 j->at(0).idempotencyKey);
    }
};

CPC_GUI_TEST_MAIN(tst_ProvisionDialog)

#include "tst_provisiondialog.moc"
