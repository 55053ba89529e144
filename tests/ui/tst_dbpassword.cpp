// A profile's PostgreSQL password lives in the keychain, never in the settings file: a password
// an older version saved in the URL moves to the keychain when the session starts, one typed
// into the profile dialog's URL field is saved to the keychain, and the session connects with
// it. Without a keychain the dialog refuses to save one and removes an old one. PGPASSWORD
// wins over the keychain. Runs with a real Secret Service (gnome-keyring on a private session
// bus) and the real PostgreSQL server of tests/pg-fixture.sh with a role that needs a password.
#include "guitestsupport.h"
#include "pgpasswordrole.h"
#include "privatekeyring.h"
#include "profiledialog.h"
#include "profilestore.h"
#include "secretstore.h"
#include "session.h"

#include <QLineEdit>
#include <QMessageBox>
#include <QProcess>
#include <QSettings>
#include <QTemporaryDir>
#include <QtTest>

using namespace cpc;
using namespace cpc::ui;
using namespace cpc::test;

namespace {

/// Reads the rows as the window's loader does: through a connection of its own, opened with
/// the session's settings (the keychain's password included).
Result<QList<WorkspaceRow>> loadRows(const Session &session)
{
    const auto open = session.sourceOpener();
    if (!open)
        return Error::make(Error::Kind::Database, session.sourceError());
    auto source = open();
    if (!source)
        return source.error();
    return source.value()->list();
}

const QString kService = QStringLiteral("cpconsole-test-dbpassword");

QByteArray fileText(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class tst_DbPassword : public QObject
{
    Q_OBJECT

    QTemporaryDir m_home;
    PrivateKeyring m_keyring;
    PgPasswordRole m_pg;
    int m_n = 0;

    QString newSettingsFile()
    {
        return m_home.filePath(QStringLiteral("profiles-%1.ini").arg(++m_n));
    }

    /// The settings file holds the password in no form a URL or QSettings would write it.
    bool holdsPassword(const QString &file) const
    {
        const QByteArray text = fileText(file);
        return text.contains(m_pg.password.toUtf8())
            || text.contains(QUrl::toPercentEncoding(m_pg.password));
    }

    SessionOptions sessionOptions(const QString &settingsFile, const QString &profile)
    {
        SessionOptions o;
        o.profile = profile;
        o.profileSettingsFile = settingsFile;
        o.statePath = m_home.filePath(QStringLiteral("state-%1.sqlite").arg(++m_n));
        o.env = QProcessEnvironment::systemEnvironment();
        o.env.insert(QStringLiteral("MOLECULE_ORG_ID"), QStringLiteral("org-db"));
        return o;
    }

    /// A keychain that is not there: a store made while the bus address leads nowhere.
    static std::unique_ptr<SecretStore> noKeychain()
    {
        const QByteArray bus = qgetenv("DBUS_SESSION_BUS_ADDRESS");
        qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/cpconsole-test/bus");
        auto store = std::make_unique<SecretStore>(kService, 2000);
        const bool available = store->isAvailable();
        qputenv("DBUS_SESSION_BUS_ADDRESS", bus);
        return available ? nullptr : std::move(store);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_home.isValid());
        isolateSettings(m_home.path());
        for (const char *v : { "PGPASSWORD", "PGSERVICE", "PGSERVICEFILE", "PGSSLMODE" })
            qunsetenv(v);
        qputenv("PGPASSFILE", "/nonexistent/cpc-test/pgpass");
        QString whyNot;
        if (!m_pg.setUp(&whyNot)) {
            if (qEnvironmentVariable("CPC_REQUIRE_PG") == QLatin1String("1")
                || qEnvironmentVariable("CI") == QLatin1String("true"))
                QFAIL(qPrintable(whyNot));
            QSKIP(qPrintable(whyNot));
        }

        // A private session bus and a Secret Service on it, never the developer's keyring.
        const QString keyring = m_keyring.start(m_home.path());
        QVERIFY2(keyring.isEmpty(), qPrintable(keyring));
        // Positive control: the keychain takes and gives back a value.
        SecretStore probe(kService, 10000);
        QVERIFY(probe.isAvailable());
        const auto w = probe.write(QStringLiteral("probe"), SecretStore::Kind::AdminToken,
                                   Secret(QStringLiteral("probe-value")));
        QVERIFY2(w.ok(), qPrintable(w.message));
        QCOMPARE(probe.read(QStringLiteral("probe"), SecretStore::Kind::AdminToken).value,
                 Secret(QStringLiteral("probe-value")));
    }

    void cleanupTestCase()
    {
        m_pg.teardown();
        m_keyring.stop();
    }

    void cleanup() { qunsetenv("PGPASSWORD"); }

    void urlPasswordOfAnOlderVersionMovesToTheKeychain()
    {
        const QString file = newSettingsFile();
        {
            // As an older CP Console saved it: the password in the URL.
            QSettings old(file, QSettings::IniFormat);
            old.setValue(QStringLiteral("profiles/legacy/orgId"), QStringLiteral("org-db"));
            old.setValue(QStringLiteral("profiles/legacy/dbUrl"), m_pg.url(m_pg.password));
        }
        QVERIFY(holdsPassword(file)); // positive control for the check below

        SecretStore secrets(kService, 10000);
        auto session = Session::create(sessionOptions(file, QStringLiteral("legacy")), &secrets);
        QVERIFY2(session->source(), qPrintable(session->sourceError()));
        const auto rows = loadRows(*session);
        QVERIFY2(rows, rows ? "" : qPrintable(rows.error().message));
        QCOMPARE(rows->size(), 1);
        QVERIFY(!session->sourceDescription().contains(m_pg.password));

        QVERIFY2(!holdsPassword(file), fileText(file).constData());
        QCOMPARE(ProfileStore(file).load(QStringLiteral("legacy")).dbUrl, m_pg.url());
        QCOMPARE(secrets.read(QStringLiteral("legacy"), SecretStore::Kind::DbPassword).value,
                 Secret(m_pg.password));

        // The next session connects with the keychain's password alone.
        session.reset();
        session = Session::create(sessionOptions(file, QStringLiteral("legacy")), &secrets);
        QVERIFY2(session->source(), qPrintable(session->sourceError()));
        QVERIFY(loadRows(*session));

        // The environment wins over the profile: a wrong PGPASSWORD is what is tried.
        session.reset();
        qputenv("PGPASSWORD", "wrong-password-from-the-environment");
        session = Session::create(sessionOptions(file, QStringLiteral("legacy")), &secrets);
        QVERIFY(!session->source());
        QVERIFY2(session->sourceError().contains(QLatin1String("password authentication failed")),
                 qPrintable(session->sourceError()));
    }

    void passwordTypedIntoTheDialogGoesToTheKeychain()
    {
        const QString file = newSettingsFile();
        SecretStore secrets(kService, 10000);
        {
            ProfileDialog dlg(file, &secrets, QProcessEnvironment(), QString());
            dlg.show();
            QVERIFY(QTest::qWaitForWindowExposed(&dlg));
            dlg.field(QStringLiteral("name"))->setText(QStringLiteral("typed"));
            dlg.field(QStringLiteral("orgId"))->setText(QStringLiteral("org-db"));
            dlg.field(QStringLiteral("dbUrl"))->setText(m_pg.url(m_pg.password));
            QString error;
            QVERIFY2(dlg.save(&error), qPrintable(error));
            QCOMPARE(dlg.field(QStringLiteral("dbUrl"))->text(), m_pg.url());
            QVERIFY(dlg.field(QStringLiteral("dbPassword"))->text().isEmpty());
            QVERIFY2(dlg.field(QStringLiteral("dbPassword"))
                         ->placeholderText()
                         .contains(QLatin1String("stored in the keychain")),
                     qPrintable(dlg.field(QStringLiteral("dbPassword"))->placeholderText()));
        }
        QVERIFY(QFileInfo::exists(file));
        QVERIFY2(!holdsPassword(file), fileText(file).constData());
        QCOMPARE(secrets.read(QStringLiteral("typed"), SecretStore::Kind::DbPassword).value,
                 Secret(m_pg.password));
        auto session = Session::create(sessionOptions(file, QStringLiteral("typed")), &secrets);
        QVERIFY2(session->source(), qPrintable(session->sourceError()));
        QVERIFY(loadRows(*session));

        // Deleting the profile removes its database password too.
        {
            ProfileDialog dlg(file, &secrets, QProcessEnvironment(), QStringLiteral("typed"));
            dlg.selectProfile(QStringLiteral("typed"));
            dlg.deleteSelected();
        }
        QCOMPARE(secrets.read(QStringLiteral("typed"), SecretStore::Kind::DbPassword).status,
                 SecretStore::Status::NotFound);
    }

    void withoutAKeychainNoPasswordIsSaved()
    {
        const auto none = noKeychain();
        QVERIFY(none);
        const QString file = newSettingsFile();
        {
            ProfileDialog dlg(file, none.get(), QProcessEnvironment(), QString());
            dlg.show();
            QVERIFY(QTest::qWaitForWindowExposed(&dlg));
            dlg.field(QStringLiteral("name"))->setText(QStringLiteral("nokeychain"));
            dlg.field(QStringLiteral("orgId"))->setText(QStringLiteral("org-db"));
            dlg.field(QStringLiteral("dbUrl"))->setText(m_pg.url(m_pg.password));
            QString error;
            QVERIFY(!dlg.save(&error));
            QVERIFY2(error.contains(QLatin1String("PGPASSWORD")), qPrintable(error));
            QVERIFY(!ProfileStore(file).contains(QStringLiteral("nokeychain")));
        }
        QVERIFY(!holdsPassword(file));

        // One an older version saved: the session still connects with it and says where it
        // should go; the dialog shows the URL without it, and saving removes it.
        {
            QSettings old(file, QSettings::IniFormat);
            old.setValue(QStringLiteral("profiles/legacy/orgId"), QStringLiteral("org-db"));
            old.setValue(QStringLiteral("profiles/legacy/dbUrl"), m_pg.url(m_pg.password));
        }
        QVERIFY(holdsPassword(file));
        auto session = Session::create(sessionOptions(file, QStringLiteral("legacy")), none.get());
        QVERIFY2(session->source(), qPrintable(session->sourceError()));
        QVERIFY2(session->secretsNote().contains(QLatin1String("PGPASSWORD")),
                 qPrintable(session->secretsNote()));
        QVERIFY(holdsPassword(file)); // nowhere safe to move it to
        {
            ProfileDialog dlg(file, none.get(), QProcessEnvironment(), QStringLiteral("legacy"));
            dlg.selectProfile(QStringLiteral("legacy"));
            QCOMPARE(dlg.field(QStringLiteral("dbUrl"))->text(), m_pg.url());
            QVERIFY2(dlg.messageText().contains(QLatin1String("Save removes it")),
                     qPrintable(dlg.messageText()));
            QString error;
            QVERIFY2(dlg.save(&error), qPrintable(error));
        }
        QVERIFY2(!holdsPassword(file), fileText(file).constData());
        QCOMPARE(ProfileStore(file).load(QStringLiteral("legacy")).dbUrl, m_pg.url());
    }
};

QTEST_MAIN(tst_DbPassword)
#include "tst_dbpassword.moc"
