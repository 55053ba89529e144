// A PostgreSQL password never needs to be in a URL (argv, QSettings): libpq's own PGPASSWORD,
// password file (~/.pgpass, or PGPASSFILE) and services (PGSERVICE, service=) are honoured, and
// a password handed in by the caller (the profile's, from the keychain) is used when the URL
// has none. A host that is not this machine is reached with sslmode=verify-full unless the URL
// (or PGSSLMODE) says otherwise, and a server without TLS gives a clear error. Runs against the
// real server of tests/pg-fixture.sh, with a role of its own that must give a password.
#include "dburl.h"
#include "pgpasswordrole.h"
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
    test::PgPasswordRole m_pg;
    bool m_haveServer = false;

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
        QString whyNot;
        m_haveServer = m_pg.setUp(&whyNot);
        if (!m_haveServer
            && (qEnvironmentVariable("CPC_REQUIRE_PG") == QLatin1String("1")
                || qEnvironmentVariable("CI") == QLatin1String("true")))
            QFAIL(qPrintable(QStringLiteral("PostgreSQL is required (CPC_REQUIRE_PG=1 or "
                                            "CI=true): %1")
                                 .arg(whyNot)));
        // Without a server the URL cases below still run.
    }

    void cleanupTestCase() { m_pg.teardown(); }

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

    void passwordTakenOutOfAUrl_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("without");
        QTest::addColumn<QString>("password");
        QTest::newRow("user:password@") << "postgresql://ops:s3cret@db.example/platform"
                                        << "postgresql://ops@db.example/platform"
                                        << "s3cret";
        QTest::newRow("encoded, IPv6, options")
            << "postgres://ops:p%40ss%2Fw%3Ard@[::1]:5432/db?sslmode=require"
            << "postgres://ops@[::1]:5432/db?sslmode=require"
            << "p@ss/w:rd";
        QTest::newRow("password parameter")
            << "postgresql://ops@/db?host=/run/pg&password=s3cret&port=5433"
            << "postgresql://ops@/db?host=/run/pg&port=5433"
            << "s3cret";
        QTest::newRow("none: as written") << "postgresql://ops@db.example/platform?sslmode=require"
                                          << "postgresql://ops@db.example/platform?sslmode=require"
                                          << "";
        QTest::newRow("sqlite: as written") << "sqlite:/tmp/user:pw@host.sqlite"
                                            << "sqlite:/tmp/user:pw@host.sqlite"
                                            << "";
    }
    void passwordTakenOutOfAUrl()
    {
        QFETCH(QString, url);
        QFETCH(QString, without);
        QFETCH(QString, password);
        const UrlWithoutPassword split = splitPassword(url);
        QCOMPARE(split.url, without);
        QCOMPARE(split.password.reveal(), password);
        if (url.startsWith(QLatin1String("postgres"))) {
            const auto parsed = DbUrl::parse(split.url);
            QVERIFY2(parsed, parsed ? "" : qPrintable(parsed.error().message));
            QVERIFY(parsed->password.isEmpty());
        }
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
        TcpToSocket proxy(
            QStringLiteral("%1/.s.PGSQL.%2").arg(m_pg.server.host).arg(m_pg.server.port));
        QVERIFY(proxy.port() > 0);
        const QString base = QStringLiteral("postgresql://%1@127.0.0.1:%2/%3")
                                 .arg(m_pg.server.user)
                                 .arg(proxy.port())
                                 .arg(m_pg.database);
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
        const auto r = WorkspaceSource::open(m_pg.url());
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
        qputenv("PGPASSWORD", m_pg.password.toUtf8());
        const auto r = WorkspaceSource::open(m_pg.url());
        QVERIFY2(r, r ? "" : qPrintable(r.error().message));
        const auto rows = (*r)->list();
        QVERIFY2(rows, rows ? "" : qPrintable(rows.error().message));
        QCOMPARE(rows->size(), 1);
        QVERIFY(!(*r)->displayUrl().contains(m_pg.password));
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
        QString escaped = m_pg.password;
        escaped.replace(u'\\', QStringLiteral("\\\\")).replace(u':', QStringLiteral("\\:"));
        f.write(QStringLiteral("*:*:%1:%2:%3\n").arg(m_pg.database, m_pg.role, escaped).toUtf8());
        f.close();
        QVERIFY(::chmod(QFile::encodeName(file).constData(), 0600) == 0); // libpq insists
        qputenv("PGPASSFILE", QFile::encodeName(file));
        const auto r = WorkspaceSource::open(m_pg.url());
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
                    .arg(m_pg.server.host)
                    .arg(m_pg.server.port)
                    .arg(m_pg.database, m_pg.role, m_pg.password)
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
        options.password = Secret(m_pg.password);
        auto r = WorkspaceSource::open(m_pg.url(), options);
        QVERIFY2(r, r ? "" : qPrintable(r.error().message));
        QVERIFY((*r)->list());
        QVERIFY(!(*r)->displayUrl().contains(m_pg.password));

        // A wrong one fails, and the message holds neither.
        options.password
            = Secret(QStringLiteral("wrong-%1").arg(test::PgPasswordRole::randomSuffix()));
        r = WorkspaceSource::open(m_pg.url(), options);
        QVERIFY(!r);
        QVERIFY2(r.error().message.contains(QLatin1String("password authentication failed")),
                 qPrintable(r.error().message));
        QVERIFY(!r.error().message.contains(options.password.reveal()));
        QVERIFY(!r.error().message.contains(m_pg.password));

        // A password in the URL wins over the caller's.
        r = WorkspaceSource::open(m_pg.url(m_pg.password), options);
        QVERIFY2(r, r ? "" : qPrintable(r.error().message));
    }
};

QTEST_GUILESS_MAIN(tst_PgCredentials)
#include "tst_pgcredentials.moc"
