#include "workspacesource.h"

#include "dburl.h"
#include "logging.h"
#include "postgressource.h"
#include "sqlitesource.h"

namespace cpc {

Result<std::unique_ptr<WorkspaceSource>> WorkspaceSource::open(const QString &url,
                                                               const SourceOptions &options)
{
    const auto parsed = DbUrl::parse(url);
    if (!parsed)
        return parsed.error();
    qCDebug(lcDb).noquote() << "opening" << parsed->display();
    switch (parsed->scheme) {
    case DbUrl::Scheme::Sqlite:
        return SqliteSource::open(*parsed, options);
    case DbUrl::Scheme::Postgres:
        return PostgresSource::open(*parsed, options);
    }
    return Error::make(Error::Kind::Config, QStringLiteral("database URL: unsupported scheme"));
}

QString WorkspaceSource::defaultUrl()
{
    return QStringLiteral("sqlite:") + userDataDirectory() + QStringLiteral("/workspaces.sqlite");
}

} // namespace cpc
