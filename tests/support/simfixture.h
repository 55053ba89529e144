#pragma once

// The CP simulator as a fixture: options carrying a suite's secrets, and a start that says why
// it failed.
#include "cpcalls.h"
#include "simulator.h"

#include <memory>

namespace cpc::test {

/// Simulator options that check `secrets` (the rest as SimulatorOptions has them).
SimulatorOptions simulatorOptions(const CpSecrets &secrets);

/// A started simulator on loopback; null, with the reason as a warning, when it did not start.
std::unique_ptr<Simulator> startSimulator(const SimulatorOptions &options);

} // namespace cpc::test
