// Profiles and secrets: the keychain wrapper fails fast and clearly without a Secret Service (a
// D-Bus address that leads nowhere), the profile dialog creates, edits, deletes and switches
// profiles, says which values the environment overrides and that secrets then come from the
// environment only; a production profile gets its red, labelled band; a read-only profile
// starts read-only.
#include "appinfo.h"
#include "guitestmain.h"
#include "guitestsupport.h"
#include "mainwindow.h"
#include "modeband.h"
#include "profiledialog.h"
#include "profilestore.h"
#include "secretstore.h"
#include "windowparts.h"
#include "workspacemodel.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QtTest>

using namespace cpc;
using namespace cpc::ui;
using namespace cpc::test;

class tst_Profiles : public QObject
{
    Q_OBJECT

    std::unique_ptr<SimEnvironment> m_env;
    QByteArray m_savedBus;

private Q_SLOTS:
    void initTestCase()
    {
        // No Secret Service here: a session bus address whose socket does not exist.
        m_savedBus = qgetenv("DBUS_SESSION_BUS_ADDRESS");
        qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/cpconsole-test/bus");
    }

    void cleanupTestCase()
    {
        if (m_savedBus.isEmpty())
            qunsetenv("DBUS_SESSION_BUS_ADDRESS");
        else
            qputenv("DBUS_SESSION_BUS_ADDRESS", m_savedBus);
    }

    void init()
    {
        m_env = std::make_unique<SimEnvironment>();
        QVERIFY(m_env->start(15));
    }

    void cleanup() { m_env.reset(); }

    void noKeychainFailsFastAndClearly()
    {
        SecretStore store(QStringLiteral("cpconsole-test"), 2000);
        QVERIFY(!store.isAvailable());
        QVERIFY2(store.unavailableReason().contains(QStringLiteral("D-Bus")),
                 qPrintable(store.unavailableReason()));
        const auto r = store.read(QStringLiteral("prod"), SecretStore::Kind::SharedSecret);
        QCOMPARE(r.status, SecretStore::Status::NoKeychain);
        QVERIFY(r.value.isEmpty());
        QVERIFY(r.message.startsWith(QStringLiteral("no keychain available")));
        const auto w = store.write(QStringLiteral("prod"), SecretStore::Kind::AdminToken,
                                   Secret(QStringLiteral("tok-123456")));
        QCOMPARE(w.status, SecretStore::Status::NoKeychain);
        QVERIFY(!w.message.contains(QStringLiteral("tok-123456")));
        QCOMPARE(store.remove(QStringLiteral("prod"), SecretStore::Kind::AdminApiKey).status,
                 SecretStore::Status::NoKeychain);
    }

    void unreachableBusIsNotACrash()
    {
        // An address that passes the quick check but leads nowhere: QtKeychain itself must fail,
        // and the store must report it as a state rather than crash or hang.
        const QByteArray saved = qgetenv("DBUS_SESSION_BUS_ADDRESS");
        qputenv("DBUS_SESSION_BUS_ADDRESS", "tcp:host=127.0.0.1,port=9");
        SecretStore store(QStringLiteral("cpconsole-test"), 3000);
        QVERIFY(store.isAvailable()); // nothing known yet
        const auto r = store.read(QStringLiteral("prod"), SecretStore::Kind::SharedSecret);
        QVERIFY2(!r.ok(), qPrintable(SecretStore::statusName(r.status)));
        QVERIFY(r.value.isEmpty());
        QVERIFY(!r.message.isEmpty());
        QVERIFY2(r.status == SecretStore::Status::NoKeychain
                     || r.status == SecretStore::Status::TimedOut,
                 qPrintable(r.message));
        // Known to be missing now: the next calls do not try again.
        QVERIFY(!store.isAvailable());
        QVERIFY(!store.unavailableReason().isEmpty());
        QCOMPARE(store.read(QStringLiteral("prod"), SecretStore::Kind::AdminToken).status,
                 SecretStore::Status::NoKeychain);
        qputenv("DBUS_SESSION_BUS_ADDRESS", saved);
    }

    void entryKeysNameProfileAndKind()
    {
        QCOMPARE(SecretStore::entryKey(QStringLiteral("prod-eu"), SecretStore::Kind::SharedSecret),
                 QStringLiteral("prod-eu/shared-secret"));
        QCOMPARE(SecretStore::entryKey(QStringLiteral("prod-eu"), SecretStore::Kind::AdminToken),
                 QStringLiteral("prod-eu/admin-token"));
        QCOMPARE(SecretStore::entryKey(QStringLiteral("prod-eu"), SecretStore::Kind::AdminApiKey),
                 QStringLiteral("prod-eu/admin-api-key"));
    }

    void createEditDeleteSwitch()
    {
        SecretStore secrets(QStringLiteral("cpconsole-test"), 2000);
        ProfileDialog dlg(m_env->profilesFile(), &secrets, QProcessEnvironment(), QString());
        dlg.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dlg));
        QVERIFY(dlg.profileNames().isEmpty());

        // A bad name is refused with a reason; nothing is saved.
        dlg.field(QStringLiteral("name"))->setText(QStringLiteral("../etc"));
        QString error;
        QVERIFY(!dlg.save(&error));
        QVERIFY(error.contains(QStringLiteral("name")));
        QVERIFY(dlg.profileNames().isEmpty());

        dlg.field(QStringLiteral("name"))->setText(QStringLiteral("prod-eu"));
        dlg.field(QStringLiteral("orgId"))->setText(QStringLiteral("org-eu-1"));
        dlg.field(QStringLiteral("cpUrl"))->setText(QStringLiteral("https://cp.eu.example.com"));
        dlg.field(QStringLiteral("dbUrl"))->setText(QStringLiteral("sqlite:/tmp/none.sqlite"));
        dlg.productionBox()->setChecked(true);
        dlg.readOnlyBox()->setChecked(true);
        QVERIFY(dlg.save(&error));
        QCOMPARE(dlg.profileNames(), QStringList { QStringLiteral("prod-eu") });
        ProfileStore store(m_env->profilesFile());
        ProfileValues p = store.load(QStringLiteral("prod-eu"));
        QCOMPARE(p.orgId, QStringLiteral("org-eu-1"));
        QCOMPARE(p.cpUrl, QStringLiteral("https://cp.eu.example.com"));
        QCOMPARE(p.dbUrl, QStringLiteral("sqlite:/tmp/none.sqlite"));
        QVERIFY(p.production);
        QVERIFY(p.readOnly);
        QVERIFY(dlg.effectiveText().contains(QStringLiteral("org-eu-1")));
        QVERIFY(dlg.effectiveText().contains(QStringLiteral("profile prod-eu")));

        // Edit: the name is fixed, the values change.
        QVERIFY(dlg.field(QStringLiteral("name"))->isReadOnly());
        dlg.field(QStringLiteral("orgId"))->setText(QStringLiteral("org-eu-2"));
        QVERIFY(dlg.save());
        QCOMPARE(ProfileStore(m_env->profilesFile()).load(QStringLiteral("prod-eu")).orgId,
                 QStringLiteral("org-eu-2"));

        // A second one, then switch to it.
        dlg.newProfile();
        dlg.field(QStringLiteral("name"))->setText(QStringLiteral("staging"));
        dlg.field(QStringLiteral("orgId"))->setText(QStringLiteral("org-stg"));
        QSignalSpy switched(&dlg, &ProfileDialog::switchRequested);
        dlg.switchButton()->click();
        QCOMPARE(switched.size(), 1);
        QCOMPARE(switched.at(0).at(0).toString(), QStringLiteral("staging"));
        QCOMPARE(dlg.profileNames().size(), 2);

        // Delete asks first.
        dlg.show();
        dlg.selectProfile(QStringLiteral("prod-eu"));
        QCOMPARE(dlg.selectedName(), QStringLiteral("prod-eu"));
        dlg.requestDelete();
        QMessageBox *box = dlg.deleteConfirmation();
        QVERIFY(box);
        box->button(QMessageBox::Cancel)->click();
        QCOMPARE(dlg.profileNames().size(), 2);
        dlg.requestDelete();
        box = dlg.deleteConfirmation();
        for (QAbstractButton *b : box->buttons()) {
            if (box->buttonRole(b) == QMessageBox::DestructiveRole)
                b->click();
        }
        QCOMPARE(dlg.profileNames(), QStringList { QStringLiteral("staging") });
    }

    void environmentOverridesAreNamed()
    {
        ProfileStore store(m_env->profilesFile());
        ProfileValues p;
        p.name = QStringLiteral("ops");
        p.orgId = QStringLiteral("org-profile");
        p.cpUrl = QStringLiteral("https://cp.profile.example.com");
        store.save(p);
        QProcessEnvironment env;
        env.insert(QStringLiteral("MOLECULE_ORG_ID"), QStringLiteral("org-from-env"));
        env.insert(QStringLiteral("MOLECULE_CP_URL"), QStringLiteral("https://cp.env.example.com"));
        env.insert(QStringLiteral("ADMIN_TOKEN"), QStringLiteral("admintok-from-env"));
        SecretStore secrets(QStringLiteral("cpconsole-test"), 2000);
        ProfileDialog dlg(m_env->profilesFile(), &secrets, env, QStringLiteral("ops"));
        QCOMPARE(dlg.selectedName(), QStringLiteral("ops"));
        QVERIFY(
            dlg.overrideText(QStringLiteral("orgId")).contains(QStringLiteral("MOLECULE_ORG_ID")));
        QVERIFY(
            dlg.overrideText(QStringLiteral("cpUrl")).contains(QStringLiteral("MOLECULE_CP_URL")));
        QVERIFY(
            dlg.overrideText(QStringLiteral("adminToken")).contains(QStringLiteral("ADMIN_TOKEN")));
        QVERIFY(dlg.overrideText(QStringLiteral("sharedSecret")).isEmpty());
        QVERIFY(dlg.overrideText(QStringLiteral("dbUrl")).isEmpty());
        QVERIFY(dlg.effectiveText().contains(QStringLiteral("org-from-env")));
        QVERIFY(dlg.effectiveText().contains(QStringLiteral("from MOLECULE_ORG_ID")));
        QVERIFY(dlg.effectiveText().contains(QStringLiteral("cp.env.example.com")));
        QVERIFY(!dlg.effectiveText().contains(QStringLiteral("admintok-from-env")));
        // No keychain: said plainly, and the secret fields are off.
        QVERIFY(dlg.keychainText().contains(QStringLiteral("No keychain available")));
        QVERIFY(dlg.keychainText().contains(QStringLiteral("environment only")));
        QVERIFY(!dlg.secretsEditable());
    }

    void productionProfileGetsItsBand()
    {
        ProfileStore store(m_env->profilesFile());
        ProfileValues p;
        p.name = QStringLiteral("prod-us");
        p.production = true;
        p.readOnly = true;
        p.dbUrl = m_env->dbUrl();
        store.save(p);
        SessionOptions o = m_env->options();
        o.dbUrl.clear();
        o.profile = QStringLiteral("prod-us");
        SecretStore secrets(QStringLiteral("cpconsole-test"), 2000);
        MainWindow w(&secrets, o, MainWindow::NotifyMode::InWindow);
        w.setSession(Session::create(o, &secrets));
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY(win::loaded(w));
        QVERIFY(win::modeBand(w)->isVisible());
        QVERIFY2(win::modeBand(w)->text().startsWith(QStringLiteral("PRODUCTION — prod-us")),
                 qPrintable(win::modeBand(w)->text()));
        QVERIFY(win::modeBand(w)->palette().color(QPalette::Window).red() > 150);
        QVERIFY(w.windowTitle().contains(QStringLiteral("PRODUCTION")));
        // The profile asked for read-only.
        QVERIFY(win::modeBand(w)->showsReadOnly());
        QVERIFY(!win::action(w, QStringLiteral("stop"))->isEnabled());
        QVERIFY(win::model(w)->rowCount() > 0); // the profile's database
        // No keychain: the setup notice says where the secrets come from.
        QVERIFY(w.findChild<QLabel *>(QStringLiteral("setupText"))
                    ->text()
                    .contains(QStringLiteral("environment only")));

        // Switching to a plain profile removes the band.
        ProfileValues q;
        q.name = QStringLiteral("dev");
        q.dbUrl = m_env->dbUrl();
        store.save(q);
        w.switchProfile(QStringLiteral("dev"));
        QCOMPARE(w.session()->profileName(), QStringLiteral("dev"));
        QVERIFY(win::modeBand(w)->isHidden());
        QVERIFY(win::action(w, QStringLiteral("provision"))->isEnabled());
        QCOMPARE(w.windowTitle(), QStringLiteral("CP Console — dev · org org-gui-test"));
    }

    void pollDeadlineIsAProfileValue()
    {
        // Entered in seconds in the dialog, kept in the profile, used by the session's client
        // for background status checks (not for actions).
        SecretStore secrets(QStringLiteral("cpconsole-test"), 2000);
        ProfileDialog dlg(m_env->profilesFile(), &secrets, QProcessEnvironment(), QString());
        dlg.newProfile();
        QCOMPARE(dlg.pollDeadlineBox()->value(), 8.0); // the default
        dlg.field(QStringLiteral("name"))->setText(QStringLiteral("slow-vpn"));
        dlg.field(QStringLiteral("orgId"))->setText(QStringLiteral("org-vpn"));
        dlg.pollDeadlineBox()->setValue(2.5);
        QVERIFY(dlg.save());
        QCOMPARE(
            ProfileStore(m_env->profilesFile()).load(QStringLiteral("slow-vpn")).pollDeadlineMs,
            2500);
        dlg.newProfile();
        dlg.selectProfile(QStringLiteral("slow-vpn"));
        QCOMPARE(dlg.pollDeadlineBox()->value(), 2.5);

        SessionOptions o = m_env->options();
        o.profile = QStringLiteral("slow-vpn");
        auto s = Session::create(o, nullptr);
        QVERIFY(s->client());
        QCOMPARE(s->config().pollTimeoutMs, 2500);
        QCOMPARE(s->config().requestTimeoutMs, 120'000);

        // A value edited by hand out of range is held to 0.1–120 s.
        QSettings ini(m_env->profilesFile(), QSettings::IniFormat);
        ini.setValue(QStringLiteral("profiles/slow-vpn/pollDeadlineMs"), 5);
        ini.sync();
        QCOMPARE(
            ProfileStore(m_env->profilesFile()).load(QStringLiteral("slow-vpn")).pollDeadlineMs,
            100);
    }

    void unknownProfileIsExplained()
    {
        SessionOptions o = m_env->options();
        o.profile = QStringLiteral("nope");
        auto s = Session::create(o, nullptr);
        QVERIFY(s->configError().contains(QStringLiteral("no profile named 'nope'")));
        QVERIFY(!s->client());
    }
};

CPC_GUI_TEST_MAIN(tst_Profiles)

#include "tst_profiles.moc"
