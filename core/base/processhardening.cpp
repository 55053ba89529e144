#include "processhardening.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

#include <sys/resource.h>
#if defined(__linux__)
#include <sys/prctl.h>
#endif

namespace cpc {

bool hardenProcess()
{
    bool ok = true;
    // Logging is not set up this early: a failure goes straight to stderr, once.
    const rlimit none { 0, 0 };
    if (::setrlimit(RLIMIT_CORE, &none) != 0) {
        std::fprintf(stderr, "warning: cannot turn core dumps off: %s\n", std::strerror(errno));
        ok = false;
    }
#if defined(__linux__)
    if (::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) {
        std::fprintf(stderr, "warning: cannot make the process non-dumpable: %s\n",
                     std::strerror(errno));
        ok = false;
    }
#endif
    return ok;
}

} // namespace cpc
