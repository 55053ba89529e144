#pragma once

#include "ansiparser.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

#include <climits>
#include <deque>
#include <memory>

namespace cpc {

/// A run of characters of one line drawn in a non-default style. Spans of a line are sorted,
/// never overlap, and leave out default-styled text (most lines have no span at all).
struct ConsoleSpan
{
    int start = 0;
    int length = 0;
    ConsoleStyle style;
    friend bool operator==(const ConsoleSpan &, const ConsoleSpan &) = default;
};

/// One line as a terminal would show it: escapes interpreted, \r and \b applied.
struct ConsoleLine
{
    enum class Kind : quint8 {
        Text,
        Gap, ///< marker inserted where fetches did not overlap; not console output
    };

    QString text;
    QList<ConsoleSpan> spans;
    int utf8Bytes = 0; ///< size of text in UTF-8; the line costs utf8Bytes + 1 towards the cap
    Kind kind = Kind::Text;
};

/// The serial console of one instance as a capped, styled, line-numbered log, built from
/// successive whole fetches of the console's latest window (EC2 GetConsoleOutput style).
///
/// Merging: each merge finds the longest suffix of the previous fetch that begins the new one
/// and appends only what follows it. The overlap must be at least min(256, size of the previous
/// fetch) units (bytes for mergeBytes, UTF-16 units for merge), so a chance match of a few
/// characters is not taken for continuity; otherwise the fetch is appended whole after a
/// visible gap marker line (the window moved further than one fetch, or the console
/// restarted), with the style reset. A fetch that is empty, equal to the previous one or
/// contained in it (a stale poll) changes nothing. Identical output repeated without
/// timestamps is ambiguous by nature: the longest overlap wins.
///
/// Interpretation, as a terminal shows a log: "\r\n" and "\r\r\n" end a line; a lone "\r"
/// returns to the start of the line and later text overwrites (a progress bar keeps its final
/// state); backspace erases the previous character; tabs are kept; other control characters
/// and NUL are dropped; SGR colours and attributes become spans and carry across lines;
/// "ESC[K" erases in the line; "ESC c" resets the style and starts a new line; every other
/// escape sequence is dropped (see AnsiParser). The last line of a fetch stays open: the next
/// fetch continues it, including an escape sequence or a UTF-8 character split at the end.
///
/// Cap: storedBytes() is the sum over stored lines of (UTF-8 bytes of the interpreted text
/// + 1 for the line end), gap markers included, and never exceeds capBytes() (at least 256).
/// Whole lines are dropped from the top to stay under it; droppedBytes() counts the console
/// lines dropped, by the same measure. A line longer than min(16384, capBytes / 4) characters
/// is wrapped, so one line always fits. Line numbers are absolute: line 1 is the first line
/// kept since construction or clear(); dropping lines raises firstLineNumber() and renumbers
/// nothing.
///
/// Memory: a fetch longer than inputLimit() (4 x cap, bytes for mergeBytes, UTF-16 units for
/// merge) is cut to its last inputLimit() units, read from its first whole line when the cut
/// part has to be interpreted. The buffer keeps the previous fetch (at most inputLimit()) for
/// overlap detection and rawText(), and the interpreted lines (at most capBytes()).
///
/// Not thread-safe; not a QObject. The viewer batches merges and repaints from line().
class ConsoleBuffer
{
public:
    static constexpr qsizetype DefaultCapBytes = qsizetype(256) * 1024;

    struct MergeResult
    {
        /// Lines added or changed by this merge: firstNewLine .. lastLineNumber(). A line the
        /// previous fetch left open and this one extended counts as changed.
        int newLines = 0;
        int firstNewLine = 0; ///< absolute; 0 when nothing changed
        bool gap = false; ///< no overlap with the previous fetch: a Gap line was inserted
        /// Nothing new: an empty fetch, the same fetch, one contained in it (stale), or new
        /// input that changes no line (such as only the start of an escape sequence).
        bool unchanged = false;
        bool inputTruncated = false; ///< the fetch exceeded inputLimit(); its head was skipped
        /// Bytes (mergeBytes) or UTF-16 units (merge) not interpreted: the cut head, and the
        /// partial first line after it when the cut part was interpreted from its start.
        qsizetype inputSkipped = 0;
        qint64 droppedBytes = 0; ///< dropped from the top by the cap during this merge
        /// Invalid UTF-8 sequences decoded by this merge (mergeBytes only). A sequence cut off
        /// at the end of a fetch shows as U+FFFD and counts as one until a later fetch completes
        /// it; invalidSequences() is the authoritative total.
        int invalidSequences = 0;
    };

    struct Notable
    {
        enum class Kind : quint8 {
            KernelPanic, ///< "Kernel panic"
            CallTrace, ///< "Call Trace:"
            OutOfMemory, ///< "Out of memory", "oom-killer", "Killed process"
            Segfault, ///< "segfault"
            FailedUnit, ///< systemd "[FAILED]"
            Reboot, ///< kernel "reboot:" (restart or power off), "Rebooting"
            CloudInitFinished, ///< "Cloud-init v. ... finished"
            Gap, ///< a gap marker line
        };
        int line = 0; ///< absolute line number
        Kind kind = Kind::KernelPanic;
        QString text; ///< the line, trimmed
        friend bool operator==(const Notable &, const Notable &) = default;
    };

    enum class Format {
        Plain, ///< text as shown, no escapes
        Ansi, ///< text with SGR sequences re-emitted per span, reset at each line end
    };

    explicit ConsoleBuffer(qsizetype capBytes = DefaultCapBytes);
    ~ConsoleBuffer();
    ConsoleBuffer(const ConsoleBuffer &) = delete;
    ConsoleBuffer &operator=(const ConsoleBuffer &) = delete;

    /// One whole fetch as decoded text (the CP's JSON "output"). U+FFFD already in the text is
    /// kept and not counted: it was not decoded here.
    MergeResult merge(const QString &fetch);
    /// One whole fetch as raw UTF-8 bytes (a capture, a file); invalid sequences become U+FFFD
    /// (one per maximal invalid subpart) and are counted.
    MergeResult mergeBytes(const QByteArray &utf8);
    /// Forgets everything, including the previous fetch; numbering restarts at 1.
    void clear();

    qsizetype capBytes() const { return m_cap; }
    qsizetype inputLimit() const { return m_cap * 4; }
    qsizetype storedBytes() const { return m_storedBytes; }
    qint64 droppedBytes() const { return m_droppedBytes; }
    qint64 invalidSequences() const;

    int firstLineNumber() const { return m_firstLine; }
    /// firstLineNumber() - 1 when empty.
    int lastLineNumber() const { return m_firstLine + int(m_lines.size()) - 1; }
    int lineCount() const { return int(m_lines.size()); }
    bool isEmpty() const { return m_lines.empty(); }
    /// True when the last line has no line end yet; the next fetch may still change it.
    bool lastLineOpen() const { return m_openPublished; }
    /// The last line that will not change any more (for `cpctl console --follow`).
    int lastCompleteLineNumber() const { return lastLineNumber() - (m_openPublished ? 1 : 0); }

    /// number must be in [firstLineNumber(), lastLineNumber()].
    const ConsoleLine &line(int number) const;
    /// Empty when number is out of range.
    QString lineText(int number) const;
    QList<ConsoleSpan> lineSpans(int number) const;

    /// Notable lines still stored, in line order (at most one per line).
    QList<Notable> notables() const;
    static QString notableKindName(Notable::Kind kind);

    /// All stored lines; each complete line ends with '\n', an open last line does not.
    QString plainText() const { return render(Format::Plain); }
    /// Lines fromLine..toLine (clamped to what is stored), same line ends as plainText().
    QString render(Format format, int fromLine = 0, int toLine = INT_MAX) const;
    /// The last fetch that was merged (after any input truncation), as UTF-8 bytes.
    QByteArray rawText() const;

    /// The text of a gap marker line.
    static QString gapMarkerText();

private:
    class Interpreter;
    enum class Source : quint8 { None, Text, Bytes };

    MergeResult mergeImpl(QStringView text, QByteArrayView bytes, Source source, bool gap,
                          MergeResult r);
    void feedBytes(QByteArrayView bytes);
    void flushPendingBytes();
    void startGap();
    void commitLine(ConsoleLine &&line);
    ConsoleLine unpublishOpenLine();
    void publishOpenLine();
    void enforceCap();
    void addNotable(int number, const ConsoleLine &line);
    const QString &previousText();
    const QByteArray &previousBytes();

    qsizetype m_cap;
    std::deque<ConsoleLine> m_lines;
    std::deque<Notable> m_notables;
    int m_firstLine = 1;
    qsizetype m_storedBytes = 0;
    qint64 m_droppedBytes = 0;
    qint64 m_invalid = 0;
    bool m_openPublished = false;

    // The previous fetch, kept in the form it came in; the other form is derived on demand.
    Source m_prevSource = Source::None;
    QString m_prevText;
    QByteArray m_prevBytes;
    bool m_prevTextValid = false;
    bool m_prevBytesValid = false;

    QByteArray m_pendingBytes; ///< an incomplete UTF-8 sequence at the end of the last fetch
    std::unique_ptr<Interpreter> m_interp;
};

} // namespace cpc
