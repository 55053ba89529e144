#include "consoletext.h"

#include <algorithm>
#include <cstring>

namespace cpc::consoletext {

namespace {

// Overlap search: the last AnchorLength units of the previous fetch are looked up in the new
// one, from its end backwards, and each hit is verified in full. Console output carries
// timestamps, so the first hit is nearly always the right one; a budget on the verification
// work bounds the cost on pathological, nearly periodic input (it then counts as a gap).
// Consequence: an overlap shorter than min(AnchorLength, previous size) is not recognised.
constexpr qsizetype AnchorLength = 256;

qsizetype lastIndexOf(const char16_t *hay, qsizetype size, const char16_t *needle, qsizetype len,
                      qsizetype from);
qsizetype lastIndexOf(const char *hay, qsizetype size, const char *needle, qsizetype len,
                      qsizetype from);

template<typename Unit>
qsizetype findOverlap(const Unit *prev, qsizetype p, const Unit *next, qsizetype n)
{
    const qsizetype anchor = std::min(AnchorLength, p);
    if (anchor == 0)
        return -1;
    if (n < anchor) // the new fetch may be a tail of the previous one
        return std::memcmp(prev + p - n, next, n * sizeof(Unit)) == 0 ? n : -1;
    // A hit at i means an overlap of k = i + anchor, which must fit in the previous fetch.
    qsizetype budget = 4 * (p + n);
    for (qsizetype from = std::min(n - anchor, p - anchor); from >= 0 && budget >= 0;) {
        const qsizetype i = lastIndexOf(next, n, prev + p - anchor, anchor, from);
        if (i < 0)
            return -1;
        const qsizetype k = i + anchor;
        if (std::memcmp(next, prev + p - k, i * sizeof(Unit)) == 0)
            return k;
        budget -= i + anchor;
        from = i - 1;
    }
    return -1;
}

/// Whether next occurs entirely inside prev (a stale or repeated poll), by the same technique.
template<typename Unit>
bool occursInside(const Unit *prev, qsizetype p, const Unit *next, qsizetype n)
{
    if (n > p || n == 0)
        return false;
    const qsizetype anchor = std::min(AnchorLength, n);
    qsizetype budget = 4 * (p + n);
    for (qsizetype from = p - anchor; from >= 0 && budget >= 0;) {
        const qsizetype i = lastIndexOf(prev, p, next + n - anchor, anchor, from);
        const qsizetype start = i + anchor - n;
        if (start < 0)
            return false; // no hit, or too early for all of next to fit
        if (std::memcmp(prev + start, next, (n - anchor) * sizeof(Unit)) == 0)
            return true;
        budget -= n;
        from = i - 1;
    }
    return false;
}

qsizetype lastIndexOf(const char16_t *hay, qsizetype size, const char16_t *needle, qsizetype len,
                      qsizetype from)
{
    return QStringView(hay, size).lastIndexOf(QStringView(needle, len), from);
}

qsizetype lastIndexOf(const char *hay, qsizetype size, const char *needle, qsizetype len,
                      qsizetype from)
{
    return QByteArrayView(hay, size).lastIndexOf(QByteArrayView(needle, len), from);
}

} // namespace

qsizetype overlapOf(QStringView prev, QStringView next)
{
    return findOverlap(prev.utf16(), prev.size(), next.utf16(), next.size());
}

qsizetype overlapOf(QByteArrayView prev, QByteArrayView next)
{
    return findOverlap(prev.data(), prev.size(), next.data(), next.size());
}

bool isInside(QStringView prev, QStringView next)
{
    return occursInside(prev.utf16(), prev.size(), next.utf16(), next.size());
}

bool isInside(QByteArrayView prev, QByteArrayView next)
{
    return occursInside(prev.data(), prev.size(), next.data(), next.size());
}

/// Decodes UTF-8, appending to out. Each maximal invalid subpart becomes one U+FFFD and counts
/// as one invalid sequence (the Unicode "best practice", as browsers do). Unless atEnd, an
/// incomplete but so far valid sequence at the end is left unconsumed. Returns bytes consumed.
qsizetype decodeUtf8(const uchar *s, qsizetype n, QString &out, qint64 &invalid, bool atEnd)
{
    const qsizetype oldSize = out.size();
    out.resize(oldSize + n); // never more UTF-16 units than bytes
    char16_t *const begin = reinterpret_cast<char16_t *>(out.data());
    char16_t *d = begin + oldSize;
    qsizetype i = 0;
    while (i < n) {
        const uchar b = s[i];
        if (b < 0x80) {
            *d++ = b;
            ++i;
            continue;
        }
        int need;
        uchar lo = 0x80;
        uchar hi = 0xbf;
        char32_t cp;
        if (b >= 0xc2 && b <= 0xdf) {
            need = 1;
            cp = b & 0x1f;
        } else if (b >= 0xe0 && b <= 0xef) {
            need = 2;
            cp = b & 0x0f;
            if (b == 0xe0)
                lo = 0xa0; // no overlongs
            else if (b == 0xed)
                hi = 0x9f; // no surrogates
        } else if (b >= 0xf0 && b <= 0xf4) {
            need = 3;
            cp = b & 0x07;
            if (b == 0xf0)
                lo = 0x90;
            else if (b == 0xf4)
                hi = 0x8f; // nothing above U+10FFFF
        } else {
            *d++ = 0xfffd;
            ++invalid;
            ++i;
            continue;
        }
        int j = 1;
        for (; j <= need; ++j) {
            if (i + j >= n)
                break;
            const uchar c = s[i + j];
            if (c < lo || c > hi)
                break;
            lo = 0x80;
            hi = 0xbf;
            cp = (cp << 6) | (c & 0x3f);
        }
        if (j > need) {
            if (cp >= 0x10000) {
                *d++ = QChar::highSurrogate(cp);
                *d++ = QChar::lowSurrogate(cp);
            } else {
                *d++ = char16_t(cp);
            }
            i += need + 1;
            continue;
        }
        if (i + j >= n && !atEnd)
            break; // incomplete at the end: the next fetch may complete it
        *d++ = 0xfffd;
        ++invalid;
        i += j;
    }
    out.resize(d - begin);
    return i;
}

int utf8Length(QStringView s)
{
    // Branch-free so that it vectorises: 1 byte below U+0080, 2 below U+0800, 3 above, and a
    // surrogate pair 2 + 2.
    qsizetype bytes = s.size();
    if (QtPrivate::isAscii(s)) // SIMD; most console lines are ASCII
        return int(bytes);
    const char16_t *d = s.utf16();
    for (qsizetype i = 0; i < s.size(); ++i) {
        const char16_t c = d[i];
        bytes += (c >= 0x80) + (c >= 0x800) - ((c & 0xf800) == 0xd800);
    }
    return int(bytes);
}

} // namespace cpc::consoletext
