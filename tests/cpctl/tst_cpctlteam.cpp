// cpctl with team state on the real PostgreSQL server of tests/pg-fixture.sh: the schema made
// by `cpctl state migrate`, two engineers (two OS users when the test runs as root, two
// database roles always) racing a provision of one workspace, a holder that is killed or
// frozen, and `cpctl audit --follow`.
#include "ctlrunner.h"
#include "simfixture.h"
#include "simulator.h"
#include "sqltest.h"
#include "teamdb.h"
#include "workspacesource.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlQuery>
#include <QSysInfo>
#include <QTemporaryDir>
#include <QtTest>

#include <pwd.h>
#include <signal.h>
#include <unistd.h>

using namespace cpc;
using namespace cpc::test;

namespace {
const QString kShared = QStringLiteral("team-shared-5ecr3t-16");
const QString kEnvValue = QStringLiteral("instance-env-v4lue-16");

// An engineer: a database role and, when the test runs as root, an OS user of their own.
struct Engineer
{
    QString role;
    QString osUser; ///< empty: this process's user
};

} // namespace

class tst_CpctlTeam : public QObject
{
    Q_OBJECT

    TeamDb m_team;
    QTemporaryDir m_dir;
    std::unique_ptr<Simulator> m_sim;
    QString m_cpctl; ///< a copy another OS user may run
    Engineer m_alice;
    Engineer m_bob;

    QString dbUrl() const
    {
        return QStringLiteral("sqlite:") + m_dir.filePath(QStringLiteral("ws.sqlite"));
    }

    QProcessEnvironment env(const Engineer &who) const
    {
        const QString home = m_dir.filePath(QStringLiteral("home-") + who.role);
        QDir().mkpath(home);
        QFile::setPermissions(home, QFileDevice::Permissions(0x7777));
        QProcessEnvironment e = ctlBaseEnv(home);
        e.insert(QStringLiteral("CP_PROVISION_URL"), m_sim->baseUrl().toString());
        e.insert(QStringLiteral("MOLECULE_CP_SHARED_SECRET"), kShared);
        e.insert(QStringLiteral("MOLECULE_ORG_ID"), QStringLiteral("org-team"));
        e.insert(QStringLiteral("CPCONSOLE_DB"), dbUrl());
        e.insert(QStringLiteral("CPCONSOLE_STATE"), m_team.url(who.role));
        return e;
    }

    /// cpctl as the engineer's OS user (runuser keeps the environment it is given).
    QProcess *start(const Engineer &who, const QStringList &args,
                    const QProcessEnvironment &extra = {})
    {
        auto *p = new QProcess(this);
        QProcessEnvironment e = env(who);
        for (const QString &k : extra.keys())
            e.insert(k, extra.value(k));
        p->setProcessEnvironment(e);
        if (who.osUser.isEmpty())
            p->start(m_cpctl, args);
        else
            p->start(QStringLiteral("runuser"),
                     QStringList { QStringLiteral("-u"), who.osUser, QStringLiteral("--"), m_cpctl }
                         + args);
        return p;
    }

    struct Run
    {
        int code = -1;
        QString out;
        QString err;
    };
    Run finish(QProcess *p)
    {
        [&] {
            QTRY_VERIFY_WITH_TIMEOUT(p->state() == QProcess::NotRunning, 60'000);
        }();
        if (p->state() != QProcess::NotRunning) {
            p->kill();
            p->waitForFinished();
        }
        Run r { p->exitStatus() == QProcess::NormalExit ? p->exitCode() : -1,
                QString::fromUtf8(p->readAllStandardOutput()),
                QString::fromUtf8(p->readAllStandardError()) };
        p->deleteLater();
        return r;
    }
    Run run(const Engineer &who, const QStringList &args, const QProcessEnvironment &extra = {})
    {
        return finish(start(who, args, extra));
    }

    static WorkspaceRow makeRow(const QString &id)
    {
        WorkspaceRow r;
        r.id = id;
        r.name = id;
        r.runtime = QStringLiteral("python");
        r.tier = 1;
        r.status = QStringLiteral("offline");
        return r;
    }

    QString osName(const Engineer &e) const
    {
        if (!e.osUser.isEmpty())
            return e.osUser;
        const passwd *pw = ::getpwuid(::geteuid());
        return pw ? QString::fromLocal8Bit(pw->pw_name) : QString();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        CPC_TEAMDB_SET_UP(m_team);
        // The folder, the workspace file and cpctl itself are open to the engineers' users.
        QFile::setPermissions(m_dir.path(), QFileDevice::Permissions(0x7777));
        m_cpctl = m_dir.filePath(QStringLiteral("cpctl"));
        QVERIFY(QFile::copy(QStringLiteral(CPC_BINARY_DIR "/app/cpctl"), m_cpctl));
        QFile::setPermissions(m_cpctl, QFileDevice::Permissions(0x7555));
        m_alice = { m_team.alice, {} };
        m_bob = { m_team.bob, {} };
        if (::geteuid() == 0) {
            m_alice.osUser = QStringLiteral("nobody");
            m_bob.osUser = QStringLiteral("daemon");
        }
    }

    void init()
    {
        const QString file = m_dir.filePath(QStringLiteral("ws.sqlite"));
        QFile::remove(file);
        const QList<WorkspaceRow> rows { makeRow(QStringLiteral("ws-race")),
                                         makeRow(QStringLiteral("ws-held")),
                                         makeRow(QStringLiteral("ws-frozen")) };
        {
            auto src = WorkspaceSource::open(dbUrl());
            QVERIFY(src);
            QVERIFY(src.value()->upsertRows(rows));
        }
        QFile::setPermissions(file, QFileDevice::Permissions(0x6666));
        SimulatorOptions so = simulatorOptions({ kShared, {}, {} });
        so.bootMs = 100;
        so.stopMs = 100;
        m_sim = cpc::test::startSimulator(so);
        QVERIFY(m_sim);
        m_sim->adopt(rows);
    }
    void cleanup() { m_sim.reset(); }
    void cleanupTestCase() { m_team.teardown(); }

    void stateMigrateCreatesReRunsAndRefusesNewer()
    {
        TeamDb fresh;
        QString why;
        QVERIFY2(fresh.setUp(&why, false), qPrintable(why));
        auto drop = qScopeGuard([&] { fresh.teardown(); });
        const QString url = fresh.url(fresh.server.user);
        const Engineer admin { fresh.server.user, {} };
        const Run first = run(admin, { "state", "migrate", "--state", url });
        QCOMPARE(first.code, 0);
        QVERIFY2(first.out.contains(QLatin1String("migrated from version 0 to 1")),
                 qPrintable(first.out + first.err));
        const Run again = run(admin, { "state", "migrate", "--state", url });
        QCOMPARE(again.code, 0);
        QVERIFY2(again.out.contains(QLatin1String("nothing to do")), qPrintable(again.out));
        const Run status = run(admin, { "state", "--state", url });
        QCOMPARE(status.code, 0);
        QVERIFY2(status.out.contains(QLatin1String("shared")), qPrintable(status.out));
        QVERIFY(
            sqlExec(fresh.admin,
                    QStringLiteral("INSERT INTO cpconsole.schema_version (version) VALUES (7)")));
        const Run newer = run(admin, { "state", "migrate", "--state", url });
        QCOMPARE(newer.code, 1);
        QVERIFY2(newer.err.contains(QLatin1String("newer than this CP Console")),
                 qPrintable(newer.err));
    }

    void twoEngineersRaceAProvision()
    {
        // Both start at once; the CP answers slowly, so both are in flight together.
        QVERIFY(m_sim->setFaults(QStringLiteral("provision.latency=2000")));
        const QStringList args { "provision", "ws-race",
                                 "--runtime", "go",
                                 "--tier",    "1",
                                 "--env",     QStringLiteral("API_KEY=") + kEnvValue };
        QProcess *a = start(m_alice, args);
        QProcess *b = start(m_bob, args);
        const Run ra = finish(a);
        const Run rb = finish(b);
        QCOMPARE(m_sim->requestCount(QStringLiteral("provision")), 1); // one reached the CP
        QVERIFY2((ra.code == 0) != (rb.code == 0), qPrintable(ra.err + "\n" + rb.err));
        const bool aliceWon = ra.code == 0;
        const Run &lost = aliceWon ? rb : ra;
        const Engineer &winner = aliceWon ? m_alice : m_bob;
        QCOMPARE(lost.code, 1);
        // Refused at once, naming the holder: the database role, the host, the OS user.
        const QString holder
            = QStringLiteral("%1@%2 (").arg(winner.role, QSysInfo::machineHostName());
        QVERIFY2(lost.err.contains(holder
                                   + (winner.osUser.isEmpty()
                                          ? QString()
                                          : QStringLiteral("OS user %1, ").arg(winner.osUser))
                                   + QStringLiteral("cpctl, pid "))
                     && lost.err.contains(QLatin1String("is provisioning ws-race since")),
                 qPrintable(lost.err));
        // The audit log says who, as the database authenticated them.
        QCOMPARE(sqlValue(m_team.admin,
                          QStringLiteral("SELECT db_user || '/' || \"user\" FROM cpconsole.audit "
                                         "WHERE workspace_id = 'ws-race' AND action = 'provision' "
                                         "AND result = 'ok'"))
                     .toString(),
                 winner.role + u'/' + osName(winner));
        QCOMPARE(sqlValue(m_team.admin,
                          QStringLiteral("SELECT count(*) FROM cpconsole.audit WHERE "
                                         "workspace_id = 'ws-race' AND result = 'refused'"))
                     .toInt(),
                 1);
    }

    void killedHolderIsTakenOverAndItsOutcomeIsTeamWide()
    {
        QVERIFY(m_sim->setFaults(QStringLiteral("provision.latency=60000")));
        const QStringList args { "provision", "ws-held", "--runtime", "go", "--tier", "1" };
        QProcess *a = start(m_alice, args);
        QTRY_VERIFY_WITH_TIMEOUT(m_sim->requestCount(QStringLiteral("provision")) == 1, 20'000);
        const Run refused = run(m_bob, args);
        QCOMPARE(refused.code, 1);
        // The holder dies between sending and recording.
        QVERIFY(sqlValue(m_team.admin,
                         QStringLiteral("SELECT count(*) FROM cpconsole.journal "
                                        "WHERE workspace_id = 'ws-held' AND "
                                        "outcome = 'pending'"))
                    .toInt()
                == 1);
        const qint64 pid = sqlValue(m_team.admin,
                                    QStringLiteral("SELECT holder_pid FROM "
                                                   "cpconsole.journal WHERE "
                                                   "workspace_id = 'ws-held'"))
                               .toLongLong();
        QVERIFY(pid > 0);
        QCOMPARE(::kill(pid_t(pid), SIGKILL), 0);
        finish(a);
        QVERIFY(m_sim->setFaults(QStringLiteral("none")));
        // Bob's next attempt takes the lease over, with a line in the audit log, and reaches
        // the CP (which may answer that alice's request created an instance meanwhile).
        const Run taken = run(m_bob, args);
        QVERIFY2(!taken.err.contains(QLatin1String("is provisioning ws-held")),
                 qPrintable(taken.err));
        QCOMPARE(m_sim->requestCount(QStringLiteral("provision")), 2);
        QVERIFY2(sqlValue(m_team.admin,
                          QStringLiteral("SELECT detail FROM cpconsole.audit WHERE workspace_id "
                                         "= 'ws-held' AND action = 'lock-released'"))
                     .toString()
                     .contains(QStringLiteral("%1@").arg(m_alice.role)),
                 "no audit line for the released lease");
        // The killed provision's outcome is unknown, for everyone, with who started it.
        const Run journal = run(m_bob, { "journal", "--json" });
        const QJsonArray entries = QJsonDocument::fromJson(journal.out.toUtf8()).array();
        QCOMPARE(entries.size(), 1);
        const QJsonObject e = entries.first().toObject();
        QCOMPARE(e.value(QLatin1String("outcome")).toString(), QStringLiteral("unknown"));
        QCOMPARE(
            e.value(QLatin1String("holder")).toObject().value(QLatin1String("db_user")).toString(),
            m_alice.role);
    }

    void frozenHoldersLeaseExpires()
    {
        // A laptop that froze (SIGSTOP): its process lives, but it renews nothing.
        QVERIFY(m_sim->setFaults(QStringLiteral("provision.latency=3000")));
        QProcessEnvironment shortLease;
        shortLease.insert(QStringLiteral("CPCONSOLE_LEASE_SECONDS"), QStringLiteral("2"));
        const QStringList args { "provision", "ws-frozen", "--runtime", "go", "--tier", "1" };
        QProcess *a = start(m_alice, args, shortLease);
        QTRY_VERIFY_WITH_TIMEOUT(m_sim->requestCount(QStringLiteral("provision")) == 1, 20'000);
        const qint64 pid = sqlValue(m_team.admin,
                                    QStringLiteral("SELECT holder_pid FROM "
                                                   "cpconsole.journal WHERE "
                                                   "workspace_id = 'ws-frozen'"))
                               .toLongLong();
        QVERIFY(pid > 0);
        QCOMPARE(::kill(pid_t(pid), SIGSTOP), 0);
        auto thaw = qScopeGuard([&] {
            ::kill(pid_t(pid), SIGKILL);
            // runuser stops itself when its child stops: it goes too.
            if (a->processId() != pid)
                ::kill(pid_t(a->processId()), SIGKILL);
            finish(a);
        });
        QVERIFY(m_sim->setFaults(QStringLiteral("none")));
        // Held while the lease runs: refused naming alice; once it expires, taken over.
        const Run first = run(m_bob, args, shortLease);
        QCOMPARE(first.code, 1);
        QVERIFY2(first.err.contains(m_alice.role), qPrintable(first.err));
        const auto refusedByLease = [&] {
            return run(m_bob, args, shortLease)
                .err.contains(QLatin1String("is provisioning ws-frozen"));
        };
        QTRY_VERIFY_WITH_TIMEOUT(!refusedByLease(), 30'000);
        QVERIFY(m_sim->requestCount(QStringLiteral("provision")) >= 2); // bob's reached the CP
        QVERIFY2(sqlValue(m_team.admin,
                          QStringLiteral("SELECT detail FROM cpconsole.audit WHERE workspace_id "
                                         "= 'ws-frozen' AND action = 'lock-released'"))
                     .toString()
                     .contains(QLatin1String("expired")),
                 "the take-over is not in the audit log");
    }

    void auditFollowStreamsTeammatesEntries()
    {
        QProcess *follow = start(m_bob, { "audit", "--follow", "--json" });
        auto stop = qScopeGuard([&] {
            follow->terminate();
            finish(follow);
        });
        QString err;
        QTRY_VERIFY_WITH_TIMEOUT((err += QString::fromUtf8(follow->readAllStandardError()))
                                     .contains(QLatin1String("following the audit log")),
                                 20'000);
        const Run stopped = run(m_alice, { "stop", "ws-race", "--yes" });
        QVERIFY2(stopped.code == 0, qPrintable(stopped.err));
        QByteArray out;
        QTRY_VERIFY_WITH_TIMEOUT((out += follow->readAllStandardOutput()).contains("\"stop\""),
                                 10'000);
        const QList<QByteArray> lines = out.trimmed().split('\n');
        const QJsonObject last = QJsonDocument::fromJson(lines.last()).object();
        QCOMPARE(last.value(QLatin1String("action")).toString(), QStringLiteral("stop"));
        QCOMPARE(last.value(QLatin1String("db_user")).toString(), m_alice.role);
    }

    /// Runs last: every row of every table of the team schema, and the engineers' outboxes,
    /// hold neither the CP's secret nor a value given to an instance.
    void noSecretInTeamState()
    {
        const QString tables = QStringLiteral("SELECT string_agg(table_name::text, ',') FROM "
                                              "information_schema.tables WHERE table_schema = "
                                              "'cpconsole'");
        const QStringList names = sqlValue(m_team.admin, tables).toString().split(u',');
        QVERIFY2(names.contains(QStringLiteral("audit"))
                     && names.contains(QStringLiteral("journal")),
                 qPrintable(names.join(u',')));
        int rows = 0;
        for (const QString &table : names) {
            QSqlQuery q(QSqlDatabase::database(m_team.admin, false));
            QVERIFY(q.exec(
                QStringLiteral("SELECT row_to_json(t)::text FROM cpconsole.%1 t").arg(table)));
            while (q.next()) {
                ++rows;
                const QString row = q.value(0).toString();
                QVERIFY2(!row.contains(kShared) && !row.contains(kEnvValue), qPrintable(row));
            }
        }
        QVERIFY(rows > 5); // the scan saw the entries of the tests before
        QCOMPARE(sqlValue(m_team.admin,
                          QStringLiteral("SELECT count(*) FROM cpconsole.journal "
                                         "WHERE request LIKE '%API_KEY%'"))
                     .toInt(),
                 1); // the env key is kept, its value is not
    }
};

QTEST_GUILESS_MAIN(tst_CpctlTeam)
#include "tst_cpctlteam.moc"
