// `cpctl list` as it streams: compact JSON that is the document the whole list made before,
// byte for byte (hostile text escaped, secrets redacted), --jsonl, the table past the rows that
// set its widths, filters on the fly, bounded memory for a long list and write failures.
#include "ctlrunner.h"
#include "logging.h"
#include "sqltest.h"
#include "termtext.h"
#include "workspacesource.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>
#include <sys/resource.h>

using namespace cpc;
using namespace cpc::test;

namespace {

const QString kSecret = QStringLiteral("list-shared-5ecr3t-42");

QString iso(const QDateTime &t)
{
    return t.isValid() ? t.toUTC().toString(Qt::ISODate) : QString();
}

// The row as `list --json` has always printed it (QJsonObject: keys in order).
QJsonObject rowJson(const WorkspaceRow &r)
{
    return QJsonObject {
        { QStringLiteral("id"), r.id },
        { QStringLiteral("name"), r.name },
        { QStringLiteral("role"), r.role },
        { QStringLiteral("status"), r.status },
        { QStringLiteral("runtime"), r.runtime },
        { QStringLiteral("tier"), r.tier },
        { QStringLiteral("instance_id"),
          r.instanceId.isEmpty() ? QJsonValue() : QJsonValue(r.instanceId) },
        { QStringLiteral("url"), r.url },
        { QStringLiteral("provider"), r.provider },
        { QStringLiteral("last_sample_error"), r.lastSampleError },
        { QStringLiteral("last_heartbeat_at"), iso(r.lastHeartbeatAt) },
        { QStringLiteral("created_at"), iso(r.createdAt) },
        { QStringLiteral("updated_at"), iso(r.updatedAt) },
    };
}

} // namespace

class tst_CtlList : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_raw = QStringLiteral("list-raw");

    QString dbPath() const { return m_dir.filePath(QStringLiteral("list.sqlite")); }
    QProcessEnvironment env() const
    {
        QProcessEnvironment e = ctlBaseEnv(m_dir.path());
        e.insert(QStringLiteral("CPCONSOLE_DB"), QStringLiteral("sqlite:") + dbPath());
        e.insert(QStringLiteral("CPCONSOLE_STATE"), m_dir.filePath(QStringLiteral("state.sqlite")));
        e.insert(QStringLiteral("MOLECULE_CP_SHARED_SECRET"), kSecret);
        return e;
    }
    CtlRun ctl(const QStringList &args, const CtlRunOptions &o = {})
    {
        return runCtl(args, env(), o);
    }
    bool raw(const QString &sql, const QVariantList &values = {})
    {
        return sqlExec(m_raw, sql, values);
    }
    // `count` generated rows; every fifth removed, every seventh without an instance.
    bool insertGenerated(int count)
    {
        return raw(QStringLiteral(
                       "WITH RECURSIVE c(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM c WHERE x < "
                       "LAST) INSERT INTO workspaces (id, name, role, tier, status, runtime, "
                       "instance_id, url, provider, last_heartbeat_at, created_at, updated_at) "
                       "SELECT printf('ws-%07d', x), printf('name-%d', x), 'agent', x % 5, CASE "
                       "WHEN x % 5 = 4 THEN 'removed' ELSE 'online' END, 'python', CASE WHEN x "
                       "% 7 = 0 THEN NULL ELSE printf('i-%017x', x) END, 'https://ws.example', "
                       "'aws', '2024-05-01T12:00:00Z', 1714564800 + x, '2024-05-01 "
                       "12:00:00.999' FROM c")
                       .replace(QStringLiteral("LAST"), QString::number(count - 1)));
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void init()
    {
        QFile::remove(dbPath());
        { // the table as cpctl creates it
            auto source = WorkspaceSource::open(QStringLiteral("sqlite:") + dbPath());
            QVERIFY(source);
        }
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_raw);
        db.setDatabaseName(dbPath());
        QVERIFY(db.open());
    }
    void cleanup()
    {
        QSqlDatabase::database(m_raw, false).close();
        QSqlDatabase::removeDatabase(m_raw);
    }

    void jsonIsTheDocumentOfTheWholeList()
    {
        // Every control a name can carry, C1 and bidirectional controls, separators, quotes,
        // backslashes, other scripts, invalid UTF-8, a configured secret and a bearer token.
        QString controls;
        for (char16_t c = 1; c < 0x20; ++c)
            controls += QChar(c);
        controls += QChar(0x7f);
        const QStringList names {
            QStringLiteral("plain"),
            controls,
            QStringLiteral("c1 \u0085 \u009b2J csi"),
            QStringLiteral("bidi \u202a\u202b\u202c\u202d\u202e \u2066\u2067\u2068\u2069 end"),
            QStringLiteral("lines \u2028 \u2029"),
            QStringLiteral("quote \" backslash \\ slash /"),
            QStringLiteral("Рабочее место 工作区 🚀 \u00e9\u0301"),
            QStringLiteral("token ") + kSecret + QStringLiteral(" inside"),
            QStringLiteral("Authorization: Bearer abc.def-ghi"),
        };
        for (int i = 0; i < names.size(); ++i)
            QVERIFY(raw(QStringLiteral("INSERT INTO workspaces (id, name, tier, status, "
                                       "instance_id, last_sample_error, created_at) VALUES (?, "
                                       "?, ?, 'online', ?, ?, ?)"),
                        { QStringLiteral("ws-%1").arg(i), names[i], i - 2,
                          i % 2 ? QVariant(QStringLiteral("i-%1").arg(i)) : QVariant(),
                          names[names.size() - 1 - i], 1714564800 + i * 86400 }));
        QVERIFY(raw(QStringLiteral("INSERT INTO workspaces (id, name, status, updated_at) VALUES "
                                   "('ws-bad-utf8', CAST(X'41ff42e2808243' AS TEXT), 'offline', "
                                   "'junk')")));

        const CtlRun r = ctl({ "list", "--json" });
        QCOMPARE(r.code, 0);
        auto source = WorkspaceSource::open(QStringLiteral("sqlite:") + dbPath());
        QVERIFY(source);
        const auto rows = source.value()->list();
        QVERIFY(rows);
        QCOMPARE(rows->size(), names.size() + 1);
        QJsonArray expected;
        for (WorkspaceRow row : rows.value()) {
            for (QString *field : { &row.name, &row.lastSampleError }) {
                field->replace(kSecret, QStringLiteral("[redacted]"));
                field->replace(QStringLiteral("Bearer abc.def-ghi"),
                               QStringLiteral("Bearer [redacted]"));
            }
            expected.append(rowJson(row));
        }
        // What QJsonDocument and termtext::escapeJson wrote, compact: the same bytes.
        const QByteArray document
            = termtext::escapeJson(QJsonDocument(expected).toJson(QJsonDocument::Compact)) + '\n';
        QCOMPARE(r.out, document);
        QVERIFY(!r.out.contains(kSecret.toUtf8()));
        QVERIFY(!r.out.contains("\xc2\x9b"));
        QVERIFY(!r.out.contains("\xe2\x80\xae"));
        QVERIFY(r.out.contains("\\u202e"));
        QCOMPARE(QJsonDocument::fromJson(r.out).array().size(), rows->size());
        QVERIFY(r.err.isEmpty()); // no count line: stdout is the data, stderr stays quiet
    }

    void jsonLinesHoldOneRowEach()
    {
        QVERIFY(insertGenerated(300));
        QVERIFY(raw(QStringLiteral("INSERT INTO workspaces (id, name, status) VALUES ('ws-nl', "
                                   "'two\nlines', 'online')")));
        const CtlRun array = ctl({ "list", "--json", "--all" });
        const CtlRun lines = ctl({ "list", "--jsonl", "--all" });
        QCOMPARE(array.code, 0);
        QCOMPARE(lines.code, 0);
        const QJsonArray rows = QJsonDocument::fromJson(array.out).array();
        QCOMPARE(rows.size(), 301);
        QVERIFY(lines.out.endsWith('\n'));
        const QList<QByteArray> split = lines.out.chopped(1).split('\n');
        QCOMPARE(split.size(), rows.size());
        for (int i = 0; i < split.size(); ++i) {
            QJsonParseError e;
            const QJsonDocument one = QJsonDocument::fromJson(split[i], &e);
            QVERIFY2(e.error == QJsonParseError::NoError, split[i].constData());
            QCOMPARE(one.object(), rows[i].toObject());
        }
        // --jsonl filters like the table does.
        const CtlRun online = ctl({ "list", "--jsonl", "--status", "removed" });
        QCOMPARE(online.out.count('\n'), 60);
    }

    void tableColumnsOnlyWidenPastTheRowsThatSetThem()
    {
        // The first 1000 rows set the widths (names up to "name-999"); from row 1000 the names
        // are a character wider, and row 1400 wider still, with a wider status.
        QVERIFY(insertGenerated(1500));
        QVERIFY(raw(QStringLiteral("UPDATE workspaces SET name = 'a-much-longer-name-than-any-"
                                   "before-it', status = 'awaiting_agent' WHERE id = "
                                   "'ws-0001400'")));
        const CtlRun r = ctl({ "list", "--all" });
        QCOMPARE(r.code, 0);
        QCOMPARE(r.err, QByteArray("1500 workspace(s)\n"));
        const QList<QByteArray> lines = r.out.chopped(1).split('\n');
        QCOMPARE(lines.size(), 1501);
        static const QRegularExpression gap(QStringLiteral("\\s{2,}"));
        const auto columnsOf = [&](qsizetype i) {
            const QString line = QString::fromUtf8(lines[i]);
            const QStringList cells = line.split(gap);
            QList<qsizetype> at;
            qsizetype from = 0;
            for (const QString &c : cells) {
                from = line.indexOf(c, from);
                at << from;
                from += c.size();
            }
            return at;
        };
        const QList<qsizetype> header = columnsOf(0);
        QCOMPARE(header.size(), 6);
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QList<qsizetype> at = columnsOf(i);
            QCOMPARE(at.size(), 6); // never two cells run together
            QVERIFY(lines[i].startsWith(
                QStringLiteral("ws-%1").arg(i - 1, 7, 10, QChar(u'0')).toUtf8()));
            const QList<qsizetype> &expected = i <= 1000 ? header
                : i <= 1400                              ? columnsOf(1001)
                                                         : columnsOf(1401);
            QCOMPARE(at, expected);
        }
        // Each widening moved the status column right, and it stayed there.
        QVERIFY(columnsOf(1001)[2] > header[2]);
        QVERIFY(columnsOf(1401)[2] > columnsOf(1001)[2]);
        QVERIFY(columnsOf(1401)[3] > columnsOf(1001)[3]);
    }

    void tableIsTheWholeListsTableByteForByte()
    {
        // After 1000 plain rows (they set the widths) and among them: every control byte at
        // every offset of a line, C1 and bidirectional controls, wide and combining characters
        // wider than their column, invalid UTF-8, a secret, a bearer token, empty and NULL
        // fields, tiers held as text.
        redaction::registerSecret(Secret(kSecret));
        QVERIFY(insertGenerated(1000));
        QStringList names;
        for (char16_t c = 1; c < 0x20; ++c)
            names << QString(int(c % 11), u'n') + QChar(c) + QStringLiteral("tail");
        names << QStringLiteral("del \u007f") << QStringLiteral("c1 \u0085 \u009b2J csi")
              << QStringLiteral("bidi \u202e \u2066 end") << QStringLiteral("lines \u2028")
              << QStringLiteral("工作区工作区工作区工作区工作区工作区 wider than any")
              << QStringLiteral("e\u0301\u0301 🚀") << QStringLiteral("token ") + kSecret
              << QStringLiteral("Authorization: Bearer abc.def-ghi") << QString()
              << QStringLiteral("plain-after-the-sample-and-then-some");
        const QVariantList tiers { QStringLiteral(" 7 "), QStringLiteral("junk"), -12, QVariant() };
        for (int i = 0; i < names.size(); ++i) {
            const bool hostileId = i % 9 == 3;
            QVERIFY(
                raw(QStringLiteral("INSERT INTO workspaces (id, name, tier, status, runtime, "
                                   "instance_id) VALUES (?, ?, ?, ?, ?, ?)"),
                    { hostileId ? QStringLiteral("ws-\u009b%1\x1b").arg(i)
                                : QStringLiteral("ws-h%1").arg(i),
                      names[i].isNull() ? QVariant() : QVariant(names[i]), tiers[i % tiers.size()],
                      i % 5 == 1
                          ? QVariant()
                          : QVariant(i % 4 ? QStringLiteral("online") : QStringLiteral("st\tatus")),
                      i % 6 == 2 ? QVariant(QString()) : QVariant(names[names.size() - 1 - i]),
                      i % 3 ? QVariant(QStringLiteral("i-%1").arg(i)) : QVariant() }));
        }
        QVERIFY(raw(QStringLiteral("INSERT INTO workspaces (id, name, status) VALUES "
                                   "('ws-bad-utf8', CAST(X'41ff42e2808243' AS TEXT), 'offline')")));

        for (const QStringList &args :
             { QStringList { "list", "--all" }, QStringList { "list" } }) {
            const CtlRun r = ctl(args);
            QCOMPARE(r.code, 0);
            auto source = WorkspaceSource::open(QStringLiteral("sqlite:") + dbPath());
            QVERIFY(source);
            ListOptions lo;
            lo.includeRemoved = args.contains("--all");
            const auto rows = source.value()->list(lo);
            QVERIFY(rows);
            QCOMPARE(r.err, QByteArray::number(rows->size()) + " workspace(s)\n");
            // The table as its rule has it: every cell shown (redacted, controls escaped),
            // widths in terminal columns from the header and the first 1000 rows, a wider
            // cell after them widening its column from its own line on.
            QList<QStringList> cells { { "ID", "NAME", "STATUS", "RUNTIME", "TIER", "INSTANCE" } };
            for (const WorkspaceRow &row : rows.value())
                cells << QStringList { row.id,
                                       row.name,
                                       row.status,
                                       row.runtime,
                                       QString::number(row.tier),
                                       row.instanceId.isEmpty() ? QStringLiteral("-")
                                                                : row.instanceId };
            QList<int> widths(6, 0);
            for (qsizetype i = 0; i < cells.size(); ++i) {
                for (QString &cell : cells[i]) {
                    if (i > 0)
                        cell = termtext::sanitize(redaction::redact(cell));
                }
                for (int c = 0; i <= 1000 && c < 6; ++c)
                    widths[c] = std::max(widths[c], termtext::columns(cells[i][c]));
            }
            QByteArray expected;
            for (const QStringList &line : std::as_const(cells)) {
                for (int c = 0; c < 6; ++c) {
                    expected += line[c].toUtf8();
                    if (c == 5)
                        break;
                    const int width = termtext::columns(line[c]);
                    widths[c] = std::max(widths[c], width);
                    expected += QByteArray(widths[c] + 2 - width, ' ');
                }
                expected += '\n';
            }
            QCOMPARE(r.out, expected);
            // Nothing a terminal acts on, no secret.
            for (const char c : r.out)
                QVERIFY2(uchar(c) >= 0x20 ? c != 0x7f : c == '\n', qPrintable(QString::number(c)));
            QVERIFY(!r.out.contains("\xc2\x9b"));
            QVERIFY(!r.out.contains("\xe2\x80\xae"));
            QVERIFY(!r.out.contains(kSecret.toUtf8()));
            QVERIFY(!r.out.contains("abc.def-ghi"));
            QVERIFY(r.out.contains("工作区工作区"));
        }
    }

    void filtersApplyAsRowsAreRead()
    {
        QVERIFY(insertGenerated(100));
        QVERIFY(raw(QStringLiteral("INSERT INTO workspaces (id, name, status, runtime, "
                                   "instance_id) VALUES ('ws-intl', 'Рабочее ЗОНА', 'online', "
                                   "'Node', 'i-FFFF')")));
        const auto ids = [&](const QStringList &args) {
            const CtlRun r = ctl(args + QStringList { "--jsonl" });
            QStringList out;
            for (const QByteArray &l : r.out.split('\n'))
                if (!l.isEmpty())
                    out << QJsonDocument::fromJson(l).object().value("id").toString();
            return out;
        };
        QCOMPARE(ids({ "list", "--filter", "зона" }), QStringList { "ws-intl" });
        QCOMPARE(ids({ "list", "--filter", "NODE" }), QStringList { "ws-intl" });
        QCOMPARE(ids({ "list", "--filter", "i-ffff" }), QStringList { "ws-intl" });
        // name-9 and name-90…99, less the removed 9, 94 and 99.
        QCOMPARE(ids({ "list", "--filter", "NAME-9" }).size(), 8);
        QCOMPARE(ids({ "list", "--status", "removed" }).size(), 20); // asked for: shown
        QCOMPARE(ids({ "list", "--status", "removed", "--filter", "-9" }),
                 (QStringList { "ws-0000009", "ws-0000094", "ws-0000099" }));
    }

    void longListRunsInBoundedMemory()
    {
        // 200,000 rows held as a list take hundreds of MiB; streamed, the data segment stays
        // small. The limit makes an allocation that holds the list fail.
        QVERIFY(insertGenerated(200000));
        CtlRunOptions o;
        o.childModifier = [] {
            const rlimit limit { rlim_t(64) << 20, rlim_t(64) << 20 };
            ::setrlimit(RLIMIT_DATA, &limit);
        };
        for (const QStringList &args :
             { QStringList { "list", "--json" }, QStringList { "list", "--jsonl", "--all" },
               QStringList { "list" } }) {
            o.stdoutFile = m_dir.filePath(QStringLiteral("long.out"));
            const CtlRun r = ctl(args, o);
            QVERIFY2(r.code == 0, qPrintable(args.join(u' ') + u' ' + QString::fromUtf8(r.err)));
            QFile out(o.stdoutFile);
            QVERIFY(out.open(QIODevice::ReadOnly));
            qint64 lines = 0;
            char block[1 << 16];
            for (qint64 n; (n = out.read(block, sizeof block)) > 0;)
                lines += std::count(block, block + n, '\n');
            QCOMPARE(lines, args.contains("--json") ? 1 : args.contains("--all") ? 200000 : 160001);
        }
    }

    void diskFullPartWayIsAFailure()
    {
        QVERIFY(insertGenerated(20000));
        CtlRunOptions o;
        o.childModifier = [] {
            ::signal(SIGXFSZ, SIG_IGN);
            const rlimit limit { rlim_t(256) * 1024, rlim_t(256) * 1024 };
            ::setrlimit(RLIMIT_FSIZE, &limit);
        };
        for (const QStringList &args : { QStringList { "list" }, QStringList { "list", "--json" },
                                         QStringList { "list", "--jsonl" } }) {
            o.stdoutFile = m_dir.filePath(QStringLiteral("full.out"));
            const CtlRun r = ctl(args, o);
            QCOMPARE(r.code, 1);
            QVERIFY2(r.err.count("cpctl: could not write standard output: File too large") == 1,
                     r.err.constData());
            QVERIFY2(!r.err.contains("workspace(s)"), r.err.constData());
            QCOMPARE(QFileInfo(o.stdoutFile).size(), 256 * 1024);
        }
    }
};

QTEST_GUILESS_MAIN(tst_CtlList)
#include "tst_ctllist.moc"
