// A PostgreSQL password never needs to be in a URL (argv, QSettings): libpq's own PGPASSWORD,
// password file (~/.pgpass, or PGPASSFILE) and services (PGSERVICE, service=) are honoured, and
// a password handed in by the caller (the profile's, from the keychain) is used when the URL
// has none. A host that is not this machine is reached with sslmode=verify-full unless the URL
// (or PGSSLMODE) says otherwise, and a server without TLS gives a clear error. Runs against the
// real server of tests/pg-fixture.sh, with a role of its own that must give a password.
#include "dburl.h"
#include "workspacesource.h"

#include <QLocalSocket>
#include <QRandomGenerator>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>

#include <sys/stat.h>

using namespace cpc;

namespace {

QString quoteIdent(const QString &name)
{
    return u'"' + QString(name).replace(u'"', QStringLiteral("\"\"")) + u'"';
}

QString randomSuffix()
{
    return QStringLiteral("%1").arg(QRandomGenerator::global()->generate(), 8, 16, QChar(u'0'));
}

/// A TCP port on 127.0.0.1 that forwards every connection, byte for byte, to the fixture's
/// unix socket: the real server, reached over TCP (the fixture listens on the socket only). It
/// runs in a thread of its own, since QSqlDatabase::open() blocks the test's thread.
class TcpToSocket
{
public:
    explicit TcpToSocket(const QString &socketPath)
    {
        m_context.moveToThread(&m_thread);
        m_thread.start();
        QMetaObject::invokeMethod(
            &m_context,
            [this, socketPath] {
                m_server = new QTcpServer(&m_context);
                QObject::connect(m_server, &QTcpServer::newConnection, &m_context,
                                 [this, socketPath] { forward(socketPath); });
                m_server->listen(QHostAddress::LocalHost, 0);
                m_port = m_server->serverPort();
            },
            Qt::BlockingQueuedConnection);
    }
    ~TcpToSocket()
    {
        QMetaObject::invokeMethod(
            &m_context, [this] { qDeleteAll(m_context.children()); }, Qt::BlockingQueuedConnection);
        m_thread.quit();
        m_thread.wait();
    }
    TcpToSocket(const TcpToSocket &) = delete;
    TcpToSocket &operator=(const TcpToSocket &) = delete;
    quint16 port() const { return m_port; }

private:
    void forward(const QString &socketPath)
    {
        while (QTcpSocket *tcp = m_server->nextPendingConnection()) {
            auto *unix = new QLocalSocket(tcp);
            QObject::connect(tcp, &QTcpSocket::readyRead, unix, [tcp, unix] {
                if (unix->state() == QLocalSocket::ConnectedState)
                    unix->write(tcp->readAll());
            });
            QObject::connect(unix, &QLocalSocket::readyRead, tcp,
                             [tcp, unix] { tcp->write(unix->readAll()); });
            QObject::connect(unix, &QLocalSocket::connected, tcp,
                             [tcp, unix] { unix->write(tcp->readAll()); });
            QObject::connect(tcp, &QTcpSocket::disconnected, tcp, &QObject::deleteLater);
            QObject::connect(unix, &QLocalSocket::disconnected, tcp,
                             &QTcpSocket::disconnectFromHost);
            unix->connectToServer(socketPath);
        }
    }

    QThread m_thread;
    QObject m_context;
    QTcpServer *m_server = nullptr;
    quint16 m_port = 0;
};

} // namespace

class tst_PgCredentials : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    DbUrl m_server; ///< the fixture, as its superuser (trusted)
    bool m_haveServer = false;
    QString m_admin = QStringLiteral("pgcred-admin");
    QString m_hbaFile;
    QByteArray m_hbaBefore;
    QString m_role;
    QString m_password;
    QString m_db;

    bool adminExec(const QString &sql, const QString &connection = {})
    {
        QSqlQuery q(QSqlDatabase::database(connection.isEmpty() ? m_admin : connection, false));
        if (!q.exec(sql)) {
            qWarning() << sql << q.lastError().text();
            return false;
        }
        return true;
    }

    /// The role's URL over the fixture's socket; `extra` is appended to the query.
    QString roleUrl(const QString &extra = {}, const QString &password = {}) const
    {
        QString url
            = QStringLiteral("postgresql://%1%2@/%3?host=%4")
                  .arg(m_role,
                       password.isEmpty() ? QString() : u':' + QUrl::toPercentEncoding(password),
                       m_db, m_server.host);
        if (m_server.port > 0)
            url += QStringLiteral("&port=%1").arg(m_server.port);
        return extra.isEmpty() ? url : url + u'&' + extra;
    }

    /// Nothing from this machine's own libpq set-up may help or hinder a case.
    static void clearLibpqEnvironment()
    {
        for (const char *v : { "PGPASSWORD", "PGSERVICE", "PGSERVICEFILE", "PGSSLMODE", "PGHOST" })
            qunsetenv(v);
        qputenv("PGPASSFILE", "/nonexistent/cpc-test/pgpass");
    }

    /// initTestCase has failed already where PostgreSQL is required (CPC_REQUIRE_PG, CI).
    bool requireServer() const { return m_haveServer; }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        clearLibpqEnvironment();
        const QString url = qEnvironmentVariable("CPC_TEST_PG_URL");
        if (url.isEmpty()) {
            if (qEnvironmentVariable("CPC_REQUIRE_PG") == QLatin1String("1")
                || qEnvironmentVariable("CI") == QLatin1String("true"))
                QFAIL("CPC_TEST_PG_URL is not set but PostgreSQL is required (CPC_REQUIRE_PG=1 "
                      "or CI=true): run through tests/run-all.sh or source tests/pg-fixture.sh");
            return; // the URL cases below still run
        }
        const auto parsed = DbUrl::parse(url);
        QVERIFY2(parsed, parsed ? "" : qPrintable(parsed.error().message));
        m_server = *parsed;
        QVERIFY2(m_server.host.startsWith(u'/'), "the fixture listens on a unix socket");
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), m_admin);
        db.setHostName(m_server.host);
        db.setPort(m_server.port);
        db.setUserName(m_server.user);
        db.setDatabaseName(m_server.database);
        QVERIFY2(db.open(), qPrintable(db.lastError().text()));

        // A role of our own that must give a password (the fixture trusts everyone else), and
        // a database with a workspaces table it may read.
        const QString suffix = randomSuffix();
        m_role = QStringLiteral("cpc_pw_") + suffix;
        m_db = QStringLiteral("cpc_pwdb_") + suffix;
        m_password = QStringLiteral("Pw-%1-'quote").arg(randomSuffix());
        QSqlQuery q(db);
        QVERIFY(q.exec(QStringLiteral("SHOW hba_file")) && q.next());
        m_hbaFile = q.value(0).toString();
        q.finish();
        QVERIFY(adminExec(QStringLiteral("SET password_encryption = 'scram-sha-256'")));
        QVERIFY(adminExec(QStringLiteral("CREATE ROLE %1 LOGIN PASSWORD '%2'")
                              .arg(quoteIdent(m_role),
                                   QString(m_password).replace(u'\'', QStringLiteral("''")))));
        QVERIFY(adminExec(QStringLiteral("CREATE DATABASE %1").arg(quoteIdent(m_db))));
        {
            QSqlDatabase wsdb = QSqlDatabase::cloneDatabase(db, QStringLiteral("pgcred-ws"));
            wsdb.setDatabaseName(m_db);
            QVERIFY(wsdb.open());
            QVERIFY(adminExec(QStringLiteral("CREATE TABLE workspaces (id uuid PRIMARY KEY, "
                                             "name text, status text, instance_id text)"),
                              QStringLiteral("pgcred-ws")));
            QVERIFY(adminExec(QStringLiteral("INSERT INTO workspaces VALUES "
                                             "('0f6c1a8e-1111-4a5b-9c3d-000000000001', 'alpha', "
                                             "'online', 'i-0aaa')"),
                              QStringLiteral("pgcred-ws")));
            QVERIFY(adminExec(
                QStringLiteral("GRANT SELECT ON workspaces TO %1").arg(quoteIdent(m_role)),
                QStringLiteral("pgcred-ws")));
            wsdb.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("pgcred-ws"));

        QFile hba(m_hbaFile);
        QVERIFY2(hba.open(QIODevice::ReadOnly), qPrintable(m_hbaFile));
        m_hbaBefore = hba.readAll();
        hba.close();
        QVERIFY(hba.open(QIODevice::WriteOnly | QIODevice::Truncate));
        hba.write(QStringLiteral("local all %1 scram-sha-256\n").arg(m_role).toUtf8()
                  + m_hbaBefore);
        hba.close();
        QVERIFY(adminExec(QStringLiteral("SELECT pg_reload_conf()")));
        m_haveServer = true;
        // The reload is asynchronous: wait until the role is asked for a password.
        QTRY_VERIFY_WITH_TIMEOUT(
            [this] {
                const auto r = WorkspaceSource::open(roleUrl());
                return !r && r.error().message.contains(QLatin1String("password"));
            }(),
            20000);
    }

    void cleanupTestCase()
    {
        if (!m_hbaFile.isEmpty() && !m_hbaBefore.isEmpty()) {
            QFile hba(m_hbaFile);
            if (hba.open(QIODevice::WriteOnly | QIODevice::Truncate))
                hba.write(m_hbaBefore);
            hba.close();
            adminExec(QStringLiteral("SELECT pg_reload_conf()"));
        }
        if (!m_db.isEmpty())
            adminExec(
                QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)").arg(quoteIdent(m_db)));
        if (!m_role.isEmpty())
            adminExec(QStringLiteral("DROP ROLE IF EXISTS %1").arg(quoteIdent(m_role)));
        QSqlDatabase::database(m_admin, false).close();
        QSqlDatabase::removeDatabase(m_admin);
    }

    void cleanup() { clearLibpqEnvironment(); }

    // --- sslmode ------------------------------------------------------------------------------

    void sslModeDefault_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("sslmode"); ///< "" for none: libpq's default
        QTest::newRow("remote name") << "postgresql://ops@db.example.com/platform"
                                     << "verify-full";
        QTest::newRow("remote name, port") << "postgresql://ops@db.example.com:6543/platform"
                                           << "verify-full";
        QTest::newRow("remote IPv4") << "postgresql://ops@10.1.2.3/platform"
                                     << "verify-full";
        QTest::newRow("remote IPv6") << "postgresql://ops@[2001:db8::7]:5432/platform"
                                     << "verify-full";
        QTest::newRow("host parameter") << "postgresql://ops@/platform?host=db.example.com"
                                        << "verify-full";
        QTest::newRow("one of two hosts remote")
            << "postgresql://ops@/platform?host=localhost,db.example.com"
            << "verify-full";
        QTest::newRow("explicit require")
            << "postgresql://ops@db.example.com/platform?sslmode=require"
            << "require";
        QTest::newRow("explicit disable")
            << "postgresql://ops@db.example.com/platform?sslmode=disable"
            << "disable";
        QTest::newRow("localhost") << "postgresql://ops@localhost/platform"
                                   << "";
        QTest::newRow("127.0.0.1") << "postgresql://ops@127.0.0.1:5432/platform"
                                   << "";
        QTest::newRow("127.0.0.2") << "postgresql://ops@127.0.0.2/platform"
                                   << "";
        QTest::newRow("::1") << "postgresql://ops@[::1]/platform"
                             << "";
        QTest::newRow("socket") << "postgresql://ops@/platform?host=/run/postgresql"
                                << "";
        QTest::newRow("no host") << "postgresql://ops@/platform"
                                 << "";
        QTest::newRow("service decides") << "postgresql://?service=prod"
                                         << "";
    }
    void sslModeDefault()
    {
        QFETCH(QString, url);
        QFETCH(QString, sslmode);
        const auto r = DbUrl::parse(url);
        QVERIFY2(r, r ? "" : qPrintable(r.error().message));
        QStringList modes;
        for (const QString &option : r->connectOptions.split(u';')) {
            if (option.startsWith(QLatin1String("sslmode=")))
                modes << option.mid(8);
        }
        QCOMPARE(modes, sslmode.isEmpty() ? QStringList() : QStringList { sslmode });
    }

    void sslModeFromTheEnvironmentIsExplicit()
    {
        qputenv("PGSSLMODE", "require");
        const auto r = DbUrl::parse(QStringLiteral("postgresql://ops@db.example.com/platform"));
        QVERIFY(r);
        QVERIFY2(!r->connectOptions.contains(QLatin1String("sslmode")),
                 qPrintable(r->connectOptions));
        // And PGHOST names the host when the URL does not.
        qunsetenv("PGSSLMODE");
        qputenv("PGHOST", "db.example.com");
        const auto h = DbUrl::parse(QStringLiteral("postgresql://ops@/platform"));
        QVERIFY(h);
        QVERIFY2(h->connectOptions.contains(QLatin1String("sslmode=verify-full")),
                 qPrintable(h->connectOptions));
    }

    void serverWithoutTlsIsAClearError()
    {
        if (!requireServer())
            QSKIP("no PostgreSQL fixture");
        TcpToSocket proxy(QStringLiteral("%1/.s.PGSQL.%2").arg(m_server.host).arg(m_server.port));
        QVERIFY(proxy.port() > 0);
        const QString base = QStringLiteral("postgresql://%1@127.0.0.1:%2/%3")
                                 .arg(m_server.user)
                                 .arg(proxy.port())
                                 .arg(m_db);
        // Positive control: over the same TCP path, libpq's default for loopback connects.
        {
            const auto ok = WorkspaceSource::open(base);
            QVERIFY2(ok, ok ? "" : qPrintable(ok.error().message));
        }
        for (const char *mode : { "require", "verify-full" }) {
            const auto r
                = WorkspaceSource::open(base + QStringLiteral("?sslmode=") + QLatin1String(mode));
            QVERIFY(!r);
            QCOMPARE(r.error().kind, Error::Kind::Database);
            const QString m = r.error().message;
            QVERIFY2(m.contains(QLatin1String("does not support SSL")), qPrintable(m));
            QVERIFY2(m.contains(QLatin1String("does not offer TLS")), qPrintable(m));
            QVERIFY2(m.contains(QLatin1String("sslmode")), qPrintable(m));
        }
    }

    // --- passwords ----------------------------------------------------------------------------

    void withoutAPasswordTheErrorSaysWhereToPutIt()
    {
        if (!requireServer())
            QSKIP("no PostgreSQL fixture");
        const auto r = WorkspaceSource::open(roleUrl());
        QVERIFY(!r);
        const QString m = r.error().message;
        QVERIFY2(m.contains(QLatin1String("no password supplied")), qPrintable(m));
        QVERIFY2(m.contains(QLatin1String("PGPASSWORD")) && m.contains(QLatin1String("~/.pgpass"))
                     && m.contains(QLatin1String("PGSERVICE")),
                 qPrintable(m));
    }

    void passwordFromPGPASSWORD()
    {
        if (!requireServer())
            QSKIP("no PostgreSQL fixture");
        qputenv("PGPASSWORD", m_password.toUtf8());
        const auto r = WorkspaceSource::open(roleUrl());
        QVERIFY2(r, r ? "" : qPrintable(r.error().message));
        const auto rows = (*r)->list();
        QVERIFY2(rows, rows ? "" : qPrintable(rows.error().message));
        QCOMPARE(rows->size(), 1);
        QVERIFY(!(*r)->displayUrl().contains(m_password));
    }

    void passwordFromPasswordFile()
    {
        if (!requireServer())
            QSKIP("no PostgreSQL fixture");
        // ~/.pgpass is found through the account's home directory, not $HOME: the same file
        // named by PGPASSFILE takes the same path through libpq.
        const QString file = m_dir.filePath(QStringLiteral("pgpass"));
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        QString escaped = m_password;
        escaped.replace(u'\\', QStringLiteral("\\\\")).replace(u':', QStringLiteral("\\:"));
        f.write(QStringLiteral("*:*:%1:%2:%3\n").arg(m_db, m_role, escaped).toUtf8());
        f.close();
        QVERIFY(::chmod(QFile::encodeName(file).constData(), 0600) == 0); // libpq insists
        qputenv("PGPASSFILE", QFile::encodeName(file));
        const auto r = WorkspaceSource::open(roleUrl());
        QVERIFY2(r, r ? "" : qPrintable(r.error().message));
        QVERIFY((*r)->list());
    }

    void serviceInTheUrlOrTheEnvironment()
    {
        if (!requireServer())
            QSKIP("no PostgreSQL fixture");
        const QString file = m_dir.filePath(QStringLiteral("pg_service.conf"));
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QStringLiteral("[cpc-test]\nhost=%1\nport=%2\ndbname=%3\nuser=%4\npassword=%5\n")
                    .arg(m_server.host)
                    .arg(m_server.port)
                    .arg(m_db, m_role, m_password)
                    .toUtf8());
        f.close();
        qputenv("PGSERVICEFILE", QFile::encodeName(file));

        auto r = WorkspaceSource::open(QStringLiteral("postgresql://?service=cpc-test"));
        QVERIFY2(r, r ? "" : qPrintable(r.error().message));
        QVERIFY((*r)->list());
        QVERIFY2((*r)->displayUrl().contains(QLatin1String("service=cpc-test")),
                 qPrintable((*r)->displayUrl()));

        qputenv("PGSERVICE", "cpc-test");
        r = WorkspaceSource::open(QStringLiteral("postgresql://"));
        QVERIFY2(r, r ? "" : qPrintable(r.error().message));
        QVERIFY((*r)->list());
    }

    void passwordHandedInByTheCaller()
    {
        if (!requireServer())
            QSKIP("no PostgreSQL fixture");
        SourceOptions options;
        options.password = Secret(m_password);
        auto r = WorkspaceSource::open(roleUrl(), options);
        QVERIFY2(r, r ? "" : qPrintable(r.error().message));
        QVERIFY((*r)->list());
        QVERIFY(!(*r)->displayUrl().contains(m_password));

        // A wrong one fails, and the message holds neither.
        options.password = Secret(QStringLiteral("wrong-%1").arg(randomSuffix()));
        r = WorkspaceSource::open(roleUrl(), options);
        QVERIFY(!r);
        QVERIFY2(r.error().message.contains(QLatin1String("password authentication failed")),
                 qPrintable(r.error().message));
        QVERIFY(!r.error().message.contains(options.password.reveal()));
        QVERIFY(!r.error().message.contains(m_password));

        // A password in the URL wins over the caller's.
        r = WorkspaceSource::open(roleUrl({}, m_password), options);
        QVERIFY2(r, r ? "" : qPrintable(r.error().message));
    }
};

QTEST_GUILESS_MAIN(tst_PgCredentials)
#include "tst_pgcredentials.moc"
