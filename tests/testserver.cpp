#include "testserver.h"

#include <QtTest>

namespace cpc::test {

TestServer::TestServer(QObject *parent)
    : QObject(parent)
    , m_server(
              [this](const HttpRequest &req, const MiniHttpServer::Responder &respond) {
                  m_requests.append(req);
                  if (m_fn) {
                      respond(m_fn(req));
                      return;
                  }
                  if (!m_script.empty()) {
                      HttpResponse r = m_script.front();
                      m_script.pop_front();
                      respond(r);
                      return;
                  }
                  respond(m_fallback);
              },
              this)
{
    if (!m_server.listen())
        qFatal("test server could not listen: %s", qPrintable(m_server.errorString()));
}

} // namespace cpc::test
