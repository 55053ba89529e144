#pragma once

#include "cpclient.h"

#include <QString>
#include <QStringList>

#include <functional>

namespace cpc {
class WorkspaceSource;
}

namespace cpc::ui {

/// What a provision is about to do, for the engineer to confirm before anything is sent: one
/// headline ("Provision aisha-dev: tier 2, gcp, python"), the request's other fields, and
/// warnings about what is easy to get wrong: an ID that is not in the database (a new row is
/// made), a new row named like an existing workspace, a tier, provider or runtime that differs
/// from the row's.
struct ProvisionSummary
{
    QString headline;
    QStringList details;
    QStringList warnings;
    bool createsRow = false; ///< the ID is not in the database: provisioning adds a row

    /// The IDs of the workspaces with a name (case-insensitive): the window's list answers
    /// from memory, where reading every row from the database would freeze it.
    using NameLookup = std::function<QStringList(const QString &name)>;

    /// Looks the workspace up in `source` (may be null: no database, nothing is looked up).
    /// `newName` is the name a new row would get ("" means the ID). Names are checked with
    /// `sameName` when given, else by listing `source`.
    static ProvisionSummary make(const ProvisionRequest &request, const QString &newName,
                                 WorkspaceSource *source, const NameLookup &sameName = {});
    /// The summary as rich text for a label; every name from the database escaped.
    QString html() const;
};

} // namespace cpc::ui
