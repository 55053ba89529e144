#include "logging.h"

#include "sharedset.h"

#include <QRegularExpression>

Q_LOGGING_CATEGORY(lcNet, "cpc.net", QtWarningMsg)
Q_LOGGING_CATEGORY(lcDb, "cpc.db", QtWarningMsg)
Q_LOGGING_CATEGORY(lcUi, "cpc.ui", QtWarningMsg)
Q_LOGGING_CATEGORY(lcSim, "cpc.sim", QtWarningMsg)

namespace cpc::redaction {

namespace {
SharedStringSet &secrets()
{
    static SharedStringSet s;
    return s;
}
const QString kRedacted = QStringLiteral("[redacted]");
} // namespace

void registerSecret(const Secret &secret)
{
    if (secret.reveal().size() < 4)
        return;
    secrets().insert(secret.reveal());
}

QString redact(const QString &text)
{
    QString out = text;
    for (const QString &s : secrets().values())
        out.replace(s, kRedacted);
    static const QRegularExpression bearer(QStringLiteral("(Bearer)\\s+[^\\s\"',;]+"),
                                           QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression adminHeader(
        QStringLiteral("(X-Molecule-Admin-Token\"?\\s*[:=]\\s*\"?)[^\\s\"',;]+"),
        QRegularExpression::CaseInsensitiveOption);
    out.replace(bearer, QStringLiteral("\\1 ") + kRedacted);
    out.replace(adminHeader, QStringLiteral("\\1") + kRedacted);
    return out;
}

QString redact(const QByteArray &utf8)
{
    return redact(QString::fromUtf8(utf8));
}

Probe::Probe()
{
    for (const QString &s : secrets().values())
        m_secrets.append(s.toUtf8());
}

bool Probe::mayRedact(QByteArrayView utf8) const
{
    // The words of the two patterns redact() replaces after, in lower case.
    static constexpr QByteArrayView kWords[] = { "bearer", "x-molecule-admin-token" };
    // Two bytes before a call: IDs in hex hold a 'b' in most rows, rarely a "be" ("x-" rarer).
    for (qsizetype i = 0; i + 1 < utf8.size(); ++i) {
        const char c = char(utf8[i] | 0x20);
        if (c != 'b' && c != 'x')
            continue;
        const char next = char(utf8[i + 1] | 0x20);
        for (const QByteArrayView word : kWords) {
            if (word[0] == c && word[1] == next && utf8.size() - i >= word.size()
                && qstrnicmp(utf8.data() + i, word.data(), size_t(word.size())) == 0)
                return true;
        }
    }
    for (const QByteArray &secret : m_secrets) {
        if (utf8.contains(secret))
            return true;
    }
    return false;
}

namespace {
constexpr qsizetype kMinFragment = 4; ///< as registerSecret(): shorter pieces say nothing

QString maskEdges(QString s, Cut cut)
{
    const bool start = int(cut) & int(Cut::Start);
    const bool end = int(cut) & int(Cut::End);
    if (!start && !end)
        return s;
    for (const QString &secret : secrets().values()) {
        const QStringView sv(secret);
        for (qsizetype k = std::min(sv.size() - 1, s.size()); end && k >= kMinFragment; --k) {
            if (QStringView(s).endsWith(sv.left(k))) {
                s.chop(k);
                s += kRedacted;
                break;
            }
        }
        for (qsizetype k = std::min(sv.size() - 1, s.size()); start && k >= kMinFragment; --k) {
            if (QStringView(s).startsWith(sv.right(k))) {
                s.remove(0, k);
                s.prepend(kRedacted);
                break;
            }
        }
    }
    return s;
}
} // namespace

QString redactPiece(const QString &text, Cut cut)
{
    return maskEdges(redact(text), cut);
}

QString redactAndShorten(const QString &text, qsizetype maxChars, Cut cut)
{
    QString s = redactPiece(text, cut);
    if (s.size() <= maxChars)
        return s;
    s.truncate(maxChars);
    if (!s.isEmpty() && s.back().isHighSurrogate())
        s.chop(1);
    return maskEdges(s, Cut::End) + QStringLiteral("…");
}

bool isSensitiveHeader(const QByteArray &name)
{
    const QByteArray n = name.toLower();
    return n == "authorization" || n == "x-molecule-admin-token" || n == "cookie"
        || n == "proxy-authorization";
}

QString formatRequest(const QByteArray &method, const QString &url,
                      const QList<QPair<QByteArray, QByteArray>> &headers)
{
    QStringList parts;
    for (const auto &[name, value] : headers) {
        parts << QString::fromLatin1(name) + QStringLiteral(": ")
                + (isSensitiveHeader(name) ? QStringLiteral("<redacted>") : redact(value));
    }
    return QString::fromLatin1(method) + u' ' + redact(url) + QStringLiteral(" [")
        + parts.join(QStringLiteral(", ")) + u']';
}

} // namespace cpc::redaction
