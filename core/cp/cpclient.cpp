#include "cpclient.h"

#include "cpc_version.h"
#include "cpdecode.h"
#include "httpexchange.h"
#include "httppool.h"
#include "logging.h"
#include "validation.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QRandomGenerator>
#include <QTimer>
#include <QUuid>

#include <algorithm>

namespace cpc {

/// One logical call: possibly several HTTP attempts (provision), one callback, one handle.
/// Lives as a child of the client and deletes itself after delivering.
class CpCall : public QObject
{
public:
    CpCall(CpClient *client, QObject *context)
        : QObject(client)
        , m_context(context)
    {
        m_retryTimer.setSingleShot(true);
        if (context)
            connect(context, &QObject::destroyed, this, [this] { abandon(); });
    }

    /// Runs fn if the context is still alive, exactly once, then disposes of the call.
    void deliver(const std::function<void()> &fn)
    {
        if (m_finished)
            return;
        m_finished = true;
        m_retryTimer.stop();
        if (m_context || !m_hadContext)
            fn();
        deleteLater();
    }
    /// Delivers on the next turn of the event loop: callers never get a callback re-entrantly.
    void deliverLater(std::function<void()> fn)
    {
        QTimer::singleShot(0, this, [this, fn = std::move(fn)] { deliver(fn); });
    }

    void cancel()
    {
        if (m_finished)
            return;
        if (m_exchange) {
            m_exchange->cancel(); // reports Cancelled through the exchange's handler
        } else if (m_onCancel) {
            m_onCancel();
        }
    }
    void abandon()
    {
        m_context = nullptr;
        m_hadContext = true;
        if (m_exchange)
            m_exchange->cancel();
        m_finished = true;
        deleteLater();
    }
    bool finished() const { return m_finished; }

    QPointer<HttpExchange> m_exchange;
    std::function<void()> m_onCancel;
    QTimer m_retryTimer;
    int m_attempt = 0;
    /// An attempt's answer never arrived (dropped, timed out): the CP may have acted on it.
    bool m_answerLost = false;

private:
    QPointer<QObject> m_context;
    bool m_hadContext = m_context != nullptr;
    bool m_finished = false;
};

CallHandle::CallHandle(CpCall *call)
    : m_call(call)
{
}

void CallHandle::cancel() const
{
    if (m_call)
        m_call->cancel();
}

bool CallHandle::isRunning() const
{
    return m_call && !m_call->finished();
}

QString runStateName(RunState s)
{
    switch (s) {
    case RunState::Running:
        return QStringLiteral("running");
    case RunState::NotRunning:
        return QStringLiteral("not-running");
    case RunState::Unknown:
        break;
    }
    return QStringLiteral("unknown");
}

QString runStateLabel(RunState s)
{
    switch (s) {
    case RunState::Running:
        return QStringLiteral("running");
    case RunState::NotRunning:
        return QStringLiteral("not running");
    case RunState::Unknown:
        break;
    }
    return QStringLiteral("unknown");
}

QString Error::kindName(Kind k)
{
    switch (k) {
    case Kind::Transport:
        return QStringLiteral("transport");
    case Kind::Timeout:
        return QStringLiteral("timeout");
    case Kind::HttpStatus:
        return QStringLiteral("http-status");
    case Kind::Decode:
        return QStringLiteral("decode");
    case Kind::Policy:
        return QStringLiteral("policy");
    case Kind::Cancelled:
        return QStringLiteral("cancelled");
    case Kind::Database:
        return QStringLiteral("database");
    case Kind::Config:
        return QStringLiteral("config");
    case Kind::ReadOnly:
        return QStringLiteral("read-only");
    case Kind::Conflict:
        return QStringLiteral("conflict");
    }
    return QStringLiteral("unknown");
}

bool Error::isTransient() const
{
    switch (kind) {
    case Kind::Transport:
    case Kind::Timeout:
        return true;
    case Kind::HttpStatus:
        return httpStatus == 408 || httpStatus == 429 || httpStatus >= 500;
    default:
        return false;
    }
}

RetryPolicy RetryPolicy::defaultPolicy()
{
    RetryPolicy p;
    p.maxAttempts = 5;
    p.backoff = [](int attempt) {
        const double base = std::min(30'000.0, 1000.0 * double(1 << std::min(attempt - 1, 10)));
        const double jitter = 0.8 + 0.4 * QRandomGenerator::global()->generateDouble();
        return std::chrono::milliseconds(qint64(base * jitter));
    };
    return p;
}

RetryPolicy RetryPolicy::immediate(int maxAttempts)
{
    RetryPolicy p;
    p.maxAttempts = maxAttempts;
    p.backoff = [](int) {
        return std::chrono::milliseconds(0);
    };
    return p;
}

namespace {

enum class Route { Provision, Admin };

Error withPrefix(const Error &e, const QString &call)
{
    Error out = e;
    if (e.kind == Error::Kind::Cancelled)
        out.message = QStringLiteral("%1 cancelled").arg(call);
    else if (e.httpStatus > 0 && e.kind == Error::Kind::HttpStatus)
        out.message
            = QStringLiteral("%1 failed (%2): %3").arg(call).arg(e.httpStatus).arg(e.message);
    else
        out.message = QStringLiteral("%1 failed: %2").arg(call, e.message);
    out.message = redaction::redact(out.message);
    out.details = redaction::redact(out.details);
    return out;
}

} // namespace

CpClient::CpClient(QNetworkAccessManager *nam, CpConfig config, QObject *parent)
    : QObject(parent)
    , m_pool(new HttpPool(this))
    , m_statusPool(new HttpPool(this))
    , m_consolePool(new HttpPool(this))
    , m_config(std::move(config))
    , m_retry(RetryPolicy::defaultPolicy())
{
    if (nam && nam->proxy().type() != QNetworkProxy::DefaultProxy) {
        for (HttpPool *p : { m_pool, m_statusPool, m_consolePool })
            p->setProxy(nam->proxy());
    }
    redaction::registerSecret(m_config.sharedSecret);
    redaction::registerSecret(m_config.adminToken);
    redaction::registerSecret(m_config.adminApiKey);
}

void CpClient::setStatusConcurrency(int n)
{
    m_statusPool->setPerOriginLimit(std::max(n, HttpPool::kPerOrigin));
}

int CpClient::statusConnectionLimit() const
{
    return m_statusPool->perOriginLimit();
}

namespace {

struct Built
{
    QNetworkRequest request;
    QString policyError;
};

Built buildRequest(const CpConfig &cfg, Route route, const QString &encodedPath,
                   const QString &encodedQuery)
{
    Built b;
    if (const VoidResult err = validation::checkBaseUrl(cfg.baseUrl, cfg.allowInsecureHttp); !err) {
        b.policyError = err.error().message;
        return b;
    }
    QString base = QString::fromUtf8(cfg.baseUrl.toEncoded(QUrl::StripTrailingSlash));
    QString full = base + encodedPath;
    if (!encodedQuery.isEmpty())
        full += u'?' + encodedQuery;
    const QUrl url = QUrl::fromEncoded(full.toUtf8(), QUrl::StrictMode);
    if (!url.isValid()) {
        b.policyError = QStringLiteral("could not build a valid URL");
        return b;
    }
    QNetworkRequest req(url);
    const Secret &bearer = route == Route::Admin ? cfg.adminApiKey : cfg.sharedSecret;
    if (!bearer.isEmpty())
        req.setRawHeader("Authorization", "Bearer " + bearer.reveal().toUtf8());
    if (!cfg.adminToken.isEmpty())
        req.setRawHeader("X-Molecule-Admin-Token", cfg.adminToken.reveal().toUtf8());
    req.setRawHeader("Accept", "application/json");
    req.setRawHeader("User-Agent", "cpconsole/" CPC_VERSION);
    b.request = req;
    return b;
}

QString enc(const QString &s)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(s));
}

} // namespace

CallHandle CpClient::provision(const ProvisionRequest &request, QObject *context,
                               const Callback<Result<ProvisionResult>> &done)
{
    auto *call = new CpCall(this, context);
    const QString name = QStringLiteral("provision");
    auto fail = [call, done, name](const Error &e) {
        call->deliverLater([done, e = withPrefix(e, name)] { done(e); });
    };
    if (const VoidResult err = validation::checkWorkspaceId(request.workspaceId); !err) {
        fail(err.error());
        return CallHandle(call);
    }
    const Built built
        = buildRequest(m_config, Route::Provision, QStringLiteral("/cp/workspaces/provision"), {});
    if (!built.policyError.isEmpty()) {
        fail(Error::make(Error::Kind::Policy, built.policyError));
        return CallHandle(call);
    }

    const QString key = request.idempotencyKey.isEmpty()
        ? QUuid::createUuid().toString(QUuid::WithoutBraces)
        : request.idempotencyKey;
    QJsonObject body {
        { QStringLiteral("org_id"), m_config.orgId },
        { QStringLiteral("workspace_id"), request.workspaceId },
        { QStringLiteral("runtime"), request.runtime },
        { QStringLiteral("tier"), request.tier },
        { QStringLiteral("platform_url"), request.platformUrl },
    };
    QJsonObject env;
    for (auto it = request.env.cbegin(); it != request.env.cend(); ++it)
        env.insert(it.key(), it.value());
    body.insert(QStringLiteral("env"), env);
    if (!request.provider.isEmpty())
        body.insert(QStringLiteral("provider"), request.provider);
    if (!request.instanceType.isEmpty())
        body.insert(QStringLiteral("instance_type"), request.instanceType);
    if (request.diskGb)
        body.insert(QStringLiteral("disk_gb"), *request.diskGb);
    if (!request.templateName.isEmpty())
        body.insert(QStringLiteral("template"), request.templateName);
    body.insert(QStringLiteral("idempotency_key"), key);

    QNetworkRequest req = built.request;
    req.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    const QByteArray payload = QJsonDocument(body).toJson(QJsonDocument::Compact);
    const RetryPolicy retry = m_retry;
    const int deadline = m_config.provisionTimeoutMs;

    auto attempt = std::make_shared<std::function<void()>>();
    // retryOrFail must not hold `attempt`: *attempt holds retryOrFail, and the cycle would leak
    // every provision (LeakSanitizer found it). The timer connection holds it for the call's life.
    auto retryOrFail = [call, retry, name, done](const Error &e) {
        if (e.kind == Error::Kind::Transport || e.kind == Error::Kind::Timeout)
            call->m_answerLost = true;
        if (e.isTransient() && call->m_attempt < retry.maxAttempts) {
            const auto wait
                = retry.backoff ? retry.backoff(call->m_attempt) : std::chrono::milliseconds(0);
            qCInfo(lcNet).noquote()
                << QStringLiteral("provision attempt %1 failed (%2), retrying in %3 ms")
                       .arg(call->m_attempt)
                       .arg(redaction::redact(e.message))
                       .arg(wait.count());
            call->m_retryTimer.start(int(wait.count()));
            return;
        }
        Error out = e;
        if (call->m_attempt > 1 && e.kind != Error::Kind::Cancelled)
            out.message += QStringLiteral(" (after %1 attempts)").arg(call->m_attempt);
        // A later attempt's refusal does not undo an earlier attempt the CP may have received.
        out.mayHaveApplied = call->m_answerLost;
        if (call->m_answerLost && e.kind != Error::Kind::Transport
            && e.kind != Error::Kind::Timeout)
            out.message += QStringLiteral("; an earlier attempt's answer was lost, so the instance "
                                          "may exist (reconcile to find out)");
        call->deliver([done, out = withPrefix(out, name)] { done(out); });
    };
    QObject::connect(&call->m_retryTimer, &QTimer::timeout, call, [attempt] { (*attempt)(); });
    call->m_onCancel = [call, done, name] {
        call->deliver(
            [done, e = withPrefix(Error::make(Error::Kind::Cancelled, {}), name)] { done(e); });
    };

    *attempt = [this, call, req, payload, deadline, key, retryOrFail, done]() {
        ++call->m_attempt;
        HttpExchange::Spec spec { "POST",  req, payload, kProvisionCap, HttpExchange::OnCap::Fail,
                                  deadline };
        const int attemptNo = call->m_attempt;
        auto *ex = new HttpExchange(
            m_pool, spec,
            [call, key, attemptNo, retryOrFail, done](const Result<HttpOutcome> &r) {
                call->m_exchange = nullptr;
                if (!r) {
                    retryOrFail(r.error());
                    return;
                }
                const HttpOutcome &o = r.value();
                Result<ProvisionResult> d = decode::provision(o.status, o.body);
                if (!d) {
                    if (d.error().kind == Error::Kind::HttpStatus) {
                        retryOrFail(d.error());
                        return;
                    }
                    // Not retried: the CP said 201, so an instance may exist; a retry would only be
                    // safe through the idempotency key, and the journal records it for reconcile.
                    call->deliver([done, e = withPrefix(d.error(), QStringLiteral("provision"))] {
                        done(e);
                    });
                    return;
                }
                ProvisionResult pr = d.value();
                pr.idempotencyKey = key;
                pr.attempts = attemptNo;
                call->deliver([done, pr] { done(pr); });
            },
            call);
        call->m_exchange = ex;
        ex->start();
    };
    (*attempt)();
    return CallHandle(call);
}

CallHandle CpClient::stop(const QString &workspaceId, const QString &instanceId, QObject *context,
                          const Callback<VoidResult> &done)
{
    auto *call = new CpCall(this, context);
    const QString name = QStringLiteral("stop");
    auto fail = [call, done, name](const Error &e) {
        call->deliverLater([done, e = withPrefix(e, name)] { done(e); });
    };
    if (const VoidResult err = validation::checkWorkspaceId(workspaceId); !err) {
        fail(err.error());
        return CallHandle(call);
    }
    if (instanceId.isEmpty()) {
        call->deliverLater([done] { done(Ok {}); });
        return CallHandle(call);
    }
    if (const VoidResult err = validation::checkInstanceId(instanceId); !err) {
        fail(err.error());
        return CallHandle(call);
    }
    const Built built = buildRequest(m_config, Route::Provision,
                                     QStringLiteral("/cp/workspaces/") + enc(workspaceId),
                                     QStringLiteral("instance_id=") + enc(instanceId));
    if (!built.policyError.isEmpty()) {
        fail(Error::make(Error::Kind::Policy, built.policyError));
        return CallHandle(call);
    }
    HttpExchange::Spec spec { "DELETE",
                              built.request,
                              {},
                              kStopExcerpt,
                              HttpExchange::OnCap::Truncate,
                              m_config.requestTimeoutMs };
    auto *ex = new HttpExchange(
        m_pool, spec,
        [call, done, name](const Result<HttpOutcome> &r) {
            if (!r) {
                call->deliver([done, e = withPrefix(r.error(), name)] { done(e); });
                return;
            }
            const VoidResult d = decode::stop(r->status, r->body, r->truncated);
            if (d) {
                call->deliver([done] { done(Ok {}); });
                return;
            }
            const Error &e = d.error();
            call->deliver([done, e = withPrefix(e, name)] { done(e); });
        },
        call);
    call->m_exchange = ex;
    ex->start();
    return CallHandle(call);
}

CallHandle CpClient::status(const QString &workspaceId, const QString &instanceId, QObject *context,
                            const Callback<StatusResult> &done, StatusDeadline deadline)
{
    auto *call = new CpCall(this, context);
    auto unknown = [](const Error &e) {
        StatusResult s;
        s.state = RunState::Unknown;
        s.error = withPrefix(e, QStringLiteral("status check"));
        return s;
    };
    if (const VoidResult err = validation::checkWorkspaceId(workspaceId); !err) {
        call->deliverLater([done, s = unknown(err.error())] { done(s); });
        return CallHandle(call);
    }
    if (instanceId.isEmpty()) {
        StatusResult s;
        s.state = RunState::NotRunning;
        s.httpCallMade = false;
        call->deliverLater([done, s] { done(s); });
        return CallHandle(call);
    }
    if (const VoidResult err = validation::checkInstanceId(instanceId); !err) {
        call->deliverLater([done, s = unknown(err.error())] { done(s); });
        return CallHandle(call);
    }
    const Built built
        = buildRequest(m_config, Route::Provision,
                       QStringLiteral("/cp/workspaces/%1/status").arg(enc(workspaceId)),
                       QStringLiteral("instance_id=") + enc(instanceId));
    if (!built.policyError.isEmpty()) {
        call->deliverLater(
            [done, s = unknown(Error::make(Error::Kind::Policy, built.policyError))] { done(s); });
        return CallHandle(call);
    }
    HttpExchange::Spec spec { "GET",
                              built.request,
                              {},
                              kStatusCap,
                              HttpExchange::OnCap::Fail,
                              deadline == StatusDeadline::Poll ? m_config.pollTimeoutMs
                                                               : m_config.requestTimeoutMs };
    auto *ex = new HttpExchange(
        m_statusPool, spec,
        [call, done, unknown](const Result<HttpOutcome> &r) {
            if (!r) {
                call->deliver([done, s = unknown(r.error())] { done(s); });
                return;
            }
            StatusResult s = decode::status(r->status, r->body);
            if (s.error)
                s = unknown(*s.error);
            call->deliver([done, s] { done(s); });
        },
        call);
    call->m_exchange = ex;
    ex->start();
    return CallHandle(call);
}

CallHandle CpClient::consoleOutput(const QString &workspaceId, QObject *context,
                                   const Callback<Result<ConsoleOutput>> &done)
{
    auto *call = new CpCall(this, context);
    const QString name = QStringLiteral("console");
    auto fail = [call, done, name](const Error &e) {
        call->deliverLater([done, e = withPrefix(e, name)] { done(e); });
    };
    if (const VoidResult err = validation::checkWorkspaceId(workspaceId); !err) {
        fail(err.error());
        return CallHandle(call);
    }
    const Built built
        = buildRequest(m_config, Route::Admin,
                       QStringLiteral("/cp/admin/workspaces/%1/console").arg(enc(workspaceId)), {});
    if (!built.policyError.isEmpty()) {
        fail(Error::make(Error::Kind::Policy, built.policyError));
        return CallHandle(call);
    }
    HttpExchange::Spec spec {
        "GET", built.request, {}, kConsoleCap, HttpExchange::OnCap::Fail, m_config.requestTimeoutMs
    };
    auto *ex = new HttpExchange(
        m_consolePool, spec,
        [call, done, name](const Result<HttpOutcome> &r) {
            if (!r) {
                call->deliver([done, e = withPrefix(r.error(), name)] { done(e); });
                return;
            }
            const Result<ConsoleOutput> d = decode::console(r->status, r->body);
            if (!d) {
                call->deliver([done, e = withPrefix(d.error(), name)] { done(e); });
                return;
            }
            const ConsoleOutput &c = d.value();
            call->deliver([done, c] { done(c); });
        },
        call);
    call->m_exchange = ex;
    ex->start();
    return CallHandle(call);
}

} // namespace cpc
