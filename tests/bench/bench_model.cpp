// Workspace list at 100k rows: WorkspaceModel against QSqlQueryModel + QSortFilterProxyModel,
// with the raw query as the floor. Fixed seed, median of several runs, a markdown table on
// stdout. Times are this thread's CPU time, so other work on the machine does not inflate them.
// Usage: bench_model [rows] [runs]   (defaults: 100000 rows, 7 runs); BENCH_NO_BASELINE=1 skips
// the (slow) baseline, for profiling.
#include "sqlitesource.h"
#include "workspacemodel.h"
#include "workspacesource.h"

#include <QCoreApplication>
#include <QSortFilterProxyModel>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QSqlQueryModel>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <functional>
#include <random>
#include <vector>

using namespace cpc;

namespace {

QList<WorkspaceRow> generate(int count)
{
    std::mt19937 rng(20240501); // fixed: every run measures the same rows
    const QStringList adjectives = { "amber", "brisk", "calm",  "dusty", "eager", "fuzzy", "gold",
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
    QList<WorkspaceRow> rows;
    rows.reserve(count);
    for (int i = 0; i < count; ++i) {
        WorkspaceRow r;
        r.id = QStringLiteral("%1-%2-4%3-a%4-%5").arg(hex(8), hex(4), hex(3), hex(3), hex(12));
        r.name = QStringLiteral("%1-%2-%3").arg(pick(adjectives), pick(nouns)).arg(rng() % 1000);
        r.role = QStringLiteral("agent");
        r.tier = int(rng() % 5);
        // Mostly online/offline, a few of everything else (removed ones are hidden by list()).
        const unsigned roll = rng() % 100;
        r.status = roll < 55 ? QStringLiteral("online")
            : roll < 80      ? QStringLiteral("offline")
                             : statuses.at(int(rng() % statuses.size()));
        r.runtime = pick(runtimes);
        if (rng() % 10 < 7)
            r.instanceId = QStringLiteral("i-") + hex(17);
        r.url = QStringLiteral("https://%1.ws.example").arg(r.id.left(8));
        r.provider = pick(providers);
        r.createdAt = base.addSecs(qint64(rng() % (365UL * 86400)));
        r.updatedAt = r.createdAt.addSecs(qint64(rng() % (90UL * 86400)));
        if (rng() % 4)
            r.lastHeartbeatAt = r.updatedAt.addSecs(qint64(rng() % 3600));
        rows.append(r);
    }
    return rows;
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

// The CPU time of this thread, not the wall clock: the figures stay comparable on a machine
// that is busy with other work (everything measured here runs on this one thread).
double threadCpuMs()
{
    timespec ts {};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
}

// Runs setup (untimed) then op (timed) `runs` times; the median in milliseconds.
double measure(int runs, const std::function<void()> &setup, const std::function<void()> &op)
{
    std::vector<double> ms;
    for (int i = 0; i < runs; ++i) {
        if (setup)
            setup();
        const double start = threadCpuMs();
        op();
        ms.push_back(threadCpuMs() - start);
    }
    return median(ms);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const int rowCount = argc > 1 ? QString::fromLocal8Bit(argv[1]).toInt() : 100000;
    const int runs = argc > 2 ? QString::fromLocal8Bit(argv[2]).toInt() : 7;

    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("bench.sqlite"));
    auto opened = WorkspaceSource::open(QStringLiteral("sqlite:") + path);
    if (!opened) {
        std::fprintf(stderr, "%s\n", qPrintable(opened.error().message));
        return 1;
    }
    std::unique_ptr<WorkspaceSource> source = std::move(opened.value());
    const QList<WorkspaceRow> generated = generate(rowCount);
    if (const auto written = source->upsertRows(generated); !written) {
        std::fprintf(stderr, "%s\n", qPrintable(written.error().message));
        return 1;
    }
    const QString selectList = static_cast<SqliteSource *>(source.get())->selectList();

    QSqlDatabase raw
        = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("bench-raw"));
    raw.setDatabaseName(path);
    raw.open();
    const QString query
        = QStringLiteral("SELECT %1 FROM workspaces WHERE status IS NULL OR status <> 'removed'")
              .arg(selectList);

    // Floor: the query alone, each row into a WorkspaceRow.
    int floorRows = 0;
    const double floorMs = measure(runs, {}, [&] {
        QSqlQuery q(raw);
        q.setForwardOnly(true);
        q.exec(query);
        QList<WorkspaceRow> rows;
        while (q.next()) {
            WorkspaceRow r;
            r.id = q.value(0).toString();
            r.name = q.value(1).toString();
            r.role = q.value(2).toString();
            r.tier = q.value(3).toInt();
            r.status = q.value(4).toString();
            r.runtime = q.value(5).toString();
            r.instanceId = q.value(6).toString();
            r.url = q.value(7).toString();
            r.lastSampleError = q.value(8).toString();
            r.provider = q.value(9).toString();
            r.lastHeartbeatAt = SqliteSource::parseTimestamp(q.value(10));
            r.createdAt = SqliteSource::parseTimestamp(q.value(11));
            r.updatedAt = SqliteSource::parseTimestamp(q.value(12));
            rows.append(r);
        }
        floorRows = int(rows.size());
    });

    // WorkspaceModel.
    std::unique_ptr<WorkspaceModel> model;
    const double loadMs = measure(
        runs, [&] { model = std::make_unique<WorkspaceModel>(); },
        [&] {
            const auto rows = source->list();
            model->setRows(QVector<WorkspaceRow>(rows->begin(), rows->end()));
        });
    const double filterAMs = measure(
        runs, [&] { model->setFilterText({}); },
        [&] { model->setFilterText(QStringLiteral("a")); });
    const int visibleA = model->visibleCount();
    const double filterAbMs = measure(
        runs, [&] { model->setFilterText(QStringLiteral("a")); },
        [&] { model->setFilterText(QStringLiteral("ab")); });
    const int visibleAb = model->visibleCount();
    const double clearMs = measure(
        runs, [&] { model->setFilterText(QStringLiteral("ab")); },
        [&] { model->setFilterText({}); });
    // A text column (first sort builds its rank) and a time column; each run from name order.
    const double sortRuntimeMs = measure(
        runs,
        [&] {
            model->sort(WorkspaceModel::NameColumn);
            model->setRows(QVector<WorkspaceRow>(generated.begin(), generated.end()));
        },
        [&] { model->sort(WorkspaceModel::RuntimeColumn); });
    const double sortUpdatedMs = measure(
        runs, [&] { model->sort(WorkspaceModel::NameColumn); },
        [&] { model->sort(WorkspaceModel::UpdatedColumn, Qt::DescendingOrder); });
    LiveStatus live;
    live.checked = true;
    live.state = RunState::Running;
    int liveIndex = 0;
    const double liveMs = measure(runs * 100, {}, [&] {
        model->setLiveStatus(generated.at((qsizetype(liveIndex++) * 7919) % generated.size()).id,
                             live);
    });

    if (qEnvironmentVariableIsSet("BENCH_NO_BASELINE")) { // for profiling our side alone
        std::printf("floor %.1f load %.1f a %.1f ab %.1f clear %.1f runtime %.1f updated %.1f\n",
                    floorMs, loadMs, filterAMs, filterAbMs, clearMs, sortRuntimeMs, sortUpdatedMs);
        return 0;
    }
    // Baseline: QSqlQueryModel (fetched to the end) + QSortFilterProxyModel.
    std::unique_ptr<QSqlQueryModel> sqlModel;
    std::unique_ptr<QSortFilterProxyModel> proxy;
    const double baseLoadMs = measure(
        runs,
        [&] {
            proxy.reset();
            sqlModel = std::make_unique<QSqlQueryModel>();
        },
        [&] {
            sqlModel->setQuery(QSqlQuery(query, raw));
            while (sqlModel->canFetchMore())
                sqlModel->fetchMore();
            proxy = std::make_unique<QSortFilterProxyModel>();
            proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
            proxy->setFilterKeyColumn(-1);
            proxy->setSourceModel(sqlModel.get());
        });
    const double baseFilterAMs = measure(
        runs, [&] { proxy->setFilterFixedString({}); },
        [&] { proxy->setFilterFixedString(QStringLiteral("a")); });
    const double baseFilterAbMs = measure(
        runs, [&] { proxy->setFilterFixedString(QStringLiteral("a")); },
        [&] { proxy->setFilterFixedString(QStringLiteral("ab")); });
    const double baseClearMs = measure(
        runs, [&] { proxy->setFilterFixedString(QStringLiteral("ab")); },
        [&] { proxy->setFilterFixedString({}); });
    const double baseSortRuntimeMs = measure(
        runs, [&] { proxy->sort(1); }, [&] { proxy->sort(5); });
    const double baseSortUpdatedMs = measure(
        runs, [&] { proxy->sort(1); }, [&] { proxy->sort(12, Qt::DescendingOrder); });

    auto line = [](const char *what, double ours, double base) {
        const double speedup = ours > 0 ? base / ours : 0.0;
        std::printf(speedup < 10 ? "| %s | %.1f | %.1f | %.1fx |\n"
                                 : "| %s | %.1f | %.1f | %.0fx |\n",
                    what, ours, base, speedup);
    };
    std::printf("%d workspaces (%d listed), median of %d runs, Qt %s\n\n", rowCount, floorRows,
                runs, qVersion());
    std::printf("| operation | WorkspaceModel (ms) | QSqlQueryModel + QSortFilterProxyModel (ms) | "
                "speed-up |\n");
    std::printf("|---|---:|---:|---:|\n");
    std::printf("| raw query into WorkspaceRow (floor) | %.1f | | |\n", floorMs);
    line("load (list + setRows / setQuery + fetchMore)", loadMs, baseLoadMs);
    line("filter \"a\" (from none)", filterAMs, baseFilterAMs);
    line("filter \"ab\" (keystroke after \"a\")", filterAbMs, baseFilterAbMs);
    line("clear the filter", clearMs, baseClearMs);
    line("sort by runtime (text)", sortRuntimeMs, baseSortRuntimeMs);
    line("sort by updated, descending (time)", sortUpdatedMs, baseSortUpdatedMs);
    std::printf("| one live status update | %.3f | | |\n", liveMs);
    std::printf("\nvisible rows: \"a\" %d, \"ab\" %d\n", visibleA, visibleAb);

    const double worst = std::max({ filterAMs, filterAbMs, clearMs, sortRuntimeMs, sortUpdatedMs });
    const double slowestSpeedup
        = std::min({ baseFilterAMs / filterAMs, baseFilterAbMs / filterAbMs, baseClearMs / clearMs,
                     baseSortRuntimeMs / sortRuntimeMs, baseSortUpdatedMs / sortUpdatedMs });
    std::printf("\ngoals: load %.2fx the raw query (<= 3x): %s; slowest keystroke/sort %.1f ms "
                "(< 50 ms): %s; smallest speed-up %.0fx (>= 10x): %s\n",
                loadMs / floorMs, loadMs <= 3 * floorMs ? "met" : "MISSED", worst,
                worst < 50 ? "met" : "MISSED", slowestSpeedup,
                slowestSpeedup >= 10 ? "met" : "MISSED");
    return 0;
}
