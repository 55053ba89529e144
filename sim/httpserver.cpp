#include "httpserver.h"

#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

#include <algorithm>

namespace cpc {

QByteArray HttpRequest::header(const QByteArray &name) const
{
    for (const auto &[n, v] : headers) {
        if (n.compare(name, Qt::CaseInsensitive) == 0)
            return v;
    }
    return {};
}

bool HttpRequest::hasHeader(const QByteArray &name) const
{
    for (const auto &h : headers) {
        if (h.first.compare(name, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

HttpResponse HttpResponse::json(int status, const QByteArray &body)
{
    HttpResponse r;
    r.status = status;
    r.setHeader("Content-Type", "application/json");
    r.body = body;
    return r;
}

HttpResponse HttpResponse::text(int status, const QByteArray &body)
{
    HttpResponse r;
    r.status = status;
    r.setHeader("Content-Type", "text/plain; charset=utf-8");
    r.body = body;
    return r;
}

namespace {

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 202:
        return "Accepted";
    case 204:
        return "No Content";
    case 301:
        return "Moved Permanently";
    case 302:
        return "Found";
    case 307:
        return "Temporary Redirect";
    case 308:
        return "Permanent Redirect";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 408:
        return "Request Timeout";
    case 409:
        return "Conflict";
    case 413:
        return "Payload Too Large";
    case 422:
        return "Unprocessable Entity";
    case 429:
        return "Too Many Requests";
    case 500:
        return "Internal Server Error";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    case 504:
        return "Gateway Timeout";
    default:
        return "Status";
    }
}

/// One client connection: parses requests, hands them to the handler, writes the answers.
class Connection : public QObject
{
public:
    Connection(QTcpSocket *socket, MiniHttpServer::Handler handler,
               std::shared_ptr<MiniHttpServer::Load> load)
        : QObject(socket)
        , m_socket(socket)
        , m_handler(std::move(handler))
        , m_load(std::move(load))
    {
        m_drip.setSingleShot(false);
        connect(m_socket, &QTcpSocket::readyRead, this, &Connection::onReadyRead);
        connect(m_socket, &QTcpSocket::disconnected, this, [this] {
            m_drip.stop();
            m_socket->deleteLater();
        });
        connect(&m_drip, &QTimer::timeout, this, &Connection::dripOnce);
    }
    ~Connection() override { setBusy(false); }

private:
    void setBusy(bool busy)
    {
        if (busy == m_busy)
            return;
        m_busy = busy;
        m_load->now += busy ? 1 : -1;
        m_load->peak = std::max(m_load->peak, m_load->now);
    }

    void onReadyRead()
    {
        m_in.append(m_socket->readAll());
        if (m_in.size() > MiniHttpServer::kMaxRequestBody + qint64(64) * 1024 && !m_busy) {
            m_socket->abort();
            return;
        }
        processNext();
    }

    void processNext()
    {
        if (m_busy)
            return;
        const qsizetype end = m_in.indexOf("\r\n\r\n");
        if (end < 0) {
            if (m_in.size() > qsizetype(64) * 1024)
                m_socket->abort();
            return;
        }
        HttpRequest req;
        const QList<QByteArray> lines = m_in.left(end).split('\n');
        const QList<QByteArray> first = lines.value(0).trimmed().split(' ');
        if (first.size() != 3) {
            m_socket->abort();
            return;
        }
        req.method = first[0];
        req.target = first[1];
        qint64 contentLength = 0;
        bool close = first[2] == "HTTP/1.0";
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QByteArray line = lines[i].trimmed();
            const qsizetype colon = line.indexOf(':');
            if (colon <= 0)
                continue;
            const QByteArray name = line.left(colon).trimmed();
            const QByteArray value = line.mid(colon + 1).trimmed();
            req.headers.append(qMakePair(name, value));
            if (name.compare("Content-Length", Qt::CaseInsensitive) == 0)
                contentLength = value.toLongLong();
            if (name.compare("Connection", Qt::CaseInsensitive) == 0)
                close = value.compare("close", Qt::CaseInsensitive) == 0;
        }
        if (contentLength < 0 || contentLength > MiniHttpServer::kMaxRequestBody) {
            setBusy(true);
            send(HttpResponse::text(413, "request body too large\n"), true);
            return;
        }
        if (m_in.size() < end + 4 + contentLength)
            return; // wait for the rest of the body
        req.body = m_in.mid(end + 4, contentLength);
        m_in.remove(0, end + 4 + contentLength);
        const qsizetype q = req.target.indexOf('?');
        req.path = q < 0 ? req.target : req.target.left(q);
        if (q >= 0)
            req.query.setQuery(QString::fromUtf8(req.target.mid(q + 1)));

        setBusy(true);
        QPointer<Connection> self(this);
        m_handler(req, [self, close](const HttpResponse &r) {
            if (self)
                self->send(r, close);
        });
    }

    void send(const HttpResponse &r, bool closeAfter)
    {
        if (r.closeWithoutAnswer) {
            m_socket->disconnectFromHost();
            return;
        }
        QByteArray bytes = r.raw;
        if (bytes.isEmpty()) {
            bytes = "HTTP/1.1 " + QByteArray::number(r.status) + ' '
                + (r.reason.isEmpty() ? reasonPhrase(r.status) : r.reason) + "\r\n";
            bool hasLength = false;
            for (const auto &[n, v] : r.headers) {
                bytes += n + ": " + v + "\r\n";
                hasLength |= n.compare("Content-Length", Qt::CaseInsensitive) == 0;
            }
            if (!hasLength)
                bytes += "Content-Length: " + QByteArray::number(r.body.size()) + "\r\n";
            if (closeAfter)
                bytes += "Connection: close\r\n";
            bytes += "\r\n" + r.body;
        }
        m_out = bytes;
        m_sent = 0;
        m_dropAfter = r.dropAfterBytes;
        m_closeAfter = closeAfter || r.dropAfterBytes >= 0 || !r.raw.isEmpty();
        m_dripBytes = std::max(1, r.dripBytes);
        auto begin = [this, interval = r.dripIntervalMs] {
            if (interval > 0) {
                m_drip.start(interval);
                dripOnce();
            } else {
                writeChunk(m_out.size());
            }
        };
        if (r.delayMs > 0)
            QTimer::singleShot(r.delayMs, this, begin);
        else
            begin();
    }

    void dripOnce() { writeChunk(m_dripBytes); }

    void writeChunk(qint64 n)
    {
        if (m_socket->state() != QAbstractSocket::ConnectedState) {
            m_drip.stop();
            return;
        }
        qint64 limit = m_out.size();
        if (m_dropAfter >= 0)
            limit = std::min(limit, m_dropAfter);
        const qint64 count = std::min(n, limit - m_sent);
        if (count > 0) {
            m_socket->write(m_out.constData() + m_sent, count);
            m_sent += count;
        }
        if (m_sent < limit)
            return;
        m_drip.stop();
        m_out.clear();
        setBusy(false);
        if (m_dropAfter >= 0) {
            m_socket->flush();
            m_socket->abort();
            return;
        }
        if (m_closeAfter) {
            m_socket->disconnectFromHost();
            return;
        }
        if (!m_in.isEmpty())
            QTimer::singleShot(0, this, [this] { processNext(); });
    }

    QTcpSocket *m_socket;
    MiniHttpServer::Handler m_handler;
    std::shared_ptr<MiniHttpServer::Load> m_load;
    QByteArray m_in;
    QByteArray m_out;
    qint64 m_sent = 0;
    qint64 m_dropAfter = -1;
    int m_dripBytes = 1;
    bool m_closeAfter = false;
    bool m_busy = false;
    QTimer m_drip;
};

} // namespace

MiniHttpServer::MiniHttpServer(Handler handler, QObject *parent)
    : QObject(parent)
    , m_server(new QTcpServer(this))
    , m_handler(std::move(handler))
{
    m_server->setMaxPendingConnections(1024);
    connect(m_server, &QTcpServer::newConnection, this, &MiniHttpServer::onNewConnection);
}

MiniHttpServer::~MiniHttpServer() = default;

bool MiniHttpServer::listen(const QHostAddress &address, quint16 port)
{
    return m_server->listen(address, port);
}

void MiniHttpServer::close()
{
    m_server->close();
    const auto sockets = m_server->findChildren<QTcpSocket *>();
    for (QTcpSocket *s : sockets)
        s->abort();
}

quint16 MiniHttpServer::port() const
{
    return m_server->serverPort();
}

QUrl MiniHttpServer::baseUrl() const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port()));
}

QString MiniHttpServer::errorString() const
{
    return m_server->errorString();
}

int MiniHttpServer::openConnections() const
{
    return int(m_server->findChildren<QTcpSocket *>().size());
}

void MiniHttpServer::onNewConnection()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection())
        new Connection(socket, m_handler, m_load);
}

} // namespace cpc
