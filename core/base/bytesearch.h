#pragma once

#include <cstddef>
#include <string_view>

namespace cpc {

/// Where `needle` first occurs in `haystack`, or std::string_view::npos. The list's filter
/// searches a million rows' text (about 90 MB) per keystroke: this compares the needle's first
/// and last bytes 16 positions at a time (SSE2) and the rest only where both match, where
/// glibc's memmem reads a two-byte needle one byte at a time.
size_t findBytes(std::string_view haystack, std::string_view needle);

} // namespace cpc
