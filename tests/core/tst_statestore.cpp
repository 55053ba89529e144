// The local state store: audit log, provision journal, status history, private files and
// schema upgrades. One suite over 600 lines: one store, every case on the same fixture.
#include "logging.h"
#include "statestore.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QJsonArray>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QSysInfo>
#include <QTemporaryDir>
#include <QtTest>

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

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
        // Filled with the OS user of the password database (not $USER) and the host.
        const passwd *pw = ::getpwuid(::geteuid());
        QVERIFY(pw);
        QCOMPARE(first.user, QString::fromLocal8Bit(pw->pw_name));
        QCOMPARE(first.host, QSysInfo::machineHostName());
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

    // --- the per-workspace operation lock ------------------------------------------------------

    void operationLockIsOnePerWorkspace()
    {
        const QString path = newPath();
        auto first = openStore(path);
        auto second = openStore(path); // another session on the same file, as another process
        QVERIFY(first && second);
        const LockHolder me = LockHolder::currentProcess(QStringLiteral("prod"));
        QCOMPARE(me.pid, QCoreApplication::applicationPid());
        QVERIFY(!me.processStart.isEmpty());
        auto a = first->acquireOperationLock(QStringLiteral("ws-a"), JournalEntry::Kind::Provision,
                                             me, QStringLiteral("key-a"), { { "tier", 1 } });
        QVERIFY2(a, a ? "" : qPrintable(a.error().message));
        QVERIFY(a->acquired());
        QVERIFY(!a->heldBy);

        // A second operation on the workspace is refused, naming the first and its holder.
        auto b = second->acquireOperationLock(QStringLiteral("ws-a"), JournalEntry::Kind::Stop, me,
                                              {}, {});
        QVERIFY(b);
        QVERIFY(!b->acquired());
        QVERIFY(b->heldBy);
        QCOMPARE(b->heldBy->id, a->journalId);
        QCOMPARE(b->heldBy->kind, JournalEntry::Kind::Provision);
        QCOMPARE(b->heldBy->holder.pid, me.pid);
        QCOMPARE(b->heldBy->holder.profile, QStringLiteral("prod"));
        QCOMPARE(b->heldBy->holder.describe(),
                 QStringLiteral("%1@%2 (%3, pid %4)")
                     .arg(me.user, me.host, QCoreApplication::applicationName())
                     .arg(me.pid));
        QVERIFY(b->heldBy->startedAt.isValid());
        // The refusal wrote nothing; another workspace is free.
        QCOMPARE(second->journal()->size(), 1);
        auto c = second->acquireOperationLock(QStringLiteral("ws-b"), JournalEntry::Kind::Stop, me,
                                              {}, {});
        QVERIFY(c && c->acquired());
        // In flight, both: listed as such, not as unresolved.
        QCOMPARE(second->inFlightJournal()->size(), 2);
        QVERIFY(second->unresolvedJournal()->isEmpty());

        // Finished: released.
        QVERIFY(first->journalFinish(a->journalId, JournalEntry::Outcome::Succeeded,
                                     QStringLiteral("i-1")));
        b = second->acquireOperationLock(QStringLiteral("ws-a"), JournalEntry::Kind::Stop, me, {},
                                         {});
        QVERIFY(b && b->acquired());
        QCOMPARE(second->journal()->first().kind, JournalEntry::Kind::Stop);
    }

    void lockOfAProcessThatIsGoneIsReleased_data()
    {
        QTest::addColumn<QString>("how");
        QTest::newRow("process ended") << "ended";
        QTest::newRow("PID reused by another program") << "reused";
        QTest::newRow("this process, session closed") << "closed";
    }
    void lockOfAProcessThatIsGoneIsReleased()
    {
        QFETCH(QString, how);
        const QString path = newPath();
        LockHolder gone = LockHolder::currentProcess();
        if (how == QLatin1String("ended")) {
            QProcess p;
            p.start(QStringLiteral("sleep"), { QStringLiteral("0.2") });
            QVERIFY(p.waitForStarted());
            gone.pid = p.processId();
            QVERIFY(p.waitForFinished());
            QVERIFY(gone.pid > 0 && gone.pid != QCoreApplication::applicationPid());
        } else if (how == QLatin1String("reused")) {
            gone.processStart = QStringLiteral("another-boot/12345");
        }
        qint64 stale = 0;
        {
            auto holder = openStore(path);
            QVERIFY(holder);
            auto l = holder->acquireOperationLock(QStringLiteral("ws-a"),
                                                  JournalEntry::Kind::Provision, gone,
                                                  QStringLiteral("k"), {});
            QVERIFY(l && l->acquired());
            stale = l->journalId;
            if (how == QLatin1String("closed"))
                holder.reset();
            auto next = openStore(path);
            const auto unresolved = next->unresolvedJournal();
            QCOMPARE(unresolved->size(), 1); // read as "outcome unknown" before anyone asks
            QCOMPARE(unresolved->first().outcome, JournalEntry::Outcome::Unknown);
            const auto again
                = next->acquireOperationLock(QStringLiteral("ws-a"), JournalEntry::Kind::Stop,
                                             LockHolder::currentProcess(), {}, {});
            QVERIFY2(again, again ? "" : qPrintable(again.error().message));
            QVERIFY(again->acquired());
            QCOMPARE(again->released.size(), 1);
            QCOMPARE(again->released.first().id, stale);
            QVERIFY2(again->released.first().detail.contains(QStringLiteral("pid %1").arg(gone.pid))
                         && again->released.first().detail.contains(QLatin1String("is gone")),
                     qPrintable(again->released.first().detail));
        }
        // The released provision stays in the journal as "outcome unknown", for Reconcile.
        auto store = openStore(path);
        const auto unresolved = store->unresolvedJournal();
        QCOMPARE(unresolved->size(), 1);
        QCOMPARE(unresolved->first().id, stale);
        QVERIFY(unresolved->first().detail.contains(QLatin1String("released")));
    }

    void lockOfAnotherHostIsHeld()
    {
        // A process on another host cannot be looked at from here: it holds until it finishes.
        const QString path = newPath();
        auto store = openStore(path);
        LockHolder remote = LockHolder::currentProcess();
        remote.host = QStringLiteral("laptop-of-bob.example");
        remote.user = QStringLiteral("bob");
        remote.pid = 999'999'999; // no such process here
        QVERIFY(store
                    ->acquireOperationLock(QStringLiteral("ws-a"), JournalEntry::Kind::Stop, remote,
                                           {}, {})
                    ->acquired());
        auto other = openStore(path);
        const auto l
            = other->acquireOperationLock(QStringLiteral("ws-a"), JournalEntry::Kind::Provision,
                                          LockHolder::currentProcess(), {}, {});
        QVERIFY(l && !l->acquired());
        QCOMPARE(l->heldBy->holder.describe(),
                 QStringLiteral("bob@laptop-of-bob.example (tst_statestore, pid 999999999)"));
    }

    void takeOverResumesAnUnresolvedEntry()
    {
        const QString path = newPath();
        qint64 entry = 0;
        {
            auto crashed = openStore(path);
            entry = *crashed->journalBegin(QStringLiteral("ws-a"), QStringLiteral("k1"), {});
        }
        auto store = openStore(path);
        const LockHolder me = LockHolder::currentProcess();
        auto l = store->acquireOperationLock(QStringLiteral("ws-a"), JournalEntry::Kind::Provision,
                                             me, QStringLiteral("k1"), {}, entry);
        QVERIFY2(l, l ? "" : qPrintable(l.error().message));
        QCOMPARE(l->journalId, entry); // the same entry, in flight again: no second one
        QCOMPARE(store->journal()->size(), 1);
        QCOMPARE(store->inFlightJournal()->size(), 1);
        // A second take-over while it is in flight is refused.
        auto other = openStore(path);
        auto l2 = other->acquireOperationLock(QStringLiteral("ws-a"), JournalEntry::Kind::Provision,
                                              me, QStringLiteral("k1"), {}, entry);
        QVERIFY(l2 && !l2->acquired() && l2->heldBy && l2->heldBy->id == entry);
        // Once resolved, it cannot be taken over again.
        QVERIFY(
            store->journalFinish(entry, JournalEntry::Outcome::Reconciled, QStringLiteral("i-7")));
        l2 = other->acquireOperationLock(QStringLiteral("ws-a"), JournalEntry::Kind::Provision, me,
                                         QStringLiteral("k1"), {}, entry);
        QVERIFY(!l2);
        QCOMPARE(l2.error().kind, Error::Kind::Conflict);
        QVERIFY(l2.error().message.contains(QLatin1String("no longer unresolved")));
    }

    void journalKeepsBothInstanceIds()
    {
        auto store = openStore(newPath());
        const auto l
            = store->acquireOperationLock(QStringLiteral("ws-a"), JournalEntry::Kind::Provision,
                                          LockHolder::currentProcess(), {}, {});
        JournalResult r;
        r.outcome = JournalEntry::Outcome::MovedOn;
        r.instanceId = QStringLiteral("i-created");
        r.movedOnTo = QStringLiteral("i-theirs");
        r.replacedInstanceId = QStringLiteral("i-old");
        r.detail = QStringLiteral("moved on");
        QVERIFY(store->journalFinish(l->journalId, r));
        const auto unresolved = store->unresolvedJournal();
        QCOMPARE(unresolved->size(), 1); // the engineer decides which instance to keep
        const JournalEntry &e = unresolved->first();
        QCOMPARE(e.outcome, JournalEntry::Outcome::MovedOn);
        QCOMPARE(journalOutcomeName(e.outcome), QStringLiteral("moved-on"));
        QCOMPARE(e.instanceId, QStringLiteral("i-created"));
        QCOMPARE(e.movedOnTo, QStringLiteral("i-theirs"));
        QCOMPARE(e.replacedInstanceId, QStringLiteral("i-old"));
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
        QCOMPARE(unresolved->first().kind, JournalEntry::Kind::Provision);
        // It holds no lock: the workspace can be acted on.
        QVERIFY(store
                    ->acquireOperationLock(QStringLiteral("ws-old"), JournalEntry::Kind::Stop,
                                           LockHolder::currentProcess(), {}, {})
                    ->acquired());
        QVERIFY(audit->first().host.isEmpty()); // not known for entries written before v4
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
