// What the window says when an action fails, against real servers on loopback: a stop answered
// by a proxy's HTML error page shows as its status and title everywhere (details pane, the
// notification, the status bar), with the page's text behind a "Details" disclosure; a
// provision that was cancelled or timed out says "outcome unknown" everywhere, as the journal
// does, and what to do about it; the journal banner names entries whose row moved on.
#include "cpbanner.h"
#include "detailspane.h"
#include "guitestsupport.h"
#include "journalbanner.h"
#include "mainwindow.h"
#include "notifier.h"
#include "provisiondialog.h"
#include "testserver.h"
#include "windowparts.h"
#include "workspacemodel.h"

#include <QAbstractButton>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QStatusBar>
#include <QTreeWidget>
#include <QtTest>

using namespace cpc;
using namespace cpc::ui;
using namespace cpc::test;

namespace {

/// An nginx 504 page as proxies send it: markup and the padding comments that keep browsers
/// from replacing it with their own page.
QByteArray nginx504()
{
    QByteArray page = "<html>\r\n<head><title>504 Gateway Time-out</title></head>\r\n<body>\r\n"
                      "<center><h1>504 Gateway Time-out</h1></center>\r\n"
                      "<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";
    for (int i = 0; i < 6; ++i)
        page += "<!-- a padding to disable MSIE and Chrome friendly error page -->\r\n";
    return page;
}

/// Anything of the page's markup or its padding (the window's own <b> in rich text is fine).
bool hasMarkup(const QString &s)
{
    for (const char *part :
         { "<html", "<head", "<title", "<body", "<center", "<hr", "<!--", "padding", "MSIE" }) {
        if (s.contains(QLatin1String(part), Qt::CaseInsensitive))
            return true;
    }
    return false;
}

} // namespace

class tst_ActionErrors : public QObject
{
    Q_OBJECT

    std::unique_ptr<SimEnvironment> m_env;
    std::unique_ptr<MainWindow> m_win;

    bool open(const SessionOptions &o)
    {
        m_win = std::make_unique<MainWindow>(nullptr, o, MainWindow::NotifyMode::InWindow);
        m_win->setSession(Session::create(o, nullptr));
        m_win->resize(1100, 750);
        m_win->show();
        m_win->activateWindow();
        return QTest::qWaitForWindowExposed(m_win.get()) && win::loaded(*m_win);
    }

    WorkspaceRow rowWithoutInstance() const
    {
        for (const WorkspaceRow &r : m_env->rows) {
            if (r.instanceId.isEmpty() && r.status != QLatin1String("removed"))
                return r;
        }
        return {};
    }

    std::optional<JournalEntry> lastJournal(const QString &workspaceId) const
    {
        const auto j = m_win->session()->state()->journal();
        if (!j)
            return std::nullopt;
        for (const JournalEntry &e : j.value()) {
            if (e.workspaceId == workspaceId)
                return e;
        }
        return std::nullopt;
    }

private Q_SLOTS:
    void init()
    {
        m_env = std::make_unique<SimEnvironment>();
        QVERIFY(m_env->start(40));
        isolateSettings(m_env->dir.path());
    }

    void cleanup()
    {
        m_win.reset();
        m_env.reset();
    }

    void stopAnsweredByAnErrorPage()
    {
        // The CP behind a proxy that times out the stop: status answers, stop gets nginx's 504.
        TestServer cp;
        cp.setHandler([](const HttpRequest &req) {
            if (req.method == "DELETE") {
                HttpResponse r;
                r.status = 504;
                r.setHeader("Content-Type", "text/html");
                r.setHeader("Server", "nginx");
                r.body = nginx504();
                return r;
            }
            return HttpResponse::json(200, R"({"state":"running"})");
        });
        SessionOptions o = m_env->options();
        o.env.insert(QStringLiteral("CP_PROVISION_URL"), cp.baseUrl().toString());
        QVERIFY(open(o));
        const WorkspaceRow row = m_env->runningRow(0);
        QVERIFY(m_win->selectWorkspace(row.id));
        m_win->stopWorkspace(row.id);
        QTRY_VERIFY_WITH_TIMEOUT(!win::model(*m_win)->liveStatus(row.id).busy, 10'000);

        // The short form everywhere: details pane, notification, status bar.
        const QString shortForm = QStringLiteral("stop failed (504): Gateway Time-out — nginx");
        const QString strip = win::details(*m_win)->actionError();
        QCOMPARE(strip, QStringLiteral("Stop failed — nothing was changed. ") + shortForm);
        const QString popup = win::notifier(*m_win)->lastMessage();
        QVERIFY2(popup.contains(shortForm) && !hasMarkup(popup), qPrintable(popup));
        const QString bar = m_win->statusBar()->currentMessage();
        QVERIFY2(bar.contains(shortForm) && !hasMarkup(bar), qPrintable(bar));
        for (const QLabel *l : win::notifier(*m_win)->notice()->findChildren<QLabel *>())
            QVERIFY2(!hasMarkup(l->text()), qPrintable(l->text()));

        // The page's text is one click away, without its markup.
        auto *toggle = win::details(*m_win)->findChild<QAbstractButton *>(
            QStringLiteral("actionErrorDetailsToggle"));
        QVERIFY(toggle);
        QVERIFY(toggle->isVisible());
        QCOMPARE(toggle->text(), QStringLiteral("Details"));
        auto *text = win::details(*m_win)->findChild<QPlainTextEdit *>(
            QStringLiteral("actionErrorDetails"));
        QVERIFY(text);
        QVERIFY(text->isHidden());
        toggle->click();
        QVERIFY(text->isVisible());
        const QString details = text->toPlainText();
        QVERIFY2(details.contains(QStringLiteral("504 Gateway Time-out"))
                     && details.contains(QStringLiteral("nginx")) && !hasMarkup(details),
                 qPrintable(details));
        QVERIFY(text->isReadOnly());
        toggle->click();
        QVERIFY(text->isHidden());

        // The row and the database are as they were; another workspace shows no details.
        QCOMPARE(m_env->row(row.id)->instanceId, row.instanceId);
        QVERIFY(m_win->selectWorkspace(m_env->runningRow(1).id));
        QVERIFY(win::details(*m_win)->actionError().isEmpty());
        QVERIFY(!toggle->isVisible());
        // Back to the failed one: the message and its details came back with it.
        QVERIFY(m_win->selectWorkspace(row.id));
        QCOMPARE(win::details(*m_win)->actionError(), strip);
        QVERIFY(toggle->isVisible());
    }

    void errorWithoutDetailsHasNoDisclosure()
    {
        // A stop refused with a short JSON error: the message says it all, nothing to disclose.
        QVERIFY(m_env->sim->setFaults(QStringLiteral("stop.429")));
        QVERIFY(open(m_env->options()));
        const WorkspaceRow row = m_env->runningRow(0);
        QVERIFY(m_win->selectWorkspace(row.id));
        m_win->stopWorkspace(row.id);
        QTRY_VERIFY_WITH_TIMEOUT(!win::details(*m_win)->actionError().isEmpty(), 10'000);
        QVERIFY(win::details(*m_win)->actionError().contains(QStringLiteral("(429)")));
        auto *toggle = win::details(*m_win)->findChild<QAbstractButton *>(
            QStringLiteral("actionErrorDetailsToggle"));
        QVERIFY(toggle);
        QVERIFY(!toggle->isVisible());
    }

    void provisionWithUnknownOutcome_data()
    {
        QTest::addColumn<QString>("faults");
        QTest::addColumn<bool>("cancel");
        QTest::newRow("cancelled") << "provision.latency=4000" << true;
        QTest::newRow("timed out") << "provision.timeout" << false;
    }

    void provisionWithUnknownOutcome()
    {
        QFETCH(QString, faults);
        QFETCH(bool, cancel);
        QVERIFY(open(m_env->options()));
        m_win->session()->client()->setProvisionTimeout(600);
        m_win->session()->client()->setRetryPolicy(RetryPolicy::immediate(1));
        const WorkspaceRow row = rowWithoutInstance();
        QVERIFY(!row.id.isEmpty());
        QVERIFY(m_win->selectWorkspace(row.id));
        QVERIFY(m_env->sim->setFaults(faults));

        QPointer<ProvisionDialog> dlg = m_win->openProvisionDialog();
        QVERIFY(dlg);
        dlg->setPlatformUrl(QStringLiteral("https://platform.example.com"));
        if (dlg->request().runtime.isEmpty())
            dlg->setRuntime(QStringLiteral("python"));
        QSignalSpy finished(dlg.data(), &ProvisionDialog::finished);
        dlg->findChild<QPushButton *>(QStringLiteral("provisionButton"))->click();
        // The summary, then Confirm sends.
        dlg->findChild<QPushButton *>(QStringLiteral("confirmButton"))->click();
        QTRY_COMPARE_WITH_TIMEOUT(m_env->sim->requestCount(QStringLiteral("provision")), 1, 10'000);
        if (cancel)
            dlg->findChild<QPushButton *>(QStringLiteral("cancelRequest"))->click();
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10'000);
        QCOMPARE(finished.at(0).at(1).toBool(), false);

        // The journal says the outcome is unknown...
        const auto j = lastJournal(row.id);
        QVERIFY(j);
        QCOMPARE(j->outcome, JournalEntry::Outcome::Unknown);
        QVERIFY(win::journalBanner(*m_win)->isVisible());
        // ...and so does every place the window says it, with what to do: reconcile.
        const QString strip = win::details(*m_win)->actionError();
        const QString bar = m_win->statusBar()->currentMessage();
        const QString dialog = dlg->resultText();
        for (const QString &shown : { strip, bar, dialog }) {
            QVERIFY2(shown.contains(QStringLiteral("outcome unknown"), Qt::CaseInsensitive),
                     qPrintable(shown));
            QVERIFY2(shown.contains(QStringLiteral("reconcile"), Qt::CaseInsensitive),
                     qPrintable(shown));
            QVERIFY2(!shown.contains(QStringLiteral("Provision failed")), qPrintable(shown));
            QVERIFY2(!shown.contains(u'✖'), qPrintable(shown));
        }
    }

    void journalBannerNamesMovedOnEntries()
    {
        JournalEntry unknown;
        unknown.id = 1;
        unknown.workspaceId = QStringLiteral("ws-unknown");
        unknown.idempotencyKey = QStringLiteral("key-1");
        unknown.outcome = JournalEntry::Outcome::Unknown;
        JournalEntry movedOn = unknown;
        movedOn.id = 2;
        movedOn.workspaceId = QStringLiteral("ws-moved");
        movedOn.idempotencyKey = QStringLiteral("key-2");
        movedOn.outcome = JournalEntry::Outcome::MovedOn;
        movedOn.instanceId = QStringLiteral("i-0new");
        movedOn.movedOnTo = QStringLiteral("i-0other");

        JournalBanner banner;
        auto *title = banner.findChild<QLabel *>(QStringLiteral("journalBannerText"));
        QVERIFY(title);
        banner.setEntries({ movedOn });
        QVERIFY2(!title->text().contains(QStringLiteral("unknown outcome")),
                 qPrintable(title->text()));
        QVERIFY2(title->text().contains(QStringLiteral("moved on")), qPrintable(title->text()));
        // The one-line summary names the case; Show explains it.
        auto *details = banner.findChild<QLabel *>(QStringLiteral("journalBannerDetails"));
        QVERIFY(details);
        QVERIFY2(details->text().contains(QStringLiteral("which instance to keep")),
                 qPrintable(details->text()));

        banner.setEntries({ unknown, movedOn });
        QVERIFY2(title->text().contains(QStringLiteral("1 provision request with an unknown "
                                                       "outcome")),
                 qPrintable(title->text()));
        QVERIFY2(title->text().contains(QStringLiteral("1 provision whose row moved on")),
                 qPrintable(title->text()));

        banner.setEntries({ unknown });
        QVERIFY(title->text().contains(QStringLiteral("unknown outcome")));
        QVERIFY(!title->text().contains(QStringLiteral("moved on")));
    }
};

QTEST_MAIN(tst_ActionErrors)
#include "tst_actionerrors.moc"
