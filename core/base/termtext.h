#pragma once

#include <QByteArray>
#include <QString>
#include <QStringView>

/// Text from the database or the CP on its way to a terminal (or a label): control characters,
/// escape sequences and bidirectional controls are shown escaped, never interpreted. An OSC 52
/// sequence in a workspace name would otherwise write the engineer's clipboard, "ESC[2K\r"
/// would overwrite a prompt, and U+202E would show "exe.txt" as "txt.exe".
namespace cpc::termtext {

/// One field, one line: every C0 control (tab and line breaks included), DEL, every C1
/// control, the bidirectional embeddings, overrides and isolates (U+202A–U+202E,
/// U+2066–U+2069) and the Unicode line and paragraph separators are replaced by an escape:
/// `\e`, `\t`, `\n`, `\r`, `\x07`, `\u009b`, `\u202e`. Printable text in any script (Cyrillic,
/// CJK, emoji) and backslashes are kept as they are.
QString sanitize(QStringView text);

/// As sanitize(), but line feeds and tabs are kept: for a multi-line message in a label.
QString sanitizeMultiline(QStringView text);

/// For a rendered serial console, whose only escape sequences are the renderer's own SGR
/// colours (AnsiParser has consumed every control the CP sent, OSC 52 included, and keeps
/// only line ends and tabs): escapes what parsing lets through and still reorders or breaks
/// text, the bidirectional controls and the line and paragraph separators.
QString escapeBidi(QStringView text);

/// QJsonDocument escapes C0 controls but writes C1 controls and bidirectional controls as raw
/// UTF-8, which a terminal interprets. Rewrites those as `\uXXXX` escapes: the document stays
/// valid JSON and parses to the same values.
QByteArray escapeJson(const QByteArray &json);

/// Terminal columns the text takes: East Asian wide characters and emoji count two, combining
/// marks and other zero-width characters none. For aligning tables of sanitized text.
int columns(QStringView text);

/// `text` followed by spaces up to `width` columns.
QString padded(const QString &text, int width);

/// Passes every Qt log message through sanitize() before the handler in place (stderr, by
/// default) writes it: a log line quotes database and CP text too (a PostgreSQL error, a
/// server's message). For the executables' main(), before anything logs.
void installLogSanitizer();

} // namespace cpc::termtext
