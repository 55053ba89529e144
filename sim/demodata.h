#pragma once

#include "workspace.h"

#include <QDateTime>
#include <QList>

namespace cpc {

/// Generates `n` plausible rows of the `workspaces` table for demo mode, the simulator and
/// benchmarks: names such as "payments-api-eu", "ml-training-07" or "jane-dev-sandbox" (unique),
/// UUID-shaped IDs, runtimes, tiers 1–4, providers (aws, gcp), statuses weighted like a real
/// tenant (mostly online; some offline, provisioning, degraded, failed, paused, hibernated; a
/// few removed, awaiting_agent, hibernating) with an instance ID `mol-ws-…` exactly for the
/// rows that have compute (provisioning, online, degraded, failed, awaiting_agent,
/// hibernating), and timestamps before `now`.
///
/// The same (n, seed, now) always gives the same rows, and the first k rows of a larger n are
/// the rows of n = k. An invalid `now` means demoReferenceTime(), so tests are reproducible;
/// demo mode passes the current time so that heartbeats look fresh.
QList<WorkspaceRow> generateWorkspaces(int n, quint32 seed, const QDateTime &now = {});

/// 2026-11-30 09:00 UTC.
QDateTime demoReferenceTime();

/// Whether a workspace in this status has compute (and so an instance ID) in generated data.
bool demoStatusHasCompute(const QString &status);

} // namespace cpc
