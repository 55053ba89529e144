// cpctl as a process against a misbehaving CP on loopback: the exit code says who is at fault
// (1: the CP misbehaved, 2: the user's input or configuration), and a CP that never finishes its
// headers ends the command on time.
#include "ctlrunner.h"
#include "streamserver.h"
#include "testserver.h"
#include "workspace.h"
#include "workspacesource.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using namespace cpc;
using namespace cpc::test;

namespace {
const QString kWs = QStringLiteral("3f2b8c1e-9d4a-4b6e-8f00-1a2b3c4d5e6f");
const QString kIid = QStringLiteral("i-0abc123def4567890");
// Distinctive, so that no other output holds four of its characters by chance.
const QString kAdminToken = QStringLiteral("Q7vXtok9pL2mN4bR8sT1wY3zK6aJ");

struct Run
{
    int code = -1;
    QString out;
    QString err;
    qint64 ms = 0;
};
} // namespace

class tst_CtlNet : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    QString dbUrl() const
    {
        return QStringLiteral("sqlite:") + m_dir.filePath(QStringLiteral("ws.sqlite"));
    }

    Run cpctl(const QStringList &args, const QUrl &cp)
    {
        QProcessEnvironment e = ctlBaseEnv(m_dir.path());
        e.insert(QStringLiteral("CP_PROVISION_URL"), cp.toString());
        e.insert(QStringLiteral("MOLECULE_ORG_ID"), QStringLiteral("org-ctlnet"));
        e.insert(QStringLiteral("MOLECULE_CP_SHARED_SECRET"), QStringLiteral("ctlnet-5ecr3t"));
        e.insert(QStringLiteral("ADMIN_TOKEN"), kAdminToken);
        e.insert(QStringLiteral("CPCONSOLE_DB"), dbUrl());
        e.insert(QStringLiteral("CPCONSOLE_STATE"), m_dir.filePath(QStringLiteral("state.sqlite")));
        const CtlRun c = runCtl(args, e);
        return { c.code, QString::fromUtf8(c.out), QString::fromUtf8(c.err), c.ms };
    }

    static QStringList argsFor(const QString &command)
    {
        if (command == QLatin1String("stop"))
            return { QStringLiteral("stop"), kWs, QStringLiteral("--yes") };
        // --replace: the row has an instance on file, and these cases are about the provision
        // route itself, not the status check that guards a provision over an instance.
        if (command == QLatin1String("provision"))
            return { QStringLiteral("provision"), kWs,
                     QStringLiteral("--runtime"), QStringLiteral("python"),
                     QStringLiteral("--tier"),    QStringLiteral("2"),
                     QStringLiteral("--replace") };
        return { command, kWs };
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        WorkspaceRow row;
        row.id = kWs;
        row.name = QStringLiteral("ctlnet");
        row.status = QStringLiteral("online");
        row.runtime = QStringLiteral("python");
        row.tier = 2;
        row.instanceId = kIid;
        auto src = WorkspaceSource::open(dbUrl());
        QVERIFY(src);
        QVERIFY(src.value()->upsertRows({ row }));
    }

    void crossOriginRedirect_data()
    {
        QTest::addColumn<QString>("command");
        QTest::addColumn<int>("code");
        QTest::newRow("console") << "console" << 1;
        QTest::newRow("stop") << "stop" << 1;
        QTest::newRow("provision") << "provision" << 1;
        QTest::newRow("status") << "status" << 4; // unknown, as every failed status check
    }
    void crossOriginRedirect()
    {
        QFETCH(QString, command);
        QFETCH(int, code);
        TestServer elsewhere;
        TestServer cp;
        HttpResponse r;
        r.status = 307;
        r.setHeader("Location", elsewhere.baseUrl().toEncoded() + "/cp/steal");
        cp.setFallback(r);
        const Run run = cpctl(argsFor(command), cp.baseUrl());
        QVERIFY2(run.code == code, qPrintable(QString::number(run.code) + u' ' + run.err));
        QVERIFY2(run.err.contains(QLatin1String("redirect to another origin")),
                 qPrintable(run.err));
        QCOMPARE(elsewhere.requestCount(), 0);
    }

    void redirectLoop()
    {
        TestServer cp;
        cp.setHandler([&cp](const HttpRequest &req) {
            HttpResponse r;
            r.status = 302;
            r.setHeader("Location",
                        cp.baseUrl().toEncoded() + req.path + (req.path.endsWith('x') ? "y" : "x"));
            return r;
        });
        const Run run = cpctl(argsFor(QStringLiteral("console")), cp.baseUrl());
        QCOMPARE(run.code, 1);
        QVERIFY2(run.err.contains(QLatin1String("too many redirects")), qPrintable(run.err));
    }

    // An error page that echoes the request headers, the admin token across the 512-byte
    // excerpt: neither stderr nor the audit log gets any part of it (27 of its 28 characters
    // used to reach both), and the page shows as its title.
    void stopErrorPageLeavesNoPartOfTheToken()
    {
        const QByteArray token = kAdminToken.toLatin1();
        TestServer cp;
        cp.setHandler([](const HttpRequest &req) {
            QByteArray page
                = "<html><head><title>500 Internal Server Error</title></head><body><table>";
            const QByteArray row = "<tr><td>x-molecule-admin-token</td><td>";
            page += QByteArray(500 - page.size() - row.size(), ' ') + row
                + req.header("X-Molecule-Admin-Token") + "</td></tr></table></body></html>";
            return HttpResponse::text(500, page);
        });
        const Run stop = cpctl(argsFor(QStringLiteral("stop")), cp.baseUrl());
        QCOMPARE(stop.code, 1);
        QCOMPARE(cp.lastRequest().header("X-Molecule-Admin-Token"), token);
        QVERIFY2(stop.err.contains(QLatin1String("stop failed (500): Internal Server Error")),
                 qPrintable(stop.err));
        const Run audit
            = cpctl({ QStringLiteral("audit"), kWs, QStringLiteral("--json") }, cp.baseUrl());
        QCOMPARE(audit.code, 0);
        QVERIFY2(audit.out.contains(QLatin1String("Internal Server Error")), qPrintable(audit.out));
        for (const QString &shown : { stop.out, stop.err, audit.out }) {
            for (qsizetype k = 4; k <= token.size(); ++k)
                QVERIFY2(!shown.contains(QString::fromLatin1(token.left(k))), qPrintable(shown));
        }
    }

    void refusalBeforeSendingStaysUsage()
    {
        TestServer cp;
        const Run run
            = cpctl({ QStringLiteral("console"), QStringLiteral("../admin") }, cp.baseUrl());
        QCOMPARE(run.code, 2);
        QCOMPARE(cp.requestCount(), 0);
    }

    // Header lines as fast as cpctl reads them: it stops at the head cap and exits at once;
    // it used to wait for the deadline and then 5 s more for Qt's network thread.
    void endlessHeadersEndTheCommand()
    {
        StreamServer cp(StreamServer::Mode::HeaderFlood, 200, 1);
        const Run run = cpctl(argsFor(QStringLiteral("console"))
                                  << QStringLiteral("--timeout") << QStringLiteral("3"),
                              cp.baseUrl());
        QCOMPARE(run.code, 1);
        QVERIFY2(run.err.contains(QLatin1String("response headers larger than 64 KiB")),
                 qPrintable(run.err));
        QVERIFY2(run.ms < 3000, qPrintable(QString::number(run.ms)));
    }

    // A header line now and then: the deadline ends it, and the process with it.
    void drippingHeadersEndAtTheDeadline()
    {
        StreamServer cp(StreamServer::Mode::HeaderDrip, 200, 1);
        const Run run = cpctl(argsFor(QStringLiteral("console"))
                                  << QStringLiteral("--timeout") << QStringLiteral("2"),
                              cp.baseUrl());
        QCOMPARE(run.code, 1);
        QVERIFY2(run.err.contains(QLatin1String("timed out after 2 s")), qPrintable(run.err));
        QVERIFY(cp.bytesSent() > 0);
        QVERIFY2(run.ms >= 2000 && run.ms < 3000, qPrintable(QString::number(run.ms)));
    }
};

QTEST_GUILESS_MAIN(tst_CtlNet)
#include "tst_ctlnet.moc"
