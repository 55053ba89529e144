#include "sessionsetup.h"

#include "cpclient.h"
#include "dburl.h"
#include "logging.h"
#include "profilestore.h"
#include "secretstore.h"

#include <QNetworkAccessManager>

namespace cpc {

SessionSetup::SessionSetup(SessionRequest request, SecretStore *secrets)
    : m_request(std::move(request))
    , m_secrets(secrets)
    , m_nam(std::make_unique<QNetworkAccessManager>())
{
    // Every command redacts the configured secrets, not only those that call the CP: a
    // database field (last_sample_error) may hold one.
    for (const char *name : { "MOLECULE_CP_SHARED_SECRET", "PROVISION_SHARED_SECRET", "ADMIN_TOKEN",
                              "CP_ADMIN_API_TOKEN" })
        redaction::registerSecret(Secret(m_request.env.value(QLatin1String(name)).trimmed()));
}

SessionSetup::~SessionSetup() = default;

VoidResult SessionSetup::loadProfile()
{
    if (m_profileLoaded)
        return m_profileError.isEmpty()
            ? VoidResult(Ok {})
            : VoidResult(Error::make(Error::Kind::Config, m_profileError));
    m_profileLoaded = true;
    if (!m_request.fixedProfileName.isEmpty()) {
        m_profile.name = m_request.fixedProfileName;
        return Ok {};
    }
    if (m_request.profile.isEmpty() && !m_request.useLastProfile)
        return Ok {}; // no settings file is touched
    ProfileStore store(m_request.profileSettingsFile);
    QString name = m_request.profile;
    if (name.isEmpty() && m_request.useLastProfile && store.contains(store.lastUsed()))
        name = store.lastUsed();
    if (name.isEmpty())
        return Ok {};
    if (!store.contains(name)) {
        m_profileError
            = QStringLiteral("no profile named '%1' in %2 (create it in cpconsole's "
                             "Profiles dialog, Ctrl+Shift+P)")
                  .arg(name, ProfileStore::settingsFileName(m_request.profileSettingsFile));
        m_configError = m_profileError;
        return Error::make(Error::Kind::Config, m_profileError);
    }
    m_profile = store.load(name);
    if (m_request.rememberProfile)
        store.setLastUsed(name);
    loadSecrets();
    moveDbPasswordToKeychain(store);
    return Ok {};
}

void SessionSetup::loadSecrets()
{
    if (!m_secrets)
        return;
    if (!m_secrets->isAvailable()) {
        m_secretsNote
            = QStringLiteral("no keychain available (%1): secrets come from the environment only")
                  .arg(m_secrets->unavailableReason());
        return;
    }
    const auto load = [&](SecretStore::Kind kind, Secret &into) {
        const auto o = m_secrets->read(m_profile.name, kind);
        if (o.status == SecretStore::Status::Ok) {
            into = o.value;
            redaction::registerSecret(into);
        } else if (!o.ok() && m_secretsNote.isEmpty()) {
            m_secretsNote = o.message + QStringLiteral(": secrets come from the environment only");
        }
    };
    load(SecretStore::Kind::SharedSecret, m_profile.sharedSecret);
    load(SecretStore::Kind::AdminToken, m_profile.adminToken);
    load(SecretStore::Kind::AdminApiKey, m_profile.adminApiKey);
    load(SecretStore::Kind::DbPassword, m_profile.dbPassword);
}

void SessionSetup::moveDbPasswordToKeychain(ProfileStore &store)
{
    // An older version kept user:password@ in the settings file: the password moves to the
    // keychain and the URL is saved without it. Until a keychain takes it, it stays in use.
    const UrlWithoutPassword split = splitPassword(m_profile.dbUrl);
    if (split.password.isEmpty())
        return;
    if (!m_secrets || !m_secrets->isAvailable()) {
        m_secretsNote = QStringLiteral("the database URL of profile %1 holds a password in the "
                                       "settings file and there is no keychain to move it to: "
                                       "use PGPASSWORD or ~/.pgpass and remove it from the URL")
                            .arg(m_profile.name);
        return;
    }
    const auto written
        = m_secrets->write(m_profile.name, SecretStore::Kind::DbPassword, split.password);
    if (!written.ok()) {
        m_secretsNote = written.message
            + QStringLiteral(": the database password stays in the settings file for now");
        return;
    }
    m_profile.dbUrl = split.url;
    m_profile.dbPassword = split.password;
    store.save(m_profile);
    qCInfo(lcDb).noquote() << "moved the database password of profile" << m_profile.name
                           << "from the settings file to the keychain";
}

VoidResult SessionSetup::openClient()
{
    if (m_client)
        return Ok {};
    if (const VoidResult p = loadProfile(); !p)
        return p;
    auto cfg = resolveConfig(m_request.env, m_profile, m_request.allowInsecureHttp);
    if (!cfg) {
        m_configError = cfg.error().message;
        return cfg.error();
    }
    m_config = cfg.value();
    if (m_request.timeoutSeconds) {
        m_config.requestTimeoutMs = *m_request.timeoutSeconds * 1000;
        m_config.provisionTimeoutMs = *m_request.timeoutSeconds * 1000;
    }
    m_client = std::make_unique<CpClient>(m_nam.get(), m_config);
    if (m_request.retries) {
        RetryPolicy p = RetryPolicy::defaultPolicy();
        p.maxAttempts = *m_request.retries;
        m_client->setRetryPolicy(p);
    }
    return Ok {};
}

QString SessionSetup::dbUrl() const
{
    if (!m_request.dbUrl.isEmpty())
        return m_request.dbUrl;
    if (QString e = m_request.env.value(QStringLiteral("CPCONSOLE_DB")); !e.isEmpty())
        return e;
    if (!m_profile.dbUrl.isEmpty())
        return m_profile.dbUrl;
    return WorkspaceSource::defaultUrl();
}

SourceOptions SessionSetup::sourceOptions() const
{
    SourceOptions so;
    so.readOnly = m_request.readOnlySource && readOnly();
    // A PostgreSQL source stays read-only unless the profile allows writes.
    so.allowPostgresWrites = m_profile.allowWrites;
    // The profile's password goes with the profile's URL only, and PGPASSWORD wins over it
    // like every environment variable over the profile.
    const bool profileUrl = m_request.dbUrl.isEmpty()
        && m_request.env.value(QStringLiteral("CPCONSOLE_DB")).isEmpty()
        && !m_profile.dbUrl.isEmpty();
    if (profileUrl && !m_request.env.contains(QStringLiteral("PGPASSWORD")))
        so.password = m_profile.dbPassword;
    return so;
}

VoidResult SessionSetup::openSource()
{
    if (m_source)
        return Ok {};
    // Without the named profile the source is still the one of --db, $CPCONSOLE_DB or the
    // default: the window lists it while it shows the missing profile.
    loadProfile();
    auto s = WorkspaceSource::open(dbUrl(), sourceOptions());
    if (!s) {
        m_sourceError = s.error().message;
        return s.error();
    }
    m_source = std::move(s.value());
    return Ok {};
}

QString SessionSetup::statePath() const
{
    if (!m_request.statePath.isEmpty())
        return m_request.statePath;
    if (QString e = m_request.env.value(QStringLiteral("CPCONSOLE_STATE")); !e.isEmpty())
        return e;
    if (!m_profile.teamStateUrl.isEmpty())
        return m_profile.teamStateUrl;
    return StateStore::defaultPath();
}

VoidResult SessionSetup::openState()
{
    if (m_state)
        return Ok {};
    auto s = StateStore::open(statePath());
    if (!s) {
        m_stateError = s.error().message;
        return s.error();
    }
    m_state = std::move(s.value());
    return Ok {};
}

void SessionSetup::openOperations()
{
    if (m_ops)
        return;
    SessionInfo info;
    info.profile = m_profile.name;
    info.orgId = m_config.orgId;
    info.readOnly = readOnly();
    info.environment = m_request.env; // reconcile takes env values from here, as --env KEY does
    m_ops = std::make_unique<Operations>(m_client.get(), m_source.get(), m_state.get(), info);
}

VoidResult SessionSetup::openAll(bool needClient)
{
    if (const VoidResult p = loadProfile(); !p)
        return p;
    if (needClient) {
        if (const VoidResult c = openClient(); !c)
            return c;
    }
    if (const VoidResult s = openSource(); !s)
        return s;
    if (const VoidResult s = openState(); !s)
        return s;
    openOperations();
    return Ok {};
}

void SessionSetup::buildAll()
{
    // Each step records its own error; a missing profile leaves the CP unconfigured.
    if (loadProfile())
        openClient();
    openSource();
    if (!openState()) {
        m_tempDir = std::make_unique<QTemporaryDir>();
        auto fallback = StateStore::open(m_tempDir->filePath(QStringLiteral("state.sqlite")));
        if (fallback) {
            m_state = std::move(fallback.value());
            m_stateError += QStringLiteral(" (using a temporary state file for this session)");
        }
    }
    openOperations();
}

} // namespace cpc
