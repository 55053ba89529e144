#include "httppool.h"

#include "httpconnection.h"
#include "validation.h"

#include <QNetworkProxyFactory>

#include <algorithm>

namespace cpc {

HttpPool::HttpPool(QObject *parent)
    : QObject(parent)
{
}

HttpPool::~HttpPool()
{
    m_waiters.clear();
    const auto conns = m_busy.keys();
    for (HttpConnection *c : conns) {
        c->disconnect(this);
        c->abort();
    }
}

void HttpPool::setPerOriginLimit(int n)
{
    const int before = m_perOrigin;
    m_perOrigin = std::clamp(n, 1, kMaxPerOrigin);
    if (m_perOrigin <= before)
        return;
    QStringList keys;
    for (const Waiter &w : m_waiters) {
        if (!keys.contains(w.key))
            keys << w.key;
    }
    for (const QString &key : std::as_const(keys))
        serveWaiters(key);
}

quint64 HttpPool::acquire(const QUrl &url, bool fresh, Grant grant)
{
    const QString key = HttpConnection::originKey(url);
    if (!fresh) {
        if (HttpConnection *c = takeIdle(key)) {
            grant(c);
            return 0;
        }
    }
    if (countFor(key) >= m_perOrigin && fresh) {
        // Make room for the new connection by closing an idle one, if there is one.
        if (HttpConnection *c = takeIdle(key))
            remove(c);
    }
    if (countFor(key) < m_perOrigin) {
        grant(create(url));
        return 0;
    }
    const quint64 ticket = m_nextTicket++;
    m_waiters.push_back({ ticket, key, url, fresh, std::move(grant) });
    return ticket;
}

void HttpPool::withdraw(quint64 ticket)
{
    for (auto it = m_waiters.begin(); it != m_waiters.end(); ++it) {
        if (it->ticket == ticket) {
            m_waiters.erase(it);
            return;
        }
    }
}

void HttpPool::release(HttpConnection *c)
{
    if (!m_busy.contains(c))
        return;
    const QString key = c->originKey();
    if (c->isIdle() && countFor(key) <= m_perOrigin)
        m_busy[c] = false;
    else
        remove(c);
    serveWaiters(key);
}

HttpConnection *HttpPool::takeIdle(const QString &key)
{
    for (auto it = m_busy.begin(); it != m_busy.end(); ++it) {
        if (!it.value() && it.key()->isIdle() && it.key()->originKey() == key) {
            it.value() = true;
            return it.key();
        }
    }
    return nullptr;
}

int HttpPool::countFor(const QString &key) const
{
    int n = 0;
    for (auto it = m_busy.cbegin(); it != m_busy.cend(); ++it)
        n += it.key()->originKey() == key;
    return n;
}

HttpConnection *HttpPool::create(const QUrl &url)
{
    auto *c = new HttpConnection(url, proxyFor(url), this);
    m_busy.insert(c, true);
    // Closed while idle (by the server, or after a while unused): no longer on offer.
    connect(c, &HttpConnection::closed, this, [this, c] {
        if (m_busy.value(c, true))
            return; // its user hears of it and releases it
        const QString key = c->originKey();
        remove(c);
        serveWaiters(key);
    });
    return c;
}

void HttpPool::remove(HttpConnection *c)
{
    if (!m_busy.remove(c))
        return;
    c->disconnect(this);
    c->abort();
    c->deleteLater();
}

void HttpPool::serveWaiters(const QString &key)
{
    for (auto it = m_waiters.begin(); it != m_waiters.end();) {
        if (it->key != key) {
            ++it;
            continue;
        }
        HttpConnection *c = it->fresh ? nullptr : takeIdle(key);
        if (!c && countFor(key) < m_perOrigin)
            c = create(it->url);
        if (!c)
            return;
        Grant grant = std::move(it->grant);
        it = m_waiters.erase(it);
        grant(c);
        it = m_waiters.begin(); // the grant may have changed the queue
    }
}

QNetworkProxy HttpPool::proxyFor(const QUrl &url) const
{
    if (m_proxy.type() != QNetworkProxy::DefaultProxy)
        return m_proxy;
    if (validation::isLoopbackHost(url.host()))
        return QNetworkProxy(QNetworkProxy::NoProxy);
    const QList<QNetworkProxy> proxies
        = QNetworkProxyFactory::proxyForQuery(QNetworkProxyQuery(url));
    return proxies.isEmpty() ? QNetworkProxy(QNetworkProxy::NoProxy) : proxies.first();
}

} // namespace cpc
