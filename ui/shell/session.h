#pragma once

#include "config.h"
#include "operations.h"
#include "statestore.h"
#include "workspacesource.h"

#include <QObject>
#include <QPointer>
#include <QProcessEnvironment>
#include <QTemporaryDir>

#include <memory>

class QNetworkAccessManager;

namespace cpc {
class CpClient;
class ProfileStore;
class Simulator;
class StatusPoller;
} // namespace cpc

namespace cpc::ui {

class SecretStore;

/// What the command line (or the profile dialog) asks for.
struct SessionOptions
{
    QString profile; ///< --profile; empty: the last used one, if any
    QString dbUrl; ///< --db; else $CPCONSOLE_DB, else the profile's, else the default file
    bool readOnly = false; ///< --read-only (the profile may also ask for it)
    bool allowInsecureHttp = false;
    bool demo = false; ///< --demo: in-process simulator and a generated database
    int demoWorkspaces = 300;
    quint32 demoSeed = 1;
    QString demoFaults; ///< a fault spec for the demo simulator
    QString statePath; ///< else $CPCONSOLE_STATE, else StateStore::defaultPath()
    QString profileSettingsFile; ///< tests: an INI file instead of the application's QSettings
    int pollIntervalMs = 15'000;
    int pollConcurrency = 8;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
};

/// Every core object of one session (one profile or the demo): network access, CP client,
/// workspace source, local state, operations and status poller, plus the simulator in demo
/// mode. Building it never fails as a whole: what could not be set up is recorded as a
/// message the window shows (no org ID, database unreachable), and the rest still works.
class Session : public QObject
{
    Q_OBJECT
public:
    ~Session() override;

    /// `secrets` may be null (no keychain lookups); it must outlive the session.
    static std::unique_ptr<Session> create(const SessionOptions &options, SecretStore *secrets);

    const SessionOptions &options() const { return m_options; }
    bool isDemo() const { return m_options.demo; }
    QString profileName() const { return m_profile.name; }
    const ProfileValues &profile() const { return m_profile; }
    bool isProduction() const { return m_profile.production && !isDemo(); }
    /// True when the session started read-only (flag or profile).
    bool startsReadOnly() const { return m_options.readOnly || m_profile.readOnly; }

    CpClient *client() const { return m_client; }
    WorkspaceSource *source() const { return m_source.get(); }
    StateStore *state() const { return m_state.get(); }
    Operations *operations() const { return m_ops; }
    StatusPoller *poller() const { return m_poller; }
    Simulator *simulator() const { return m_simulator; }
    const CpConfig &config() const { return m_config; }

    /// Problems found while building, each safe to show; empty when all is well.
    QString configError() const { return m_configError; }
    QString sourceError() const { return m_sourceError; }
    QString stateError() const { return m_stateError; }
    /// How secrets were found: "" or "no keychain available: … — secrets come from the
    /// environment".
    QString secretsNote() const { return m_secretsNote; }
    /// "http://127.0.0.1:PORT (sandbox)" or the CP URL with where it came from.
    QString cpDescription() const;
    QString sourceDescription() const;

    /// All rows of the source (without 'removed').
    Result<QList<WorkspaceRow>> loadRows() const;

private:
    explicit Session(const SessionOptions &options);
    void buildDemo();
    void buildFromProfile(SecretStore *secrets);
    void moveDbPasswordToKeychain(ProfileStore &store, SecretStore *secrets);
    void openState(const QString &path);
    void finish();

    SessionOptions m_options;
    ProfileValues m_profile;
    CpConfig m_config;
    QNetworkAccessManager *m_nam = nullptr;
    QPointer<CpClient> m_client;
    std::unique_ptr<WorkspaceSource> m_source;
    std::unique_ptr<StateStore> m_state;
    Operations *m_ops = nullptr;
    StatusPoller *m_poller = nullptr;
    Simulator *m_simulator = nullptr;
    std::unique_ptr<QTemporaryDir> m_tempDir;
    QString m_configError;
    QString m_sourceError;
    QString m_stateError;
    QString m_secretsNote;
    QString m_dbUrl;
};

} // namespace cpc::ui
