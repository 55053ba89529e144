// Every fault the CP simulator can inject × every call of the CP contract, through the objects
// the GUI uses: the main window and its session (Operations, StatusPoller), the provision dialog,
// the stop confirmation, the details pane and the console tab. tst_cpctl runs the same matrix
// through the command line; here the question is what an engineer sees in the window. (One suite
// over 600 lines: one matrix and the checks every case runs; its table is faultexpectations.h.)
//
// For each case, each call is made twice at the same time: once directly through Operations (as
// the dialogs call it), which gives the result class (the Error kind, or success), and once
// through the window's own path (dialog, confirmation, poller, console tab), which gives what is
// shown. Both must match the expectation written in kExpected below, and then:
//   - the message shown is the specific one (the regex in the table);
//   - no credential appears in any widget, model cell, message, audit entry, journal entry,
//     state or database file, or log line (debug included);
//   - a failed provision or stop leaves the database row as it was and is audited as failed;
//   - a failed status check shows "unknown" with the reason, never running or not running;
//   - a failed console fetch shows the error strip and keeps the text shown before.
#include "appinfo.h"
#include "consolearea.h"
#include "consoletab.h"
#include "consoleviewer.h"
#include "cpclient.h"
#include "detailspane.h"
#include "faultexpectations.h"
#include "faultspec.h"
#include "guitestmain.h"
#include "guitestsupport.h"
#include "journalbanner.h"
#include "mainwindow.h"
#include "notifier.h"
#include "operations.h"
#include "provisiondialog.h"
#include "statestore.h"
#include "statuspoller.h"
#include "statuspresentation.h"
#include "stopdialog.h"
#include "testutil.h"
#include "windowparts.h"
#include "workspacemodel.h"

#include <QAbstractButton>
#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDirIterator>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLoggingCategory>
#include <QMutex>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTableWidget>
#include <QTextEdit>
#include <QTreeWidget>
#include <QtTest>

#include <optional>

using namespace cpc;
using namespace cpc::ui;
using namespace cpc::test;

using namespace cpc::test::faultmatrix;

namespace {

// --- everything logged, debug included ---------------------------------------------------------

QMutex g_logMutex;
QStringList g_log;
QtMessageHandler g_previousHandler = nullptr;

void captureMessage(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    {
        QMutexLocker lock(&g_logMutex);
        g_log << QStringLiteral("[%1] %2").arg(
            QString::fromLatin1(context.category ? context.category : "default"), message);
    }
    // Debug and info are only collected (for the secret check); the rest goes to the test log,
    // except the offscreen platform's word on every window it shows.
    if (type == QtDebugMsg || type == QtInfoMsg
        || message.startsWith(QLatin1String("This plugin does not support")))
        return;
    if (g_previousHandler)
        g_previousHandler(type, context, message);
}

QStringList takeLog()
{
    QMutexLocker lock(&g_logMutex);
    return std::exchange(g_log, {});
}

const QStringList &secrets()
{
    static const QStringList s { kGuiShared, kGuiAdmin, kGuiApiKey };
    return s;
}

QString leakIn(const QString &text)
{
    for (const QString &s : secrets()) {
        if (text.contains(s))
            return s;
    }
    return {};
}

QString leakIn(const QByteArray &bytes)
{
    for (const QString &s : secrets()) {
        if (bytes.contains(s.toUtf8()))
            return s;
    }
    return {};
}

/// Runs a check made of several QVERIFYs in a helper and stops the caller at its first failure.
#define CHECK(call)                                                                                \
    do {                                                                                           \
        call;                                                                                      \
        if (QTest::currentTestFailed())                                                            \
            return;                                                                                \
    } while (false)

QString resultClass(const std::optional<Error> &e)
{
    return e ? Error::kindName(e->kind) : QStringLiteral("ok");
}

} // namespace

class tst_FaultMatrix : public QObject
{
    Q_OBJECT

    std::unique_ptr<SimEnvironment> m_env;
    std::unique_ptr<MainWindow> m_win;

    Session *session() const { return m_win->session(); }
    Operations *ops() const { return session()->operations(); }

    bool open()
    {
        SessionOptions o = m_env->options();
        // Only the first sweep and the checks the test asks for: no poll lands in the middle.
        o.pollIntervalMs = 60'000;
        std::unique_ptr<Session> s = Session::create(o, nullptr);
        if (!s->client() || !s->operations() || !s->poller() || !s->state())
            return false;
        s->client()->setRequestTimeout(kDeadlineMs);
        s->client()->setProvisionTimeout(kDeadlineMs);
        s->client()->setRetryPolicy(RetryPolicy::immediate(kAttempts));
        m_win = std::make_unique<MainWindow>(nullptr, o, MainWindow::NotifyMode::InWindow);
        m_win->setSession(std::move(s));
        m_win->show();
        return QTest::qWaitForWindowExposed(m_win.get()) && win::loaded(*m_win);
    }

    /// Workspaces in the database without compute (provision targets).
    QList<WorkspaceRow> rowsWithoutInstance() const
    {
        QList<WorkspaceRow> out;
        for (const WorkspaceRow &r : m_env->rows) {
            if (r.instanceId.isEmpty() && r.status != QLatin1String("removed"))
                out << r;
        }
        return out;
    }

    /// Waits until the poller has nothing in flight, so that every later status request sees
    /// the faults set next (the simulator runs in this thread: nothing slips in between).
    bool pollerIdle()
    {
        StatusPoller *p = session()->poller();
        return QTest::qWaitFor([p] { return p->stats().inFlight == 0; }, 10'000);
    }

    bool setFaults(const QString &spec)
    {
        QString error;
        const bool ok = m_env->sim->setFaults(spec, &error);
        if (!ok)
            qWarning() << "fault spec refused:" << spec << error;
        return ok;
    }

    static void verifyShown(const QString &what, const QString &text, const char *pattern)
    {
        const QRegularExpression re(QString::fromUtf8(pattern));
        QVERIFY2(re.isValid(), qPrintable(re.errorString()));
        QVERIFY2(!text.trimmed().isEmpty(), qPrintable(what + QStringLiteral(": nothing shown")));
        QVERIFY2(
            re.match(text).hasMatch(),
            qPrintable(
                QStringLiteral("%1: \"%2\" does not match /%3/").arg(what, text, re.pattern())));
    }

    static void verifyClass(const QString &what, const QString &actual, const char *allowed)
    {
        const QStringList classes = QString::fromLatin1(allowed).split(u'|');
        QVERIFY2(classes.contains(actual),
                 qPrintable(QStringLiteral("%1: result class %2, expected %3")
                                .arg(what, actual, QString::fromLatin1(allowed))));
    }

    /// The latest audit entry of a workspace's action.
    std::optional<AuditEntry> lastAudit(const QString &workspaceId, const QString &action) const
    {
        const auto entries = session()->state()->audit(workspaceId);
        if (!entries)
            return std::nullopt;
        for (const AuditEntry &e : entries.value()) { // newest first
            if (e.action == action)
                return e;
        }
        return std::nullopt;
    }

    std::optional<JournalEntry> lastJournal(const QString &workspaceId) const
    {
        const auto entries = session()->state()->journal();
        if (!entries)
            return std::nullopt;
        for (const JournalEntry &e : entries.value()) {
            if (e.workspaceId == workspaceId)
                return e;
        }
        return std::nullopt;
    }

    void verifyAudited(const QString &workspaceId, const QString &action, bool ok,
                       const QString &detail)
    {
        const auto audit = lastAudit(workspaceId, action);
        QVERIFY2(audit,
                 qPrintable(QStringLiteral("no %1 audit entry for %2").arg(action, workspaceId)));
        QCOMPARE(audit->result, ok ? QStringLiteral("ok") : QStringLiteral("error"));
        QCOMPARE(audit->detail, detail);
        QCOMPARE(audit->workspaceId, workspaceId);
        QCOMPARE(audit->orgId, QStringLiteral("org-gui-test"));
    }

    void verifyRowUnchanged(const WorkspaceRow &before)
    {
        const auto now = m_env->row(before.id);
        QVERIFY2(now, qPrintable(before.id));
        QCOMPARE(now->instanceId, before.instanceId);
        QCOMPARE(now->status, before.status);
        const std::optional<WorkspaceRow> shown = win::model(*m_win)->rowById(before.id);
        QVERIFY(shown);
        QCOMPARE(shown->instanceId, before.instanceId);
        QCOMPARE(shown->status, before.status);
    }

    /// Whether a label would render its text as markup rather than show it as it is.
    static bool rendersMarkup(const QLabel *label)
    {
        return label->textFormat() == Qt::RichText
            || (label->textFormat() == Qt::AutoText && Qt::mightBeRichText(label->text()));
    }

    /// Every text the window can show, the model's cells, the local state and the database
    /// files, and the captured log: not one credential. `messages` are the call's messages as
    /// they came (they may quote a CP's error page): a label that shows one as it is must show
    /// it as plain text, not render the CP's markup.
    void verifySurfaces(const QStringList &messages)
    {
        QStringList texts = messages;
        for (QWidget *w : QApplication::allWidgets()) {
            texts << w->windowTitle() << w->toolTip() << w->statusTip() << w->whatsThis()
                  << w->accessibleName() << w->accessibleDescription();
            if (auto *l = qobject_cast<QLabel *>(w)) {
                texts << l->text();
                for (const QString &m : messages) {
                    if (!m.isEmpty() && m.contains(u'<') && l->text().contains(m))
                        QVERIFY2(!rendersMarkup(l),
                                 qPrintable(QStringLiteral("label %1 renders the CP's markup: %2")
                                                .arg(l->objectName(), l->text().left(200))));
                }
            }
            if (auto *b = qobject_cast<QAbstractButton *>(w))
                texts << b->text();
            if (auto *e = qobject_cast<QLineEdit *>(w))
                texts << e->text() << e->placeholderText();
            if (auto *e = qobject_cast<QPlainTextEdit *>(w))
                texts << e->toPlainText() << e->placeholderText();
            if (auto *e = qobject_cast<QTextEdit *>(w))
                texts << e->toPlainText();
            if (auto *c = qobject_cast<QComboBox *>(w)) {
                for (int i = 0; i < c->count(); ++i)
                    texts << c->itemText(i);
            }
            if (auto *t = qobject_cast<QTreeWidget *>(w)) {
                for (int i = 0; i < t->topLevelItemCount(); ++i) {
                    for (int c = 0; c < t->columnCount(); ++c)
                        texts << t->topLevelItem(i)->text(c) << t->topLevelItem(i)->toolTip(c);
                }
            }
            if (auto *t = qobject_cast<QTableWidget *>(w)) {
                for (int r = 0; r < t->rowCount(); ++r) {
                    for (int c = 0; c < t->columnCount(); ++c)
                        texts << (t->item(r, c) ? t->item(r, c)->text() : QString());
                }
            }
            if (auto *l = qobject_cast<QListWidget *>(w)) {
                for (int i = 0; i < l->count(); ++i)
                    texts << l->item(i)->text() << l->item(i)->toolTip();
            }
        }
        for (QAction *a : m_win->findChildren<QAction *>())
            texts << a->text() << a->toolTip() << a->statusTip();
        texts << m_win->statusBar()->currentMessage() << win::notifier(*m_win)->history();
        for (ConsoleTab *tab : win::consoles(*m_win)->findChildren<ConsoleTab *>())
            texts << tab->text() << tab->statusText() << tab->viewer()->errorText()
                  << tab->viewer()->bannerText();
        WorkspaceModel *model = win::model(*m_win);
        for (int r = 0; r < model->rowCount(); ++r) {
            for (int c = 0; c < model->columnCount(); ++c) {
                const QModelIndex idx = model->index(r, c);
                texts << idx.data(Qt::DisplayRole).toString()
                      << idx.data(Qt::ToolTipRole).toString()
                      << idx.data(Qt::AccessibleTextRole).toString();
            }
        }
        for (const QString &t : std::as_const(texts))
            QVERIFY2(leakIn(t).isEmpty(), qPrintable(QStringLiteral("on screen: ") + t.left(300)));

        // The audit log and the journal, every field.
        const auto audit = session()->state()->audit({}, 100'000);
        QVERIFY(audit);
        for (const AuditEntry &e : audit.value()) {
            const QString all
                = QStringList { e.user,   e.profile,
                                e.orgId,  e.workspaceId,
                                e.action, QString::fromUtf8(QJsonDocument(e.request).toJson()),
                                e.result, e.detail }
                      .join(u'\n');
            QVERIFY2(leakIn(all).isEmpty(), qPrintable(QStringLiteral("audit: ") + all));
        }
        const auto journal = session()->state()->journal(100'000);
        QVERIFY(journal);
        for (const JournalEntry &e : journal.value()) {
            const QString all = QStringList { e.workspaceId, e.idempotencyKey,
                                              QString::fromUtf8(QJsonDocument(e.request).toJson()),
                                              e.instanceId, e.detail }
                                    .join(u'\n');
            QVERIFY2(leakIn(all).isEmpty(), qPrintable(QStringLiteral("journal: ") + all));
        }

        // The files themselves (state, database, their journals), byte for byte.
        QDirIterator files(m_env->dir.path(), QDir::Files | QDir::Hidden,
                           QDirIterator::Subdirectories);
        while (files.hasNext()) {
            const QString path = files.next();
            QFile f(path);
            QVERIFY2(f.open(QIODevice::ReadOnly), qPrintable(path));
            QVERIFY2(leakIn(f.readAll()).isEmpty(), qPrintable(QStringLiteral("in file ") + path));
        }

        // Everything logged so far in this case, debug included.
        const QStringList log = takeLog();
        QVERIFY2(!log.isEmpty(), "nothing was logged: is the debug capture working?");
        for (const QString &line : log)
            QVERIFY2(leakIn(line).isEmpty(),
                     qPrintable(QStringLiteral("logged: ") + line.left(300)));
    }

    /// "ok" and/or "error", from a '|'-separated list of classes: what a surface that only
    /// shows success or failure may show.
    static const char *okOrError(const char *classes)
    {
        const QStringList c = QString::fromLatin1(classes).split(u'|');
        if (c == QStringList { QStringLiteral("ok") })
            return "ok";
        return c.contains(QStringLiteral("ok")) ? "ok|error" : "error";
    }

    // --- the four calls ------------------------------------------------------------------------

    void provisionCase(const Expected &x, const QString &spec)
    {
        const QList<WorkspaceRow> free = rowsWithoutInstance();
        QVERIFY2(free.size() >= 2, "the generated database needs two rows without an instance");
        const WorkspaceRow &direct = free.at(0);
        const WorkspaceRow &viaDialog = free.at(1);
        QVERIFY(m_win->selectWorkspace(viaDialog.id));
        QVERIFY(setFaults(spec));

        // Directly, as the dialog calls it.
        ProvisionRequest req;
        req.workspaceId = direct.id;
        req.runtime = direct.runtime.isEmpty() ? QStringLiteral("python") : direct.runtime;
        req.tier = 1;
        req.platformUrl = QStringLiteral("https://platform.example.com");
        req.env.insert(QStringLiteral("LOG_LEVEL"), QStringLiteral("debug"));
        WorkspaceRow newRow = direct;
        newRow.status = QStringLiteral("provisioning");
        Waiter<Result<ProvisionOutcome>> got;
        ops()->provision(req, newRow, this, got.callback());

        // Through the window: Ctrl+N's dialog, filled in for the selected workspace.
        QPointer<ProvisionDialog> dlg = m_win->openProvisionDialog();
        QVERIFY(dlg);
        dlg->setPlatformUrl(QStringLiteral("https://platform.example.com"));
        if (dlg->request().runtime.isEmpty())
            dlg->setRuntime(QStringLiteral("python"));
        QCOMPARE(dlg->request().workspaceId, viaDialog.id);
        QSignalSpy finished(dlg.data(), &ProvisionDialog::finished);
        dlg->findChild<QPushButton *>(QStringLiteral("provisionButton"))->click();
        // The summary, then Confirm sends.
        dlg->findChild<QPushButton *>(QStringLiteral("confirmButton"))->click();
        QVERIFY(dlg->isRunning());

        QTRY_VERIFY_WITH_TIMEOUT(got.has() && finished.size() == 1, 15'000);
        QVERIFY(dlg);
        QCOMPARE(got.calls, 1);

        // The result class and message of the direct call.
        const Result<ProvisionOutcome> &r = got.get();
        CHECK(verifyClass(QStringLiteral("provision (Operations)"),
                          resultClass(r ? std::nullopt : std::optional<Error>(r.error())),
                          x.classes));
        if (!r)
            CHECK(
                verifyShown(QStringLiteral("provision (Operations)"), r.error().message, x.shown));

        // What the dialog and the window show.
        const bool dialogOk = finished.at(0).at(1).toBool();
        const QString dialogDetail = finished.at(0).at(2).toString();
        CHECK(verifyClass(QStringLiteral("provision (dialog)"),
                          dialogOk ? QStringLiteral("ok") : QStringLiteral("error"),
                          okOrError(x.classes)));
        if (dialogOk) {
            CHECK(verifyShown(QStringLiteral("provision dialog"), dlg->resultText(), x.shown));
            QVERIFY(dlg->errorText().isEmpty());
            QVERIFY(win::details(*m_win)->actionError().isEmpty());
        } else {
            const QString message = dlg->errorText();
            CHECK(verifyShown(QStringLiteral("provision dialog"), message, x.shown));
            QCOMPARE(dialogDetail, message);
            if (dlg->outcomeUnknown()) {
                // The CP may have acted (timed out, answer lost): "outcome unknown", as in the
                // journal (checked below), never "failed".
                QVERIFY2(dlg->resultText().startsWith(QStringLiteral("⚠ Outcome unknown")),
                         qPrintable(dlg->resultText()));
                QVERIFY(dlg->resultText().contains(message.toHtmlEscaped()));
                QVERIFY2(win::details(*m_win)->actionError().startsWith(
                             QStringLiteral("Provision outcome unknown (") + message + u')'),
                         qPrintable(win::details(*m_win)->actionError()));
            } else {
                QCOMPARE(dlg->resultText(), QStringLiteral("✖ ") + message.toHtmlEscaped());
                QCOMPARE(win::details(*m_win)->actionError(),
                         QStringLiteral("Provision failed: ") + message);
            }
            QVERIFY(dlg->isVisible()); // the error stays in the dialog
        }

        // The rows, the audit log and the journal, for both.
        const QStringList journalAllowed = QString::fromLatin1(x.extra).split(u'|');
        const QList<std::tuple<WorkspaceRow, bool, QString>> outcomes {
            { direct, r.ok(), r ? r->instanceId : r.error().message },
            { viaDialog, dialogOk, dialogDetail },
        };
        for (const auto &[row, ok, detail] : outcomes) {
            if (ok) {
                const QString iid = m_env->sim->latestInstanceId(row.id);
                QVERIFY(!iid.isEmpty());
                QCOMPARE(detail, iid);
                QCOMPARE(m_env->row(row.id)->instanceId, iid);
                QCOMPARE(m_env->row(row.id)->status, QStringLiteral("provisioning"));
            } else {
                CHECK(verifyRowUnchanged(row));
            }
            CHECK(verifyAudited(row.id, QStringLiteral("provision"), ok, detail));
            const auto j = lastJournal(row.id);
            QVERIFY(j);
            QVERIFY(!j->idempotencyKey.isEmpty());
            const QString outcome = journalOutcomeName(j->outcome);
            QVERIFY2(journalAllowed.contains(outcome),
                     qPrintable(QStringLiteral("%1: journal says %2, expected %3")
                                    .arg(row.id, outcome, QString::fromLatin1(x.extra))));
            // Never "failed" while the CP holds an instance for it: that instance would be
            // an orphan nobody is told about.
            if (!ok && !m_env->sim->latestInstanceId(row.id).isEmpty())
                QVERIFY2(
                    j->outcome == JournalEntry::Outcome::Unknown,
                    qPrintable(QStringLiteral("%1: the CP created %2, the journal says %3")
                                   .arg(row.id, m_env->sim->latestInstanceId(row.id), outcome)));
            if (row.id == viaDialog.id) {
                // The window says what the journal says.
                QCOMPARE(!ok && dlg->outcomeUnknown(),
                         j->outcome == JournalEntry::Outcome::Unknown);
                // An unknown outcome is offered for Reconcile at once.
                bool listed = false;
                for (const JournalEntry &e : win::journalBanner(*m_win)->entries())
                    listed = listed || e.id == j->id;
                QCOMPARE(listed, j->outcome == JournalEntry::Outcome::Unknown);
                if (listed)
                    QVERIFY(win::journalBanner(*m_win)->isVisible());
            }
        }
        CHECK(verifySurfaces({ dlg->errorText(), r ? QString() : r.error().message }));
    }

    void stopCase(const Expected &x, const QString &spec)
    {
        const WorkspaceRow direct = m_env->runningRow(0);
        const WorkspaceRow viaWindow = m_env->runningRow(1);
        QVERIFY(!direct.instanceId.isEmpty() && !viaWindow.instanceId.isEmpty());
        QVERIFY(m_win->selectWorkspace(viaWindow.id));
        QVERIFY(setFaults(spec));

        Waiter<Result<StopOutcome>> got;
        ops()->stop(direct.id, this, got.callback());

        // Through the window: the confirmation, the exact name typed, Stop.
        StopDialog *dlg = m_win->requestStop();
        QVERIFY(dlg);
        QTest::keyClicks(dlg->confirmField(), viaWindow.name);
        QVERIFY(dlg->stopButton()->isEnabled());
        dlg->stopButton()->click();
        QVERIFY(win::model(*m_win)->liveStatus(viaWindow.id).busy);

        QTRY_VERIFY_WITH_TIMEOUT(got.has() && !win::model(*m_win)->liveStatus(viaWindow.id).busy,
                                 15'000);
        QCOMPARE(got.calls, 1);

        const Result<StopOutcome> &r = got.get();
        CHECK(verifyClass(QStringLiteral("stop (Operations)"),
                          resultClass(r ? std::nullopt : std::optional<Error>(r.error())),
                          x.classes));
        if (r) {
            QCOMPARE(r->instanceId, direct.instanceId);
            QVERIFY(r->httpCallMade);
        } else {
            CHECK(verifyShown(QStringLiteral("stop (Operations)"), r.error().message, x.shown));
        }

        const QString stripText = win::details(*m_win)->actionError();
        const QString prefix = QStringLiteral("Stop failed — nothing was changed. ");
        const bool windowOk = stripText.isEmpty();
        CHECK(verifyClass(QStringLiteral("stop (window)"),
                          windowOk ? QStringLiteral("ok") : QStringLiteral("error"),
                          okOrError(x.classes)));
        QString windowDetail;
        if (windowOk) {
            CHECK(verifyShown(QStringLiteral("status bar"), m_win->statusBar()->currentMessage(),
                              x.shown));
            windowDetail = viaWindow.instanceId;
        } else {
            QVERIFY2(stripText.startsWith(prefix), qPrintable(stripText));
            windowDetail = stripText.mid(prefix.size());
            CHECK(verifyShown(QStringLiteral("details error strip"), windowDetail, x.shown));
            QVERIFY(win::notifier(*m_win)->lastMessage().startsWith(QStringLiteral("Stop of")));
            QVERIFY(win::notifier(*m_win)->lastMessage().endsWith(windowDetail));
        }

        const QList<std::tuple<WorkspaceRow, bool, QString>> outcomes {
            { direct, r.ok(), r ? direct.instanceId : r.error().message },
            { viaWindow, windowOk, windowDetail },
        };
        for (const auto &[row, ok, detail] : outcomes) {
            if (ok) {
                QCOMPARE(m_env->row(row.id)->instanceId, QString());
                QCOMPARE(m_env->row(row.id)->status, QStringLiteral("offline"));
            } else {
                CHECK(verifyRowUnchanged(row));
            }
            CHECK(verifyAudited(row.id, QStringLiteral("stop"), ok, detail));
        }
        CHECK(verifySurfaces({ windowDetail, r ? QString() : r.error().message }));
    }

    void statusCase(const Expected &x, const QString &spec)
    {
        const WorkspaceRow row = m_env->runningRow(0);
        QVERIFY(m_win->selectWorkspace(row.id));
        // The first sweep has confirmed it running.
        QTRY_VERIFY_WITH_TIMEOUT(win::model(*m_win)->liveStatus(row.id).checked, 10'000);
        QCOMPARE(win::model(*m_win)->liveStatus(row.id).state, RunState::Running);
        QVERIFY(pollerIdle());
        QVERIFY(setFaults(spec));

        // Through the session's Operations, and through the poller as Shift+F5 asks it.
        Waiter<StatusResult> got;
        ops()->status(row.id, this, got.callback());
        QSignalSpy changed(session()->poller(), &StatusPoller::statusChanged);
        const auto answered = [&] {
            for (const QList<QVariant> &args : std::as_const(changed)) {
                if (args.at(0).toString() == row.id)
                    return true;
            }
            return false;
        };
        m_win->checkSelectedNow();
        QTRY_VERIFY_WITH_TIMEOUT(got.has() && answered(), 15'000);

        const StatusResult &r = got.get();
        CHECK(verifyClass(QStringLiteral("status (Operations)"), resultClass(r.error), x.classes));
        QVERIFY(r.httpCallMade);
        if (r.error) {
            QCOMPARE(r.state, RunState::Unknown); // never running or not running
            CHECK(verifyShown(QStringLiteral("status (Operations)"), r.error->message, x.extra));
        } else {
            QCOMPARE(r.state, RunState::Running);
        }

        // The row: its live cell, its badge, the details pane.
        const LiveStatus live = win::model(*m_win)->liveStatus(row.id);
        const int visible = win::model(*m_win)->visibleRowOf(row.id);
        QVERIFY(visible >= 0);
        const QModelIndex cell = win::model(*m_win)->index(visible, WorkspaceModel::LiveColumn);
        const QString cellText = cell.data(Qt::DisplayRole).toString();
        CHECK(verifyShown(QStringLiteral("live status cell"), cellText, x.shown));
        const Badge badge = badgeFor(live, true);
        const QString details = win::details(*m_win)->liveText();
        if (QString::fromLatin1(x.classes) == QLatin1String("ok")) {
            QCOMPARE(live.state, RunState::Running);
            QCOMPARE(badge.text, QStringLiteral("running"));
            QVERIFY2(details.startsWith(QStringLiteral("running")), qPrintable(details));
        } else {
            QCOMPARE(live.state, RunState::Unknown);
            QCOMPARE(cell.data(WorkspaceModel::RunStateRole).toInt(), int(RunState::Unknown));
            QVERIFY(!live.reason.isEmpty());
            QCOMPARE(cellText, QStringLiteral("unknown (%1)").arg(live.reason));
            QCOMPARE(badge.text, QStringLiteral("unknown"));
            QCOMPARE(badge.shape, Badge::Shape::Unknown);
            // What was last known stays beside it, with its age.
            QCOMPARE(live.lastKnown, RunState::Running);
            QVERIFY(live.confirmedAt.isValid());
            QVERIFY2(details.startsWith(QStringLiteral("unknown — Unknown: ") + live.reason),
                     qPrintable(details));
            QVERIFY2(details.contains(QStringLiteral("Last confirmed running")),
                     qPrintable(details));
            QVERIFY(!details.contains(QStringLiteral("not running")));
            QVERIFY(cell.data(Qt::ToolTipRole).toString().contains(live.reason));
        }
        // A status check never changes the database.
        CHECK(verifyRowUnchanged(row));
        CHECK(verifySurfaces({ r.error ? r.error->message : QString() }));
    }

    void consoleCase(const Expected &x, const QString &spec)
    {
        const WorkspaceRow row = m_env->runningRow(0);
        QVERIFY(m_win->selectWorkspace(row.id));
        m_win->openConsole();
        ConsoleTab *tab = win::consoles(*m_win)->tab(row.id);
        QVERIFY(tab);
        // The first fetch, before any fault.
        QTRY_VERIFY_WITH_TIMEOUT(!tab->isFetching() && !tab->text().isEmpty(), 10'000);
        tab->viewer()->flushPendingUpdates();
        QVERIFY(tab->viewer()->errorText().isEmpty());
        const QString before = tab->text();
        const QDateTime fetchedAt = tab->viewer()->lastSuccessfulFetch();
        QVERIFY(fetchedAt.isValid());
        QVERIFY(setFaults(spec));

        Waiter<Result<ConsoleOutput>> got;
        ops()->console(row.id, this, got.callback());
        QSignalSpy fetched(tab, &ConsoleTab::fetched);
        tab->refresh(); // F5 in the console
        QVERIFY(tab->isFetching());
        QTRY_VERIFY_WITH_TIMEOUT(got.has() && fetched.size() == 1, 15'000);
        tab->viewer()->flushPendingUpdates();

        const Result<ConsoleOutput> &r = got.get();
        CHECK(verifyClass(QStringLiteral("console (Operations)"),
                          resultClass(r ? std::nullopt : std::optional<Error>(r.error())),
                          x.classes));
        if (r) {
            QVERIFY(!r->output.isEmpty());
        } else {
            // The call's message, as the strip starts with it.
            CHECK(verifyShown(QStringLiteral("console (Operations)"),
                              r.error().message + QStringLiteral(" — "), x.shown));
        }

        const bool tabOk = fetched.at(0).at(1).toBool();
        CHECK(verifyClass(QStringLiteral("console (tab)"),
                          tabOk ? QStringLiteral("ok") : QStringLiteral("error"),
                          okOrError(x.classes)));
        const QString strip = tab->viewer()->errorText();
        if (tabOk) {
            QVERIFY2(strip.isEmpty(), qPrintable(strip));
            QVERIFY(!tab->text().isEmpty());
            CHECK(verifyShown(QStringLiteral("console status"), tab->statusText(), x.shown));
            QVERIFY(tab->viewer()->lastSuccessfulFetch() >= fetchedAt);
        } else {
            CHECK(verifyShown(QStringLiteral("console error strip"), strip, x.shown));
            QVERIFY2(strip.contains(QStringLiteral("showing the text from")), qPrintable(strip));
            QCOMPARE(tab->statusText(), strip);
            // The text shown before stays, unchanged.
            QCOMPARE(tab->text(), before);
            QCOMPARE(tab->viewer()->lastSuccessfulFetch(), fetchedAt);
        }
        CHECK(verifyRowUnchanged(row));
        CHECK(verifySurfaces({ r ? QString() : r.error().message }));
    }

private Q_SLOTS:
    void initTestCase() { g_previousHandler = qInstallMessageHandler(captureMessage); }

    void cleanupTestCase() { qInstallMessageHandler(g_previousHandler); }

    void init()
    {
        m_env = std::make_unique<SimEnvironment>();
        QVERIFY(m_env->start(30));
        takeLog();
    }

    void cleanup()
    {
        // Closing with calls still in flight (the simulator may still be dripping) must be calm.
        m_win.reset();
        m_env.reset();
        takeLog();
    }

    /// The table covers exactly the faults the parser accepts, each for every call, so a fault
    /// added to the simulator fails here until someone writes down what the user should see.
    void tableCoversEveryFault()
    {
        QSet<QString> parser;
        for (FaultKind k : allFaultKinds()) {
            parser.insert(faultName(k));
            for (SimRoute route : kAllSimRoutes) {
                const Result<FaultSpec> spec = FaultSpec::parse(specFor(k, route));
                QVERIFY2(spec, qPrintable(specFor(k, route)));
                QCOMPARE(spec->items().size(), 1);
                QCOMPARE(spec->items().first().kind, k);
                QVERIFY2(expectationFor(faultName(k), simRouteName(route)),
                         qPrintable(QStringLiteral("no expectation for %1 on %2")
                                        .arg(faultName(k), simRouteName(route))));
            }
        }
        QSet<QString> table;
        for (const Expected &e : kExpected) {
            table.insert(QString::fromLatin1(e.fault));
            QVERIFY2(simRouteFromName(QString::fromLatin1(e.call)),
                     qPrintable(QString::fromLatin1(e.call)));
        }
        QCOMPARE(table, parser);
        QCOMPARE(int(std::size(kExpected)), int(allFaultKinds().size() * std::size(kAllSimRoutes)));
        // A name the parser does not list is refused.
        QVERIFY(!FaultSpec::parse(QStringLiteral("status.explode")));
    }

    void matrix_data()
    {
        QTest::addColumn<int>("fault");
        QTest::addColumn<int>("route");
        for (FaultKind k : allFaultKinds()) {
            for (SimRoute route : kAllSimRoutes)
                QTest::addRow("%s %s", qPrintable(faultName(k)), qPrintable(simRouteName(route)))
                    << int(k) << int(route);
        }
    }

    void matrix()
    {
        QFETCH(int, fault);
        QFETCH(int, route);
        const auto kind = FaultKind(fault);
        const auto r = SimRoute(route);
        const Expected *x = expectationFor(faultName(kind), simRouteName(r));
        QVERIFY2(x,
                 qPrintable(QStringLiteral("write the expected result for %1 on %2 in kExpected")
                                .arg(faultName(kind), simRouteName(r))));
        QVERIFY(open());
        const QString spec = specFor(kind, r);
        switch (r) {
        case SimRoute::Provision:
            provisionCase(*x, spec);
            break;
        case SimRoute::Stop:
            stopCase(*x, spec);
            break;
        case SimRoute::Status:
            statusCase(*x, spec);
            break;
        case SimRoute::Console:
            consoleCase(*x, spec);
            break;
        }
        if (QTest::currentTestFailed())
            return;
        // The fault was really applied: the simulator counted it (latency has no outcome of its
        // own, error-rate counts the fault it picked).
        if (kind != FaultKind::Latency && kind != FaultKind::ErrorRate)
            QVERIFY(m_env->sim->requestCount(simRouteName(r), faultName(kind)) >= 1);
    }
};

int main(int argc, char *argv[])
{
    // Every category at debug level: the log must be free of credentials too.
    qputenv("QT_LOGGING_RULES", "cpc.*.debug=true");
    GuiTestApp app(argc, argv);
    tst_FaultMatrix tc;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&tc, argc, argv);
}

#include "tst_faultmatrix.moc"
