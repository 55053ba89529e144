#include "ansiparser.h"

#include <optional>
#include <string_view>
#include <utility>

namespace cpc {

namespace {

constexpr char16_t Esc = 0x1b;

inline bool isPrintable(char16_t c)
{
    // C1 controls (U+0080..U+009F) are not printable; everything from U+00A0 up is, including
    // U+FFFD and surrogate halves (pairs arrive as two code units).
    return (c >= 0x20 && c < 0x7f) || c == u'\t' || c >= 0xa0;
}

void appendColor(QString &out, ConsoleColor c, int base, int brightBase)
{
    switch (c.kind()) {
    case ConsoleColor::Kind::Default:
        return;
    case ConsoleColor::Kind::Palette:
        if (c.index() < 8)
            out += u';' + QString::number(base + c.index());
        else if (c.index() < 16)
            out += u';' + QString::number(brightBase + c.index() - 8);
        else
            out += QStringLiteral(";%1;5;%2").arg(base + 8).arg(c.index());
        return;
    case ConsoleColor::Kind::Rgb: {
        const quint32 v = c.rgbValue();
        out += QStringLiteral(";%1;2;%2;%3;%4")
                   .arg(base + 8)
                   .arg((v >> 16) & 0xff)
                   .arg((v >> 8) & 0xff)
                   .arg(v & 0xff);
        return;
    }
    }
}

constexpr char16_t Ellipsis = 0x2026;

// systemd 252 shortens status lines to the console width with "…" without regard to escape
// sequences, leaving the tail of a reset ("[0m", "0m" or "m") right after the ellipsis:
// "Starting modprobe@dm_mod.s…[0m - Load Kernel Module". Only that exact shape, followed by a
// space, a line end or an escape, is taken as a remnant, so "…mail" or "…0ms" stay as they are.
// Returns the remnant's length, 0 when there is none, -1 when the input ends too early to tell.
qsizetype resetRemnant(const char16_t *p, const char16_t *end)
{
    if (p == end)
        return -1;
    std::u16string_view r;
    switch (*p) {
    case u'[':
        r = u"[0m";
        break;
    case u'0':
        r = u"0m";
        break;
    case u'm':
        r = u"m";
        break;
    default:
        return 0;
    }
    const qsizetype n = qsizetype(r.size());
    const qsizetype avail = std::min<qsizetype>(end - p, n);
    if (std::u16string_view(p, avail) != r.substr(0, avail))
        return 0;
    if (avail < n || p + n == end)
        return -1;
    const char16_t after = p[n];
    return (after == u' ' || after == u'\r' || after == u'\n' || after == Esc) ? n : 0;
}

} // namespace

QString ConsoleStyle::toSgr() const
{
    QString out = QStringLiteral("\x1b[0");
    if (attrs & Bold)
        out += QLatin1String(";1");
    if (attrs & Dim)
        out += QLatin1String(";2");
    if (attrs & Italic)
        out += QLatin1String(";3");
    if (attrs & Underline)
        out += QLatin1String(";4");
    if (attrs & Inverse)
        out += QLatin1String(";7");
    if (attrs & Strike)
        out += QLatin1String(";9");
    appendColor(out, fg, 30, 90);
    appendColor(out, bg, 40, 100);
    out += u'm';
    return out;
}

void AnsiParser::reset()
{
    m_style = {};
    m_state = State::Ground;
    m_afterEllipsis = false;
    m_held.clear();
}

void AnsiParser::startCsi()
{
    m_state = State::Csi;
    m_paramCount = 0;
    m_colonMask = 0;
    m_paramStarted = false;
    m_csiPrivate = false;
}

void AnsiParser::finish(Sink &sink)
{
    if (!m_afterEllipsis)
        return;
    m_afterEllipsis = false;
    if (!m_held.isEmpty())
        sink.text(std::exchange(m_held, {}));
}

void AnsiParser::feed(QStringView chunk, Sink &sink)
{
    // Characters held back after an ellipsis at the end of the previous chunk are decided now,
    // so the result does not depend on where a fetch ended.
    QString joined;
    if (m_afterEllipsis) {
        m_afterEllipsis = false;
        if (!m_held.isEmpty()) {
            joined = std::exchange(m_held, {});
            joined += chunk;
            chunk = joined;
        }
        const qsizetype junk = resetRemnant(chunk.utf16(), chunk.utf16() + chunk.size());
        if (junk < 0) {
            m_afterEllipsis = true;
            m_held = chunk.toString();
            return;
        }
        chunk = chunk.sliced(junk);
    }
    const char16_t *p = chunk.utf16();
    const char16_t *const end = p + chunk.size();
    auto openParam = [this] {
        if (m_paramCount < MaxParams)
            m_params[m_paramCount] = 0;
        ++m_paramCount;
        m_paramStarted = true;
    };

    while (p < end) {
        if (m_state == State::Ground) {
            const char16_t *run = p;
            while (p < end && isPrintable(*p)) {
                if (*p == Ellipsis) {
                    const qsizetype junk = resetRemnant(p + 1, end);
                    if (junk < 0) { // undecided until the next chunk: hold the rest back
                        sink.text(QStringView(run, p + 1 - run));
                        m_held = QStringView(p + 1, end).toString();
                        m_afterEllipsis = true;
                        return;
                    }
                    if (junk > 0) {
                        sink.text(QStringView(run, p + 1 - run));
                        p += 1 + junk;
                        run = p;
                        continue;
                    }
                }
                ++p;
            }
            if (p > run)
                sink.text(QStringView(run, p - run));
            if (p == end)
                break;
            const char16_t c = *p++;
            switch (c) {
            case u'\n':
            case u'\r':
            case u'\b':
                sink.control(c);
                break;
            case Esc:
                m_state = State::Escape;
                break;
            case 0x9b: // C1 CSI
                startCsi();
                break;
            case 0x90: // DCS
            case 0x98: // SOS
            case 0x9d: // OSC
            case 0x9e: // PM
            case 0x9f: // APC
                m_state = State::String;
                break;
            default: // NUL, BEL, other C0 and C1 controls, DEL: dropped
                break;
            }
            continue;
        }

        const char16_t c = *p;
        switch (m_state) {
        case State::Ground:
            break; // handled above
        case State::Escape:
            if (c == u'[') {
                startCsi();
            } else if (c == u']' || c == u'P' || c == u'X' || c == u'^' || c == u'_') {
                m_state = State::String;
            } else if (c >= 0x20 && c <= 0x2f) {
                m_state = State::EscapeIntermediate;
            } else if (c == u'c') {
                m_state = State::Ground;
                m_style = {};
                sink.fullReset();
            } else if (c >= 0x30 && c <= 0x7e) {
                m_state = State::Ground; // ESC 7, ESC 8, ESC =, ESC M ...: dropped
            } else if (c == Esc || c == 0x7f) {
                // ESC ESC restarts; DEL is ignored inside sequences
            } else {
                m_state = State::Ground; // abandoned: reprocess c as ordinary input
                continue;
            }
            ++p;
            break;
        case State::EscapeIntermediate:
            if (c >= 0x30 && c <= 0x7e) {
                m_state = State::Ground; // ESC ( B and friends: dropped
            } else if (!(c >= 0x20 && c <= 0x2f) && c != 0x7f) {
                m_state = State::Ground;
                continue;
            }
            ++p;
            break;
        case State::Csi:
            if (c >= u'0' && c <= u'9') {
                if (!m_paramStarted)
                    openParam();
                if (m_paramCount <= MaxParams) {
                    int &v = m_params[m_paramCount - 1];
                    v = qMin(v * 10 + int(c - u'0'), 65535);
                }
            } else if (c == u';' || c == u':') {
                if (!m_paramStarted)
                    openParam(); // empty parameter means 0
                m_paramStarted = false;
                if (c == u':' && m_paramCount < MaxParams)
                    m_colonMask |= 1u << m_paramCount; // the next parameter is a sub-parameter
            } else if ((c >= 0x3c && c <= 0x3f) || (c >= 0x20 && c <= 0x2f)) {
                m_csiPrivate = true; // private marker or intermediate: not SGR or EL
            } else if (c >= 0x40 && c <= 0x7e) {
                if (!m_paramStarted && m_paramCount > 0)
                    openParam(); // trailing separator: "1;" is "1;0"
                m_state = State::Ground;
                dispatchCsi(c, sink);
            } else if (c != 0x7f) {
                m_state = State::Ground; // control or non-ASCII: abandon, reprocess
                continue;
            }
            ++p;
            break;
        case State::String:
            while (p < end && *p != 0x07 && *p != Esc && *p != 0x9c && *p != u'\n' && *p != 0x18
                   && *p != 0x1a)
                ++p;
            if (p == end)
                break;
            if (*p == u'\n') {
                m_state = State::Ground; // unterminated: end at the line, keep the newline
                continue;
            }
            m_state = (*p == Esc) ? State::StringEscape : State::Ground;
            ++p;
            break;
        case State::StringEscape:
            if (c == u'\\') {
                m_state = State::Ground;
                ++p;
            } else {
                m_state = State::Escape; // the ESC starts a new sequence
            }
            break;
        }
    }
}

void AnsiParser::dispatchCsi(char16_t final, Sink &sink)
{
    if (m_csiPrivate)
        return;
    const int count = qMin(m_paramCount, MaxParams);
    if (final == u'm') {
        if (count == 0) {
            const int zero = 0;
            applySgr(m_style, &zero, 1, 0);
        } else {
            applySgr(m_style, m_params.data(), count, m_colonMask);
        }
        sink.styleChanged();
    } else if (final == u'K') {
        const int mode = count ? m_params[0] : 0;
        if (mode >= 0 && mode <= 2)
            sink.eraseInLine(mode);
    }
}

void AnsiParser::applySgr(ConsoleStyle &style, const int *params, int count, quint32 colonMask)
{
    auto isSub = [&](int i) {
        return i < count && i < 32 && (colonMask & (1u << i));
    };
    auto groupEnd = [&](int i) { // first index after the colon group that starts at i
        int j = i + 1;
        while (isSub(j))
            ++j;
        return j;
    };
    auto extended = [&](int &i) -> std::optional<ConsoleColor> {
        // 38;5;n  38;2;r;g;b  38:5:n  38:2:r:g:b  38:2:cs:r:g:b
        if (isSub(i + 1)) {
            const int end = groupEnd(i);
            const int n = end - (i + 1);
            const int *sub = params + i + 1;
            i = end - 1;
            if (n >= 2 && sub[0] == 5)
                return ConsoleColor::palette(qMin(sub[1], 255));
            if (n >= 4 && sub[0] == 2)
                return ConsoleColor::rgb(qMin(sub[n - 3], 255), qMin(sub[n - 2], 255),
                                         qMin(sub[n - 1], 255));
            return std::nullopt;
        }
        if (i + 2 < count && params[i + 1] == 5) {
            const int idx = params[i + 2];
            i += 2;
            return ConsoleColor::palette(qMin(idx, 255));
        }
        if (i + 4 < count && params[i + 1] == 2) {
            const auto c = ConsoleColor::rgb(qMin(params[i + 2], 255), qMin(params[i + 3], 255),
                                             qMin(params[i + 4], 255));
            i += 4;
            return c;
        }
        i = count; // malformed: ignore the rest, as terminals do
        return std::nullopt;
    };

    for (int i = 0; i < count; ++i) {
        const int p = params[i];
        switch (p) {
        case 0:
            style = {};
            break;
        case 1:
            style.attrs |= ConsoleStyle::Bold;
            break;
        case 2:
            style.attrs |= ConsoleStyle::Dim;
            break;
        case 3:
            style.attrs |= ConsoleStyle::Italic;
            break;
        case 4:
            if (isSub(i + 1)) { // 4:0 none, 4:1..4:5 underline styles
                if (params[i + 1] == 0)
                    style.attrs &= ~ConsoleStyle::Underline;
                else
                    style.attrs |= ConsoleStyle::Underline;
            } else {
                style.attrs |= ConsoleStyle::Underline;
            }
            break;
        case 7:
            style.attrs |= ConsoleStyle::Inverse;
            break;
        case 9:
            style.attrs |= ConsoleStyle::Strike;
            break;
        case 21:
            style.attrs |= ConsoleStyle::Underline; // double underline
            break;
        case 22:
            style.attrs &= ~(ConsoleStyle::Bold | ConsoleStyle::Dim);
            break;
        case 23:
            style.attrs &= ~ConsoleStyle::Italic;
            break;
        case 24:
            style.attrs &= ~ConsoleStyle::Underline;
            break;
        case 27:
            style.attrs &= ~ConsoleStyle::Inverse;
            break;
        case 29:
            style.attrs &= ~ConsoleStyle::Strike;
            break;
        case 38:
            if (auto c = extended(i))
                style.fg = *c;
            continue;
        case 39:
            style.fg = {};
            break;
        case 48:
            if (auto c = extended(i))
                style.bg = *c;
            continue;
        case 49:
            style.bg = {};
            break;
        default:
            if (p >= 30 && p <= 37)
                style.fg = ConsoleColor::palette(p - 30);
            else if (p >= 40 && p <= 47)
                style.bg = ConsoleColor::palette(p - 40);
            else if (p >= 90 && p <= 97)
                style.fg = ConsoleColor::palette(p - 90 + 8);
            else if (p >= 100 && p <= 107)
                style.bg = ConsoleColor::palette(p - 100 + 8);
            break; // blink, conceal, fonts, ...: ignored
        }
        i = groupEnd(i) - 1; // skip sub-parameters of anything else
    }
}

} // namespace cpc
