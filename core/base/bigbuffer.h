#pragma once

#include <cstddef>
#include <vector>

namespace cpc {

/// Memory for the few buffers that hold a million rows (the workspace table's records, text
/// and ID index: about 250 MB). Blocks of 4 MiB and more are aligned to 2 MiB and marked for
/// transparent huge pages (MADV_HUGEPAGE, where the kernel offers it): the table then costs a
/// few hundred page faults instead of sixty thousand, and its random reads (the ID index, a
/// merge in name order) far fewer TLB misses. Smaller blocks are ordinary allocations.
void *bigAllocate(std::size_t bytes, std::size_t align);
void bigFree(void *p, std::size_t bytes, std::size_t align) noexcept;

template<typename T> struct BigAllocator
{
    using value_type = T;
    BigAllocator() = default;
    template<typename U> BigAllocator(const BigAllocator<U> &) noexcept { }
    T *allocate(std::size_t n) { return static_cast<T *>(bigAllocate(n * sizeof(T), alignof(T))); }
    void deallocate(T *p, std::size_t n) noexcept { bigFree(p, n * sizeof(T), alignof(T)); }
    friend bool operator==(const BigAllocator &, const BigAllocator &) { return true; }
};

template<typename T> using BigVector = std::vector<T, BigAllocator<T>>;

} // namespace cpc
