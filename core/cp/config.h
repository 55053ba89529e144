#pragma once

#include "result.h"
#include "secret.h"

#include <QProcessEnvironment>
#include <QString>
#include <QUrl>

namespace cpc {

inline constexpr int kDefaultPollDeadlineMs = 8'000;
inline constexpr int kMinPollDeadlineMs = 100;
inline constexpr int kMaxPollDeadlineMs = 120'000;

/// Values a saved profile may supply (plain values from QSettings, secrets from the keychain).
/// The environment wins over every one of them.
struct ProfileValues
{
    QString name;
    QString orgId;
    QString cpUrl;
    QString dbUrl;
    /// Team state: postgresql://… shared by the on-call team (audit log, journal, locks); empty
    /// for the local state file. Never holds a password (PGPASSWORD, ~/.pgpass or a service).
    QString teamStateUrl;
    bool readOnly = false;
    bool allowWrites = false; ///< lets a PostgreSQL source be written
    bool production = false;
    Secret sharedSecret;
    Secret adminToken;
    Secret adminApiKey;
    Secret dbPassword; ///< for a PostgreSQL dbUrl without one (keychain; PGPASSWORD wins)
    /// Deadline of one background status check, in ms: short, so that a hung CP is declared
    /// unreachable within about ten seconds instead of an action's two minutes.
    int pollDeadlineMs = kDefaultPollDeadlineMs;
};

/// Everything the CP client needs, resolved with the platform's names and precedence.
struct CpConfig
{
    QString orgId;
    QUrl baseUrl;
    Secret sharedSecret; ///< Authorization: Bearer on /cp/workspaces/*
    Secret adminToken; ///< X-Molecule-Admin-Token on every route
    Secret adminApiKey; ///< Authorization: Bearer on /cp/admin/*
    bool allowInsecureHttp = false;
    int requestTimeoutMs = 120'000; ///< overall deadline of one request
    int provisionTimeoutMs = 600'000; ///< provision may take minutes
    /// Deadline of a background status check (the poller's; not an engineer's own action).
    int pollTimeoutMs = kDefaultPollDeadlineMs;

    /// Where each value came from, for `cpctl` and the profile dialog ("CP_PROVISION_URL").
    QString orgIdSource;
    QString baseUrlSource;
    QString sharedSecretSource;
    QString adminTokenSource;
    QString adminApiKeySource;
};

inline constexpr auto kDefaultCpUrl = "https://api.moleculesai.app";

/// Resolves the configuration:
///   org ID       MOLECULE_ORG_ID, else the profile; required
///   base URL     CP_PROVISION_URL, else MOLECULE_CP_URL, else the profile, else the default
///   shared secret MOLECULE_CP_SHARED_SECRET, else PROVISION_SHARED_SECRET, else the profile
///   admin token  ADMIN_TOKEN, else the profile
///   admin key    CP_ADMIN_API_TOKEN, else the profile, else the shared secret
///   poll deadline the profile (clamped to 0.1–120 s), else 8 s
/// Registers every secret with the redactor. Errors are Kind::Config and name the variable.
Result<CpConfig> resolveConfig(const QProcessEnvironment &env, const ProfileValues &profile = {},
                               bool allowInsecureHttp = false);

} // namespace cpc
