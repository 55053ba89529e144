#pragma once

#include "operations.h"

#include <QString>

namespace cpc::ui {

/// What the window says after a stop, in the status bar: "ws-1: instance i-… stopped", or,
/// when the row moved on to a newer instance while the stop was out, a warning naming both.
QString stopOutcomeText(const QString &workspaceLabel, const StopOutcome &outcome);
/// How long the status bar keeps it: a warning stays long enough to be read.
int stopOutcomeTimeoutMs(const StopOutcome &outcome);

} // namespace cpc::ui
