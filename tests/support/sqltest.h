#pragma once

// SQL as a test writes and reads it behind the code under test: on a named QSqlDatabase
// connection, or on a workspace database by its URL.
#include "workspace.h"

#include <QString>
#include <QVariant>
#include <QVariantList>

#include <optional>

namespace cpc::test {

/// Runs `sql` on `connection` with `values` bound in order (without values it is not prepared:
/// DDL cannot be); false, with the error as a warning, when it fails.
bool sqlExec(const QString &connection, const QString &sql, const QVariantList &values = {});

/// The first column of the first row; "<no value: …>" with the error, so that a comparison
/// that fails says why.
QVariant sqlValue(const QString &connection, const QString &sql, const QVariantList &values = {});

/// `name` quoted as an SQL identifier.
QString quoteIdent(const QString &name);

/// The row the workspace database at `dbUrl` has for `id` now.
std::optional<WorkspaceRow> workspaceRow(const QString &dbUrl, const QString &id);

} // namespace cpc::test
