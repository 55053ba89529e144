// No part of a secret in what the core shows, and no markup: every place where a CP's text is
// cut (stop's excerpt, provision errors, status reasons, console windows) redacts before it
// cuts and masks what a cut leaves of a secret; an HTML error page is shown as its title and
// server. Over a real loopback server, with the credentials the client sends.
#include "cpcalls.h"
#include "cpclient.h"
#include "logging.h"
#include "testserver.h"
#include "testutil.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QtTest>

using namespace cpc;
using namespace cpc::test;
using redaction::Cut;

namespace {
// Distinctive, so that no padding or message text holds four of their characters by chance.
const QString kAdminToken = QStringLiteral("Q7vXtok9pL2mN4bR8sT1wY3zK6aJ"); // 28 characters
const QString kShared = QStringLiteral("Zs5Hgq3WcE8yU1oP6dF4");
const QString kWs = QStringLiteral("3f2b8c1e-9d4a-4b6e-8f00-1a2b3c4d5e6f");
const QString kIid = QStringLiteral("i-0abc123def4567890");

/// The first piece of `secret` of four characters or more found in `shown` (its start or its
/// end, as a cut leaves them), or an empty string.
QString fragmentIn(const QString &shown, const QString &secret)
{
    for (qsizetype k = secret.size(); k >= 4; --k) {
        if (shown.contains(secret.left(k)))
            return secret.left(k);
        if (shown.contains(secret.right(k)))
            return secret.right(k);
    }
    return {};
}
QString fragmentIn(const QString &shown)
{
    const QString a = fragmentIn(shown, kAdminToken);
    return a.isEmpty() ? fragmentIn(shown, kShared) : a;
}

/// An error page that echoes the request headers back as a table (as some gateways do), with
/// the admin token starting at byte `tokenAt`.
QByteArray headerEchoPage(const HttpRequest &req, int tokenAt)
{
    QByteArray page = "<html><head><title>500 Internal Server Error</title></head><body><table>";
    const QByteArray row = "<tr><td>x-molecule-admin-token</td><td>";
    page += QByteArray(tokenAt - page.size() - row.size(), ' ');
    page += row + req.header("X-Molecule-Admin-Token") + "</td></tr>";
    for (const auto &[n, v] : req.headers)
        page += "<tr><td>" + n + "</td><td>" + v + "</td></tr>";
    return page + "</table></body></html>";
}

const QByteArray kNginx504
    = "<html>\r\n<head><title>504 Gateway Time-out</title></head>\r\n<body>\r\n"
      "<center><h1>504 Gateway Time-out</h1></center>\r\n"
      "<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
      "<!-- a padding to disable MSIE and Chrome friendly error page -->\r\n"
      "<!-- a padding to disable MSIE and Chrome friendly error page -->\r\n"
      "<!-- a padding to disable MSIE and Chrome friendly error page -->\r\n"
      "<!-- a padding to disable MSIE and Chrome friendly error page -->\r\n"
      "<!-- a padding to disable MSIE and Chrome friendly error page -->\r\n"
      "<!-- a padding to disable MSIE and Chrome friendly error page -->\r\n";
} // namespace

class tst_Redaction : public QObject
{
    Q_OBJECT

    QNetworkAccessManager m_nam;

    std::unique_ptr<CpClient> client(const TestServer &server)
    {
        CpConfig c;
        c.orgId = QStringLiteral("org-42");
        c.baseUrl = server.baseUrl();
        c.sharedSecret = Secret(kShared);
        c.adminToken = Secret(kAdminToken);
        c.requestTimeoutMs = 5000;
        auto cl = std::make_unique<CpClient>(&m_nam, c);
        cl->setRetryPolicy(RetryPolicy::immediate(1));
        return cl;
    }
    static Error stopError(CpClient &c)
    {
        const VoidResult r = runStop(c, kWs, kIid);
        return r ? Error {} : r.error();
    }
    StatusResult status(CpClient &c)
    {
        Waiter<StatusResult> w;
        c.status(kWs, kIid, this, w.callback());
        [&] {
            QTRY_VERIFY_WITH_TIMEOUT(w.has(), 20000);
        }();
        return w.has() ? w.get() : StatusResult {};
    }
    Result<ConsoleOutput> console(CpClient &c)
    {
        Waiter<Result<ConsoleOutput>> w;
        c.consoleOutput(kWs, this, w.callback());
        [&] {
            QTRY_VERIFY_WITH_TIMEOUT(w.has(), 20000);
        }();
        return w.has() ? w.get() : Result<ConsoleOutput>(Error {});
    }
    Error provisionError(CpClient &c)
    {
        ProvisionRequest r;
        r.workspaceId = kWs;
        r.runtime = QStringLiteral("python");
        Waiter<Result<ProvisionResult>> w;
        c.provision(r, this, w.callback());
        [&] {
            QTRY_VERIFY_WITH_TIMEOUT(w.has(), 20000);
        }();
        return w.has() && !w.get() ? w.get().error() : Error {};
    }

private Q_SLOTS:
    void initTestCase()
    {
        redaction::registerSecret(Secret(kAdminToken));
        redaction::registerSecret(Secret(kShared));
    }

    // --- the redactor on its own ------------------------------------------------------------
    void piece_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("cut");
        QTest::addColumn<QString>("expected");
        QTest::newRow("27 of 28 at the end")
            << "token " + kAdminToken.left(27) << int(Cut::End) << "token [redacted]";
        QTest::newRow("4 at the end")
            << "token " + kAdminToken.left(4) << int(Cut::End) << "token [redacted]";
        QTest::newRow("3 at the end say nothing")
            << "token " + kAdminToken.left(3) << int(Cut::End) << "token " + kAdminToken.left(3);
        QTest::newRow("the end of one at the start")
            << kShared.right(12) + " rest" << int(Cut::Start) << "[redacted] rest";
        QTest::newRow("both edges") << kShared.right(5) + " mid " + kAdminToken.left(9)
                                    << int(Cut::Both) << "[redacted] mid [redacted]";
        QTest::newRow("whole ones anywhere")
            << "a " + kAdminToken + " b" << int(Cut::None) << "a [redacted] b";
        QTest::newRow("an edge that was not cut stays")
            << "token " + kAdminToken.left(10) << int(Cut::Start)
            << "token " + kAdminToken.left(10);
    }
    void piece()
    {
        QFETCH(QString, text);
        QFETCH(int, cut);
        QFETCH(QString, expected);
        QCOMPARE(redaction::redactPiece(text, Cut(cut)), expected);
    }

    void probeNeverPassesWhatRedactChanges_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("mayRedact");
        QTest::newRow("plain") << QStringLiteral("worker-7 online") << false;
        QTest::newRow("empty") << QString() << false;
        QTest::newRow("near miss") << QStringLiteral("bear, beaker, x-molecule") << false;
        QTest::newRow("secret") << QStringLiteral("say ") + kShared << true;
        QTest::newRow("admin token") << kAdminToken + QStringLiteral(" at the end") << true;
        QTest::newRow("bearer") << QStringLiteral("Authorization: Bearer abc") << true;
        QTest::newRow("BEARER") << QStringLiteral("BEARER abc") << true;
        QTest::newRow("header") << QStringLiteral("X-Molecule-Admin-Token: zzz") << true;
        QTest::newRow("header, other case") << QStringLiteral("x-MOLECULE-admin-TOKEN=zzz") << true;
        QTest::newRow("secret in other script")
            << QStringLiteral("工作区 ") + kShared + QStringLiteral(" 🚀") << true;
    }
    void probeNeverPassesWhatRedactChanges()
    {
        // cpctl list writes a field straight out when the probe says redact() cannot change it.
        QFETCH(QString, text);
        QFETCH(bool, mayRedact);
        const redaction::Probe probe;
        QCOMPARE(probe.mayRedact(text.toUtf8()), mayRedact);
        if (!mayRedact)
            QCOMPARE(redaction::redact(text), text);
        else
            QVERIFY(redaction::redact(text) != text);
    }

    void shortenRedactsFirst()
    {
        // The token straddles the point where the text is shortened.
        const QString text = QString(100, u'x') + kAdminToken + QString(100, u'y');
        for (int at = 90; at < 130; ++at) {
            const QString shown = redaction::redactAndShorten(text, at);
            QVERIFY2(fragmentIn(shown).isEmpty(),
                     qPrintable(QStringLiteral("%1: %2").arg(at).arg(shown)));
            QVERIFY(shown.size() <= at + 1);
        }
    }

    // --- every place the client cuts a CP's text ----------------------------------------------
    void stopExcerptStraddlingTheToken_data()
    {
        QTest::addColumn<bool>("html");
        QTest::addColumn<int>("tokenAt");
        for (int at : { 485, 500, 508 }) {
            QTest::addRow("html, token at %d", at) << true << at;
            QTest::addRow("text, token at %d", at) << false << at;
        }
    }
    void stopExcerptStraddlingTheToken()
    {
        QFETCH(bool, html);
        QFETCH(int, tokenAt);
        TestServer server;
        server.setHandler([html, tokenAt](const HttpRequest &req) {
            if (html) {
                HttpResponse r = HttpResponse::text(500, headerEchoPage(req, tokenAt));
                r.headers = { { "Content-Type", "text/html" } };
                return r;
            }
            QByteArray body(tokenAt, 'x');
            body += req.header("X-Molecule-Admin-Token") + " and so on";
            return HttpResponse::text(500, body);
        });
        auto c = client(server);
        const Error e = stopError(*c);
        QCOMPARE(e.httpStatus, 500);
        QVERIFY2(fragmentIn(e.message).isEmpty(), qPrintable(e.message));
        QVERIFY2(fragmentIn(e.details).isEmpty(), qPrintable(e.details));
        QVERIFY2(e.details.contains(QLatin1String("[red")),
                 qPrintable(e.details)); // masked, maybe shortened
        QCOMPARE(server.lastRequest().header("X-Molecule-Admin-Token"), kAdminToken.toLatin1());
    }

    void provisionErrorCutAfterRedaction()
    {
        TestServer server;
        server.setHandler([](const HttpRequest &req) {
            QJsonObject o { { "error",
                              QString(290, u'e')
                                  + QString::fromLatin1(req.header("X-Molecule-Admin-Token")) } };
            return HttpResponse::json(400, QJsonDocument(o).toJson(QJsonDocument::Compact));
        });
        auto c = client(server);
        const Error e = provisionError(*c);
        QCOMPARE(e.httpStatus, 400);
        QVERIFY2(fragmentIn(e.message).isEmpty(), qPrintable(e.message));
        QVERIFY2(e.message.contains(QLatin1String("[redacted]")), qPrintable(e.message));
    }

    void statusReasonCutAfterRedaction()
    {
        TestServer server;
        server.setHandler([](const HttpRequest &req) {
            QJsonObject o { { "state",
                              QString(50, u's')
                                  + QString::fromLatin1(req.header("X-Molecule-Admin-Token")) } };
            return HttpResponse::json(200, QJsonDocument(o).toJson(QJsonDocument::Compact));
        });
        auto c = client(server);
        const StatusResult s = status(*c);
        QCOMPARE(s.state, RunState::NotRunning);
        QVERIFY2(fragmentIn(s.cpState).isEmpty(), qPrintable(s.cpState));
        QVERIFY2(s.cpState.contains(QLatin1String("[redacted]")), qPrintable(s.cpState));
    }

    void consoleWindowBeginsAndEndsInsideSecrets()
    {
        // The CP's window onto the console moved on into the middle of one echoed secret and
        // stops in the middle of another still being written.
        TestServer server;
        server.setHandler([](const HttpRequest &) {
            const QString out = kShared.right(14)
                + QStringLiteral(" was the key\nbooting\nexport TOKEN=") + kAdminToken.left(15);
            return HttpResponse::json(200,
                                      QJsonDocument(QJsonObject { { "output", out } }).toJson());
        });
        auto c = client(server);
        const auto r = console(*c);
        QVERIFY(r);
        QVERIFY2(fragmentIn(r->output).isEmpty(), qPrintable(r->output));
        QCOMPARE(r->output,
                 QStringLiteral("[redacted] was the key\nbooting\nexport TOKEN=[redacted]"));
    }

    // --- HTML error pages -------------------------------------------------------------------
    void htmlErrorPageIsItsTitleAndServer()
    {
        TestServer server;
        server.setFallback([] {
            HttpResponse r = HttpResponse::text(504, kNginx504);
            r.headers = { { "Content-Type", "text/html" } };
            return r;
        }());
        auto c = client(server);
        const Error stop = stopError(*c);
        QCOMPARE(stop.message, QStringLiteral("stop failed (504): Gateway Time-out — nginx"));
        QVERIFY2(stop.details.startsWith(
                     QLatin1String("504 Gateway Time-out 504 Gateway Time-out nginx")),
                 qPrintable(stop.details));
        QVERIFY2(!stop.details.contains(u'<') && !stop.details.contains(QLatin1String("padding")),
                 qPrintable(stop.details));

        const StatusResult s = status(*c);
        QCOMPARE(s.state, RunState::Unknown);
        QCOMPARE(s.error->message,
                 QStringLiteral("status check failed (504): Gateway Time-out — nginx"));

        const auto con = console(*c);
        QVERIFY(!con);
        QCOMPARE(con.error().message,
                 QStringLiteral("console failed (504): Gateway Time-out — nginx"));

        // Provision keeps its rule: no structured error, no body in the message.
        const Error p = provisionError(*c);
        QCOMPARE(p.message,
                 QStringLiteral("provision failed (504): <unstructured body, %1 bytes>")
                     .arg(kNginx504.size()));
    }

    void otherErrorPages_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("page");
        QTest::addColumn<QString>("message");
        QTest::newRow("apache 404")
            << 404
            << QByteArray(
                   "<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\n<html><head>\n"
                   "<title>404 Not Found</title>\n</head><body>\n<h1>Not Found</h1>\n"
                   "<p>The requested URL was not found on this server.</p>\n<hr>\n"
                   "<address>Apache/2.4.57 (Debian) Server at cp.example Port 443</address>\n"
                   "</body></html>\n")
            << "stop failed (404): Not Found — Apache/2.4.57 (Debian)";
        QTest::newRow("no title, an h1 with entities")
            << 502 << QByteArray("<html><body><h1>Bad &amp; sad &#8212; gateway</h1></body></html>")
            << "stop failed (502): Bad & sad — gateway";
        QTest::newRow("nothing to name it")
            << 503 << QByteArray("<html><body><p>down</p></body></html>")
            << "stop failed (503): an error page";
        QTest::newRow("a title that echoes the token")
            << 500
            << QByteArray("<html><title>bad token " + kAdminToken.toLatin1() + "</title></html>")
            << "stop failed (500): bad token [redacted]";
    }
    void otherErrorPages()
    {
        QFETCH(int, status);
        QFETCH(QByteArray, page);
        QFETCH(QString, message);
        TestServer server;
        server.setFallback(HttpResponse::text(status, page));
        auto c = client(server);
        QCOMPARE(stopError(*c).message, message);
    }
};

QTEST_GUILESS_MAIN(tst_Redaction)
#include "tst_redaction.moc"
