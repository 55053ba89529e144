#include "httpexchange.h"

#include "logging.h"
#include "validation.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>

namespace cpc {

namespace {
QString capText(qint64 cap)
{
    return cap % 1024 == 0 ? QStringLiteral("%1 KiB").arg(cap / 1024)
                           : QStringLiteral("%1 bytes").arg(cap);
}
} // namespace

HttpExchange::HttpExchange(QNetworkAccessManager *nam, Spec spec, Handler handler, QObject *parent)
    : QObject(parent), m_nam(nam), m_spec(std::move(spec)), m_handler(std::move(handler))
{
    m_deadline.setSingleShot(true);
    connect(&m_deadline, &QTimer::timeout, this, [this] {
        finish(Error::make(Error::Kind::Timeout,
                           QStringLiteral("timed out after %1 s")
                                   .arg(QString::number(m_spec.deadlineMs / 1000.0, 'g', 4))));
    });
}

HttpExchange::~HttpExchange()
{
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
        m_reply->deleteLater();
    }
}

void HttpExchange::start()
{
    QNetworkRequest req = m_spec.request;
    req.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                     QNetworkRequest::UserVerifiedRedirectPolicy);
    req.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    req.setAttribute(QNetworkRequest::CookieLoadControlAttribute, QNetworkRequest::Manual);
    req.setAttribute(QNetworkRequest::CookieSaveControlAttribute, QNetworkRequest::Manual);
    req.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    req.setMaximumRedirectsAllowed(5);

    QList<QPair<QByteArray, QByteArray>> headers;
    for (const QByteArray &h : req.rawHeaderList())
        headers.append({ h, req.rawHeader(h) });
    qCDebug(lcNet).noquote() << redaction::formatRequest(m_spec.method, req.url().toString(), headers);

    if (m_spec.body.isEmpty() && m_spec.method != "POST")
        m_reply = m_nam->sendCustomRequest(req, m_spec.method);
    else
        m_reply = m_nam->sendCustomRequest(req, m_spec.method, m_spec.body);
    m_reply->setReadBufferSize(m_spec.bodyCap + 1);

    const QUrl origin = req.url();
    connect(m_reply, &QNetworkReply::redirected, this, [this, origin](const QUrl &target) {
        if (validation::sameOrigin(origin, target)) {
            Q_EMIT m_reply->redirectAllowed();
            return;
        }
        finish(Error::make(Error::Kind::Policy,
                           QStringLiteral("redirect to another origin (%1:%2) refused")
                                   .arg(target.host())
                                   .arg(target.port(target.scheme() == QLatin1String("https") ? 443 : 80))));
    });
    connect(m_reply, &QNetworkReply::metaDataChanged, this, [this] {
        const QVariant len = m_reply->header(QNetworkRequest::ContentLengthHeader);
        const int status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (m_spec.onCap == OnCap::Fail && len.isValid() && len.toLongLong() > m_spec.bodyCap
            && !(status >= 300 && status < 400)) {
            m_out.status = status;
            finish(Error::make(Error::Kind::Decode,
                               QStringLiteral("response larger than %1 (declared %2 bytes)")
                                       .arg(capText(m_spec.bodyCap))
                                       .arg(len.toLongLong()),
                               status));
        }
    });
    connect(m_reply, &QNetworkReply::readyRead, this, &HttpExchange::onReadyRead);
    connect(m_reply, &QNetworkReply::finished, this, &HttpExchange::onFinished);
    m_deadline.start(m_spec.deadlineMs);
}

void HttpExchange::cancel()
{
    finish(Error::make(Error::Kind::Cancelled, QStringLiteral("cancelled")));
}

void HttpExchange::onReadyRead()
{
    if (m_done || !m_reply)
        return;
    const qint64 room = m_spec.bodyCap - m_out.body.size();
    const QByteArray chunk = m_reply->read(room + 1);
    if (chunk.size() <= room) {
        m_out.body.append(chunk);
        return;
    }
    m_out.status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (m_spec.onCap == OnCap::Truncate) {
        m_out.body.append(chunk.left(room));
        m_out.truncated = true;
        finish(m_out);
        return;
    }
    finish(Error::make(Error::Kind::Decode,
                       QStringLiteral("response larger than %1").arg(capText(m_spec.bodyCap)),
                       m_out.status));
}

void HttpExchange::onFinished()
{
    if (m_done || !m_reply)
        return;
    onReadyRead();
    if (m_done)
        return;
    const QVariant status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    const int err = int(m_reply->error());
    // Qt reports HTTP statuses as errors too (400 even as a protocol error); with a status line
    // in hand only the network-layer errors (1-199: closed, reset, timed out, proxy) mean the
    // answer was cut off. No status line at all is always a transport failure.
    if (!status.isValid() || (err > 0 && err < 200)) {
        finish(transportError());
        return;
    }
    const QVariant declared = m_reply->header(QNetworkRequest::ContentLengthHeader);
    if (declared.isValid() && m_out.body.size() < declared.toLongLong()) {
        finish(Error::make(Error::Kind::Transport,
                           QStringLiteral("answer cut off after %1 of %2 bytes")
                                   .arg(m_out.body.size())
                                   .arg(declared.toLongLong())));
        return;
    }
    m_out.status = status.toInt();
    m_out.retryAfter = m_reply->rawHeader("Retry-After");
    finish(m_out);
}

Error HttpExchange::transportError() const
{
    using E = QNetworkReply::NetworkError;
    QString why;
    switch (m_reply ? m_reply->error() : E::UnknownNetworkError) {
    case E::ConnectionRefusedError: why = QStringLiteral("connection refused"); break;
    case E::RemoteHostClosedError: why = QStringLiteral("connection closed by the CP before a complete answer"); break;
    case E::HostNotFoundError: why = QStringLiteral("host not found"); break;
    case E::TimeoutError: why = QStringLiteral("connection timed out"); break;
    case E::SslHandshakeFailedError: why = QStringLiteral("TLS handshake failed (certificate not trusted?)"); break;
    case E::TemporaryNetworkFailureError:
    case E::NetworkSessionFailedError: why = QStringLiteral("network unavailable"); break;
    case E::ProxyConnectionRefusedError:
    case E::ProxyConnectionClosedError:
    case E::ProxyNotFoundError:
    case E::ProxyTimeoutError:
    case E::ProxyAuthenticationRequiredError: why = QStringLiteral("proxy failure"); break;
    case E::ProtocolFailure:
    case E::ProtocolUnknownError:
    case E::ProtocolInvalidOperationError: why = QStringLiteral("malformed HTTP from the CP"); break;
    default: why = redaction::redact(m_reply ? m_reply->errorString() : QStringLiteral("network error")); break;
    }
    return Error::make(Error::Kind::Transport, why);
}

void HttpExchange::finish(Result<HttpOutcome> r)
{
    if (m_done)
        return;
    m_done = true;
    m_deadline.stop();
    if (m_reply) {
        m_reply->disconnect(this);
        if (m_reply->isRunning())
            m_reply->abort();
        m_reply->deleteLater();
        m_reply = nullptr;
    }
    Handler h = std::move(m_handler);
    deleteLater();
    if (h)
        h(std::move(r));
}

} // namespace cpc
