#pragma once

#include "config.h"
#include "operations.h"
#include "statestore.h"
#include "workspacesource.h"

#include <QProcessEnvironment>
#include <QString>
#include <QTemporaryDir>

#include <memory>
#include <optional>

class QNetworkAccessManager;

namespace cpc {
class CpClient;
class ProfileStore;
class SecretStore;
} // namespace cpc

namespace cpc {

/// What a front end asks of a session: its options and environment. cpctl and cpconsole fill
/// it from their command lines; SessionSetup applies one set of precedence rules to it.
struct SessionRequest
{
    QString profile; ///< --profile; empty: no profile (or the last used one, see below)
    bool useLastProfile = false; ///< cpconsole: no --profile means the last used profile
    bool rememberProfile = false; ///< cpconsole: the profile becomes the last used one
    /// The demo: this name and no saved profile (its values come in `env`).
    QString fixedProfileName;
    QString dbUrl; ///< --db; else $CPCONSOLE_DB, else the profile's, else the default file
    QString statePath; ///< else $CPCONSOLE_STATE, else StateStore::defaultPath()
    bool readOnly = false; ///< --read-only (the profile may also ask for it)
    /// The source itself refuses writes when the session starts read-only. cpctl sets it (a
    /// run cannot leave read-only); the window leaves it to Operations, so that turning
    /// read-only off later works without reopening the source.
    bool readOnlySource = false;
    bool allowInsecureHttp = false;
    std::optional<int> timeoutSeconds; ///< overrides the request and provision deadlines
    std::optional<int> retries; ///< provision attempts
    QString profileSettingsFile; ///< tests: an INI file instead of the saved profiles
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
};

/// The core objects of one session, built from a SessionRequest, the environment and a saved
/// profile (plain values from ProfileStore, secrets from the keychain). Used by cpctl, which
/// opens only what a command needs and stops at the first error, and by cpconsole, which
/// builds everything and shows each problem (buildAll()).
///
/// Precedence, the same for both programs:
///   CP configuration  the environment, else the profile (see resolveConfig())
///   secrets           the environment, else the profile's keychain entries
///   database          request.dbUrl, else $CPCONSOLE_DB, else the profile's, else the default;
///                     the profile's keychain password goes with the profile's URL only, and
///                     PGPASSWORD wins over it
///   state store       request.statePath, else $CPCONSOLE_STATE, else the profile's team
///                     state, else StateStore::defaultPath()
///   read-only         request.readOnly or the profile's readOnly
class SessionSetup
{
public:
    /// `secrets` may be null (no keychain lookups); it must outlive the setup.
    SessionSetup(SessionRequest request, SecretStore *secrets);
    ~SessionSetup();
    SessionSetup(const SessionSetup &) = delete;
    SessionSetup &operator=(const SessionSetup &) = delete;

    /// Loads the named (or last used) profile and its keychain secrets; idempotent. A missing
    /// keychain is no error: secretsNote() says so and the environment is used.
    VoidResult loadProfile();
    /// The configuration and the CP client (after loadProfile()).
    VoidResult openClient();
    VoidResult openSource();
    VoidResult openState();
    /// Operations over whatever is open (a missing client or source refuses its calls).
    void openOperations();
    /// cpctl's preamble: profile, client (when needed), source, state, operations.
    VoidResult openAll(bool needClient = true);
    /// cpconsole: every step; each problem is recorded (configError(), sourceError(),
    /// stateError()) and the rest still works. Without its own local state the window would
    /// act blind, so a state file that cannot be opened is replaced by a temporary one.
    void buildAll();

    const SessionRequest &request() const { return m_request; }
    const ProfileValues &profile() const { return m_profile; }
    bool readOnly() const { return m_request.readOnly || m_profile.readOnly; }
    /// The database URL by the precedence above (after loadProfile()).
    QString dbUrl() const;
    /// The local state path by the precedence above.
    QString statePath() const;
    SourceOptions sourceOptions() const;

    const CpConfig &config() const { return m_config; }
    CpClient *client() const { return m_client.get(); }
    WorkspaceSource *source() const { return m_source.get(); }
    StateStore *state() const { return m_state.get(); }
    Operations *operations() const { return m_ops.get(); }
    QNetworkAccessManager *network() const { return m_nam.get(); }

    QString configError() const { return m_configError; }
    QString sourceError() const { return m_sourceError; }
    QString stateError() const { return m_stateError; }
    /// How secrets were found: empty, or why they come from the environment only. The same
    /// words in both programs.
    QString secretsNote() const { return m_secretsNote; }

private:
    void loadSecrets();
    void moveDbPasswordToKeychain(ProfileStore &store);

    SessionRequest m_request;
    SecretStore *m_secrets = nullptr;
    bool m_profileLoaded = false;
    ProfileValues m_profile;
    CpConfig m_config;
    // Declared in the order of construction: destroyed operations first, network last.
    std::unique_ptr<QNetworkAccessManager> m_nam;
    std::unique_ptr<QTemporaryDir> m_tempDir;
    std::unique_ptr<StateStore> m_state;
    std::unique_ptr<WorkspaceSource> m_source;
    std::unique_ptr<CpClient> m_client;
    std::unique_ptr<Operations> m_ops;
    QString m_profileError;
    QString m_configError;
    QString m_sourceError;
    QString m_stateError;
    QString m_secretsNote;
};

} // namespace cpc
