// libFuzzer target: ID and URL validation. Invariants: an ID that validates can never change
// the route once percent-encoded (no '/', '?', '#', '%', '..'); a base URL that validates is
// http(s) with a host, and plain http only for loopback hosts.
#include "validation.h"

#include <QUrl>

#include <cstdint>
#include <cstdlib>

namespace {
void check(bool ok)
{
    if (!ok)
        std::abort();
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString text = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    if (cpc::validation::checkWorkspaceId(text).ok()) {
        const QByteArray enc = QUrl::toPercentEncoding(text);
        check(!enc.contains('/') && !enc.contains('?') && !enc.contains('#'));
        check(!text.contains(QLatin1String("..")) && !text.contains(u'%') && !text.contains(u'/'));
        check(text.size() <= 128);
    }
    check(cpc::validation::checkWorkspaceId(text).ok()
          == cpc::validation::checkInstanceId(text).ok());
    const QUrl url(text);
    if (cpc::validation::checkBaseUrl(url, false).ok()) {
        const QString scheme = url.scheme().toLower();
        check(scheme == QLatin1String("https")
              || (scheme == QLatin1String("http") && cpc::validation::isLoopbackHost(url.host())));
        check(!url.host().isEmpty());
    }
    return 0;
}
