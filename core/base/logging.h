#pragma once

#include "secret.h"

#include <QByteArray>
#include <QList>
#include <QLoggingCategory>
#include <QPair>
#include <QString>

Q_DECLARE_LOGGING_CATEGORY(lcNet) // cpc.net
Q_DECLARE_LOGGING_CATEGORY(lcDb) // cpc.db
Q_DECLARE_LOGGING_CATEGORY(lcUi) // cpc.ui
Q_DECLARE_LOGGING_CATEGORY(lcSim) // cpc.sim

namespace cpc {

/// The one place that knows which values are secret. Every string that leaves the core for a
/// log, an error message, the audit log or the screen passes through redact().
namespace redaction {

/// Remembers a secret value for the rest of the process so that redact() can remove it even
/// where a server echoed it back in a body. Values shorter than four characters are ignored.
void registerSecret(const Secret &secret);
/// Replaces every registered secret and every "Bearer <token>" / admin-token header value.
QString redact(const QString &text);
QString redact(const QByteArray &utf8);

/// What redact() looks for, taken once: for a writer of many short fields (cpctl list) that
/// sends only the fields redact() might change through it. Secrets registered after it was
/// made are not seen: make it after the session has registered its secrets.
class Probe
{
public:
    Probe();
    /// False when redact() returns the text unchanged; true when it might change it (the text
    /// holds a registered secret, "bearer" or "x-molecule-admin-token" in any case).
    bool mayRedact(QByteArrayView utf8) const;

private:
    QList<QByteArray> m_secrets;
};

/// Where a piece of text was cut out of something longer.
enum class Cut { None = 0, Start = 1, End = 2, Both = 3 };
/// redact() for a piece of a longer text (an excerpt, a window onto a console): a registered
/// secret that the cut split in two is masked too, from four characters on (its end at the
/// start of the piece, its beginning at the end).
QString redactPiece(const QString &text, Cut cut);
/// Redacts first, then shortens to at most maxChars and appends "…", masking what the cut
/// leaves of a secret. Cutting before redacting is how 27 of 28 characters of a token once
/// reached the audit log.
QString redactAndShorten(const QString &text, qsizetype maxChars, Cut cut = Cut::None);
/// Headers that must never be logged with their value.
bool isSensitiveHeader(const QByteArray &name);
/// "GET http://host/path [Authorization: <redacted>, ...]" — the only request formatter.
QString formatRequest(const QByteArray &method, const QString &url,
                      const QList<QPair<QByteArray, QByteArray>> &headers);

} // namespace redaction
} // namespace cpc
