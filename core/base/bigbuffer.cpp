#include "bigbuffer.h"

#include <new>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace cpc {

namespace {
constexpr std::size_t kHugePage = std::size_t(2) << 20;
constexpr std::size_t kBig = std::size_t(4) << 20; ///< from here a block gets huge pages

bool isBig(std::size_t bytes)
{
    return bytes >= kBig;
}
} // namespace

void *bigAllocate(std::size_t bytes, std::size_t align)
{
    if (!isBig(bytes))
        return align > __STDCPP_DEFAULT_NEW_ALIGNMENT__
            ? ::operator new(bytes, std::align_val_t(align))
            : ::operator new(bytes);
    void *p = ::operator new(bytes, std::align_val_t(kHugePage));
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    // Advice only: where huge pages are off (or the kernel says no) the block stays as it is.
    madvise(p, bytes / kHugePage * kHugePage, MADV_HUGEPAGE);
#endif
    return p;
}

void bigFree(void *p, std::size_t bytes, std::size_t align) noexcept
{
    // Unsized deletes: clang does not offer sized deallocation unless asked to.
    if (!isBig(bytes)) {
        if (align > __STDCPP_DEFAULT_NEW_ALIGNMENT__)
            ::operator delete(p, std::align_val_t(align));
        else
            ::operator delete(p);
        return;
    }
    ::operator delete(p, std::align_val_t(kHugePage));
}

} // namespace cpc
