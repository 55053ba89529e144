// The precedence rules of the one session setup that cpctl and cpconsole share (SessionSetup):
// options over environment over profile, where the local state lives, read-only from the flag
// or the profile, and what a missing profile or an unusable state file does. Before there was
// one setup the two programs' copies had drifted (see the notes on each case).
#include "profilestore.h"
#include "sessionsetup.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

using namespace cpc;

class tst_Session : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    int m_n = 0;

    QString path(const QString &name) const { return m_dir.filePath(name); }
    QString sqlite(const QString &name) const { return QStringLiteral("sqlite:") + path(name); }

    /// A settings file with one profile, as the profile dialog saves it.
    QString settingsWith(const ProfileValues &p)
    {
        const QString file = path(QStringLiteral("profiles-%1.ini").arg(++m_n));
        ProfileStore(file).save(p);
        return file;
    }

    ProfileValues prodProfile() const
    {
        ProfileValues p;
        p.name = QStringLiteral("prod");
        p.orgId = QStringLiteral("org-from-profile");
        p.cpUrl = QStringLiteral("https://cp.profile.example");
        p.dbUrl = sqlite(QStringLiteral("profile.sqlite"));
        return p;
    }

    /// A request with a clean environment (nothing of the developer's) and a private state.
    SessionRequest request(const QString &settings)
    {
        SessionRequest r;
        r.profile = QStringLiteral("prod");
        r.profileSettingsFile = settings;
        r.env = QProcessEnvironment();
        r.env.insert(QStringLiteral("CPCONSOLE_STATE"),
                     path(QStringLiteral("state-%1.sqlite").arg(++m_n)));
        return r;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        // StateStore::defaultPath() and the default database live in the data folder.
        qputenv("XDG_DATA_HOME", path(QStringLiteral("data")).toLocal8Bit());
        qunsetenv("CPCONSOLE_STATE");
        qunsetenv("CPCONSOLE_DB");
    }

    void cpConfigurationEnvironmentOverProfile()
    {
        SessionRequest r = request(settingsWith(prodProfile()));
        r.env.insert(QStringLiteral("MOLECULE_ORG_ID"), QStringLiteral("org-from-env"));
        SessionSetup s(r, nullptr);
        QVERIFY(s.openClient());
        QCOMPARE(s.config().orgId, QStringLiteral("org-from-env"));
        // Not in the environment: the profile's.
        QCOMPARE(s.config().baseUrl, QUrl(QStringLiteral("https://cp.profile.example")));
        QVERIFY(s.client());
    }

    void databaseUrlPrecedence_data()
    {
        QTest::addColumn<bool>("option");
        QTest::addColumn<bool>("env");
        QTest::addColumn<bool>("profile");
        QTest::addColumn<QString>("expected");
        QTest::newRow("option wins") << true << true << true << "option.sqlite";
        QTest::newRow("environment over profile") << false << true << true << "env.sqlite";
        QTest::newRow("profile") << false << false << true << "profile.sqlite";
        QTest::newRow("default") << false << false << false << QString();
    }
    void databaseUrlPrecedence()
    {
        QFETCH(bool, option);
        QFETCH(bool, env);
        QFETCH(bool, profile);
        QFETCH(QString, expected);
        ProfileValues p = prodProfile();
        if (!profile)
            p.dbUrl.clear();
        SessionRequest r = request(settingsWith(p));
        if (option)
            r.dbUrl = sqlite(QStringLiteral("option.sqlite"));
        if (env)
            r.env.insert(QStringLiteral("CPCONSOLE_DB"), sqlite(QStringLiteral("env.sqlite")));
        SessionSetup s(r, nullptr);
        QVERIFY(s.loadProfile());
        QCOMPARE(s.dbUrl(), expected.isEmpty() ? WorkspaceSource::defaultUrl() : sqlite(expected));
        QVERIFY(s.openSource());
        QCOMPARE(s.source()->displayUrl().endsWith(
                     expected.isEmpty() ? QStringLiteral("workspaces.sqlite") : expected),
                 true);
    }

    /// Drift: cpctl read only $CPCONSOLE_STATE, the window an option first; now both do.
    void statePathPrecedence()
    {
        SessionRequest r = request(settingsWith(prodProfile()));
        const QString fromEnv = r.env.value(QStringLiteral("CPCONSOLE_STATE"));
        {
            SessionSetup s(r, nullptr);
            QCOMPARE(s.statePath(), fromEnv);
            QVERIFY(s.openState());
            QVERIFY(QFile::exists(fromEnv));
        }
        r.statePath = path(QStringLiteral("state-option.sqlite"));
        {
            SessionSetup s(r, nullptr);
            QCOMPARE(s.statePath(), r.statePath);
            QVERIFY(s.openState());
            QVERIFY(QFile::exists(r.statePath));
        }
        r.statePath.clear();
        r.env.remove(QStringLiteral("CPCONSOLE_STATE"));
        SessionSetup s(r, nullptr);
        QCOMPARE(s.statePath(), StateStore::defaultPath());
        QVERIFY(s.statePath().startsWith(path(QStringLiteral("data"))));
    }

    /// A state file that cannot be opened: cpctl stops with the reason; the window keeps a
    /// temporary one for the session and says so.
    void unusableStatePath()
    {
        QFile blocker(path(QStringLiteral("not-a-folder")));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        SessionRequest r = request(settingsWith(prodProfile()));
        r.env.insert(QStringLiteral("MOLECULE_ORG_ID"), QStringLiteral("org-x"));
        r.statePath = path(QStringLiteral("not-a-folder/state.sqlite"));
        {
            SessionSetup ctl(r, nullptr);
            const VoidResult all = ctl.openAll();
            QVERIFY(!all);
            QVERIFY(!ctl.state());
        }
        SessionSetup gui(r, nullptr);
        gui.buildAll();
        QVERIFY(gui.state());
        QVERIFY2(gui.stateError().contains(QLatin1String("temporary state file")),
                 qPrintable(gui.stateError()));
        QVERIFY(gui.operations());
    }

    void readOnlyFromFlagOrProfile_data()
    {
        QTest::addColumn<bool>("flag");
        QTest::addColumn<bool>("profile");
        QTest::newRow("neither") << false << false;
        QTest::newRow("flag") << true << false;
        QTest::newRow("profile") << false << true;
    }
    void readOnlyFromFlagOrProfile()
    {
        QFETCH(bool, flag);
        QFETCH(bool, profile);
        ProfileValues p = prodProfile();
        p.readOnly = profile;
        SessionRequest r = request(settingsWith(p));
        r.readOnly = flag;
        r.env.insert(QStringLiteral("MOLECULE_ORG_ID"), QStringLiteral("org-x"));
        const bool expected = flag || profile;

        // cpconsole: Operations refuses writes, the source stays writable so that turning
        // read-only off works without reopening it.
        SessionSetup gui(r, nullptr);
        gui.buildAll();
        QCOMPARE(gui.readOnly(), expected);
        QCOMPARE(gui.operations()->writesRefused(), expected);
        QVERIFY(!gui.source()->isReadOnly());
        gui.operations()->setReadOnly(false);
        QVERIFY(!gui.operations()->writesRefused());

        // cpctl: one run cannot leave read-only, so the source refuses writes itself as well.
        r.readOnlySource = true;
        SessionSetup ctl(r, nullptr);
        QVERIFY(ctl.openAll());
        QCOMPARE(ctl.operations()->writesRefused(), expected);
        QCOMPARE(ctl.source()->isReadOnly(), expected);
    }

    /// Drift: the two programs named a missing profile differently; now one message that
    /// says where profiles are read from. The window still lists the database it can open.
    void missingProfile()
    {
        SessionRequest r = request(settingsWith(prodProfile()));
        r.profile = QStringLiteral("nope");
        r.dbUrl = sqlite(QStringLiteral("missing-profile.sqlite"));
        {
            SessionSetup ctl(r, nullptr);
            const VoidResult all = ctl.openAll();
            QVERIFY(!all);
            QCOMPARE(all.error().kind, Error::Kind::Config);
            QVERIFY2(all.error().message.contains(QStringLiteral("no profile named 'nope' in ")
                                                  + r.profileSettingsFile),
                     qPrintable(all.error().message));
        }
        SessionSetup gui(r, nullptr);
        gui.buildAll();
        QVERIFY(gui.configError().contains(QLatin1String("no profile named 'nope'")));
        QVERIFY(!gui.client());
        QVERIFY(gui.source());
    }

    /// cpconsole opens the last used profile when none is named; cpctl does not guess.
    void lastUsedProfile()
    {
        const QString settings = settingsWith(prodProfile());
        ProfileStore(settings).setLastUsed(QStringLiteral("prod"));
        SessionRequest r = request(settings);
        r.profile.clear();
        {
            SessionSetup ctl(r, nullptr);
            QVERIFY(ctl.loadProfile());
            QVERIFY(ctl.profile().name.isEmpty());
        }
        r.useLastProfile = true;
        SessionSetup gui(r, nullptr);
        QVERIFY(gui.loadProfile());
        QCOMPARE(gui.profile().name, QStringLiteral("prod"));
        QCOMPARE(gui.profile().orgId, QStringLiteral("org-from-profile"));
    }
};

QTEST_GUILESS_MAIN(tst_Session)
#include "tst_session.moc"
