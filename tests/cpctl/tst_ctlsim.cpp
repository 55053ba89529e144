// `cpctl sim` practises the real thing: it makes up credentials at start, prints them among the
// export lines and enforces them like the CP (401 {"error":"invalid credentials"}); the
// engineer's own credentials in the environment are neither used nor printed; --no-auth
// accepts requests without any.
#include "ctlrunner.h"
#include "workspacesource.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace cpc;
using cpc::test::CtlRun;

namespace {

const QString kRealSecret = QStringLiteral("engineers-real-prod-secret-6610");

const QStringList kCredentialVars { QStringLiteral("MOLECULE_CP_SHARED_SECRET"),
                                    QStringLiteral("ADMIN_TOKEN"),
                                    QStringLiteral("CP_ADMIN_API_TOKEN") };

/// A running `cpctl sim` and what it printed.
struct SimProcess
{
    QProcess process;
    QByteArray out;
    QMap<QString, QString> exports;

    ~SimProcess()
    {
        if (process.state() != QProcess::NotRunning) {
            process.kill();
            process.waitForFinished();
        }
    }
};

} // namespace

class tst_CtlSim : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_db;

    QProcessEnvironment baseEnv() const { return test::ctlBaseEnv(m_dir.path()); }

    bool start(SimProcess &sim, const QStringList &extra, const QProcessEnvironment &env)
    {
        QFile::remove(m_db.mid(7));
        sim.process.setProcessEnvironment(env);
        sim.process.start(QStringLiteral(CPC_BINARY_DIR "/app/cpctl"),
                          QStringList { "sim", "--workspaces", "12", "--db", m_db } + extra);
        if (!sim.process.waitForStarted())
            return false;
        const bool json = extra.contains(QStringLiteral("--json"));
        if (!QTest::qWaitFor(
                [&] {
                    sim.out += sim.process.readAllStandardOutput();
                    return json ? sim.out.contains('\n') : sim.out.contains("stop with Ctrl+C");
                },
                20000))
            return false;
        for (const QString &l : QString::fromUtf8(sim.out).split(u'\n')) {
            if (l.startsWith(QLatin1String("export ")))
                sim.exports.insert(l.mid(7).section(u'=', 0, 0), l.section(u'=', 1));
        }
        return true;
    }

    /// The environment the printed export lines make.
    static QProcessEnvironment withExports(QProcessEnvironment e, const SimProcess &sim)
    {
        for (auto it = sim.exports.cbegin(); it != sim.exports.cend(); ++it)
            e.insert(it.key(), it.value());
        return e;
    }

    QString runningWorkspace() const
    {
        auto src = WorkspaceSource::open(m_db);
        const auto rows = src.value()->list({});
        for (const WorkspaceRow &r : rows.value())
            if (r.status == QLatin1String("online") && !r.instanceId.isEmpty())
                return r.id;
        return {};
    }

    /// A request with no credentials at all, straight to the simulator.
    static std::pair<int, QJsonObject> bare(const QString &url)
    {
        QNetworkAccessManager nam;
        QNetworkReply *reply = nam.get(QNetworkRequest(QUrl(url)));
        QSignalSpy done(reply, &QNetworkReply::finished);
        if (!done.wait(10000))
            return { -1, {} };
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QJsonObject body = QJsonDocument::fromJson(reply->readAll()).object();
        reply->deleteLater();
        return { status, body };
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_db = QStringLiteral("sqlite:") + m_dir.filePath(QStringLiteral("sim.sqlite"));
    }

    void generatesPrintsAndEnforcesCredentials()
    {
        QProcessEnvironment e = baseEnv();
        e.insert(QStringLiteral("MOLECULE_CP_SHARED_SECRET"),
                 kRealSecret); // never used nor printed
        SimProcess sim;
        QVERIFY(start(sim, {}, e));
        QVERIFY2(!sim.out.contains(kRealSecret.toUtf8()), sim.out.constData());
        QStringList values;
        for (const QString &var : kCredentialVars) {
            QVERIFY2(sim.exports.value(var).size() >= 24,
                     qPrintable(var + u'\n' + QString::fromUtf8(sim.out)));
            values << sim.exports.value(var);
        }
        QCOMPARE(QSet<QString>(values.cbegin(), values.cend()).size(), 3);
        QVERIFY(sim.out.contains("# credentials: made up for this run and enforced"));

        // With what it printed, everything works.
        const QProcessEnvironment good = withExports(baseEnv(), sim);
        const QString id = runningWorkspace();
        QVERIFY(!id.isEmpty());
        CtlRun r = test::runCtl({ "status", id }, good);
        QCOMPARE(r.code, 0);
        r = test::runCtl({ "console", id, "--strip-ansi" }, good);
        QCOMPARE(r.code, 0);
        QVERIFY(r.out.size() > 100);

        // A wrong one of each gets the CP's 401.
        for (const QString &var : kCredentialVars) {
            QProcessEnvironment bad = good;
            bad.insert(var, QStringLiteral("not-the-") + var.toLower());
            const bool admin = var == QLatin1String("CP_ADMIN_API_TOKEN");
            r = test::runCtl({ admin ? "console" : "status", id }, bad);
            QCOMPARE(r.code, admin ? 1 : 4);
            QVERIFY2(r.err.contains(admin ? "console failed (401)" : "status check failed (401)"),
                     r.err.constData());
        }
        // The engineer's own secret is not the simulator's.
        QProcessEnvironment mine = good;
        mine.insert(QStringLiteral("MOLECULE_CP_SHARED_SECRET"), kRealSecret);
        QCOMPARE(test::runCtl({ "status", id }, mine).code, 4);

        // The error has the CP's shape.
        const auto [status, body]
            = bare(sim.exports.value(QStringLiteral("CP_PROVISION_URL"))
                   + QStringLiteral("/cp/workspaces/%1/status?instance_id=x").arg(id));
        QCOMPARE(status, 401);
        QCOMPARE(body.value("error").toString(), QStringLiteral("invalid credentials"));
    }

    void jsonCarriesTheCredentials()
    {
        SimProcess sim;
        QVERIFY(start(sim, { "--json" }, baseEnv()));
        const QJsonObject o = QJsonDocument::fromJson(sim.out.left(sim.out.indexOf('\n'))).object();
        QCOMPARE(o.value("auth").toBool(), true);
        QVERIFY(o.value("shared_secret").toString().size() >= 24);
        QVERIFY(o.value("admin_token").toString().size() >= 24);
        QVERIFY(o.value("admin_api_key").toString().size() >= 24);
        QProcessEnvironment good = baseEnv();
        good.insert(QStringLiteral("MOLECULE_ORG_ID"), o.value("org_id").toString());
        good.insert(QStringLiteral("CP_PROVISION_URL"), o.value("url").toString());
        good.insert(QStringLiteral("MOLECULE_CP_SHARED_SECRET"),
                    o.value("shared_secret").toString());
        good.insert(QStringLiteral("ADMIN_TOKEN"), o.value("admin_token").toString());
        good.insert(QStringLiteral("CP_ADMIN_API_TOKEN"), o.value("admin_api_key").toString());
        good.insert(QStringLiteral("CPCONSOLE_DB"), o.value("db").toString());
        QCOMPARE(test::runCtl({ "status", runningWorkspace() }, good).code, 0);
    }

    void noAuthAcceptsRequestsWithoutCredentials()
    {
        SimProcess sim;
        QVERIFY(start(sim, { "--no-auth" }, baseEnv()));
        for (const QString &var : kCredentialVars)
            QVERIFY2(!sim.exports.contains(var), qPrintable(var));
        QVERIFY(sim.out.contains("# credentials: none required (--no-auth)"));
        const QProcessEnvironment none = withExports(baseEnv(), sim);
        const QString id = runningWorkspace();
        CtlRun r = test::runCtl({ "status", id }, none);
        QCOMPARE(r.code, 0);
        r = test::runCtl({ "console", id, "--strip-ansi" }, none);
        QCOMPARE(r.code, 0);
        const auto [status, body]
            = bare(sim.exports.value(QStringLiteral("CP_PROVISION_URL"))
                   + QStringLiteral("/cp/workspaces/%1/status?instance_id=x").arg(id));
        QCOMPARE(status, 404); // past authentication: the instance is unknown
        QVERIFY(body.contains("error"));
    }
};

QTEST_GUILESS_MAIN(tst_CtlSim)
#include "tst_ctlsim.moc"
