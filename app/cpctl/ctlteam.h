#pragma once

#include "ctlcommands.h"

#include <QJsonObject>
#include <QTextStream>

namespace cpc {
struct AuditEntry;
}

// cpctl's commands of team state: where the state is (`cpctl state`), its schema (`cpctl state
// migrate`) and the audit log as it is written (`cpctl audit --follow`).
namespace cpc::ctl {

/// On stderr: that the team database is away and entries are kept locally, not yet shared.
void noteTeamState(SessionSetup &s, QTextStream &err);
/// "alice_db@laptop-3 (OS user alice)": the database role when the team state names one.
QString auditWho(const AuditEntry &e);
/// An audit entry as `cpctl audit --json` prints it.
QJsonObject auditJson(const AuditEntry &e);
int followAudit(const Options &o, SessionSetup &s, QTextStream &out, QTextStream &err);
int cmdState(const Options &o, SessionSetup &s, QTextStream &out, QTextStream &err);

} // namespace cpc::ctl
