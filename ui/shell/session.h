#pragma once

#include "sessionsetup.h"
#include "workspaceloader.h"

#include <QObject>
#include <QProcessEnvironment>
#include <QTemporaryDir>

#include <memory>

namespace cpc {
class CpClient;
class Simulator;
class StatusPoller;
} // namespace cpc

namespace cpc {
class SecretStore;
}

namespace cpc::ui {

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
    /// Background checks a second of the rows neither in view nor pinned (0: none). Negative:
    /// $CPCONSOLE_SWEEP_RATE, else kDefaultSweepRate.
    double sweepRate = -1;
    static constexpr double kDefaultSweepRate = 2;
    static constexpr double kMaxSweepRate = 1000;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
};

/// Every core object of one session (one profile or the demo): network access, CP client,
/// workspace source, local state and operations, built by the core's SessionSetup with the
/// same rules as cpctl, plus the status poller and, in demo mode, the simulator. Building it never
/// fails as a whole: what could not be set up is recorded as a message the window shows (no org ID,
/// database unreachable), and the rest still works.
class Session : public QObject
{
    Q_OBJECT
public:
    ~Session() override;

    /// `secrets` may be null (no keychain lookups); it must outlive the session.
    static std::unique_ptr<Session> create(const SessionOptions &options, SecretStore *secrets);

    const SessionOptions &options() const { return m_options; }
    bool isDemo() const { return m_options.demo; }
    QString profileName() const { return profile().name; }
    const ProfileValues &profile() const { return m_setup->profile(); }
    bool isProduction() const { return profile().production && !isDemo(); }
    /// True when the session started read-only (flag or profile).
    bool startsReadOnly() const { return m_setup->readOnly(); }

    CpClient *client() const { return m_setup->client(); }
    WorkspaceSource *source() const { return m_setup->source(); }
    StateStore *state() const { return m_setup->state(); }
    Operations *operations() const { return m_setup->operations(); }
    StatusPoller *poller() const { return m_poller; }
    /// The sweep rate in force: the option, else $CPCONSOLE_SWEEP_RATE, else the default.
    double sweepRate() const;
    Simulator *simulator() const { return m_simulator; }
    const CpConfig &config() const { return m_setup->config(); }

    /// Problems found while building, each safe to show; empty when all is well.
    QString configError() const;
    QString sourceError() const;
    QString stateError() const { return m_setup->stateError(); }
    /// How secrets were found: "" or "no keychain available: … — secrets come from the
    /// environment".
    QString secretsNote() const { return m_setup->secretsNote(); }
    /// "http://127.0.0.1:PORT (sandbox)" or the CP URL with where it came from.
    QString cpDescription() const;
    QString sourceDescription() const;

    /// Opens another source on the same database with the same settings, for the loader's
    /// thread (a connection belongs to the thread that opens it). Empty without a source.
    WorkspaceLoader::Opener sourceOpener() const;

private:
    explicit Session(const SessionOptions &options);
    void buildDemo();
    void buildFromProfile(SecretStore *secrets);
    void finish();

    SessionOptions m_options;
    std::unique_ptr<QTemporaryDir> m_tempDir; ///< the demo's database and state
    Simulator *m_simulator = nullptr;
    std::unique_ptr<SessionSetup> m_setup;
    StatusPoller *m_poller = nullptr;
    QString m_demoConfigError;
    QString m_demoSourceError;
};

} // namespace cpc::ui
