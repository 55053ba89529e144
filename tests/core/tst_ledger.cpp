// The instance ledger through Operations, against real parts: the CP simulator (or a scripted
// loopback server where the CP must accept what the simulator refuses), a SQLite workspace
// file that a second writer changes behind the console's back, and the local state file.
// Every row write after a CP call is compare-and-set on what the call acted on; a provision
// over a running (or unknown) instance needs an explicit replace; one operation per workspace.
#include "cpclient.h"
#include "operations.h"
#include "simulator.h"
#include "statestore.h"
#include "testserver.h"
#include "testutil.h"
#include "workspacesource.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QSysInfo>
#include <QTemporaryDir>
#include <QtTest>

#include <pwd.h>
#include <unistd.h>

using namespace cpc;
using namespace cpc::test;

namespace {

// Another writer of the workspace table (the platform, a second console with its own state
// file, an engineer with the sqlite3 shell): a connection of its own, outside Operations.
bool writeBehindTheConsole(const QString &path, const QString &sql, const QVariantList &values)
{
    static int count = 0;
    const QString name = QStringLiteral("other-writer-%1").arg(++count);
    bool ok = false;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(path);
        db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
        if (db.open()) {
            QSqlQuery q(db);
            q.prepare(sql);
            for (const QVariant &v : values)
                q.addBindValue(v);
            ok = q.exec();
            if (!ok)
                qWarning() << sql << q.lastError().text();
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return ok;
}

WorkspaceRow makeRow(const QString &id, const QString &instanceId, const QString &status)
{
    WorkspaceRow r;
    r.id = id;
    r.name = QStringLiteral("ledger ") + id;
    r.runtime = QStringLiteral("python");
    r.tier = 1;
    r.status = status;
    r.instanceId = instanceId;
    r.createdAt = QDateTime::currentDateTimeUtc();
    r.updatedAt = r.createdAt;
    return r;
}

ProvisionRequest provisionRequest(const QString &ws)
{
    ProvisionRequest r;
    r.workspaceId = ws;
    r.runtime = QStringLiteral("python");
    r.tier = 1;
    r.platformUrl = QStringLiteral("https://platform.example");
    return r;
}

} // namespace

class tst_Ledger : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QNetworkAccessManager m_nam;
    std::unique_ptr<Simulator> m_sim;
    std::unique_ptr<TestServer> m_server;
    std::unique_ptr<CpClient> m_client;
    std::unique_ptr<WorkspaceSource> m_source;
    std::unique_ptr<StateStore> m_state;
    std::unique_ptr<Operations> m_ops;
    int m_case = 0;
    QString m_dbPath;

    /// A fresh database and state file with `rows`, and Operations over them, talking to `base`.
    bool setUp(const QList<WorkspaceRow> &rows, const QUrl &base,
               const QProcessEnvironment &environment = {})
    {
        m_ops.reset();
        m_state.reset();
        m_source.reset();
        ++m_case;
        m_dbPath = m_dir.filePath(QStringLiteral("ws-%1.sqlite").arg(m_case));
        auto src = WorkspaceSource::open(QStringLiteral("sqlite:") + m_dbPath);
        if (!src || !src.value()->upsertRows(rows))
            return false;
        m_source = std::move(src.value());
        auto st = StateStore::open(m_dir.filePath(QStringLiteral("state-%1.sqlite").arg(m_case)));
        if (!st)
            return false;
        m_state = std::move(st.value());
        CpConfig c;
        c.orgId = QStringLiteral("org-ledger");
        c.baseUrl = base;
        c.requestTimeoutMs = 10'000;
        c.provisionTimeoutMs = 10'000;
        m_client = std::make_unique<CpClient>(&m_nam, c);
        m_client->setRetryPolicy(RetryPolicy::immediate(2));
        SessionInfo info;
        info.profile = QStringLiteral("ledger-profile");
        info.orgId = c.orgId;
        info.environment = environment;
        m_ops = std::make_unique<Operations>(m_client.get(), m_source.get(), m_state.get(), info);
        return true;
    }
    bool startSimulator(const QList<WorkspaceRow> &rows)
    {
        SimulatorOptions so;
        so.bootMs = 100;
        so.stopMs = 100;
        so.seed = 3;
        m_sim = std::make_unique<Simulator>(so);
        if (!m_sim->start())
            return false;
        m_sim->adopt(rows);
        return setUp(rows, m_sim->baseUrl());
    }
    /// A scripted CP: status answers `statusResponse`, provision creates `newInstance`.
    bool startScriptedCp(const QList<WorkspaceRow> &rows, const HttpResponse &statusResponse,
                         const QString &newInstance, const QProcessEnvironment &environment = {})
    {
        m_server = std::make_unique<TestServer>();
        m_server->setHandler([statusResponse, newInstance](const HttpRequest &req) {
            if (req.method == "GET" && req.path.endsWith("/status"))
                return statusResponse;
            if (req.method == "POST")
                return HttpResponse::json(
                    201,
                    QJsonDocument(
                        QJsonObject { { QStringLiteral("instance_id"), newInstance },
                                      { QStringLiteral("state"), QStringLiteral("pending") } })
                        .toJson(QJsonDocument::Compact));
            return HttpResponse::json(404, R"({"error":"no such route"})");
        });
        return setUp(rows, m_server->baseUrl(), environment);
    }
    int requests(const QByteArray &method) const
    {
        int n = 0;
        for (const HttpRequest &r : m_server->requests())
            n += r.method == method;
        return n;
    }
    QString instanceOnFile(const QString &ws) const
    {
        const auto iid = m_source->resolveInstanceId(ws);
        return iid ? iid.value() : QStringLiteral("<database error>");
    }
    JournalEntry lastJournal(const QString &ws) const
    {
        const auto j = m_state->journal();
        for (const JournalEntry &e : j ? j.value() : QList<JournalEntry> {})
            if (e.workspaceId == ws)
                return e;
        return {};
    }
    QStringList auditDetails(const QString &ws) const
    {
        QStringList out;
        const auto a = m_state->audit(ws);
        for (const AuditEntry &e : a ? a.value() : QList<AuditEntry> {})
            out << e.action + u':' + e.result + u':' + e.detail;
        return out;
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void cleanup()
    {
        m_ops.reset();
        m_client.reset();
        m_sim.reset();
        m_server.reset();
    }

    // --- compare-and-set after a stop ------------------------------------------------------

    void stopReturningAfterANewerProvisionKeepsTheNewerId()
    {
        const QString ws = QStringLiteral("ws-stop-cas");
        const QString stopped = QStringLiteral("mol-ws-old-a");
        const QString newer = QStringLiteral("i-0newer0b");
        QVERIFY(startSimulator({ makeRow(ws, stopped, QStringLiteral("online")) }));
        QVERIFY(m_sim->setFaults(QStringLiteral("stop.latency=1500")));

        Waiter<Result<StopOutcome>> got;
        m_ops->stop(ws, this, got.callback());
        // The CP has the stop in hand (the instance is stopping) but has not answered yet ...
        QTRY_VERIFY_WITH_TIMEOUT(m_sim->instance(stopped)
                                     && m_sim->instance(stopped)->state
                                         == QLatin1String("stopping"),
                                 5000);
        QVERIFY(!got.has());
        // ... when another writer records a newer provision of the same workspace.
        QVERIFY(writeBehindTheConsole(
            m_dbPath,
            QStringLiteral(
                "UPDATE workspaces SET instance_id = ?, status = 'provisioning' WHERE id = ?"),
            { newer, ws }));
        QTRY_VERIFY_WITH_TIMEOUT(got.has(), 10'000);
        QVERIFY2(got.get(), got.get() ? "" : qPrintable(got.get().error().message));
        QCOMPARE(got.get()->instanceId, stopped);

        // The stop cleared nothing: the newer instance is still on file.
        QCOMPARE(instanceOnFile(ws), newer);
        QCOMPARE(m_source->get(ws).value()->status, QStringLiteral("provisioning"));
        // The caller is told, and both IDs are on record.
        QCOMPARE(got.get()->movedOnTo, newer);
        const JournalEntry j = lastJournal(ws);
        QCOMPARE(j.kind, JournalEntry::Kind::Stop);
        QCOMPARE(j.outcome, JournalEntry::Outcome::Succeeded);
        QCOMPARE(j.instanceId, stopped);
        QCOMPARE(j.movedOnTo, newer);
        const QString audit = auditDetails(ws).join(u'\n');
        QVERIFY2(
            audit.contains(
                QStringLiteral("stop:ok:%1 stopped; the row moved on to %2").arg(stopped, newer)),
            qPrintable(audit));
    }

    void stopOfTheInstanceStillOnFileClearsIt()
    {
        // Positive control for the test above: no second writer, the row is cleared.
        const QString ws = QStringLiteral("ws-stop-plain");
        const QString iid = QStringLiteral("mol-ws-plain-1");
        QVERIFY(startSimulator({ makeRow(ws, iid, QStringLiteral("online")) }));
        Waiter<Result<StopOutcome>> got;
        m_ops->stop(ws, this, got.callback());
        QTRY_VERIFY_WITH_TIMEOUT(got.has(), 10'000);
        QVERIFY(got.get());
        QVERIFY(got.get()->movedOnTo.isEmpty());
        QCOMPARE(instanceOnFile(ws), QString());
        QCOMPARE(m_source->get(ws).value()->status, QStringLiteral("offline"));
        QCOMPARE(lastJournal(ws).instanceId, iid);
    }

    // --- compare-and-set after a provision -------------------------------------------------

    void provisionReturningAfterTheRowMovedOnOverwritesNothing()
    {
        const QString ws = QStringLiteral("ws-prov-cas");
        const QString other = QStringLiteral("i-0someoneelse");
        QVERIFY(startSimulator({ makeRow(ws, QString(), QStringLiteral("offline")) }));
        QVERIFY(m_sim->setFaults(QStringLiteral("provision.latency=1500")));

        Waiter<Result<ProvisionOutcome>> got;
        m_ops->provision(provisionRequest(ws), std::nullopt, this, got.callback());
        QTRY_VERIFY_WITH_TIMEOUT(!m_sim->latestInstanceId(ws).isEmpty(), 5000);
        const QString created = m_sim->latestInstanceId(ws);
        QVERIFY(!got.has());
        QVERIFY(writeBehindTheConsole(
            m_dbPath, QStringLiteral("UPDATE workspaces SET instance_id = ? WHERE id = ?"),
            { other, ws }));
        QTRY_VERIFY_WITH_TIMEOUT(got.has(), 10'000);

        // Nothing was overwritten.
        QCOMPARE(instanceOnFile(ws), other);
        // Both IDs are on record, and the caller is told.
        QVERIFY(!got.get());
        QVERIFY2(got.get().error().message.contains(created)
                     && got.get().error().message.contains(other),
                 qPrintable(got.get().error().message));
        QCOMPARE(got.get().error().kind, Error::Kind::Conflict);
        const JournalEntry j = lastJournal(ws);
        QCOMPARE(j.outcome, JournalEntry::Outcome::MovedOn);
        QCOMPARE(j.instanceId, created);
        QCOMPARE(j.movedOnTo, other);
        QCOMPARE(m_state->unresolvedJournal()->size(), 1); // offered for a decision
        QVERIFY(auditDetails(ws).join(u'\n').contains(QStringLiteral("provision:conflict:")));
    }

    // --- provision over an instance on file ------------------------------------------------

    void provisionOverAnInstanceOnFile_data()
    {
        QTest::addColumn<QByteArray>("statusBody");
        QTest::addColumn<int>("statusCode");
        QTest::addColumn<bool>("refused");
        QTest::newRow("running") << QByteArray(R"({"state":"running"})") << 200 << true;
        QTest::newRow("pending") << QByteArray(R"({"state":"pending"})") << 200 << false;
        QTest::newRow("unknown: 503") << QByteArray(R"({"error":"down"})") << 503 << true;
        QTest::newRow("unknown: bad body") << QByteArray("<html>") << 200 << true;
        QTest::newRow("terminated") << QByteArray(R"({"state":"terminated"})") << 200 << false;
    }
    void provisionOverAnInstanceOnFile()
    {
        QFETCH(QByteArray, statusBody);
        QFETCH(int, statusCode);
        QFETCH(bool, refused);
        const QString ws = QStringLiteral("ws-on-file");
        const QString old = QStringLiteral("i-0old0running");
        const QString fresh = QStringLiteral("i-0fresh");
        QVERIFY(startScriptedCp({ makeRow(ws, old, QStringLiteral("online")) },
                                HttpResponse::json(statusCode, statusBody), fresh));

        Waiter<Result<ProvisionOutcome>> got;
        m_ops->provision(provisionRequest(ws), std::nullopt, this, got.callback());
        QTRY_VERIFY_WITH_TIMEOUT(got.has(), 10'000);
        // The CP was asked about the instance on file first.
        QCOMPARE(requests("GET"), 1);
        QVERIFY(m_server->requests().first().query.queryItemValue(QStringLiteral("instance_id"))
                == old);
        if (refused) {
            QVERIFY(!got.get());
            QVERIFY2(got.get().error().message.contains(old),
                     qPrintable(got.get().error().message));
            QVERIFY2(got.get().error().message.contains(QLatin1String("--replace")),
                     qPrintable(got.get().error().message));
            QCOMPARE(requests("POST"), 0); // nothing sent
            QCOMPARE(instanceOnFile(ws), old);
            QCOMPARE(got.get().error().kind, Error::Kind::Policy);
            QCOMPARE(lastJournal(ws).outcome, JournalEntry::Outcome::Refused);
            QVERIFY(m_state->inFlightJournal()->isEmpty()); // the lock is released
        } else {
            // pending counts as not running (DESIGN: running is state "running" only)
            QVERIFY2(got.get(), got.get() ? "" : qPrintable(got.get().error().message));
            QCOMPARE(requests("POST"), 1);
            QCOMPARE(instanceOnFile(ws), fresh);
            // The replaced ID is recorded.
            QVERIFY2(auditDetails(ws).join(u'\n').contains(old),
                     qPrintable(auditDetails(ws).join(u'\n')));
            QCOMPARE(got.get()->replacedInstanceId, old);
            QCOMPARE(lastJournal(ws).replacedInstanceId, old);
            QCOMPARE(lastJournal(ws).instanceId, fresh);
        }
    }

    void replaceIsExplicit_data()
    {
        QTest::addColumn<bool>("replaceAny");
        QTest::addColumn<QString>("decided");
        QTest::addColumn<bool>("sent");
        QTest::newRow("--replace") << true << QString() << true;
        QTest::newRow("decided on the instance on file") << false << "i-0old0running" << true;
        QTest::newRow("decided on another instance") << false << "i-0seen0before" << false;
        QTest::newRow("decided on none, one appeared") << false << "" << false;
    }
    void replaceIsExplicit()
    {
        QFETCH(bool, replaceAny);
        QFETCH(QString, decided);
        QFETCH(bool, sent);
        const QString ws = QStringLiteral("ws-replace");
        const QString old = QStringLiteral("i-0old0running");
        QVERIFY(startScriptedCp({ makeRow(ws, old, QStringLiteral("online")) },
                                HttpResponse::json(200, R"({"state":"running"})"),
                                QStringLiteral("i-0replacement")));
        ProvisionOptions options;
        options.replace = replaceAny;
        if (!replaceAny)
            options.decidedInstanceId = decided;
        Waiter<Result<ProvisionOutcome>> got;
        m_ops->provision(provisionRequest(ws), std::nullopt, this, got.callback(), options);
        QTRY_VERIFY_WITH_TIMEOUT(got.has(), 10'000);
        QCOMPARE(requests("GET"), 0); // the decision was made: the CP is not asked again
        QCOMPARE(requests("POST"), sent ? 1 : 0);
        if (sent) {
            QVERIFY(got.get());
            QCOMPARE(got.get()->replacedInstanceId, old);
            QCOMPARE(instanceOnFile(ws), QStringLiteral("i-0replacement"));
            QVERIFY(auditDetails(ws).contains(
                QStringLiteral("provision:ok:i-0replacement (replaced %1)").arg(old)));
            const auto audit = m_state->audit(ws);
            QCOMPARE(audit->first().request.value(QStringLiteral("replaces")).toString(), old);
        } else {
            QCOMPARE(got.get().error().kind, Error::Kind::Conflict);
            QVERIFY2(got.get().error().message.contains(QLatin1String("changed since it was "
                                                                      "checked")),
                     qPrintable(got.get().error().message));
            QCOMPARE(instanceOnFile(ws), old);
        }
    }

    void cancelWhileAskingAboutTheInstanceOnFileSendsNothing()
    {
        const QString ws = QStringLiteral("ws-cancel");
        HttpResponse slowStatus = HttpResponse::json(200, R"({"state":"terminated"})");
        slowStatus.delayMs = 5000;
        QVERIFY(startScriptedCp({ makeRow(ws, QStringLiteral("i-0old"), QStringLiteral("online")) },
                                slowStatus, QStringLiteral("i-0never")));
        Waiter<Result<ProvisionOutcome>> got;
        const CallHandle h
            = m_ops->provision(provisionRequest(ws), std::nullopt, this, got.callback());
        QTRY_COMPARE(requests("GET"), 1);
        QVERIFY(h.isRunning()); // the handle is the status check's
        h.cancel();
        QTRY_VERIFY_WITH_TIMEOUT(got.has(), 5000);
        QVERIFY(!got.get());
        QCOMPARE(got.get().error().kind, Error::Kind::Cancelled);
        QVERIFY2(got.get().error().message.contains(QLatin1String("nothing was sent")),
                 qPrintable(got.get().error().message));
        QCOMPARE(requests("POST"), 0);
        QCOMPARE(lastJournal(ws).outcome, JournalEntry::Outcome::Refused);
        QVERIFY(m_state->inFlightJournal()->isEmpty()); // released
        QVERIFY(auditDetails(ws).first().startsWith(QStringLiteral("provision:cancelled:")));
    }

    // --- reconcile under the same rules -------------------------------------------------------

    void reconcileDoesNotReplaceARunningInstance()
    {
        const QString ws = QStringLiteral("ws-reconcile");
        const QString running = QStringLiteral("i-0running0now");
        QProcessEnvironment env;
        env.insert(QStringLiteral("TOKEN_FOR_INSTANCE"), QStringLiteral("v-1"));
        QVERIFY(startScriptedCp({ makeRow(ws, running, QStringLiteral("online")) },
                                HttpResponse::json(200, R"({"state":"running"})"),
                                QStringLiteral("i-0fromreconcile"), env));
        // An earlier provision of this workspace was interrupted (its session is gone).
        ProvisionRequest req = provisionRequest(ws);
        req.env.insert(QStringLiteral("TOKEN_FOR_INSTANCE"), QStringLiteral("v-0"));
        req.idempotencyKey = QStringLiteral("idem-reconcile-1");
        {
            auto crashed = StateStore::open(m_state->path());
            QVERIFY(crashed);
            QVERIFY(
                crashed.value()->journalBegin(ws, req.idempotencyKey, Operations::describe(req)));
        }
        auto unresolved = m_state->unresolvedJournal();
        QCOMPARE(unresolved->size(), 1);
        const JournalEntry entry = unresolved->first();

        Waiter<Result<JournalEntry>> got;
        m_ops->reconcile(entry, false, this, got.callback());
        QTRY_VERIFY_WITH_TIMEOUT(got.has(), 10'000);
        QVERIFY(!got.get());
        QVERIFY2(got.get().error().message.contains(running)
                     && got.get().error().message.contains(QLatin1String("reconcile --clear")),
                 qPrintable(got.get().error().message));
        QCOMPARE(requests("POST"), 0);
        QCOMPARE(instanceOnFile(ws), running);
        // Still unresolved, as it was.
        unresolved = m_state->unresolvedJournal();
        QCOMPARE(unresolved->size(), 1);
        QCOMPARE(unresolved->first().id, entry.id);
        QCOMPARE(unresolved->first().outcome, JournalEntry::Outcome::Unknown);

        // Once the instance on file has ended, reconcile records what the CP answers, with the
        // same key and the same environment keys (values from this environment).
        m_server->setHandler([](const HttpRequest &r) {
            if (r.method == "GET")
                return HttpResponse::json(200, R"({"state":"terminated"})");
            return HttpResponse::json(201, R"({"instance_id":"i-0fromreconcile"})");
        });
        Waiter<Result<JournalEntry>> again;
        m_ops->reconcile(entry, false, this, again.callback());
        QTRY_VERIFY_WITH_TIMEOUT(again.has(), 10'000);
        QVERIFY2(again.get(), again.get() ? "" : qPrintable(again.get().error().message));
        QCOMPARE(again.get()->replacedInstanceId, running);
        QCOMPARE(instanceOnFile(ws), QStringLiteral("i-0fromreconcile"));
        const QJsonObject body = QJsonDocument::fromJson(m_server->lastRequest().body).object();
        QCOMPARE(body.value("idempotency_key").toString(), req.idempotencyKey);
        QCOMPARE(body.value("env").toObject().value("TOKEN_FOR_INSTANCE").toString(),
                 QStringLiteral("v-1"));
        QVERIFY(m_state->unresolvedJournal()->isEmpty());
        QCOMPARE(lastJournal(ws).outcome, JournalEntry::Outcome::Reconciled);
    }

    // --- who ----------------------------------------------------------------------------------

    void auditNamesTheOsUserTheHostAndTheProfile()
    {
        qputenv("USER", "mallory-not-me");
        const QString ws = QStringLiteral("ws-who");
        QVERIFY(startSimulator({ makeRow(ws, QString(), QStringLiteral("offline")) }));
        Waiter<Result<StopOutcome>> got;
        m_ops->stop(ws, this, got.callback());
        QTRY_VERIFY(got.has());
        const auto audit = m_state->audit(ws);
        QVERIFY(audit && !audit->isEmpty());
        const passwd *pw = ::getpwuid(::geteuid());
        QVERIFY(pw);
        QCOMPARE(audit->first().user, QString::fromLocal8Bit(pw->pw_name));
        QCOMPARE(audit->first().host, QSysInfo::machineHostName());
        QCOMPARE(audit->first().profile, QStringLiteral("ledger-profile"));
        QCOMPARE(audit->first().orgId, QStringLiteral("org-ledger"));
    }

    // --- one operation per workspace -------------------------------------------------------

    void secondOperationOfAWorkspaceIsRefusedWhileOneIsInFlight()
    {
        const QString ws = QStringLiteral("ws-busy");
        QVERIFY(startSimulator({ makeRow(ws, QString(), QStringLiteral("offline")) }));
        QVERIFY(m_sim->setFaults(QStringLiteral("provision.latency=1500")));
        Waiter<Result<ProvisionOutcome>> first;
        m_ops->provision(provisionRequest(ws), std::nullopt, this, first.callback());
        QTRY_VERIFY_WITH_TIMEOUT(m_sim->requestCount(QStringLiteral("provision")) == 1, 5000);

        // A second provision and a stop are refused at once, naming who holds the workspace.
        Waiter<Result<ProvisionOutcome>> second;
        m_ops->provision(provisionRequest(ws), std::nullopt, this, second.callback());
        Waiter<Result<StopOutcome>> stop;
        m_ops->stop(ws, this, stop.callback());
        QTRY_VERIFY(second.has() && stop.has());
        QVERIFY(!first.has()); // refused while the first is still in flight
        const QString pid = QString::number(QCoreApplication::applicationPid());
        for (const Error &e : { second.get().error(), stop.get().error() }) {
            QVERIFY2(e.message.contains(QLatin1String("is provisioning ws-busy since"))
                         && e.message.contains(QStringLiteral("pid %1)").arg(pid)),
                     qPrintable(e.message));
        }
        QTRY_VERIFY_WITH_TIMEOUT(first.has(), 10'000);
        QVERIFY(first.get());
        QCOMPARE(m_sim->requestCount(QStringLiteral("provision")), 1);
        QCOMPARE(m_sim->requestCount(QStringLiteral("stop")), 0);
        QCOMPARE(instanceOnFile(ws), first.get()->instanceId);

        // Released when it finished: the next operation goes through.
        Waiter<Result<StopOutcome>> later;
        m_ops->stop(ws, this, later.callback());
        QTRY_VERIFY_WITH_TIMEOUT(later.has(), 10'000);
        QVERIFY(later.get());
        QCOMPARE(later.get()->instanceId, first.get()->instanceId);
    }
};

QTEST_GUILESS_MAIN(tst_Ledger)
#include "tst_ledger.moc"
