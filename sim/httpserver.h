#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QPair>
#include <QUrl>
#include <QUrlQuery>

#include <functional>
#include <memory>

class QTcpServer;
class QTcpSocket;

namespace cpc {

struct HttpRequest
{
    QByteArray method;
    QByteArray target; ///< as sent: percent-encoded path and query
    QByteArray path; ///< percent-encoded path, without the query
    QUrlQuery query;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;

    QByteArray header(const QByteArray &name) const; ///< case-insensitive, empty when absent
    bool hasHeader(const QByteArray &name) const;
};

/// What to send back, including the misbehaviours the tests and the simulator need.
struct HttpResponse
{
    int status = 200;
    QByteArray reason; ///< empty: the standard phrase
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    int delayMs = 0; ///< wait before the first byte
    int dripIntervalMs = 0; ///< > 0: send dripBytes every interval instead of all at once
    int dripBytes = 1;
    qint64 dropAfterBytes = -1; ///< >= 0: close the connection after that many response bytes
    QByteArray raw; ///< non-empty: sent verbatim instead of a status line, headers and body
    bool closeWithoutAnswer = false; ///< read the request, then close without a byte

    void setHeader(const QByteArray &name, const QByteArray &value)
    {
        headers.append({ name, value });
    }

    static HttpResponse json(int status, const QByteArray &body);
    static HttpResponse text(int status, const QByteArray &body);
};

/// A small HTTP/1.1 server on a QTcpServer: keep-alive, Content-Length request bodies (capped
/// at 1 MiB), one request at a time per connection, and precise control over how the answer is
/// written so that clients can be tested against drips, drops and garbage. It backs the tests'
/// loopback server and the CP simulator.
class MiniHttpServer : public QObject
{
    Q_OBJECT
public:
    using Responder = std::function<void(HttpResponse)>;
    /// The handler may answer at once or keep the responder and answer later.
    using Handler = std::function<void(const HttpRequest &, Responder)>;

    explicit MiniHttpServer(Handler handler, QObject *parent = nullptr);
    ~MiniHttpServer() override;

    bool listen(const QHostAddress &address = QHostAddress::LocalHost, quint16 port = 0);
    void close();
    quint16 port() const;
    QUrl baseUrl() const; ///< http://127.0.0.1:PORT
    QString errorString() const;
    int openConnections() const;
    /// Requests read and not yet answered in full: what the clients have in flight right now,
    /// and the most at once since the start or resetPeakRequests().
    int requestsInProgress() const { return m_load->now; }
    int peakRequestsInProgress() const { return m_load->peak; }
    void resetPeakRequests() { m_load->peak = m_load->now; }

    static constexpr qint64 kMaxRequestBody = qint64(1024) * 1024;

    struct Load
    {
        int now = 0;
        int peak = 0;
    };

private:
    void onNewConnection();
    QTcpServer *m_server;
    Handler m_handler;
    /// Shared with the connections, which may outlive the server by a deleteLater.
    std::shared_ptr<Load> m_load = std::make_shared<Load>();
};

} // namespace cpc
