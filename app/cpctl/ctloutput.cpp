#include "ctloutput.h"

#include "logging.h"
#include "termtext.h"

#include <QIODevice>
#include <QJsonArray>
#include <QJsonObject>
#include <QTextStream>

namespace cpc::ctl {

namespace {

QJsonValue redacted(const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::String:
        return redaction::redact(v.toString());
    case QJsonValue::Array: {
        QJsonArray a;
        for (const QJsonValue x : v.toArray())
            a.append(redacted(x));
        return a;
    }
    case QJsonValue::Object: {
        QJsonObject o;
        const QJsonObject in = v.toObject();
        for (auto it = in.begin(); it != in.end(); ++it)
            o.insert(it.key(), redacted(it.value()));
        return o;
    }
    default:
        return v;
    }
}

} // namespace

QString shown(const QString &text)
{
    return termtext::sanitize(redaction::redact(text));
}

void printError(QTextStream &err, const QString &message)
{
    err << "cpctl: " << shown(message) << Qt::endl;
}

void printTable(QTextStream &out, const QList<QStringList> &rows)
{
    if (rows.isEmpty())
        return;
    QList<QStringList> cells;
    cells.reserve(rows.size());
    QList<int> widths(rows.first().size(), 0);
    for (const QStringList &r : rows) {
        QStringList c;
        for (int i = 0; i < r.size(); ++i) {
            c << shown(r[i]);
            widths[i] = std::max(widths[i], termtext::columns(c.last()));
        }
        cells << c;
    }
    for (const QStringList &r : std::as_const(cells)) {
        QString line;
        for (int i = 0; i < r.size(); ++i)
            line += i + 1 < r.size() ? termtext::padded(r[i], widths[i] + 2) : r[i];
        out << line << '\n';
    }
}

QByteArray jsonText(const QJsonDocument &doc, QJsonDocument::JsonFormat format)
{
    const QJsonDocument clean = doc.isArray() ? QJsonDocument(redacted(doc.array()).toArray())
                                              : QJsonDocument(redacted(doc.object()).toObject());
    return termtext::escapeJson(clean.toJson(format));
}

QString writeAll(QIODevice &device, const QByteArray &data)
{
    for (qint64 done = 0; done < data.size();) {
        const qint64 n = device.write(data.constData() + done, data.size() - done);
        if (n <= 0)
            return device.errorString().isEmpty() ? QStringLiteral("write failed")
                                                  : device.errorString();
        done += n;
    }
    return {};
}

bool flushed(QTextStream &stream, QTextStream &err, const QString &what)
{
    stream.flush();
    if (stream.status() != QTextStream::WriteFailed)
        return true;
    const QString why = stream.device() && !stream.device()->errorString().isEmpty()
        ? stream.device()->errorString()
        : QStringLiteral("write failed");
    printError(err, QStringLiteral("could not write %1: %2").arg(what, why));
    // Reported once: a later flush of the same stream does not repeat it.
    stream.resetStatus();
    return false;
}

} // namespace cpc::ctl
