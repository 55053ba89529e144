// The instance ledger across processes: real cpctl processes against the CP simulator (or a
// scripted loopback CP where the test must see exactly what was sent), sharing one workspace
// file and one local state file, as two terminals of one engineer do.
#include "ctlrunner.h"
#include "simfixture.h"
#include "sqltest.h"
#include "statestore.h"
#include "testserver.h"
#include "workspacesource.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSysInfo>
#include <QTemporaryDir>
#include <QtTest>

#include <pwd.h>
#include <unistd.h>

using namespace cpc;
using namespace cpc::test;

namespace {
const QString kShared = QStringLiteral("ledger-shared-5ecr3t-41");

struct Run
{
    int code = -1;
    QString out;
    QString err;
};

QString realUser()
{
    const passwd *pw = ::getpwuid(::geteuid());
    return pw ? QString::fromLocal8Bit(pw->pw_name) : QString();
}
} // namespace

class tst_CpctlLedger : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<Simulator> m_sim;
    QUrl m_cpUrl;

    QString dbUrl() const
    {
        return QStringLiteral("sqlite:") + m_dir.filePath(QStringLiteral("ws.sqlite"));
    }
    QString statePath() const { return m_dir.filePath(QStringLiteral("state.sqlite")); }

    QProcessEnvironment env() const
    {
        QProcessEnvironment e = ctlBaseEnv(m_dir.path());
        e.insert(QStringLiteral("CP_PROVISION_URL"), m_cpUrl.toString());
        e.insert(QStringLiteral("MOLECULE_CP_SHARED_SECRET"), kShared);
        e.insert(QStringLiteral("MOLECULE_ORG_ID"), QStringLiteral("org-ledger"));
        e.insert(QStringLiteral("CPCONSOLE_DB"), dbUrl());
        e.insert(QStringLiteral("CPCONSOLE_STATE"), statePath());
        return e;
    }

    QProcess *startCpctl(const QStringList &args, const QProcessEnvironment &e)
    {
        auto *p = new QProcess(this);
        p->setProcessEnvironment(e);
        p->start(QStringLiteral(CPC_BINARY_DIR "/app/cpctl"), args);
        return p;
    }
    /// Runs cpctl to the end without blocking the event loop (the CP lives in this process).
    Run finish(QProcess *p)
    {
        [&] {
            QTRY_VERIFY_WITH_TIMEOUT(p->state() == QProcess::NotRunning, 60'000);
        }();
        if (p->state() != QProcess::NotRunning) {
            p->kill();
            p->waitForFinished();
        }
        Run r;
        r.code = p->exitStatus() == QProcess::NormalExit ? p->exitCode() : -1;
        r.out = QString::fromUtf8(p->readAllStandardOutput());
        r.err = QString::fromUtf8(p->readAllStandardError());
        p->deleteLater();
        return r;
    }
    static Run cpctl(const QStringList &args, const QProcessEnvironment &e)
    {
        const CtlRun c = runCtl(args, e);
        return { c.code, QString::fromUtf8(c.out), QString::fromUtf8(c.err) };
    }
    Run cpctl(const QStringList &args) { return cpctl(args, env()); }

    std::optional<WorkspaceRow> row(const QString &id) const { return workspaceRow(dbUrl(), id); }
    QJsonArray journal(bool all = false)
    {
        const Run r = cpctl(all ? QStringList { "journal", "--all", "--json" }
                                : QStringList { "journal", "--json" });
        return QJsonDocument::fromJson(r.out.toUtf8()).array();
    }

    bool startSimulator(const QList<WorkspaceRow> &rows)
    {
        SimulatorOptions so = simulatorOptions({ kShared, {}, {} });
        so.bootMs = 100;
        so.stopMs = 100;
        so.seed = 11;
        m_sim = cpc::test::startSimulator(so);
        if (!m_sim)
            return false;
        m_sim->adopt(rows);
        m_cpUrl = m_sim->baseUrl();
        return true;
    }

    static WorkspaceRow makeRow(const QString &id, const QString &instanceId, const QString &status)
    {
        WorkspaceRow r;
        r.id = id;
        r.name = id;
        r.runtime = QStringLiteral("python");
        r.tier = 1;
        r.status = status;
        r.instanceId = instanceId;
        return r;
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void init()
    {
        QFile::remove(m_dir.filePath(QStringLiteral("ws.sqlite")));
        QFile::remove(statePath());
        const QList<WorkspaceRow> rows {
            makeRow(QStringLiteral("ws-free"), QString(), QStringLiteral("offline")),
            makeRow(QStringLiteral("ws-run"), QStringLiteral("mol-ws-run-1"),
                    QStringLiteral("online")),
        };
        auto src = WorkspaceSource::open(dbUrl());
        QVERIFY(src);
        QVERIFY(src.value()->upsertRows(rows));
        QVERIFY(startSimulator(rows));
    }
    void cleanup() { m_sim.reset(); }

    // --- one operation per workspace, across processes ---------------------------------------

    void secondProvisionIsRefusedNamingTheHolder()
    {
        const QString ws = QStringLiteral("ws-free");
        QVERIFY(m_sim->setFaults(QStringLiteral("provision.latency=3000")));
        QProcess *first = startCpctl({ "provision", ws, "--runtime", "go", "--tier", "1" }, env());
        QVERIFY(first->waitForStarted());
        // The first has reached the CP and waits for its answer.
        QTRY_VERIFY_WITH_TIMEOUT(m_sim->requestCount(QStringLiteral("provision")) == 1, 20'000);

        const Run second = cpctl({ "provision", ws, "--runtime", "go", "--tier", "1" });
        QCOMPARE(second.code, 1);
        const QString pid = QString::number(first->processId());
        QVERIFY2(second.err.startsWith(QStringLiteral("cpctl: %1@%2 (cpctl, pid %3) is "
                                                      "provisioning ws-free since ")
                                           .arg(realUser(), QSysInfo::machineHostName(), pid))
                     && second.err.contains(QLatin1String("cpctl journal")),
                 qPrintable(second.err));
        QCOMPARE(second.err.count(u'\n'), 1);
        // A stop is refused the same way, even though no instance is on file yet.
        const Run stop = cpctl({ "stop", ws, "--yes" });
        QCOMPARE(stop.code, 1);
        QVERIFY2(stop.err.contains(QLatin1String("is provisioning ws-free since")),
                 qPrintable(stop.err));
        // cpctl journal shows the operation in flight and who holds it.
        const Run j = cpctl({ "journal" });
        QVERIFY2(j.out.contains(QLatin1String("in-flight")) && j.out.contains(pid),
                 qPrintable(j.out + j.err));

        const Run done = finish(first);
        QCOMPARE(done.code, 0);
        const QString iid = done.out.trimmed();
        QCOMPARE(m_sim->requestCount(QStringLiteral("provision")), 1); // one reached the CP
        QCOMPARE(m_sim->latestInstanceId(ws), iid);
        QCOMPARE(row(ws)->instanceId, iid);
        QCOMPARE(journal().size(), 0); // nothing unresolved, nothing in flight
    }

    void lockOfAKilledProcessIsReleased()
    {
        const QString ws = QStringLiteral("ws-run");
        QVERIFY(m_sim->setFaults(QStringLiteral("stop.latency=60000")));
        QProcess *holder = startCpctl({ "stop", ws, "--yes" }, env());
        QVERIFY(holder->waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(m_sim->requestCount(QStringLiteral("stop")) == 1, 20'000);
        const qint64 pid = holder->processId();
        // While it lives, it holds the workspace.
        Run r = cpctl({ "stop", ws, "--yes" });
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains(QStringLiteral("is stopping ws-run since")), qPrintable(r.err));
        holder->kill(); // SIGKILL: no chance to release anything
        holder->waitForFinished();
        holder->deleteLater();

        // The next stop finds the holder gone, releases its lock and goes through.
        QVERIFY(m_sim->setFaults(QStringLiteral("none")));
        r = cpctl({ "stop", ws, "--yes" });
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QCOMPARE(m_sim->requestCount(QStringLiteral("stop")), 2);
        QVERIFY(row(ws)->instanceId.isEmpty());
        // The killed stop stays in the journal with an unknown outcome, naming its process.
        bool found = false;
        for (const QJsonValue v : journal(true)) {
            const QJsonObject e = v.toObject();
            if (e.value("kind").toString() == QLatin1String("stop")
                && e.value("holder").toObject().value("pid").toInteger() == pid) {
                found = true;
                QCOMPARE(e.value("outcome").toString(), QStringLiteral("unknown"));
                QVERIFY2(e.value("detail").toString().contains(QLatin1String("gone")),
                         qPrintable(e.value("detail").toString()));
            }
        }
        QVERIFY(found);
    }

    // --- reconcile re-sends the environment keys ---------------------------------------------

    void reconcileResendsTheEnvironmentKeys()
    {
        // A scripted CP that keeps the first provision waiting (the process is killed while it
        // waits) and then answers: the test reads exactly what reconcile sent.
        m_sim.reset();
        TestServer cp;
        bool hold = true;
        cp.setHandler([&hold](const HttpRequest &) {
            HttpResponse r
                = HttpResponse::json(201, R"({"instance_id":"i-0reconciled","state":"pending"})");
            if (hold)
                r.delayMs = 60'000;
            return r;
        });
        m_cpUrl = cp.baseUrl();
        QProcessEnvironment e = env();
        e.insert(QStringLiteral("INSTANCE_TOKEN"), QStringLiteral("tok-from-env-1"));
        QProcess *p = startCpctl({ "provision", "ws-free", "--runtime", "go", "--tier", "1",
                                   "--env", "INSTANCE_TOKEN", "--env", "LOG_LEVEL=debug" },
                                 e);
        QVERIFY(p->waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(cp.requestCount() == 1, 20'000);
        const QJsonObject sent = QJsonDocument::fromJson(cp.lastRequest().body).object();
        QCOMPARE(sent.value("env").toObject().keys(),
                 QStringList({ "INSTANCE_TOKEN", "LOG_LEVEL" }));
        p->kill();
        p->waitForFinished();
        p->deleteLater();
        hold = false;
        const QJsonArray entries = journal();
        QCOMPARE(entries.size(), 1);
        const QString id = QString::number(entries.first().toObject().value("id").toInteger());

        // A key missing from this environment: nothing is sent and the keys are named.
        QProcessEnvironment missing = env();
        missing.insert(QStringLiteral("LOG_LEVEL"), QStringLiteral("info"));
        Run r = cpctl({ "reconcile", id }, missing);
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.startsWith(QStringLiteral("cpctl: reconcile not sent: the original "
                                                 "request's environment key INSTANCE_TOKEN is "
                                                 "not set here"))
                     && !r.err.contains(QLatin1String("LOG_LEVEL")),
                 qPrintable(r.err));
        QCOMPARE(cp.requestCount(), 1);
        QCOMPARE(journal().size(), 1); // still unresolved

        // Both present: re-sent with the same key and the same env keys, values from here.
        QProcessEnvironment full = missing;
        full.insert(QStringLiteral("INSTANCE_TOKEN"), QStringLiteral("tok-from-env-2"));
        r = cpctl({ "reconcile", id }, full);
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QCOMPARE(cp.requestCount(), 2);
        const QJsonObject resent = QJsonDocument::fromJson(cp.lastRequest().body).object();
        QCOMPARE(resent.value("idempotency_key").toString(),
                 sent.value("idempotency_key").toString());
        const QJsonObject env = resent.value("env").toObject();
        QCOMPARE(env.keys(), QStringList({ "INSTANCE_TOKEN", "LOG_LEVEL" }));
        QCOMPARE(env.value("INSTANCE_TOKEN").toString(), QStringLiteral("tok-from-env-2"));
        QCOMPARE(env.value("LOG_LEVEL").toString(), QStringLiteral("info"));
        QCOMPARE(row(QStringLiteral("ws-free"))->instanceId, QStringLiteral("i-0reconciled"));
        QCOMPARE(journal().size(), 0);
    }

    // --- the audit "who" ---------------------------------------------------------------------

    void auditRecordsTheRealUserTheHostAndTheProfile()
    {
        QProcessEnvironment e = env();
        e.insert(QStringLiteral("USER"), QStringLiteral("mallory-not-me"));
        e.insert(QStringLiteral("LOGNAME"), QStringLiteral("mallory-not-me"));
        const Run r = cpctl({ "stop", "ws-run", "--yes" }, e);
        QVERIFY2(r.code == 0, qPrintable(r.err));
        auto state = StateStore::open(statePath());
        QVERIFY(state);
        const auto audit = state.value()->audit(QStringLiteral("ws-run"));
        QVERIFY(audit && !audit->isEmpty());
        const AuditEntry &a = audit->first();
        QCOMPARE(a.action, QStringLiteral("stop"));
        QCOMPARE(a.user, realUser());
        QVERIFY(!realUser().isEmpty());
        QCOMPARE(a.host, QSysInfo::machineHostName());
        QCOMPARE(a.orgId, QStringLiteral("org-ledger"));

        // cpctl audit shows who and where, in JSON and as user@host in the table.
        const Run json = cpctl({ "audit", "ws-run", "--json" });
        QVERIFY2(json.code == 0, qPrintable(json.err));
        const QJsonObject first
            = QJsonDocument::fromJson(json.out.toUtf8()).array().first().toObject();
        QCOMPARE(first.value("user").toString(), realUser());
        QCOMPARE(first.value("host").toString(), QSysInfo::machineHostName());
        const Run text = cpctl({ "audit", "ws-run" });
        QVERIFY2(text.out.contains(realUser() + u'@' + QSysInfo::machineHostName()),
                 qPrintable(text.out));
        QVERIFY(!text.out.contains(QLatin1String("mallory")));
    }

    // --- provision over an instance on file --------------------------------------------------

    void provisionOverARunningInstanceNeedsReplace()
    {
        const QString ws = QStringLiteral("ws-run");
        const QString old = QStringLiteral("mol-ws-run-1");
        Run r = cpctl({ "provision", ws, "--runtime", "go", "--tier", "1" });
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.startsWith(QStringLiteral("cpctl: provision refused: ws-run has instance "
                                                 "mol-ws-run-1 on file and the CP says it is "
                                                 "running; provision --replace replaces it")),
                 qPrintable(r.err));
        QCOMPARE(r.err.count(u'\n'), 1);
        QCOMPARE(m_sim->requestCount(QStringLiteral("provision")), 0);
        QCOMPARE(row(ws)->instanceId, old);

        // Unknown is no better than running: refused too.
        QVERIFY(m_sim->setFaults(QStringLiteral("status.5xx")));
        r = cpctl({ "--retries", "1", "provision", ws, "--runtime", "go", "--tier", "1" });
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains(QLatin1String("its status is unknown")), qPrintable(r.err));
        QCOMPARE(m_sim->requestCount(QStringLiteral("provision")), 0);

        // --replace sends it. (This CP, like the real one, answers 409 while a live instance
        // exists; the row is left as it was.)
        QVERIFY(m_sim->setFaults(QStringLiteral("none")));
        r = cpctl({ "provision", ws, "--runtime", "go", "--tier", "1", "--replace" });
        QCOMPARE(m_sim->requestCount(QStringLiteral("provision")), 1);
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains(QLatin1String("provision failed (409)")), qPrintable(r.err));
        QCOMPARE(row(ws)->instanceId, old);
        const QJsonArray all = journal(true);
        QCOMPARE(all.first().toObject().value("replaced_instance_id").toString(), old);
    }

    void replaceRecordsTheReplacedInstance()
    {
        // An instance on file the CP does not know (404: unknown), replaced on purpose.
        const QString ws = QStringLiteral("ws-ghost");
        auto src = WorkspaceSource::open(dbUrl());
        QVERIFY(src);
        QVERIFY(src.value()->upsertRows(
            { makeRow(ws, QStringLiteral("i-0ghost"), QStringLiteral("online")) }));
        Run r = cpctl({ "provision", ws, "--runtime", "go", "--tier", "1" });
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains(QLatin1String("i-0ghost"))
                     && r.err.contains(QLatin1String("unknown")),
                 qPrintable(r.err));
        r = cpctl({ "provision", ws, "--runtime", "go", "--tier", "1", "--replace", "--json" });
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const QJsonObject out = QJsonDocument::fromJson(r.out.toUtf8()).object();
        const QString iid = out.value("instance_id").toString();
        QCOMPARE(iid, m_sim->latestInstanceId(ws));
        QCOMPARE(out.value("replaced_instance_id").toString(), QStringLiteral("i-0ghost"));
        QVERIFY2(r.err.contains(QStringLiteral("replaced i-0ghost on file with %1").arg(iid)),
                 qPrintable(r.err));
        QCOMPARE(row(ws)->instanceId, iid);
        const Run audit = cpctl({ "audit", ws, "--json" });
        QVERIFY2(audit.out.contains(QStringLiteral("%1 (replaced i-0ghost)").arg(iid)),
                 qPrintable(audit.out));
    }

    void stopWhoseRowMovedOnWarns()
    {
        const QString ws = QStringLiteral("ws-run");
        QVERIFY(m_sim->setFaults(QStringLiteral("stop.latency=2000")));
        QProcess *p = startCpctl({ "stop", ws, "--yes" }, env());
        QVERIFY(p->waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(m_sim->instance(QStringLiteral("mol-ws-run-1"))->state
                                     == QLatin1String("stopping"),
                                 20'000);
        {
            // Another writer records a newer instance while the stop is out.
            auto other = WorkspaceSource::open(dbUrl());
            QVERIFY(other);
            QVERIFY(other.value()
                        ->recordProvisioned(ws, QStringLiteral("i-0newer"),
                                            QStringLiteral("provisioning"),
                                            QStringLiteral("mol-ws-run-1"))
                        ->written);
        }
        const Run r = finish(p);
        QCOMPARE(r.code, 0);
        QCOMPARE(r.out.trimmed(), QStringLiteral("stopped mol-ws-run-1"));
        QVERIFY2(r.err.startsWith(QStringLiteral("cpctl: warning: the row of ws-run moved on to "
                                                 "i-0newer while mol-ws-run-1 was being stopped")),
                 qPrintable(r.err));
        QCOMPARE(row(ws)->instanceId, QStringLiteral("i-0newer"));
    }
};

QTEST_GUILESS_MAIN(tst_CpctlLedger)
#include "tst_cpctlledger.moc"
