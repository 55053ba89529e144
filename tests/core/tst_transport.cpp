// The client's HTTP/1.1 transport against real loopback servers: TLS (trusted and not), an
// HTTP CONNECT proxy, kept-alive connections, redirects, and the framings a CP or a proxy may
// use.
#include "cpcalls.h"
#include "cpclient.h"
#include "testserver.h"
#include "testutil.h"

#include <QFile>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslServer>
#include <QSslSocket>
#include <QTcpServer>
#include <QTcpSocket>
#include <QtTest>

using namespace cpc;
using namespace cpc::test;

namespace {
const QString kWs = QStringLiteral("3f2b8c1e-9d4a-4b6e-8f00-1a2b3c4d5e6f");
const QString kIid = QStringLiteral("i-0abc123def4567890");

QSslCertificate loopbackCertificate()
{
    QFile f(QStringLiteral(CPC_TESTDATA_DIR "/tls/loopback.crt"));
    return f.open(QIODevice::ReadOnly) ? QSslCertificate(&f, QSsl::Pem) : QSslCertificate();
}

/// An https CP on 127.0.0.1 with the test certificate: answers every request with `running`.
class TlsServer : public QObject
{
public:
    TlsServer()
    {
        QFile keyFile(QStringLiteral(CPC_TESTDATA_DIR "/tls/loopback.key"));
        keyFile.open(QIODevice::ReadOnly);
        QSslConfiguration conf = QSslConfiguration::defaultConfiguration();
        conf.setLocalCertificate(loopbackCertificate());
        conf.setPrivateKey(QSslKey(&keyFile, QSsl::Rsa, QSsl::Pem));
        conf.setPeerVerifyMode(QSslSocket::VerifyNone);
        m_server.setSslConfiguration(conf);
        connect(&m_server, &QSslServer::pendingConnectionAvailable, this, [this] {
            while (QTcpSocket *s = m_server.nextPendingConnection())
                serve(s);
        });
        connect(&m_server, &QSslServer::errorOccurred, this,
                [this](QSslSocket *, QAbstractSocket::SocketError) { ++handshakeFailures; });
        m_server.listen(QHostAddress::LocalHost);
    }
    QUrl baseUrl() const
    {
        return QUrl(QStringLiteral("https://127.0.0.1:%1").arg(m_server.serverPort()));
    }
    quint16 port() const { return m_server.serverPort(); }
    int requests = 0;
    int handshakeFailures = 0;

private:
    void serve(QTcpSocket *s)
    {
        auto in = std::make_shared<QByteArray>();
        connect(s, &QTcpSocket::readyRead, s, [this, s, in] {
            in->append(s->readAll());
            while (in->contains("\r\n\r\n")) {
                in->remove(0, in->indexOf("\r\n\r\n") + 4);
                ++requests;
                s->write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                         "Content-Length: 19\r\n\r\n{\"state\":\"running\"}");
            }
        });
        connect(s, &QTcpSocket::disconnected, s, &QObject::deleteLater);
    }
    QSslServer m_server;
};

/// An HTTP proxy that only tunnels (CONNECT), as corporate proxies for https do.
class ConnectProxy : public QObject
{
public:
    ConnectProxy()
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *s = m_server.nextPendingConnection())
                serve(s);
        });
        m_server.listen(QHostAddress::LocalHost);
    }
    quint16 port() const { return m_server.serverPort(); }
    QList<QByteArray> connects; ///< the CONNECT request lines

private:
    void serve(QTcpSocket *client)
    {
        auto in = std::make_shared<QByteArray>();
        auto *upstream = new QTcpSocket(client);
        connect(client, &QTcpSocket::readyRead, client, [this, client, upstream, in] {
            if (upstream->state() == QAbstractSocket::ConnectedState) {
                upstream->write(client->readAll());
                return;
            }
            in->append(client->readAll());
            const qsizetype end = in->indexOf("\r\n\r\n");
            if (end < 0 || upstream->state() != QAbstractSocket::UnconnectedState)
                return;
            const QByteArray line = in->left(in->indexOf("\r\n"));
            connects << line;
            const QList<QByteArray> parts = line.split(' ');
            const QList<QByteArray> hostPort = parts.value(1).split(':');
            if (parts.value(0) != "CONNECT" || hostPort.size() != 2) {
                client->write("HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n");
                client->disconnectFromHost();
                return;
            }
            in->remove(0, end + 4);
            connect(upstream, &QTcpSocket::connected, client, [client, upstream, in] {
                client->write("HTTP/1.1 200 Connection established\r\n\r\n");
                if (!in->isEmpty())
                    upstream->write(*in);
            });
            connect(upstream, &QTcpSocket::readyRead, client,
                    [client, upstream] { client->write(upstream->readAll()); });
            connect(upstream, &QTcpSocket::disconnected, client, &QTcpSocket::disconnectFromHost);
            upstream->connectToHost(QString::fromLatin1(hostPort[0]), hostPort[1].toUShort());
        });
        connect(client, &QTcpSocket::disconnected, client, &QObject::deleteLater);
    }
    QTcpServer m_server;
};
} // namespace

class tst_Transport : public QObject
{
    Q_OBJECT

    CpConfig config(const QUrl &base) const
    {
        CpConfig c;
        c.orgId = QStringLiteral("org-42");
        c.baseUrl = base;
        c.sharedSecret = Secret(QStringLiteral("transport-5ecr3t"));
        c.requestTimeoutMs = 5000;
        return c;
    }
    static StatusResult status(CpClient &c) { return runStatus(c, kWs, kIid); }
    QString why(const StatusResult &s) const { return s.error ? s.error->message : QString(); }

    /// Runs a call; its error, or nothing when it succeeded.
    std::optional<Error> run(Call call, CpClient &c)
    {
        std::optional<Error> error;
        bool done = false;
        auto take = [&](const auto &r) {
            done = true;
            if (!r)
                error = r.error();
        };
        switch (call) {
        case Call::Provision: {
            ProvisionRequest r;
            r.workspaceId = kWs;
            r.runtime = QStringLiteral("python");
            c.provision(r, this, take);
            break;
        }
        case Call::Stop:
            c.stop(kWs, kIid, this, take);
            break;
        case Call::Status:
            c.status(kWs, kIid, this, [&](const StatusResult &s) {
                done = true;
                error = s.error;
            });
            break;
        case Call::Console:
            c.consoleOutput(kWs, this, take);
            break;
        }
        [&] {
            QTRY_VERIFY_WITH_TIMEOUT(done, 20000);
        }();
        return error;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(QSslSocket::supportsSsl());
        QVERIFY(!loopbackCertificate().isNull());
    }

    void untrustedCertificateIsRefused()
    {
        TlsServer server;
        QNetworkAccessManager nam;
        CpClient c(&nam, config(server.baseUrl()));
        const StatusResult s = status(c);
        QCOMPARE(s.state, RunState::Unknown);
        QCOMPARE(s.error->kind, Error::Kind::Transport);
        QVERIFY2(why(s).contains(QLatin1String("TLS handshake failed (certificate not trusted?)")),
                 qPrintable(why(s)));
        QCOMPARE(server.requests, 0);
    }

    void trustedCertificateIsAccepted()
    {
        TlsServer server;
        const QSslConfiguration saved = QSslConfiguration::defaultConfiguration();
        QSslConfiguration trusting = saved;
        trusting.addCaCertificate(loopbackCertificate());
        QSslConfiguration::setDefaultConfiguration(trusting);
        QNetworkAccessManager nam;
        CpClient c(&nam, config(server.baseUrl()));
        const StatusResult first = status(c);
        const StatusResult second = status(c);
        QSslConfiguration::setDefaultConfiguration(saved);
        QCOMPARE(first.state, RunState::Running);
        QCOMPARE(second.state, RunState::Running);
        QCOMPARE(server.requests, 2);
        QCOMPARE(server.handshakeFailures, 0);
    }

    void proxyTunnelsTheRequest_data()
    {
        QTest::addColumn<bool>("tls");
        QTest::newRow("http") << false;
        QTest::newRow("https") << true;
    }
    void proxyTunnelsTheRequest()
    {
        QFETCH(bool, tls);
        TestServer plain;
        plain.setFallback(HttpResponse::json(200, R"({"state":"running"})"));
        TlsServer secure;
        const QUrl base = tls ? secure.baseUrl() : plain.baseUrl();
        ConnectProxy proxy;
        const QSslConfiguration saved = QSslConfiguration::defaultConfiguration();
        QSslConfiguration trusting = saved;
        trusting.addCaCertificate(loopbackCertificate());
        QSslConfiguration::setDefaultConfiguration(trusting);
        QNetworkAccessManager nam;
        nam.setProxy(
            QNetworkProxy(QNetworkProxy::HttpProxy, QStringLiteral("127.0.0.1"), proxy.port()));
        CpClient c(&nam, config(base));
        const StatusResult s = status(c);
        QSslConfiguration::setDefaultConfiguration(saved);
        QCOMPARE(s.state, RunState::Running);
        QCOMPARE(proxy.connects.size(), 1);
        QCOMPARE(proxy.connects.first(),
                 "CONNECT 127.0.0.1:" + QByteArray::number(base.port()) + " HTTP/1.1");
        QCOMPARE(tls ? secure.requests : plain.requestCount(), 1);
    }

    void keptAliveConnectionIsReused()
    {
        TestServer server;
        server.setFallback(HttpResponse::json(200, R"({"state":"running"})"));
        QNetworkAccessManager nam;
        CpClient c(&nam, config(server.baseUrl()));
        for (int i = 0; i < 3; ++i)
            QCOMPARE(status(c).state, RunState::Running);
        QCOMPARE(server.requestCount(), 3);
        QCOMPARE(server.openConnections(), 1);
    }

    void staleKeptAliveConnectionIsRetriedOnce()
    {
        // The server drops the kept-alive connection as the second request arrives (a load
        // balancer's idle timeout racing the client): the request goes once more on a new
        // connection, and the caller never sees the race.
        TestServer server;
        server.enqueue(HttpResponse::json(200, R"({"state":"running"})"));
        HttpResponse gone;
        gone.closeWithoutAnswer = true;
        server.enqueue(gone);
        server.setFallback(HttpResponse::json(200, R"({"state":"stopped"})"));
        QNetworkAccessManager nam;
        CpClient c(&nam, config(server.baseUrl()));
        QCOMPARE(status(c).state, RunState::Running);
        const StatusResult s = status(c);
        QCOMPARE(s.state, RunState::NotRunning);
        QCOMPARE(server.requestCount(), 3);
    }

    // --- redirects, followed by the client itself ------------------------------------------
    void redirectLoopSaysTooManyRedirects_data()
    {
        QTest::addColumn<Call>("call");
        QTest::newRow("provision") << Call::Provision;
        QTest::newRow("stop") << Call::Stop;
        QTest::newRow("status") << Call::Status;
        QTest::newRow("console") << Call::Console;
    }
    void redirectLoopSaysTooManyRedirects()
    {
        QFETCH(Call, call);
        TestServer server;
        int hops = 0;
        server.setHandler([&server, &hops](const HttpRequest &) {
            HttpResponse r;
            r.status = 302;
            r.setHeader("Location",
                        server.baseUrl().toEncoded() + "/loop/" + QByteArray::number(++hops % 2));
            return r;
        });
        QNetworkAccessManager nam;
        CpClient c(&nam, config(server.baseUrl()));
        c.setRetryPolicy(RetryPolicy::immediate(3));
        const auto e = run(call, c);
        QVERIFY(e);
        QCOMPARE(e->kind, Error::Kind::HttpStatus); // not transient: provision does not retry
        QCOMPARE(e->httpStatus, 302);
        QVERIFY2(e->message.contains(QLatin1String("too many redirects")), qPrintable(e->message));
        QCOMPARE(server.requestCount(), 1 + 5); // the request and five redirects followed
    }

    void redirectKeepsMethodAndBody_data()
    {
        QTest::addColumn<Call>("call");
        QTest::addColumn<int>("status");
        for (int status : { 301, 302, 303, 307, 308 }) {
            QTest::addRow("stop %d", status) << Call::Stop << status;
            QTest::addRow("provision %d", status) << Call::Provision << status;
        }
    }
    void redirectKeepsMethodAndBody()
    {
        QFETCH(Call, call);
        QFETCH(int, status);
        // The moved route answers any method: a stop turned into a GET would "succeed" there
        // without stopping anything.
        TestServer server;
        server.setHandler([status](const HttpRequest &req) {
            if (req.path.startsWith("/moved"))
                return HttpResponse::json(req.method == "POST" ? 201 : 200,
                                          R"({"instance_id":"i-moved"})");
            HttpResponse r;
            r.status = status;
            r.setHeader("Location", "/moved" + req.target);
            return r;
        });
        QNetworkAccessManager nam;
        CpClient c(&nam, config(server.baseUrl()));
        const auto e = run(call, c);
        QVERIFY2(!e, qPrintable(e ? e->message : QString()));
        QCOMPARE(server.requestCount(), 2);
        const HttpRequest &first = server.requests().at(0);
        const HttpRequest &second = server.requests().at(1);
        QCOMPARE(second.method, first.method);
        QCOMPARE(second.body, first.body);
        QCOMPARE(second.target, "/moved" + first.target);
        QCOMPARE(second.header("Authorization"), first.header("Authorization"));
    }

    void framing_data()
    {
        QTest::addColumn<QByteArray>("raw");
        QTest::addColumn<QString>("expected"); // a run state name, or the error's text
        QTest::newRow("chunked, extensions and trailers") << QByteArray(
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
            "5;ext=1\r\n{\"sta\r\n0E\r\nte\":\"running\"}\r\n0\r\nX-Trailer: 1\r\n\r\n")
                                                          << "running";
        QTest::newRow("interim 100 Continue first") << QByteArray(
            "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 19\r\n\r\n"
            "{\"state\":\"running\"}") << "running";
        QTest::newRow("bare LF line ends")
            << QByteArray("HTTP/1.1 200 OK\nContent-Length: 19\n\n{\"state\":\"running\"}")
            << "running";
        QTest::newRow("HTTP/1.0 until close")
            << QByteArray("HTTP/1.0 200 OK\r\n\r\n{\"state\":\"running\"}") << "running";
        QTest::newRow("conflicting Content-Length")
            << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 19\r\nContent-Length: 20\r\n\r\n"
                          "{\"state\":\"running\"}")
            << "malformed HTTP from the CP";
        QTest::newRow("bad chunk size")
            << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")
            << "malformed HTTP from the CP";
        QTest::newRow("chunked cut off")
            << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n40\r\n{\"state\"")
            << "connection closed by the CP before a complete answer";
        QTest::newRow("header without a name")
            << QByteArray("HTTP/1.1 200 OK\r\n: x\r\nContent-Length: 2\r\n\r\n{}")
            << "malformed HTTP from the CP";
    }
    void framing()
    {
        QFETCH(QByteArray, raw);
        QFETCH(QString, expected);
        TestServer server;
        HttpResponse r;
        r.raw = raw; // sent as is, then the connection is closed
        server.setFallback(r);
        QNetworkAccessManager nam;
        CpClient c(&nam, config(server.baseUrl()));
        const StatusResult s = status(c);
        if (s.state == RunState::Unknown)
            QVERIFY2(why(s).contains(expected), qPrintable(why(s)));
        else
            QCOMPARE(runStateName(s.state), expected);
    }
};

QTEST_GUILESS_MAIN(tst_Transport)
#include "tst_transport.moc"
