#include "httpexchange.h"

#include "httpconnection.h"
#include "httppool.h"
#include "logging.h"
#include "validation.h"

namespace cpc {

namespace {
QString capText(qint64 cap)
{
    return cap % 1024 == 0 ? QStringLiteral("%1 KiB").arg(cap / 1024)
                           : QStringLiteral("%1 bytes").arg(cap);
}

bool isRedirect(int status)
{
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

bool hasLineBreak(const QByteArray &s)
{
    return s.contains('\r') || s.contains('\n') || s.contains('\0');
}
} // namespace

HttpExchange::HttpExchange(HttpPool *pool, Spec spec, Handler handler, QObject *parent)
    : QObject(parent)
    , m_pool(pool)
    , m_spec(std::move(spec))
    , m_handler(std::move(handler))
{
    for (const QByteArray &h : m_spec.request.rawHeaderList())
        m_headers.append({ h, m_spec.request.rawHeader(h) });
    m_deadline.setSingleShot(true);
    m_deadline.setTimerType(Qt::PreciseTimer);
    connect(&m_deadline, &QTimer::timeout, this, [this] {
        finish(Error::make(Error::Kind::Timeout,
                           QStringLiteral("timed out after %1 s")
                               .arg(QString::number(m_spec.deadlineMs / 1000.0, 'g', 4))));
    });
}

HttpExchange::~HttpExchange()
{
    if (m_pool && m_ticket)
        m_pool->withdraw(m_ticket);
    dropConnection();
}

void HttpExchange::start()
{
    m_deadline.start(m_spec.deadlineMs);
    for (const auto &[name, value] : std::as_const(m_headers)) {
        if (hasLineBreak(name) || hasLineBreak(value)) {
            // A credential with a line break would smuggle a header of its own into the request.
            QTimer::singleShot(0, this, [this] {
                finish(Error::make(Error::Kind::Policy,
                                   QStringLiteral("a request header holds a line break (check "
                                                  "the configured credentials)")));
            });
            return;
        }
    }
    hop(m_spec.request.url(), false);
}

void HttpExchange::cancel()
{
    finish(Error::make(Error::Kind::Cancelled, QStringLiteral("cancelled")));
}

void HttpExchange::hop(const QUrl &url, bool fresh)
{
    m_url = url;
    qCDebug(lcNet).noquote() << redaction::formatRequest(m_spec.method, url.toString(), m_headers);
    if (!m_pool) {
        finish(Error::make(Error::Kind::Cancelled, QStringLiteral("cancelled")));
        return;
    }
    m_ticket = m_pool->acquire(url, fresh, [this](HttpConnection *c) {
        m_ticket = 0;
        onGranted(c);
    });
}

void HttpExchange::onGranted(HttpConnection *c)
{
    m_conn = c;
    const bool reused = c->wasUsed();
    connect(c, &HttpConnection::head, this, &HttpExchange::onHead);
    connect(c, &HttpConnection::body, this, &HttpExchange::onBody);
    connect(c, &HttpConnection::done, this, &HttpExchange::onDone);
    connect(c, &HttpConnection::failed, this, [this, reused](const HttpConnection::Failure &f) {
        dropConnection();
        // A kept-alive connection the server closed meanwhile fails before any byte of the
        // answer: the request may not have been read at all, so it goes once more on a new one
        // (provision carries its idempotency key, the other calls are idempotent).
        if (reused && !f.answerStarted && !m_retried) {
            m_retried = true;
            hop(m_url, true);
            return;
        }
        finish(Error::make(f.tooLarge ? Error::Kind::Decode : Error::Kind::Transport, f.why));
    });
    c->send(m_spec.method, m_url, m_headers, m_spec.body);
}

void HttpExchange::onHead(const HttpHead &head)
{
    const QByteArray location = head.header("Location");
    if (isRedirect(head.status) && !location.isEmpty()) {
        const QUrl target = m_url.resolved(QUrl::fromEncoded(location));
        dropConnection(); // the rest of the redirect's answer is of no use
        if (!target.isValid()) {
            finish(Error::make(Error::Kind::HttpStatus,
                               QStringLiteral("redirect to an invalid location"), head.status));
            return;
        }
        // A redirect the client will not follow is the CP misbehaving (a failed call), not a
        // refusal of the user's input: it says so with the status that asked for it.
        if (!validation::sameOrigin(m_spec.request.url(), target)) {
            finish(Error::make(
                Error::Kind::HttpStatus,
                QStringLiteral("redirect to another origin (%1:%2) refused")
                    .arg(target.host())
                    .arg(target.port(target.scheme() == QLatin1String("https") ? 443 : 80)),
                head.status));
            return;
        }
        if (++m_redirects > kMaxRedirects) {
            finish(
                Error::make(Error::Kind::HttpStatus,
                            QStringLiteral("too many redirects (more than %1)").arg(kMaxRedirects),
                            head.status));
            return;
        }
        hop(target, false);
        return;
    }
    m_out.status = head.status;
    m_out.retryAfter = head.header("Retry-After");
    bool declared = false;
    const qint64 length = head.header("Content-Length").toLongLong(&declared);
    if (m_spec.onCap == OnCap::Fail && declared && head.header("Transfer-Encoding").isEmpty()
        && length > m_spec.bodyCap) {
        finish(Error::make(Error::Kind::Decode,
                           QStringLiteral("response larger than %1 (declared %2 bytes)")
                               .arg(capText(m_spec.bodyCap))
                               .arg(length),
                           head.status));
    }
}

void HttpExchange::onBody(const QByteArray &bytes)
{
    if (m_done)
        return;
    const qint64 room = m_spec.bodyCap - m_out.body.size();
    if (bytes.size() <= room) {
        m_out.body.append(bytes);
        return;
    }
    if (m_spec.onCap == OnCap::Truncate) {
        m_out.body.append(bytes.left(room));
        m_out.truncated = true;
        finish(m_out);
        return;
    }
    finish(Error::make(Error::Kind::Decode,
                       QStringLiteral("response larger than %1").arg(capText(m_spec.bodyCap)),
                       m_out.status));
}

void HttpExchange::onDone()
{
    if (HttpConnection *c = m_conn) {
        m_conn = nullptr;
        c->disconnect(this);
        if (m_pool)
            m_pool->release(c); // kept alive for the next call, when the answer allows it
    }
    finish(m_out);
}

void HttpExchange::dropConnection()
{
    HttpConnection *c = m_conn;
    if (!c)
        return;
    m_conn = nullptr;
    c->disconnect(this);
    c->abort();
    if (m_pool)
        m_pool->release(c);
}

void HttpExchange::finish(Result<HttpOutcome> r)
{
    if (m_done)
        return;
    m_done = true;
    m_deadline.stop();
    if (m_pool && m_ticket)
        m_pool->withdraw(m_ticket);
    m_ticket = 0;
    dropConnection();
    Handler h = std::move(m_handler);
    deleteLater();
    if (h)
        h(std::move(r));
}

} // namespace cpc
