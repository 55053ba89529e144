#include "workspacemodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QtTest>

#include <memory>

using namespace cpc;

namespace {

WorkspaceRow makeRow(const QString &id, const QString &name, int tier, const QString &status,
                     const QString &runtime = QStringLiteral("python"),
                     const QString &instance = {}, const QString &provider = QStringLiteral("aws"),
                     const QDateTime &updated = {})
{
    WorkspaceRow r;
    r.id = id;
    r.name = name;
    r.tier = tier;
    r.status = status;
    r.runtime = runtime;
    r.instanceId = instance;
    r.provider = provider;
    r.updatedAt = updated;
    return r;
}

QDateTime day(int d)
{
    return QDateTime(QDate(2024, 5, d), QTime(12, 0), Qt::UTC);
}

// Eight rows with ties in every column and values that sort differently as text and as numbers
// (tier 10 vs 9, names differing only in case).
QVector<WorkspaceRow> sample()
{
    return {
        makeRow("id-1", "Alpha", 2, "online", "python", "i-0aa", "aws", day(3)),
        makeRow("id-2", "bravo", 10, "offline", "node", "", "gcp", day(1)),
        makeRow("id-3", "charlie", 9, "online", "Python", "i-0cc", "aws", QDateTime()),
        makeRow("id-4", "alpha", 2, "degraded", "go", "mol-ws-4", "", day(20)),
        makeRow("id-5", "Delta", 1, "exploded", "python", "", "aws", day(2)),
        makeRow("id-6", "echo", 10, "online", "node", "i-0ff", "gcp", day(3)),
        makeRow("id-7", "", 0, "", "", "", "", QDateTime()),
        makeRow("id-8", "foxtrot", 3, "failed", "rust", "i-0hh", "azure", day(11)),
    };
}

LiveStatus live(RunState state, const QString &reason = {})
{
    LiveStatus s;
    s.checked = true;
    s.state = state;
    s.reason = reason;
    s.checkedAt = QDateTime::currentDateTimeUtc().addSecs(-30);
    if (state != RunState::Unknown) {
        s.confirmedAt = s.checkedAt;
        s.lastKnown = state;
    }
    return s;
}

QStringList visibleIds(const WorkspaceModel &m)
{
    QStringList ids;
    for (int row = 0; row < m.rowCount(); ++row)
        ids << m.index(row, 0).data(WorkspaceModel::WorkspaceIdRole).toString();
    return ids;
}

} // namespace

class tst_WorkspaceModel : public QObject
{
    Q_OBJECT

    std::unique_ptr<WorkspaceModel> m_model;
    std::unique_ptr<QAbstractItemModelTester> m_tester;

private Q_SLOTS:
    void init()
    {
        m_model = std::make_unique<WorkspaceModel>();
        m_tester = std::make_unique<QAbstractItemModelTester>(
            m_model.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        m_model->setRows(sample());
    }
    void cleanup()
    {
        m_tester.reset();
        m_model.reset();
    }

    void countsAndColumns()
    {
        QCOMPARE(m_model->totalCount(), 8);
        QCOMPARE(m_model->visibleCount(), 8);
        QCOMPARE(m_model->rowCount(), 8);
        QCOMPARE(m_model->columnCount(), int(WorkspaceModel::ColumnCount));
        const auto status = m_model->statusCounts();
        QCOMPARE(status.value("online"), 3);
        QCOMPARE(status.value("exploded"), 1);
        QCOMPARE(status.value(""), 1);
        QVERIFY(m_model->liveCounts().isEmpty());
        QCOMPARE(m_model->headerData(WorkspaceModel::TierColumn, Qt::Horizontal, Qt::DisplayRole)
                     .toString(),
                 QStringLiteral("Tier"));
    }

    void defaultOrderIsByNameCaseInsensitive()
    {
        // "Alpha" and "alpha" tie on the name: the source order decides, every time.
        QCOMPARE(visibleIds(*m_model),
                 QStringList({ "id-7", "id-1", "id-4", "id-2", "id-3", "id-5", "id-6", "id-8" }));
    }

    void display()
    {
        const int row = m_model->visibleRowOf("id-2");
        QVERIFY(row >= 0);
        auto cell = [&](int column, int role = Qt::DisplayRole) {
            return m_model->index(row, column).data(role);
        };
        QCOMPARE(cell(WorkspaceModel::NameColumn).toString(), QStringLiteral("bravo"));
        QCOMPARE(cell(WorkspaceModel::IdColumn).toString(), QStringLiteral("id-2"));
        QCOMPARE(cell(WorkspaceModel::StatusColumn).toString(), QStringLiteral("offline"));
        QCOMPARE(cell(WorkspaceModel::LiveColumn).toString(), QStringLiteral("—"));
        QCOMPARE(cell(WorkspaceModel::InstanceColumn).toString(), QString());
        QVERIFY(cell(WorkspaceModel::InstanceColumn, Qt::ToolTipRole)
                    .toString()
                    .contains("no instance"));
        QCOMPARE(cell(WorkspaceModel::TierColumn).toInt(), 10);
        QCOMPARE(cell(WorkspaceModel::TierColumn, Qt::TextAlignmentRole).toInt(),
                 int(Qt::AlignRight | Qt::AlignVCenter));
        QVERIFY(!cell(WorkspaceModel::NameColumn, Qt::TextAlignmentRole).isValid());
        QCOMPARE(cell(WorkspaceModel::ProviderColumn).toString(), QStringLiteral("gcp"));
        QVERIFY(!cell(WorkspaceModel::UpdatedColumn).toString().isEmpty());
        QCOMPARE(cell(WorkspaceModel::UpdatedColumn, WorkspaceModel::SortRole).toDateTime(),
                 day(1));
        QCOMPARE(cell(WorkspaceModel::NameColumn, WorkspaceModel::RunStateRole).toInt(), -1);
        QCOMPARE(cell(WorkspaceModel::NameColumn, WorkspaceModel::PinnedRole).toBool(), false);
        QVERIFY(
            cell(WorkspaceModel::LiveColumn, Qt::ToolTipRole).toString().contains("not checked"));
        // An unknown status is shown as it is; an invalid date is empty, not "1970".
        const int odd = m_model->visibleRowOf("id-5");
        QCOMPARE(m_model->index(odd, WorkspaceModel::StatusColumn).data().toString(),
                 QStringLiteral("exploded"));
        const int bare = m_model->visibleRowOf("id-7");
        QCOMPARE(m_model->index(bare, WorkspaceModel::UpdatedColumn).data().toString(), QString());
        QCOMPARE(m_model->rowAt(bare)->id, QStringLiteral("id-7"));
        QVERIFY(!m_model->rowAt(99));
        QCOMPARE(m_model->rowById("id-8")->name, QStringLiteral("foxtrot"));
        QVERIFY(!m_model->rowById("nope"));
    }

    void liveColumn_data()
    {
        QTest::addColumn<LiveStatus>("status");
        QTest::addColumn<QString>("display");
        QTest::addColumn<QString>("tooltip");
        QTest::addColumn<int>("runState");
        QTest::newRow("running") << live(RunState::Running) << "running"
                                 << "running, checked 30 s ago" << int(RunState::Running);
        QTest::newRow("not running") << live(RunState::NotRunning) << "not running"
                                     << "not running, checked" << int(RunState::NotRunning);
        LiveStatus unknown = live(RunState::Unknown, QStringLiteral("CP unreachable"));
        unknown.lastKnown = RunState::Running;
        unknown.confirmedAt = QDateTime::currentDateTimeUtc().addSecs(-180);
        QTest::newRow("unknown with history")
            << unknown << "unknown (CP unreachable)"
            << "last known running, 3 min ago" << int(RunState::Unknown);
        QTest::newRow("unknown, never known")
            << live(RunState::Unknown, QStringLiteral("HTTP 503")) << "unknown (HTTP 503)"
            << "no definite answer" << int(RunState::Unknown);
        LiveStatus busy = live(RunState::Running);
        busy.busy = true;
        busy.busyLabel = QStringLiteral("stopping");
        QTest::newRow("busy") << busy << "stopping…"
                              << "stopping in progress" << int(RunState::Running);
    }
    void liveColumn()
    {
        QFETCH(LiveStatus, status);
        QFETCH(QString, display);
        QFETCH(QString, tooltip);
        QFETCH(int, runState);
        m_model->setLiveStatus("id-3", status);
        const QModelIndex cell
            = m_model->index(m_model->visibleRowOf("id-3"), WorkspaceModel::LiveColumn);
        QCOMPARE(cell.data().toString(), display);
        QVERIFY2(cell.data(Qt::ToolTipRole).toString().contains(tooltip),
                 qPrintable(cell.data(Qt::ToolTipRole).toString()));
        QCOMPARE(cell.data(WorkspaceModel::RunStateRole).toInt(), runState);
        QCOMPARE(cell.data(WorkspaceModel::LiveStatusRole).value<LiveStatus>().reason,
                 status.reason);
        QCOMPARE(m_model->liveStatus("id-3").busy, status.busy);
    }

    void liveUpdateIsOneRowNoReset()
    {
        m_model->sort(WorkspaceModel::LiveColumn);
        const QStringList order = visibleIds(*m_model);
        QSignalSpy changed(m_model.get(), &QAbstractItemModel::dataChanged);
        QSignalSpy reset(m_model.get(), &QAbstractItemModel::modelReset);
        QSignalSpy layout(m_model.get(), &QAbstractItemModel::layoutChanged);
        QSignalSpy counts(m_model.get(), &WorkspaceModel::countsChanged);
        m_model->setLiveStatus("id-6", live(RunState::Running));
        QCOMPARE(changed.size(), 1);
        const QModelIndex topLeft = changed.first().at(0).value<QModelIndex>();
        const QModelIndex bottomRight = changed.first().at(1).value<QModelIndex>();
        QCOMPARE(topLeft.row(), m_model->visibleRowOf("id-6"));
        QCOMPARE(bottomRight.row(), topLeft.row());
        QCOMPARE(reset.size(), 0);
        QCOMPARE(layout.size(), 0);
        QCOMPARE(visibleIds(*m_model), order); // no re-sort under the user's eyes
        QCOMPARE(counts.size(), 1);
        QCOMPARE(m_model->liveCounts().value(RunState::Running), 1);
        m_model->setLiveStatus("id-6", live(RunState::Unknown, "timeout"));
        QCOMPARE(m_model->liveCounts().value(RunState::Running), 0);
        QCOMPARE(m_model->liveCounts().value(RunState::Unknown), 1);
        // A hidden row changes silently; an unknown ID is ignored.
        m_model->setFilterText("bravo");
        changed.clear();
        m_model->setLiveStatus("id-6", live(RunState::NotRunning));
        m_model->setLiveStatus("no-such-id", live(RunState::Running));
        QCOMPARE(changed.size(), 0);
        QCOMPARE(m_model->liveStatus("id-6").state, RunState::NotRunning);
    }

    void filter_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QStringList>("ids");
        QTest::newRow("empty") << ""
                               << QStringList({ "id-7", "id-1", "id-4", "id-2", "id-3", "id-5",
                                                "id-6", "id-8" });
        QTest::newRow("name, any case") << "ALPHA" << QStringList({ "id-1", "id-4" });
        QTest::newRow("ID") << "id-8" << QStringList({ "id-8" });
        QTest::newRow("instance") << "I-0C" << QStringList({ "id-3" });
        QTest::newRow("simulator instance") << "mol-ws" << QStringList({ "id-4" });
        QTest::newRow("runtime") << "NODE" << QStringList({ "id-2", "id-6" });
        QTest::newRow("status") << "degraded" << QStringList({ "id-4" });
        QTest::newRow("unknown status") << "explod" << QStringList({ "id-5" });
        QTest::newRow("two words, all must match")
            << "online python" << QStringList({ "id-1", "id-3" });
        QTest::newRow("surrounding spaces") << "  rust " << QStringList({ "id-8" });
        QTest::newRow("no match") << "zzz" << QStringList();
        QTest::newRow("provider is not searched") << "azure" << QStringList();
    }
    void filter()
    {
        QFETCH(QString, text);
        QFETCH(QStringList, ids);
        QSignalSpy reset(m_model.get(), &QAbstractItemModel::modelReset);
        m_model->setFilterText(text);
        QCOMPARE(visibleIds(*m_model), ids);
        QCOMPARE(m_model->visibleCount(), int(ids.size()));
        QCOMPARE(m_model->totalCount(), 8);
        QCOMPARE(m_model->filterText(), text);
        QCOMPARE(reset.size(), 0);
        m_model->setFilterText({});
        QCOMPARE(m_model->visibleCount(), 8);
    }

    void searchMatchesAsTheFilterDoes_data() { filter_data(); }
    void searchMatchesAsTheFilterDoes()
    {
        // Quick-open finds what the filter would show, whatever the list's own filter is.
        QFETCH(QString, text);
        QFETCH(QStringList, ids);
        if (text.trimmed().isEmpty())
            return; // nothing typed: quick-open lists nothing (the next case shows it does)
        m_model->setFilterText(QStringLiteral("zzz-hides-every-row"));
        QCOMPARE(m_model->visibleCount(), 0);
        QStringList found = m_model->search(text, 100);
        QStringList expected = ids;
        found.sort();
        expected.sort();
        QCOMPARE(found, expected);
        QCOMPARE(m_model->search(text, 1).size(), qMin(1, int(ids.size())));
    }

    void searchPutsNamePrefixesFirst()
    {
        QVERIFY(m_model->search(QString(), 10).isEmpty());
        const QStringList all = m_model->search(QStringLiteral("a"), 100);
        QVERIFY(all.size() > 2);
        // Every row whose name starts with the text comes before any that only contains it.
        bool prefixes = true;
        for (const QString &id : all) {
            const bool prefix
                = m_model->rowById(id)->name.startsWith(QLatin1Char('a'), Qt::CaseInsensitive);
            QVERIFY2(prefixes || !prefix, qPrintable(id));
            prefixes = prefixes && prefix;
        }
        QVERIFY(!prefixes); // some rows matched elsewhere than the name's start
    }

    void filterOnLiveState()
    {
        m_model->setLiveStatus("id-1", live(RunState::Running));
        m_model->setLiveStatus("id-2", live(RunState::NotRunning));
        m_model->setLiveStatus("id-3", live(RunState::Unknown, "timeout"));
        m_model->setFilterText("unknown");
        QCOMPARE(visibleIds(*m_model), QStringList({ "id-3" }));
        m_model->setFilterText("not running");
        QCOMPARE(visibleIds(*m_model), QStringList({ "id-2" }));
    }

    void typingRefinesAndKeepsTheSelection()
    {
        m_model->sort(WorkspaceModel::TierColumn, Qt::DescendingOrder);
        const QPersistentModelIndex selected = m_model->index(m_model->visibleRowOf("id-6"), 1);
        const QPersistentModelIndex dropped = m_model->index(m_model->visibleRowOf("id-4"), 0);
        QSignalSpy reset(m_model.get(), &QAbstractItemModel::modelReset);
        m_model->setFilterText("o");
        const QStringList afterO = visibleIds(*m_model);
        m_model->setFilterText("on");
        QCOMPARE(visibleIds(*m_model), QStringList({ "id-6", "id-3", "id-1", "id-5" }));
        for (const QString &id : visibleIds(*m_model))
            QVERIFY(afterO.contains(id)); // a refinement only removes rows
        QVERIFY(selected.isValid());
        QCOMPARE(selected.data(WorkspaceModel::WorkspaceIdRole).toString(), QStringLiteral("id-6"));
        QCOMPARE(selected.column(), 1);
        QVERIFY(!dropped.isValid());
        // Deleting a character widens the filter again from all rows, in sort order.
        m_model->setFilterText("o");
        QCOMPARE(visibleIds(*m_model), afterO);
        QCOMPARE(reset.size(), 0);
    }

    void refinementSeesLiveChanges()
    {
        m_model->setFilterText("runn");
        QCOMPARE(m_model->visibleCount(), 0);
        m_model->setLiveStatus("id-8", live(RunState::Running));
        m_model->setFilterText("runni"); // extends the text, but a row's live text changed
        QCOMPARE(visibleIds(*m_model), QStringList({ "id-8" }));
    }

    void awkwardTextStaysInItsRow()
    {
        // Control characters from the database cannot make a word match across two rows or
        // two fields.
        m_model->setRows({ makeRow("r1", "ends with x\n", 1, "online"),
                           makeRow("r2", "y starts", 1, "online"),
                           makeRow("r3",
                                   QStringLiteral("a\x1f"
                                                  "b"),
                                   1, "online") });
        m_model->setFilterText("x");
        QCOMPARE(visibleIds(*m_model), QStringList({ "r1" }));
        m_model->setFilterText("onliney"); // r1's status, then r2's name
        QCOMPARE(m_model->visibleCount(), 0);
        m_model->setFilterText("startsr2"); // r2's name, then its ID
        QCOMPARE(m_model->visibleCount(), 0);
        m_model->setFilterText("ab");
        QCOMPARE(visibleIds(*m_model), QStringList({ "r3" }));
    }

    void statusFilter()
    {
        m_model->setStatusFilter({ "online", "failed" });
        QCOMPARE(visibleIds(*m_model), QStringList({ "id-1", "id-3", "id-6", "id-8" }));
        m_model->setFilterText("python");
        QCOMPARE(visibleIds(*m_model), QStringList({ "id-1", "id-3" }));
        m_model->setStatusFilter({});
        QCOMPARE(visibleIds(*m_model), QStringList({ "id-1", "id-3", "id-5" }));
    }

    void sortEveryColumn_data()
    {
        QTest::addColumn<int>("column");
        QTest::addColumn<int>("order");
        QTest::addColumn<QStringList>("ids");
        const int asc = Qt::AscendingOrder;
        const int desc = Qt::DescendingOrder;
        // Ties fall back to the name (ascending in both orders), then to the source order.
        QTest::newRow("name asc") << int(WorkspaceModel::NameColumn) << asc
                                  << QStringList({ "id-7", "id-1", "id-4", "id-2", "id-3", "id-5",
                                                   "id-6", "id-8" });
        QTest::newRow("name desc")
            << int(WorkspaceModel::NameColumn) << desc
            << QStringList({ "id-8", "id-6", "id-5", "id-3", "id-2", "id-1", "id-4", "id-7" });
        QTest::newRow("id asc") << int(WorkspaceModel::IdColumn) << asc
                                << QStringList({ "id-1", "id-2", "id-3", "id-4", "id-5", "id-6",
                                                 "id-7", "id-8" });
        QTest::newRow("id desc") << int(WorkspaceModel::IdColumn) << desc
                                 << QStringList({ "id-8", "id-7", "id-6", "id-5", "id-4", "id-3",
                                                  "id-2", "id-1" });
        QTest::newRow("status asc")
            << int(WorkspaceModel::StatusColumn) << asc
            << QStringList({ "id-7", "id-4", "id-5", "id-8", "id-2", "id-1", "id-3", "id-6" });
        QTest::newRow("status desc")
            << int(WorkspaceModel::StatusColumn) << desc
            << QStringList({ "id-1", "id-3", "id-6", "id-2", "id-8", "id-5", "id-4", "id-7" });
        QTest::newRow("instance asc")
            << int(WorkspaceModel::InstanceColumn) << asc
            << QStringList({ "id-7", "id-2", "id-5", "id-1", "id-3", "id-6", "id-8", "id-4" });
        QTest::newRow("instance desc")
            << int(WorkspaceModel::InstanceColumn) << desc
            << QStringList({ "id-4", "id-8", "id-6", "id-3", "id-1", "id-7", "id-2", "id-5" });
        QTest::newRow("runtime asc, any case")
            << int(WorkspaceModel::RuntimeColumn) << asc
            << QStringList({ "id-7", "id-4", "id-2", "id-6", "id-1", "id-3", "id-5", "id-8" });
        QTest::newRow("runtime desc")
            << int(WorkspaceModel::RuntimeColumn) << desc
            << QStringList({ "id-8", "id-1", "id-3", "id-5", "id-2", "id-6", "id-4", "id-7" });
        QTest::newRow("tier asc, numeric")
            << int(WorkspaceModel::TierColumn) << asc
            << QStringList({ "id-7", "id-5", "id-1", "id-4", "id-8", "id-3", "id-2", "id-6" });
        QTest::newRow("tier desc, numeric")
            << int(WorkspaceModel::TierColumn) << desc
            << QStringList({ "id-2", "id-6", "id-3", "id-8", "id-1", "id-4", "id-5", "id-7" });
        QTest::newRow("provider asc")
            << int(WorkspaceModel::ProviderColumn) << asc
            << QStringList({ "id-7", "id-4", "id-1", "id-3", "id-5", "id-8", "id-2", "id-6" });
        QTest::newRow("provider desc")
            << int(WorkspaceModel::ProviderColumn) << desc
            << QStringList({ "id-2", "id-6", "id-8", "id-1", "id-3", "id-5", "id-7", "id-4" });
        QTest::newRow("updated asc, by time")
            << int(WorkspaceModel::UpdatedColumn) << asc
            << QStringList({ "id-7", "id-3", "id-2", "id-5", "id-1", "id-6", "id-8", "id-4" });
        QTest::newRow("updated desc, by time")
            << int(WorkspaceModel::UpdatedColumn) << desc
            << QStringList({ "id-4", "id-8", "id-1", "id-6", "id-5", "id-2", "id-7", "id-3" });
        QTest::newRow("live asc") << int(WorkspaceModel::LiveColumn) << asc
                                  << QStringList({ "id-6", "id-3", "id-2", "id-7", "id-1", "id-4",
                                                   "id-5", "id-8" });
        QTest::newRow("live desc")
            << int(WorkspaceModel::LiveColumn) << desc
            << QStringList({ "id-7", "id-1", "id-4", "id-5", "id-8", "id-2", "id-3", "id-6" });
    }
    void sortEveryColumn()
    {
        QFETCH(int, column);
        QFETCH(int, order);
        QFETCH(QStringList, ids);
        m_model->setLiveStatus("id-6", live(RunState::Running));
        m_model->setLiveStatus("id-3", live(RunState::NotRunning));
        m_model->setLiveStatus("id-2", live(RunState::Unknown, "timeout"));
        QSignalSpy reset(m_model.get(), &QAbstractItemModel::modelReset);
        m_model->sort(column, Qt::SortOrder(order));
        QCOMPARE(visibleIds(*m_model), ids);
        QCOMPARE(reset.size(), 0);
        // Sorting again gives the same order (stable, deterministic).
        m_model->sort(column, Qt::SortOrder(order));
        QCOMPARE(visibleIds(*m_model), ids);
        // A filter keeps the sort.
        m_model->setFilterText("o");
        QStringList filtered;
        for (const QString &id : ids) {
            if (m_model->visibleRowOf(id) >= 0)
                filtered << id;
        }
        QCOMPARE(visibleIds(*m_model), filtered);
    }

    void upsertUpdatesInPlaceAndBatchesInserts()
    {
        m_model->setLiveStatus("id-2", live(RunState::Running));
        m_model->setFilterText("o");
        const int visibleBefore = m_model->visibleCount();
        QSignalSpy inserted(m_model.get(), &QAbstractItemModel::rowsInserted);
        QSignalSpy reset(m_model.get(), &QAbstractItemModel::modelReset);
        QSignalSpy changed(m_model.get(), &QAbstractItemModel::dataChanged);
        QSignalSpy counts(m_model.get(), &WorkspaceModel::countsChanged);
        QVector<WorkspaceRow> rows = {
            makeRow("id-2", "bravo", 10, "online", "node", "i-0bb", "gcp", day(4)), // changed
            makeRow("id-6", "echo", 10, "online", "node", "i-0ff", "gcp", day(3)), // unchanged
            makeRow("id-9", "golf", 4, "online", "go"), // new, matches "o"
            makeRow("id-10", "Aardvark", 1, "provisioning", "node"), // new, matches "o"
            makeRow("id-11", "zulu", 1, "paused", "rust"), // new, hidden by the filter
        };
        m_model->upsertRows(rows);
        QCOMPARE(reset.size(), 0);
        QCOMPARE(inserted.size(), 1); // one batch
        QCOMPARE(inserted.first().at(2).toInt() - inserted.first().at(1).toInt() + 1, 2);
        QCOMPARE(changed.size(), 1);
        QCOMPARE(counts.size(), 1);
        QCOMPARE(m_model->totalCount(), 11);
        QCOMPARE(m_model->visibleCount(), visibleBefore + 2);
        QCOMPARE(m_model->rowById("id-2")->instanceId, QStringLiteral("i-0bb"));
        QCOMPARE(visibleIds(*m_model).count("id-2"), 1);
        QCOMPARE(m_model->liveStatus("id-2").state, RunState::Running); // live state kept
        QCOMPARE(m_model->statusCounts().value("online"), 5);
        // New rows are in their sorted place (by name).
        QCOMPARE(visibleIds(*m_model).first(), QStringLiteral("id-10"));
        QVERIFY(m_model->visibleRowOf("id-11") < 0);
        m_model->setFilterText({});
        QVERIFY(m_model->visibleRowOf("id-11") >= 0);
        // The filter searches the rows' new text, not the old.
        m_model->setFilterText("i-0bb");
        QCOMPARE(visibleIds(*m_model), QStringList({ "id-2" }));
        m_model->setFilterText("zulu");
        QCOMPARE(visibleIds(*m_model), QStringList({ "id-11" }));
        m_model->setFilterText({});

        // Nothing changed: no signal at all.
        changed.clear();
        QSignalSpy layout(m_model.get(), &QAbstractItemModel::layoutChanged);
        m_model->upsertRows({ rows[1] });
        QCOMPARE(changed.size(), 0);
        QCOMPARE(layout.size(), 0);
    }

    void setRowsKeepsLiveStateAndPins()
    {
        m_model->setLiveStatus("id-1", live(RunState::Running));
        m_model->setPinned("id-1", true);
        m_model->setPinned("id-2", true);
        QVERIFY(m_model->isPinned("id-1"));
        QVector<WorkspaceRow> rows = sample();
        rows.removeAt(1); // id-2 is gone
        QSignalSpy reset(m_model.get(), &QAbstractItemModel::modelReset);
        m_model->setRows(rows);
        QCOMPARE(reset.size(), 1);
        QCOMPARE(m_model->totalCount(), 7);
        QCOMPARE(m_model->liveStatus("id-1").state, RunState::Running);
        QVERIFY(m_model->liveStatus("id-1").checked);
        QVERIFY(m_model->isPinned("id-1"));
        QVERIFY(!m_model->isPinned("id-2"));
        QCOMPARE(m_model->index(m_model->visibleRowOf("id-1"), 0)
                     .data(WorkspaceModel::PinnedRole)
                     .toBool(),
                 true);
        QCOMPARE(m_model->liveCounts().value(RunState::Running), 1);
        QCOMPARE(m_model->visibleRowOf("id-2"), -1);
    }

    void duplicateIdsDoNotDuplicateRows()
    {
        QVector<WorkspaceRow> rows = sample();
        rows.append(makeRow("id-1", "Alpha again", 5, "online"));
        m_model->setRows(rows);
        QCOMPARE(m_model->totalCount(), 8);
        QCOMPARE(m_model->rowById("id-1")->name, QStringLiteral("Alpha again"));
    }

    void churnUnderTheTester()
    {
        // Filtering, sorting, inserting and live updates interleaved; the tester checks every
        // signal and persistent index along the way.
        QVector<WorkspaceRow> more;
        for (int i = 0; i < 200; ++i)
            more << makeRow(QStringLiteral("gen-%1").arg(i), QStringLiteral("ws %1").arg(i % 37),
                            i % 5, knownWorkspaceStatuses().at(i % 10), i % 2 ? "python" : "node",
                            i % 3 ? QStringLiteral("i-%1").arg(i) : QString());
        m_model->upsertRows(more);
        QList<QPersistentModelIndex> held;
        for (int row = 0; row < m_model->rowCount(); row += 17)
            held << QPersistentModelIndex(m_model->index(row, row % WorkspaceModel::ColumnCount));
        QStringList heldIds;
        for (const auto &p : held)
            heldIds << p.data(WorkspaceModel::WorkspaceIdRole).toString();
        for (int step = 0; step < 40; ++step) {
            m_model->sort(step % WorkspaceModel::ColumnCount,
                          step % 2 ? Qt::AscendingOrder : Qt::DescendingOrder);
            m_model->setFilterText(QStringLiteral("ws 1").left(step % 5));
            m_model->setLiveStatus(QStringLiteral("gen-%1").arg(step * 3),
                                   live(RunState(step % 3)));
            if (step % 7 == 0)
                m_model->upsertRows(
                    { makeRow(QStringLiteral("late-%1").arg(step), "late", 1, "online") });
            if (step % 11 == 0)
                m_model->setStatusFilter(step % 2 ? QStringList()
                                                  : QStringList({ "online", "offline" }));
        }
        // Persistent indexes still point at their workspaces (or became invalid when hidden).
        for (int i = 0; i < held.size(); ++i) {
            if (held[i].isValid())
                QCOMPARE(held[i].data(WorkspaceModel::WorkspaceIdRole).toString(), heldIds[i]);
        }
        m_model->setStatusFilter({});
        m_model->setFilterText({});
        QCOMPARE(m_model->visibleCount(), m_model->totalCount());
        // With nothing filtered, sorting moves every held index along with its workspace.
        held.clear();
        heldIds.clear();
        for (int row = 0; row < m_model->rowCount(); row += 13) {
            held << QPersistentModelIndex(m_model->index(row, 0));
            heldIds << held.last().data(WorkspaceModel::WorkspaceIdRole).toString();
        }
        for (int column = 0; column < WorkspaceModel::ColumnCount; ++column) {
            m_model->sort(column, Qt::DescendingOrder);
            for (int i = 0; i < held.size(); ++i) {
                QVERIFY(held[i].isValid());
                QCOMPARE(held[i].data(WorkspaceModel::WorkspaceIdRole).toString(), heldIds[i]);
            }
        }
    }
};

QTEST_GUILESS_MAIN(tst_WorkspaceModel)
#include "tst_workspacemodel.moc"
