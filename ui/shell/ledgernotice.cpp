#include "ledgernotice.h"

#include <QCoreApplication>

namespace cpc::ui {

QString stopOutcomeText(const QString &workspaceLabel, const StopOutcome &outcome)
{
    if (outcome.instanceId.isEmpty())
        return QCoreApplication::translate("LedgerNotice",
                                           "%1: no instance on file: nothing to stop")
            .arg(workspaceLabel);
    if (!outcome.movedOnTo.isEmpty())
        return QCoreApplication::translate(
                   "LedgerNotice",
                   "⚠ %1: instance %2 stopped, but the row moved on to %3 meanwhile; %3 stays "
                   "on file (both IDs are in the audit log and the journal)")
            .arg(workspaceLabel, outcome.instanceId, outcome.movedOnTo);
    return QCoreApplication::translate("LedgerNotice", "%1: instance %2 stopped")
        .arg(workspaceLabel, outcome.instanceId);
}

int stopOutcomeTimeoutMs(const StopOutcome &outcome)
{
    return outcome.movedOnTo.isEmpty() ? 8000 : 60'000;
}

ProvisionFailureText provisionFailureText(const QString &workspaceLabel, const QString &message,
                                          bool outcomeUnknown)
{
    if (!outcomeUnknown)
        return { QCoreApplication::translate("LedgerNotice", "Provision failed: %1").arg(message),
                 QCoreApplication::translate("LedgerNotice", "Provision of %1 failed: %2")
                     .arg(workspaceLabel, message) };
    return { QCoreApplication::translate(
                 "LedgerNotice",
                 "Provision outcome unknown (%1): the CP may have created an instance. Reconcile "
                 "it from the journal banner (Ctrl+Shift+J).")
                 .arg(message),
             QCoreApplication::translate("LedgerNotice",
                                         "Provision of %1: outcome unknown (%2); reconcile it "
                                         "from the journal banner")
                 .arg(workspaceLabel, message) };
}

} // namespace cpc::ui
