// `cpctl --profile NAME` uses the profiles cpconsole saves and their secrets in the keychain.
// The profile is saved here through the window's own code path (ProfileStore with no file
// given, SecretStore with its default service), in a private XDG_CONFIG_HOME, and the token
// lives only in a private Secret Service: gnome-keyring on a session bus of this test. cpctl
// then really authenticates to the CP simulator with it. Without any Secret Service, cpctl
// falls back to the environment with the message the window shows (never a crash).
#include "ctlrunner.h"
#include "demodata.h"
#include "privatekeyring.h"
#include "profilestore.h"
#include "secretstore.h"
#include "sessionsetup.h"
#include "simulator.h"
#include "workspacesource.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace cpc;
using cpc::SecretStore;
using cpc::test::CtlRun;

namespace {

const QString kShared = QStringLiteral("profile-shared-secret-7310");
const QString kAdmin = QStringLiteral("profile-admin-token-7311");
const QString kAdminKey = QStringLiteral("profile-admin-key-7312");
const QByteArray kNoBus = "unix:path=/nonexistent/cpc-test-ctlprofile/bus";

} // namespace

class tst_CtlProfile : public QObject
{
    Q_OBJECT

    QTemporaryDir m_home;
    test::PrivateKeyring m_keyring;
    std::unique_ptr<Simulator> m_sim;
    QList<WorkspaceRow> m_rows;

    QString dbUrl() const
    {
        return QStringLiteral("sqlite:") + m_home.filePath(QStringLiteral("ws.sqlite"));
    }

    /// cpctl's environment: the settings of this test, no CP credentials, the private bus.
    QProcessEnvironment ctlEnv() const
    {
        QProcessEnvironment e = test::ctlBaseEnv(m_home.path());
        e.insert(QStringLiteral("XDG_CONFIG_HOME"), m_home.filePath(QStringLiteral("config")));
        e.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"), m_keyring.address());
        e.insert(QStringLiteral("CPCONSOLE_DB"), dbUrl());
        e.insert(QStringLiteral("CPCONSOLE_STATE"),
                 m_home.filePath(QStringLiteral("state.sqlite")));
        return e;
    }

    QString onlineWithInstance() const
    {
        for (const WorkspaceRow &r : m_rows)
            if (r.status == QLatin1String("online") && !r.instanceId.isEmpty())
                return r.id;
        return {};
    }

    /// Saves a profile the way the profile dialog does: plain values, secrets to the keychain.
    void saveProfile(const QString &name, bool withSecrets)
    {
        ProfileValues p;
        p.name = name;
        p.orgId = QStringLiteral("org-profile");
        p.cpUrl = m_sim->baseUrl().toString();
        ProfileStore().save(p);
        if (!withSecrets)
            return;
        SecretStore secrets;
        QVERIFY(secrets.write(name, SecretStore::Kind::SharedSecret, Secret(kShared)).ok());
        QVERIFY(secrets.write(name, SecretStore::Kind::AdminToken, Secret(kAdmin)).ok());
        QVERIFY(secrets.write(name, SecretStore::Kind::AdminApiKey, Secret(kAdminKey)).ok());
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_home.isValid());
        // The window's settings path, in this folder, before the first QSettings is made.
        qputenv("HOME", m_home.path().toLocal8Bit());
        qputenv("XDG_CONFIG_HOME", m_home.filePath(QStringLiteral("config")).toLocal8Bit());

        // A private session bus and a Secret Service on it, never the developer's keyring.
        const QString whyNot = m_keyring.start(m_home.path());
        QVERIFY2(whyNot.isEmpty(), qPrintable(whyNot));

        SimulatorOptions so;
        so.sharedSecret = Secret(kShared);
        so.adminToken = Secret(kAdmin);
        so.adminApiKey = Secret(kAdminKey);
        so.seed = 11;
        m_sim = std::make_unique<Simulator>(so);
        QString error;
        QVERIFY2(m_sim->start(&error), qPrintable(error));
        m_rows = generateWorkspaces(20, 11);
        auto src = WorkspaceSource::open(dbUrl());
        QVERIFY(src);
        QVERIFY(src.value()->upsertRows(m_rows));
        m_sim->adopt(m_rows);
        QVERIFY(!onlineWithInstance().isEmpty());
    }

    void cleanupTestCase()
    {
        m_sim.reset();
        m_keyring.stop();
    }

    /// The profile the window saved, its token from the keychain: the CP accepts cpctl.
    void profileOfTheWindowWithKeychainSecrets()
    {
        saveProfile(QStringLiteral("prod"), true);
        // Where the window keeps its profiles; cpctl must read this file, not a cpctl.conf.
        QCOMPARE(ProfileStore::settingsFileName(),
                 m_home.filePath(QStringLiteral("config/CPConsole/cpconsole.conf")));
        QVERIFY(QFile::exists(ProfileStore::settingsFileName()));

        const QString id = onlineWithInstance();
        const qint64 before = m_sim->requestCount(QStringLiteral("status"));
        const CtlRun r = test::runCtl({ "--profile", "prod", "status", id }, ctlEnv());
        QVERIFY2(r.code == 0, r.err.constData());
        QCOMPARE(r.out.trimmed(), QByteArray("running"));
        QVERIFY2(!r.err.contains("keychain"), r.err.constData());
        QCOMPARE(m_sim->requestCount(QStringLiteral("status")), before + 1);
        // Nothing of the secrets reaches the terminal.
        for (const QString &s : { kShared, kAdmin, kAdminKey })
            QVERIFY(!r.out.contains(s.toUtf8()) && !r.err.contains(s.toUtf8()));
    }

    /// Positive control of the above: the same profile without keychain entries is refused by
    /// the CP, so the token there came from the keychain.
    void profileWithoutKeychainSecretsIsRefused()
    {
        saveProfile(QStringLiteral("bare"), false);
        const CtlRun r
            = test::runCtl({ "--profile", "bare", "status", onlineWithInstance() }, ctlEnv());
        QVERIFY2(r.code != 0, r.out.constData());
        QVERIFY(r.out.trimmed() != QByteArray("running"));
    }

    /// No Secret Service answers: the environment's secrets are used and cpctl says so with
    /// the words of the window (both come from SessionSetup).
    void noSecretServiceFallsBackToTheEnvironment()
    {
        saveProfile(QStringLiteral("prod"), true);
        QProcessEnvironment env = ctlEnv();
        env.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"), QString::fromLatin1(kNoBus));
        env.insert(QStringLiteral("MOLECULE_CP_SHARED_SECRET"), kShared);
        env.insert(QStringLiteral("ADMIN_TOKEN"), kAdmin);
        env.insert(QStringLiteral("CP_ADMIN_API_TOKEN"), kAdminKey);
        const CtlRun r = test::runCtl({ "--profile", "prod", "status", onlineWithInstance() }, env);
        QVERIFY2(r.code == 0, r.err.constData());
        QCOMPARE(r.out.trimmed(), QByteArray("running"));

        // The message the window's session shows for the same situation.
        const QByteArray bus = qgetenv("DBUS_SESSION_BUS_ADDRESS");
        qputenv("DBUS_SESSION_BUS_ADDRESS", kNoBus);
        SecretStore none;
        SessionRequest request;
        request.profile = QStringLiteral("prod");
        request.env = env;
        SessionSetup gui(request, &none);
        QVERIFY(gui.loadProfile());
        qputenv("DBUS_SESSION_BUS_ADDRESS", bus);
        QVERIFY(gui.secretsNote().contains(QLatin1String("no keychain available")));
        QVERIFY2(r.err.contains(("cpctl: warning: " + gui.secretsNote()).toUtf8()),
                 r.err.constData());
    }

    /// A profile that does not exist: the message names the file cpctl looked in.
    void missingProfileNamesTheSettingsFile()
    {
        const CtlRun r = test::runCtl({ "--profile", "nope", "list" }, ctlEnv());
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("no profile named 'nope'"), r.err.constData());
        QVERIFY2(r.err.contains("CPConsole/cpconsole.conf"), r.err.constData());
    }
};

QTEST_GUILESS_MAIN(tst_CtlProfile)
#include "tst_ctlprofile.moc"
