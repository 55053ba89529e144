#include "cpdecode.h"

#include "errorpage.h"
#include "logging.h"
#include "validation.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace cpc::decode {

namespace {
/// Makes text from a server fit for a one-line message: valid UTF-8, no control characters,
/// bounded, and with every known secret removed. Redacted before it is cut, and what a cut
/// (ours, or the read cap's when rawWasCut) leaves of a secret is masked.
QString sanitizeServerTextImpl(const QByteArray &raw, int maxChars, bool rawWasCut)
{
    QString s = redaction::redactPiece(QString::fromUtf8(raw),
                                       rawWasCut ? redaction::Cut::End : redaction::Cut::None);
    for (QChar &c : s) {
        if (c.category() == QChar::Other_Control || c == QChar::LineSeparator
            || c == QChar::ParagraphSeparator)
            c = u' ';
    }
    return redaction::redactAndShorten(s.simplified(), maxChars);
}

/// A server's words for a message: an HTML page as its title and server, anything else as
/// sanitized text.
QString serverWords(const QByteArray &raw, int status, int maxChars)
{
    if (looksLikeHtml(raw))
        return errorPageSummary(errorPage(raw, false, maxChars), status);
    return sanitizeServerTextImpl(raw, maxChars, false);
}

std::optional<QJsonObject> jsonObject(const QByteArray &body)
{
    QJsonParseError perr;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &perr);
    if (perr.error != QJsonParseError::NoError || !doc.isObject())
        return std::nullopt;
    return doc.object();
}

} // namespace

QString sanitizeServerText(const QByteArray &raw, int maxChars, bool rawWasCut)
{
    return sanitizeServerTextImpl(raw, maxChars, rawWasCut);
}

Result<ProvisionResult> provision(int status, const QByteArray &body)
{
    const auto obj = jsonObject(body);
    if (status != 201) {
        QString why = obj
            ? serverWords(obj->value(QStringLiteral("error")).toString().toUtf8(), status, 300)
            : QString();
        if (why.isEmpty())
            why = QStringLiteral("<unstructured body, %1 bytes>").arg(body.size());
        return Error::make(Error::Kind::HttpStatus, why, status);
    }
    const QJsonValue iid = obj ? obj->value(QStringLiteral("instance_id")) : QJsonValue();
    if (!obj || !iid.isString() || iid.toString().isEmpty()) {
        return Error::make(Error::Kind::Decode,
                           obj ? QStringLiteral("201 without an instance_id")
                               : QStringLiteral("undecodable response (%1 bytes)").arg(body.size()),
                           201);
    }
    // The ID is opaque but goes into later URLs and means "something to stop" when non-empty:
    // one that is not a valid ID is a decode failure (found by fuzzing: control characters
    // alone would have sanitised to an empty ID, i.e. "nothing on file" — an orphan).
    if (const VoidResult err = validation::checkInstanceId(iid.toString()); !err)
        return Error::make(
            Error::Kind::Decode,
            QStringLiteral("201 with an unusable instance_id (%1)").arg(err.error().message), 201);
    // A CP that echoes a credential as the ID must not get it onto the screen or into the
    // database (found by fuzzing).
    if (redaction::redact(iid.toString()) != iid.toString())
        return Error::make(
            Error::Kind::Decode,
            QStringLiteral("201 with an unusable instance_id (it contains a credential)"), 201);
    ProvisionResult pr;
    pr.instanceId = iid.toString();
    pr.privateIp
        = sanitizeServerText(obj->value(QStringLiteral("private_ip")).toString().toUtf8(), 64);
    pr.state = sanitizeServerText(obj->value(QStringLiteral("state")).toString().toUtf8(), 64);
    return pr;
}

VoidResult stop(int status, const QByteArray &body, bool truncated)
{
    if (status >= 200 && status < 300)
        return Ok {};
    const int cap = int(CpClient::kStopExcerpt);
    const QString more = truncated
        ? QStringLiteral(" (response larger than %1 bytes, the rest not read)").arg(cap)
        : QString();
    if (looksLikeHtml(body)) {
        // A proxy's error page: its title and server in the message, never its markup; the
        // page's text for whoever opens the details.
        const ErrorPage page = errorPage(body.left(cap), truncated, cap);
        Error e = Error::make(Error::Kind::HttpStatus, errorPageSummary(page, status), status);
        e.details = page.text + more;
        return e;
    }
    QString excerpt = sanitizeServerText(body.left(cap), cap, truncated);
    if (excerpt.isEmpty())
        excerpt = QStringLiteral("<empty body>");
    Error e = Error::make(Error::Kind::HttpStatus, excerpt + more, status);
    e.details = e.message;
    return e;
}

StatusResult status(int status, const QByteArray &body)
{
    StatusResult s;
    if (status < 200 || status >= 300) {
        // The body is not read into the message (upstream errors may echo headers), except the
        // title of an HTML error page.
        s.error
            = Error::make(Error::Kind::HttpStatus,
                          looksLikeHtml(body) ? errorPageSummary(errorPage(body, false, 0), status)
                                              : QStringLiteral("unexpected status"),
                          status);
        return s;
    }
    const auto obj = jsonObject(body);
    const QJsonValue state = obj ? obj->value(QStringLiteral("state")) : QJsonValue();
    if (!state.isString()) {
        s.error
            = Error::make(Error::Kind::Decode,
                          obj ? QStringLiteral("no \"state\" in the answer")
                              : QStringLiteral("undecodable answer (%1 bytes)").arg(body.size()),
                          status);
        return s;
    }
    s.cpState = sanitizeServerText(state.toString().toUtf8(), 64);
    s.state
        = state.toString() == QLatin1String("running") ? RunState::Running : RunState::NotRunning;
    return s;
}

Result<ConsoleOutput> console(int status, const QByteArray &body)
{
    if (status < 200 || status >= 300) {
        QString why;
        switch (status) {
        case 401:
            why = QStringLiteral("not authorised (check CP_ADMIN_API_TOKEN)");
            break;
        case 403:
            why = QStringLiteral("forbidden (the admin API key lacks access)");
            break;
        case 404:
            why = QStringLiteral("no console for this workspace");
            break;
        default:
            why = looksLikeHtml(body) ? errorPageSummary(errorPage(body, false, 0), status)
                                      : QStringLiteral("unexpected status");
            break;
        }
        return Error::make(Error::Kind::HttpStatus, why, status);
    }
    const auto obj = jsonObject(body);
    const QJsonValue out = obj ? obj->value(QStringLiteral("output")) : QJsonValue();
    if (!out.isString()) {
        return Error::make(Error::Kind::Decode,
                           obj ? QStringLiteral("no \"output\" in the answer")
                               : QStringLiteral("undecodable answer (%1 bytes)").arg(body.size()),
                           status);
    }
    ConsoleOutput c;
    // A CP that echoes a credential into the console must not put it on the screen. The
    // output is a window onto a longer console: it may begin inside a secret (the window moved
    // on) and end inside one (still being written).
    c.output = redaction::redactPiece(out.toString(), redaction::Cut::Both);
    c.bytes = int(body.size());
    return c;
}

} // namespace cpc::decode
