#include "validation.h"

#include <QHostAddress>

namespace cpc::validation {

namespace {
constexpr int kMaxIdLength = 128;

VoidResult refused(QString message)
{
    return Error::make(Error::Kind::Policy, std::move(message));
}

VoidResult checkId(const QString &id, const QString &what)
{
    if (id.isEmpty())
        return refused(QStringLiteral("%1 is empty").arg(what));
    if (id.size() > kMaxIdLength)
        return refused(
            QStringLiteral("%1 is longer than %2 characters").arg(what).arg(kMaxIdLength));
    const QChar first = id.front();
    if (!(first.unicode() < 128 && first.isLetterOrNumber()))
        return refused(QStringLiteral("%1 must start with a letter or digit").arg(what));
    for (const QChar c : id) {
        const char16_t u = c.unicode();
        const bool ok = (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9')
            || u == '-' || u == '_' || u == '.' || u == ':';
        if (!ok)
            return refused(
                QStringLiteral("%1 contains a character that is not allowed (only letters, "
                               "digits, '-', '_', '.', ':')")
                    .arg(what));
    }
    if (id.contains(QStringLiteral("..")))
        return refused(QStringLiteral("%1 must not contain '..'").arg(what));
    return Ok {};
}
} // namespace

VoidResult checkWorkspaceId(const QString &id)
{
    return checkId(id, QStringLiteral("workspace ID"));
}

VoidResult checkInstanceId(const QString &id)
{
    return checkId(id, QStringLiteral("instance ID"));
}

bool isLoopbackHost(const QString &host)
{
    if (host.compare(QStringLiteral("localhost"), Qt::CaseInsensitive) == 0)
        return true;
    QHostAddress addr;
    if (!addr.setAddress(host))
        return false;
    return addr.isLoopback();
}

VoidResult checkBaseUrl(const QUrl &url, bool allowInsecureHttp)
{
    if (!url.isValid() || url.host().isEmpty())
        return refused(QStringLiteral("the CP URL is not a valid http(s) URL"));
    const QString scheme = url.scheme().toLower();
    if (scheme != QLatin1String("https") && scheme != QLatin1String("http"))
        return refused(QStringLiteral("the CP URL must use https (got '%1')").arg(scheme));
    if (!url.userInfo().isEmpty())
        return refused(
            QStringLiteral("the CP URL must not carry credentials; use the environment"));
    if (url.hasQuery() || url.hasFragment())
        return refused(QStringLiteral("the CP URL must not have a query or fragment"));
    if (scheme == QLatin1String("http") && !allowInsecureHttp && !isLoopbackHost(url.host()))
        return refused(QStringLiteral("plain http to %1 refused: use https, or allow it explicitly "
                                      "with --allow-insecure-http")
                           .arg(url.host()));
    return Ok {};
}

bool sameOrigin(const QUrl &a, const QUrl &b)
{
    const auto defPort = [](const QUrl &u) {
        return u.port(u.scheme().toLower() == QLatin1String("https") ? 443 : 80);
    };
    return a.scheme().compare(b.scheme(), Qt::CaseInsensitive) == 0
        && a.host().compare(b.host(), Qt::CaseInsensitive) == 0 && defPort(a) == defPort(b);
}

} // namespace cpc::validation
