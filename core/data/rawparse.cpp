#include "rawparse.h"

#include "rawrow.h"

#include <QDateTime>
#include <QString>

#include <cmath>
#include <limits>

namespace cpc::rawparse {

namespace {

constexpr qint64 kMsPerDay = 86'400'000;

inline int unit(QByteArrayView s, qsizetype i)
{
    return uchar(s[i]);
}
inline int unit(QStringView s, qsizetype i)
{
    return s[i].unicode();
}

template<typename View> int digits(View s, qsizetype at, int count)
{
    int v = 0;
    for (int i = 0; i < count; ++i) {
        const int c = unit(s, at + i);
        if (c < '0' || c > '9')
            return -1;
        v = v * 10 + (c - '0');
    }
    return v;
}

bool isLeap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

// QDate's rules for the proleptic Gregorian calendar, with no year 0.
bool validDate(int y, int m, int d)
{
    static constexpr int kDays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (y < 1 || m < 1 || m > 12 || d < 1)
        return false;
    return d <= kDays[m - 1] + (m == 2 && isLeap(y) ? 1 : 0);
}

// Days since 1970-01-01 of a Gregorian date (H. Hinnant's days_from_civil).
qint64 daysFromCivil(int y, int m, int d)
{
    y -= m <= 2;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const int yoe = y - era * 400;
    const int doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return qint64(era) * 146097 + doe - 719468;
}

// The common shapes, parsed by hand: QDateTime::fromString is ten times slower, and a list
// parses three timestamps per row.
template<typename View> qint64 isoImpl(View s)
{
    const qsizetype n = s.size();
    if (n < 10 || unit(s, 4) != '-' || unit(s, 7) != '-')
        return RawRow::kNoTime;
    const int y = digits(s, 0, 4), mo = digits(s, 5, 2), d = digits(s, 8, 2);
    if (y < 0 || mo < 0 || d < 0 || !validDate(y, mo, d))
        return RawRow::kNoTime;
    const qint64 day = daysFromCivil(y, mo, d) * kMsPerDay;
    if (n == 10)
        return day;
    const int sep = unit(s, 10);
    if (n < 19 || (sep != 'T' && sep != 't' && sep != ' ') || unit(s, 13) != ':'
        || unit(s, 16) != ':')
        return RawRow::kNoTime;
    const int h = digits(s, 11, 2), mi = digits(s, 14, 2), sec = digits(s, 17, 2);
    if (h < 0 || mi < 0 || sec < 0 || h > 23 || mi > 59 || sec > 59)
        return RawRow::kNoTime;
    qsizetype i = 19;
    int ms = 0;
    if (i < n && (unit(s, i) == '.' || unit(s, i) == ',')) {
        ++i;
        int scale = 100;
        const qsizetype start = i;
        while (i < n && unit(s, i) >= '0' && unit(s, i) <= '9') {
            ms += (unit(s, i) - '0') * scale;
            scale /= 10;
            ++i;
        }
        if (i == start)
            return RawRow::kNoTime;
    }
    qint64 offsetSecs = 0;
    if (i < n) {
        const int z = unit(s, i);
        if ((z == 'Z' || z == 'z') && i + 1 == n) {
            // UTC
        } else if (z == '+' || z == '-') {
            const View rest = s.sliced(i + 1);
            int oh = -1, om = 0;
            if (rest.size() == 2) {
                oh = digits(rest, 0, 2);
            } else if (rest.size() == 4) {
                oh = digits(rest, 0, 2);
                om = digits(rest, 2, 2);
            } else if (rest.size() == 5 && unit(rest, 2) == ':') {
                oh = digits(rest, 0, 2);
                om = digits(rest, 3, 2);
            }
            if (oh < 0 || om < 0 || oh > 23 || om > 59)
                return RawRow::kNoTime;
            offsetSecs = (oh * 3600 + om * 60) * (z == '-' ? -1 : 1);
        } else {
            return RawRow::kNoTime;
        }
    }
    return day + ((h * 60 + mi) * 60 + sec) * 1000 + ms - offsetSecs * 1000;
}

bool isAsciiSpace(char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

QByteArrayView trimmedAscii(QByteArrayView s)
{
    while (!s.isEmpty() && isAsciiSpace(s.front()))
        s = s.sliced(1);
    while (!s.isEmpty() && isAsciiSpace(s.back()))
        s.chop(1);
    return s;
}

// Everything parseTimestamp() accepts, through QString: the rare shapes.
qint64 timestampFromQString(const QString &raw)
{
    const QString text = raw.trimmed();
    if (text.isEmpty())
        return RawRow::kNoTime;
    if (const qint64 at = isoImpl(QStringView(text)); at != RawRow::kNoTime)
        return at;
    bool numeric = false;
    const double secs = text.toDouble(&numeric);
    if (numeric)
        return msecsFromSeconds(secs);
    QDateTime at = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!at.isValid())
        return RawRow::kNoTime;
    if (at.timeSpec() == Qt::LocalTime) // no zone given: the platform writes UTC
        at = QDateTime(at.date(), at.time(), Qt::UTC);
    return at.toMSecsSinceEpoch();
}

} // namespace

qint64 msecsFromSeconds(double secs)
{
    // Years 1 to 9999: anything outside is a malformed value, shown as empty.
    if (!(secs > -62135596800.0 && secs < 253402300800.0))
        return RawRow::kNoTime;
    return qint64(secs * 1000.0);
}

qint64 isoMsecs(QByteArrayView text)
{
    return isoImpl(text);
}

qint64 isoMsecs(QStringView text)
{
    return isoImpl(text);
}

qint64 timestampFromText(QByteArrayView utf8)
{
    const QByteArrayView text = trimmedAscii(utf8);
    if (text.isEmpty())
        return RawRow::kNoTime;
    if (const qint64 at = isoImpl(text); at != RawRow::kNoTime)
        return at;
    return timestampFromQString(QString::fromUtf8(utf8));
}

int tierFromText(QByteArrayView utf8)
{
    const QByteArrayView text = trimmedAscii(utf8);
    // Plain digits with an optional sign by hand; anything else as QString::toInt reads it.
    qsizetype i = !text.isEmpty() && (text.front() == '-' || text.front() == '+') ? 1 : 0;
    if (i < text.size() && text.size() - i <= 9) {
        int v = 0;
        for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i)
            v = v * 10 + (text[i] - '0');
        if (i == text.size())
            return text.front() == '-' ? -v : v;
    }
    bool ok = false;
    const int tier = QString::fromUtf8(utf8).trimmed().toInt(&ok);
    return ok ? tier : 0;
}

int tierFromDouble(double value)
{
    if (!(value > double(std::numeric_limits<int>::min()) - 1.0
          && value < double(std::numeric_limits<int>::max()) + 1.0))
        return 0;
    return int(value);
}

} // namespace cpc::rawparse
