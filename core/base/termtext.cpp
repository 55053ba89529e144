#include "termtext.h"

#include <QtGlobal>

#include <algorithm>
#include <cstdio>
#include <iterator>

namespace cpc::termtext {

namespace {

bool isBidiControl(char16_t c)
{
    return (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

bool isLineOrParagraphSeparator(char16_t c)
{
    return c == 0x2028 || c == 0x2029;
}

bool isControl(char16_t c)
{
    return c < 0x20 || (c >= 0x7f && c <= 0x9f);
}

enum class Keep { Nothing, LinesAndTabs, Controls };

bool needsEscape(char16_t c, Keep keep)
{
    if (isBidiControl(c) || isLineOrParagraphSeparator(c))
        return true;
    switch (keep) {
    case Keep::Controls:
        return false;
    case Keep::LinesAndTabs:
        if (c == u'\n' || c == u'\t')
            return false;
        break;
    case Keep::Nothing:
        break;
    }
    return isControl(c);
}

void appendEscape(QString &out, char16_t c)
{
    switch (c) {
    case 0x1b:
        out += QLatin1StringView("\\e");
        return;
    case u'\t':
        out += QLatin1StringView("\\t");
        return;
    case u'\n':
        out += QLatin1StringView("\\n");
        return;
    case u'\r':
        out += QLatin1StringView("\\r");
        return;
    default:
        break;
    }
    if (c < 0x80)
        out += QStringLiteral("\\x%1").arg(int(c), 2, 16, QChar(u'0'));
    else
        out += QStringLiteral("\\u%1").arg(int(c), 4, 16, QChar(u'0'));
}

QString escaped(QStringView text, Keep keep)
{
    // Every character looked at is in the BMP, so code units suffice; surrogate pairs pass.
    const auto first = std::find_if(text.cbegin(), text.cend(),
                                    [keep](QChar c) { return needsEscape(c.unicode(), keep); });
    if (first == text.cend())
        return text.toString();
    QString out;
    out.reserve(text.size() + 16);
    out += text.first(std::distance(text.cbegin(), first));
    for (auto it = first; it != text.cend(); ++it) {
        if (needsEscape(it->unicode(), keep))
            appendEscape(out, it->unicode());
        else
            out += *it;
    }
    return out;
}

// East Asian Wide and Fullwidth blocks and the emoji blocks terminals draw two columns wide;
// an approximation of wcwidth() that needs no locale.
constexpr std::pair<char32_t, char32_t> kWide[] = {
    { 0x1100, 0x115f },   { 0x2e80, 0x303e },   { 0x3041, 0x33ff },   { 0x3400, 0x4dbf },
    { 0x4e00, 0x9fff },   { 0xa000, 0xa4cf },   { 0xac00, 0xd7a3 },   { 0xf900, 0xfaff },
    { 0xfe30, 0xfe4f },   { 0xff00, 0xff60 },   { 0xffe0, 0xffe6 },   { 0x1f300, 0x1f64f },
    { 0x1f680, 0x1f6ff }, { 0x1f900, 0x1f9ff }, { 0x1fa70, 0x1faff }, { 0x20000, 0x3fffd },
};

int width(char32_t cp)
{
    switch (QChar::category(cp)) {
    case QChar::Mark_NonSpacing:
    case QChar::Mark_Enclosing:
    case QChar::Other_Format:
        return 0;
    default:
        break;
    }
    for (const auto &[lo, hi] : kWide) {
        if (cp >= lo && cp <= hi)
            return 2;
    }
    return 1;
}

QtMessageHandler previousHandler = nullptr;

void sanitizingHandler(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    const QString clean = escaped(message, Keep::Nothing);
    if (previousHandler) {
        previousHandler(type, context, clean);
        return;
    }
    std::fprintf(stderr, "%s\n", qPrintable(qFormatLogMessage(type, context, clean)));
    std::fflush(stderr);
}

} // namespace

QString sanitize(QStringView text)
{
    return escaped(text, Keep::Nothing);
}

QString sanitizeMultiline(QStringView text)
{
    return escaped(text, Keep::LinesAndTabs);
}

QString escapeBidi(QStringView text)
{
    return escaped(text, Keep::Controls);
}

QByteArray escapeJson(const QByteArray &json)
{
    // In valid UTF-8 a lead byte (0xc2, 0xe2) never appears inside another character, and
    // JSON's own syntax is ASCII, so these sequences can only be inside strings.
    auto escapeAt = [&](qsizetype i) -> int {
        const auto b = [&](qsizetype k) {
            return k < json.size() ? uchar(json[k]) : 0;
        };
        if (b(i) == 0xc2 && b(i + 1) >= 0x80 && b(i + 1) <= 0x9f)
            return 2;
        if (b(i) == 0xe2 && b(i + 1) == 0x80 && b(i + 2) >= 0xa8 && b(i + 2) <= 0xae)
            return 3;
        if (b(i) == 0xe2 && b(i + 1) == 0x81 && b(i + 2) >= 0xa6 && b(i + 2) <= 0xa9)
            return 3;
        return 0;
    };
    QByteArray out;
    qsizetype copied = 0;
    for (qsizetype i = 0; i < json.size(); ++i) {
        const int n = escapeAt(i);
        if (!n)
            continue;
        if (out.isEmpty())
            out.reserve(json.size() + 64);
        out += QByteArrayView(json).sliced(copied, i - copied);
        const QString c = QString::fromUtf8(json.constData() + i, n);
        out += QByteArrayLiteral("\\u")
            + QByteArray::number(c.front().unicode(), 16).rightJustified(4, '0');
        i += n - 1;
        copied = i + 1;
    }
    if (copied == 0)
        return json;
    out += QByteArrayView(json).sliced(copied);
    return out;
}

int columns(QStringView text)
{
    int n = 0;
    for (qsizetype i = 0; i < text.size(); ++i) {
        char32_t cp = text[i].unicode();
        if (text[i].isHighSurrogate() && i + 1 < text.size() && text[i + 1].isLowSurrogate()) {
            cp = QChar::surrogateToUcs4(text[i], text[i + 1]);
            ++i;
        }
        n += width(cp);
    }
    return n;
}

QString padded(const QString &text, int width)
{
    const int fill = width - columns(text);
    return fill > 0 ? text + QString(fill, u' ') : text;
}

void installLogSanitizer()
{
    if (previousHandler)
        return; // installed already
    previousHandler = qInstallMessageHandler(sanitizingHandler);
}

} // namespace cpc::termtext
