#include "ctllist.h"

#include "ctloutput.h"
#include "termtext.h"

#include <QDateTime>
#include <QIODevice>

#include <charconv>
#include <cstring>

namespace cpc::ctl {

namespace {

constexpr qsizetype kBlock = qsizetype(1) << 20; ///< stdout is written in blocks of this size
constexpr qint64 kMsPerDay = 86'400'000;

// Bytes 0x20 to 0x7e only. Eight at a time: a table line is checked whole, every row.
bool printableAscii(QByteArrayView s)
{
    constexpr quint64 k01 = 0x0101010101010101, k60 = 0x6060606060606060, k80 = 0x8080808080808080;
    const char *p = s.data();
    qsizetype n = s.size();
    quint64 bad = 0;
    for (; n >= 8; p += 8, n -= 8) {
        quint64 x;
        std::memcpy(&x, p, 8);
        // Without a high bit in any byte nothing carries between bytes: a byte below 0x20
        // stays below 0x80 when 0x60 is added, 0x7f alone reaches it when 1 is.
        bad |= (x | (x + k01) | ~(x + k60)) & k80;
    }
    for (; n > 0; ++p, --n)
        bad |= quint64(uchar(*p) - 0x20u > 0x5eu);
    return bad == 0;
}

bool ascii(QByteArrayView s)
{
    for (const char c : s) {
        if (c & 0x80)
            return false;
    }
    return true;
}

void appendHex4(QByteArray &out, int code)
{
    static constexpr char kHex[] = "0123456789abcdef";
    out += "\\u";
    for (int shift = 12; shift >= 0; shift -= 4)
        out += kHex[(code >> shift) & 0xf];
}

// A JSON string body from valid UTF-8, escaped as QJsonDocument escapes (quote, backslash,
// C0 controls) and then termtext::escapeJson (C1 controls, bidirectional controls, line and
// paragraph separators as \uXXXX): the bytes `cpctl list --json` wrote before it streamed.
void appendEscaped(QByteArray &out, QByteArrayView u)
{
    const qsizetype n = u.size();
    qsizetype copied = 0;
    auto flushTo = [&](qsizetype i) {
        out.append(u.data() + copied, i - copied);
    };
    for (qsizetype i = 0; i < n; ++i) {
        const uchar b = uchar(u[i]);
        if (b >= 0x20 && b != '"' && b != '\\' && b != 0xc2 && b != 0xe2)
            continue;
        const uchar b1 = i + 1 < n ? uchar(u[i + 1]) : 0;
        const uchar b2 = i + 2 < n ? uchar(u[i + 2]) : 0;
        int escape = -1; // the code point written as \uXXXX
        int length = 1; // bytes replaced
        const char *shortForm = nullptr;
        switch (b) {
        case '"':
            shortForm = "\\\"";
            break;
        case '\\':
            shortForm = "\\\\";
            break;
        case '\b':
            shortForm = "\\b";
            break;
        case '\f':
            shortForm = "\\f";
            break;
        case '\n':
            shortForm = "\\n";
            break;
        case '\r':
            shortForm = "\\r";
            break;
        case '\t':
            shortForm = "\\t";
            break;
        case 0xc2:
            if (b1 >= 0x80 && b1 <= 0x9f) {
                escape = b1;
                length = 2;
            }
            break;
        case 0xe2:
            if ((b1 == 0x80 && b2 >= 0xa8 && b2 <= 0xae)
                || (b1 == 0x81 && b2 >= 0xa6 && b2 <= 0xa9)) {
                escape = 0x2000 | ((b1 & 0x3f) << 6) | (b2 & 0x3f);
                length = 3;
            }
            break;
        default:
            escape = b; // another C0 control
            break;
        }
        if (!shortForm && escape < 0)
            continue;
        flushTo(i);
        if (shortForm)
            out += shortForm;
        else
            appendHex4(out, escape);
        i += length - 1;
        copied = i + 1;
    }
    flushTo(n);
}

char *putDigits(char *at, int value, int count)
{
    for (int i = count - 1; i >= 0; --i) {
        at[i] = char('0' + value % 10);
        value /= 10;
    }
    return at + count;
}

// QDateTime::toString(Qt::ISODate) of a UTC time: "2024-05-01T12:00:00Z", milliseconds cut.
// Written into `buf`; the rare years four digits do not hold go through Qt into `fallback`.
QByteArrayView isoText(qint64 msecs, char (&buf)[20], QByteArray &fallback)
{
    if (msecs == RawRow::kNoTime)
        return {};
    qint64 days = msecs / kMsPerDay;
    qint64 rest = msecs % kMsPerDay;
    if (rest < 0) {
        rest += kMsPerDay;
        --days;
    }
    // H. Hinnant's civil_from_days.
    const qint64 z = days + 719468;
    const qint64 era = (z >= 0 ? z : z - 146096) / 146097;
    const qint64 doe = z - era * 146097;
    const qint64 yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const qint64 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const qint64 mp = (5 * doy + 2) / 153;
    const int d = int(doy - (153 * mp + 2) / 5 + 1);
    const int m = int(mp < 10 ? mp + 3 : mp - 9);
    const qint64 y = yoe + era * 400 + (m <= 2 ? 1 : 0);
    if (y < 1 || y > 9999) {
        fallback = QDateTime::fromMSecsSinceEpoch(msecs, Qt::UTC).toString(Qt::ISODate).toUtf8();
        return fallback;
    }
    const int secs = int(rest / 1000);
    char *p = putDigits(buf, int(y), 4);
    *p++ = '-';
    p = putDigits(p, m, 2);
    *p++ = '-';
    p = putDigits(p, d, 2);
    *p++ = 'T';
    p = putDigits(p, secs / 3600, 2);
    *p++ = ':';
    p = putDigits(p, secs / 60 % 60, 2);
    *p++ = ':';
    p = putDigits(p, secs % 60, 2);
    *p++ = 'Z';
    return QByteArrayView(buf, p - buf);
}

} // namespace

ListFilter::ListFilter(const QString &needle)
    : m_needle(needle.toLower())
    , m_needleUtf8(m_needle.toUtf8())
    , m_asciiNeedle(ascii(m_needleUtf8))
{
}

bool ListFilter::matches(const RawRow &r) const
{
    if (m_needle.isEmpty())
        return true;
    for (const auto field :
         { RawRow::Name, RawRow::Id, RawRow::InstanceId, RawRow::Runtime, RawRow::Status }) {
        if (contains(r.text[field]))
            return true;
    }
    return false;
}

bool ListFilter::contains(QByteArrayView text) const
{
    if (!m_asciiNeedle || !ascii(text))
        return QString::fromUtf8(text).toLower().contains(m_needle);
    const qsizetype n = m_needleUtf8.size();
    for (qsizetype i = 0; i + n <= text.size(); ++i) {
        if (qstrnicmp(text.data() + i, m_needleUtf8.constData(), size_t(n)) == 0)
            return true;
    }
    return false;
}

ListWriter::ListWriter(Format format, QIODevice &out)
    : m_format(format)
    , m_out(out)
{
    m_buffer.reserve(kBlock + 64 * 1024);
}

void ListWriter::appendJsonString(QByteArrayView utf8)
{
    m_buffer += '"';
    if (ascii(utf8) && !m_probe.mayRedact(utf8)) {
        appendEscaped(m_buffer, utf8);
    } else {
        // Through QString as before: redacted, and invalid UTF-8 replaced by U+FFFD.
        appendEscaped(m_buffer, redaction::redact(QString::fromUtf8(utf8)).toUtf8());
    }
    m_buffer += '"';
}

void ListWriter::appendJsonTime(qint64 msecs)
{
    char buf[20];
    QByteArray fallback;
    appendJsonString(isoText(msecs, buf, fallback));
}

void ListWriter::appendJsonRow(const RawRow &r)
{
    // QJsonObject's order (by key), as the document `list --json` printed before.
    m_buffer += "{\"created_at\":";
    appendJsonTime(r.msecs[RawRow::CreatedAt]);
    m_buffer += ",\"id\":";
    appendJsonString(r.text[RawRow::Id]);
    m_buffer += ",\"instance_id\":";
    if (r.text[RawRow::InstanceId].isEmpty())
        m_buffer += "null";
    else
        appendJsonString(r.text[RawRow::InstanceId]);
    m_buffer += ",\"last_heartbeat_at\":";
    appendJsonTime(r.msecs[RawRow::LastHeartbeatAt]);
    m_buffer += ",\"last_sample_error\":";
    appendJsonString(r.text[RawRow::LastSampleError]);
    m_buffer += ",\"name\":";
    appendJsonString(r.text[RawRow::Name]);
    m_buffer += ",\"provider\":";
    appendJsonString(r.text[RawRow::Provider]);
    m_buffer += ",\"role\":";
    appendJsonString(r.text[RawRow::Role]);
    m_buffer += ",\"runtime\":";
    appendJsonString(r.text[RawRow::Runtime]);
    m_buffer += ",\"status\":";
    appendJsonString(r.text[RawRow::Status]);
    m_buffer += ",\"tier\":";
    m_buffer += QByteArray::number(r.tier);
    m_buffer += ",\"updated_at\":";
    appendJsonTime(r.msecs[RawRow::UpdatedAt]);
    m_buffer += ",\"url\":";
    appendJsonString(r.text[RawRow::Url]);
    m_buffer += '}';
}

QByteArrayView ListWriter::tableCell(QByteArrayView utf8, int *width, QByteArray &slow) const
{
    if (printableAscii(utf8) && !m_probe.mayRedact(utf8)) {
        *width = int(utf8.size());
        return utf8;
    }
    const QString cell = shown(QString::fromUtf8(utf8));
    *width = termtext::columns(cell);
    slow = cell.toUtf8();
    return slow;
}

void ListWriter::appendTableLine(const std::array<QByteArrayView, kColumns> &cells,
                                 const std::array<int, kColumns> &widths)
{
    for (int i = 0; i < kColumns; ++i) {
        m_buffer += cells[size_t(i)];
        if (i + 1 == kColumns)
            break;
        // A cell wider than its column (after the rows that set the widths) widens it: this
        // line and the ones after it line up on the new width.
        m_widths[size_t(i)] = std::max(m_widths[size_t(i)], widths[size_t(i)]);
        m_buffer.append(m_widths[size_t(i)] + 2 - widths[size_t(i)], ' ');
    }
    m_buffer += '\n';
}

bool ListWriter::appendPlainLine(const std::array<QByteArrayView, kColumns> &text)
{
    // The line as appendTableLine() would write it when every cell is shown as it is: written
    // at once, then checked as a whole (no cell holds what the whole line does not).
    std::array<int, kColumns> widths = m_widths;
    qsizetype length = 1; // the newline
    for (int i = 0; i < kColumns; ++i) {
        const int width = int(text[size_t(i)].size());
        if (i + 1 == kColumns) {
            length += width;
        } else {
            widths[size_t(i)] = std::max(widths[size_t(i)], width);
            length += widths[size_t(i)] + 2;
        }
    }
    const qsizetype start = m_buffer.size();
    m_buffer.resize(start + length);
    char *at = m_buffer.data() + start;
    for (int i = 0; i < kColumns; ++i) {
        const QByteArrayView cell = text[size_t(i)];
        if (!cell.isEmpty()) // an empty view may have no data pointer
            std::memcpy(at, cell.data(), size_t(cell.size()));
        at += cell.size();
        if (i + 1 == kColumns)
            break;
        const qsizetype pad = widths[size_t(i)] + 2 - cell.size();
        std::memset(at, ' ', size_t(pad));
        at += pad;
    }
    *at = '\n';
    const QByteArrayView line(m_buffer.constData() + start, length - 1);
    if (!printableAscii(line) || m_probe.mayRedact(line)) {
        m_buffer.truncate(start);
        return false;
    }
    m_widths = widths;
    return true;
}

bool ListWriter::add(const RawRow &row)
{
    if (!m_error.isEmpty())
        return false;
    ++m_rows;
    switch (m_format) {
    case Format::Json:
        m_buffer += m_rows == 1 ? '[' : ',';
        appendJsonRow(row);
        break;
    case Format::JsonLines:
        appendJsonRow(row);
        m_buffer += '\n';
        break;
    case Format::Table: {
        char tier[16];
        const auto tierEnd = std::to_chars(tier, tier + sizeof tier, row.tier).ptr;
        const QByteArrayView instance = row.text[RawRow::InstanceId];
        const std::array<QByteArrayView, kColumns> text { row.text[RawRow::Id],
                                                          row.text[RawRow::Name],
                                                          row.text[RawRow::Status],
                                                          row.text[RawRow::Runtime],
                                                          QByteArrayView(tier, tierEnd - tier),
                                                          instance.isEmpty() ? QByteArrayView("-")
                                                                             : instance };
        if (m_widthsSet && appendPlainLine(text))
            break;
        std::array<QByteArrayView, kColumns> cells;
        std::array<int, kColumns> widths;
        for (int i = 0; i < kColumns; ++i)
            cells[size_t(i)] = tableCell(text[size_t(i)], &widths[size_t(i)], m_slow[size_t(i)]);
        if (m_widthsSet) {
            appendTableLine(cells, widths);
            break;
        }
        Sample sample;
        for (int i = 0; i < kColumns; ++i)
            sample.cells[size_t(i)] = cells[size_t(i)].toByteArray();
        sample.widths = widths;
        m_sample.append(sample);
        return m_sample.size() < kTableSampleRows || flush();
    }
    }
    return flushIfFull();
}

bool ListWriter::flushIfFull()
{
    return m_buffer.size() < kBlock || flush();
}

bool ListWriter::flush()
{
    if (m_format == Format::Table && !m_widthsSet) {
        // The widths from the header and the rows held so far; then those rows.
        static constexpr std::array<QByteArrayView, kColumns> header {
            "ID", "NAME", "STATUS", "RUNTIME", "TIER", "INSTANCE"
        };
        std::array<int, kColumns> headerWidths;
        for (int i = 0; i < kColumns; ++i)
            headerWidths[size_t(i)] = int(header[size_t(i)].size());
        m_widths = headerWidths;
        for (const Sample &row : std::as_const(m_sample)) {
            for (int i = 0; i < kColumns; ++i)
                m_widths[size_t(i)] = std::max(m_widths[size_t(i)], row.widths[size_t(i)]);
        }
        m_widthsSet = true;
        appendTableLine(header, headerWidths);
        for (const Sample &row : std::as_const(m_sample)) {
            std::array<QByteArrayView, kColumns> cells;
            for (int i = 0; i < kColumns; ++i)
                cells[size_t(i)] = row.cells[size_t(i)];
            appendTableLine(cells, row.widths);
        }
        m_sample.clear();
    }
    if (!m_error.isEmpty())
        return false;
    if (m_buffer.isEmpty())
        return true;
    m_error = writeAll(m_out, m_buffer);
    m_buffer.resize(0); // keeps the block allocated
    return m_error.isEmpty();
}

bool ListWriter::finish()
{
    if (m_format == Format::Json)
        m_buffer += m_rows == 0 ? "[]\n" : "]\n";
    return flush();
}

} // namespace cpc::ctl
