#include "dburl.h"

#include <QDir>
#include <QHostAddress>
#include <QSet>
#include <QStandardPaths>
#include <QUrl>

namespace cpc {

namespace {

const QString kMask = QStringLiteral("***");

Error configError(const QString &message)
{
    return Error::make(Error::Kind::Config, message);
}

QString decode(const QString &s)
{
    return QUrl::fromPercentEncoding(s.toUtf8());
}

Result<int> parsePort(const QString &text)
{
    bool ok = false;
    const int port = text.toInt(&ok);
    if (!ok || port < 1 || port > 65535)
        return configError(QStringLiteral("database URL: port '%1' is not a number from 1 to 65535")
                               .arg(text.left(16)));
    return port;
}

Result<DbUrl> parseSqlite(const QString &rest)
{
    QString path = rest;
    if (path.startsWith(QLatin1String("///")))
        path = path.mid(2);
    else if (path.startsWith(QLatin1String("//")))
        return configError(QStringLiteral(
            "database URL: use sqlite:PATH or sqlite:///absolute/path (no host part)"));
    if (path.isEmpty())
        return configError(QStringLiteral("database URL: sqlite: needs a file path (sqlite:PATH)"));
    if (path == QLatin1String("~") || path.startsWith(QLatin1String("~/")))
        path = QDir::homePath() + path.mid(1);
    DbUrl url;
    url.scheme = DbUrl::Scheme::Sqlite;
    url.path = path;
    return url;
}

/// True when every host reaches this machine: a unix socket directory (or none, libpq's
/// default socket), localhost, 127.0.0.0/8 or ::1. libpq takes a comma-separated list.
bool isLoopback(const QString &hosts)
{
    for (const QString &h : hosts.split(u',')) {
        const QString host = h.trimmed();
        if (host.isEmpty() || host.startsWith(u'/') || host.startsWith(u'@')
            || host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0)
            continue;
        const QHostAddress address(host);
        if (address.isNull() || !address.isLoopback())
            return false;
    }
    return true;
}

Result<DbUrl> parsePostgres(const QString &rest)
{
    // Parsed by hand rather than with QUrl: QUrl refuses the libpq socket form (user@ with an
    // empty host), and its error strings quote the input, password included.
    DbUrl url;
    url.scheme = DbUrl::Scheme::Postgres;
    if (rest.contains(u'#'))
        return configError(QStringLiteral("database URL: a fragment ('#') is not allowed; "
                                          "percent-encode '#' in a password as %23"));
    QString main = rest;
    QString query;
    if (const qsizetype q = rest.indexOf(u'?'); q >= 0) {
        main = rest.left(q);
        query = rest.mid(q + 1);
    }
    const qsizetype slash = main.indexOf(u'/');
    const QString authority = slash < 0 ? main : main.left(slash);
    const QString path = slash < 0 ? QString() : main.mid(slash + 1);

    QString hostPort = authority;
    if (const qsizetype at = authority.lastIndexOf(u'@'); at >= 0) {
        const QString userInfo = authority.left(at);
        hostPort = authority.mid(at + 1);
        const qsizetype colon = userInfo.indexOf(u':');
        url.user = decode(colon < 0 ? userInfo : userInfo.left(colon));
        if (colon >= 0)
            url.password = decode(userInfo.mid(colon + 1));
    }
    if (hostPort.startsWith(u'[')) {
        const qsizetype close = hostPort.indexOf(u']');
        if (close < 0)
            return configError(QStringLiteral("database URL: unterminated IPv6 address"));
        url.host = hostPort.mid(1, close - 1);
        const QString after = hostPort.mid(close + 1);
        if (after.startsWith(u':')) {
            const auto port = parsePort(after.mid(1));
            if (!port)
                return port.error();
            url.port = *port;
        } else if (!after.isEmpty()) {
            return configError(QStringLiteral("database URL: unexpected text after the host"));
        }
    } else if (const qsizetype colon = hostPort.lastIndexOf(u':'); colon >= 0) {
        url.host = decode(hostPort.left(colon));
        const auto port = parsePort(hostPort.mid(colon + 1));
        if (!port)
            return port.error();
        url.port = *port;
    } else {
        url.host = decode(hostPort);
    }
    url.database = decode(path);

    static const QSet<QString> options
        = { QStringLiteral("sslmode"),          QStringLiteral("connect_timeout"),
            QStringLiteral("application_name"), QStringLiteral("sslrootcert"),
            QStringLiteral("sslcert"),          QStringLiteral("sslkey"),
            QStringLiteral("service") };
    QStringList connectOptions;
    bool hasTimeout = false;
    bool hasSslMode = false;
    const QStringList pairs = query.split(u'&', Qt::SkipEmptyParts);
    for (const QString &pair : pairs) {
        const qsizetype eq = pair.indexOf(u'=');
        const QString key = decode(eq < 0 ? pair : pair.left(eq));
        const QString value = eq < 0 ? QString() : decode(pair.mid(eq + 1));
        if (key == QLatin1String("host")) {
            url.host = value;
        } else if (key == QLatin1String("port")) {
            const auto port = parsePort(value);
            if (!port)
                return port.error();
            url.port = *port;
        } else if (key == QLatin1String("dbname")) {
            url.database = value;
        } else if (key == QLatin1String("user")) {
            url.user = value;
        } else if (key == QLatin1String("password")) {
            url.password = value;
        } else if (options.contains(key)) {
            for (const QChar c : value) {
                if (c.isSpace() || c == u';' || c == u'\'' || c == u'\\')
                    return configError(QStringLiteral("database URL: the value of '%1' may not "
                                                      "contain spaces, quotes or ';'")
                                           .arg(key));
            }
            connectOptions << key + u'=' + value;
            hasTimeout = hasTimeout || key == QLatin1String("connect_timeout");
            hasSslMode = hasSslMode || key == QLatin1String("sslmode");
            if (key == QLatin1String("service"))
                url.service = value;
        } else {
            return configError(QStringLiteral("database URL: unsupported parameter '%1' (known: "
                                              "host, port, dbname, user, sslmode, "
                                              "connect_timeout, application_name, sslrootcert, "
                                              "sslcert, sslkey, service)")
                                   .arg(key.left(40)));
        }
    }
    // A database that does not answer must not hang an incident for libpq's default (forever).
    if (!hasTimeout)
        connectOptions << QStringLiteral("connect_timeout=10");
    // A named service (service= or PGSERVICE) decides its own sslmode: ours would override the
    // one in its pg_service.conf entry. So does PGSSLMODE, which the user set on purpose.
    const bool service = !url.service.isEmpty() || !qEnvironmentVariable("PGSERVICE").isEmpty();
    if (!hasSslMode && !service && qEnvironmentVariable("PGSSLMODE").isEmpty()
        && !isLoopback(url.host.isEmpty() ? qEnvironmentVariable("PGHOST") : url.host))
        connectOptions << QStringLiteral("sslmode=verify-full");
    url.connectOptions = connectOptions.join(u';');

    if (url.database.isEmpty() && !service)
        return configError(QStringLiteral("database URL: no database name "
                                          "(postgresql://user@host:port/DBNAME, or name a "
                                          "service: postgresql://?service=NAME)"));
    return url;
}

} // namespace

Result<DbUrl> DbUrl::parse(const QString &text)
{
    const QString url = text.trimmed();
    if (url.isEmpty())
        return configError(QStringLiteral("database URL is empty"));
    if (url.startsWith(QLatin1String("sqlite:"), Qt::CaseInsensitive))
        return parseSqlite(url.mid(7));
    for (const auto prefix : { QLatin1String("postgresql://"), QLatin1String("postgres://") }) {
        if (url.startsWith(prefix, Qt::CaseInsensitive))
            return parsePostgres(url.mid(prefix.size()));
    }
    const qsizetype colon = url.indexOf(u':');
    const QString scheme = colon > 0 && colon <= 16 ? url.left(colon) : QString();
    return configError(
        QStringLiteral("database URL: unsupported scheme%1 (use sqlite:PATH or "
                       "postgresql://user@host:port/dbname)")
            .arg(scheme.isEmpty() ? QString() : QStringLiteral(" '%1'").arg(scheme)));
}

QString DbUrl::display() const
{
    if (scheme == Scheme::Sqlite)
        return QStringLiteral("sqlite:") + path;
    QString out = QStringLiteral("postgresql://");
    if (!user.isEmpty() || !password.isEmpty()) {
        out += QString::fromUtf8(QUrl::toPercentEncoding(user));
        if (!password.isEmpty())
            out += u':' + kMask;
        out += u'@';
    }
    const bool socket = host.startsWith(u'/');
    if (!socket) {
        out += host.contains(u':') ? u'[' + host + u']' : host;
        if (port > 0)
            out += u':' + QString::number(port);
    }
    out += u'/' + QString::fromUtf8(QUrl::toPercentEncoding(database));
    QStringList query;
    if (socket) {
        query << QStringLiteral("host=") + host;
        if (port > 0)
            query << QStringLiteral("port=") + QString::number(port);
    }
    if (!service.isEmpty())
        query << QStringLiteral("service=") + service;
    if (!query.isEmpty())
        out += u'?' + query.join(u'&');
    return out;
}

UrlWithoutPassword splitPassword(const QString &text)
{
    UrlWithoutPassword out { text, {} };
    const QString url = text.trimmed();
    qsizetype start = -1;
    for (const auto prefix : { QLatin1String("postgresql://"), QLatin1String("postgres://") }) {
        if (url.startsWith(prefix, Qt::CaseInsensitive))
            start = prefix.size();
    }
    if (start < 0)
        return out;
    // The same split as parsePostgres(): query, then authority up to the first '/'.
    const qsizetype q = url.indexOf(u'?', start);
    QString main = q < 0 ? url.mid(start) : url.mid(start, q - start);
    QString query = q < 0 ? QString() : url.mid(q + 1);
    const qsizetype slash = main.indexOf(u'/');
    const qsizetype at = main.left(slash < 0 ? main.size() : slash).lastIndexOf(u'@');
    QString password;
    bool found = false;
    if (at >= 0) {
        const qsizetype colon = main.left(at).indexOf(u':');
        if (colon >= 0) {
            password = decode(main.mid(colon + 1, at - colon - 1));
            main.remove(colon, at - colon);
            found = true;
        }
    }
    QStringList kept;
    for (const QString &pair : query.split(u'&', Qt::SkipEmptyParts)) {
        const qsizetype eq = pair.indexOf(u'=');
        if (decode(eq < 0 ? pair : pair.left(eq)) == QLatin1String("password")) {
            password = eq < 0 ? QString() : decode(pair.mid(eq + 1));
            found = true;
        } else {
            kept << pair;
        }
    }
    if (!found)
        return out; // as written
    out.url = url.left(start) + main + (kept.isEmpty() ? QString() : u'?' + kept.join(u'&'));
    out.password = Secret(password);
    return out;
}

QString userDataDirectory()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation)
        + QStringLiteral("/cpconsole");
}

QString DbUrl::scrub(const QString &text) const
{
    if (password.isEmpty())
        return text;
    QString out = text;
    out.replace(password, kMask);
    const QString encoded = QString::fromUtf8(QUrl::toPercentEncoding(password));
    if (encoded != password)
        out.replace(encoded, kMask);
    return out;
}

} // namespace cpc
