#pragma once

#include <QJsonDocument>
#include <QList>
#include <QString>
#include <QStringList>

class QIODevice;
class QTextStream;

/// How cpctl prints: every string from the database or the CP passes shown() (secrets
/// redacted, controls escaped) on its way to a terminal, JSON gets the same redaction with
/// the values kept, and a write that does not reach its device is an error.
namespace cpc::ctl {

/// Redacts the configured secrets and escapes controls (termtext::sanitize): for one field.
QString shown(const QString &text);

/// "cpctl: <message>" on one line, through shown().
void printError(QTextStream &err, const QString &message);

/// Columns separated by two spaces, every cell through shown(), aligned on the terminal
/// columns of what is shown.
void printTable(QTextStream &out, const QList<QStringList> &rows);

/// The document with every string value redacted, its C1 and bidirectional controls escaped
/// as \uXXXX (termtext::escapeJson): valid JSON, the same values, nothing a terminal acts on.
QByteArray jsonText(const QJsonDocument &doc, QJsonDocument::JsonFormat format);

/// Writes all of `data` to an unbuffered device; the reason of a failure, empty on success. A
/// short write (the disk filled up part way) is retried, as Qt gives no reason for one: the
/// retry fails outright, with the reason.
QString writeAll(QIODevice &device, const QByteArray &data);

/// Flushes `stream`; when what was written did not reach its device, prints "cpctl: could not
/// write <what>: <reason>" and returns false. A failure is reported once.
bool flushed(QTextStream &stream, QTextStream &err, const QString &what);

} // namespace cpc::ctl
