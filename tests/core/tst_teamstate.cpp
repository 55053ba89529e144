// Team state on the real PostgreSQL server of tests/pg-fixture.sh: the migrations, the
// append-only audit log, the leases between two engineers, the outbox while the team database
// is away and its upload, and the announcements of StateFeed.
#include "sqltest.h"
#include "statefeed.h"
#include "statestore.h"
#include "teamdb.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace cpc;
using namespace cpc::test;

namespace {

AuditEntry auditLine(const QString &ws, const QString &action)
{
    AuditEntry e;
    e.workspaceId = ws;
    e.action = action;
    e.result = QStringLiteral("ok");
    return e;
}

} // namespace

class tst_TeamState : public QObject
{
    Q_OBJECT

    TeamDb m_team;
    QTemporaryDir m_dir;
    int m_outboxes = 0;

    QString newOutbox()
    {
        return m_dir.filePath(QStringLiteral("outbox-%1.sqlite").arg(++m_outboxes));
    }

    std::unique_ptr<StateStore> open(const QString &url, const QString &outbox = {})
    {
        auto r = StateStore::open(url, outbox.isEmpty() ? newOutbox() : outbox);
        if (!r) {
            qWarning() << r.error().message;
            return {};
        }
        return std::move(r.value());
    }

    int teamCount(const QString &table, const QString &where = QStringLiteral("true"))
    {
        return sqlValue(
                   m_team.admin,
                   QStringLiteral("SELECT count(*) FROM cpconsole.%1 WHERE %2").arg(table, where))
            .toInt();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        CPC_TEAMDB_SET_UP(m_team);
    }
    void cleanupTestCase() { m_team.teardown(); }

    void migrationsFromEmptyRerunAndNewer()
    {
        TeamDb fresh;
        QString why;
        QVERIFY2(fresh.setUp(&why, false), qPrintable(why));
        auto cleanup = qScopeGuard([&] { fresh.teardown(); });
        const QString url = fresh.url(fresh.server.user);
        // Before the schema exists a console is told how to make it.
        auto none = StateStore::open(url, newOutbox());
        QVERIFY(!none);
        QVERIFY2(none.error().message.contains(QLatin1String("cpctl state migrate")),
                 qPrintable(none.error().message));

        const auto first = StateStore::migrateTeam(url);
        QVERIFY2(first, first ? "" : qPrintable(first.error().message));
        QCOMPARE(first->from, 0);
        QCOMPARE(first->to, StateStore::latestTeamVersion());
        const auto again = StateStore::migrateTeam(url);
        QVERIFY(again);
        QCOMPARE(again->from, StateStore::latestTeamVersion());
        QCOMPARE(again->to, StateStore::latestTeamVersion());
        QCOMPARE(sqlValue(fresh.admin,
                          QStringLiteral("SELECT count(*) FROM "
                                         "cpconsole.schema_version"))
                     .toInt(),
                 StateStore::latestTeamVersion());
        // The platform's tables are not touched: everything is in the schema cpconsole.
        QCOMPARE(sqlValue(fresh.admin,
                          QStringLiteral("SELECT count(*) FROM pg_tables WHERE "
                                         "schemaname = 'public'"))
                     .toInt(),
                 0);

        // A newer CP Console migrated it further: refused, and nothing changed.
        QVERIFY(
            sqlExec(fresh.admin,
                    QStringLiteral("INSERT INTO cpconsole.schema_version (version) VALUES (99)")));
        const auto newer = StateStore::migrateTeam(url);
        QVERIFY(!newer);
        QVERIFY2(newer.error().message.contains(QLatin1String("newer")),
                 qPrintable(newer.error().message));
        QCOMPARE(sqlValue(fresh.admin,
                          QStringLiteral("SELECT max(version) FROM "
                                         "cpconsole.schema_version"))
                     .toInt(),
                 99);
        auto opened = StateStore::open(url, newOutbox());
        QVERIFY(!opened);
        QVERIFY2(opened.error().message.contains(QLatin1String("update CP Console")),
                 qPrintable(opened.error().message));
    }

    void auditIsAppendOnlyForTheApplication()
    {
        auto store = open(m_team.url(m_team.alice));
        QVERIFY(store);
        QVERIFY(store->isShared());
        QVERIFY(store->appendAudit(auditLine(QStringLiteral("ws-audit"), QStringLiteral("stop"))));
        const auto read = store->audit(QStringLiteral("ws-audit"));
        QVERIFY(read && read->size() == 1);
        // Who wrote it is the database's word, not ours.
        QCOMPARE(read->first().dbUser, m_team.alice);
        QVERIFY(!read->first().uuid.isEmpty());

        // As alice, outside the console: INSERT works, UPDATE and DELETE are refused, and the
        // writer cannot be forged.
        const QString conn = QStringLiteral("alice-raw");
        {
            QSqlDatabase c = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), conn);
            c.setHostName(m_team.server.host);
            c.setPort(m_team.server.port);
            c.setUserName(m_team.alice);
            c.setDatabaseName(m_team.database);
            QVERIFY(c.open());
        }
        auto drop = qScopeGuard([&] {
            QSqlDatabase::database(conn, false).close();
            QSqlDatabase::removeDatabase(conn);
        });
        const auto refused = [&](const QString &sql) {
            QSqlQuery q(QSqlDatabase::database(conn, false));
            return !q.exec(sql)
                && q.lastError().databaseText().contains(QLatin1String("permission denied"));
        };
        QVERIFY(refused(QStringLiteral("UPDATE cpconsole.audit SET result = 'error'")));
        QVERIFY(refused(QStringLiteral("DELETE FROM cpconsole.audit")));
        QVERIFY(refused(QStringLiteral("TRUNCATE cpconsole.audit")));
        QVERIFY(refused(QStringLiteral("INSERT INTO cpconsole.audit (uuid, at, action, db_user) "
                                       "VALUES (gen_random_uuid(), now(), 'stop', 'bob')")));
        QVERIFY(sqlExec(conn,
                        QStringLiteral("INSERT INTO cpconsole.audit (uuid, at, action) "
                                       "VALUES (gen_random_uuid(), now(), 'raw')")));
        QCOMPARE(teamCount(QStringLiteral("audit"), QStringLiteral("result = 'error'")), 0);
        QCOMPARE(sqlValue(m_team.admin,
                          QStringLiteral("SELECT db_user FROM cpconsole.audit "
                                         "WHERE action = 'raw'"))
                     .toString(),
                 m_team.alice);
    }

    void secondEngineerIsRefusedNamingTheHolder()
    {
        auto alice = open(m_team.url(m_team.alice));
        auto bob = open(m_team.url(m_team.bob));
        QVERIFY(alice && bob);
        const auto a
            = alice->acquireOperationLock(QStringLiteral("ws-race"), JournalEntry::Kind::Stop,
                                          laptopHolder(QStringLiteral("alice")), {}, {});
        QVERIFY(a && a->acquired());
        const auto b
            = bob->acquireOperationLock(QStringLiteral("ws-race"), JournalEntry::Kind::Provision,
                                        LockHolder::currentProcess(), {}, {});
        QVERIFY(b);
        QVERIFY(!b->acquired());
        QVERIFY(b->heldBy);
        QCOMPARE(b->heldBy->holder.dbUser, m_team.alice);
        QCOMPARE(b->heldBy->kind, JournalEntry::Kind::Stop);
        QCOMPARE(b->heldBy->holder.describe(),
                 QStringLiteral("%1@laptop-3.example (OS user alice, cpctl, pid 4121)")
                     .arg(m_team.alice));
        // Finished, the workspace is free for bob.
        QVERIFY(alice->journalFinish(a->journalId, JournalEntry::Outcome::Succeeded));
        const auto c
            = bob->acquireOperationLock(QStringLiteral("ws-race"), JournalEntry::Kind::Provision,
                                        LockHolder::currentProcess(), {}, {});
        QVERIFY(c && c->acquired());
        QVERIFY(bob->journalFinish(c->journalId, JournalEntry::Outcome::Failed));
    }

    void expiredLeaseIsTakenOverAndRenewedOneIsNot()
    {
        auto alice = open(m_team.url(m_team.alice));
        auto bob = open(m_team.url(m_team.bob));
        QVERIFY(alice && bob);
        const auto a
            = alice->acquireOperationLock(QStringLiteral("ws-lease"), JournalEntry::Kind::Provision,
                                          laptopHolder(QStringLiteral("alice")), {}, {});
        QVERIFY(a && a->acquired());
        const QString expire = QStringLiteral("UPDATE cpconsole.journal SET lease_expires = "
                                              "now() - interval '1 second' WHERE id = ?");
        // Expired, then renewed by its holder in time: still held.
        QVERIFY(sqlExec(m_team.admin, expire, { a->journalId }));
        QVERIFY(alice->renewLeases({ a->journalId }));
        const auto held
            = bob->acquireOperationLock(QStringLiteral("ws-lease"), JournalEntry::Kind::Stop,
                                        LockHolder::currentProcess(), {}, {});
        QVERIFY(held && !held->acquired());

        // Expired and not renewed (its laptop froze or lost the network): taken over.
        QVERIFY(sqlExec(m_team.admin, expire, { a->journalId }));
        const auto taken
            = bob->acquireOperationLock(QStringLiteral("ws-lease"), JournalEntry::Kind::Stop,
                                        LockHolder::currentProcess(), {}, {});
        QVERIFY(taken && taken->acquired());
        QCOMPARE(taken->released.size(), 1);
        QVERIFY2(taken->released.first().detail.contains(QLatin1String("expired")),
                 qPrintable(taken->released.first().detail));
        const auto old = bob->journalEntry(a->journalId);
        QVERIFY(old);
        QCOMPARE(old->outcome, JournalEntry::Outcome::Unknown);
        QVERIFY(bob->journalFinish(taken->journalId, JournalEntry::Outcome::Succeeded));
    }

    void offlineEntriesAreUploadedOnce()
    {
        const QString outbox = newOutbox();
        {
            auto away = open(m_team.unreachableUrl(m_team.alice), outbox);
            QVERIFY(away);
            QVERIFY(away->isTeam());
            QVERIFY(!away->isShared());
            QVERIFY2(away->teamProblem().contains(QLatin1String("cannot connect")),
                     qPrintable(away->teamProblem()));
            QVERIFY(away->appendAudit(auditLine(QStringLiteral("ws-off"), QStringLiteral("stop"))));
            const auto lock
                = away->acquireOperationLock(QStringLiteral("ws-off"), JournalEntry::Kind::Stop,
                                             LockHolder::currentProcess(), {}, {});
            QVERIFY(lock && lock->acquired());
            QVERIFY(away->journalFinish(lock->journalId, JournalEntry::Outcome::Succeeded));
            QCOMPARE(away->unsharedCount(), 3); // the audit line, the entry, its end
            const auto read = away->audit(QStringLiteral("ws-off"));
            QVERIFY(read && read->size() == 1);
            QVERIFY(!read->first().shared);
        }
        QCOMPARE(teamCount(QStringLiteral("audit"), QStringLiteral("workspace_id = 'ws-off'")), 0);
        for (int round = 0; round < 2; ++round) {
            auto back = open(m_team.url(m_team.alice), outbox);
            QVERIFY(back && back->isShared());
            QCOMPARE(back->unsharedCount(), 0);
            QCOMPARE(teamCount(QStringLiteral("audit"), QStringLiteral("workspace_id = 'ws-off'")),
                     1);
            QCOMPARE(teamCount(QStringLiteral("journal"),
                               QStringLiteral("workspace_id = 'ws-off' AND outcome = 'succeeded'")),
                     1);
        }
    }

    void lostMidSessionGoesOfflineAndBack()
    {
        auto store = open(m_team.url(m_team.bob));
        QVERIFY(store && store->isShared());
        const auto lock
            = store->acquireOperationLock(QStringLiteral("ws-cut"), JournalEntry::Kind::Stop,
                                          LockHolder::currentProcess(), {}, {});
        QVERIFY(lock && lock->acquired());
        QVERIFY(m_team.cutOff(m_team.bob));
        // The answer comes back while the team database is away: nothing is lost.
        QVERIFY(store->journalFinish(lock->journalId, JournalEntry::Outcome::Succeeded));
        QVERIFY(store->appendAudit(auditLine(QStringLiteral("ws-cut"), QStringLiteral("stop"))));
        QVERIFY(!store->isShared());
        QVERIFY2(store->teamProblem().contains(QLatin1String("lost the team database")),
                 qPrintable(store->teamProblem()));
        QCOMPARE(store->unsharedCount(), 2);
        const auto uploaded = store->reconnect();
        QVERIFY2(uploaded, uploaded ? "" : qPrintable(uploaded.error().message));
        QCOMPARE(*uploaded, 2);
        QVERIFY(store->isShared());
        QCOMPARE(teamCount(QStringLiteral("journal"),
                           QStringLiteral("workspace_id = 'ws-cut' AND outcome = 'succeeded'")),
                 1);
        QCOMPARE(teamCount(QStringLiteral("audit"), QStringLiteral("workspace_id = 'ws-cut'")), 1);
        const auto again = store->reconnect();
        QVERIFY(again);
        QCOMPARE(*again, 0);
    }

    void announcementsOfAnotherConnectionArrive()
    {
        auto mine = open(m_team.url(m_team.alice));
        auto theirs = open(m_team.url(m_team.bob));
        QVERIFY(mine && theirs);
        StateFeed feed(mine.get());
        QVERIFY(feed.isListening());
        QSignalSpy audit(&feed, &StateFeed::auditAppended);
        QSignalSpy journal(&feed, &StateFeed::journalChanged);
        const auto lock
            = theirs->acquireOperationLock(QStringLiteral("ws-live"), JournalEntry::Kind::Stop,
                                           LockHolder::currentProcess(), {}, {});
        QVERIFY(lock && lock->acquired());
        QVERIFY(journal.wait(5000));
        const auto entry = journal.first().at(0).value<JournalEntry>();
        QCOMPARE(entry.workspaceId, QStringLiteral("ws-live"));
        QCOMPARE(entry.outcome, JournalEntry::Outcome::Pending);
        QCOMPARE(entry.holder.dbUser, m_team.bob);
        QVERIFY(journal.first().at(1).toBool());
        QVERIFY(theirs->appendAudit(auditLine(QStringLiteral("ws-live"), QStringLiteral("stop"))));
        QTRY_COMPARE(audit.size(), 1);
        QCOMPARE(audit.first().at(0).value<AuditEntry>().dbUser, m_team.bob);
        QVERIFY(audit.first().at(1).toBool());
        // Our own entries are announced too, and told apart.
        QVERIFY(mine->appendAudit(auditLine(QStringLiteral("ws-live"), QStringLiteral("note"))));
        QTRY_COMPARE(audit.size(), 2);
        QVERIFY(!audit.at(1).at(1).toBool());
        QVERIFY(theirs->journalFinish(lock->journalId, JournalEntry::Outcome::Succeeded));
    }
};

QTEST_GUILESS_MAIN(tst_TeamState)
#include "tst_teamstate.moc"
