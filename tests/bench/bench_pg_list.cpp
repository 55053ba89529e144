// `cpctl list` from PostgreSQL (the platform's schema, 1,000,000 rows) against psql reading the
// same rows with the same SELECT list and WHERE: `COPY (SELECT ...) TO STDOUT` (the fastest way
// out of the server), and psql's own cursor mode (FETCH_COUNT=5000) and whole-result mode for
// the memory a client needs. The server is the fixture of tests/pg-fixture.sh
// (CPC_TEST_PG_URL, CPC_TEST_PG_SOCKET, CPC_TEST_PG_PORT, CPC_TEST_PG_USER); the benchmark
// creates and drops a database of its own.
//
// Usage: bench_pg_list [--rows N] [--runs N] [--cpctl PATH] [--psql PATH]
// Defaults: 1000000 rows, 3 runs.
//
// Besides the markdown table it prints machine-readable lines for run-benchmarks.sh:
//   RESULT <name> <value> <unit> <baseline> <ratio>      (ratio = value / baseline; "-" if none)

#include "benchlist.h"
#include "dburl.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QRandomGenerator>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>

using namespace cpc;
using namespace cpc::bench;

namespace {

// The platform's table as tests/core/tst_postgressource.cpp builds it.
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
};

// Deterministic rows made by the server: md5 of the row number for IDs and names, the same
// spread of statuses, runtimes and providers as bench_model.
QString insertRows(int count)
{
    return QStringLiteral(
               "INSERT INTO workspaces (id, name, role, tier, status, runtime, owner, instance_id, "
               "url, config, last_sample_error, compute, last_heartbeat_at, created_at, "
               "updated_at) SELECT md5('ws' || x)::uuid, (ARRAY['amber','brisk','calm','dusty',"
               "'eager','fuzzy','gold','hazy'])[1 + x % 8] || '-' || (ARRAY['falcon','harbor',"
               "'lab','agent','crawler','planner'])[1 + x / 8 % 6] || '-' || (x % 1000), "
               "'agent', x % 5, (CASE WHEN x % 100 < 55 THEN 'online' WHEN x % 100 < 80 THEN "
               "'offline' ELSE (ARRAY['provisioning','online','offline','degraded','failed',"
               "'removed','paused','hibernated','awaiting_agent','hibernating'])[1 + x % 10] "
               "END)::workspace_status, (ARRAY['python','node','go','rust','java','deno'])[1 + "
               "x % 6], 'ops', CASE WHEN x % 10 < 7 THEN 'i-' || substr(md5('i' || x), 1, 17) "
               "END, 'https://' || substr(md5('ws' || x), 1, 8) || '.ws.example', '{\"k\": 1}', "
               "CASE WHEN x % 50 = 0 THEN 'agent unreachable' END, jsonb_build_object("
               "'provider', (ARRAY['aws','aws','aws','gcp','azure'])[1 + x % 5], "
               "'instance_type', 't3.small'), CASE WHEN x % 4 > 0 THEN timestamptz "
               "'2023-01-01' + (x % 31536000) * interval '1 second' + interval '90 days' END, "
               "timestamptz '2023-01-01' + (x % 31536000) * interval '1 second', timestamptz "
               "'2023-01-01' + (x % 31536000) * interval '1 second' + interval '30 days' FROM "
               "generate_series(1, %1) x")
        .arg(count);
}

// cpctl's SELECT for this schema (PostgresSource::initialise), for psql to run.
const QString kSelect = QStringLiteral(
    "SELECT id::text, name::text, role::text, tier, status::text, runtime::text, "
    "instance_id::text, url::text, last_sample_error::text, compute->>'provider', "
    "EXTRACT(EPOCH FROM last_heartbeat_at)::float8, EXTRACT(EPOCH FROM created_at)::float8, "
    "EXTRACT(EPOCH FROM updated_at)::float8 FROM workspaces WHERE status IS NULL OR status <> "
    "'removed'");

bool exec(const QString &conn, const QString &sql)
{
    QSqlQuery q(QSqlDatabase::database(conn, false));
    if (q.exec(sql))
        return true;
    std::fprintf(stderr, "bench_pg_list: %s\n", qPrintable(q.lastError().text()));
    return false;
}

bool connect(const QString &name, const DbUrl &u, const QString &database)
{
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), name);
    db.setHostName(u.host);
    if (u.port > 0)
        db.setPort(u.port);
    db.setUserName(u.user);
    db.setDatabaseName(database);
    if (db.open())
        return true;
    std::fprintf(stderr, "bench_pg_list: %s\n", qPrintable(db.lastError().text()));
    return false;
}

QString findCpctl()
{
    for (const QString &c :
         { QStringLiteral(CPC_BINARY_DIR "/app/cpctl"),
           QCoreApplication::applicationDirPath() + QStringLiteral("/../../app/cpctl") }) {
        if (QFile::exists(c))
            return QDir::cleanPath(c);
    }
    return {};
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    int rows = 1000000;
    int runs = 3;
    QString cpctl = findCpctl();
    QString psql = QStringLiteral("psql");
    const QStringList args = app.arguments();
    for (int i = 1; i < args.size(); ++i) {
        const QString &a = args[i];
        const QString v = i + 1 < args.size() ? args[i + 1] : QString();
        if (a == QLatin1String("--rows"))
            rows = std::max(1, v.toInt());
        else if (a == QLatin1String("--runs"))
            runs = std::max(1, v.toInt());
        else if (a == QLatin1String("--cpctl"))
            cpctl = v;
        else if (a == QLatin1String("--psql"))
            psql = v;
        else {
            std::fprintf(stderr,
                         "usage: bench_pg_list [--rows N] [--runs N] [--cpctl PATH] "
                         "[--psql PATH]\n");
            return 2;
        }
        ++i;
    }
    const auto server = DbUrl::parse(qEnvironmentVariable("CPC_TEST_PG_URL"));
    if (!server || !server->host.startsWith(u'/')) {
        std::fprintf(stderr,
                     "bench_pg_list: CPC_TEST_PG_URL must name the fixture's socket "
                     "(source tests/pg-fixture.sh; pg_fixture_start)\n");
        return 2;
    }
    if (cpctl.isEmpty() || !QFile::exists(cpctl)) {
        std::fprintf(stderr, "bench_pg_list: cpctl not found (build it, or pass --cpctl)\n");
        return 2;
    }
    QTemporaryDir tmp;
    if (!tmp.isValid())
        return 2;
    const QString admin = QStringLiteral("bench-admin"), bench = QStringLiteral("bench-db");
    const QString dbName = QStringLiteral("cpc_bench_%1")
                               .arg(QRandomGenerator::global()->generate(), 8, 16, QChar(u'0'));
    if (!connect(admin, *server, server->database)
        || !exec(admin, QStringLiteral("CREATE DATABASE %1").arg(dbName)))
        return 1;
    int rc = 1;
    {
        if (!connect(bench, *server, dbName))
            return 1;
        QElapsedTimer written;
        written.start();
        for (const QString &s : kSchema)
            if (!exec(bench, s))
                return 1;
        if (!exec(bench, insertRows(rows))
            || !exec(bench, QStringLiteral("VACUUM ANALYZE workspaces")))
            return 1;
        std::fprintf(stderr, "bench_pg_list: %d rows written in %lld ms\n", rows,
                     written.elapsed());
        QSqlDatabase::database(bench, false).close();

        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("HOME"), tmp.path());
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), tmp.filePath(QStringLiteral("config")));
        env.insert(QStringLiteral("XDG_DATA_HOME"), tmp.filePath(QStringLiteral("data")));
        env.insert(QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("cpc.*=false"));
        env.insert(QStringLiteral("PSQLRC"), QStringLiteral("/dev/null"));
        env.remove(QStringLiteral("CPCONSOLE_DB"));
        const QString errFile = tmp.filePath(QStringLiteral("stderr.txt"));
        const QString url = QStringLiteral("postgresql://%1@/%2?host=%3&port=%4")
                                .arg(server->user, dbName, server->host)
                                .arg(server->port);
        const QString conninfo = QStringLiteral("host=%1 port=%2 user=%3 dbname=%4")
                                     .arg(server->host)
                                     .arg(server->port)
                                     .arg(server->user, dbName);
        const QStringList json { cpctl, QStringLiteral("--db"), url, QStringLiteral("list"),
                                 QStringLiteral("--json") };
        const QStringList table { cpctl, QStringLiteral("--db"), url, QStringLiteral("list") };
        const QStringList copy {
            psql,     QStringLiteral("-X"), QStringLiteral("-q"),
            conninfo, QStringLiteral("-c"), QStringLiteral("COPY (%1) TO STDOUT").arg(kSelect)
        };
        const QStringList cursor { psql,
                                   QStringLiteral("-X"),
                                   QStringLiteral("-q"),
                                   QStringLiteral("-A"),
                                   QStringLiteral("-t"),
                                   QStringLiteral("-v"),
                                   QStringLiteral("FETCH_COUNT=5000"),
                                   conninfo,
                                   QStringLiteral("-c"),
                                   kSelect };
        const QStringList whole { psql,
                                  QStringLiteral("-X"),
                                  QStringLiteral("-q"),
                                  QStringLiteral("-A"),
                                  QStringLiteral("-t"),
                                  conninfo,
                                  QStringLiteral("-c"),
                                  kSelect };

        std::printf("### `cpctl list` from PostgreSQL, %d rows of the platform's schema, against "
                    "psql (median of %d runs after a warm-up; stdout to /dev/null)\n\n",
                    rows, runs);
        std::printf("cpctl: %s. Server: the fixture of tests/pg-fixture.sh on a unix socket "
                    "(PostgreSQL 15, fsync off). `SELECT …` below is cpctl's own SELECT list and "
                    "WHERE (%s).\n\n",
                    qPrintable(cpctl), qPrintable(kSelect));
        std::printf("| what | command | wall (ms) | CPU (ms) | peak RSS (MiB) |\n");
        std::printf("|---|---|---:|---:|---:|\n");
        const Timing tJson = timeCommand(json, env, runs, errFile);
        const Timing tTable = timeCommand(table, env, runs, errFile);
        const Timing tCopy = timeCommand(copy, env, runs, errFile);
        const Timing tCursor = timeCommand(cursor, env, runs, errFile);
        const Timing tWhole = timeCommand(whole, env, runs, errFile);
        const auto shortSelect = [&](QStringList argv) {
            argv.replaceInStrings(kSelect, QStringLiteral("SELECT …"));
            return argv;
        };
        printRow(QStringLiteral("cpctl, JSON (a cursor, 5000 rows a FETCH)"), json, tJson);
        printRow(QStringLiteral("cpctl, table"), table, tTable);
        printRow(QStringLiteral("baseline: psql COPY … TO STDOUT"), shortSelect(copy), tCopy);
        printRow(QStringLiteral("psql, cursor mode (FETCH_COUNT=5000)"), shortSelect(cursor),
                 tCursor);
        printRow(QStringLiteral("psql, the whole result held"), shortSelect(whole), tWhole);
        std::printf("\n");
        printResults(QStringLiteral("pg_list_json"), tJson, tCopy);
        printResults(QStringLiteral("pg_list_table"), tTable, tCopy);
        if (tJson.ok && tCursor.ok)
            result(QStringLiteral("pg_list_json_peak_rss_vs_psql_cursor"), tJson.rssMiB, "MiB",
                   tCursor.rssMiB);
        if (tJson.ok && tWhole.ok)
            result(QStringLiteral("pg_list_json_peak_rss_vs_psql_whole"), tJson.rssMiB, "MiB",
                   tWhole.rssMiB);
        rc = tJson.ok && tTable.ok ? 0 : 1;
    }
    QSqlDatabase::removeDatabase(bench);
    exec(admin, QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)").arg(dbName));
    QSqlDatabase::database(admin, false).close();
    QSqlDatabase::removeDatabase(admin);
    return rc;
}
