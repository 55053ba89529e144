#pragma once

#include <QHash>
#include <QNetworkProxy>
#include <QObject>
#include <QUrl>

#include <deque>
#include <functional>

namespace cpc {

class HttpConnection;

/// The connections one kind of call keeps to the CP, as a browser keeps them: at most
/// perOriginLimit() open to one origin at a time (kPerOrigin unless raised), idle ones reused.
/// A caller that finds them all busy waits its turn. Lives in the thread of its callers.
class HttpPool : public QObject
{
public:
    static constexpr int kPerOrigin = 6;
    /// However many calls a caller wants in flight, no more connections than this to one origin.
    static constexpr int kMaxPerOrigin = 64;
    using Grant = std::function<void(HttpConnection *)>;

    explicit HttpPool(QObject *parent = nullptr);
    ~HttpPool() override;

    /// The proxy for every connection. DefaultProxy (the default): the system's choice for each
    /// URL (https_proxy, no_proxy…), and none for loopback hosts.
    void setProxy(const QNetworkProxy &proxy) { m_proxy = proxy; }

    /// Connections to one origin at most, clamped to 1..kMaxPerOrigin. Raising it serves the
    /// callers waiting at once; lowering it closes no connection, the busy ones finish and the
    /// surplus is closed as it is released.
    void setPerOriginLimit(int n);
    int perOriginLimit() const { return m_perOrigin; }

    /// Calls grant with a connection to url's origin, at once when one is free (then returns
    /// 0), else when one becomes free (then returns a ticket for withdraw()). fresh: a new
    /// connection, not an idle one.
    quint64 acquire(const QUrl &url, bool fresh, Grant grant);
    void withdraw(quint64 ticket);
    /// The caller is done with c: an idle one waits for the next caller, any other is closed.
    void release(HttpConnection *c);

    int openConnections() const { return int(m_busy.size()); }

private:
    struct Waiter
    {
        quint64 ticket;
        QString key;
        QUrl url;
        bool fresh;
        Grant grant;
    };
    HttpConnection *takeIdle(const QString &key);
    int countFor(const QString &key) const;
    HttpConnection *create(const QUrl &url);
    void remove(HttpConnection *c);
    void serveWaiters(const QString &key);
    QNetworkProxy proxyFor(const QUrl &url) const;

    QHash<HttpConnection *, bool> m_busy; ///< every open connection: handed out or idle
    std::deque<Waiter> m_waiters;
    quint64 m_nextTicket = 1;
    QNetworkProxy m_proxy { QNetworkProxy::DefaultProxy };
    int m_perOrigin = kPerOrigin;
};

} // namespace cpc
