// `cpctl list` over a SQLite database of generated rows (bench_model's generator, fixed seed)
// against the sqlite3 shell reading the same rows with the same WHERE: `cpctl list --json` and
// `--jsonl` against `sqlite3 -json`, the table against plain `sqlite3` (list mode) of the
// table's columns. Standard output goes to /dev/null; one warm-up run of each, then N rounds of
// one run of each in turn; the medians.
//
// Usage: bench_cpctl_list [--rows N[,N...]] [--runs N] [--cpctl PATH] [--sqlite3 PATH]
// Defaults: 100000,1000000 rows, 3 runs.
//
// Besides the markdown tables it prints machine-readable lines for run-benchmarks.sh:
//   RESULT <name> <value> <unit> <baseline> <ratio>      (ratio = value / baseline; "-" if none)

#include "benchlist.h"
#include "sqlitesource.h"
#include "workspacesource.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>

#include <random>

using namespace cpc;
using namespace cpc::bench;

namespace {

const QString kWhere
    = QStringLiteral(" FROM workspaces WHERE status IS NULL OR status <> 'removed'");
const QString kAllColumns = QStringLiteral(
    "SELECT id, name, role, tier, status, runtime, instance_id, url, last_sample_error, "
    "provider, last_heartbeat_at, created_at, updated_at");
const QString kTableColumns = QStringLiteral("SELECT id, name, status, runtime, tier, instance_id");

// bench_model's rows (same seed, same distributions), written as upsertRows() writes them but
// in one prepared INSERT loop: a million rows through upsertRows' UPDATE-then-INSERT is slow.
bool writeRows(const QString &path, int count)
{
    {
        auto source = WorkspaceSource::open(QStringLiteral("sqlite:") + path);
        if (!source) {
            std::fprintf(stderr, "bench_cpctl_list: %s\n", qPrintable(source.error().message));
            return false;
        }
    }
    const QString conn = QStringLiteral("bench-writer");
    bool ok = false;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), conn);
        db.setDatabaseName(path);
        if (!db.open() || !db.transaction())
            return false;
        QSqlQuery q(db);
        q.prepare(QStringLiteral(
            "INSERT INTO workspaces (id, name, role, tier, status, runtime, instance_id, url, "
            "last_sample_error, provider, last_heartbeat_at, created_at, updated_at) VALUES (?, ?, "
            "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
        std::mt19937 rng(20240501); // bench_model's seed: every run measures the same rows
        const QStringList adjectives
            = { "amber", "brisk", "calm",  "dusty", "eager", "fuzzy", "gold",
                "hazy",  "icy",   "jolly", "keen",  "lunar", "misty", "noble",
                "olive", "proud", "quick", "rapid", "solar", "tidy" };
        const QStringList nouns = { "falcon",  "harbor", "lab",   "agent", "crawler", "planner",
                                    "indexer", "worker", "scout", "relay", "beacon",  "forge" };
        const QStringList runtimes = { "python", "node", "go", "rust", "java", "deno" };
        const QStringList providers = { "aws", "aws", "aws", "gcp", "azure", "" };
        const QStringList statuses = knownWorkspaceStatuses();
        const QDateTime base(QDate(2023, 1, 1), QTime(0, 0), Qt::UTC);
        auto pick = [&](const QStringList &from) {
            return from.at(int(rng() % from.size()));
        };
        auto hex = [&](int digits) {
            QString s;
            for (int i = 0; i < digits; ++i)
                s += QChar::fromLatin1("0123456789abcdef"[rng() % 16]);
            return s;
        };
        ok = true;
        for (int i = 0; i < count && ok; ++i) {
            const QString id
                = QStringLiteral("%1-%2-4%3-a%4-%5").arg(hex(8), hex(4), hex(3), hex(3), hex(12));
            const QString name
                = QStringLiteral("%1-%2-%3").arg(pick(adjectives), pick(nouns)).arg(rng() % 1000);
            const int tier = int(rng() % 5);
            const unsigned roll = rng() % 100;
            const QString status = roll < 55 ? QStringLiteral("online")
                : roll < 80                  ? QStringLiteral("offline")
                                             : statuses.at(int(rng() % statuses.size()));
            const QString runtime = pick(runtimes);
            const QString instance = rng() % 10 < 7 ? QStringLiteral("i-") + hex(17) : QString();
            const QString provider = pick(providers);
            const QDateTime created = base.addSecs(qint64(rng() % (365UL * 86400)));
            const QDateTime updated = created.addSecs(qint64(rng() % (90UL * 86400)));
            const QDateTime heartbeat
                = rng() % 4 ? updated.addSecs(qint64(rng() % 3600)) : QDateTime();
            q.addBindValue(id);
            q.addBindValue(name);
            q.addBindValue(QStringLiteral("agent"));
            q.addBindValue(tier);
            q.addBindValue(status);
            q.addBindValue(runtime);
            q.addBindValue(instance.isEmpty() ? QVariant(QMetaType::fromType<QString>())
                                              : QVariant(instance));
            q.addBindValue(QStringLiteral("https://%1.ws.example").arg(id.left(8)));
            q.addBindValue(QString());
            q.addBindValue(provider);
            q.addBindValue(SqliteSource::formatTimestamp(heartbeat));
            q.addBindValue(SqliteSource::formatTimestamp(created));
            q.addBindValue(SqliteSource::formatTimestamp(updated));
            ok = q.exec();
            if (!ok)
                std::fprintf(stderr, "bench_cpctl_list: %s\n", qPrintable(q.lastError().text()));
        }
        q.finish();
        ok = ok && db.commit();
        db.close();
    }
    QSqlDatabase::removeDatabase(conn);
    QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner);
    return ok;
}

QString rowsLabel(int n)
{
    return n % 1000000 == 0 ? QStringLiteral("%1m").arg(n / 1000000)
        : n % 1000 == 0     ? QStringLiteral("%1k").arg(n / 1000)
                            : QString::number(n);
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

// Lines of `argv`'s output (stdout to a file): the check that both sides list the same rows.
qint64 outputLines(const QStringList &argv, const QProcessEnvironment &env, const QString &file)
{
    Child c;
    if (!c.start(argv, environmentOf(env), file, QStringLiteral("/dev/null"))
        || c.wait(600'000).code != 0)
        return -1;
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    qint64 lines = 0;
    static char block[1 << 16];
    for (qint64 n; (n = f.read(block, sizeof block)) > 0;)
        lines += std::count(block, block + n, '\n');
    f.close();
    f.remove();
    return lines;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QList<int> sizes { 100000, 1000000 };
    int runs = 3;
    QString cpctl = findCpctl();
    QString sqlite3 = QStringLiteral("sqlite3");
    const QStringList args = app.arguments();
    for (int i = 1; i < args.size(); ++i) {
        const QString &a = args[i];
        const QString v = i + 1 < args.size() ? args[i + 1] : QString();
        if (a == QLatin1String("--rows")) {
            sizes.clear();
            for (const QString &n : v.split(u','))
                sizes << std::max(1, n.toInt());
        } else if (a == QLatin1String("--runs")) {
            runs = std::max(1, v.toInt());
        } else if (a == QLatin1String("--cpctl")) {
            cpctl = v;
        } else if (a == QLatin1String("--sqlite3")) {
            sqlite3 = v;
        } else {
            std::fprintf(stderr,
                         "usage: bench_cpctl_list [--rows N[,N...]] [--runs N] [--cpctl "
                         "PATH] [--sqlite3 PATH]\n");
            return 2;
        }
        ++i;
    }
    if (cpctl.isEmpty() || !QFile::exists(cpctl)) {
        std::fprintf(stderr, "bench_cpctl_list: cpctl not found (build it, or pass --cpctl)\n");
        return 2;
    }
    QTemporaryDir tmp;
    if (!tmp.isValid())
        return 2;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("HOME"), tmp.path());
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), tmp.filePath(QStringLiteral("config")));
    env.insert(QStringLiteral("XDG_DATA_HOME"), tmp.filePath(QStringLiteral("data")));
    env.insert(QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("cpc.*=false"));
    env.remove(QStringLiteral("CPCONSOLE_DB"));
    const QString errFile = tmp.filePath(QStringLiteral("stderr.txt"));

    std::printf("### `cpctl list` from SQLite against the sqlite3 shell (median of %d runs after a "
                "warm-up, the commands taken in turns; stdout to /dev/null)\n\n",
                runs);
    std::printf("cpctl: %s. Rows: bench_model's generator (seed 20240501), ~%d%% removed "
                "(hidden by both sides' WHERE).\n\n",
                qPrintable(cpctl), 2);
    int failures = 0;
    for (const int n : sizes) {
        const QString db = tmp.filePath(QStringLiteral("list-%1.sqlite").arg(n));
        QElapsedTimer written;
        written.start();
        if (!writeRows(db, n))
            return 1;
        std::fprintf(stderr, "bench_cpctl_list: %d rows written in %lld ms\n", n,
                     written.elapsed());
        const QString label = rowsLabel(n);
        const QStringList json { cpctl, QStringLiteral("--db"), QStringLiteral("sqlite:") + db,
                                 QStringLiteral("list"), QStringLiteral("--json") };
        const QStringList jsonl { cpctl, QStringLiteral("--db"), QStringLiteral("sqlite:") + db,
                                  QStringLiteral("list"), QStringLiteral("--jsonl") };
        const QStringList table { cpctl, QStringLiteral("--db"), QStringLiteral("sqlite:") + db,
                                  QStringLiteral("list") };
        const QStringList sqliteJson { sqlite3, QStringLiteral("-json"), db, kAllColumns + kWhere };
        const QStringList sqliteList { sqlite3, db, kTableColumns + kWhere };

        // Both sides list the same rows: cpctl's JSON lines against sqlite3's list lines.
        const qint64 ours = outputLines(jsonl, env, tmp.filePath(QStringLiteral("check.out")));
        const qint64 theirs
            = outputLines(sqliteList, env, tmp.filePath(QStringLiteral("check.out")));
        std::printf("#### %d rows (%s listed by `cpctl list --jsonl`, %s by sqlite3)\n\n", n,
                    qPrintable(ours < 0 ? QStringLiteral("n/a") : QString::number(ours)),
                    qPrintable(QString::number(theirs)));
        std::printf("| what | command | wall (ms) | CPU (ms) | peak RSS (MiB) |\n");
        std::printf("|---|---|---:|---:|---:|\n");
        const std::vector<Timing> t = timeCommandsInTurn(
            { json, jsonl, sqliteJson, table, sqliteList }, env, runs, errFile);
        const Timing &tJson = t[0];
        const Timing &tJsonl = t[1];
        const Timing &tSqliteJson = t[2];
        const Timing &tTable = t[3];
        const Timing &tSqliteList = t[4];
        printRow(QStringLiteral("cpctl, JSON"), json, tJson);
        printRow(QStringLiteral("cpctl, JSON Lines"), jsonl, tJsonl);
        printRow(QStringLiteral("baseline: sqlite3 -json, the same 13 columns"), sqliteJson,
                 tSqliteJson);
        printRow(QStringLiteral("cpctl, table"), table, tTable);
        printRow(QStringLiteral("baseline: sqlite3, the table's 6 columns"), sqliteList,
                 tSqliteList);
        std::printf("\n");
        printResults(QStringLiteral("cpctl_list_json_%1").arg(label), tJson, tSqliteJson);
        printResults(QStringLiteral("cpctl_list_jsonl_%1").arg(label), tJsonl, tSqliteJson);
        printResults(QStringLiteral("cpctl_list_table_%1").arg(label), tTable, tSqliteList);
        std::printf("\n");
        std::fflush(stdout);
        failures += !tJson.ok + !tTable.ok;
        QFile::remove(db);
    }
    return failures ? 1 : 0;
}
