// ConsoleBuffer and its Interpreter (the open line's terminal state) stay one file past 600
// lines: the interpreter writes straight into the buffer's lines, notables and cap, and neither
// reads on its own. Overlap search and UTF-8 decoding are in consoletext.cpp, the notable-line
// patterns in notablelines.cpp.
#include "consolebuffer.h"

#include "consoletext.h"
#include "notablelines.h"

#include <QStringView>

#include <algorithm>
#include <array>
#include <cstring>
#include <optional>
#include <vector>

namespace cpc {

using consoletext::decodeUtf8;
using consoletext::isInside;
using consoletext::overlapOf;
using consoletext::utf8Length;

namespace {

constexpr qsizetype DecodeChunk = qsizetype(64) * 1024;
constexpr qsizetype MinCap = 256;

/// Where the new part of a fetch starts: after its overlap with the previous fetch (none: the
/// whole fetch is new, after a gap when there was a previous one). Unchanged when nothing is new
/// (empty, all overlap, or a stale or repeated part of what we have). Text and bytes alike.
struct NewPart
{
    bool unchanged = false;
    bool gap = false;
    qsizetype from = 0;
};

template<typename View> NewPart newPartOf(std::optional<View> prev, View view)
{
    NewPart part;
    if (view.isEmpty()) {
        part.unchanged = true;
        return part;
    }
    if (prev) {
        const qsizetype k = overlapOf(*prev, view);
        if (k < 0 && isInside(*prev, view)) {
            part.unchanged = true;
            return part;
        }
        part.gap = k < 0;
        part.from = std::max<qsizetype>(k, 0);
    }
    part.unchanged = part.from == view.size();
    return part;
}

} // namespace

/// Terminal state for the current (open) line: characters with a per-character style slot, a
/// cursor for \r, \b and overwrites. Completed lines are handed to the buffer.
class ConsoleBuffer::Interpreter final : public AnsiParser::Sink
{
public:
    Interpreter(ConsoleBuffer &buffer, int maxLineChars)
        : m_buffer(buffer)
        , m_maxLine(maxLineChars)
    {
        m_slots.push_back({});
    }

    void feed(QStringView s) { m_parser.feed(s, *this); }
    bool hasOpenLine() const { return !m_text.empty(); }

    /// Shows anything the parser held back (the stream is about to be cut).
    void finish() { m_parser.finish(*this); }

    void resetAll()
    {
        clearLine();
        m_parser.reset();
    }

    /// Completes the open line (even an empty one).
    void commit()
    {
        m_buffer.commitLine(buildLine(false));
        clearLine();
    }

    bool hasHeldText() const { return !m_parser.heldText().isEmpty(); }

    /// The line as shown now. For the open line, `provisional` adds what is not final yet: text
    /// the parser held back and a U+FFFD for an incomplete UTF-8 sequence; the next fetch
    /// rebuilds the line from the interpreter state, so it may come out differently.
    ConsoleLine buildLine(bool provisional) const
    {
        ConsoleLine line;
        line.text
            = QString(reinterpret_cast<const QChar *>(m_text.data()), qsizetype(m_text.size()));
        if (provisional) {
            QString extra = m_parser.heldText().toString();
            if (!m_buffer.m_pendingBytes.isEmpty())
                extra += QChar::ReplacementCharacter;
            if (m_cursor > line.text.size())
                line.text += QString(m_cursor - line.text.size(), u' ');
            line.text.replace(m_cursor, std::min(extra.size(), line.text.size() - m_cursor), extra);
        }
        if (m_styled) {
            const qsizetype n = qsizetype(m_cells.size());
            qsizetype i = 0;
            while (i < n) {
                const quint16 slot = m_cells[i];
                qsizetype j = i + 1;
                while (j < n && m_cells[j] == slot)
                    ++j;
                if (slot != 0)
                    line.spans.append(ConsoleSpan { int(i), int(j - i), m_slots[slot] });
                i = j;
            }
        }
        line.utf8Bytes = utf8Length(line.text);
        return line;
    }

    void text(QStringView run) override
    {
        while (!run.isEmpty()) {
            if (m_cursor >= m_maxLine)
                commit(); // wrap an overlong line so that one line always fits in the cap
            qsizetype take = std::min<qsizetype>(m_maxLine - m_cursor, run.size());
            if (take < run.size() && take > 1 && run[take - 1].isHighSurrogate())
                --take;
            writeAt(run.first(take), resolveSlot());
            run = run.sliced(take);
        }
    }

    void control(char16_t c) override
    {
        switch (c) {
        case u'\n':
            commit();
            break;
        case u'\r':
            m_cursor = 0;
            break;
        case u'\b':
            backspace();
            break;
        default:
            break;
        }
    }

    void eraseInLine(int mode) override
    {
        // Erased cells at the end of the line are dropped rather than kept as spaces; text
        // written later beyond the end is padded (writeAt).
        if (mode == 2) {
            m_text.clear();
            m_cells.clear();
        } else if (mode == 0) {
            if (m_cursor < qsizetype(m_text.size())) {
                m_text.resize(m_cursor);
                if (m_styled)
                    m_cells.resize(m_cursor);
            }
        } else {
            const qsizetype end = std::min<qsizetype>(m_cursor + 1, m_text.size());
            std::fill(m_text.begin(), m_text.begin() + end, u' ');
            if (m_styled)
                std::fill(m_cells.begin(), m_cells.begin() + end, 0);
        }
    }

    void fullReset() override
    {
        if (!m_text.empty())
            commit(); // the screen was cleared: what follows starts a new line
        m_slot = -1;
    }

    void styleChanged() override { m_slot = -1; }

private:
    int resolveSlot()
    {
        if (m_slot >= 0)
            return m_slot;
        const ConsoleStyle &style = m_parser.style();
        if (style.isDefault())
            return m_slot = 0;
        for (size_t i = 1; i < m_slots.size(); ++i) {
            if (m_slots[i] == style)
                return m_slot = int(i);
        }
        m_slots.push_back(style);
        return m_slot = int(m_slots.size() - 1);
    }

    void writeAt(QStringView chunk, int slot)
    {
        if (m_cursor > qsizetype(m_text.size())) { // after an erase: blank up to the cursor
            m_text.resize(m_cursor, u' ');
            if (m_styled)
                m_cells.resize(m_cursor, 0);
        }
        if (slot != 0 && !m_styled) { // first styled character: cells from here on
            m_cells.assign(m_text.size(), 0);
            m_styled = true;
        }
        const qsizetype size = qsizetype(m_text.size());
        const qsizetype overwrite = std::min(chunk.size(), size - m_cursor);
        const char16_t *src = chunk.utf16();
        if (overwrite > 0) {
            std::copy(src, src + overwrite, m_text.begin() + m_cursor);
            if (m_styled)
                std::fill(m_cells.begin() + m_cursor, m_cells.begin() + m_cursor + overwrite,
                          quint16(slot));
        }
        if (overwrite < chunk.size()) {
            m_text.insert(m_text.end(), src + overwrite, src + chunk.size());
            if (m_styled)
                m_cells.resize(m_text.size(), quint16(slot));
        }
        m_cursor += chunk.size();
    }

    void backspace()
    {
        if (m_cursor == 0)
            return;
        const qsizetype size = qsizetype(m_text.size());
        if (m_cursor == size) { // at the end: erase, like a shell echoing a correction
            qsizetype drop = 1;
            if (size >= 2 && QChar::isLowSurrogate(m_text[size - 1])
                && QChar::isHighSurrogate(m_text[size - 2]))
                drop = 2;
            m_text.resize(size - drop);
            if (m_styled)
                m_cells.resize(size - drop);
            m_cursor -= drop;
        } else {
            --m_cursor; // inside the line: move left, the next character overwrites
        }
    }

    void clearLine()
    {
        m_text.clear();
        m_cells.clear();
        m_slots.resize(1);
        m_cursor = 0;
        m_slot = -1;
        m_styled = false;
    }

    ConsoleBuffer &m_buffer;
    const qsizetype m_maxLine;
    AnsiParser m_parser;
    std::vector<char16_t> m_text;
    /// Per character: index into m_slots, 0 = default style. Empty (all default) until the
    /// line gets its first styled character; then as long as m_text.
    std::vector<quint16> m_cells;
    std::vector<ConsoleStyle> m_slots; ///< styles used in this line
    qsizetype m_cursor = 0;
    int m_slot = -1; ///< slot of the parser's current style; -1 = not looked up yet
    bool m_styled = false;
};

ConsoleBuffer::ConsoleBuffer(qsizetype capBytes)
    : m_cap(std::max(capBytes, MinCap))
    , m_interp(
          std::make_unique<Interpreter>(*this, int(std::clamp<qsizetype>(m_cap / 4, 64, 16384))))
{
}

ConsoleBuffer::~ConsoleBuffer() = default;

void ConsoleBuffer::clear()
{
    m_lines.clear();
    m_notables.clear();
    m_firstLine = 1;
    m_storedBytes = 0;
    m_droppedBytes = 0;
    m_invalid = 0;
    m_openPublished = false;
    m_prevSource = Source::None;
    m_prevText.clear();
    m_prevBytes.clear();
    m_prevTextValid = m_prevBytesValid = false;
    m_pendingBytes.clear();
    m_interp->resetAll();
}

qint64 ConsoleBuffer::invalidSequences() const
{
    return m_invalid + (m_pendingBytes.isEmpty() ? 0 : 1);
}

QString ConsoleBuffer::gapMarkerText()
{
    return QStringLiteral("… output missing between fetches …");
}

const QString &ConsoleBuffer::previousText()
{
    if (!m_prevTextValid) {
        qint64 ignored = 0;
        m_prevText.clear();
        decodeUtf8(reinterpret_cast<const uchar *>(m_prevBytes.constData()), m_prevBytes.size(),
                   m_prevText, ignored, true);
        m_prevTextValid = true;
    }
    return m_prevText;
}

const QByteArray &ConsoleBuffer::previousBytes()
{
    if (!m_prevBytesValid) {
        m_prevBytes = m_prevText.toUtf8();
        m_prevBytesValid = true;
    }
    return m_prevBytes;
}

QByteArray ConsoleBuffer::rawText() const
{
    if (m_prevBytesValid)
        return m_prevBytes;
    return m_prevText.toUtf8();
}

ConsoleBuffer::MergeResult ConsoleBuffer::merge(const QString &fetch)
{
    QStringView view = fetch;
    qsizetype skipped = 0;
    if (view.size() > inputLimit()) {
        skipped = view.size() - inputLimit();
        view = view.last(inputLimit());
        if (!view.isEmpty() && view.front().isLowSurrogate()) {
            view = view.sliced(1);
            ++skipped;
        }
    }
    MergeResult r;
    r.inputTruncated = skipped > 0;
    r.inputSkipped = skipped;
    const NewPart np = m_prevSource == Source::None
        ? newPartOf(std::optional<QStringView>(), view)
        : newPartOf(std::optional<QStringView>(previousText()), view);
    if (np.unchanged) {
        r.unchanged = true;
        return r;
    }
    const qsizetype from = np.from;
    const bool gap = np.gap;

    m_prevText = skipped ? view.toString() : fetch;
    m_prevTextValid = true;
    m_prevBytesValid = false;
    m_prevBytes.clear();
    m_prevSource = Source::Text;

    QStringView part = view.sliced(from);
    if (from == 0 && skipped) { // cut mid-line: start at the first whole line
        const qsizetype nl = part.indexOf(u'\n');
        if (nl >= 0) {
            part = part.sliced(nl + 1);
            r.inputSkipped += nl + 1;
        }
    }
    return mergeImpl(part, {}, Source::Text, gap, r);
}

ConsoleBuffer::MergeResult ConsoleBuffer::mergeBytes(const QByteArray &utf8)
{
    QByteArrayView view = utf8;
    qsizetype skipped = 0;
    if (view.size() > inputLimit()) {
        skipped = view.size() - inputLimit();
        view = view.last(inputLimit());
        for (int i = 0; i < 3 && !view.isEmpty() && (uchar(view.front()) & 0xc0) == 0x80; ++i) {
            view = view.sliced(1); // start at a character boundary
            ++skipped;
        }
    }
    MergeResult r;
    r.inputTruncated = skipped > 0;
    r.inputSkipped = skipped;
    const NewPart np = m_prevSource == Source::None
        ? newPartOf(std::optional<QByteArrayView>(), view)
        : newPartOf(std::optional<QByteArrayView>(previousBytes()), view);
    if (np.unchanged) {
        r.unchanged = true;
        return r;
    }
    const qsizetype from = np.from;
    const bool gap = np.gap;

    m_prevBytes = skipped ? view.toByteArray() : utf8;
    m_prevBytesValid = true;
    m_prevTextValid = false;
    m_prevText.clear();
    m_prevSource = Source::Bytes;

    QByteArrayView part = view.sliced(from);
    if (from == 0 && skipped) {
        const qsizetype nl = part.indexOf('\n');
        if (nl >= 0) {
            part = part.sliced(nl + 1);
            r.inputSkipped += nl + 1;
        }
    }
    return mergeImpl({}, part, Source::Bytes, gap, r);
}

ConsoleBuffer::MergeResult ConsoleBuffer::mergeImpl(QStringView text, QByteArrayView bytes,
                                                    Source source, bool gap, MergeResult r)
{
    const bool hadOpenLine = m_openPublished;
    const int lastBefore = lastLineNumber();
    const qint64 droppedBefore = m_droppedBytes;
    const qint64 invalidBefore = m_invalid;

    const ConsoleLine oldOpen = unpublishOpenLine();
    if (gap)
        startGap();
    if (source == Source::Text) {
        flushPendingBytes(); // decoded text cannot complete a byte sequence
        m_interp->feed(text);
    } else {
        feedBytes(bytes);
    }
    publishOpenLine();
    enforceCap();

    r.gap = gap;
    r.droppedBytes = m_droppedBytes - droppedBefore;
    r.invalidSequences = int(m_invalid - invalidBefore) + (m_pendingBytes.isEmpty() ? 0 : 1);
    int first = lastBefore + 1;
    if (hadOpenLine && !gap) {
        const bool same = m_openPublished && lastLineNumber() == lastBefore
            && line(lastBefore).text == oldOpen.text && line(lastBefore).spans == oldOpen.spans;
        if (!same)
            first = lastBefore; // the open line was continued
    }
    first = std::max(first, m_firstLine);
    if (first <= lastLineNumber()) {
        r.firstNewLine = first;
        r.newLines = lastLineNumber() - first + 1;
    }
    r.unchanged = r.newLines == 0 && !gap;
    return r;
}

void ConsoleBuffer::feedBytes(QByteArrayView bytes)
{
    QByteArray joined;
    if (!m_pendingBytes.isEmpty()) {
        joined = m_pendingBytes + bytes.toByteArray();
        bytes = joined;
        m_pendingBytes.clear();
    }
    QString chunk;
    while (!bytes.isEmpty()) {
        const qsizetype take = std::min(bytes.size(), DecodeChunk);
        chunk.resize(0);
        const qsizetype used = decodeUtf8(reinterpret_cast<const uchar *>(bytes.data()), take,
                                          chunk, m_invalid, false);
        m_interp->feed(chunk);
        if (used < take && take == bytes.size()) {
            m_pendingBytes = bytes.sliced(used).toByteArray();
            break;
        }
        bytes = bytes.sliced(used); // an incomplete sequence at a chunk end goes round again
    }
}

void ConsoleBuffer::flushPendingBytes()
{
    if (m_pendingBytes.isEmpty())
        return;
    m_pendingBytes.clear();
    ++m_invalid;
    m_interp->feed(u"\uFFFD");
}

void ConsoleBuffer::startGap()
{
    flushPendingBytes();
    m_interp->finish();
    if (m_interp->hasOpenLine())
        m_interp->commit();
    m_interp->resetAll(); // the new window starts at an unknown style
    ConsoleLine marker;
    marker.text = gapMarkerText();
    marker.utf8Bytes = utf8Length(marker.text);
    marker.kind = ConsoleLine::Kind::Gap;
    commitLine(std::move(marker));
}

void ConsoleBuffer::commitLine(ConsoleLine &&line)
{
    const int number = lastLineNumber() + 1;
    m_storedBytes += line.utf8Bytes + 1;
    m_lines.push_back(std::move(line));
    addNotable(number, m_lines.back());
    enforceCap();
}

void ConsoleBuffer::addNotable(int number, const ConsoleLine &line)
{
    if (line.kind == ConsoleLine::Kind::Gap) {
        m_notables.push_back(Notable { number, Notable::Kind::Gap, line.text });
        return;
    }
    if (const auto kind = classifyNotable(line.text))
        m_notables.push_back(Notable { number, *kind, line.text.trimmed() });
}

void ConsoleBuffer::publishOpenLine()
{
    if (!m_interp->hasOpenLine() && m_pendingBytes.isEmpty() && !m_interp->hasHeldText())
        return;
    ConsoleLine line = m_interp->buildLine(true);
    const int number = lastLineNumber() + 1;
    m_storedBytes += line.utf8Bytes + 1;
    m_lines.push_back(std::move(line));
    addNotable(number, m_lines.back());
    m_openPublished = true;
}

ConsoleLine ConsoleBuffer::unpublishOpenLine()
{
    if (!m_openPublished)
        return {};
    const int number = lastLineNumber();
    if (!m_notables.empty() && m_notables.back().line == number)
        m_notables.pop_back();
    ConsoleLine line = std::move(m_lines.back());
    m_storedBytes -= line.utf8Bytes + 1;
    m_lines.pop_back();
    m_openPublished = false;
    return line;
}

void ConsoleBuffer::enforceCap()
{
    while (m_storedBytes > m_cap && m_lines.size() > 1) {
        const ConsoleLine &front = m_lines.front();
        const qsizetype cost = front.utf8Bytes + 1;
        m_storedBytes -= cost;
        if (front.kind == ConsoleLine::Kind::Text)
            m_droppedBytes += cost;
        m_lines.pop_front();
        ++m_firstLine;
    }
    while (!m_notables.empty() && m_notables.front().line < m_firstLine)
        m_notables.pop_front();
}

const ConsoleLine &ConsoleBuffer::line(int number) const
{
    Q_ASSERT(number >= m_firstLine && number <= lastLineNumber());
    return m_lines[size_t(number - m_firstLine)];
}

QString ConsoleBuffer::lineText(int number) const
{
    if (number < m_firstLine || number > lastLineNumber())
        return {};
    return line(number).text;
}

QList<ConsoleSpan> ConsoleBuffer::lineSpans(int number) const
{
    if (number < m_firstLine || number > lastLineNumber())
        return {};
    return line(number).spans;
}

QList<ConsoleBuffer::Notable> ConsoleBuffer::notables() const
{
    return QList<Notable>(m_notables.begin(), m_notables.end());
}

QString ConsoleBuffer::render(Format format, int fromLine, int toLine) const
{
    const int from = std::max(fromLine, m_firstLine);
    const int to = std::min(toLine, lastLineNumber());
    QString out;
    if (from > to)
        return out;
    out.reserve(m_storedBytes + (format == Format::Ansi ? m_storedBytes / 4 : 0));
    const QLatin1StringView reset("\x1b[0m");
    for (int n = from; n <= to; ++n) {
        const ConsoleLine &l = line(n);
        if (format == Format::Plain) {
            out += l.text;
        } else if (l.kind == ConsoleLine::Kind::Gap) {
            out += QLatin1StringView("\x1b[0;2m") + l.text + reset;
        } else {
            const QStringView text = l.text;
            qsizetype pos = 0;
            for (const ConsoleSpan &s : l.spans) {
                out += text.sliced(pos, s.start - pos);
                out += s.style.toSgr();
                out += text.sliced(s.start, s.length);
                out += reset;
                pos = s.start + s.length;
            }
            out += text.sliced(pos);
        }
        if (n != lastLineNumber() || !m_openPublished)
            out += u'\n';
    }
    return out;
}

} // namespace cpc
