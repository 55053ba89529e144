#pragma once

namespace cpc {

/// Keeps the secrets in this process's memory from leaving it: no core dump (RLIMIT_CORE 0,
/// soft and hard, so nothing started later can raise it) and not dumpable (PR_SET_DUMPABLE 0:
/// no core through a pipe handler either, and another process of the same user can neither
/// attach a debugger nor read /proc/PID/mem or environ). Call first thing in main(), before any
/// secret is read. Returns false when a step failed; the process goes on either way.
bool hardenProcess();

} // namespace cpc
