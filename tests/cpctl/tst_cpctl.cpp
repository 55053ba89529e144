// cpctl as a process against the CP simulator over loopback: every command, every exit code,
// every injected fault, read-only refusal, and no secret in any output. One suite over 600 lines:
// one program, every command against the same simulator fixture.
#include "ctlrunner.h"
#include "demodata.h"
#include "simfixture.h"
#include "simulator.h"
#include "sqltest.h"
#include "workspacesource.h"

#include <QCryptographicHash>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using namespace cpc;
using namespace cpc::test;

namespace {
const QString kShared = QStringLiteral("ctl-shared-5ecr3t-77");
const QString kAdmin = QStringLiteral("ctl-admin-tok-88");
const QString kAdminKey = QStringLiteral("ctl-admin-key-99");

struct Run
{
    int code = -1;
    QString out;
    QString err;
};
} // namespace

class tst_Cpctl : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<Simulator> m_sim;
    QList<WorkspaceRow> m_rows;
    QStringList m_allOutput; // every stdout/stderr seen, checked for secrets at the end

    QString dbUrl() const
    {
        return QStringLiteral("sqlite:") + m_dir.filePath(QStringLiteral("ws.sqlite"));
    }

    QProcessEnvironment env(bool withOrg = true) const
    {
        QProcessEnvironment e = ctlBaseEnv(m_dir.path());
        e.insert(QStringLiteral("CP_PROVISION_URL"), m_sim->baseUrl().toString());
        e.insert(QStringLiteral("MOLECULE_CP_SHARED_SECRET"), kShared);
        e.insert(QStringLiteral("ADMIN_TOKEN"), kAdmin);
        e.insert(QStringLiteral("CP_ADMIN_API_TOKEN"), kAdminKey);
        e.insert(QStringLiteral("CPCONSOLE_DB"), dbUrl());
        e.insert(QStringLiteral("CPCONSOLE_STATE"), m_dir.filePath(QStringLiteral("state.sqlite")));
        if (withOrg)
            e.insert(QStringLiteral("MOLECULE_ORG_ID"), QStringLiteral("org-e2e"));
        return e;
    }

    Run cpctl(const QStringList &args, const QProcessEnvironment &e,
              const QByteArray &stdinData = {})
    {
        CtlRunOptions o;
        o.stdinData = stdinData;
        const CtlRun c = runCtl(args, e, o);
        const Run r { c.code, QString::fromUtf8(c.out), QString::fromUtf8(c.err) };
        m_allOutput << r.out << r.err;
        return r;
    }
    Run cpctl(const QStringList &args) { return cpctl(args, env()); }

    QString onlineWithInstance() const
    {
        for (const WorkspaceRow &r : m_rows)
            if (r.status == QLatin1String("online") && !r.instanceId.isEmpty())
                return r.id;
        return {};
    }
    QString withoutInstance() const
    {
        for (const WorkspaceRow &r : m_rows)
            if (r.instanceId.isEmpty() && r.status != QLatin1String("removed"))
                return r.id;
        return {};
    }
    std::optional<WorkspaceRow> row(const QString &id) { return workspaceRow(dbUrl(), id); }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void init()
    {
        SimulatorOptions so = simulatorOptions({ kShared, kAdmin, kAdminKey });
        so.bootMs = 200;
        so.stopMs = 200;
        so.seed = 7;
        m_sim = startSimulator(so);
        QVERIFY(m_sim);
        QFile::remove(dbUrl().mid(7));
        QFile::remove(m_dir.filePath(QStringLiteral("state.sqlite")));
        m_rows = generateWorkspaces(40, 7);
        auto src = WorkspaceSource::open(dbUrl());
        QVERIFY(src);
        QVERIFY(src.value()->upsertRows(m_rows));
        m_sim->adopt(m_rows);
    }
    void cleanup() { m_sim.reset(); }

    void cleanupTestCase()
    {
        for (const QString &s : std::as_const(m_allOutput)) {
            QVERIFY2(!s.contains(kShared) && !s.contains(kAdmin) && !s.contains(kAdminKey),
                     qPrintable(s.left(300)));
        }
        QVERIFY(!m_allOutput.isEmpty());
    }

    // --- usage and configuration: exit 2 -------------------------------------------------
    void usage_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("errPart");
        QTest::newRow("no command") << QStringList {} << 2 << "";
        QTest::newRow("unknown command")
            << QStringList { "frobnicate" } << 2 << "unknown command 'frobnicate'";
        QTest::newRow("unknown option") << QStringList { "list", "--bogus" } << 2 << "bogus";
        QTest::newRow("option of another command") << QStringList { "list", "--yes" } << 2 << "yes";
        QTest::newRow("show without id")
            << QStringList { "show" } << 2 << "show needs one workspace ID";
        QTest::newRow("status without id")
            << QStringList { "status" } << 2 << "status needs one workspace ID";
        QTest::newRow("provision without runtime")
            << QStringList { "provision", "ws-new", "--tier", "1" } << 2 << "--runtime";
        QTest::newRow("provision bad tier")
            << QStringList { "provision", "ws-new", "--runtime", "python", "--tier", "two" } << 2
            << "--tier";
        QTest::newRow("provision bad env")
            << QStringList { "provision", "ws-new", "--runtime", "python",
                             "--tier",    "1",      "--env",     "=x" }
            << 2 << "--env";
        QTest::newRow("bad timeout")
            << QStringList { "--timeout", "0", "list" } << 2 << "--timeout";
        QTest::newRow("invalid id status")
            << QStringList { "status", "../admin" } << 2 << "invalid workspace ID";
        QTest::newRow("invalid id stop")
            << QStringList { "stop", "a/b", "--yes" } << 2 << "invalid workspace ID";
        QTest::newRow("invalid id provision")
            << QStringList { "provision", "a?b", "--runtime", "go", "--tier", "1" } << 2
            << "invalid workspace ID";
        QTest::newRow("invalid id console")
            << QStringList { "console", "a b" } << 2 << "invalid workspace ID";
        QTest::newRow("invalid id show")
            << QStringList { "show", QString(300, u'x') } << 2 << "invalid workspace ID";
        QTest::newRow("sync without from") << QStringList { "sync" } << 2 << "--from";
        QTest::newRow("bad fault spec")
            << QStringList { "sim", "--faults", "status.explode" } << 2 << "explode";
        QTest::newRow("unknown profile")
            << QStringList { "--profile", "nope", "list" } << 2 << "no profile named 'nope'";
    }
    void usage()
    {
        QFETCH(QStringList, args);
        QFETCH(int, code);
        QFETCH(QString, errPart);
        const Run r = cpctl(args);
        QCOMPARE(r.code, code);
        if (!errPart.isEmpty())
            QVERIFY2(r.err.contains(errPart), qPrintable(r.err));
        if (!args.isEmpty())
            QCOMPARE(r.err.count(u'\n'), 1); // one clear line
    }

    void helpAndVersion()
    {
        Run r = cpctl({ "--help" });
        QCOMPARE(r.code, 0);
        for (const char *c :
             { "list", "show", "provision", "stop", "status", "console", "audit", "sync", "sim" })
            QVERIFY2(r.out.contains(QLatin1String("  ") + QLatin1String(c)), c);
        QVERIFY(r.out.contains(QLatin1String("Exit codes")));
        for (const char *c :
             { "list", "show", "provision", "stop", "status", "console", "audit", "sync", "sim" }) {
            r = cpctl({ QLatin1String(c), "--help" });
            QCOMPARE(r.code, 0);
            QVERIFY(r.out.startsWith(QLatin1String("Usage: cpctl ") + QLatin1String(c)));
        }
        r = cpctl({ "--version" });
        QCOMPARE(r.code, 0);
        QVERIFY(r.out.startsWith(QLatin1String("cpctl 0.")));
    }

    void missingOrgId()
    {
        const Run r = cpctl({ "status", onlineWithInstance() }, env(false));
        QCOMPARE(r.code, 2);
        QVERIFY(r.err.contains(QLatin1String("MOLECULE_ORG_ID")));
    }

    void plainHttpToRemoteHost()
    {
        QProcessEnvironment e = env();
        e.insert(QStringLiteral("CP_PROVISION_URL"), QStringLiteral("http://cp.example.com"));
        Run r = cpctl({ "status", onlineWithInstance() }, e);
        QCOMPARE(r.code, 2);
        QVERIFY(r.err.contains(QLatin1String("--allow-insecure-http")));
        // Allowed explicitly, it is tried (and fails as unknown: no such host here).
        r = cpctl({ "--allow-insecure-http", "--timeout", "3", "status", onlineWithInstance() }, e);
        QCOMPARE(r.code, 4);
    }

    // --- list / show -----------------------------------------------------------------------
    void listJson()
    {
        Run r = cpctl({ "list", "--json" });
        QCOMPARE(r.code, 0);
        const QJsonArray a = QJsonDocument::fromJson(r.out.toUtf8()).array();
        int notRemoved = 0;
        for (const WorkspaceRow &w : m_rows)
            notRemoved += w.status != QLatin1String("removed");
        QCOMPARE(a.size(), notRemoved);
        for (const QJsonValue v : a) {
            const QJsonObject o = v.toObject();
            for (const char *k : { "id", "name", "status", "runtime", "tier", "instance_id" })
                QVERIFY2(o.contains(QLatin1String(k)), k);
            QVERIFY(o.value("status").toString() != QLatin1String("removed"));
        }
        r = cpctl({ "--json", "list", "--all" }); // global option before the command
        QCOMPARE(QJsonDocument::fromJson(r.out.toUtf8()).array().size(), m_rows.size());
        r = cpctl({ "list", "--status", "online", "--json" });
        for (const QJsonValue v : QJsonDocument::fromJson(r.out.toUtf8()).array())
            QCOMPARE(v.toObject().value("status").toString(), QStringLiteral("online"));
        const QString name = m_rows.first().name;
        r = cpctl({ "list", "--filter", name.toUpper() });
        QCOMPARE(r.code, 0);
        QVERIFY(r.out.contains(name));
        QVERIFY(r.out.startsWith(QLatin1String("ID")));
    }

    void showWorkspace()
    {
        const QString id = onlineWithInstance();
        Run r = cpctl({ "show", id });
        QCOMPARE(r.code, 0);
        QVERIFY(r.out.contains(id));
        QVERIFY(r.out.contains(QLatin1String("Status history:")));
        QVERIFY(r.out.contains(QLatin1String("Audit:")));
        r = cpctl({ "show", id, "--json" });
        const QJsonObject o = QJsonDocument::fromJson(r.out.toUtf8()).object();
        QCOMPARE(o.value("id").toString(), id);
        QVERIFY(o.value("audit").isArray());
        QVERIFY(o.value("status_history").isArray());
        r = cpctl({ "show", "no-such-workspace" });
        QCOMPARE(r.code, 1);
        QVERIFY(r.err.contains(QLatin1String("no workspace no-such-workspace")));
    }

    // --- provision / stop / status ------------------------------------------------------------
    void provisionStopStatusLifecycle()
    {
        const QString id = QStringLiteral("e2e-new-workspace");
        Run r = cpctl({ "provision", id, "--runtime", "python", "--tier", "2", "--name", "E2E new",
                        "--env", "FOO=bar", "--env", "SECRET_FOR_INSTANCE=hunter2-value",
                        "--disk-gb", "40" });
        QCOMPARE(r.code, 0);
        const QString iid = r.out.trimmed();
        QVERIFY2(iid.startsWith(QLatin1String("mol-ws-")), qPrintable(r.out + r.err));
        auto w = row(id);
        QVERIFY(w);
        QCOMPARE(w->instanceId, iid);
        QCOMPARE(w->status, QStringLiteral("provisioning"));
        QCOMPARE(w->name, QStringLiteral("E2E new"));

        // Boots in 200 ms on the simulator.
        [&] {
            QTRY_VERIFY_WITH_TIMEOUT(m_sim->instance(iid)
                                         && m_sim->instance(iid)->state == QLatin1String("running"),
                                     10000);
        }();
        r = cpctl({ "status", id });
        QCOMPARE(r.code, 0);
        QCOMPARE(r.out.trimmed(), QStringLiteral("running"));

        // No terminal, no --yes: refused, nothing stopped.
        r = cpctl({ "stop", id });
        QCOMPARE(r.code, 2);
        QVERIFY(r.err.contains(QLatin1String("--yes")));
        QCOMPARE(m_sim->instance(iid)->state, QStringLiteral("running"));

        r = cpctl({ "stop", id, "--yes" });
        QCOMPARE(r.code, 0);
        QVERIFY(r.out.contains(iid));
        w = row(id);
        QVERIFY(w->instanceId.isEmpty());
        QCOMPARE(w->status, QStringLiteral("offline"));
        QVERIFY(m_sim->instance(iid)->state != QLatin1String("running"));

        // Nothing on file now: idempotent success, and status is not running without a call.
        const qint64 stops = m_sim->requestCount(QStringLiteral("stop"));
        r = cpctl({ "stop", id, "--yes" });
        QCOMPARE(r.code, 0);
        QVERIFY(r.out.contains(QLatin1String("nothing to stop")));
        QCOMPARE(m_sim->requestCount(QStringLiteral("stop")), stops);
        r = cpctl({ "status", id });
        QCOMPARE(r.code, 3);
        QCOMPARE(r.out.trimmed(), QStringLiteral("not-running"));

        r = cpctl({ "audit", "--json" });
        QCOMPARE(r.code, 0);
        const QJsonArray a = QJsonDocument::fromJson(r.out.toUtf8()).array();
        QStringList actions;
        for (const QJsonValue v : a)
            actions << v.toObject().value("action").toString() + u':'
                    + v.toObject().value("result").toString();
        QVERIFY2(actions.contains(QStringLiteral("provision:ok")), qPrintable(actions.join(u',')));
        QVERIFY(actions.contains(QStringLiteral("stop:ok")));
        QVERIFY(!r.out.contains(QLatin1String("hunter2-value"))); // env values never stored
        QVERIFY(r.out.contains(QLatin1String("SECRET_FOR_INSTANCE")));
    }

    void statusExitCodes()
    {
        Run r = cpctl({ "status", onlineWithInstance() });
        QCOMPARE(r.code, 0);
        QCOMPARE(r.out.trimmed(), QStringLiteral("running"));
        r = cpctl({ "status", withoutInstance() });
        QCOMPARE(r.code, 3);
        r = cpctl({ "status", "not-in-the-database" });
        QCOMPARE(r.code, 3); // no row: nothing to act on
        QVERIFY(m_sim->setFaults(QStringLiteral("status.drop")));
        r = cpctl({ "status", onlineWithInstance() });
        QCOMPARE(r.code, 4);
        QCOMPARE(r.out.trimmed(), QStringLiteral("unknown"));
        QVERIFY(r.err.contains(QLatin1String("status check failed")));
        m_sim->close();
        r = cpctl({ "status", onlineWithInstance() });
        QCOMPARE(r.code, 4);
        QVERIFY(r.err.contains(QLatin1String("connection refused")));
    }

    void statusAll()
    {
        Run r = cpctl({ "status", "--all", "--concurrency", "4" });
        QCOMPARE(r.code, 0);
        const QStringList lines = r.out.trimmed().split(u'\n');
        int notRemoved = 0;
        for (const WorkspaceRow &w : m_rows)
            notRemoved += w.status != QLatin1String("removed");
        QCOMPARE(lines.size(), notRemoved);
        QVERIFY(r.out.contains(QLatin1String("\trunning")));
        QVERIFY(r.out.contains(QLatin1String("\tnot-running")));
        QVERIFY(m_sim->setFaults(QStringLiteral("status.5xx=1")));
        r = cpctl({ "status", "--all" });
        QCOMPARE(r.code, 4);
        QVERIFY(r.out.contains(QLatin1String("\tunknown\tstatus check failed (5")));
    }

    void statusAllKeepsItsConcurrencyOnTheWire_data()
    {
        QTest::addColumn<int>("concurrency");
        QTest::newRow("4") << 4;
        QTest::newRow("16") << 16;
    }

    void statusAllKeepsItsConcurrencyOnTheWire()
    {
        // Slow answers hold every call open: the CP sees as many at once as cpctl keeps in
        // flight, not the 6 connections a client opens to one host by default.
        QFETCH(int, concurrency);
        int withInstance = 0;
        for (const WorkspaceRow &w : m_rows)
            withInstance += !w.instanceId.isEmpty() && w.status != QLatin1String("removed");
        QVERIFY2(withInstance >= 16, qPrintable(QString::number(withInstance)));
        QVERIFY(m_sim->setFaults(QStringLiteral("status.latency=400")));
        m_sim->resetPeakConcurrentRequests();
        const Run r = cpctl({ "status", "--all", "--concurrency", QString::number(concurrency) });
        QCOMPARE(r.code, 0);
        QCOMPARE(m_sim->requestCount(QStringLiteral("status")), qint64(withInstance));
        QCOMPARE(m_sim->peakConcurrentRequests(), concurrency);
    }

    void readOnlyRefusesWrites()
    {
        const QString id = onlineWithInstance();
        const WorkspaceRow before = *row(id);
        Run r = cpctl({ "--read-only", "stop", id, "--yes" });
        QCOMPARE(r.code, 2);
        QVERIFY(r.err.contains(QLatin1String("read-only")));
        r = cpctl({ "provision", "ro-ws", "--runtime", "go", "--tier", "1", "--read-only" });
        QCOMPARE(r.code, 2);
        QVERIFY(r.err.contains(QLatin1String("read-only")));
        QCOMPARE(row(id)->instanceId, before.instanceId);
        QVERIFY(!row(QStringLiteral("ro-ws")));
        QCOMPARE(m_sim->requestCount(QStringLiteral("stop")), 0);
        QCOMPARE(m_sim->requestCount(QStringLiteral("provision")), 0);
    }

    // --- faults: the user-facing line and the exit code -------------------------------------
    void faults_data()
    {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<QString>("command");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("errPart");
        // fault, what the first stderr line says after "<call> failed", exit code of stop
        const QList<std::tuple<const char *, const char *, int>> faults {
            { "5xx", " (5", 1 },
            { "429", " (429)", 1 },
            { "malformed", ": undecodable", 0 },
            { "oversize", ": response larger than", 1 },
            { "drip", ": timed out after 2 s", 1 },
            { "drop", ": ", 1 },
            { "timeout", ": timed out after 2 s", 1 },
        };
        for (const auto &[fault, what, stopCode] : faults) {
            const QString f = QString::fromLatin1(fault);
            const QString w = QString::fromLatin1(what);
            QTest::newRow(qPrintable(QStringLiteral("status ") + f)) << QStringLiteral("status.")
                    + f << "status" << 4 << QStringLiteral("status check failed") + w;
            QTest::newRow(qPrintable(QStringLiteral("console ") + f)) << QStringLiteral("console.")
                    + f << "console" << 1 << QStringLiteral("console failed") + w;
            if (f != QLatin1String("malformed") && f != QLatin1String("oversize"))
                QTest::newRow(qPrintable(QStringLiteral("stop ") + f)) << QStringLiteral("stop.")
                        + f << "stop" << stopCode << QStringLiteral("stop failed") + w;
            QTest::newRow(qPrintable(QStringLiteral("provision ") + f))
                << QStringLiteral("provision.") + f << "provision" << 1
                << QStringLiteral("provision failed") + w;
        }
    }
    void faults()
    {
        QFETCH(QString, spec);
        QFETCH(QString, command);
        QFETCH(int, code);
        QFETCH(QString, errPart);
        const QString id = onlineWithInstance();
        const WorkspaceRow before = *row(id);
        QString error;
        QVERIFY2(m_sim->setFaults(spec, &error), qPrintable(error));
        QStringList args { "--timeout", "2", "--retries", "2", command };
        if (command == QLatin1String("provision"))
            args << QStringLiteral("fault-new-ws") << "--runtime"
                 << "go"
                 << "--tier"
                 << "1";
        else
            args << id;
        if (command == QLatin1String("stop"))
            args << "--yes";
        const Run r = cpctl(args);
        QCOMPARE(r.code, code);
        const QString firstErr = r.err.section(u'\n', 0, 0);
        QVERIFY2(firstErr.contains(errPart), qPrintable(r.err));
        QVERIFY2(firstErr.startsWith(QLatin1String("cpctl: ")), qPrintable(r.err));
        if (command == QLatin1String("stop") && spec != QLatin1String("stop.oversize")) {
            // A failed stop leaves the row as it was.
            QCOMPARE(row(id)->instanceId, before.instanceId);
            QCOMPARE(row(id)->status, before.status);
        }
        if (command == QLatin1String("provision") && !spec.endsWith(QLatin1String("malformed")))
            QVERIFY(!row(QStringLiteral("fault-new-ws"))
                    || row(QStringLiteral("fault-new-ws"))->instanceId.isEmpty());
    }

    // --- console -----------------------------------------------------------------------------
    void console()
    {
        const QString id = onlineWithInstance();
        Run r = cpctl({ "console", id });
        QCOMPARE(r.code, 0);
        QVERIFY(r.out.size() > 1000);
        r = cpctl({ "console", id, "--strip-ansi" });
        QCOMPARE(r.code, 0);
        QVERIFY(!r.out.contains(QChar(0x1b)));
        QVERIFY(!r.out.contains(u'\r'));
        const QString file = m_dir.filePath(QStringLiteral("console.txt"));
        r = cpctl({ "console", id, "--strip-ansi", "--output", file });
        QCOMPARE(r.code, 0);
        QFile f(file);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QVERIFY(f.size() > 1000);
        r = cpctl({ "console", withoutInstance() });
        QCOMPARE(r.code, 1);
        QVERIFY(r.err.contains(QLatin1String("console failed (404)")));
    }

    void consoleFollowPrintsOnlyNew()
    {
        const QString id = onlineWithInstance();
        QProcess p;
        p.setProcessEnvironment(env());
        p.start(QStringLiteral(CPC_BINARY_DIR "/app/cpctl"),
                { "console", id, "--strip-ansi", "--follow", "1" });
        QVERIFY(p.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(m_sim->requestCount(QStringLiteral("console")) >= 3, 20000);
        p.kill();
        p.waitForFinished();
        const QString out = QString::fromUtf8(p.readAllStandardOutput());
        m_allOutput << out;
        const QStringList lines = out.split(u'\n', Qt::SkipEmptyParts);
        QVERIFY(lines.size() > 10);
        QVERIFY(m_sim->requestCount(QStringLiteral("console")) >= 3);
        // Overlapping fetches must not print a line twice (kernel lines carry unique timestamps).
        QSet<QString> stamped;
        static const QRegularExpression kernelStamp(QStringLiteral("^\\[\\s*\\d+\\.\\d{6}\\]"));
        for (const QString &l : lines) {
            if (!kernelStamp.match(l).hasMatch())
                continue;
            QVERIFY2(!stamped.contains(l), qPrintable(l));
            stamped.insert(l);
        }
        QVERIFY(!stamped.isEmpty());
    }

    // --- a crash between the provision request and the database write ----------------------
    void crashBetweenRequestAndRecordThenReconcile()
    {
        const QString ws = QStringLiteral("crash-ws");
        QVERIFY(m_sim->setFaults(
            QStringLiteral("provision.latency=60000"))); // the CP creates, then answers late
        QProcess p;
        p.setProcessEnvironment(env());
        p.start(QStringLiteral(CPC_BINARY_DIR "/app/cpctl"),
                { "provision", ws, "--runtime", "go", "--tier", "1" });
        QVERIFY(p.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(!m_sim->latestInstanceId(ws).isEmpty(), 20000);
        const QString created = m_sim->latestInstanceId(ws);
        p.kill(); // SIGKILL: no chance to record anything
        p.waitForFinished();
        const int instances = m_sim->instanceCount();
        QVERIFY(!row(ws)); // the row was never written

        // The next start shows the intent as "outcome unknown", with its idempotency key.
        Run r = cpctl({ "journal", "--json" });
        QCOMPARE(r.code, 0);
        const QJsonArray entries = QJsonDocument::fromJson(r.out.toUtf8()).array();
        QCOMPARE(entries.size(), 1);
        const QJsonObject e = entries.first().toObject();
        QCOMPARE(e.value("workspace_id").toString(), ws);
        QCOMPARE(e.value("outcome").toString(), QStringLiteral("unknown"));
        QVERIFY(!e.value("idempotency_key").toString().isEmpty());
        r = cpctl({ "journal" });
        QVERIFY(r.out.contains(e.value("idempotency_key").toString()));
        QVERIFY(r.err.contains(QLatin1String("unknown outcome")));

        // Reconcile asks the CP with the same key: the same instance comes back and is recorded.
        QVERIFY(m_sim->setFaults(QStringLiteral("none")));
        r = cpctl({ "reconcile", QString::number(e.value("id").toInteger()) });
        QCOMPARE(r.code, 0);
        QVERIFY2(r.out.contains(created), qPrintable(r.out + r.err));
        QCOMPARE(m_sim->instanceCount(), instances); // no second instance
        QCOMPARE(row(ws)->instanceId, created);
        r = cpctl({ "journal", "--json" });
        QCOMPARE(QJsonDocument::fromJson(r.out.toUtf8()).array().size(), 0);
        r = cpctl({ "audit", "--json" });
        QVERIFY(r.out.contains(QLatin1String("\"reconcile\"")));
    }

    void reconcileClearClosesWithoutAsking()
    {
        const QString ws = QStringLiteral("crash-ws-2");
        QVERIFY(m_sim->setFaults(QStringLiteral("provision.latency=60000")));
        QProcess p;
        p.setProcessEnvironment(env());
        p.start(QStringLiteral(CPC_BINARY_DIR "/app/cpctl"),
                { "provision", ws, "--runtime", "go", "--tier", "1" });
        QVERIFY(p.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(!m_sim->latestInstanceId(ws).isEmpty(), 20000);
        p.kill();
        p.waitForFinished();
        Run r = cpctl({ "journal", "--json" });
        const QJsonArray entries = QJsonDocument::fromJson(r.out.toUtf8()).array();
        QCOMPARE(entries.size(), 1);
        const qint64 provisions = m_sim->requestCount(QStringLiteral("provision"));
        r = cpctl({ "reconcile",
                    QString::number(entries.first().toObject().value("id").toInteger()),
                    "--clear" });
        QCOMPARE(r.code, 0);
        QCOMPARE(m_sim->requestCount(QStringLiteral("provision")), provisions);
        QCOMPARE(
            QJsonDocument::fromJson(cpctl({ "journal", "--json" }).out.toUtf8()).array().size(), 0);
        QCOMPARE(cpctl({ "reconcile", "999" }).code, 1);
        QCOMPARE(cpctl({ "reconcile", "abc" }).code, 2);
    }

    // --- incident bundle ---------------------------------------------------------------------
    void bundle()
    {
        const QString id = onlineWithInstance();
        cpctl({ "status", id });
        const QString dir = m_dir.filePath(QStringLiteral("bundle-") + id);
        Run r = cpctl({ "bundle", id, "--output", dir });
        QCOMPARE(r.code, 0);
        const QStringList expected { "workspace.json", "status-history.json", "audit.json",
                                     "console.txt",    "console-raw.log",     "manifest.json" };
        for (const QString &f : expected)
            QVERIFY2(QFile::exists(QDir(dir).filePath(f)), qPrintable(f));
        QFile mf(QDir(dir).filePath(QStringLiteral("manifest.json")));
        QVERIFY(mf.open(QIODevice::ReadOnly));
        const QJsonObject manifest = QJsonDocument::fromJson(mf.readAll()).object();
        QCOMPARE(manifest.value("workspace_id").toString(), id);
        const QJsonArray files = manifest.value("files").toArray();
        QCOMPARE(files.size(), 5);
        for (const QJsonValue v : files) {
            QFile f(QDir(dir).filePath(v.toObject().value("name").toString()));
            QVERIFY(f.open(QIODevice::ReadOnly));
            const QByteArray data = f.readAll();
            QCOMPARE(QString::fromLatin1(
                         QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex()),
                     v.toObject().value("sha256").toString());
            QVERIFY(!data.contains(kShared.toUtf8()) && !data.contains(kAdmin.toUtf8())
                    && !data.contains(kAdminKey.toUtf8()));
        }
        QFile shown(QDir(dir).filePath(QStringLiteral("console.txt")));
        QVERIFY(shown.open(QIODevice::ReadOnly));
        const QByteArray text = shown.readAll();
        QVERIFY(text.size() > 1000);
        QVERIFY(!text.contains('\x1b'));
        QFile raw(QDir(dir).filePath(QStringLiteral("console-raw.log")));
        QVERIFY(raw.open(QIODevice::ReadOnly));
        QVERIFY(raw.readAll().contains('\x1b')); // as sent: colours kept
        // A second export into the same, now non-empty, directory is refused.
        r = cpctl({ "bundle", id, "--output", dir });
        QCOMPARE(r.code, 2);
        QVERIFY(r.err.contains(QLatin1String("not empty")));
    }

    // --- sync and sim ----------------------------------------------------------------------
    void simPrintsEnvironmentAndAnswers()
    {
        QProcess p;
        QProcessEnvironment e = env();
        e.remove(QStringLiteral("MOLECULE_CP_SHARED_SECRET"));
        e.remove(QStringLiteral("ADMIN_TOKEN"));
        e.remove(QStringLiteral("CP_ADMIN_API_TOKEN"));
        p.setProcessEnvironment(e);
        p.start(QStringLiteral(CPC_BINARY_DIR "/app/cpctl"),
                { "sim", "--workspaces", "25", "--db",
                  QStringLiteral("sqlite:") + m_dir.filePath(QStringLiteral("sim.sqlite")) });
        QVERIFY(p.waitForStarted());
        QByteArray out;
        QTRY_VERIFY_WITH_TIMEOUT((out += p.readAllStandardOutput()).contains("stop with Ctrl+C"),
                                 10000);
        // Everything it exports goes into the environment, the credentials it made up included.
        for (const QString &l : QString::fromUtf8(out).split(u'\n'))
            if (l.startsWith(QLatin1String("export ")))
                e.insert(l.mid(7).section(u'=', 0, 0), l.section(u'=', 1));
        QVERIFY(e.value(QStringLiteral("CP_PROVISION_URL"))
                    .startsWith(QLatin1String("http://127.0.0.1:")));
        QCOMPARE(e.value(QStringLiteral("CPCONSOLE_DB")),
                 QStringLiteral("sqlite:") + m_dir.filePath(QStringLiteral("sim.sqlite")));
        const Run list = cpctl({ "list", "--json", "--all" }, e);
        QCOMPARE(QJsonDocument::fromJson(list.out.toUtf8()).array().size(), 25);
        const Run st = cpctl({ "status", "--all" }, e);
        QCOMPARE(st.code, 0);
        p.kill();
        p.waitForFinished();
    }
};

QTEST_GUILESS_MAIN(tst_Cpctl)
#include "tst_cpctl.moc"
