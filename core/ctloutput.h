#pragma once

#include <QJsonDocument>
#include <QList>
#include <QString>
#include <QStringList>

class QTextStream;

/// How cpctl prints: every string from the database or the CP passes shown() (secrets
/// redacted, controls escaped) on its way to a terminal, JSON gets the same redaction with
/// the values kept.
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

} // namespace cpc::ctl
