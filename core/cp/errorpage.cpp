#include "errorpage.h"

#include "logging.h"

#include <QRegularExpression>

namespace cpc::decode {

namespace {
constexpr int kTitleChars = 120;
constexpr int kServerChars = 60;

using RE = QRegularExpression;
constexpr auto kOpts = RE::CaseInsensitiveOption | RE::DotMatchesEverythingOption;

QString decodeEntities(const QString &s)
{
    static const RE entity(QStringLiteral("&(#[0-9]{1,7}|#x[0-9a-f]{1,6}|[a-z]{2,6});"), kOpts);
    QString out;
    qsizetype last = 0;
    auto it = entity.globalMatch(s);
    while (it.hasNext()) {
        const auto m = it.next();
        out += QStringView(s).mid(last, m.capturedStart() - last);
        const QString name = m.captured(1).toLower();
        QString repl = m.captured(0);
        bool ok = false;
        uint code = 0;
        if (name.startsWith(QLatin1String("#x")))
            code = name.mid(2).toUInt(&ok, 16);
        else if (name.startsWith(u'#'))
            code = name.mid(1).toUInt(&ok, 10);
        if (ok && code > 0 && code <= 0x10FFFF && (code < 0xD800 || code > 0xDFFF))
            repl = QString::fromUcs4(reinterpret_cast<const char32_t *>(&code), 1);
        else if (name == QLatin1String("amp"))
            repl = QStringLiteral("&");
        else if (name == QLatin1String("lt"))
            repl = QStringLiteral("<");
        else if (name == QLatin1String("gt"))
            repl = QStringLiteral(">");
        else if (name == QLatin1String("quot"))
            repl = QStringLiteral("\"");
        else if (name == QLatin1String("apos"))
            repl = QStringLiteral("'");
        else if (name == QLatin1String("nbsp"))
            repl = QStringLiteral(" ");
        out += repl;
        last = m.capturedEnd();
    }
    out += QStringView(s).mid(last);
    return out;
}

/// Markup out, entities decoded, control characters and runs of white space made one space.
QString toText(const QString &html)
{
    static const RE comment(QStringLiteral("<!--.*?(-->|$)"), kOpts);
    static const RE block(QStringLiteral("<(script|style)\\b.*?(</\\1\\s*>|$)"), kOpts);
    static const RE tag(QStringLiteral("<[^>]*(>|$)"), kOpts);
    QString s = html;
    s.replace(comment, QStringLiteral(" "));
    s.replace(block, QStringLiteral(" "));
    s.replace(tag, QStringLiteral(" "));
    s = decodeEntities(s);
    for (QChar &c : s) {
        if (c.category() == QChar::Other_Control || c.category() == QChar::Other_Format
            || c == QChar::LineSeparator || c == QChar::ParagraphSeparator)
            c = u' ';
    }
    return s.simplified();
}

QString firstMatch(const QString &html, const RE &re)
{
    const auto m = re.match(html);
    return m.hasMatch() ? toText(m.captured(1)) : QString();
}
} // namespace

bool looksLikeHtml(const QByteArray &body)
{
    const QByteArray head = body.left(1024).trimmed().toLower();
    if (!head.startsWith('<'))
        return false;
    return head.startsWith("<!doctype html") || head.contains("<html") || head.contains("<head")
        || head.contains("<body") || head.contains("<title");
}

ErrorPage errorPage(const QByteArray &body, bool cut, int maxText)
{
    // Redacted before anything is taken out of it: a secret split by markup removal or by a cut
    // could no longer be recognised.
    const QString html = redaction::redactPiece(QString::fromUtf8(body),
                                                cut ? redaction::Cut::End : redaction::Cut::None);
    static const RE title(QStringLiteral("<title[^>]*>(.*?)</title"), kOpts);
    static const RE h1(QStringLiteral("<h1[^>]*>(.*?)</h1"), kOpts);
    static const RE center(QStringLiteral("<hr\\s*/?>\\s*<center>(.*?)</center"), kOpts);
    static const RE address(QStringLiteral("<address>(.*?)</address"), kOpts);
    ErrorPage page;
    QString t = firstMatch(html, title);
    if (t.isEmpty())
        t = firstMatch(html, h1);
    page.title = redaction::redactAndShorten(t, kTitleChars);
    QString server = firstMatch(html, center);
    if (server.isEmpty()) {
        server = firstMatch(html, address); // Apache: "Apache/2.4.57 (Debian) Server at …"
        const qsizetype at = server.indexOf(QLatin1String(" Server at "));
        if (at > 0)
            server.truncate(at);
    }
    page.server = redaction::redactAndShorten(server, kServerChars);
    // Once more after markup and entities are gone: "&#97;dmin…" is a secret only now.
    if (maxText > 0)
        page.text = redaction::redactAndShorten(toText(html), maxText,
                                                cut ? redaction::Cut::End : redaction::Cut::None);
    return page;
}

QString errorPageSummary(const ErrorPage &page, int status)
{
    QString title = page.title;
    const QString code = QString::number(status);
    if (title.startsWith(code + u' '))
        title = title.mid(code.size() + 1);
    else if (title == code)
        title.clear();
    if (title.isEmpty())
        title = QStringLiteral("an error page");
    return page.server.isEmpty() ? title : title + QStringLiteral(" — ") + page.server;
}

} // namespace cpc::decode
