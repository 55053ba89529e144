#pragma once

// A team state database on the PostgreSQL server of tests/pg-fixture.sh: a database of its
// own with the cpconsole schema made by StateStore::migrateTeam() (as the fixture's
// superuser, who owns it), and two engineers' login roles, alice_* and bob_*, members of
// cpconsole_app as the README tells an administrator to make them. teardown() drops them.
#include "dburl.h"
#include "sqltest.h"
#include "statestore.h"

#include <QRandomGenerator>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QtTest>

namespace cpc::test {

/// A teammate's process on another laptop, as a lease records it.
inline LockHolder laptopHolder(const QString &user)
{
    LockHolder h;
    h.user = user;
    h.host = QStringLiteral("laptop-3.example");
    h.pid = 4121;
    h.program = QStringLiteral("cpctl");
    return h;
}

class TeamDb
{
public:
    DbUrl server;
    QString database;
    QString alice;
    QString bob;
    QString admin; ///< connection to `database` as superuser

    /// False with a reason when there is no fixture; the caller fails when one is required.
    bool setUp(QString *whyNot, bool migrate = true)
    {
        const auto parsed = DbUrl::parse(qEnvironmentVariable("CPC_TEST_PG_URL"));
        if (!parsed) {
            *whyNot = QStringLiteral("CPC_TEST_PG_URL is not set: source tests/pg-fixture.sh");
            return false;
        }
        server = *parsed;
        const QString suffix
            = QStringLiteral("%1").arg(QRandomGenerator::global()->generate(), 8, 16, QChar(u'0'));
        database = QStringLiteral("cpc_team_") + suffix;
        admin = QStringLiteral("teamdb-admin-") + suffix;
        m_server = QStringLiteral("teamdb-server-") + suffix;
        alice = QStringLiteral("alice_") + suffix;
        bob = QStringLiteral("bob_") + suffix;
        if (!open(m_server, server.database)
            || !sqlExec(m_server, QStringLiteral("CREATE DATABASE %1").arg(database))) {
            *whyNot = QStringLiteral("cannot create the team database (see the warnings)");
            return false;
        }
        m_created = true;
        if (!open(admin, database)) {
            *whyNot = QStringLiteral("cannot open the team database");
            return false;
        }
        if (migrate) {
            const auto m = StateStore::migrateTeam(url(server.user));
            if (!m) {
                *whyNot = m.error().message;
                return false;
            }
        }
        for (const QString &role : { alice, bob }) {
            if (!sqlExec(m_server, QStringLiteral("CREATE ROLE %1 LOGIN").arg(role))) {
                *whyNot = QStringLiteral("cannot create the role %1").arg(role);
                return false;
            }
            if (migrate
                && !sqlExec(m_server, QStringLiteral("GRANT cpconsole_app TO %1").arg(role))) {
                *whyNot = QStringLiteral("cannot grant cpconsole_app to %1").arg(role);
                return false;
            }
        }
        return true;
    }

    /// The URL of the team database for `role` over the fixture's socket.
    QString url(const QString &role) const
    {
        QString u = QStringLiteral("postgresql://%1@/%2?host=%3").arg(role, database, server.host);
        if (server.port > 0)
            u += QStringLiteral("&port=%1").arg(server.port);
        return u;
    }

    /// A URL at which nothing listens (a socket directory that does not exist).
    QString unreachableUrl(const QString &role) const
    {
        return QStringLiteral("postgresql://%1@/%2?host=%3/nothing-here&port=%4")
            .arg(role, database, server.host)
            .arg(server.port > 0 ? server.port : 5432);
    }

    /// Ends every session of `role` on the team database, as a server restart or a network cut
    /// would.
    bool cutOff(const QString &role)
    {
        return sqlValue(admin,
                        QStringLiteral("SELECT count(pg_terminate_backend(pid)) FROM "
                                       "pg_stat_activity WHERE usename = ? AND datname = ?"),
                        { role, database })
                   .toInt()
            > 0;
    }

    void teardown()
    {
        for (const QString &name : { admin }) {
            if (QSqlDatabase::contains(name)) {
                QSqlDatabase::database(name, false).close();
                QSqlDatabase::removeDatabase(name);
            }
        }
        if (m_created) {
            sqlExec(m_server,
                    QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)").arg(database));
            for (const QString &role : { alice, bob })
                sqlExec(m_server, QStringLiteral("DROP ROLE IF EXISTS %1").arg(role));
            m_created = false;
        }
        if (QSqlDatabase::contains(m_server)) {
            QSqlDatabase::database(m_server, false).close();
            QSqlDatabase::removeDatabase(m_server);
        }
    }

    bool open(const QString &name, const QString &db) const
    {
        QSqlDatabase c = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), name);
        c.setHostName(server.host);
        if (server.port > 0)
            c.setPort(server.port);
        c.setUserName(server.user);
        c.setDatabaseName(db);
        if (!c.open()) {
            qWarning() << "cannot open" << db << c.lastError().text();
            return false;
        }
        return true;
    }

private:
    QString m_server; ///< connection to the fixture's own database, as superuser
    bool m_created = false;
};

} // namespace cpc::test

/// In initTestCase: sets `team` up. Without a PostgreSQL fixture the suite fails where one is
/// required (CPC_REQUIRE_PG=1, as tests/run-all.sh and CI set, or CI=true) and is skipped
/// elsewhere (a developer's build without the fixture), saying how to run it.
#define CPC_TEAMDB_SET_UP(team)                                                                    \
    do {                                                                                           \
        QString why_;                                                                              \
        if (!(team).setUp(&why_)) {                                                                \
            if (qEnvironmentVariable("CPC_REQUIRE_PG") == QLatin1String("1")                       \
                || qEnvironmentVariable("CI") == QLatin1String("true"))                            \
                QFAIL(qPrintable(why_));                                                           \
            QSKIP(qPrintable(why_));                                                               \
        }                                                                                          \
    } while (false)
