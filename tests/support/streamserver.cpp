#include "streamserver.h"

#include <QMetaObject>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>
#include <QTimer>

namespace cpc::test {

namespace {
constexpr qint64 kChunk = qint64(64) * 1024;
/// What the server keeps queued per socket: enough to keep loopback busy, little enough that
/// the server's own memory stays out of the client's measurement.
constexpr qint64 kQueued = qint64(256) * 1024;

qint64 nowNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}
} // namespace

class StreamWorker : public QObject
{
public:
    StreamWorker(StreamServer::Mode mode, int status, qint64 markAt, bool redirectFirst,
                 std::shared_ptr<StreamServer::State> state)
        : m_mode(mode)
        , m_status(status)
        , m_markAt(markAt)
        , m_redirectFirst(redirectFirst)
        , m_state(std::move(state))
    {
    }

    quint16 listen()
    {
        m_server = new QTcpServer(this);
        connect(m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *s = m_server->nextPendingConnection())
                serve(s);
        });
        return m_server->listen(QHostAddress::LocalHost) ? m_server->serverPort() : 0;
    }

    void shutdown()
    {
        if (m_server)
            m_server->close();
        const auto sockets = findChildren<QTcpSocket *>();
        for (QTcpSocket *s : sockets)
            s->abort();
    }

private:
    void serve(QTcpSocket *socket)
    {
        socket->setParent(this);
        auto request = std::make_shared<QByteArray>();
        auto answering = std::make_shared<bool>(false);
        auto sent = std::make_shared<qint64>(0);
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        connect(socket, &QTcpSocket::readyRead, this, [=, this] {
            request->append(socket->readAll());
            if (*answering || !request->contains("\r\n\r\n"))
                return;
            const qsizetype end = request->indexOf("\r\n\r\n");
            const QByteArray target = request->left(end).split(' ').value(1);
            const qint64 length = [&] {
                for (const QByteArray &line : request->left(end).split('\n')) {
                    if (line.toLower().startsWith("content-length:"))
                        return line.mid(15).trimmed().toLongLong();
                }
                return qint64(0);
            }();
            if (request->size() < end + 4 + length)
                return; // the rest of the request body is on its way
            m_state->requests.fetch_add(1);
            if (m_redirectFirst && !target.startsWith("/redirected")) {
                socket->write("HTTP/1.1 307 Temporary Redirect\r\nLocation: /redirected\r\n"
                              "Content-Length: 0\r\n\r\n");
                request->remove(0, end + 4 + length);
                return; // keep-alive: the redirected request may come on this connection
            }
            *answering = true;
            QByteArray head = "HTTP/1.1 " + QByteArray::number(m_status) + " Status\r\n";
            switch (m_mode) {
            case StreamServer::Mode::Chunked:
                head += "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
                break;
            case StreamServer::Mode::CloseDelimited:
                head += "Content-Type: application/json\r\nConnection: close\r\n\r\n";
                break;
            case StreamServer::Mode::HeaderFlood:
            case StreamServer::Mode::HeaderDrip:
                break;
            }
            socket->write(head);
            if (m_mode == StreamServer::Mode::HeaderDrip)
                drip(socket, sent);
            else
                fill(socket, sent);
        });
        connect(socket, &QTcpSocket::bytesWritten, this, [=, this] {
            if (*answering && m_mode != StreamServer::Mode::HeaderDrip)
                fill(socket, sent);
        });
    }

    void drip(QTcpSocket *socket, const std::shared_ptr<qint64> &sent)
    {
        if (socket->state() != QAbstractSocket::ConnectedState)
            return;
        const QByteArray line = "X-Pad-" + QByteArray::number(*sent) + ": slowly\r\n";
        socket->write(line);
        *sent += line.size();
        m_state->sent.fetch_add(line.size());
        QTimer::singleShot(20, socket, [=, this] { drip(socket, sent); });
    }

    void fill(QTcpSocket *socket, const std::shared_ptr<qint64> &sent)
    {
        static const QByteArray payload = [] {
            QByteArray p(kChunk, 'x');
            p.replace(0, 11, "{\"output\":\"");
            return p;
        }();
        while (socket->state() == QAbstractSocket::ConnectedState
               && socket->bytesToWrite() < kQueued) {
            QByteArray piece;
            qint64 counted = 0;
            switch (m_mode) {
            case StreamServer::Mode::Chunked:
                piece = QByteArray::number(kChunk, 16) + "\r\n" + payload + "\r\n";
                counted = kChunk;
                break;
            case StreamServer::Mode::CloseDelimited:
                piece = payload;
                counted = kChunk;
                break;
            case StreamServer::Mode::HeaderDrip:
            case StreamServer::Mode::HeaderFlood:
                // Many short, valid lines: what a broken proxy looping on a header would send.
                for (int i = 0; i < 512; ++i)
                    piece += "X-Pad-" + QByteArray::number(*sent + i) + ": " + QByteArray(100, 'h')
                        + "\r\n";
                counted = piece.size();
                break;
            }
            socket->write(piece);
            *sent += counted;
            m_state->sent.fetch_add(counted);
            qint64 expected = -1;
            if (*sent >= m_markAt)
                m_state->markNs.compare_exchange_strong(expected, nowNs());
        }
    }

    StreamServer::Mode m_mode;
    int m_status;
    qint64 m_markAt;
    bool m_redirectFirst;
    std::shared_ptr<StreamServer::State> m_state;
    QTcpServer *m_server = nullptr;
};

StreamServer::StreamServer(Mode mode, int status, qint64 markAt, bool redirectFirst)
    : m_state(std::make_shared<State>())
    , m_thread(new QThread)
{
    m_worker = new StreamWorker(mode, status, markAt, redirectFirst, m_state);
    m_worker->moveToThread(m_thread);
    m_thread->start();
    QMetaObject::invokeMethod(
        m_worker, [this] { m_port = m_worker->listen(); }, Qt::BlockingQueuedConnection);
    if (m_port == 0)
        qFatal("stream server could not listen");
}

StreamServer::~StreamServer()
{
    QMetaObject::invokeMethod(
        m_worker, [this] { m_worker->shutdown(); }, Qt::BlockingQueuedConnection);
    m_thread->quit();
    m_thread->wait();
    delete m_worker; // its thread has stopped: safe from here
    delete m_thread;
}

QUrl StreamServer::baseUrl() const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_port));
}

std::optional<std::chrono::steady_clock::time_point> StreamServer::markTime() const
{
    const qint64 ns = m_state->markNs.load();
    if (ns < 0)
        return std::nullopt;
    return std::chrono::steady_clock::time_point(std::chrono::nanoseconds(ns));
}

} // namespace cpc::test
