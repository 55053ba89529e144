#include "dburl.h"
#include "sqltest.h"
#include "workspacesource.h"

#include <QRandomGenerator>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QUrl>
#include <QtTest>

using namespace cpc;
using namespace cpc::test;

// Runs against the real PostgreSQL server of tests/pg-fixture.sh (CPC_TEST_PG_URL), in a
// database of its own with a schema that mimics the platform's: uuid IDs, the workspace_status
// enum, compute jsonb and columns the console must ignore.
namespace {

const char *const kIdA = "0f6c1a8e-1111-4a5b-9c3d-000000000001"; // online, instance i-0aaa
const char *const kIdB = "0f6c1a8e-2222-4a5b-9c3d-000000000002"; // offline, NULL instance
const char *const kIdC = "0f6c1a8e-3333-4a5b-9c3d-000000000003"; // removed
const char *const kIdD = "0f6c1a8e-4444-4a5b-9c3d-000000000004"; // NULL name, tier, status
const char *const kIdE = "0f6c1a8e-5555-4a5b-9c3d-000000000005"; // empty instance, new enum value
const char *const kIdMissing = "0f6c1a8e-9999-4a5b-9c3d-000000000009";

const QStringList kSchema = {
    QStringLiteral("CREATE TYPE workspace_status AS ENUM ('provisioning', 'online', 'offline', "
                   "'degraded', 'failed', 'removed', 'paused', 'hibernated', 'awaiting_agent', "
                   "'hibernating')"),
    QStringLiteral("CREATE TABLE workspaces (id uuid PRIMARY KEY, parent_id uuid, name text, "
                   "role text, tier integer, status workspace_status, runtime text, owner text, "
                   "instance_id text NULL, url text, config jsonb, agent_card jsonb, "
                   "last_sample_error text, budget numeric(12, 2), compute jsonb, "
                   "last_heartbeat_at timestamptz, created_at timestamptz DEFAULT now(), "
                   "updated_at timestamptz DEFAULT now(), forwarded_to uuid, "
                   "active_tasks integer DEFAULT 0)"),
    // The platform may grow the enum before the console learns the new value.
    QStringLiteral("ALTER TYPE workspace_status ADD VALUE 'quarantined'"),
};

} // namespace

class tst_PostgresSource : public QObject
{
    Q_OBJECT

    DbUrl m_server;
    QString m_dbName;
    QString m_url; ///< the test database
    QString m_admin = QStringLiteral("pg-admin");
    QString m_test = QStringLiteral("pg-test");

    static bool openConnection(const QString &name, const DbUrl &u, const QString &database)
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), name);
        db.setHostName(u.host);
        if (u.port > 0)
            db.setPort(u.port);
        db.setUserName(u.user);
        db.setPassword(u.password);
        db.setDatabaseName(database);
        if (!db.open()) {
            qWarning() << db.lastError().text();
            return false;
        }
        return true;
    }
    bool exec(const QString &sql, const QVariantList &values = {})
    {
        return sqlExec(m_test, sql, values);
    }
    QVariant value(const QString &sql, const QVariantList &values = {})
    {
        return sqlValue(m_test, sql, values);
    }
    QString urlFor(const QString &database, const QString &password = {}) const
    {
        QString url = QStringLiteral("postgresql://%1%2@")
                          .arg(m_server.user,
                               password.isEmpty()
                                   ? QString()
                                   : u':' + QString::fromUtf8(QUrl::toPercentEncoding(password)));
        if (m_server.host.startsWith(u'/')) {
            url += QStringLiteral("/%1?host=%2").arg(database, m_server.host);
            if (m_server.port > 0)
                url += QStringLiteral("&port=%1").arg(m_server.port);
        } else {
            url += m_server.host
                + (m_server.port > 0 ? QStringLiteral(":%1").arg(m_server.port) : QString()) + u'/'
                + database;
        }
        return url;
    }
    std::unique_ptr<WorkspaceSource> open(bool allowWrites, bool readOnly = false)
    {
        SourceOptions options;
        options.allowPostgresWrites = allowWrites;
        options.readOnly = readOnly;
        auto r = WorkspaceSource::open(m_url, options);
        if (!r) {
            qWarning() << r.error().message;
            return {};
        }
        return std::move(r.value());
    }
    bool resetRows()
    {
        if (!exec(QStringLiteral("DELETE FROM workspaces")))
            return false;
        const QString insert = QStringLiteral(
            "INSERT INTO workspaces (id, parent_id, name, role, tier, status, runtime, owner, "
            "instance_id, url, config, agent_card, last_sample_error, budget, compute, "
            "last_heartbeat_at, created_at, updated_at) VALUES ");
        return exec(insert
                    + QStringLiteral(
                          "('%1', NULL, 'alpha', 'agent', 2, 'online', 'python', 'ops', "
                          "'i-0aaa', 'https://a.example', '{\"k\": 1}', '{}', NULL, 10.50, "
                          "'{\"provider\": \"aws\", \"instance_type\": \"t3.small\"}', "
                          "'2024-05-01 14:00:00+02', '2024-04-01 08:30:00+00', "
                          "'2024-05-01 12:00:00.250+00'), "
                          "('%2', '%1', 'beta', 'worker', 1, 'offline', 'node', 'ops', NULL, "
                          "NULL, NULL, NULL, 'agent unreachable', NULL, '{\"provider\": "
                          "\"gcp\"}', NULL, '2024-04-02 00:00:00+00', '2024-04-02 00:00:00+00'), "
                          "('%3', NULL, 'gamma', 'agent', 3, 'removed', 'python', NULL, "
                          "'i-0ccc', NULL, NULL, NULL, NULL, NULL, NULL, NULL, DEFAULT, DEFAULT), "
                          "('%4', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, "
                          "NULL, NULL, NULL, NULL, NULL, NULL, NULL), "
                          "('%5', NULL, 'epsilon', 'agent', 0, 'quarantined', 'python', NULL, "
                          "'', NULL, NULL, NULL, NULL, NULL, '{}', NULL, DEFAULT, DEFAULT)")
                          .arg(QLatin1String(kIdA), QLatin1String(kIdB), QLatin1String(kIdC),
                               QLatin1String(kIdD), QLatin1String(kIdE)));
    }
    static const WorkspaceRow *find(const QList<WorkspaceRow> &rows, const char *id)
    {
        for (const WorkspaceRow &r : rows) {
            if (r.id == QLatin1String(id))
                return &r;
        }
        return nullptr;
    }

private Q_SLOTS:
    void initTestCase()
    {
        const QString url = qEnvironmentVariable("CPC_TEST_PG_URL");
        if (url.isEmpty()) {
            if (qEnvironmentVariable("CPC_REQUIRE_PG") == QLatin1String("1")
                || qEnvironmentVariable("CI") == QLatin1String("true"))
                QFAIL("CPC_TEST_PG_URL is not set but PostgreSQL is required (CPC_REQUIRE_PG=1 "
                      "or CI=true): run through tests/run-all.sh or source tests/pg-fixture.sh");
            QSKIP("CPC_TEST_PG_URL is not set: source tests/pg-fixture.sh and run "
                  "pg_fixture_start to run the PostgreSQL tests");
        }
        const auto parsed = DbUrl::parse(url);
        QVERIFY2(parsed, parsed ? "" : qPrintable(parsed.error().message));
        m_server = *parsed;
        QVERIFY(QSqlDatabase::isDriverAvailable(QStringLiteral("QPSQL")));
        QVERIFY(openConnection(m_admin, m_server, m_server.database));
        m_dbName = QStringLiteral("cpc_test_%1")
                       .arg(QRandomGenerator::global()->generate(), 8, 16, QChar(u'0'));
        QSqlQuery create(QSqlDatabase::database(m_admin, false));
        QVERIFY2(create.exec(QStringLiteral("CREATE DATABASE %1").arg(quoteIdent(m_dbName))),
                 qPrintable(create.lastError().text()));
        QVERIFY(openConnection(m_test, m_server, m_dbName));
        for (const QString &statement : kSchema)
            QVERIFY(exec(statement));
        m_url = urlFor(m_dbName);
    }

    void init() { QVERIFY(resetRows()); }

    void cleanupTestCase()
    {
        if (m_dbName.isEmpty())
            return;
        QSqlDatabase::database(m_test, false).close();
        QSqlDatabase::removeDatabase(m_test);
        QSqlQuery drop(QSqlDatabase::database(m_admin, false));
        QVERIFY2(drop.exec(QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)")
                               .arg(quoteIdent(m_dbName))),
                 qPrintable(drop.lastError().text()));
        drop.finish();
        QSqlDatabase::database(m_admin, false).close();
        QSqlDatabase::removeDatabase(m_admin);
    }

    void readsThePlatformsTypes()
    {
        auto source = open(false);
        QVERIFY(source);
        QCOMPARE(source->backend(), WorkspaceSource::Backend::Postgres);
        const auto rows = source->list();
        QVERIFY2(rows, rows ? "" : qPrintable(rows.error().message));
        QCOMPARE(rows->size(), 4); // the removed row is hidden
        const WorkspaceRow *a = find(*rows, kIdA);
        QVERIFY(a);
        QCOMPARE(a->name, QStringLiteral("alpha"));
        QCOMPARE(a->role, QStringLiteral("agent"));
        QCOMPARE(a->tier, 2);
        QCOMPARE(a->status, QStringLiteral("online"));
        QCOMPARE(a->runtime, QStringLiteral("python"));
        QCOMPARE(a->instanceId, QStringLiteral("i-0aaa"));
        QCOMPARE(a->url, QStringLiteral("https://a.example"));
        QCOMPARE(a->provider, QStringLiteral("aws"));
        QCOMPARE(a->lastHeartbeatAt, QDateTime(QDate(2024, 5, 1), QTime(12, 0), Qt::UTC));
        QCOMPARE(a->createdAt, QDateTime(QDate(2024, 4, 1), QTime(8, 30), Qt::UTC));
        QCOMPARE(a->updatedAt, QDateTime(QDate(2024, 5, 1), QTime(12, 0, 0, 250), Qt::UTC));
        const WorkspaceRow *b = find(*rows, kIdB);
        QCOMPARE(b->instanceId, QString());
        QCOMPARE(b->provider, QStringLiteral("gcp"));
        QCOMPARE(b->lastSampleError, QStringLiteral("agent unreachable"));
        QVERIFY(!b->lastHeartbeatAt.isValid());
        const auto one = source->get(QString::fromLatin1(kIdA));
        QVERIFY(one && one->has_value());
        QCOMPARE((*one)->name, QStringLiteral("alpha"));
        const auto none = source->get(QString::fromLatin1(kIdMissing));
        QVERIFY(none && !none->has_value());
        const auto notUuid = source->get(QStringLiteral("ws-1"));
        QVERIFY(notUuid && !notUuid->has_value());
    }

    void removedShownWhenAsked()
    {
        auto source = open(false);
        QVERIFY(source);
        ListOptions all;
        all.includeRemoved = true;
        const auto rows = source->list(all);
        QVERIFY(rows);
        QCOMPARE(rows->size(), 5);
        QCOMPARE(find(*rows, kIdC)->status, QStringLiteral("removed"));
    }

    void unknownAndMalformedRowsLoad()
    {
        auto source = open(false);
        QVERIFY(source);
        const auto rows = source->list();
        QVERIFY(rows);
        const WorkspaceRow *d = find(*rows, kIdD);
        QVERIFY(d);
        QCOMPARE(d->name, QString());
        QCOMPARE(d->tier, 0);
        QCOMPARE(d->status, QString());
        QCOMPARE(d->provider, QString());
        QVERIFY(!d->createdAt.isValid());
        const WorkspaceRow *e = find(*rows, kIdE);
        QVERIFY(e);
        QCOMPARE(e->status, QStringLiteral("quarantined"));
        QCOMPARE(e->provider, QString());
    }

    void resolveInstanceId_data()
    {
        QTest::addColumn<QString>("id");
        QTest::addColumn<QString>("expected");
        QTest::newRow("row with an instance") << kIdA << "i-0aaa";
        QTest::newRow("NULL instance") << kIdB << "";
        QTest::newRow("empty instance") << kIdE << "";
        QTest::newRow("no row") << kIdMissing << "";
        QTest::newRow("not a UUID") << "ws-1"
                                    << "";
        QTest::newRow("hostile text") << "x' OR '1'='1"
                                      << "";
    }
    void resolveInstanceId()
    {
        QFETCH(QString, id);
        QFETCH(QString, expected);
        auto source = open(false);
        QVERIFY(source);
        const auto r = source->resolveInstanceId(id);
        QVERIFY2(r, r ? "" : qPrintable(r.error().message));
        QCOMPARE(*r, expected);
    }

    void databaseErrorIsAnError()
    {
        auto source = open(false);
        QVERIFY(source);
        QVERIFY(exec(QStringLiteral("ALTER TABLE workspaces RENAME TO workspaces_moved")));
        const auto r = source->resolveInstanceId(QString::fromLatin1(kIdA));
        QVERIFY(exec(QStringLiteral("ALTER TABLE workspaces_moved RENAME TO workspaces")));
        QVERIFY(!r);
        QCOMPARE(r.error().kind, Error::Kind::Database);
        QVERIFY(r.error().message.contains(QLatin1String(kIdA)));
        QVERIFY(source->resolveInstanceId(QString::fromLatin1(kIdA))); // and recovers
    }

    void readOnlyUnlessWritesAllowed_data()
    {
        QTest::addColumn<bool>("allow");
        QTest::addColumn<bool>("readOnly");
        QTest::addColumn<QString>("prefix");
        QTest::newRow("default") << false << false << "read-only PostgreSQL source: not recording";
        QTest::newRow("read-only mode wins") << true << true << "read-only mode: not recording";
    }
    void readOnlyUnlessWritesAllowed()
    {
        QFETCH(bool, allow);
        QFETCH(bool, readOnly);
        QFETCH(QString, prefix);
        auto source = open(allow, readOnly);
        QVERIFY(source);
        QVERIFY(source->isReadOnly());
        QVERIFY(!source->readOnlyReason().isEmpty());
        const QString before
            = value(QStringLiteral("SELECT updated_at::text FROM workspaces WHERE id = ?::uuid"),
                    { QString::fromLatin1(kIdA) })
                  .toString();
        const auto plain = [](const Result<LedgerWrite> &w) {
            return w ? VoidResult(Ok {}) : VoidResult(w.error());
        };
        for (const VoidResult &r :
             { plain(source->recordStopped(QString::fromLatin1(kIdA), QStringLiteral("i-0aaa"))),
               plain(source->recordProvisioned(QString::fromLatin1(kIdA), QStringLiteral("i-0new"),
                                               QStringLiteral("online"), QStringLiteral("i-0aaa"))),
               source->upsertRows({}) }) {
            QVERIFY(!r);
            QCOMPARE(r.error().kind, Error::Kind::ReadOnly);
            QVERIFY2(r.error().message.startsWith(prefix), qPrintable(r.error().message));
        }
        QCOMPARE(*source->resolveInstanceId(QString::fromLatin1(kIdA)), QStringLiteral("i-0aaa"));
        QCOMPARE(value(QStringLiteral("SELECT updated_at::text FROM workspaces WHERE id = ?::uuid"),
                       { QString::fromLatin1(kIdA) })
                     .toString(),
                 before);
    }

    void recordStoppedWithProperCasts()
    {
        auto source = open(true);
        QVERIFY(source);
        QVERIFY(!source->isReadOnly());
        const auto r = source->recordStopped(QString::fromLatin1(kIdA), QStringLiteral("i-0aaa"));
        QVERIFY2(r, r ? "" : qPrintable(r.error().message));
        QVERIFY(r->written);
        QVERIFY(value(QStringLiteral("SELECT instance_id FROM workspaces WHERE id = ?::uuid"),
                      { QString::fromLatin1(kIdA) })
                    .isNull());
        QCOMPARE(value(QStringLiteral("SELECT status::text FROM workspaces WHERE id = ?::uuid"),
                       { QString::fromLatin1(kIdA) })
                     .toString(),
                 QStringLiteral("offline"));
        QVERIFY(value(QStringLiteral(
                          "SELECT updated_at > '2024-05-02' FROM workspaces WHERE id = ?::uuid"),
                      { QString::fromLatin1(kIdA) })
                    .toBool());
        // Nothing else changed, in this row or another.
        QCOMPARE(value(QStringLiteral("SELECT name || budget::text || (compute->>'provider') FROM "
                                      "workspaces WHERE id = ?::uuid"),
                       { QString::fromLatin1(kIdA) })
                     .toString(),
                 QStringLiteral("alpha10.50aws"));
        QCOMPARE(value(QStringLiteral("SELECT instance_id FROM workspaces WHERE id = ?::uuid"),
                       { QString::fromLatin1(kIdC) })
                     .toString(),
                 QStringLiteral("i-0ccc"));
        QCOMPARE(*source->resolveInstanceId(QString::fromLatin1(kIdA)), QString());
        const auto missing = source->recordStopped(QString::fromLatin1(kIdMissing),
                                                   QStringLiteral("i-0aaa")); // nothing to clear
        QVERIFY(missing && !missing->written && !missing->rowFound);
    }

    void writesAreCompareAndSet()
    {
        auto source = open(true);
        QVERIFY(source);
        const auto instanceOf = [&](const char *id) {
            return value(QStringLiteral("SELECT instance_id FROM workspaces WHERE id = ?::uuid"),
                         { QString::fromLatin1(id) });
        };
        const auto statusOf = [&](const char *id) {
            return value(QStringLiteral("SELECT status::text FROM workspaces WHERE id = ?::uuid"),
                         { QString::fromLatin1(id) })
                .toString();
        };
        // A stop of i-0old returns after i-0aaa was recorded: i-0aaa stays, status too.
        auto w = source->recordStopped(QString::fromLatin1(kIdA), QStringLiteral("i-0old"));
        QVERIFY2(w, w ? "" : qPrintable(w.error().message));
        QVERIFY(!w->written);
        QCOMPARE(w->found, QStringLiteral("i-0aaa"));
        QCOMPARE(instanceOf(kIdA).toString(), QStringLiteral("i-0aaa"));
        QCOMPARE(statusOf(kIdA), QStringLiteral("online"));
        // A provision that started from "no instance" finds i-0aaa: not overwritten.
        w = source->recordProvisioned(QString::fromLatin1(kIdA), QStringLiteral("i-0new"),
                                      QStringLiteral("provisioning"), QString());
        QVERIFY2(w, w ? "" : qPrintable(w.error().message));
        QVERIFY(!w->written);
        QCOMPARE(w->found, QStringLiteral("i-0aaa"));
        QCOMPARE(instanceOf(kIdA).toString(), QStringLiteral("i-0aaa"));
        QCOMPARE(statusOf(kIdA), QStringLiteral("online"));
        // One that started from i-0aaa (replacing it) writes.
        w = source->recordProvisioned(QString::fromLatin1(kIdA), QStringLiteral("i-0new"),
                                      QStringLiteral("provisioning"), QStringLiteral("i-0aaa"));
        QVERIFY(w && w->written);
        QCOMPARE(instanceOf(kIdA).toString(), QStringLiteral("i-0new"));
        QCOMPARE(statusOf(kIdA), QStringLiteral("provisioning"));
        // NULL counts as "no instance".
        QVERIFY(instanceOf(kIdB).isNull());
        w = source->recordProvisioned(QString::fromLatin1(kIdB), QStringLiteral("i-0bbb"),
                                      QStringLiteral("provisioning"), QString());
        QVERIFY(w && w->written);
        QCOMPARE(instanceOf(kIdB).toString(), QStringLiteral("i-0bbb"));
    }

    void recordProvisionedWithProperCasts()
    {
        auto source = open(true);
        QVERIFY(source);
        const auto r
            = source->recordProvisioned(QString::fromLatin1(kIdB), QStringLiteral("i-0bbb"),
                                        QStringLiteral("provisioning"), QString());
        QVERIFY2(r, r ? "" : qPrintable(r.error().message));
        QVERIFY(r->written);
        const auto row = source->get(QString::fromLatin1(kIdB));
        QCOMPARE((*row)->instanceId, QStringLiteral("i-0bbb"));
        QCOMPARE((*row)->status, QStringLiteral("provisioning"));
        QVERIFY((*row)->updatedAt > QDateTime(QDate(2024, 4, 2), QTime(0, 0), Qt::UTC));
        QCOMPARE((*row)->lastSampleError, QStringLiteral("agent unreachable"));
    }

    void refusedWritesChangeNothing()
    {
        auto source = open(true);
        QVERIFY(source);
        const qint64 count = value(QStringLiteral("SELECT count(*) FROM workspaces")).toLongLong();
        // Not a workspace_status: refused before the database sees it.
        auto r = source->recordProvisioned(QString::fromLatin1(kIdB), QStringLiteral("i-0bbb"),
                                           QStringLiteral("exploded"), QString());
        QVERIFY(!r);
        QCOMPARE(r.error().kind, Error::Kind::Policy);
        // No row: the platform's rows are not created here, and the message keeps the instance.
        r = source->recordProvisioned(QString::fromLatin1(kIdMissing), QStringLiteral("i-0lost"),
                                      QStringLiteral("online"), QString());
        QVERIFY(!r);
        QCOMPARE(r.error().kind, Error::Kind::Database);
        QVERIFY2(r.error().message.contains(QLatin1String("i-0lost")),
                 qPrintable(r.error().message));
        // A sync never rewrites the platform's table.
        WorkspaceRow row;
        row.id = QString::fromLatin1(kIdA);
        QVERIFY(!source->upsertRows({ row }));
        QCOMPARE(value(QStringLiteral("SELECT count(*) FROM workspaces")).toLongLong(), count);
        QCOMPARE(*source->resolveInstanceId(QString::fromLatin1(kIdB)), QString());
        QCOMPARE(value(QStringLiteral("SELECT name FROM workspaces WHERE id = ?::uuid"),
                       { QString::fromLatin1(kIdA) })
                     .toString(),
                 QStringLiteral("alpha"));
    }

    void passwordNotShown()
    {
        // The fixture trusts local connections, so any password opens; it must not show.
        const QString password
            = QStringLiteral("pg-Pa55-%1").arg(QRandomGenerator::global()->generate());
        auto r = WorkspaceSource::open(urlFor(m_dbName, password));
        QVERIFY2(r, r ? "" : qPrintable(r.error().message));
        const QString display = (*r)->displayUrl();
        QVERIFY(!display.contains(password));
        QVERIFY2(display.contains(QLatin1String(":***@")), qPrintable(display));
        auto missing = WorkspaceSource::open(urlFor(QStringLiteral("cpc_no_such_db"), password));
        QVERIFY(!missing);
        QCOMPARE(missing.error().kind, Error::Kind::Database);
        QVERIFY(!missing.error().message.contains(password));
    }

    void databaseWithoutWorkspacesTable()
    {
        const auto r = WorkspaceSource::open(urlFor(m_server.database));
        QVERIFY(!r);
        QCOMPARE(r.error().kind, Error::Kind::Database);
        QVERIFY2(r.error().message.contains(QLatin1String("no workspaces table")),
                 qPrintable(r.error().message));
    }

    // --- scan(): a server-side cursor, read a batch at a time ----------------------------------
private:
    // The sessions of other clients on the test database as the server sees them: pid, state,
    // whether a transaction is open, and their latest statement.
    struct Session
    {
        int pid = 0;
        QString state;
        bool inTransaction = false;
        QString query;
    };
    QList<Session> otherSessions()
    {
        QSqlQuery q(QSqlDatabase::database(m_test, false));
        QList<Session> out;
        if (!q.exec(QStringLiteral(
                "SELECT pid, state, xact_start IS NOT NULL, query FROM pg_stat_activity WHERE "
                "datname = current_database() AND pid <> pg_backend_pid() AND backend_type = "
                "'client backend'"))) {
            qWarning() << q.lastError().text();
            return out;
        }
        while (q.next())
            out.append({ q.value(0).toInt(), q.value(1).toString(), q.value(2).toBool(),
                         q.value(3).toString() });
        return out;
    }
    // The session reading through scan()'s cursor, 0 when there is none.
    int cursorSession()
    {
        for (const Session &s : otherSessions()) {
            if (s.inTransaction && s.query.startsWith(QLatin1String("FETCH FORWARD 5000 FROM")))
                return s.pid;
        }
        return 0;
    }
    std::optional<Session> session(int pid)
    {
        for (const Session &s : otherSessions()) {
            if (s.pid == pid)
                return s;
        }
        return std::nullopt;
    }
    bool insertMany(int count)
    {
        return exec(QStringLiteral("INSERT INTO workspaces (id, name, tier, status, created_at) "
                                   "SELECT gen_random_uuid(), 'bulk ' || x, x % 5, 'online', "
                                   "'2024-05-01T12:00:00Z' FROM generate_series(1, %1) x")
                        .arg(count));
    }

private Q_SLOTS:
    void scanReadsThroughACursorInBatches_data()
    {
        QTest::addColumn<int>("rows");
        QTest::newRow("two batches and a part") << 12345;
        QTest::newRow("exactly two batches") << 10000;
    }
    void scanReadsThroughACursorInBatches()
    {
        QFETCH(int, rows);
        QVERIFY(exec(QStringLiteral("DELETE FROM workspaces")));
        QVERIFY(insertMany(rows));
        auto source = open(false);
        QVERIFY(source);
        int seen = 0;
        QList<int> fetching; // the session reading, seen from the sink at each batch's start
        const VoidResult r = source->scan({}, [&](const RawRow &raw) {
            if (seen % 5000 == 0)
                fetching << cursorSession();
            ++seen;
            return !raw.text[RawRow::Id].isEmpty();
        });
        QVERIFY2(r, r ? "" : qPrintable(r.error().message));
        QCOMPARE(seen, rows);
        QCOMPARE(fetching.size(), (rows + 4999) / 5000);
        // A plain SELECT would show as the SELECT, not as FETCHes in a transaction.
        QVERIFY2(fetching.first() != 0, "no session read through FETCH FORWARD 5000");
        QCOMPARE(fetching.count(fetching.first()), fetching.size());
        // The read is over: the cursor closed, the transaction committed, nothing held open.
        const auto after = session(fetching.first());
        QVERIFY(after);
        QCOMPARE(after->state, QStringLiteral("idle"));
        QVERIFY(!after->inTransaction);
        QCOMPARE(after->query, QStringLiteral("COMMIT"));
        QCOMPARE(source->count().value(), qint64(rows));
    }

    void scanOfTheTablesColumnsReadsThemAlone()
    {
        // `cpctl list`'s table over the platform's types: uuid, the status enum, jsonb.
        auto source = open(false);
        QVERIFY(source);
        ListOptions table;
        table.tableColumnsOnly = true;
        table.includeRemoved = true;
        QList<RawRow> seen;
        QList<QByteArray> texts; // the views are valid only in the sink
        const VoidResult r = source->scan(table, [&](const RawRow &raw) {
            seen << raw;
            for (const QByteArrayView t : raw.text)
                texts << t.toByteArray();
            return true;
        });
        QVERIFY2(r, r ? "" : qPrintable(r.error().message));
        QCOMPARE(seen.size(), 5);
        const auto text = [&](int row, RawRow::Text field) {
            return texts[row * RawRow::TextCount + field];
        };
        int a = -1;
        for (int i = 0; i < seen.size(); ++i) {
            if (text(i, RawRow::Id) == kIdA)
                a = i;
            // Nothing but the table's columns is read: no role, URL, provider or time.
            for (const auto field :
                 { RawRow::Role, RawRow::Url, RawRow::LastSampleError, RawRow::Provider })
                QVERIFY(text(i, field).isEmpty());
            for (const qint64 at : seen[i].msecs)
                QCOMPARE(at, RawRow::kNoTime);
        }
        QVERIFY(a >= 0);
        QCOMPARE(text(a, RawRow::Name), QByteArray("alpha"));
        QCOMPARE(text(a, RawRow::Status), QByteArray("online"));
        QCOMPARE(text(a, RawRow::Runtime), QByteArray("python"));
        QCOMPARE(text(a, RawRow::InstanceId), QByteArray("i-0aaa"));
        QCOMPARE(seen[a].tier, 2);
        table.includeRemoved = false;
        int shown = 0;
        QVERIFY(source->scan(table, [&](const RawRow &) { return ++shown; }));
        QCOMPARE(shown, 4);
    }

    void scanStoppedBySinkRollsBackAndKeepsTheConnection()
    {
        QVERIFY(insertMany(12000));
        auto source = open(false);
        QVERIFY(source);
        int seen = 0;
        int pid = 0;
        const VoidResult r = source->scan({}, [&](const RawRow &) {
            if (++seen == 100)
                pid = cursorSession();
            return seen < 100;
        });
        QVERIFY(!r);
        QCOMPARE(r.error().kind, Error::Kind::Cancelled);
        QCOMPARE(seen, 100);
        QVERIFY(pid != 0);
        const auto after = session(pid);
        QVERIFY(after);
        QVERIFY2(!after->inTransaction, qPrintable(after->state + u' ' + after->query));
        QCOMPARE(after->query, QStringLiteral("ROLLBACK"));
        // The same connection answers the next call.
        const auto one = source->get(QString::fromLatin1(kIdA));
        QVERIFY(one && one->has_value());
        QCOMPARE((*one)->name, QStringLiteral("alpha"));
        QCOMPARE(source->list()->size(), 12004);
        QCOMPARE(source->count().value(), 12004);
    }
};

QTEST_GUILESS_MAIN(tst_PostgresSource)
#include "tst_postgressource.moc"
