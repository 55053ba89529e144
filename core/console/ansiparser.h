#pragma once

#include <QString>
#include <QStringView>

#include <array>

namespace cpc {

/// A terminal colour as plain data (core does not use QtGui): the default colour, one of the
/// 256 palette entries (0-7 normal, 8-15 bright, 16-255 the xterm cube and greys), or 24-bit RGB.
/// The viewer maps palette indexes to its theme.
class ConsoleColor
{
public:
    enum class Kind : quint8 { Default, Palette, Rgb };

    constexpr ConsoleColor() = default;
    static constexpr ConsoleColor palette(int index)
    {
        return ConsoleColor((quint32(Kind::Palette) << 24) | quint32(index & 0xff));
    }
    static constexpr ConsoleColor rgb(int r, int g, int b)
    {
        return ConsoleColor((quint32(Kind::Rgb) << 24) | (quint32(r & 0xff) << 16)
                            | (quint32(g & 0xff) << 8) | quint32(b & 0xff));
    }

    constexpr Kind kind() const { return Kind(m_value >> 24); }
    constexpr bool isDefault() const { return m_value == 0; }
    /// Palette index 0-255; meaningful for Kind::Palette.
    constexpr int index() const { return int(m_value & 0xff); }
    /// 0xRRGGBB; meaningful for Kind::Rgb.
    constexpr quint32 rgbValue() const { return m_value & 0xffffff; }
    constexpr quint32 raw() const { return m_value; }

    friend constexpr bool operator==(ConsoleColor a, ConsoleColor b) = default;

private:
    constexpr explicit ConsoleColor(quint32 v)
        : m_value(v)
    {
    }
    quint32 m_value = 0;
};

/// The SGR state of a run of text.
struct ConsoleStyle
{
    enum Attr : quint8 {
        Bold = 0x01,
        Dim = 0x02,
        Italic = 0x04,
        Underline = 0x08,
        Inverse = 0x10,
        Strike = 0x20,
    };

    ConsoleColor fg;
    ConsoleColor bg;
    quint8 attrs = 0;

    bool has(Attr a) const { return attrs & a; }
    bool isDefault() const { return fg.isDefault() && bg.isDefault() && attrs == 0; }
    friend bool operator==(const ConsoleStyle &, const ConsoleStyle &) = default;

    /// The escape sequence that selects this style from any state ("ESC[0;...m").
    QString toSgr() const;
};

/// Splits a console stream into printable text and the few controls a log viewer acts on.
/// SGR sequences update style(); erase-in-line and full reset are reported; every other
/// escape sequence (CSI with any final byte, OSC/DCS/APC/PM/SOS strings, charset selection,
/// single-character ESC sequences) is consumed without output. The state persists between
/// feed() calls, so a sequence split across two chunks leaves no junk.
///
/// Robustness rules a real console needs (systemd truncates unit names with "…" in the middle
/// of a colour sequence): a CSI or ESC sequence interrupted by a control character or by a
/// non-ASCII character is abandoned and that character is processed normally; an unterminated
/// string sequence ends at the next newline, so a stray "ESC]" cannot swallow the log; what
/// systemd's ellipsis leaves of a reset sequence ("…[0m - ") is dropped.
class AnsiParser
{
public:
    class Sink
    {
    public:
        virtual ~Sink() = default;
        /// Printable characters (tabs included), never a control character.
        virtual void text(QStringView run) = 0;
        /// '\n', '\r' or '\b'.
        virtual void control(char16_t c) = 0;
        /// CSI K: 0 cursor to end, 1 start to cursor, 2 whole line.
        virtual void eraseInLine(int mode) = 0;
        /// ESC c (full reset); style() is already back to default.
        virtual void fullReset() = 0;
        /// style() changed.
        virtual void styleChanged() = 0;
    };

    void feed(QStringView chunk, Sink &sink);
    /// Emits what feed() held back to decide on a systemd remnant (at most three characters
    /// after a "…" at the very end of the input), e.g. before a gap in the stream.
    void finish(Sink &sink);
    /// Back to the ground state with the default style, discarding held-back characters.
    void reset();

    const ConsoleStyle &style() const { return m_style; }
    /// True while in the middle of an escape sequence.
    bool inSequence() const { return m_state != State::Ground; }
    /// Text held back by feed() at the end of its input (see finish()); to be shown
    /// provisionally, as the next feed() may still drop it.
    QStringView heldText() const { return m_held; }

    /// Applies SGR parameters to a style. colonMask bit i set: parameter i was introduced by
    /// ':' (a sub-parameter, as in "38:2::r:g:b").
    static void applySgr(ConsoleStyle &style, const int *params, int count, quint32 colonMask);

private:
    enum class State : quint8 { Ground, Escape, EscapeIntermediate, Csi, String, StringEscape };
    static constexpr int MaxParams = 32;

    void startCsi();
    void dispatchCsi(char16_t final, Sink &sink);

    ConsoleStyle m_style;
    State m_state = State::Ground;
    std::array<int, MaxParams> m_params {};
    int m_paramCount = 0;
    quint32 m_colonMask = 0;
    bool m_paramStarted = false;
    bool m_csiPrivate = false;
    bool m_afterEllipsis = false; ///< the last text emitted was a "…" ending a chunk
    QString m_held; ///< what followed it, too short to tell a remnant from text
};

} // namespace cpc
