#pragma once

#include "logging.h"
#include "rawrow.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <array>

class QIODevice;

/// `cpctl list` written as the rows are read: straight from the UTF-8 bytes the database hands
/// over, with the guarantees of ctloutput (every string redacted, controls escaped in the
/// table, C1 and bidirectional controls escaped in JSON) and output in large blocks.
namespace cpc::ctl {

/// --filter's test on one row: a case-insensitive substring of the name, ID, instance,
/// runtime or status (all among the columns ListOptions::tableColumnsOnly reads). ASCII by
/// hand; other text as QString::toLower() sees it.
class ListFilter
{
public:
    explicit ListFilter(const QString &needle);
    bool matches(const RawRow &row) const;

private:
    bool contains(QByteArrayView text) const;

    QString m_needle;
    QByteArray m_needleUtf8;
    bool m_asciiNeedle = false;
};

class ListWriter
{
public:
    enum class Format {
        Table, ///< aligned on the first kTableSampleRows rows; a later, wider cell widens its
               ///< column
        Json, ///< one compact array: the keys and values of `show --json`'s row
        JsonLines, ///< one compact object per line
    };
    /// Rows held back to set the table's column widths (all of a shorter list: aligned as a
    /// whole). A later, wider cell widens its column from its own line on.
    static constexpr int kTableSampleRows = 1000;

    ListWriter(Format format, QIODevice &out);

    /// Writes one row (the table keeps the first kTableSampleRows until their widths are
    /// known). False once a write has failed: error() says why.
    bool add(const RawRow &row);
    /// Writes what is still held and the end of the document.
    bool finish();
    /// Writes what is still held, without the end of the document: for a read that failed,
    /// so that a partial JSON array does not parse as a whole one.
    bool flush();
    QString error() const { return m_error; }
    qint64 rows() const { return m_rows; }

private:
    void appendJsonString(QByteArrayView utf8);
    void appendJsonTime(qint64 msecs);
    void appendJsonRow(const RawRow &row);
    static constexpr int kColumns = 6; ///< ID, NAME, STATUS, RUNTIME, TIER, INSTANCE
    /// One table cell as shown (redacted, escaped) and its width in terminal columns: the bytes
    /// themselves when nothing needs changing, else what `slow` now holds.
    QByteArrayView tableCell(QByteArrayView utf8, int *width, QByteArray &slow) const;
    void appendTableLine(const std::array<QByteArrayView, kColumns> &cells,
                         const std::array<int, kColumns> &widths);
    /// After the widths are set: writes the line of cells that are shown as they are (printable
    /// ASCII, nothing to redact) in one go. False, with nothing written, for any other line.
    bool appendPlainLine(const std::array<QByteArrayView, kColumns> &text);
    bool flushIfFull();

    Format m_format;
    QIODevice &m_out;
    redaction::Probe m_probe;
    QByteArray m_buffer;
    QString m_error;
    qint64 m_rows = 0;
    // The table: the first rows' cells until the widths are set, then the widths.
    struct Sample
    {
        std::array<QByteArray, kColumns> cells;
        std::array<int, kColumns> widths;
    };
    QList<Sample> m_sample;
    std::array<int, kColumns> m_widths {};
    bool m_widthsSet = false;
    std::array<QByteArray, kColumns> m_slow; ///< cells that went through shown()
};

} // namespace cpc::ctl
