// WorkspaceSource::scan() on SQLite: the sqlite3 read loop gives every row as Qt's driver and
// the documented rules (SqliteSource::parseTimestamp, tierFromVariant) read it, stops when the
// sink says so and leaves the database free, and count() agrees with it.
#include "sqlitesource.h"
#include "sqltest.h"
#include "workspacesource.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

using namespace cpc;
using namespace cpc::test;

namespace {

// Each row stores its awkward values in the columns named; the rest stay NULL.
const QString kInsert = QStringLiteral(
    "INSERT INTO workspaces (id, name, role, tier, status, runtime, instance_id, url, "
    "last_sample_error, provider, last_heartbeat_at, created_at, updated_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");

const QString kColumns = QStringLiteral(
    "id, name, role, tier, status, runtime, instance_id, url, last_sample_error, provider, "
    "last_heartbeat_at, created_at, updated_at");

// Every timestamp form the table may hold, by what SQLite stores (text, integer, real, NULL).
const QVariantList kTimestamps {
    QStringLiteral("2024-05-01T12:00:00Z"),
    QStringLiteral("2024-05-01 12:00:00"),
    QStringLiteral("2024-05-01t12:00:00.250123z"),
    QStringLiteral("2024-05-01T14:00:00+02:00"),
    QStringLiteral("2024-05-01T07:00:00-0500"),
    QStringLiteral("2024-05-01T14:00:00,5+02"),
    QStringLiteral("2024-02-29"),
    QStringLiteral("2023-02-29"),
    QStringLiteral(" 2024-05-01T12:00:00Z\t"),
    QStringLiteral("2024-05-01T12:00"),
    QStringLiteral("2024-05-01T24:00:00Z"),
    QStringLiteral("1714564800"),
    QStringLiteral("1714564800.75"),
    QStringLiteral("-86400.5"),
    QStringLiteral("1e9"),
    QStringLiteral("yesterday"),
    QStringLiteral("2024-13-45T99:00:00Z"),
    QStringLiteral("2024-05-01T12:00:00Zjunk"),
    QStringLiteral("0000-01-01"),
    QStringLiteral(""),
    QStringLiteral("\u00a02024-05-01T12:00:00Z"),
    QVariant(qint64(1714564800)),
    QVariant(qint64(-1)),
    QVariant(1714564800.5),
    QVariant(1e300),
    QVariant(),
};

const QVariantList kTiers {
    QVariant(),
    2,
    -3,
    QStringLiteral("7"),
    QStringLiteral(" 4 "),
    QStringLiteral("+5"),
    QStringLiteral("abc"),
    3.0,
    3.9,
    -2.5,
    1e12,
    QStringLiteral("3.5"),
    QStringLiteral("12345678901"),
    QStringLiteral(""),
    QStringLiteral("-"),
    QStringLiteral("\u0664"),
};

const QVariantList kTexts {
    QVariant(),
    QStringLiteral(""),
    QStringLiteral("plain"),
    QStringLiteral("Рабочее место 工作区 🚀"),
    QStringLiteral("quote \" backslash \\ tab \t esc \x1b[2K"),
    QStringLiteral("rlo \u202e bidi \u2066 c1 \u009b"),
    QVariant(qint64(42)),
    QVariant(1.5),
    QVariant(1e20),
    QVariant(QByteArray("blob bytes")),
};

// A row as the QSQLITE driver hands it over and the documented rules read it: what list()
// returned before it was a scan().
WorkspaceRow referenceRow(const QSqlQuery &q)
{
    WorkspaceRow r;
    r.id = q.value(0).toString();
    r.name = q.value(1).toString();
    r.role = q.value(2).toString();
    r.tier = tierFromVariant(q.value(3));
    r.status = q.value(4).toString();
    r.runtime = q.value(5).toString();
    r.instanceId = q.value(6).toString();
    r.url = q.value(7).toString();
    r.lastSampleError = q.value(8).toString();
    r.provider = q.value(9).toString();
    r.lastHeartbeatAt = SqliteSource::parseTimestamp(q.value(10));
    r.createdAt = SqliteSource::parseTimestamp(q.value(11));
    r.updatedAt = SqliteSource::parseTimestamp(q.value(12));
    return r;
}

QString describe(const WorkspaceRow &r)
{
    const auto t = [](const QDateTime &at) {
        return at.isValid() ? at.toString(Qt::ISODateWithMs) : QStringLiteral("-");
    };
    return QStringList { r.id,
                         r.name,
                         r.role,
                         QString::number(r.tier),
                         r.status,
                         r.runtime,
                         r.instanceId,
                         r.url,
                         r.lastSampleError,
                         r.provider,
                         t(r.lastHeartbeatAt),
                         t(r.createdAt),
                         t(r.updatedAt) }
        .join(QStringLiteral(" | "));
}

} // namespace

class tst_WorkspaceScan : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    int m_files = 0;
    QString m_raw = QStringLiteral("scan-raw");

    QString newPath() { return m_dir.filePath(QStringLiteral("scan-%1.sqlite").arg(++m_files)); }
    std::unique_ptr<WorkspaceSource> open(const QString &path)
    {
        auto r = WorkspaceSource::open(QStringLiteral("sqlite:") + path);
        if (!r) {
            qWarning() << r.error().message;
            return {};
        }
        return std::move(r.value());
    }
    // A second connection, the way another program writes the file.
    bool openRaw(const QString &path)
    {
        QSqlDatabase::removeDatabase(m_raw);
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_raw);
        db.setDatabaseName(path);
        return db.open();
    }
    void closeRaw()
    {
        QSqlDatabase::database(m_raw, false).close();
        QSqlDatabase::removeDatabase(m_raw);
    }
    // `count` plain rows ws-00000…; every fourth one removed.
    bool insertPlain(int count)
    {
        return sqlExec(m_raw,
                       QStringLiteral("WITH RECURSIVE c(x) AS (SELECT 0 UNION ALL SELECT x + 1 "
                                      "FROM c WHERE x < %1) INSERT INTO workspaces (id, name, "
                                      "tier, status, created_at) SELECT printf('ws-%05d', x), "
                                      "printf('name %d', x), x % 5, CASE WHEN x % 4 = 3 THEN "
                                      "'removed' ELSE 'online' END, '2024-05-01T12:00:00Z' "
                                      "FROM c")
                           .arg(count - 1));
    }
    static QList<WorkspaceRow> scanAll(WorkspaceSource &source, const ListOptions &options = {})
    {
        QList<WorkspaceRow> rows;
        const VoidResult r = source.scan(options, [&](const RawRow &raw) {
            rows.append(rowFromRaw(raw));
            return true;
        });
        if (!r)
            qWarning() << r.error().message;
        return r ? rows : QList<WorkspaceRow> {};
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }
    void cleanup() { closeRaw(); }

    void rowsAreReadAsTheDriverAndTheRulesReadThem()
    {
        const QString path = newPath();
        auto source = open(path);
        QVERIFY(source);
        QVERIFY(openRaw(path));
        // Every timestamp form in every timestamp column, every tier form, every text form in
        // every text column, in rows that mix them.
        const int rows = int(std::max({ kTimestamps.size(), kTiers.size(), kTexts.size() }));
        for (int i = 0; i < rows; ++i) {
            QVariantList v { QStringLiteral("ws-%1").arg(i) };
            for (int c = 1; c <= 9; ++c) {
                if (c == 3)
                    v << kTiers[i % kTiers.size()];
                else if (c == 4)
                    v << QStringLiteral("online");
                else
                    v << kTexts[(i + c) % kTexts.size()];
            }
            for (int c = 0; c < 3; ++c)
                v << kTimestamps[(i + c * 7) % kTimestamps.size()];
            QVERIFY(sqlExec(m_raw, kInsert, v));
        }
        QVERIFY(sqlExec(m_raw,
                        QStringLiteral("INSERT INTO workspaces (id, name, status) VALUES "
                                       "('ws-badutf8', CAST(X'61ff62c3' AS TEXT), 'online')")));

        QSqlQuery q(QSqlDatabase::database(m_raw, false));
        QVERIFY(q.exec(QStringLiteral("SELECT %1 FROM workspaces").arg(kColumns)));
        QList<WorkspaceRow> expected;
        while (q.next())
            expected << referenceRow(q);
        q.finish();

        const QList<WorkspaceRow> scanned = scanAll(*source);
        QCOMPARE(scanned.size(), expected.size());
        QCOMPARE(scanned.size(), rows + 1);
        for (int i = 0; i < rows; ++i) // the invalid UTF-8 row is checked below
            QCOMPARE(describe(scanned[i]), describe(expected[i]));
        // SQLite's own UTF-16 conversion and QString's differ on invalid UTF-8; both keep the
        // valid text around it.
        QVERIFY(scanned.last().name.startsWith(u'a'));
        QCOMPARE(scanned.last().name.back(), QChar(u'\ufffd'));
        // A few values spelled out, so that the reference cannot be wrong with the scan.
        QCOMPARE(scanned[1].tier, 2);
        QCOMPARE(scanned[4].tier, 4);
        QCOMPARE(scanned[6].tier, 0); // "abc"
        QCOMPARE(scanned[8].tier, 3); // 3.9
        QCOMPARE(scanned[25].lastHeartbeatAt, QDateTime()); // NULL
        QCOMPARE(scanned[2].lastHeartbeatAt,
                 QDateTime(QDate(2024, 5, 1), QTime(12, 0, 0, 250), Qt::UTC));
        QCOMPARE(scanned[14].lastHeartbeatAt,
                 QDateTime::fromSecsSinceEpoch(1'000'000'000, Qt::UTC));
        QCOMPARE(scanned[16].lastHeartbeatAt, QDateTime()); // "2024-13-45T99:00:00Z"
    }

    void tableColumnsOnlyReadsTheTablesColumnsAlone()
    {
        // `cpctl list`'s table: the six columns it prints, read as a full scan reads them
        // (every awkward tier and text form), and nothing else.
        const QString path = newPath();
        auto source = open(path);
        QVERIFY(source);
        QVERIFY(openRaw(path));
        const int rows = int(std::max(kTiers.size(), kTexts.size()));
        for (int i = 0; i < rows; ++i) {
            QVariantList v { QStringLiteral("ws-%1").arg(i) };
            for (int c = 1; c <= 9; ++c) {
                if (c == 3)
                    v << kTiers[i % kTiers.size()];
                else if (c == 4)
                    v << (i % 3 ? QVariant(QStringLiteral("online")) : kTexts[i % kTexts.size()]);
                else
                    v << kTexts[(i + c) % kTexts.size()];
            }
            for (int c = 0; c < 3; ++c)
                v << kTimestamps[(i + c) % kTimestamps.size()];
            QVERIFY(sqlExec(m_raw, kInsert, v));
        }
        ListOptions table;
        table.tableColumnsOnly = true;
        table.includeRemoved = true;
        ListOptions all;
        all.includeRemoved = true;
        const QList<WorkspaceRow> full = scanAll(*source, all);
        const QList<WorkspaceRow> six = scanAll(*source, table);
        QCOMPARE(six.size(), rows);
        QCOMPARE(full.size(), rows);
        for (int i = 0; i < rows; ++i) {
            WorkspaceRow expected;
            expected.id = full[i].id;
            expected.name = full[i].name;
            expected.status = full[i].status;
            expected.runtime = full[i].runtime;
            expected.tier = full[i].tier;
            expected.instanceId = full[i].instanceId;
            QCOMPARE(describe(six[i]), describe(expected));
        }
        QCOMPARE(six[1].tier, 2);
        QCOMPARE(six[1].runtime, QStringLiteral("42")); // an integer in a text column
        QCOMPARE(six[1].instanceId, QStringLiteral("1.5")); // and a real
        QCOMPARE(six[2].name, QStringLiteral("Рабочее место 工作区 🚀"));
        // What the table leaves out was there to read.
        QVERIFY(std::any_of(full.cbegin(), full.cend(), [](const WorkspaceRow &r) {
            return !r.url.isEmpty() && !r.provider.isEmpty() && r.createdAt.isValid();
        }));
        // The same WHERE: removed rows hidden unless asked for.
        QVERIFY(sqlExec(m_raw,
                        QStringLiteral("UPDATE workspaces SET status = 'removed' WHERE "
                                       "id IN ('ws-1', 'ws-2')")));
        table.includeRemoved = false;
        QCOMPARE(scanAll(*source, table).size(), rows - 2);
        QCOMPARE(scanAll(*source).size(), rows - 2);
    }

    void removedRowsHiddenUnlessAskedAndCountAgrees()
    {
        const QString path = newPath();
        auto source = open(path);
        QVERIFY(source);
        QVERIFY(openRaw(path));
        QVERIFY(insertPlain(1000));
        QVERIFY(sqlExec(m_raw,
                        QStringLiteral("INSERT INTO workspaces (id, status) VALUES ('ws-null', "
                                       "NULL), ('ws-new', 'quarantined')")));
        ListOptions all;
        all.includeRemoved = true;
        const QList<WorkspaceRow> shown = scanAll(*source);
        const QList<WorkspaceRow> every = scanAll(*source, all);
        QCOMPARE(shown.size(), 752); // 750 not removed, NULL and unknown statuses kept
        QCOMPARE(every.size(), 1002);
        for (const WorkspaceRow &r : shown)
            QVERIFY(r.status != QLatin1String("removed"));
        QCOMPARE(source->count().value(), qint64(shown.size()));
        QCOMPARE(source->count(all).value(), qint64(every.size()));
        QCOMPARE(source->list()->size(), shown.size());
    }

    void sinkStopsTheReadAndFreesTheDatabase()
    {
        const QString path = newPath();
        auto source = open(path);
        QVERIFY(source);
        QVERIFY(openRaw(path));
        QVERIFY(insertPlain(5000));
        int seen = 0;
        const VoidResult r = source->scan({}, [&](const RawRow &) { return ++seen < 10; });
        QVERIFY(!r);
        QCOMPARE(r.error().kind, Error::Kind::Cancelled);
        QCOMPARE(seen, 10);
        // The statement is finished: another connection may write the file at once (an open
        // read would hold SQLite's shared lock, and this write would fail as locked).
        QVERIFY(sqlExec(m_raw, QStringLiteral("DELETE FROM workspaces WHERE id = 'ws-00001'")));
        // And the source goes on working.
        const auto one = source->get(QStringLiteral("ws-00002"));
        QVERIFY(one && one->has_value());
        QCOMPARE((*one)->name, QStringLiteral("name 2"));
        QVERIFY(source->upsertRows({ **one }));
        QCOMPARE(scanAll(*source).size(), 3749);
    }

    void emptyTableScansNothing()
    {
        auto source = open(newPath());
        QVERIFY(source);
        int seen = 0;
        QVERIFY(source->scan({}, [&](const RawRow &) {
            ++seen;
            return true;
        }));
        QCOMPARE(seen, 0);
        QCOMPARE(source->count().value(), 0);
    }
};

QTEST_GUILESS_MAIN(tst_WorkspaceScan)
#include "tst_workspacescan.moc"
