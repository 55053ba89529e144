#pragma once

#include "config.h"
#include "result.h"

#include <QMap>
#include <QObject>
#include <QPointer>
#include <QString>

#include <chrono>
#include <functional>
#include <optional>

class QNetworkAccessManager;

namespace cpc {

class CpCall;
class HttpPool;

/// Handle to a call in flight. Copyable; cancel() is a no-op once the call has finished.
class CallHandle
{
public:
    CallHandle() = default;
    explicit CallHandle(CpCall *call);
    void cancel() const;
    bool isRunning() const;

private:
    QPointer<CpCall> m_call;
};

struct ProvisionRequest
{
    QString workspaceId;
    QString runtime;
    int tier = 0;
    QString platformUrl;
    QMap<QString, QString> env;
    QString provider; ///< optional, omitted when empty
    QString instanceType; ///< optional
    std::optional<int> diskGb; ///< optional
    QString templateName; ///< optional, sent as "template"
    QString idempotencyKey; ///< one per user action; generated when empty
};

struct ProvisionResult
{
    QString instanceId; ///< opaque: i-… from a real CP, mol-ws-… from a simulator
    QString privateIp;
    QString state;
    QString idempotencyKey;
    int attempts = 1;
};

enum class RunState { Running, NotRunning, Unknown };
QString runStateName(RunState s); ///< "running", "not-running", "unknown"
QString runStateLabel(RunState s); ///< for a person: "running", "not running", "unknown"

/// Status is three-valued and never fails: a failure is Unknown with the reason.
struct StatusResult
{
    RunState state = RunState::Unknown;
    QString cpState; ///< the raw "state" field when the CP answered
    std::optional<Error> error; ///< set exactly when state is Unknown
    bool httpCallMade = true; ///< false when there was no instance ID on file
};

/// Which deadline a status check runs under.
enum class StatusDeadline {
    Request, ///< an engineer's own question (cpctl status, the check before a provision)
    Poll, ///< a background poll: CpConfig::pollTimeoutMs, seconds rather than minutes
};

struct ConsoleOutput
{
    QString output;
    int bytes = 0; ///< size of the response body
};

/// Retries for provision. attempt counts from 1; backoff(n) is the wait before attempt n + 1.
struct RetryPolicy
{
    int maxAttempts = 5;
    std::function<std::chrono::milliseconds(int attempt)> backoff;
    static RetryPolicy defaultPolicy(); ///< 1 s, 2 s, 4 s, 8 s … capped at 30 s, ±20 % jitter
    static RetryPolicy immediate(int maxAttempts); ///< no waiting, for tests
};

/// The control-plane client: the four calls of the contract (docs/architecture.md). Every call is
/// asynchronous and delivers exactly one result to the callback, unless the context object is
/// destroyed first (then nothing is delivered) or the call is cancelled (then Kind::Cancelled).
class CpClient : public QObject
{
    Q_OBJECT
public:
    /// The client keeps its own connections to the CP (HttpPool, at most 6 per kind of call,
    /// more for status checks when setStatusConcurrency() asks): provision and stop share one
    /// set, status checks and console fetches each have their own, so a CP that drips its status
    /// answers cannot hold up a stop, and a sweep of status checks cannot queue ahead of the
    /// console the engineer is waiting for. `nam` lends its proxy when one is set on it;
    /// otherwise the system's proxy settings apply.
    CpClient(QNetworkAccessManager *nam, CpConfig config, QObject *parent = nullptr);

    const CpConfig &config() const { return m_config; }
    void setRetryPolicy(RetryPolicy policy) { m_retry = std::move(policy); }
    void setRequestTimeout(int ms) { m_config.requestTimeoutMs = ms; }
    void setProvisionTimeout(int ms) { m_config.provisionTimeoutMs = ms; }
    void setPollTimeout(int ms) { m_config.pollTimeoutMs = ms; }
    /// Status checks a sweep keeps in flight: the status connections follow (never fewer than
    /// HttpPool::kPerOrigin, never more than HttpPool::kMaxPerOrigin), so that a bound of 16 is
    /// 16 calls on the wire rather than 6 and 10 queued in the client.
    void setStatusConcurrency(int n);
    int statusConnectionLimit() const;

    template<typename T> using Callback = std::function<void(const T &)>;

    /// POST /cp/workspaces/provision. Success is exactly 201. Retries transient failures with
    /// the same idempotency key.
    CallHandle provision(const ProvisionRequest &request, QObject *context,
                         const Callback<Result<ProvisionResult>> &done);
    /// DELETE /cp/workspaces/{id}?instance_id={iid}. Any 2xx. No instance ID: success, no call.
    CallHandle stop(const QString &workspaceId, const QString &instanceId, QObject *context,
                    const Callback<VoidResult> &done);
    /// GET /cp/workspaces/{id}/status?instance_id={iid}. No instance ID: not running, no call.
    CallHandle status(const QString &workspaceId, const QString &instanceId, QObject *context,
                      const Callback<StatusResult> &done,
                      StatusDeadline deadline = StatusDeadline::Request);
    /// GET /cp/admin/workspaces/{id}/console, body capped at 256 KiB.
    CallHandle consoleOutput(const QString &workspaceId, QObject *context,
                             const Callback<Result<ConsoleOutput>> &done);

    static constexpr qint64 kProvisionCap = qint64(64) * 1024;
    static constexpr qint64 kStopExcerpt = 512;
    static constexpr qint64 kStatusCap = qint64(64) * 1024;
    static constexpr qint64 kConsoleCap = qint64(256) * 1024;

private:
    friend class CpCall;
    HttpPool *m_pool; ///< provision, stop
    HttpPool *m_statusPool; ///< status checks
    HttpPool *m_consolePool; ///< console fetches
    CpConfig m_config;
    RetryPolicy m_retry;
};

} // namespace cpc
