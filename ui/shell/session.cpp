#include "session.h"

#include "cpclient.h"
#include "demodata.h"
#include "logging.h"
#include "secretstore.h"
#include "simulator.h"
#include "statuspoller.h"

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
}

Session::~Session()
{
    // Order: the poller uses the client; the setup's objects may call the simulator.
    delete m_poller;
    m_setup.reset();
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
    SessionRequest request;
    request.fixedProfileName = QStringLiteral("demo");
    request.readOnly = m_options.readOnly;
    request.env = QProcessEnvironment();
    m_tempDir = std::make_unique<QTemporaryDir>();
    const auto unbuilt = [&] {
        m_setup = std::make_unique<SessionSetup>(request, nullptr);
        m_setup->loadProfile();
    };
    if (!m_tempDir->isValid()) {
        m_demoSourceError = QStringLiteral("demo: could not create a temporary directory: %1")
                                .arg(m_tempDir->errorString());
        return unbuilt();
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
        m_demoConfigError = QStringLiteral("demo: the simulator did not start: %1").arg(err);
        return unbuilt();
    }

    // The demo needs no configuration: the same values a profile would hold, made up here and
    // handed to the one session setup with the simulator's URL and a database of its own.
    request.env.insert(QStringLiteral("MOLECULE_ORG_ID"), QStringLiteral("demo-org"));
    request.env.insert(QStringLiteral("CP_PROVISION_URL"), m_simulator->baseUrl().toString());
    request.env.insert(QStringLiteral("MOLECULE_CP_SHARED_SECRET"), shared.reveal());
    request.env.insert(QStringLiteral("ADMIN_TOKEN"), admin.reveal());
    request.env.insert(QStringLiteral("CP_ADMIN_API_TOKEN"), apiKey.reveal());
    request.dbUrl
        = QStringLiteral("sqlite:") + m_tempDir->filePath(QStringLiteral("workspaces.sqlite"));
    request.statePath = m_tempDir->filePath(QStringLiteral("state.sqlite"));
    m_setup = std::make_unique<SessionSetup>(request, nullptr);
    m_setup->buildAll();
    if (!m_setup->source())
        return;
    const QList<WorkspaceRow> rows = generateWorkspaces(
        std::max(0, m_options.demoWorkspaces), m_options.demoSeed, QDateTime::currentDateTimeUtc());
    if (const auto w = m_setup->source()->upsertRows(rows); !w)
        m_demoSourceError = QStringLiteral("demo: could not write the generated database: %1")
                                .arg(w.error().message);
    m_simulator->adopt(rows);
}

void Session::buildFromProfile(SecretStore *secrets)
{
    SessionRequest request;
    request.profile = m_options.profile;
    request.useLastProfile = true;
    request.rememberProfile = true;
    request.dbUrl = m_options.dbUrl;
    request.statePath = m_options.statePath;
    request.readOnly = m_options.readOnly;
    // Read-only is enforced by Operations for the session, so that turning writes on later
    // works without reopening the source.
    request.readOnlySource = false;
    request.allowInsecureHttp = m_options.allowInsecureHttp;
    request.profileSettingsFile = m_options.profileSettingsFile;
    request.env = m_options.env;
    m_setup = std::make_unique<SessionSetup>(request, secrets);
    m_setup->buildAll();
}

void Session::finish()
{
    m_setup->openOperations();
    if (client()) {
        m_poller = new StatusPoller(client());
        m_poller->setIntervalMs(m_options.pollIntervalMs);
        m_poller->setMaxConcurrency(m_options.pollConcurrency);
        m_poller->setSweepRate(sweepRate());
    }
    qCDebug(lcUi).noquote() << "session" << (isDemo() ? QStringLiteral("demo") : profileName())
                            << "cp:" << cpDescription() << "db:" << sourceDescription();
}

double Session::sweepRate() const
{
    if (m_options.sweepRate >= 0)
        return std::min(m_options.sweepRate, SessionOptions::kMaxSweepRate);
    const QString env = m_options.env.value(QStringLiteral("CPCONSOLE_SWEEP_RATE"));
    if (!env.isEmpty()) {
        bool ok = false;
        const double rate = env.toDouble(&ok);
        if (ok && rate >= 0 && rate <= SessionOptions::kMaxSweepRate)
            return rate;
        qCWarning(lcUi).noquote() << "CPCONSOLE_SWEEP_RATE: not a number from 0 to"
                                  << SessionOptions::kMaxSweepRate << "- using"
                                  << SessionOptions::kDefaultSweepRate;
    }
    return SessionOptions::kDefaultSweepRate;
}

QString Session::configError() const
{
    return m_demoConfigError.isEmpty() ? m_setup->configError() : m_demoConfigError;
}

QString Session::sourceError() const
{
    return m_demoSourceError.isEmpty() ? m_setup->sourceError() : m_demoSourceError;
}

QString Session::cpDescription() const
{
    if (!client())
        return tr("not configured");
    if (isDemo())
        return tr("%1 (built-in simulator)").arg(config().baseUrl.toString());
    return tr("%1 (from %2)").arg(config().baseUrl.toString(), config().baseUrlSource);
}

QString Session::sourceDescription() const
{
    if (!source())
        return m_setup->dbUrl();
    return source()->displayUrl();
}

WorkspaceLoader::Opener Session::sourceOpener() const
{
    if (!source())
        return {};
    SourceOptions options = m_setup->sourceOptions();
    options.connectionName.clear(); // a connection of its own
    return [url = m_setup->dbUrl(), options] {
        return WorkspaceSource::open(url, options);
    };
}

} // namespace cpc::ui
