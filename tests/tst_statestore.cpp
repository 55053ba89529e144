#include "logging.h"
#include "statestore.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

#include <sys/stat.h>

using namespace cpc;

namespace {

// Runs statements on a file directly, as an older or newer CP Console would have left it.
bool rawExec(const QString &path, const QStringList &statements)
{
    const QString name = QStringLiteral("raw-state");
    bool ok = true;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(path);
        ok = db.open();
        QSqlQuery q(db);
        for (const QString &s : statements) {
            if (ok && !q.exec(s)) {
                qWarning() << s << q.lastError().text();
                ok = false;
            }
        }
        q.finish();
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return ok;
}

int fileMode(const QString &path)
{
    struct stat st
    {
    };
    if (::stat(QFile::encodeName(path).constData(), &st) != 0)
        return -1;
    return int(st.st_mode & 0777);
}

} // namespace

class tst_StateStore : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    int m_files = 0;
    QString newPath() { return m_dir.filePath(QStringLiteral("state-%1.sqlite").arg(++m_files)); }

    std::unique_ptr<StateStore> openStore(const QString &path)
    {
        auto r = StateStore::open(path);
        if (!r) {
            qWarning() << r.error().message;
            return {};
        }
        return std::move(r.value());
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void createdOwnerOnlyAtTheLatestVersion()
    {
        const QString path = m_dir.filePath(QStringLiteral("fresh/sub/state.sqlite"));
        auto store = openStore(path);
        QVERIFY(store);
        QCOMPARE(store->path(), path);
        QVERIFY(store->schemaVersion() >= 3);
        QCOMPARE(fileMode(path), 0600);
        QCOMPARE(fileMode(QFileInfo(path).absolutePath()), 0700);
        AuditEntry entry;
        entry.action = QStringLiteral("write-mode");
        QVERIFY(store->appendAudit(entry)); // writing does not loosen the mode
        QCOMPARE(fileMode(path), 0600);
    }

    void existingFileKeepsItsMode()
    {
        // A file the user named is theirs: its mode is not changed (tst_privatefiles: with a
        // warning when other users can read it).
        const QString path = newPath();
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.close();
        QVERIFY(QFile::setPermissions(
            path, QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup | QFile::ReadOther));
        QCOMPARE(fileMode(path), 0644);
        auto store = openStore(path);
        QVERIFY(store);
        QCOMPARE(fileMode(path), 0644);
    }

    void defaultPathFollowsTheEnvironment()
    {
        qputenv("CPCONSOLE_STATE", "/tmp/somewhere/else.sqlite");
        QCOMPARE(StateStore::defaultPath(), QStringLiteral("/tmp/somewhere/else.sqlite"));
        qunsetenv("CPCONSOLE_STATE");
        QVERIFY(StateStore::defaultPath().endsWith(QLatin1String("/state.sqlite")));
    }

    void auditAppendAndList()
    {
        auto store = openStore(newPath());
        QVERIFY(store);
        AuditEntry stop;
        stop.profile = QStringLiteral("prod");
        stop.orgId = QStringLiteral("org-1");
        stop.workspaceId = QStringLiteral("ws-a");
        stop.action = QStringLiteral("stop");
        stop.request = { { "instance_id", "i-1" } };
        stop.result = QStringLiteral("ok");
        QVERIFY(store->appendAudit(stop));
        AuditEntry provision = stop;
        provision.workspaceId = QStringLiteral("ws-b");
        provision.action = QStringLiteral("provision");
        provision.result = QStringLiteral("error");
        provision.detail = QStringLiteral("provision failed (401): invalid credentials");
        QVERIFY(store->appendAudit(provision));

        const auto all = store->audit();
        QVERIFY(all);
        QCOMPARE(all->size(), 2);
        QCOMPARE(all->at(0).action, QStringLiteral("provision")); // newest first
        QCOMPARE(all->at(0).detail, provision.detail);
        const AuditEntry &first = all->at(1);
        QCOMPARE(first.workspaceId, QStringLiteral("ws-a"));
        QCOMPARE(first.profile, QStringLiteral("prod"));
        QCOMPARE(first.orgId, QStringLiteral("org-1"));
        QCOMPARE(first.result, QStringLiteral("ok"));
        QCOMPARE(first.request.value(QStringLiteral("instance_id")).toString(),
                 QStringLiteral("i-1"));
        QVERIFY(!first.user.isEmpty()); // filled with the OS user
        QVERIFY(first.at.isValid());
        QVERIFY(qAbs(first.at.secsTo(QDateTime::currentDateTimeUtc())) < 3600);
        QVERIFY(first.id < all->at(0).id);

        const auto onlyA = store->audit(QStringLiteral("ws-a"));
        QCOMPARE(onlyA->size(), 1);
        QCOMPARE(onlyA->first().action, QStringLiteral("stop"));
        QCOMPARE(store->audit({}, 1)->size(), 1);
    }

    void auditNeverStoresSecrets()
    {
        auto store = openStore(newPath());
        QVERIFY(store);
        redaction::registerSecret(Secret(QStringLiteral("registered-secret-value")));
        AuditEntry e;
        e.action = QStringLiteral("provision");
        e.workspaceId = QStringLiteral("ws-a");
        e.request
            = { { "runtime", "python" },
                { "env", QJsonObject { { "OPENAI_API_KEY", "sk-live-123" }, { "MODE", "x" } } },
                { "shared_secret", "abc123" },
                { "headers", QJsonArray { "Authorization: Bearer tok-999" } },
                { "note", "uses registered-secret-value inside" } };
        e.result = QStringLiteral("error");
        e.detail = QStringLiteral("echoed Bearer tok-999 back");
        QVERIFY(store->appendAudit(e));
        const AuditEntry back = store->audit()->first();
        const QString stored
            = QString::fromUtf8(QJsonDocument(back.request).toJson()) + back.detail;
        for (const char *secret : { "sk-live-123", "abc123", "tok-999", "registered-secret-value" })
            QVERIFY2(!stored.contains(QLatin1String(secret)), secret);
        QCOMPARE(back.request.value(QStringLiteral("runtime")).toString(),
                 QStringLiteral("python"));
        // The env names stay (what was sent), the values do not.
        QVERIFY(back.request.value(QStringLiteral("env"))
                    .toObject()
                    .contains(QStringLiteral("OPENAI_API_KEY")));
    }

    void journalBeginAndFinish()
    {
        auto store = openStore(newPath());
        QVERIFY(store);
        const auto id = store->journalBegin(QStringLiteral("ws-a"), QStringLiteral("key-1"),
                                            { { "runtime", "python" }, { "tier", 2 } });
        QVERIFY(id);
        auto entries = store->journal();
        QCOMPARE(entries->size(), 1);
        QCOMPARE(entries->first().outcome, JournalEntry::Outcome::Pending);
        QCOMPARE(entries->first().idempotencyKey, QStringLiteral("key-1"));
        QCOMPARE(entries->first().request.value(QStringLiteral("tier")).toInt(), 2);
        QVERIFY(entries->first().startedAt.isValid());
        QVERIFY(!entries->first().finishedAt.isValid());
        // In flight in this session: not "unresolved".
        QVERIFY(store->unresolvedJournal()->isEmpty());

        QVERIFY(store->journalFinish(*id, JournalEntry::Outcome::Succeeded, QStringLiteral("i-1")));
        entries = store->journal();
        QCOMPARE(entries->first().outcome, JournalEntry::Outcome::Succeeded);
        QCOMPARE(entries->first().instanceId, QStringLiteral("i-1"));
        QVERIFY(entries->first().finishedAt.isValid());
        QVERIFY(store->unresolvedJournal()->isEmpty());

        const auto missing = store->journalFinish(*id + 100, JournalEntry::Outcome::Failed);
        QVERIFY(!missing);
        QCOMPARE(missing.error().kind, Error::Kind::Database);
    }

    void interruptedProvisionIsUnknownNextTime()
    {
        const QString path = newPath();
        qint64 interrupted = 0;
        qint64 timedOut = 0;
        {
            auto first = openStore(path);
            QVERIFY(first);
            interrupted
                = *first->journalBegin(QStringLiteral("ws-crash"), QStringLiteral("k1"), {});
            const qint64 done
                = *first->journalBegin(QStringLiteral("ws-ok"), QStringLiteral("k2"), {});
            QVERIFY(first->journalFinish(done, JournalEntry::Outcome::Failed, {},
                                         QStringLiteral("HTTP 500")));
            timedOut = *first->journalBegin(QStringLiteral("ws-timeout"), QStringLiteral("k3"), {});
            QVERIFY(first->journalFinish(timedOut, JournalEntry::Outcome::Unknown, {},
                                         QStringLiteral("timeout")));
            // The process dies here: the first entry is never finished.
        }
        auto second = openStore(path);
        QVERIFY(second);
        const auto unresolved = second->unresolvedJournal();
        QVERIFY(unresolved);
        QCOMPARE(unresolved->size(), 2);
        QCOMPARE(unresolved->at(0).id, interrupted);
        QCOMPARE(unresolved->at(0).workspaceId, QStringLiteral("ws-crash"));
        QCOMPARE(unresolved->at(0).outcome, JournalEntry::Outcome::Unknown);
        QCOMPARE(unresolved->at(1).id, timedOut);
        QCOMPARE(journalOutcomeName(unresolved->at(0).outcome), QStringLiteral("unknown"));
        // The journal view says the same.
        QCOMPARE(second->journal()->last().outcome, JournalEntry::Outcome::Unknown);

        // A new provision in this session stays pending, not unknown.
        const qint64 fresh
            = *second->journalBegin(QStringLiteral("ws-new"), QStringLiteral("k4"), {});
        QCOMPARE(second->unresolvedJournal()->size(), 2);
        QCOMPARE(second->journal()->first().id, fresh);
        QCOMPARE(second->journal()->first().outcome, JournalEntry::Outcome::Pending);

        // Reconciled after the engineer checked: resolved.
        QVERIFY(second->journalFinish(interrupted, JournalEntry::Outcome::Reconciled,
                                      QStringLiteral("i-7")));
        QVERIFY(second->journalFinish(timedOut, JournalEntry::Outcome::Cleared));
        QVERIFY(second->unresolvedJournal()->isEmpty());
    }

    void statusHistoryOrderAndLimit()
    {
        auto store = openStore(newPath());
        QVERIFY(store);
        const QDateTime t0(QDate(2024, 5, 1), QTime(12, 0), Qt::UTC);
        // Written out of order: the history is by time, newest first.
        const QList<std::pair<int, RunState>> samples = { { 2, RunState::Unknown },
                                                          { 0, RunState::Running },
                                                          { 1, RunState::NotRunning },
                                                          { 3, RunState::Running } };
        for (const auto &[minutes, state] : samples) {
            StatusSample s;
            s.at = t0.addSecs(qint64(minutes) * 60);
            s.workspaceId = QStringLiteral("ws-a");
            s.state = state;
            s.cpState = state == RunState::Unknown ? QString() : QStringLiteral("x");
            s.detail = state == RunState::Unknown ? QStringLiteral("CP unreachable") : QString();
            QVERIFY(store->appendStatus(s));
        }
        StatusSample other;
        other.workspaceId = QStringLiteral("ws-b");
        other.state = RunState::Running;
        QVERIFY(store->appendStatus(other));

        const auto history = store->statusHistory(QStringLiteral("ws-a"));
        QVERIFY(history);
        QCOMPARE(history->size(), 4);
        QCOMPARE(history->at(0).at, t0.addSecs(180));
        QCOMPARE(history->at(1).state, RunState::Unknown);
        QCOMPARE(history->at(1).detail, QStringLiteral("CP unreachable"));
        QCOMPARE(history->at(2).state, RunState::NotRunning);
        QCOMPARE(history->at(3).at, t0);
        QCOMPARE(history->at(3).state, RunState::Running);
        const auto limited = store->statusHistory(QStringLiteral("ws-a"), 2);
        QCOMPARE(limited->size(), 2);
        QCOMPARE(limited->at(1).at, t0.addSecs(120));
        QCOMPARE(store->statusHistory(QStringLiteral("ws-b"))->size(), 1);
        QVERIFY(store->statusHistory(QStringLiteral("ws-none"))->isEmpty());
    }

    void statusBatchIsAllOrNothing()
    {
        auto store = openStore(newPath());
        QVERIFY(store);
        const QDateTime t0(QDate(2024, 5, 1), QTime(12, 0), Qt::UTC);
        QList<StatusSample> batch;
        for (int i = 0; i < 300; ++i) {
            StatusSample s;
            s.at = t0.addSecs(i);
            s.workspaceId = QStringLiteral("ws-%1").arg(i % 3);
            s.state = i % 2 ? RunState::Running : RunState::NotRunning;
            batch.append(s);
        }
        QVERIFY(store->appendStatuses(batch));
        QCOMPARE(store->statusHistory(QStringLiteral("ws-0"))->size(), 100);
        QCOMPARE(store->statusHistory(QStringLiteral("ws-2"))->first().at, t0.addSecs(299));

        // One bad sample (no workspace ID) in a batch: nothing of the batch is written.
        QList<StatusSample> bad;
        for (int i = 0; i < 3; ++i) {
            StatusSample s;
            s.at = t0.addSecs(1000 + i);
            s.workspaceId = i == 2 ? QString() : QStringLiteral("ws-new");
            s.state = RunState::Running;
            bad.append(s);
        }
        const auto r = store->appendStatuses(bad);
        QVERIFY(!r);
        QVERIFY(r.error().message.contains(QStringLiteral("status history")));
        QVERIFY(store->statusHistory(QStringLiteral("ws-new"))->isEmpty());
        // And the store is still usable.
        QVERIFY(store->appendStatuses({ bad.first() }));
        QCOMPARE(store->statusHistory(QStringLiteral("ws-new"))->size(), 1);
    }

    void settingsRemembered()
    {
        const QString path = newPath();
        {
            auto store = openStore(path);
            QVERIFY(store);
            QCOMPARE(store->setting(QStringLiteral("viewer/wrap"), QStringLiteral("on")),
                     QStringLiteral("on"));
            QVERIFY(store->setSetting(QStringLiteral("viewer/wrap"), QStringLiteral("off")));
            QVERIFY(store->setSetting(QStringLiteral("viewer/wrap"), QStringLiteral("word")));
            QVERIFY(store->setSetting(QStringLiteral("viewer/font"), QString()));
        }
        auto again = openStore(path);
        QCOMPARE(again->setting(QStringLiteral("viewer/wrap")), QStringLiteral("word"));
        QCOMPARE(again->setting(QStringLiteral("viewer/font"), QStringLiteral("fallback")),
                 QString());
    }

    void migratesAVersionOneFile()
    {
        // The layout of the first release, with data in it.
        const QString path = newPath();
        QVERIFY(rawExec(
            path,
            {
                QStringLiteral(
                    "CREATE TABLE audit (id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT "
                    "NULL, user TEXT, profile TEXT, org_id TEXT, workspace_id TEXT, action "
                    "TEXT NOT NULL, request TEXT, result TEXT, detail TEXT)"),
                QStringLiteral(
                    "CREATE TABLE journal (id INTEGER PRIMARY KEY AUTOINCREMENT, started_at "
                    "TEXT NOT NULL, finished_at TEXT, workspace_id TEXT NOT NULL, "
                    "idempotency_key TEXT, request TEXT, outcome TEXT NOT NULL, "
                    "instance_id TEXT, detail TEXT)"),
                QStringLiteral(
                    "CREATE TABLE status_history (id INTEGER PRIMARY KEY AUTOINCREMENT, at "
                    "TEXT NOT NULL, workspace_id TEXT NOT NULL, state TEXT NOT NULL, "
                    "cp_state TEXT, detail TEXT)"),
                QStringLiteral(
                    "INSERT INTO audit (at, user, workspace_id, action, request, result) VALUES "
                    "('2024-01-01T00:00:00.000Z', 'alice', 'ws-old', 'stop', '{}', 'ok')"),
                QStringLiteral(
                    "INSERT INTO journal (started_at, workspace_id, idempotency_key, request, "
                    "outcome) VALUES ('2024-01-01T00:00:00.000Z', 'ws-old', 'k', '{}', 'pending')"),
                QStringLiteral("PRAGMA user_version = 1"),
            }));
        auto store = openStore(path);
        QVERIFY(store);
        QVERIFY(store->schemaVersion() > 1);
        const auto audit = store->audit();
        QCOMPARE(audit->size(), 1);
        QCOMPARE(audit->first().user, QStringLiteral("alice"));
        QCOMPARE(audit->first().at, QDateTime(QDate(2024, 1, 1), QTime(0, 0), Qt::UTC));
        // A pending entry from before the session column existed is from another session.
        const auto unresolved = store->unresolvedJournal();
        QCOMPARE(unresolved->size(), 1);
        QCOMPARE(unresolved->first().outcome, JournalEntry::Outcome::Unknown);
        // The later versions' features work on the migrated file.
        QVERIFY(store->setSetting(QStringLiteral("k"), QStringLiteral("v")));
        QVERIFY(store->journalBegin(QStringLiteral("ws-new"), QStringLiteral("k2"), {}));
        const int version = store->schemaVersion();
        store.reset();
        auto reopened = openStore(path);
        QCOMPARE(reopened->schemaVersion(), version);
        QCOMPARE(reopened->setting(QStringLiteral("k")), QStringLiteral("v"));
    }

    void newerFileIsAClearError()
    {
        const QString path = newPath();
        QVERIFY(rawExec(path,
                        { QStringLiteral("CREATE TABLE future (x)"),
                          QStringLiteral("PRAGMA user_version = 99") }));
        const auto r = StateStore::open(path);
        QVERIFY(!r);
        QCOMPARE(r.error().kind, Error::Kind::Database);
        QVERIFY2(r.error().message.contains(QLatin1String("newer")), qPrintable(r.error().message));
        QVERIFY(r.error().message.contains(QLatin1String("99")));
        QVERIFY(r.error().message.contains(path));
    }

    void corruptFileIsAnError()
    {
        const QString path = newPath();
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray(4096, '\x07'));
        f.close();
        const auto r = StateStore::open(path);
        QVERIFY(!r);
        QCOMPARE(r.error().kind, Error::Kind::Database);
    }
};

QTEST_GUILESS_MAIN(tst_StateStore)
#include "tst_statestore.moc"
