#include "session.h"

#include "cpclient.h"
#include "dburl.h"
#include "demodata.h"
#include "logging.h"
#include "profilestore.h"
#include "secretstore.h"
#include "simulator.h"
#include "statuspoller.h"

#include <QNetworkAccessManager>
#include <QRandomGenerator>

namespace cpc::ui {

namespace {

QString randomToken()
{
    QString s;
    auto *rng = QRandomGenerator::system();
    for (int i = 0; i < 32; ++i)
        s += QLatin1Char("abcdefghijklmnopqrstuvwxyz0123456789"[rng->bounded(36)]);
    return s;
}

} // namespace

Session::Session(const SessionOptions &options)
    : m_options(options)
{
    m_nam = new QNetworkAccessManager(this);
}

Session::~Session()
{
    // Order: the poller and operations use the client, source and state.
    delete m_poller;
    delete m_ops;
    delete m_client;
    m_source.reset();
    m_state.reset();
    delete m_simulator;
}

std::unique_ptr<Session> Session::create(const SessionOptions &options, SecretStore *secrets)
{
    std::unique_ptr<Session> s(new Session(options));
    if (options.demo)
        s->buildDemo();
    else
        s->buildFromProfile(secrets);
    s->finish();
    return s;
}

void Session::buildDemo()
{
    m_profile.name = QStringLiteral("demo");
    m_tempDir = std::make_unique<QTemporaryDir>();
    if (!m_tempDir->isValid()) {
        m_sourceError = QStringLiteral("demo: could not create a temporary directory: %1")
                            .arg(m_tempDir->errorString());
        return;
    }
    const Secret shared(randomToken()), admin(randomToken()), apiKey(randomToken());
    SimulatorOptions so;
    so.sharedSecret = shared;
    so.adminToken = admin;
    so.adminApiKey = apiKey;
    so.seed = m_options.demoSeed;
    so.faults = m_options.demoFaults;
    m_simulator = new Simulator(so);
    QString err;
    if (!m_simulator->start(&err)) {
        m_configError = QStringLiteral("demo: the simulator did not start: %1").arg(err);
        return;
    }

    m_dbUrl = QStringLiteral("sqlite:") + m_tempDir->filePath(QStringLiteral("workspaces.sqlite"));
    auto src = WorkspaceSource::open(m_dbUrl, {});
    if (!src) {
        m_sourceError = src.error().message;
        return;
    }
    m_source = std::move(src.value());
    const QList<WorkspaceRow> rows = generateWorkspaces(
        std::max(0, m_options.demoWorkspaces), m_options.demoSeed, QDateTime::currentDateTimeUtc());
    if (const auto w = m_source->upsertRows(rows); !w)
        m_sourceError = QStringLiteral("demo: could not write the generated database: %1")
                            .arg(w.error().message);
    m_simulator->adopt(rows);

    // The demo needs no configuration: the same values a profile would hold, made up here.
    QProcessEnvironment env;
    env.insert(QStringLiteral("MOLECULE_ORG_ID"), QStringLiteral("demo-org"));
    env.insert(QStringLiteral("CP_PROVISION_URL"), m_simulator->baseUrl().toString());
    env.insert(QStringLiteral("MOLECULE_CP_SHARED_SECRET"), shared.reveal());
    env.insert(QStringLiteral("ADMIN_TOKEN"), admin.reveal());
    env.insert(QStringLiteral("CP_ADMIN_API_TOKEN"), apiKey.reveal());
    auto cfg = resolveConfig(env, {}, false);
    if (!cfg) {
        m_configError = cfg.error().message;
        return;
    }
    m_config = cfg.value();
    m_client = new CpClient(m_nam, m_config);
    openState(m_tempDir->filePath(QStringLiteral("state.sqlite")));
}

void Session::buildFromProfile(SecretStore *secrets)
{
    ProfileStore store(m_options.profileSettingsFile);
    QString name = m_options.profile;
    if (name.isEmpty() && store.contains(store.lastUsed()))
        name = store.lastUsed();
    if (!name.isEmpty()) {
        if (!store.contains(name)) {
            m_configError
                = QStringLiteral("no profile named '%1' (create it in Profiles, Ctrl+Shift+P)")
                      .arg(name);
        } else {
            m_profile = store.load(name);
            store.setLastUsed(name);
        }
    }
    if (!m_profile.name.isEmpty() && secrets) {
        if (!secrets->isAvailable()) {
            m_secretsNote
                = QStringLiteral(
                      "no keychain available (%1): secrets come from the environment only")
                      .arg(secrets->unavailableReason());
        } else {
            const auto load = [&](SecretStore::Kind kind, Secret &into) {
                const auto o = secrets->read(m_profile.name, kind);
                if (o.status == SecretStore::Status::Ok)
                    into = o.value;
                else if (!o.ok() && m_secretsNote.isEmpty())
                    m_secretsNote
                        = o.message + QStringLiteral(": secrets come from the environment only");
            };
            load(SecretStore::Kind::SharedSecret, m_profile.sharedSecret);
            load(SecretStore::Kind::AdminToken, m_profile.adminToken);
            load(SecretStore::Kind::AdminApiKey, m_profile.adminApiKey);
            load(SecretStore::Kind::DbPassword, m_profile.dbPassword);
        }
    }
    if (!m_profile.name.isEmpty())
        moveDbPasswordToKeychain(store, secrets);

    if (m_configError.isEmpty()) {
        auto cfg = resolveConfig(m_options.env, m_profile, m_options.allowInsecureHttp);
        if (cfg) {
            m_config = cfg.value();
            m_client = new CpClient(m_nam, m_config);
        } else {
            m_configError = cfg.error().message;
        }
    }

    m_dbUrl = m_options.dbUrl;
    if (m_dbUrl.isEmpty())
        m_dbUrl = m_options.env.value(QStringLiteral("CPCONSOLE_DB"));
    SourceOptions so;
    if (m_dbUrl.isEmpty() && !m_profile.dbUrl.isEmpty()) {
        m_dbUrl = m_profile.dbUrl;
        // The profile's password goes with the profile's URL only, and PGPASSWORD wins over it
        // like every environment variable over the profile.
        if (!m_options.env.contains(QStringLiteral("PGPASSWORD")))
            so.password = m_profile.dbPassword;
    }
    if (m_dbUrl.isEmpty())
        m_dbUrl = WorkspaceSource::defaultUrl();
    // Read-only is enforced by Operations for the session, so that turning writes on later
    // works without reopening; a PostgreSQL source stays read-only unless the profile allows.
    so.allowPostgresWrites = m_profile.allowWrites;
    auto src = WorkspaceSource::open(m_dbUrl, so);
    if (src)
        m_source = std::move(src.value());
    else
        m_sourceError = src.error().message;

    QString statePath = m_options.statePath;
    if (statePath.isEmpty())
        statePath = m_options.env.value(QStringLiteral("CPCONSOLE_STATE"));
    if (statePath.isEmpty())
        statePath = StateStore::defaultPath();
    openState(statePath);
}

void Session::moveDbPasswordToKeychain(ProfileStore &store, SecretStore *secrets)
{
    // An older version kept user:password@ in the settings file: the password moves to the
    // keychain and the URL is saved without it. Until a keychain takes it, it stays in use.
    const UrlWithoutPassword split = splitPassword(m_profile.dbUrl);
    if (split.password.isEmpty())
        return;
    if (!secrets || !secrets->isAvailable()) {
        m_secretsNote = QStringLiteral("the database URL of profile %1 holds a password in the "
                                       "settings file and there is no keychain to move it to: "
                                       "use PGPASSWORD or ~/.pgpass and remove it from the URL")
                            .arg(m_profile.name);
        return;
    }
    const auto written
        = secrets->write(m_profile.name, SecretStore::Kind::DbPassword, split.password);
    if (!written.ok()) {
        m_secretsNote = written.message
            + QStringLiteral(": the database password stays in the settings file for now");
        return;
    }
    m_profile.dbUrl = split.url;
    m_profile.dbPassword = split.password;
    store.save(m_profile);
    qCInfo(lcUi).noquote() << "moved the database password of profile" << m_profile.name
                           << "from the settings file to the keychain";
}

void Session::openState(const QString &path)
{
    auto st = StateStore::open(path);
    if (st) {
        m_state = std::move(st.value());
        return;
    }
    m_stateError = st.error().message;
    // Without the audit log and journal the console would act blind: keep a private file.
    if (!m_tempDir)
        m_tempDir = std::make_unique<QTemporaryDir>();
    auto fallback = StateStore::open(m_tempDir->filePath(QStringLiteral("state.sqlite")));
    if (fallback) {
        m_state = std::move(fallback.value());
        m_stateError += QStringLiteral(" (using a temporary state file for this session)");
    }
}

void Session::finish()
{
    SessionInfo info;
    info.profile = m_profile.name;
    info.orgId = m_config.orgId;
    info.readOnly = startsReadOnly();
    info.environment = m_options.env; // reconcile takes env values from here
    m_ops = new Operations(m_client, m_source.get(), m_state.get(), info);
    if (m_client) {
        m_poller = new StatusPoller(m_client);
        m_poller->setIntervalMs(m_options.pollIntervalMs);
        m_poller->setMaxConcurrency(m_options.pollConcurrency);
    }
    qCDebug(lcUi).noquote() << "session" << (isDemo() ? QStringLiteral("demo") : m_profile.name)
                            << "cp:" << cpDescription() << "db:" << sourceDescription();
}

QString Session::cpDescription() const
{
    if (!m_client)
        return QStringLiteral("not configured");
    if (isDemo())
        return QStringLiteral("%1 (built-in simulator)").arg(m_config.baseUrl.toString());
    return QStringLiteral("%1 (from %2)").arg(m_config.baseUrl.toString(), m_config.baseUrlSource);
}

QString Session::sourceDescription() const
{
    if (!m_source)
        return m_dbUrl;
    return m_source->displayUrl();
}

Result<QList<WorkspaceRow>> Session::loadRows() const
{
    if (!m_source)
        return Error::make(Error::Kind::Database,
                           m_sourceError.isEmpty() ? QStringLiteral("no workspace source")
                                                   : m_sourceError);
    return m_source->list();
}

} // namespace cpc::ui
