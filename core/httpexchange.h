#pragma once

#include "result.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QNetworkRequest>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <functional>

class QNetworkAccessManager;
class QNetworkReply;

namespace cpc {

/// What came back from one HTTP exchange that completed at the transport level.
struct HttpOutcome
{
    int status = 0;
    QByteArray body; ///< at most the cap
    bool truncated = false; ///< the body reached the cap and the rest was not read
    QByteArray retryAfter; ///< the Retry-After header, if any
};

/// One request with the contract's guards: an overall deadline that a dripping server cannot
/// extend, a body cap enforced while the body streams in (abort at the cap, never buffer past
/// it), and no redirect to another origin. Delivers exactly one outcome, then deletes itself.
class HttpExchange : public QObject
{
    Q_OBJECT
public:
    enum class OnCap { Fail, Truncate };
    struct Spec
    {
        QByteArray method;
        QNetworkRequest request;
        QByteArray body;
        qint64 bodyCap = qint64(64) * 1024;
        OnCap onCap = OnCap::Fail;
        int deadlineMs = 120'000;
    };
    using Handler = std::function<void(Result<HttpOutcome>)>;

    HttpExchange(QNetworkAccessManager *nam, Spec spec, Handler handler, QObject *parent);
    ~HttpExchange() override;

    void start();
    void cancel();

private:
    void onReadyRead();
    void onFinished();
    void finish(Result<HttpOutcome> r);
    Error transportError() const;

    QNetworkAccessManager *m_nam;
    Spec m_spec;
    Handler m_handler;
    QPointer<QNetworkReply> m_reply;
    QTimer m_deadline;
    HttpOutcome m_out;
    bool m_done = false;
};

} // namespace cpc
