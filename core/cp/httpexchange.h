#pragma once

#include "result.h"

#include <QByteArray>
#include <QNetworkRequest>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <functional>

namespace cpc {

class HttpConnection;
class HttpPool;
struct HttpHead;

/// What came back from one HTTP exchange that completed at the transport level.
struct HttpOutcome
{
    int status = 0;
    QByteArray body; ///< at most the cap
    bool truncated = false; ///< the body reached the cap and the rest was not read
    QByteArray retryAfter; ///< the Retry-After header, if any
};

/// One request with the contract's guards: an overall deadline that a dripping server cannot
/// extend (headers included), a body cap enforced as the bytes arrive (stop reading at the cap,
/// never buffer past it), and no redirect to another origin. Delivers exactly one outcome, then
/// deletes itself.
///
/// Redirects are followed here, at most kMaxRedirects, each keeping its method and body (a stop
/// redirected with a 302 is still a DELETE, never a GET that "succeeds" without stopping
/// anything) and staying on the origin.
class HttpExchange : public QObject
{
    Q_OBJECT
public:
    enum class OnCap { Fail, Truncate };
    struct Spec
    {
        QByteArray method;
        QNetworkRequest request; ///< URL and raw headers; attributes are not used
        QByteArray body;
        qint64 bodyCap = qint64(64) * 1024;
        OnCap onCap = OnCap::Fail;
        int deadlineMs = 120'000;
    };
    using Handler = std::function<void(Result<HttpOutcome>)>;
    static constexpr int kMaxRedirects = 5;

    HttpExchange(HttpPool *pool, Spec spec, Handler handler, QObject *parent);
    ~HttpExchange() override;

    void start();
    void cancel();

private:
    void hop(const QUrl &url, bool fresh);
    void onGranted(HttpConnection *c);
    void onHead(const HttpHead &head);
    void onBody(const QByteArray &bytes);
    void onDone();
    void finish(Result<HttpOutcome> r);
    void dropConnection();

    QPointer<HttpPool> m_pool;
    Spec m_spec;
    Handler m_handler;
    QList<QPair<QByteArray, QByteArray>> m_headers;
    QPointer<HttpConnection> m_conn;
    quint64 m_ticket = 0;
    QUrl m_url; ///< of the current hop
    int m_redirects = 0;
    bool m_retried = false;
    QTimer m_deadline;
    HttpOutcome m_out;
    bool m_done = false;
};

} // namespace cpc
