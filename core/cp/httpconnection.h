#pragma once

#include <QByteArray>
#include <QList>
#include <QNetworkProxy>
#include <QObject>
#include <QPair>
#include <QTimer>
#include <QUrl>

class QTcpSocket;

namespace cpc {

/// The status line and headers of an HTTP answer.
struct HttpHead
{
    int status = 0;
    QByteArray reason;
    QList<QPair<QByteArray, QByteArray>> headers;

    QByteArray header(const QByteArray &name) const; ///< the first one, case-insensitive
};

/// One HTTP/1.1 connection to one origin (plain or TLS, through the proxy it is given), used by
/// one request at a time. It reads in the thread that owns it, from a socket whose buffer is
/// capped, and parses the answer as it arrives: the status line and headers are held to
/// kHeadCap, the body is handed on chunk by chunk, so whoever stops reading at a cap stops the
/// bytes at the socket. (Qt's QNetworkAccessManager parses on a thread of its own that can read
/// an endless chunked body or endless header lines into memory before a read-buffer limit or an
/// abort reaches it; see BENCHMARKS.md.)
class HttpConnection : public QObject
{
    Q_OBJECT
public:
    static constexpr qint64 kHeadCap = qint64(64) * 1024;
    static constexpr qint64 kSocketBuffer = qint64(64) * 1024;

    struct Failure
    {
        QString why; ///< safe to show: no server text
        bool answerStarted = false; ///< some byte of the answer had arrived
        bool tooLarge = false; ///< the head passed kHeadCap
    };

    HttpConnection(const QUrl &origin, const QNetworkProxy &proxy, QObject *parent);
    ~HttpConnection() override;

    /// "scheme://host:port", the pool's key.
    static QString originKey(const QUrl &url);
    QString originKey() const { return originKey(m_origin); }

    /// Connected, between requests, and the last answer allowed the connection to be kept.
    bool isIdle() const { return m_state == State::Idle; }
    /// Has carried an answer before: a failure before any byte of the next one may only mean
    /// the server closed it meanwhile.
    bool wasUsed() const { return m_requests > 0; }

    /// Connects if needed and sends one request. Then head(), body()… and done(), or failed().
    void send(const QByteArray &method, const QUrl &url,
              const QList<QPair<QByteArray, QByteArray>> &headers, const QByteArray &body);
    /// Closes the socket at once; no signal follows.
    void abort();

Q_SIGNALS:
    void head(const cpc::HttpHead &head);
    void body(const QByteArray &bytes);
    void done();
    void failed(const cpc::HttpConnection::Failure &failure);
    /// Closed between requests (by the server, or idle too long): drop it from the pool.
    void closed();

private:
    enum class State { Unconnected, Connecting, Idle, AwaitingHead, Body, Closed };
    enum class Framing { None, Length, Chunked, UntilClose };
    enum class ChunkState { Size, Data, DataEnd, Trailer };

    void onConnected();
    void onReadyRead();
    void onDisconnected();
    void onSocketError();
    void process();
    bool parseHead(qsizetype end);
    void processBody();
    void processChunked();
    void complete();
    void fail(const QString &why, bool tooLarge = false);
    void close();
    qsizetype headEnd() const;

    QUrl m_origin;
    QTcpSocket *m_socket; ///< a QSslSocket for https: plain http does not load a TLS library
    QTimer m_idle;
    State m_state = State::Unconnected;
    QByteArray m_pendingRequest;
    QByteArray m_method;
    QByteArray m_in;
    qint64 m_headBytes = 0;
    bool m_answerStarted = false;
    bool m_keepAlive = true;
    Framing m_framing = Framing::None;
    qint64 m_length = 0; ///< declared Content-Length
    qint64 m_received = 0; ///< body bytes so far
    ChunkState m_chunkState = ChunkState::Size;
    qint64 m_chunkLeft = 0;
    int m_requests = 0;
    /// Bumped by abort() and complete(): a handler that ended the request makes the parse
    /// loop that called it stop.
    quint64 m_generation = 0;
};

} // namespace cpc
