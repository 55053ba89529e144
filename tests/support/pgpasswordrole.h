#pragma once

#include "dburl.h"

#include <QFile>
#include <QRandomGenerator>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QUrl>
#include <QtTest>

namespace cpc::test {

/// On the PostgreSQL server of tests/pg-fixture.sh (which trusts every local connection): a
/// role of its own that must give a scram password, through a pg_hba.conf line for that role
/// alone, and a database with a one-row workspaces table the role may read. The line is removed
/// and the role and database dropped by teardown().
class PgPasswordRole
{
public:
    DbUrl server; ///< the fixture, as its superuser
    QString role;
    QString password;
    QString database;

    static QString randomSuffix()
    {
        return QStringLiteral("%1").arg(QRandomGenerator::global()->generate(), 8, 16, QChar(u'0'));
    }

    /// False with a reason when there is no fixture (CPC_TEST_PG_URL unset); fails the test when
    /// the fixture is there and something else goes wrong.
    bool setUp(QString *whyNot)
    {
        const QString url = qEnvironmentVariable("CPC_TEST_PG_URL");
        if (url.isEmpty()) {
            *whyNot = QStringLiteral("CPC_TEST_PG_URL is not set: source tests/pg-fixture.sh");
            return false;
        }
        const auto parsed = DbUrl::parse(url);
        if (!parsed || !parsed->host.startsWith(u'/')) {
            *whyNot = QStringLiteral("CPC_TEST_PG_URL is not the fixture's unix socket");
            return false;
        }
        server = *parsed;
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), kAdmin);
        db.setHostName(server.host);
        db.setPort(server.port);
        db.setUserName(server.user);
        db.setDatabaseName(server.database);
        if (!db.open()) {
            *whyNot = db.lastError().text();
            return false;
        }
        const QString suffix = randomSuffix();
        role = QStringLiteral("cpc_pw_") + suffix;
        database = QStringLiteral("cpc_pwdb_") + suffix;
        password = QStringLiteral("Pw-%1-'quote:@/").arg(randomSuffix());
        QSqlQuery q(db);
        if (!q.exec(QStringLiteral("SHOW hba_file")) || !q.next()) {
            *whyNot = q.lastError().text();
            return false;
        }
        m_hbaFile = q.value(0).toString();
        q.finish();
        const bool ok = exec(QStringLiteral("SET password_encryption = 'scram-sha-256'"))
            && exec(QStringLiteral("CREATE ROLE %1 LOGIN PASSWORD '%2'")
                        .arg(ident(role), QString(password).replace(u'\'', QStringLiteral("''"))))
            && exec(QStringLiteral("CREATE DATABASE %1").arg(ident(database)));
        m_created = true;
        if (!ok || !makeTable(db) || !requirePassword()) {
            *whyNot = QStringLiteral("setting up the password role failed (see the warnings)");
            return false;
        }
        return true;
    }

    void teardown()
    {
        if (!m_hbaBefore.isEmpty()) {
            QFile hba(m_hbaFile);
            if (hba.open(QIODevice::WriteOnly | QIODevice::Truncate))
                hba.write(m_hbaBefore);
            hba.close();
            exec(QStringLiteral("SELECT pg_reload_conf()"));
            m_hbaBefore.clear();
        }
        if (m_created) {
            exec(QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)").arg(ident(database)));
            exec(QStringLiteral("DROP ROLE IF EXISTS %1").arg(ident(role)));
            m_created = false;
        }
        if (QSqlDatabase::contains(kAdmin)) {
            QSqlDatabase::database(kAdmin, false).close();
            QSqlDatabase::removeDatabase(kAdmin);
        }
    }

    /// The role's URL over the fixture's socket, with `urlPassword` in it when given; `extra`
    /// is appended to the query.
    QString url(const QString &urlPassword = {}, const QString &extra = {}) const
    {
        QString u = QStringLiteral("postgresql://%1%2@/%3?host=%4")
                        .arg(role,
                             urlPassword.isEmpty()
                                 ? QString()
                                 : u':' + QString::fromUtf8(QUrl::toPercentEncoding(urlPassword)),
                             database, server.host);
        if (server.port > 0)
            u += QStringLiteral("&port=%1").arg(server.port);
        return extra.isEmpty() ? u : u + u'&' + extra;
    }

    /// True once the server asks the role for a password (the reload is asynchronous).
    bool passwordRequired() const
    {
        const QString name = QStringLiteral("pgrole-probe");
        bool asked = false;
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), name);
            db.setHostName(server.host);
            db.setPort(server.port);
            db.setUserName(role);
            db.setDatabaseName(database);
            db.setConnectOptions(QStringLiteral("connect_timeout=5"));
            asked = !db.open() && db.lastError().text().contains(QLatin1String("password"));
            db.close();
        }
        QSqlDatabase::removeDatabase(name);
        return asked;
    }

private:
    static inline const QString kAdmin = QStringLiteral("pgrole-admin");
    QString m_hbaFile;
    QByteArray m_hbaBefore;
    bool m_created = false;

    static QString ident(const QString &name)
    {
        return u'"' + QString(name).replace(u'"', QStringLiteral("\"\"")) + u'"';
    }
    static bool exec(const QString &sql, const QString &connection = kAdmin)
    {
        QSqlQuery q(QSqlDatabase::database(connection, false));
        if (!q.exec(sql)) {
            qWarning() << sql << q.lastError().text();
            return false;
        }
        return true;
    }
    bool makeTable(const QSqlDatabase &admin)
    {
        const QString name = QStringLiteral("pgrole-ws");
        bool ok = false;
        {
            QSqlDatabase ws = QSqlDatabase::cloneDatabase(admin, name);
            ws.setDatabaseName(database);
            ok = ws.open()
                && exec(QStringLiteral("CREATE TABLE workspaces (id uuid PRIMARY KEY, name text, "
                                       "status text, instance_id text)"),
                        name)
                && exec(QStringLiteral("INSERT INTO workspaces VALUES "
                                       "('0f6c1a8e-1111-4a5b-9c3d-000000000001', 'alpha', "
                                       "'online', 'i-0aaa')"),
                        name)
                && exec(QStringLiteral("GRANT SELECT ON workspaces TO %1").arg(ident(role)), name);
            ws.close();
        }
        QSqlDatabase::removeDatabase(name);
        return ok;
    }
    bool requirePassword()
    {
        QFile hba(m_hbaFile);
        if (!hba.open(QIODevice::ReadOnly)) {
            qWarning() << "cannot read" << m_hbaFile;
            return false;
        }
        const QByteArray before = hba.readAll();
        hba.close();
        if (!hba.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
            qWarning() << "cannot write" << m_hbaFile;
            return false;
        }
        m_hbaBefore = before;
        hba.write(QStringLiteral("local all %1 scram-sha-256\n").arg(role).toUtf8() + before);
        hba.close();
        if (!exec(QStringLiteral("SELECT pg_reload_conf()")))
            return false;
        return QTest::qWaitFor([this] { return passwordRequired(); }, 20000);
    }
};

} // namespace cpc::test
