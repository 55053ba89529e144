// The workspace sources on SQLite (and the shared SQL): listing, lookup, malformed rows,
// read-only refusal, the ledger's writes and database URLs. One suite over 600 lines: every
// case on one schema.
#include "dburl.h"
#include "sqlitesource.h"
#include "sqltest.h"
#include "workspacesource.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using namespace cpc;
using namespace cpc::test;

namespace {

const QString kPassword = QStringLiteral("s3cr3t-Pa55word");

// A second connection to the same file, the way a person with the sqlite3 shell would write.
class RawDb
{
public:
    explicit RawDb(const QString &path)
        : m_name(QStringLiteral("raw-%1").arg(++s_count))
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_name);
        db.setDatabaseName(path);
        db.open();
    }
    ~RawDb()
    {
        QSqlDatabase::database(m_name, false).close();
        QSqlDatabase::removeDatabase(m_name);
    }
    bool exec(const QString &sql, const QVariantList &values = {})
    {
        return sqlExec(m_name, sql, values);
    }
    QStringList columns(const QString &table)
    {
        const QSqlRecord record = QSqlDatabase::database(m_name, false).record(table);
        QStringList out;
        for (int i = 0; i < record.count(); ++i)
            out << record.fieldName(i);
        return out;
    }
    QVariant value(const QString &sql, const QVariantList &values = {})
    {
        return sqlValue(m_name, sql, values);
    }

private:
    QString m_name;
    static inline int s_count = 0;
};

const QString kInsert = QStringLiteral(
    "INSERT INTO workspaces (id, name, role, tier, status, runtime, instance_id, url, "
    "last_sample_error, provider, last_heartbeat_at, created_at, updated_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");

QVariantList rowValues(const QString &id, const QVariant &instance,
                       const QVariant &status = "online")
{
    return { id,
             QStringLiteral("ws ") + id,
             QStringLiteral("agent"),
             2,
             status,
             QStringLiteral("python"),
             instance,
             QStringLiteral("https://ws.example/") + id,
             QVariant(),
             QStringLiteral("aws"),
             QStringLiteral("2024-05-01T12:00:00Z"),
             QStringLiteral("2024-04-01 08:30:00"),
             1714564800 };
}

const WorkspaceRow *find(const QList<WorkspaceRow> &rows, const QString &id)
{
    for (const WorkspaceRow &r : rows) {
        if (r.id == id)
            return &r;
    }
    return nullptr;
}

} // namespace

class tst_WorkspaceSource : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    int m_files = 0;

    QString newPath() { return m_dir.filePath(QStringLiteral("ws-%1.sqlite").arg(++m_files)); }
    std::unique_ptr<WorkspaceSource> openSqlite(const QString &path,
                                                const SourceOptions &options = {})
    {
        auto r = WorkspaceSource::open(QStringLiteral("sqlite:") + path, options);
        if (!r) {
            qWarning() << r.error().message;
            return {};
        }
        return std::move(r.value());
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
    }

    void schemaCreatedOnFirstUse()
    {
        const QString path = newPath();
        QVERIFY(!QFile::exists(path));
        auto source = openSqlite(path);
        QVERIFY(source);
        QCOMPARE(source->backend(), WorkspaceSource::Backend::Sqlite);
        QCOMPARE(source->displayUrl(), QStringLiteral("sqlite:") + path);
        QVERIFY(!source->isReadOnly());
        RawDb raw(path);
        QCOMPARE(raw.columns(QStringLiteral("workspaces")),
                 QStringList({ "id", "name", "role", "tier", "status", "runtime", "instance_id",
                               "url", "last_sample_error", "provider", "last_heartbeat_at",
                               "created_at", "updated_at" }));
        const auto rows = source->list();
        QVERIFY(rows);
        QVERIFY(rows->isEmpty());
    }

    void handWrittenInsertIsReadable()
    {
        const QString path = newPath();
        auto source = openSqlite(path);
        QVERIFY(source);
        RawDb raw(path);
        QVERIFY(raw.exec(kInsert, rowValues(QStringLiteral("ws-1"), QStringLiteral("i-0abc"))));
        const auto rows = source->list();
        QVERIFY(rows);
        QCOMPARE(rows->size(), 1);
        const WorkspaceRow &r = rows->first();
        QCOMPARE(r.id, QStringLiteral("ws-1"));
        QCOMPARE(r.name, QStringLiteral("ws ws-1"));
        QCOMPARE(r.role, QStringLiteral("agent"));
        QCOMPARE(r.tier, 2);
        QCOMPARE(r.status, QStringLiteral("online"));
        QCOMPARE(r.runtime, QStringLiteral("python"));
        QCOMPARE(r.instanceId, QStringLiteral("i-0abc"));
        QCOMPARE(r.url, QStringLiteral("https://ws.example/ws-1"));
        QCOMPARE(r.provider, QStringLiteral("aws"));
        QCOMPARE(r.lastHeartbeatAt, QDateTime(QDate(2024, 5, 1), QTime(12, 0), Qt::UTC));
        QCOMPARE(r.createdAt, QDateTime(QDate(2024, 4, 1), QTime(8, 30), Qt::UTC));
        QCOMPARE(r.updatedAt, QDateTime::fromSecsSinceEpoch(1714564800, Qt::UTC));
        const auto one = source->get(QStringLiteral("ws-1"));
        QVERIFY(one && one->has_value());
        QCOMPARE((*one)->instanceId, QStringLiteral("i-0abc"));
        const auto none = source->get(QStringLiteral("ws-404"));
        QVERIFY(none);
        QVERIFY(!none->has_value());
    }

    void platformExportWithOtherColumns()
    {
        // A table exported from the platform: extra columns, compute JSON instead of provider,
        // no last_sample_error. It reads, and the provider comes out of the JSON.
        const QString path = newPath();
        {
            RawDb raw(path);
            QVERIFY(raw.exec(QStringLiteral(
                "CREATE TABLE workspaces (id TEXT PRIMARY KEY, name TEXT, role TEXT, tier "
                "INTEGER, status TEXT, runtime TEXT, instance_id TEXT, url TEXT, "
                "last_heartbeat_at TEXT, created_at TEXT, updated_at TEXT, compute TEXT, "
                "parent_id TEXT, budget NUMERIC)")));
            QVERIFY(raw.exec(QStringLiteral(
                "INSERT INTO workspaces (id, name, tier, status, compute, budget) VALUES "
                "('a', 'alpha', 1, 'online', '{\"provider\": \"gcp\"}', 12.5), "
                "('b', 'beta', 1, 'online', 'not json', NULL)")));
        }
        SourceOptions readOnly;
        readOnly.readOnly = true;
        auto source = openSqlite(path, readOnly);
        QVERIFY(source);
        const auto rows = source->list();
        QVERIFY2(rows, rows ? "" : qPrintable(rows.error().message));
        QCOMPARE(rows->size(), 2);
        QCOMPARE(find(*rows, "a")->provider, QStringLiteral("gcp"));
        QCOMPARE(find(*rows, "b")->provider, QString());
        QCOMPARE(find(*rows, "b")->name, QStringLiteral("beta"));
    }

    void removedHiddenUnlessAsked()
    {
        const QString path = newPath();
        auto source = openSqlite(path);
        QVERIFY(source);
        RawDb raw(path);
        QVERIFY(raw.exec(kInsert, rowValues("ws-live", QVariant())));
        QVERIFY(raw.exec(kInsert, rowValues("ws-gone", QVariant(), "removed")));
        auto rows = source->list();
        QVERIFY(rows);
        QCOMPARE(rows->size(), 1);
        QCOMPARE(rows->first().id, QStringLiteral("ws-live"));
        ListOptions all;
        all.includeRemoved = true;
        rows = source->list(all);
        QVERIFY(rows);
        QCOMPARE(rows->size(), 2);
        QCOMPARE(find(*rows, "ws-gone")->status, QStringLiteral("removed"));
    }

    void unknownAndMalformedRowsLoad()
    {
        const QString path = newPath();
        auto source = openSqlite(path);
        QVERIFY(source);
        RawDb raw(path);
        QVERIFY(raw.exec(kInsert, rowValues("ws-good", QStringLiteral("i-1"))));
        QVERIFY(raw.exec(kInsert, rowValues("ws-odd", QVariant(), "exploded")));
        QVERIFY(raw.exec(QStringLiteral("INSERT INTO workspaces (id) VALUES ('ws-bare')")));
        QVERIFY(raw.exec(QStringLiteral("INSERT INTO workspaces (id, name, tier, status) VALUES "
                                        "('ws-texttier', 'x', 'abc', 'online'), "
                                        "('ws-numtext', 'y', '7', 'online'), "
                                        "('ws-realtier', 'z', 3.0, 'online')")));
        const auto rows = source->list();
        QVERIFY(rows);
        QCOMPARE(rows->size(), 6);
        QCOMPARE(find(*rows, "ws-odd")->status, QStringLiteral("exploded"));
        const WorkspaceRow *bare = find(*rows, "ws-bare");
        QVERIFY(bare);
        QCOMPARE(bare->name, QString());
        QCOMPARE(bare->tier, 0);
        QCOMPARE(bare->status, QString());
        QVERIFY(!bare->createdAt.isValid());
        QCOMPARE(find(*rows, "ws-texttier")->tier, 0);
        QCOMPARE(find(*rows, "ws-numtext")->tier, 7);
        QCOMPARE(find(*rows, "ws-realtier")->tier, 3);
        QCOMPARE(find(*rows, "ws-good")->instanceId, QStringLiteral("i-1"));
    }

    void timestamps_data()
    {
        QTest::addColumn<QVariant>("stored");
        QTest::addColumn<QDateTime>("expected");
        const QDateTime noon(QDate(2024, 5, 1), QTime(12, 0), Qt::UTC);
        QTest::newRow("ISO with Z") << QVariant("2024-05-01T12:00:00Z") << noon;
        QTest::newRow("ISO with space, no zone = UTC") << QVariant("2024-05-01 12:00:00") << noon;
        QTest::newRow("ISO with offset") << QVariant("2024-05-01T14:00:00+02:00") << noon;
        QTest::newRow("ISO with compact offset") << QVariant("2024-05-01T07:00:00-0500") << noon;
        QTest::newRow("ISO with micros")
            << QVariant("2024-05-01T12:00:00.250123Z") << noon.addMSecs(250);
        QTest::newRow("date only") << QVariant("2024-05-01") << noon.addSecs(qint64(-12) * 3600);
        QTest::newRow("unix seconds") << QVariant(qint64(1714564800)) << noon;
        QTest::newRow("unix seconds as text") << QVariant("1714564800") << noon;
        QTest::newRow("fractional unix seconds") << QVariant(1714564800.5) << noon.addMSecs(500);
        QTest::newRow("words") << QVariant("yesterday") << QDateTime();
        QTest::newRow("impossible date") << QVariant("2024-13-45T99:00:00Z") << QDateTime();
        QTest::newRow("trailing junk") << QVariant("2024-05-01T12:00:00Zjunk") << QDateTime();
        QTest::newRow("empty") << QVariant("") << QDateTime();
        QTest::newRow("NULL") << QVariant() << QDateTime();
        QTest::newRow("absurd number") << QVariant(1e300) << QDateTime();
    }
    void timestamps()
    {
        QFETCH(QVariant, stored);
        QFETCH(QDateTime, expected);
        const QString path = newPath();
        auto source = openSqlite(path);
        QVERIFY(source);
        RawDb raw(path);
        QVERIFY(raw.exec(QStringLiteral("INSERT INTO workspaces (id, name, status, updated_at) "
                                        "VALUES ('ws-t', 'x', 'online', ?), ('ws-other', 'y', "
                                        "'online', NULL)"),
                         { stored }));
        const auto rows = source->list();
        QVERIFY(rows);
        QCOMPARE(rows->size(), 2); // a bad value never drops the row or its neighbours
        const WorkspaceRow *r = find(*rows, "ws-t");
        QVERIFY(r);
        QCOMPARE(r->updatedAt.isValid(), expected.isValid());
        if (expected.isValid()) {
            QCOMPARE(r->updatedAt, expected);
            QCOMPARE(r->updatedAt.timeSpec(), Qt::UTC);
        }
    }

    void resolveInstanceId_data()
    {
        QTest::addColumn<QString>("id");
        QTest::addColumn<QString>("expected");
        QTest::newRow("row with an instance") << "ws-a"
                                              << "i-0123456789abcdef0";
        QTest::newRow("NULL instance") << "ws-null"
                                       << "";
        QTest::newRow("empty instance") << "ws-empty"
                                        << "";
        QTest::newRow("blank instance") << "ws-blank"
                                        << "";
        QTest::newRow("no row") << "ws-missing"
                                << "";
        QTest::newRow("hostile ID, no row") << "x' OR '1'='1"
                                            << "";
    }
    void resolveInstanceId()
    {
        QFETCH(QString, id);
        QFETCH(QString, expected);
        const QString path = newPath();
        auto source = openSqlite(path);
        QVERIFY(source);
        RawDb raw(path);
        QVERIFY(raw.exec(kInsert, rowValues("ws-a", QStringLiteral("i-0123456789abcdef0"))));
        QVERIFY(raw.exec(kInsert, rowValues("ws-null", QVariant())));
        QVERIFY(raw.exec(kInsert, rowValues("ws-empty", QStringLiteral(""))));
        QVERIFY(raw.exec(kInsert, rowValues("ws-blank", QStringLiteral("  "))));
        const auto r = source->resolveInstanceId(id);
        QVERIFY2(r, r ? "" : qPrintable(r.error().message));
        QCOMPARE(*r, expected);
    }

    void resolveInstanceIdDatabaseErrorIsAnError()
    {
        const QString path = newPath();
        auto source = openSqlite(path);
        QVERIFY(source);
        {
            RawDb raw(path);
            QVERIFY(raw.exec(kInsert, rowValues("ws-a", QStringLiteral("i-1"))));
            QVERIFY(raw.exec(QStringLiteral("DROP TABLE workspaces")));
        }
        const auto r = source->resolveInstanceId(QStringLiteral("ws-a"));
        QVERIFY(!r); // never "" (that would read as "nothing to act on")
        QCOMPARE(r.error().kind, Error::Kind::Database);
        QVERIFY2(r.error().message.contains(QLatin1String("ws-a")), qPrintable(r.error().message));
        QVERIFY(!source->list());
        QVERIFY(!source->get(QStringLiteral("ws-a")));
    }

    void corruptFileFailsAtOpen()
    {
        const QString path = newPath();
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray(8192, 'x'));
        f.close();
        const auto r = WorkspaceSource::open(QStringLiteral("sqlite:") + path);
        QVERIFY(!r);
        QCOMPARE(r.error().kind, Error::Kind::Database);
        QVERIFY2(r.error().message.contains(path), qPrintable(r.error().message));
    }

    void recordStoppedClearsTheInstance()
    {
        const QString path = newPath();
        auto source = openSqlite(path);
        QVERIFY(source);
        RawDb raw(path);
        QVERIFY(raw.exec(kInsert, rowValues("ws-a", QStringLiteral("i-1"))));
        QVERIFY(raw.exec(kInsert, rowValues("ws-b", QStringLiteral("i-2"))));
        const QDateTime before = QDateTime::currentDateTimeUtc().addSecs(-1);
        const auto r = source->recordStopped(QStringLiteral("ws-a"), QStringLiteral("i-1"));
        QVERIFY2(r, r ? "" : qPrintable(r.error().message));
        QVERIFY(r->written);
        QVERIFY(raw.value(QStringLiteral("SELECT instance_id FROM workspaces WHERE id = 'ws-a'"))
                    .isNull());
        QCOMPARE(
            raw.value(QStringLiteral("SELECT status FROM workspaces WHERE id = 'ws-a'")).toString(),
            QStringLiteral("offline"));
        const auto row = source->get(QStringLiteral("ws-a"));
        QVERIFY(row && row->has_value());
        QVERIFY((*row)->updatedAt >= before);
        QCOMPARE((*row)->instanceId, QString());
        // The neighbour is untouched.
        const auto other = source->get(QStringLiteral("ws-b"));
        QCOMPARE((*other)->instanceId, QStringLiteral("i-2"));
        QCOMPARE((*other)->updatedAt, QDateTime::fromSecsSinceEpoch(1714564800, Qt::UTC));
        QCOMPARE(*source->resolveInstanceId(QStringLiteral("ws-a")), QString());
        // Stopping again (or a row that is gone) is not an error: nothing to clear.
        const auto again = source->recordStopped(QStringLiteral("ws-a"), QStringLiteral("i-1"));
        QVERIFY(again && !again->written && again->rowFound && again->found.isEmpty());
        const auto gone
            = source->recordStopped(QStringLiteral("ws-missing"), QStringLiteral("i-1"));
        QVERIFY(gone && !gone->written && !gone->rowFound);
    }

    void recordStoppedLeavesANewerInstance()
    {
        const QString path = newPath();
        auto source = openSqlite(path);
        QVERIFY(source);
        RawDb raw(path);
        QVERIFY(raw.exec(kInsert, rowValues("ws-a", QStringLiteral(" i-newer "))));
        // The stop acted on i-old; the row holds i-newer (recorded while the stop was out).
        const auto r = source->recordStopped(QStringLiteral("ws-a"), QStringLiteral("i-old"));
        QVERIFY2(r, r ? "" : qPrintable(r.error().message));
        QVERIFY(!r->written);
        QVERIFY(r->rowFound);
        QCOMPARE(r->found, QStringLiteral("i-newer"));
        const auto row = source->get(QStringLiteral("ws-a"));
        QCOMPARE((*row)->instanceId, QStringLiteral(" i-newer "));
        QCOMPARE((*row)->status, QStringLiteral("online"));
        QCOMPARE((*row)->updatedAt, QDateTime::fromSecsSinceEpoch(1714564800, Qt::UTC));
        // Surrounding blanks in the column do not hide the instance it names.
        QVERIFY(source->recordStopped(QStringLiteral("ws-a"), QStringLiteral("i-newer"))->written);
        QCOMPARE(*source->resolveInstanceId(QStringLiteral("ws-a")), QString());
    }

    void recordProvisionedIsCompareAndSet_data()
    {
        QTest::addColumn<QVariant>("onRow"); // what the row holds when the answer comes
        QTest::addColumn<QString>("expected"); // what it held when the provision started
        QTest::addColumn<bool>("written");
        QTest::addColumn<QString>("found");
        QTest::newRow("still none (NULL)") << QVariant() << QString() << true << QString();
        QTest::newRow("still none ('')") << QVariant(QString("")) << QString() << true << QString();
        QTest::newRow("still the replaced one")
            << QVariant("i-old") << "i-old" << true << QString();
        QTest::newRow("someone recorded i-other")
            << QVariant("i-other") << QString() << false << "i-other";
        QTest::newRow("the replaced one was replaced by another")
            << QVariant("i-other") << "i-old" << false << "i-other";
        QTest::newRow("someone cleared it") << QVariant() << "i-old" << false << QString();
        QTest::newRow("already names the new one")
            << QVariant("i-new") << "i-old" << true << QString();
    }
    void recordProvisionedIsCompareAndSet()
    {
        QFETCH(QVariant, onRow);
        QFETCH(QString, expected);
        QFETCH(bool, written);
        QFETCH(QString, found);
        const QString path = newPath();
        auto source = openSqlite(path);
        QVERIFY(source);
        RawDb raw(path);
        QVERIFY(raw.exec(kInsert, rowValues("ws-a", onRow, "offline")));
        const auto r = source->recordProvisioned(QStringLiteral("ws-a"), QStringLiteral("i-new"),
                                                 QStringLiteral("provisioning"), expected);
        QVERIFY2(r, r ? "" : qPrintable(r.error().message));
        QCOMPARE(r->written, written);
        QCOMPARE(r->found, found);
        const auto row = source->get(QStringLiteral("ws-a"));
        if (written && onRow.toString() != QLatin1String("i-new")) {
            QCOMPARE((*row)->instanceId, QStringLiteral("i-new"));
            QCOMPARE((*row)->status, QStringLiteral("provisioning"));
        } else {
            // Nothing overwritten: not the instance, not the status, not the time.
            QCOMPARE((*row)->instanceId, onRow.toString());
            QCOMPARE((*row)->status, QStringLiteral("offline"));
            QCOMPARE((*row)->updatedAt, QDateTime::fromSecsSinceEpoch(1714564800, Qt::UTC));
        }
    }

    void recordProvisionedUpdatesTheRow()
    {
        const QString path = newPath();
        auto source = openSqlite(path);
        QVERIFY(source);
        RawDb raw(path);
        QVERIFY(raw.exec(kInsert, rowValues("ws-a", QVariant(), "offline")));
        const QDateTime before = QDateTime::currentDateTimeUtc().addSecs(-1);
        const auto r = source->recordProvisioned(QStringLiteral("ws-a"), QStringLiteral("i-new"),
                                                 QStringLiteral("provisioning"), QString());
        QVERIFY2(r, r ? "" : qPrintable(r.error().message));
        QVERIFY(r->written);
        const auto row = source->get(QStringLiteral("ws-a"));
        QCOMPARE((*row)->instanceId, QStringLiteral("i-new"));
        QCOMPARE((*row)->status, QStringLiteral("provisioning"));
        QVERIFY((*row)->updatedAt >= before);
        QCOMPARE((*row)->name, QStringLiteral("ws ws-a")); // nothing else is touched
        QCOMPARE((*row)->tier, 2);
    }

    void recordProvisionedCreatesAMissingRow()
    {
        const QString path = newPath();
        auto source = openSqlite(path);
        QVERIFY(source);
        WorkspaceRow created;
        created.id = QStringLiteral("ignored: the ID argument wins");
        created.name = QStringLiteral("fresh");
        created.runtime = QStringLiteral("node");
        created.tier = 4;
        const auto r
            = source->recordProvisioned(QStringLiteral("ws-new"), QStringLiteral("mol-ws-7"),
                                        QStringLiteral("online"), QString(), created);
        QVERIFY2(r, r ? "" : qPrintable(r.error().message));
        QVERIFY(r->written);
        const auto rows = source->list();
        QCOMPARE(rows->size(), 1);
        const WorkspaceRow &row = rows->first();
        QCOMPARE(row.id, QStringLiteral("ws-new"));
        QCOMPARE(row.name, QStringLiteral("fresh"));
        QCOMPARE(row.runtime, QStringLiteral("node"));
        QCOMPARE(row.tier, 4);
        QCOMPARE(row.instanceId, QStringLiteral("mol-ws-7"));
        QCOMPARE(row.status, QStringLiteral("online"));
        QVERIFY(row.createdAt.isValid());
        QVERIFY(row.updatedAt.isValid());
        // Without a template the instance ID is still kept on file.
        QVERIFY(source
                    ->recordProvisioned(QStringLiteral("ws-bare"), QStringLiteral("i-9"),
                                        QStringLiteral("online"), QStringLiteral("i-gone"))
                    ->written);
        QCOMPARE(*source->resolveInstanceId(QStringLiteral("ws-bare")), QStringLiteral("i-9"));
    }

    void failedWriteChangesNothing()
    {
        const QString path = newPath();
        auto source = openSqlite(path);
        QVERIFY(source);
        RawDb raw(path);
        QVERIFY(raw.exec(kInsert, rowValues("ws-a", QStringLiteral("i-1"))));
        QVERIFY(
            raw.exec(QStringLiteral("CREATE TRIGGER refuse AFTER UPDATE OF status ON workspaces "
                                    "BEGIN SELECT RAISE(ABORT, 'disk on fire'); END")));
        const auto r = source->recordStopped(QStringLiteral("ws-a"), QStringLiteral("i-1"));
        QVERIFY(!r);
        QCOMPARE(r.error().kind, Error::Kind::Database);
        QVERIFY2(r.error().message.contains(QLatin1String("disk on fire")),
                 qPrintable(r.error().message));
        const auto row = source->get(QStringLiteral("ws-a"));
        QCOMPARE((*row)->instanceId, QStringLiteral("i-1"));
        QCOMPARE((*row)->status, QStringLiteral("online"));
        QCOMPARE((*row)->updatedAt, QDateTime::fromSecsSinceEpoch(1714564800, Qt::UTC));
        // The connection is usable afterwards: no transaction left open.
        QVERIFY(raw.exec(QStringLiteral("DROP TRIGGER refuse")));
        QVERIFY(source->recordStopped(QStringLiteral("ws-a"), QStringLiteral("i-1")));
    }

    void readOnlyRefusesEveryWrite_data()
    {
        QTest::addColumn<int>("write");
        QTest::newRow("stop") << 0;
        QTest::newRow("provision") << 1;
        QTest::newRow("sync") << 2;
    }
    void readOnlyRefusesEveryWrite()
    {
        QFETCH(int, write);
        const QString path = newPath();
        RawDb raw(path);
        {
            auto writable = openSqlite(path);
            QVERIFY(writable);
        }
        QVERIFY(raw.exec(kInsert, rowValues("ws-a", QStringLiteral("i-1"))));
        SourceOptions options;
        options.readOnly = true;
        auto source = openSqlite(path, options);
        QVERIFY(source);
        QVERIFY(source->isReadOnly());
        QVERIFY(source->readOnlyReason().contains(QLatin1String("read-only")));
        WorkspaceRow row;
        row.id = QStringLiteral("ws-a");
        row.name = QStringLiteral("renamed");
        const auto writeOnce = [&]() -> VoidResult {
            if (write == 2)
                return source->upsertRows({ row });
            const auto w = write == 0
                ? source->recordStopped(QStringLiteral("ws-a"), QStringLiteral("i-1"))
                : source->recordProvisioned(QStringLiteral("ws-a"), QStringLiteral("i-2"),
                                            QStringLiteral("online"), QStringLiteral("i-1"));
            return w ? VoidResult(Ok {}) : VoidResult(w.error());
        };
        const VoidResult r = writeOnce();
        QVERIFY(!r);
        QCOMPARE(r.error().kind, Error::Kind::ReadOnly);
        QVERIFY2(r.error().message.startsWith(QLatin1String("read-only mode: not recording")),
                 qPrintable(r.error().message));
        QVERIFY(r.error().message.contains(QLatin1String("turn off read-only")));
        if (write < 2)
            QVERIFY(r.error().message.contains(QLatin1String("ws-a")));
        const auto after = source->get(QStringLiteral("ws-a"));
        QCOMPARE((*after)->instanceId, QStringLiteral("i-1"));
        QCOMPARE((*after)->name, QStringLiteral("ws ws-a"));
        QCOMPARE((*after)->updatedAt, QDateTime::fromSecsSinceEpoch(1714564800, Qt::UTC));
    }

    void invalidIdsAreNotWritten()
    {
        auto source = openSqlite(newPath());
        QVERIFY(source);
        auto r = source->recordStopped(QStringLiteral("../admin"), QStringLiteral("i-1"));
        QVERIFY(!r);
        QCOMPARE(r.error().kind, Error::Kind::Policy);
        r = source->recordProvisioned(QStringLiteral("ws-a"), QStringLiteral("i-1; rm -rf"),
                                      QStringLiteral("online"), QString());
        QVERIFY(!r);
        QCOMPARE(r.error().kind, Error::Kind::Policy);
        QVERIFY(source->list()->isEmpty());
    }

    void upsertRowsRoundTrip()
    {
        auto source = openSqlite(newPath());
        QVERIFY(source);
        QList<WorkspaceRow> rows;
        for (int i = 0; i < 3; ++i) {
            WorkspaceRow r;
            r.id = QStringLiteral("ws-%1").arg(i);
            r.name = QStringLiteral("name %1").arg(i);
            r.tier = i;
            r.status = QStringLiteral("online");
            r.instanceId = i == 1 ? QString() : QStringLiteral("i-%1").arg(i);
            r.createdAt = QDateTime(QDate(2024, 1, 1 + i), QTime(1, 2, 3, 456), Qt::UTC);
            rows << r;
        }
        QVERIFY(source->upsertRows(rows));
        rows[2].name = QStringLiteral("renamed");
        QVERIFY(source->upsertRows({ rows[2] }));
        const auto back = source->list();
        QCOMPARE(back->size(), 3);
        QCOMPARE(find(*back, "ws-2")->name, QStringLiteral("renamed"));
        QCOMPARE(find(*back, "ws-1")->instanceId, QString());
        QCOMPARE(find(*back, "ws-0")->createdAt, rows[0].createdAt);
        QCOMPARE(find(*back, "ws-0")->tier, 0);
    }

    void badUrls_data()
    {
        QTest::addColumn<QString>("url");
        QTest::newRow("empty") << "";
        QTest::newRow("unknown scheme") << "mysql://root:" + kPassword + "@db/x";
        QTest::newRow("sqlite without path") << "sqlite:";
        QTest::newRow("sqlite with host") << "sqlite://host/file";
        QTest::newRow("bad port") << "postgresql://u:" + kPassword + "@db.example:99999/x";
        QTest::newRow("port not a number") << "postgresql://u:" + kPassword + "@db.example:abc/x";
        QTest::newRow("no database") << "postgresql://u:" + kPassword + "@db.example:5432/";
        QTest::newRow("unknown parameter") << "postgresql://u:" + kPassword + "@h/db?frobnicate=1";
        QTest::newRow("fragment") << "postgresql://u:" + kPassword + "@h/db#x";
        QTest::newRow("option with a space")
            << "postgresql://u:" + kPassword + "@h/db?sslmode=a%20b";
    }
    void badUrls()
    {
        QFETCH(QString, url);
        const auto r = WorkspaceSource::open(url);
        QVERIFY(!r);
        QCOMPARE(r.error().kind, Error::Kind::Config);
        QVERIFY(!r.error().message.isEmpty());
        QVERIFY2(!r.error().message.contains(kPassword), qPrintable(r.error().message));
    }

    void urlParsing_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("user");
        QTest::addColumn<QString>("password");
        QTest::addColumn<QString>("host");
        QTest::addColumn<int>("port");
        QTest::addColumn<QString>("database");
        QTest::addColumn<QString>("display");
        QTest::newRow("tcp") << "postgresql://ops:" + kPassword + "@db.example:6543/platform"
                             << "ops" << kPassword << "db.example" << 6543 << "platform"
                             << "postgresql://ops:***@db.example:6543/platform";
        QTest::newRow("postgres scheme, no port") << "postgres://ops@db.example/platform"
                                                  << "ops"
                                                  << ""
                                                  << "db.example" << -1 << "platform"
                                                  << "postgresql://ops@db.example/platform";
        QTest::newRow("socket") << "postgresql://postgres@/postgres?host=/tmp/sock&port=5433"
                                << "postgres"
                                << ""
                                << "/tmp/sock" << 5433 << "postgres"
                                << "postgresql://postgres@/postgres?host=/tmp/sock&port=5433";
        QTest::newRow("encoded password") << "postgresql://ops:p%40ss%2Fw%3Ard@[::1]:5432/db"
                                          << "ops"
                                          << "p@ss/w:rd"
                                          << "::1" << 5432 << "db"
                                          << "postgresql://ops:***@[::1]:5432/db";
    }
    void urlParsing()
    {
        QFETCH(QString, url);
        QFETCH(QString, user);
        QFETCH(QString, password);
        QFETCH(QString, host);
        QFETCH(int, port);
        QFETCH(QString, database);
        QFETCH(QString, display);
        const auto r = DbUrl::parse(url);
        QVERIFY2(r, r ? "" : qPrintable(r.error().message));
        QCOMPARE(r->scheme, DbUrl::Scheme::Postgres);
        QCOMPARE(r->user, user);
        QCOMPARE(r->password, password);
        QCOMPARE(r->host, host);
        QCOMPARE(r->port, port);
        QCOMPARE(r->database, database);
        QCOMPARE(r->display(), display);
        QVERIFY(r->connectOptions.contains(QLatin1String("connect_timeout=")));
    }

    void passwordNeverInConnectionErrors()
    {
        // Nothing listens on port 1: the driver's error comes back, without the password.
        const auto r = WorkspaceSource::open(
            QStringLiteral("postgresql://ops:%1@127.0.0.1:1/platform?connect_timeout=2")
                .arg(kPassword));
        QVERIFY(!r);
        QCOMPARE(r.error().kind, Error::Kind::Database);
        QVERIFY2(
            r.error().message.contains(QLatin1String("postgresql://ops:***@127.0.0.1:1/platform")),
            qPrintable(r.error().message));
        QVERIFY(!r.error().message.contains(kPassword));
    }

    void sqliteUrlForms()
    {
        QCOMPARE(DbUrl::parse(QStringLiteral("sqlite:///var/tmp/w.db"))->path,
                 QStringLiteral("/var/tmp/w.db"));
        QCOMPARE(DbUrl::parse(QStringLiteral("SQLITE:rel/w.db"))->path, QStringLiteral("rel/w.db"));
        QCOMPARE(DbUrl::parse(QStringLiteral("sqlite:~/w.db"))->path,
                 QDir::homePath() + QStringLiteral("/w.db"));
        const QString url = WorkspaceSource::defaultUrl();
        QVERIFY2(url.startsWith(QLatin1String("sqlite:/")), qPrintable(url));
        QVERIFY(url.endsWith(QLatin1String("/workspaces.sqlite")));
    }
};

QTEST_GUILESS_MAIN(tst_WorkspaceSource)
#include "tst_workspacesource.moc"
