#pragma once

#include "result.h"
#include "secret.h"

#include <QString>

namespace cpc {

/// A parsed workspace-source URL. The password is kept only to open the connection: every
/// string meant for a person (display(), error messages, logs) has it replaced by "***".
struct DbUrl
{
    enum class Scheme { Sqlite, Postgres };

    Scheme scheme = Scheme::Sqlite;
    QString path; ///< sqlite: the file
    QString user; ///< postgresql: the parts of the URL, percent-decoded
    QString password;
    QString host; ///< a host name, or a socket directory (starts with '/')
    int port = -1; ///< -1: the driver's default
    QString database; ///< may be empty when a service names it
    QString service; ///< postgresql: a pg_service.conf entry (service=NAME)
    /// libpq options for QSqlDatabase::setConnectOptions. sslmode=verify-full is added for a
    /// host that is not this machine unless the URL has an sslmode, PGSSLMODE is set or a
    /// service is named (its entry decides).
    QString connectOptions;

    /// sqlite:PATH (also sqlite:///abs/path), postgresql://user[:password]@host[:port]/db and
    /// postgresql://user@/db?host=/socket/dir&port=N (postgres:// too). Query parameters other
    /// than host, port and a few libpq options (sslmode, connect_timeout, application_name,
    /// sslrootcert, sslcert, sslkey, service) are refused. The password may be left out: libpq
    /// then takes it from PGPASSWORD, ~/.pgpass or the service. Errors are Kind::Config and
    /// never hold the password.
    static Result<DbUrl> parse(const QString &url);

    /// For a person to read: the URL with the password replaced by "***".
    QString display() const;
    /// Replaces every occurrence of the password in `text` (for driver error messages).
    QString scrub(const QString &text) const;
};

/// A database URL as the user wrote it, with any password taken out (user:PASSWORD@ and a
/// password= parameter) and everything else left as written. For a URL that is stored (the
/// profile's, in the settings file), with the password going to the keychain instead.
struct UrlWithoutPassword
{
    QString url;
    Secret password; ///< empty when the URL had none
};
UrlWithoutPassword splitPassword(const QString &url);

/// Where the user's files live when nothing else is set: <GenericDataLocation>/cpconsole. Not
/// AppDataLocation, which differs between cpconsole and cpctl (their application names differ)
/// and would give the two front ends two different workspace and state files.
QString userDataDirectory();

} // namespace cpc
