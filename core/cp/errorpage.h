#pragma once

#include <QByteArray>
#include <QString>

/// HTML error pages (a proxy's 502 or 504, a web server's 404) reduced to what a person reads,
/// so that an error message never shows markup or the padding comments some servers add.
namespace cpc::decode {

struct ErrorPage
{
    QString title; ///< "504 Gateway Time-out" (from <title>, else <h1>); may be empty
    QString server; ///< "nginx", when the page names its server
    QString text; ///< the page's text without markup, on one line
};

/// True when the body is an HTML document rather than text or JSON.
bool looksLikeHtml(const QByteArray &body);
/// Every part passes the redactor first (a body cut at a read cap is a piece: what is left of a
/// secret at its end is masked), then the sanitizer; title and server are short, text is at
/// most maxText characters.
ErrorPage errorPage(const QByteArray &body, bool cut, int maxText);
/// "Gateway Time-out — nginx": the title without a leading status code (the message says the
/// status already), then the server. Never empty.
QString errorPageSummary(const ErrorPage &page, int status);

} // namespace cpc::decode
