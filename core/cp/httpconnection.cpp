#include "httpconnection.h"

#include "logging.h"

#include <QPointer>
#include <QSslSocket>
#include <QTcpSocket>

namespace cpc {

namespace {
constexpr int kIdleMs = 30'000;
constexpr qsizetype kChunkLineCap = 1024;

int defaultPort(const QUrl &url)
{
    return url.scheme().compare(QLatin1String("https"), Qt::CaseInsensitive) == 0 ? 443 : 80;
}

bool isHttps(const QUrl &url)
{
    return url.scheme().compare(QLatin1String("https"), Qt::CaseInsensitive) == 0;
}

/// The comma-separated tokens of a header value, lower case.
QList<QByteArray> tokens(const QByteArray &value)
{
    QList<QByteArray> out;
    for (const QByteArray &t : value.split(','))
        out << t.trimmed().toLower();
    return out;
}
} // namespace

QByteArray HttpHead::header(const QByteArray &name) const
{
    for (const auto &[n, v] : headers) {
        if (n.compare(name, Qt::CaseInsensitive) == 0)
            return v;
    }
    return {};
}

HttpConnection::HttpConnection(const QUrl &origin, const QNetworkProxy &proxy, QObject *parent)
    : QObject(parent)
    , m_origin(origin)
{
    if (isHttps(origin)) {
        auto *tls = new QSslSocket(this);
        connect(tls, &QSslSocket::encrypted, this, &HttpConnection::onConnected);
        // sslErrors is deliberately not handled: certificate errors are never ignored, so the
        // handshake fails and errorOccurred reports it.
        m_socket = tls;
    } else {
        m_socket = new QTcpSocket(this);
        connect(m_socket, &QTcpSocket::connected, this, &HttpConnection::onConnected);
    }
    // The socket stops taking bytes from the kernel when this much is unread: a server that
    // streams faster than the answer is consumed is held back by TCP, not by our memory.
    m_socket->setReadBufferSize(kSocketBuffer);
    m_socket->setProxy(proxy);
    connect(m_socket, &QTcpSocket::readyRead, this, &HttpConnection::onReadyRead);
    connect(m_socket, &QTcpSocket::disconnected, this, &HttpConnection::onDisconnected);
    connect(m_socket, &QTcpSocket::errorOccurred, this, &HttpConnection::onSocketError);
    m_idle.setSingleShot(true);
    connect(&m_idle, &QTimer::timeout, this, [this] {
        if (m_state != State::Idle)
            return;
        close();
        Q_EMIT closed();
    });
}

HttpConnection::~HttpConnection()
{
    m_socket->disconnect(this);
    m_socket->abort();
}

QString HttpConnection::originKey(const QUrl &url)
{
    return url.scheme().toLower() + QStringLiteral("://") + url.host().toLower() + u':'
        + QString::number(url.port(defaultPort(url)));
}

void HttpConnection::send(const QByteArray &method, const QUrl &url,
                          const QList<QPair<QByteArray, QByteArray>> &headers,
                          const QByteArray &body)
{
    QByteArray target
        = url.toEncoded(QUrl::RemoveScheme | QUrl::RemoveAuthority | QUrl::RemoveFragment);
    if (!target.startsWith('/'))
        target.prepend('/');
    QByteArray host = url.host(QUrl::FullyEncoded).toUtf8();
    if (host.contains(':'))
        host = '[' + host + ']';
    if (url.port() != -1 && url.port() != defaultPort(url))
        host += ':' + QByteArray::number(url.port());

    QByteArray req = method + ' ' + target + " HTTP/1.1\r\nHost: " + host + "\r\n";
    for (const auto &[name, value] : headers)
        req += name + ": " + value + "\r\n";
    if (!body.isEmpty() || method == "POST" || method == "PUT" || method == "PATCH")
        req += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    req += "\r\n" + body;

    m_method = method;
    m_in.clear();
    m_headBytes = 0;
    m_answerStarted = false;
    m_keepAlive = true;
    m_framing = Framing::None;
    m_length = 0;
    m_received = 0;
    m_chunkState = ChunkState::Size;
    m_chunkLeft = 0;
    m_idle.stop();

    if (m_state == State::Idle) {
        m_state = State::AwaitingHead;
        m_socket->write(req);
        return;
    }
    m_pendingRequest = req;
    m_state = State::Connecting;
    if (isHttps(m_origin)) {
        if (!QSslSocket::supportsSsl()) {
            // Reported from the event loop, like every other outcome of send().
            QMetaObject::invokeMethod(
                this,
                [this, generation = m_generation] {
                    if (generation == m_generation && m_state == State::Connecting)
                        fail(QStringLiteral("TLS is not available on this system"));
                },
                Qt::QueuedConnection);
            return;
        }
        static_cast<QSslSocket *>(m_socket)->connectToHostEncrypted(m_origin.host(),
                                                                    quint16(m_origin.port(443)));
    } else {
        m_socket->connectToHost(m_origin.host(), quint16(m_origin.port(80)));
    }
}

void HttpConnection::abort()
{
    ++m_generation;
    close();
}

void HttpConnection::onConnected()
{
    if (m_state != State::Connecting)
        return;
    m_state = State::AwaitingHead;
    m_socket->write(m_pendingRequest);
    m_pendingRequest.clear();
}

void HttpConnection::onReadyRead()
{
    if (m_state == State::AwaitingHead || m_state == State::Body) {
        m_in += m_socket->readAll();
        process();
        return;
    }
    if (m_state == State::Idle) {
        // Bytes nobody asked for: the connection is no longer in a known state.
        close();
        Q_EMIT closed();
        return;
    }
    m_socket->readAll();
}

void HttpConnection::process()
{
    const quint64 generation = m_generation;
    QPointer<HttpConnection> self(this);
    while (self && generation == m_generation) {
        if (m_state == State::AwaitingHead) {
            if (!m_in.isEmpty())
                m_answerStarted = true;
            const qsizetype end = headEnd();
            if (end < 0) {
                if (m_headBytes + m_in.size() > kHeadCap)
                    fail(QStringLiteral("response headers larger than %1 KiB").arg(kHeadCap / 1024),
                         true);
                return;
            }
            if (m_headBytes + end > kHeadCap) {
                fail(QStringLiteral("response headers larger than %1 KiB").arg(kHeadCap / 1024),
                     true);
                return;
            }
            if (!parseHead(end))
                return;
            continue;
        }
        if (m_state == State::Body)
            processBody();
        return;
    }
}

qsizetype HttpConnection::headEnd() const
{
    const qsizetype crlf = m_in.indexOf("\r\n\r\n");
    const qsizetype lf = m_in.indexOf("\n\n");
    if (crlf >= 0 && (lf < 0 || crlf + 2 <= lf))
        return crlf + 4;
    return lf >= 0 ? lf + 2 : -1;
}

bool HttpConnection::parseHead(qsizetype end)
{
    const QByteArray raw = m_in.left(end);
    m_in.remove(0, end);
    m_headBytes += end;
    QList<QByteArray> lines = raw.split('\n');
    for (QByteArray &l : lines) {
        if (l.endsWith('\r'))
            l.chop(1);
    }
    const QByteArray &statusLine = lines.value(0);
    HttpHead h;
    bool ok = statusLine.size() >= 12 && statusLine.startsWith("HTTP/1.")
        && (statusLine.size() == 12 || statusLine.at(12) == ' ');
    if (ok) {
        h.status = statusLine.mid(9, 3).toInt(&ok);
        ok = ok && h.status >= 100 && h.status <= 999;
        h.reason = statusLine.mid(13);
    }
    for (qsizetype i = 1; ok && i < lines.size(); ++i) {
        const QByteArray &line = lines.at(i);
        if (line.isEmpty())
            continue;
        if ((line.startsWith(' ') || line.startsWith('\t')) && !h.headers.isEmpty()) {
            h.headers.last().second += ' ' + line.trimmed(); // obsolete line folding
            continue;
        }
        const qsizetype colon = line.indexOf(':');
        const QByteArray name = colon > 0 ? line.left(colon) : QByteArray();
        if (name.isEmpty() || name.contains(' ') || name.contains('\t')) {
            ok = false;
            break;
        }
        h.headers.append({ name, line.mid(colon + 1).trimmed() });
    }
    if (!ok) {
        fail(QStringLiteral("malformed HTTP from the CP"));
        return false;
    }
    if (h.status < 200) {
        if (h.status == 101) {
            fail(QStringLiteral("malformed HTTP from the CP"));
            return false;
        }
        return true; // an interim answer (100 Continue): the real one follows
    }

    const bool http10 = statusLine.startsWith("HTTP/1.0");
    const QList<QByteArray> connection = tokens(h.header("Connection"));
    m_keepAlive = http10 ? connection.contains("keep-alive") : !connection.contains("close");

    const QByteArray te = h.header("Transfer-Encoding");
    QList<QByteArray> lengths;
    for (const auto &[n, v] : h.headers) {
        if (n.compare("Content-Length", Qt::CaseInsensitive) == 0)
            lengths << v.trimmed();
    }
    if (m_method == "HEAD" || h.status == 204 || h.status == 304) {
        m_framing = Framing::None;
    } else if (!te.isEmpty()) {
        m_framing = tokens(te).constLast() == "chunked" ? Framing::Chunked : Framing::UntilClose;
        if (m_framing == Framing::UntilClose)
            m_keepAlive = false;
    } else if (!lengths.isEmpty()) {
        bool valid = false;
        m_length = lengths.first().toLongLong(&valid);
        for (const QByteArray &l : std::as_const(lengths))
            valid = valid && l == lengths.first();
        if (!valid || m_length < 0) {
            fail(QStringLiteral("malformed HTTP from the CP"));
            return false;
        }
        m_framing = m_length == 0 ? Framing::None : Framing::Length;
    } else {
        m_framing = Framing::UntilClose;
        m_keepAlive = false;
    }

    m_state = State::Body;
    const quint64 generation = m_generation;
    QPointer<HttpConnection> self(this);
    Q_EMIT head(h);
    if (!self || generation != m_generation)
        return false;
    if (m_framing == Framing::None) {
        complete();
        return false;
    }
    return true;
}

void HttpConnection::processBody()
{
    const quint64 generation = m_generation;
    QPointer<HttpConnection> self(this);
    switch (m_framing) {
    case Framing::Length: {
        const qint64 n = std::min<qint64>(m_in.size(), m_length - m_received);
        if (n > 0) {
            const QByteArray chunk = m_in.left(n);
            m_in.remove(0, n);
            m_received += n;
            Q_EMIT body(chunk);
            if (!self || generation != m_generation)
                return;
        }
        if (m_received == m_length) {
            if (!m_in.isEmpty())
                m_keepAlive = false; // more than the answer: the stream is out of step
            complete();
        }
        return;
    }
    case Framing::UntilClose:
        if (!m_in.isEmpty()) {
            const QByteArray chunk = m_in;
            m_in.clear();
            m_received += chunk.size();
            Q_EMIT body(chunk);
        }
        return;
    case Framing::Chunked:
        processChunked();
        return;
    case Framing::None:
        complete();
        return;
    }
}

void HttpConnection::processChunked()
{
    const quint64 generation = m_generation;
    QPointer<HttpConnection> self(this);
    while (self && generation == m_generation) {
        switch (m_chunkState) {
        case ChunkState::Size: {
            const qsizetype nl = m_in.indexOf('\n');
            if (nl < 0) {
                if (m_in.size() > kChunkLineCap)
                    fail(QStringLiteral("malformed HTTP from the CP"));
                return;
            }
            QByteArray line = m_in.left(nl).trimmed();
            m_in.remove(0, nl + 1);
            const qsizetype semicolon = line.indexOf(';');
            if (semicolon >= 0)
                line = line.left(semicolon).trimmed(); // chunk extensions are ignored
            bool ok = false;
            const qint64 size = line.toLongLong(&ok, 16);
            if (!ok || size < 0 || line.size() > 15) {
                fail(QStringLiteral("malformed HTTP from the CP"));
                return;
            }
            m_chunkLeft = size;
            m_chunkState = size == 0 ? ChunkState::Trailer : ChunkState::Data;
            break;
        }
        case ChunkState::Data: {
            const qint64 n = std::min<qint64>(m_in.size(), m_chunkLeft);
            if (n == 0)
                return;
            const QByteArray chunk = m_in.left(n);
            m_in.remove(0, n);
            m_chunkLeft -= n;
            m_received += n;
            if (m_chunkLeft == 0)
                m_chunkState = ChunkState::DataEnd;
            Q_EMIT body(chunk);
            break;
        }
        case ChunkState::DataEnd:
            if (m_in.startsWith("\r\n")) {
                m_in.remove(0, 2);
            } else if (m_in.startsWith('\n')) {
                m_in.remove(0, 1);
            } else if (m_in.isEmpty() || m_in == "\r") {
                return;
            } else {
                fail(QStringLiteral("malformed HTTP from the CP"));
                return;
            }
            m_chunkState = ChunkState::Size;
            break;
        case ChunkState::Trailer: {
            const qsizetype nl = m_in.indexOf('\n');
            if (nl < 0) {
                if (m_headBytes + m_in.size() > kHeadCap)
                    fail(QStringLiteral("response headers larger than %1 KiB").arg(kHeadCap / 1024),
                         true);
                return;
            }
            const bool last = m_in.left(nl).trimmed().isEmpty();
            m_headBytes += nl + 1;
            m_in.remove(0, nl + 1);
            if (m_headBytes > kHeadCap) {
                fail(QStringLiteral("response headers larger than %1 KiB").arg(kHeadCap / 1024),
                     true);
                return;
            }
            if (last) {
                if (!m_in.isEmpty())
                    m_keepAlive = false;
                complete();
                return;
            }
            break; // trailer fields are ignored
        }
        }
    }
}

void HttpConnection::complete()
{
    ++m_requests;
    ++m_generation;
    if (m_keepAlive && m_socket->state() == QAbstractSocket::ConnectedState) {
        m_state = State::Idle;
        m_idle.start(kIdleMs);
    } else {
        close();
    }
    Q_EMIT done();
}

void HttpConnection::fail(const QString &why, bool tooLarge)
{
    const Failure f { why, m_answerStarted, tooLarge };
    ++m_generation;
    close();
    Q_EMIT failed(f);
}

void HttpConnection::close()
{
    m_state = State::Closed;
    m_idle.stop();
    m_pendingRequest.clear();
    m_in.clear();
    m_socket->abort();
}

void HttpConnection::onDisconnected()
{
    switch (m_state) {
    case State::Idle:
        close();
        Q_EMIT closed();
        return;
    case State::Connecting:
    case State::AwaitingHead:
    case State::Body:
        break;
    case State::Unconnected:
    case State::Closed:
        return;
    }
    // What arrived before the close is part of the answer.
    const quint64 generation = m_generation;
    QPointer<HttpConnection> self(this);
    if (m_socket->bytesAvailable() > 0) {
        m_in += m_socket->readAll();
        process();
        if (!self || generation != m_generation)
            return;
    }
    if (m_state == State::Body && m_framing == Framing::UntilClose) {
        m_keepAlive = false;
        complete();
    } else if (m_state == State::Body && m_framing == Framing::Length) {
        fail(QStringLiteral("answer cut off after %1 of %2 bytes").arg(m_received).arg(m_length));
    } else {
        fail(QStringLiteral("connection closed by the CP before a complete answer"));
    }
}

void HttpConnection::onSocketError()
{
    using E = QAbstractSocket::SocketError;
    const E error = m_socket->error();
    if (error == E::RemoteHostClosedError)
        return; // onDisconnected() tells an ended answer from a cut-off one
    if (m_state == State::Idle) {
        close();
        Q_EMIT closed();
        return;
    }
    if (m_state != State::Connecting && m_state != State::AwaitingHead && m_state != State::Body)
        return;
    QString why;
    switch (error) {
    case E::ConnectionRefusedError:
        why = QStringLiteral("connection refused");
        break;
    case E::HostNotFoundError:
        why = QStringLiteral("host not found");
        break;
    case E::SocketTimeoutError:
        why = QStringLiteral("connection timed out");
        break;
    case E::SslHandshakeFailedError:
    case E::SslInternalError:
    case E::SslInvalidUserDataError:
        why = QStringLiteral("TLS handshake failed (certificate not trusted?)");
        break;
    case E::NetworkError:
    case E::TemporaryError:
        why = QStringLiteral("network unavailable");
        break;
    case E::ProxyAuthenticationRequiredError:
    case E::ProxyConnectionRefusedError:
    case E::ProxyConnectionClosedError:
    case E::ProxyConnectionTimeoutError:
    case E::ProxyNotFoundError:
    case E::ProxyProtocolError:
        why = QStringLiteral("proxy failure");
        break;
    default:
        why = redaction::redact(m_socket->errorString());
        break;
    }
    fail(why);
}

} // namespace cpc
