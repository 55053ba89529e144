#include "bytesearch.h"

#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace cpc {

size_t findBytes(std::string_view haystack, std::string_view needle)
{
    const size_t n = haystack.size();
    const size_t m = needle.size();
    if (m == 0)
        return 0;
    if (m > n)
        return std::string_view::npos;
    const char *h = haystack.data();
    const char *nd = needle.data();
    if (m == 1) {
        const void *at = std::memchr(h, nd[0], n);
        return at ? size_t(static_cast<const char *>(at) - h) : std::string_view::npos;
    }
    const size_t starts = n - m + 1; // a match can start at [0, starts)
    size_t i = 0;
#if defined(__SSE2__)
    const __m128i first = _mm_set1_epi8(nd[0]);
    const __m128i last = _mm_set1_epi8(nd[m - 1]);
    // Each step reads h[i, i + 16) and h[i + m - 1, i + m + 15): both inside the haystack
    // while i + 16 <= starts.
    for (; i + 16 <= starts; i += 16) {
        const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i *>(h + i));
        const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i *>(h + i + m - 1));
        unsigned mask = unsigned(
            _mm_movemask_epi8(_mm_and_si128(_mm_cmpeq_epi8(a, first), _mm_cmpeq_epi8(b, last))));
        while (mask != 0) {
            const size_t at = i + size_t(__builtin_ctz(mask));
            if (m == 2 || std::memcmp(h + at + 1, nd + 1, m - 2) == 0)
                return at;
            mask &= mask - 1;
        }
    }
#endif
    for (; i < starts; ++i) {
        if (h[i] == nd[0] && h[i + m - 1] == nd[m - 1] && std::memcmp(h + i, nd, m) == 0)
            return i;
    }
    return std::string_view::npos;
}

} // namespace cpc
