// The compact row store and the list model fed in batches: every value comes back as it went
// in (the compact form loses nothing), and rows merged in batch by batch end in the same order,
// under the same filter, as the same rows set at once.
#include "workspacemodel.h"
#include "workspacetable.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QtTest>

#include <random>

using namespace cpc;

namespace {

WorkspaceRow row(const QString &id, const QString &name, const QString &status = "online")
{
    WorkspaceRow r;
    r.id = id;
    r.name = name;
    r.status = status;
    r.runtime = QStringLiteral("python");
    r.role = QStringLiteral("agent");
    r.provider = QStringLiteral("aws");
    return r;
}

QVector<WorkspaceRow> generated(int count, unsigned seed, bool uniqueIds)
{
    std::mt19937 rng(seed);
    // Names longer than 16 bytes that share their first 16 (the merge's integer prefix ties),
    // names of 15 and 16 bytes that share their first 15, beside short ones.
    const QStringList names = { "amber",
                                "Brisk",
                                "calm",
                                "dusty",
                                "Éclair",
                                "fuzzy",
                                "gold",
                                "crawler-planner-indexer",
                                "crawler-planner-",
                                "Crawler-Planner-Z",
                                "abcdefghijklm" };
    const QStringList statuses = knownWorkspaceStatuses();
    const QStringList runtimes = { "python", "node", "go" };
    QVector<WorkspaceRow> rows;
    for (int i = 0; i < count; ++i) {
        WorkspaceRow r
            = row(QStringLiteral("ws-%1").arg(uniqueIds ? unsigned(i) : rng() % (count * 2)),
                  QStringLiteral("%1-%2").arg(names[int(rng() % names.size())]).arg(rng() % 50));
        r.status = statuses[int(rng() % statuses.size())];
        r.runtime = runtimes[int(rng() % runtimes.size())];
        r.tier = int(rng() % 4);
        if (rng() % 3)
            r.instanceId = QStringLiteral("i-%1").arg(rng() % 100000, 6, 16, QLatin1Char('0'));
        if (rng() % 2)
            r.updatedAt = QDateTime::fromMSecsSinceEpoch(
                1700000000000LL + qint64(rng() % 1000) * 1000, Qt::UTC);
        rows.append(r); // repeated IDs: the later row wins
    }
    return rows;
}

QStringList shownIds(const WorkspaceModel &m)
{
    QStringList ids;
    for (int r = 0; r < m.rowCount(); ++r)
        ids << m.data(m.index(r, 0), WorkspaceModel::WorkspaceIdRole).toString();
    return ids;
}

} // namespace

class tst_WorkspaceTable : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everyValueComesBack()
    {
        WorkspaceRow hostile;
        hostile.id = QStringLiteral("WS-Upper\x1f\nid");
        hostile.name = QStringLiteral("Ünïcode NAME \u202e with\x1fseparator\nand break");
        hostile.role = QStringLiteral("agent");
        hostile.tier = -3;
        hostile.status = QStringLiteral("not-a-status");
        hostile.runtime = QStringLiteral("Python");
        hostile.instanceId = QStringLiteral("I-0ABC");
        hostile.url = QStringLiteral("https://x.example/\u00e9");
        hostile.lastSampleError = QString(70000, QLatin1Char('e')); // longer than any field cut
        hostile.provider = QString();
        hostile.createdAt = QDateTime::fromMSecsSinceEpoch(-86400000LL * 365, Qt::UTC);
        hostile.updatedAt = QDateTime::fromMSecsSinceEpoch(1733400000123LL, Qt::UTC);
        WorkspaceRow longName = row(QStringLiteral("ws-long"), QString(5000, QChar(u'Ж')));
        WorkspaceTable t;
        t.append(hostile);
        t.append(longName);
        t.append(row(QStringLiteral("plain"), QStringLiteral("plain")));
        QCOMPARE(t.size(), 3);
        QCOMPARE(t.row(0), hostile);
        QCOMPARE(t.row(1), longName);
        QCOMPARE(t.indexOf(hostile.id), 0);
        QCOMPARE(t.indexOf(QStringLiteral("ws-long")), 1);
        QCOMPARE(t.indexOf(QStringLiteral("ws-LONG")), -1);
        // The search text is folded and cut, and never holds a separator or a break of its own.
        QVERIFY(t.searchField(0, WorkspaceTable::NameField).find("ünïcode name") == 0);
        QVERIFY(t.searchField(1, WorkspaceTable::NameField).size()
                <= size_t(WorkspaceTable::kMaxSearchField));
        QCOMPARE(std::count(t.searchText().begin(), t.searchText().end(), '\n'), 3);
    }

    void laterRowWinsAndSearchStaysInOrder()
    {
        WorkspaceTable t;
        t.append(row("a", "first"));
        t.append(row("b", "second"));
        WorkspaceTable batch;
        batch.append(row("a", "first again"));
        batch.append(row("c", "third"));
        const std::vector<int> added = t.appendTable(batch);
        QCOMPARE(added, std::vector<int>({ 2 }));
        QCOMPARE(t.size(), 3);
        QCOMPARE(t.name(0), QStringLiteral("first again"));
        // Rows' search text in row order: the filter maps a match to its row by position.
        QVERIFY(t.searchStart(0) < t.searchStart(1));
        QVERIFY(t.searchStart(1) < t.searchStart(2));
        QCOMPARE(t.searchText(0),
                 std::string_view("first again\x1f"
                                  "a\x1f\x1fpython\x1fonline"));
    }

    void transferBatchResolvesRepeatedIds()
    {
        WorkspaceTable t;
        t.append(row("a", "first"));
        WorkspaceTable batch = WorkspaceTable::forTransfer();
        batch.append(row("b", "second"));
        batch.append(row("a", "first again"));
        batch.append(row("b", "second again"));
        batch.append(row("c", "third"));
        QCOMPARE(batch.size(), 4); // carried as they came
        const std::vector<int> added = t.appendTable(batch);
        QCOMPARE(added, std::vector<int>({ 1, 2 }));
        QCOMPARE(t.size(), 3);
        QCOMPARE(t.name(0), QStringLiteral("first again"));
        QCOMPARE(t.name(1), QStringLiteral("second again")); // in the first one's place
        QCOMPARE(t.indexOf(QStringLiteral("b")), 1);
        QCOMPARE(t.indexOf(QStringLiteral("c")), 2);
        QVERIFY(t.searchStart(0) < t.searchStart(1));
        QVERIFY(t.searchStart(1) < t.searchStart(2));
    }

    void batchesEndInTheOrderOfOneLoad_data()
    {
        QTest::addColumn<int>("column");
        QTest::addColumn<int>("order");
        QTest::addColumn<QString>("filter");
        QTest::addColumn<bool>("uniqueIds");
        for (const bool unique : { true, false }) {
            const char *ids = unique ? "unique IDs" : "repeated IDs";
            for (int c = 0; c < WorkspaceModel::ColumnCount; ++c) {
                QTest::addRow("column %d up, %s", c, ids)
                    << c << int(Qt::AscendingOrder) << QString() << unique;
                QTest::addRow("column %d down, %s", c, ids)
                    << c << int(Qt::DescendingOrder) << QString() << unique;
            }
            QTest::addRow("name, filtered, %s", ids)
                << 0 << int(Qt::AscendingOrder) << QStringLiteral("gold") << unique;
            QTest::addRow("tier, two words, %s", ids)
                << int(WorkspaceModel::TierColumn) << int(Qt::DescendingOrder)
                << QStringLiteral("i-0 python") << unique;
        }
    }

    void batchesEndInTheOrderOfOneLoad()
    {
        QFETCH(int, column);
        QFETCH(int, order);
        QFETCH(QString, filter);
        QFETCH(bool, uniqueIds);
        const QVector<WorkspaceRow> rows = generated(3000, 7, uniqueIds);

        WorkspaceModel once;
        once.sort(column, Qt::SortOrder(order));
        once.setFilterText(filter);
        once.setRows(rows);

        WorkspaceModel batched;
        QAbstractItemModelTester tester(&batched,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        batched.sort(column, Qt::SortOrder(order));
        batched.setFilterText(filter); // set before the rows arrive, as an engineer types
        QSignalSpy inserted(&batched, &QAbstractItemModel::rowsInserted);
        int at = 0;
        for (const int size : { 1, 999, 1000, 600, 400 }) {
            // As the loader sends them: no ID index, a repeated ID resolved by appendRows.
            WorkspaceTable batch = WorkspaceTable::forTransfer();
            for (int i = 0; i < size; ++i)
                batch.append(rows[at++]);
            batch.finishEdits();
            batched.appendRows(batch);
        }
        QCOMPARE(at, rows.size());
        QVERIFY(inserted.size() >= 2); // the list grew as batches came
        QCOMPARE(batched.totalCount(), once.totalCount());
        QCOMPARE(shownIds(batched), shownIds(once));
        QCOMPARE(batched.statusCounts(), once.statusCounts());
        // Sorted again after the load: ties fall back to the names' ranks, which the batched
        // model takes from its merged order.
        for (const int other :
             { int(WorkspaceModel::RuntimeColumn), int(WorkspaceModel::TierColumn) }) {
            batched.sort(other, Qt::SortOrder(order));
            once.sort(other, Qt::SortOrder(order));
            QCOMPARE(shownIds(batched), shownIds(once));
        }
    }

    void selectionFollowsItsRowAsBatchesMergeIn()
    {
        WorkspaceModel m;
        WorkspaceTable first;
        first.append(row("m", "mike"));
        m.appendRows(first);
        QPersistentModelIndex kept(m.index(0, 0));
        WorkspaceTable second;
        for (const char *n : { "alpha", "bravo", "zulu" })
            second.append(row(QString::fromLatin1(n), QString::fromLatin1(n)));
        m.appendRows(second);
        QVERIFY(kept.isValid());
        QCOMPARE(kept.data(WorkspaceModel::WorkspaceIdRole).toString(), QStringLiteral("m"));
        QCOMPARE(kept.row(), 2);
    }
};

QTEST_GUILESS_MAIN(tst_WorkspaceTable)
#include "tst_workspacetable.moc"
