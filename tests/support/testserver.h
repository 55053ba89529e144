#pragma once

#include "httpserver.h"

#include <QList>
#include <QObject>

#include <deque>
#include <utility>
#include <vector>

namespace cpc::test {

/// A loopback HTTP server for tests, after qtbase's MiniHttpServer: it answers each request
/// with the next scripted response (or the fallback when the script is empty) and records
/// every request it received.
class TestServer : public QObject
{
public:
    explicit TestServer(QObject *parent = nullptr);

    QUrl baseUrl() const { return m_server.baseUrl(); }
    quint16 port() const { return m_server.port(); }
    int openConnections() const { return m_server.openConnections(); }

    void enqueue(const HttpResponse &r) { m_script.push_back(r); }
    void setFallback(const HttpResponse &r) { m_fallback = r; }
    /// Answer from a function instead of the script.
    void setHandler(std::function<HttpResponse(const HttpRequest &)> fn) { m_fn = std::move(fn); }

    /// While on, each answer waits until releaseHeld(): a test lets the client give up on a
    /// request first and then shows that the answer did come.
    void setHolding(bool hold) { m_holding = hold; }
    int heldCount() const { return int(m_held.size()); }
    /// Sends every held answer now, in the order the requests came.
    void releaseHeld();

    const QList<HttpRequest> &requests() const { return m_requests; }
    int requestCount() const { return int(m_requests.size()); }
    HttpRequest lastRequest() const
    {
        return m_requests.isEmpty() ? HttpRequest {} : m_requests.last();
    }

private:
    MiniHttpServer m_server;
    std::deque<HttpResponse> m_script;
    HttpResponse m_fallback = HttpResponse::json(500, R"({"error":"no scripted response"})");
    std::function<HttpResponse(const HttpRequest &)> m_fn;
    QList<HttpRequest> m_requests;
    bool m_holding = false;
    std::vector<std::pair<HttpResponse, MiniHttpServer::Responder>> m_held;
};

} // namespace cpc::test
