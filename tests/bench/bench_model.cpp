// The workspace list at scale: WorkspaceModel (rows in a WorkspaceTable) against the same rows
// as WorkspaceRows in a plain table model behind a QSortFilterProxyModel that filters the same
// five fields (name, ID, instance, runtime, status) and sorts the same columns. Both are fed
// by the same source: ours by scan() into compact batches, the baseline by list(). The rows
// come from tests/bench/gen-workspaces.sql (fixed values). Times are this thread's CPU time
// (median of the runs), so other work on the machine does not inflate them.
// Usage: bench_model [rows] [runs]   (defaults: 1000000 rows, 3 runs); BENCH_NO_BASELINE=1
// skips the (slow) baseline, for profiling. Prints a markdown table and
// `RESULT <name> <value> <unit> <baseline> <ratio>` lines.
#include "workspacemodel.h"
#include "workspacesource.h"

#include <QAbstractTableModel>
#include <QCoreApplication>
#include <QProcess>
#include <QSortFilterProxyModel>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <functional>
#include <vector>

using namespace cpc;

namespace {

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? 0.0 : v[v.size() / 2];
}

// The CPU time of this thread, not the wall clock: the figures stay comparable on a machine
// that is busy with other work (everything measured here runs on this one thread).
double threadCpuMs()
{
    timespec ts {};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
}

// Runs setup (untimed) then op (timed) `runs` times; the median in milliseconds. Each run is
// reported on stderr as it ends (the baseline's slow steps at 1,000,000 rows take minutes).
double measure(const char *what, int runs, const std::function<void()> &setup,
               const std::function<void()> &op)
{
    std::vector<double> ms;
    for (int i = 0; i < runs; ++i) {
        if (setup)
            setup();
        const double start = threadCpuMs();
        op();
        ms.push_back(threadCpuMs() - start);
        std::fprintf(stderr, "bench_model: %s, run %d of %d: %.1f ms\n", what, i + 1, runs,
                     ms.back());
    }
    return median(ms);
}

/// The baseline's rows: WorkspaceRows, the columns a list shows.
class PlainModel : public QAbstractTableModel
{
public:
    enum { Name, Id, Instance, Runtime, Status, Tier, Updated, Count };
    explicit PlainModel(QList<WorkspaceRow> rows)
        : m_rows(std::move(rows))
    {
    }
    int rowCount(const QModelIndex &p = {}) const override
    {
        return p.isValid() ? 0 : int(m_rows.size());
    }
    int columnCount(const QModelIndex &p = {}) const override { return p.isValid() ? 0 : Count; }
    QVariant data(const QModelIndex &index, int role) const override
    {
        if (role != Qt::DisplayRole)
            return {};
        const WorkspaceRow &r = m_rows[index.row()];
        switch (index.column()) {
        case Name:
            return r.name;
        case Id:
            return r.id;
        case Instance:
            return r.instanceId;
        case Runtime:
            return r.runtime;
        case Status:
            return r.status;
        case Tier:
            return r.tier;
        case Updated:
            return r.updatedAt;
        }
        return {};
    }

private:
    QList<WorkspaceRow> m_rows;
};

/// Filters the five text fields ours does, case-insensitively.
class FieldFilter : public QSortFilterProxyModel
{
public:
    /// Filters now (a proxy maps lazily: without the row count nothing would be done).
    void setText(const QString &text)
    {
        m_text = text;
        invalidateFilter();
        rowCount();
    }

protected:
    bool filterAcceptsRow(int row, const QModelIndex &parent) const override
    {
        if (m_text.isEmpty())
            return true;
        for (int c = PlainModel::Name; c <= PlainModel::Status; ++c) {
            if (sourceModel()
                    ->index(row, c, parent)
                    .data()
                    .toString()
                    .contains(m_text, Qt::CaseInsensitive))
                return true;
        }
        return false;
    }

private:
    QString m_text;
};

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const int rowCount = argc > 1 ? QString::fromLocal8Bit(argv[1]).toInt() : 1000000;
    const int runs = argc > 2 ? QString::fromLocal8Bit(argv[2]).toInt() : 3;

    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("bench.sqlite"));
    auto opened = WorkspaceSource::open(QStringLiteral("sqlite:") + path);
    if (!opened) {
        std::fprintf(stderr, "%s\n", qPrintable(opened.error().message));
        return 1;
    }
    std::unique_ptr<WorkspaceSource> source = std::move(opened.value());
    QProcess gen;
    gen.setStandardInputFile(QStringLiteral(CPC_SOURCE_DIR "/tests/bench/gen-workspaces.sql"));
    gen.start(
        QStringLiteral("sqlite3"),
        { QStringLiteral("-cmd"), QStringLiteral(".parameter set :N %1").arg(rowCount), path });
    if (!gen.waitForFinished(600000) || gen.exitCode() != 0) {
        std::fprintf(stderr, "sqlite3 could not generate the rows: %s\n",
                     gen.readAllStandardError().constData());
        return 1;
    }

    // Ours: the rows scanned into compact batches and merged into the list one by one, as the
    // window's loader and the window do (batches from 1,000 to 262,144 rows).
    const auto loadInBatches = [&](WorkspaceModel &into) {
        if (const auto n = source->count())
            into.reserve(n.value());
        int target = 1000;
        WorkspaceTable batch = WorkspaceTable::forTransfer();
        const auto scanned = source->scan({}, [&](const RawRow &raw) {
            batch.append(raw);
            if (batch.size() >= target) {
                into.appendRows(batch);
                batch = WorkspaceTable::forTransfer();
                target = std::min(target * 2, 262144);
            }
            return true;
        });
        Q_ASSERT(scanned);
        into.appendRows(batch);
    };
    std::unique_ptr<WorkspaceModel> model;
    const double loadMs = measure(
        "load", runs, [&] { model = std::make_unique<WorkspaceModel>(); },
        [&] { loadInBatches(*model); });
    // The first click on a column once the rows are in.
    std::unique_ptr<WorkspaceModel> fresh;
    const double sortAfterLoadMs = measure(
        "first sort after the load", runs,
        [&] {
            fresh = std::make_unique<WorkspaceModel>();
            loadInBatches(*fresh);
        },
        [&] { fresh->sort(WorkspaceModel::RuntimeColumn); });
    fresh.reset();
    const int listed = model->totalCount();
    const double filterAMs = measure(
        "filter a", runs, [&] { model->setFilterText({}); },
        [&] { model->setFilterText(QStringLiteral("a")); });
    const int visibleA = model->visibleCount();
    const double filterAbMs = measure(
        "filter ab", runs, [&] { model->setFilterText(QStringLiteral("a")); },
        [&] { model->setFilterText(QStringLiteral("ab")); });
    const int visibleAb = model->visibleCount();
    const double clearMs = measure(
        "clear", runs, [&] { model->setFilterText(QStringLiteral("ab")); },
        [&] { model->setFilterText({}); });
    // A text column (its first sort builds its rank) and a time column; each from name order.
    const double sortRuntimeMs = measure(
        "sort runtime", runs,
        [&] {
            model->sort(WorkspaceModel::NameColumn);
            model->setTable(WorkspaceTable(model->table())); // ranks built anew
        },
        [&] { model->sort(WorkspaceModel::RuntimeColumn); });
    const double sortUpdatedMs = measure(
        "sort updated", runs, [&] { model->sort(WorkspaceModel::NameColumn); },
        [&] { model->sort(WorkspaceModel::UpdatedColumn, Qt::DescendingOrder); });

    // The proxy's slow steps at a million rows take minutes a run (clearing the filter
    // inserts the rows back range by range): one run each there.
    const int baseRuns = rowCount >= 500000 ? 1 : runs;
    std::printf("%d workspaces (%d listed), thread CPU time, Qt %s; ours the median of %d runs, "
                "the baseline's of %d\n\n",
                rowCount, listed, qVersion(), runs, baseRuns);
    if (qEnvironmentVariableIsSet("BENCH_NO_BASELINE")) {
        std::printf("load %.1f a %.1f ab %.1f clear %.1f runtime %.1f updated %.1f first sort "
                    "after the load %.1f\n",
                    loadMs, filterAMs, filterAbMs, clearMs, sortRuntimeMs, sortUpdatedMs,
                    sortAfterLoadMs);
        return 0;
    }
    // The baseline: the same rows as WorkspaceRows (list()) in a plain model + a proxy.
    std::unique_ptr<PlainModel> plain;
    std::unique_ptr<FieldFilter> proxy;
    const double baseLoadMs = measure(
        "baseline load", baseRuns,
        [&] {
            proxy.reset();
            plain.reset();
        },
        [&] {
            plain = std::make_unique<PlainModel>(source->list().value());
            proxy = std::make_unique<FieldFilter>();
            proxy->setSourceModel(plain.get());
        });
    const double baseFilterAMs = measure(
        "baseline filter a", baseRuns, [&] { proxy->setText({}); },
        [&] { proxy->setText(QStringLiteral("a")); });
    const double baseFilterAbMs = measure(
        "baseline filter ab", baseRuns, [&] { proxy->setText(QStringLiteral("a")); },
        [&] { proxy->setText(QStringLiteral("ab")); });
    const int baseVisibleAb = proxy->rowCount();
    const double baseClearMs = measure(
        "baseline clear", baseRuns, [&] { proxy->setText(QStringLiteral("ab")); },
        [&] { proxy->setText({}); });
    const double baseSortRuntimeMs = measure(
        "baseline sort runtime", baseRuns, [&] { proxy->sort(PlainModel::Name); },
        [&] { proxy->sort(PlainModel::Runtime); });
    const double baseSortUpdatedMs = measure(
        "baseline sort updated", baseRuns, [&] { proxy->sort(PlainModel::Name); },
        [&] { proxy->sort(PlainModel::Updated, Qt::DescendingOrder); });

    std::printf("| operation | WorkspaceModel (ms) | WorkspaceRows + QSortFilterProxyModel (ms) | "
                "ratio |\n|---|---:|---:|---:|\n");
    QStringList results;
    auto line = [&](const char *what, const char *key, double ours, double base) {
        std::printf("| %s | %.1f | %.1f | %.3f |\n", what, ours, base, base > 0 ? ours / base : 0);
        results << QStringLiteral("RESULT %1 %2 ms %3 %4")
                       .arg(QString::fromLatin1(key))
                       .arg(ours, 0, 'f', 1)
                       .arg(base, 0, 'f', 1)
                       .arg(base > 0 ? ours / base : 0, 0, 'f', 4);
    };
    line("load (scan into batches merged one by one / list() + proxy)", "load", loadMs, baseLoadMs);
    line("filter \"a\" (from none)", "filter_a", filterAMs, baseFilterAMs);
    line("filter \"ab\" (keystroke after \"a\")", "filter_ab", filterAbMs, baseFilterAbMs);
    line("clear the filter", "filter_clear", clearMs, baseClearMs);
    line("sort by runtime (text)", "sort_runtime", sortRuntimeMs, baseSortRuntimeMs);
    line("sort by runtime, first click after the load", "sort_after_load", sortAfterLoadMs,
         baseSortRuntimeMs);
    line("sort by updated, descending (time)", "sort_updated", sortUpdatedMs, baseSortUpdatedMs);
    std::printf("\nvisible rows: \"a\" %d, \"ab\" %d (baseline \"ab\" %d)\n\n", visibleA, visibleAb,
                baseVisibleAb);
    for (const QString &r : results)
        std::printf("%s\n", qPrintable(r));
    return visibleAb == baseVisibleAb ? 0 : 1; // the same rows, or the comparison is void
}
