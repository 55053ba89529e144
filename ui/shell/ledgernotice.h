#pragma once

#include "operations.h"

#include <QString>

namespace cpc::ui {

/// What the window says after a stop, in the status bar: "ws-1: instance i-… stopped", or,
/// when the row moved on to a newer instance while the stop was out, a warning naming both.
QString stopOutcomeText(const QString &workspaceLabel, const StopOutcome &outcome);
/// How long the status bar keeps it: a warning stays long enough to be read.
int stopOutcomeTimeoutMs(const StopOutcome &outcome);

/// What the window says of a provision that did not succeed: in the details pane's error strip
/// and in the status bar. One whose outcome is unknown (cancelled, timed out, its answer lost
/// or not recorded: Error::mayHaveApplied) says so, as the journal does, and what to do about
/// it: reconcile. `message` is the call's error message.
struct ProvisionFailureText
{
    QString strip;
    QString statusBar;
};
ProvisionFailureText provisionFailureText(const QString &workspaceLabel, const QString &message,
                                          bool outcomeUnknown);

} // namespace cpc::ui
