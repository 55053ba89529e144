#include "testserver.h"

#include <QtTest>

namespace cpc::test {

TestServer::TestServer(QObject *parent)
    : QObject(parent)
    , m_server(
          [this](const HttpRequest &req, const MiniHttpServer::Responder &respond) {
              m_requests.append(req);
              HttpResponse r = m_fallback;
              if (m_fn) {
                  r = m_fn(req);
              } else if (!m_script.empty()) {
                  r = m_script.front();
                  m_script.pop_front();
              }
              if (m_holding)
                  m_held.emplace_back(std::move(r), respond);
              else
                  respond(r);
          },
          this)
{
    if (!m_server.listen())
        qFatal("test server could not listen: %s", qPrintable(m_server.errorString()));
}

void TestServer::releaseHeld()
{
    auto held = std::exchange(m_held, {});
    for (auto &[response, respond] : held)
        respond(response);
}

} // namespace cpc::test
