#include "notablelines.h"

#include <array>
#include <cstring>

namespace cpc {

namespace {

template<size_t N> bool at(const char16_t *d, qsizetype n, qsizetype i, const char16_t (&what)[N])
{
    constexpr qsizetype len = qsizetype(N) - 1;
    return i + len <= n && std::memcmp(d + i, what, len * sizeof(char16_t)) == 0;
}

} // namespace

std::optional<ConsoleBuffer::Notable::Kind> classifyNotable(QStringView s)
{
    using Kind = ConsoleBuffer::Notable::Kind;
    // One pass, dispatching on a rare character of each pattern (lower-case patterns on an
    // inner letter: common letters would make the branch unpredictable); a line matching several
    // patterns gets the most severe kind (the lowest enum value).
    static constexpr auto triggers = [] {
        std::array<bool, 128> t {};
        for (const char c : { 'K', 'C', 'O', 'k', 'g', '[', 'b', 'R' })
            t[static_cast<unsigned char>(c)] = true;
        return t;
    }();
    std::optional<Kind> best;
    auto found = [&best](Kind k) {
        if (!best || k < *best)
            best = k;
    };
    const char16_t *d = s.utf16();
    const qsizetype n = s.size();
    for (qsizetype i = 0; i < n; ++i) {
        const char16_t c = d[i];
        if (c >= 128 || !triggers[c])
            continue;
        switch (c) {
        case u'K':
            if (at(d, n, i, u"Kernel panic"))
                return Kind::KernelPanic;
            if (at(d, n, i, u"Killed process"))
                found(Kind::OutOfMemory);
            break;
        case u'C':
            if (at(d, n, i, u"Call Trace:"))
                found(Kind::CallTrace);
            else if (at(d, n, i, u"Cloud-init v. ")
                     && s.sliced(i).contains(QLatin1StringView(" finished")))
                found(Kind::CloudInitFinished);
            break;
        case u'O':
            if (at(d, n, i, u"Out of memory"))
                found(Kind::OutOfMemory);
            break;
        case u'k':
            if (i >= 4 && at(d, n, i - 4, u"oom-killer"))
                found(Kind::OutOfMemory);
            break;
        case u'g':
            if (i >= 2 && at(d, n, i - 2, u"segfault"))
                found(Kind::Segfault);
            break;
        case u'[':
            if (at(d, n, i, u"[FAILED]"))
                found(Kind::FailedUnit);
            break;
        case u'b':
            if (i >= 2 && at(d, n, i - 2, u"reboot:"))
                found(Kind::Reboot);
            break;
        case u'R':
            if (at(d, n, i, u"Rebooting"))
                found(Kind::Reboot);
            break;
        default:
            break;
        }
    }
    return best;
}

QString ConsoleBuffer::notableKindName(Notable::Kind kind)
{
    switch (kind) {
    case Notable::Kind::KernelPanic:
        return QStringLiteral("kernel panic");
    case Notable::Kind::CallTrace:
        return QStringLiteral("call trace");
    case Notable::Kind::OutOfMemory:
        return QStringLiteral("out of memory");
    case Notable::Kind::Segfault:
        return QStringLiteral("segfault");
    case Notable::Kind::FailedUnit:
        return QStringLiteral("failed unit");
    case Notable::Kind::Reboot:
        return QStringLiteral("reboot");
    case Notable::Kind::CloudInitFinished:
        return QStringLiteral("cloud-init finished");
    case Notable::Kind::Gap:
        return QStringLiteral("gap");
    }
    return {};
}

} // namespace cpc
