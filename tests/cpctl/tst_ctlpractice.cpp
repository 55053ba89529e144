// Practising against the simulator as the README says, with real processes: `cpctl sim
// --env-file FILE` writes the environment (0600) once it listens, a shell sources it and cpctl
// works against it; a listing from a database that is new or empty says so on stderr (stdout
// and the exit code stay what scripts expect); a restarted simulator never replaces the
// database a console has open.
#include "ctlrunner.h"
#include "workspacesource.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>
#include <sys/stat.h>

using namespace cpc;
using cpc::test::CtlRun;

namespace {

/// A running `cpctl sim`; killed at the end of the test if still running.
struct SimProcess
{
    QProcess process;
    QByteArray out;
    QByteArray err;

    ~SimProcess()
    {
        if (process.state() != QProcess::NotRunning) {
            process.kill();
            process.waitForFinished();
        }
    }
    bool start(const QStringList &args, const QProcessEnvironment &env)
    {
        process.setProcessEnvironment(env);
        process.start(QStringLiteral(CPC_BINARY_DIR "/app/cpctl"), QStringList { "sim" } + args);
        return process.waitForStarted();
    }
    /// Waits for the banner that ends the start-up output.
    bool waitForBanner()
    {
        return QTest::qWaitFor(
                   [&] {
                       out += process.readAllStandardOutput();
                       err += process.readAllStandardError();
                       return out.contains("stop with Ctrl+C")
                           || process.state() == QProcess::NotRunning;
                   },
                   20000)
            && out.contains("stop with Ctrl+C");
    }
    QString exported(const QString &name) const
    {
        for (const QString &l : QString::fromUtf8(out).split(u'\n'))
            if (l.startsWith(QStringLiteral("export %1=").arg(name)))
                return l.section(u'=', 1);
        return {};
    }
};

ino_t inodeOf(const QString &path)
{
    struct stat st
    {
    };
    return ::stat(QFile::encodeName(path).constData(), &st) == 0 ? st.st_ino : 0;
}

} // namespace

class tst_CtlPractice : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    QProcessEnvironment baseEnv() const
    {
        QProcessEnvironment e = test::ctlBaseEnv(m_dir.path());
        e.insert(QStringLiteral("CPCONSOLE_STATE"), m_dir.filePath(QStringLiteral("state.sqlite")));
        return e;
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void envFileIsSourcedByAShell()
    {
        const QString envFile = m_dir.filePath(QStringLiteral("sim env/practice.env"));
        QVERIFY(QDir().mkpath(QFileInfo(envFile).path()));
        const QString db
            = QStringLiteral("sqlite:") + m_dir.filePath(QStringLiteral("practice.sqlite"));
        SimProcess sim;
        QVERIFY(sim.start({ "--workspaces", "7", "--db", db, "--env-file", envFile }, baseEnv()));
        QTRY_VERIFY2_WITH_TIMEOUT(QFileInfo::exists(envFile),
                                  qPrintable(QString::fromUtf8(sim.process.readAllStandardError())),
                                  20000);
        struct stat st
        {
        };
        QCOMPARE(::stat(QFile::encodeName(envFile).constData(), &st), 0);
        QCOMPARE(st.st_mode & 0777, mode_t(0600));

        // What the README says: source the file, then cpctl talks to the simulator.
        QProcessEnvironment shell = baseEnv();
        shell.insert(QStringLiteral("CPCTL"), QStringLiteral(CPC_BINARY_DIR "/app/cpctl"));
        shell.insert(QStringLiteral("ENV_FILE"), envFile);
        const auto bash = [&](const QString &script) {
            QProcess p;
            p.setProcessEnvironment(shell);
            p.start(QStringLiteral("bash"), { QStringLiteral("-c"), script });
            [&] {
                QTRY_VERIFY_WITH_TIMEOUT(p.state() == QProcess::NotRunning, 60000);
            }();
            return CtlRun { p.exitCode(), p.readAllStandardOutput(), p.readAllStandardError() };
        };
        CtlRun r = bash(QStringLiteral("source \"$ENV_FILE\" && \"$CPCTL\" list --json"));
        QVERIFY2(r.code == 0, r.err.constData());
        const QJsonArray rows = QJsonDocument::fromJson(r.out).array();
        QCOMPARE(rows.size(), 7);
        QString running;
        for (const QJsonValue &v : rows)
            if (v[QStringLiteral("status")].toString() == QLatin1String("online"))
                running = v[QStringLiteral("id")].toString();
        QVERIFY(!running.isEmpty());
        // The CP part works too: the credentials in the file are the simulator's.
        r = bash(QStringLiteral("source \"$ENV_FILE\" && \"$CPCTL\" status %1").arg(running));
        QVERIFY2(r.code == 0, r.err.constData());
        QCOMPARE(r.out.trimmed(), QByteArray("running"));

        // Stopped, the simulator takes its file with it.
        ::kill(pid_t(sim.process.processId()), SIGTERM);
        QVERIFY(sim.process.waitForFinished(10000));
        QVERIFY(!QFileInfo::exists(envFile));
    }

    void envFileOfANewerSimulatorIsKept()
    {
        // A second simulator wrote the file since: stopping the first leaves the second's.
        const QString envFile = m_dir.filePath(QStringLiteral("twice.env"));
        SimProcess first, second;
        QVERIFY(first.start({ "--no-auth", "--env-file", envFile }, baseEnv()));
        QVERIFY2(first.waitForBanner(), first.err.constData());
        QVERIFY(second.start({ "--no-auth", "--env-file", envFile }, baseEnv()));
        QVERIFY2(second.waitForBanner(), second.err.constData());
        QFile f(envFile);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray secondsFile = f.readAll();
        f.close();
        ::kill(pid_t(first.process.processId()), SIGTERM);
        QVERIFY(first.process.waitForFinished(10000));
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), secondsFile);
        f.close();
        ::kill(pid_t(second.process.processId()), SIGTERM);
        QVERIFY(second.process.waitForFinished(10000));
        QVERIFY(!QFileInfo::exists(envFile));
    }

    void envFileThatIsADeviceIsRefused()
    {
        SimProcess sim;
        QVERIFY(sim.start({ "--env-file", "/dev/null" }, baseEnv()));
        QVERIFY(sim.process.waitForFinished(20000));
        QCOMPARE(sim.process.exitCode(), 2);
        QVERIFY(sim.process.readAllStandardError().contains("not a regular file"));
        QVERIFY(QFileInfo(QStringLiteral("/dev/null")).exists());
    }

    void listingFromANewOrEmptyDatabaseSaysSo()
    {
        const QString path = m_dir.filePath(QStringLiteral("typo.sqlite"));
        const QStringList list { "list", "--db", QStringLiteral("sqlite:") + path };
        CtlRun r = test::runCtl(list, baseEnv());
        QCOMPARE(r.code, 0);
        QVERIFY2(r.err.contains("note: database sqlite:" + QFile::encodeName(path)
                                + " holds no workspaces (it was just created"),
                 r.err.constData());
        QVERIFY(!r.out.contains("note")); // stdout stays the table (its header)
        // Again: not new any more, still empty.
        r = test::runCtl(list, baseEnv());
        QCOMPARE(r.code, 0);
        QVERIFY2(r.err.contains("holds no workspaces") && !r.err.contains("just created"),
                 r.err.constData());
        r = test::runCtl(list + QStringList { "--json" }, baseEnv());
        QCOMPARE(r.code, 0);
        QCOMPARE(QJsonDocument::fromJson(r.out).array().size(), 0);
        QVERIFY(r.err.contains("holds no workspaces"));

        // With a workspace in it: no note, also when a filter matches nothing.
        WorkspaceRow row;
        row.id = QStringLiteral("5a7c9e66-7425-40de-944b-e07fc1f90ae7");
        row.name = QStringLiteral("aisha-dev");
        row.status = QStringLiteral("online");
        {
            auto src = WorkspaceSource::open(QStringLiteral("sqlite:") + path);
            QVERIFY(src && src.value()->upsertRows({ row }));
        }
        r = test::runCtl(list, baseEnv());
        QCOMPARE(r.code, 0);
        QVERIFY(r.out.contains("aisha-dev"));
        QVERIFY2(!r.err.contains("note:"), r.err.constData());
        r = test::runCtl(list + QStringList { "--filter", "nothing-like-it" }, baseEnv());
        QCOMPARE(r.code, 0);
        QVERIFY(r.err.contains("0 workspace(s)"));
        QVERIFY2(!r.err.contains("note:"), r.err.constData());
    }

    void restartKeepsTheDatabaseAConsoleHasOpen()
    {
        // The default database of `cpctl sim --workspaces N` lives in the temporary folder and
        // is named by the port: a restart on the same port finds it.
        QDir().mkpath(m_dir.filePath(QStringLiteral("tmp")));
        QProcessEnvironment env = baseEnv();
        env.insert(QStringLiteral("TMPDIR"), m_dir.filePath(QStringLiteral("tmp")));
        quint16 port = 0;
        {
            QTcpServer probe;
            QVERIFY(probe.listen(QHostAddress::LocalHost));
            port = probe.serverPort();
        }
        const QStringList args { "--port", QString::number(port), "--workspaces", "6" };
        auto first = std::make_unique<SimProcess>();
        QVERIFY(first->start(args, env));
        QVERIFY2(first->waitForBanner(), first->err.constData());
        const QString dbUrl = first->exported(QStringLiteral("CPCONSOLE_DB"));
        QVERIFY(dbUrl.startsWith(QLatin1String("sqlite:")));
        const QString path = dbUrl.mid(7);
        const ino_t inode = inodeOf(path);
        QVERIFY(inode != 0);

        // A console has it open.
        auto console = WorkspaceSource::open(dbUrl);
        QVERIFY(console);
        const auto rows = console.value()->list();
        QVERIFY(rows && rows->size() == 6);
        WorkspaceRow target;
        for (const WorkspaceRow &r : rows.value())
            if (!r.instanceId.isEmpty())
                target = r;
        QVERIFY(!target.id.isEmpty());

        first.reset();
        SimProcess second;
        QVERIFY(second.start(args, env));
        QVERIFY2(second.waitForBanner(), second.err.constData());
        QCOMPARE(second.exported(QStringLiteral("CPCONSOLE_DB")), dbUrl);
        QCOMPARE(inodeOf(path), inode);

        // The console's next write lands, in the file everyone reads.
        const auto w
            = console.value()->recordProvisioned(target.id, QStringLiteral("i-0console0write"),
                                                 QStringLiteral("provisioning"), target.instanceId);
        QVERIFY2(w, qPrintable(w ? QString() : w.error().message));
        QVERIFY(w->written);
        QProcessEnvironment shellEnv = env;
        shellEnv.insert(QStringLiteral("CPCONSOLE_DB"), dbUrl);
        const CtlRun r = test::runCtl({ "show", target.id, "--json" }, shellEnv);
        QCOMPARE(r.code, 0);
        QCOMPARE(QJsonDocument::fromJson(r.out)[QStringLiteral("instance_id")].toString(),
                 QStringLiteral("i-0console0write"));
        // And the simulator said why it did not write its own rows.
        QVERIFY2(second.err.contains("never replaced"), second.err.constData());
    }
};

QTEST_GUILESS_MAIN(tst_CtlPractice)
#include "tst_ctlpractice.moc"
