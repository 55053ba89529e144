#include "config.h"
#include "logging.h"

#include <QtTest>

using namespace cpc;

namespace {
QProcessEnvironment env(std::initializer_list<std::pair<const char *, const char *>> vars)
{
    QProcessEnvironment e;
    for (const auto &[k, v] : vars)
        e.insert(QString::fromLatin1(k), QString::fromLatin1(v));
    return e;
}
} // namespace

class tst_Config : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void missingOrgIdNamesTheVariable()
    {
        const auto r = resolveConfig(env({ { "CP_PROVISION_URL", "https://cp.example" } }));
        QVERIFY(!r);
        QCOMPARE(r.error().kind, Error::Kind::Config);
        QVERIFY(r.error().message.contains(QLatin1String("MOLECULE_ORG_ID")));
    }

    void precedence_data()
    {
        QTest::addColumn<QProcessEnvironment>("environment");
        QTest::addColumn<QString>("profileUrl");
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("shared");
        QTest::addColumn<QString>("adminKey");

        QTest::newRow("defaults") << env({ { "MOLECULE_ORG_ID", "org" } }) << QString()
                                  << "https://api.moleculesai.app"
                                  << ""
                                  << "";
        QTest::newRow("CP_PROVISION_URL wins")
            << env({ { "MOLECULE_ORG_ID", "org" },
                     { "CP_PROVISION_URL", "https://a.example" },
                     { "MOLECULE_CP_URL", "https://b.example" } })
            << "https://profile.example"
            << "https://a.example"
            << ""
            << "";
        QTest::newRow("MOLECULE_CP_URL second")
            << env({ { "MOLECULE_ORG_ID", "org" }, { "MOLECULE_CP_URL", "https://b.example/" } })
            << "https://profile.example"
            << "https://b.example"
            << ""
            << "";
        QTest::newRow("profile third")
            << env({ { "MOLECULE_ORG_ID", "org" } }) << "https://profile.example"
            << "https://profile.example"
            << ""
            << "";
        QTest::newRow("shared secret first name")
            << env({ { "MOLECULE_ORG_ID", "org" },
                     { "MOLECULE_CP_SHARED_SECRET", "s1-secret" },
                     { "PROVISION_SHARED_SECRET", "s2-secret" } })
            << QString() << "https://api.moleculesai.app"
            << "s1-secret"
            << "s1-secret";
        QTest::newRow("shared secret fallback name")
            << env({ { "MOLECULE_ORG_ID", "org" }, { "PROVISION_SHARED_SECRET", "s2-secret" } })
            << QString() << "https://api.moleculesai.app"
            << "s2-secret"
            << "s2-secret";
        QTest::newRow("admin key distinct") << env({ { "MOLECULE_ORG_ID", "org" },
                                                     { "PROVISION_SHARED_SECRET", "s2-secret" },
                                                     { "CP_ADMIN_API_TOKEN", "adm-key" } })
                                            << QString() << "https://api.moleculesai.app"
                                            << "s2-secret"
                                            << "adm-key";
    }
    void precedence()
    {
        QFETCH(QProcessEnvironment, environment);
        QFETCH(QString, profileUrl);
        QFETCH(QString, url);
        QFETCH(QString, shared);
        QFETCH(QString, adminKey);
        ProfileValues p;
        p.name = QStringLiteral("test");
        p.cpUrl = profileUrl;
        const auto r = resolveConfig(environment, p);
        QVERIFY2(r, r ? "" : qPrintable(r.error().message));
        QCOMPARE(r->baseUrl.toString(), url);
        QCOMPARE(r->sharedSecret.reveal(), shared);
        QCOMPARE(r->adminApiKey.reveal(), adminKey);
        QCOMPARE(r->orgId, QStringLiteral("org"));
    }

    void environmentBeatsProfile()
    {
        ProfileValues p;
        p.name = QStringLiteral("prod");
        p.orgId = QStringLiteral("profile-org");
        p.sharedSecret = Secret(QStringLiteral("profile-secret"));
        p.adminToken = Secret(QStringLiteral("profile-admin"));
        auto r = resolveConfig(env({ { "ADMIN_TOKEN", "env-admin" } }), p);
        QVERIFY(r);
        QCOMPARE(r->orgId, QStringLiteral("profile-org"));
        QCOMPARE(r->sharedSecret.reveal(), QStringLiteral("profile-secret"));
        QCOMPARE(r->adminToken.reveal(), QStringLiteral("env-admin"));
        QCOMPARE(r->adminTokenSource, QStringLiteral("ADMIN_TOKEN"));
        QCOMPARE(r->sharedSecretSource, QStringLiteral("profile prod"));
        r = resolveConfig(env({ { "MOLECULE_ORG_ID", "env-org" } }), p);
        QCOMPARE(r->orgId, QStringLiteral("env-org"));
    }

    void plainHttpRefusedForRemoteHost()
    {
        const auto e = env(
            { { "MOLECULE_ORG_ID", "org" }, { "CP_PROVISION_URL", "http://cp.example.com" } });
        auto r = resolveConfig(e);
        QVERIFY(!r);
        QCOMPARE(r.error().kind, Error::Kind::Config);
        QVERIFY(r.error().message.contains(QLatin1String("--allow-insecure-http")));
        QVERIFY(r.error().message.contains(QLatin1String("CP_PROVISION_URL")));
        QVERIFY(resolveConfig(e, {}, true));
        QVERIFY(resolveConfig(
            env({ { "MOLECULE_ORG_ID", "org" }, { "CP_PROVISION_URL", "http://127.0.0.1:9" } })));
    }

    void secretsAreRedactedAndNeverPrinted()
    {
        const auto r = resolveConfig(env({ { "MOLECULE_ORG_ID", "org" },
                                           { "MOLECULE_CP_SHARED_SECRET", "sh-4f8a9c-very-secret" },
                                           { "ADMIN_TOKEN", "adm-77d1e0" } }));
        QVERIFY(r);
        const QString echoed
            = QStringLiteral("upstream said: Authorization: Bearer sh-4f8a9c-very-secret; "
                             "X-Molecule-Admin-Token: adm-77d1e0; raw adm-77d1e0");
        const QString clean = redaction::redact(echoed);
        QVERIFY(!clean.contains(QLatin1String("sh-4f8a9c")));
        QVERIFY(!clean.contains(QLatin1String("adm-77d1e0")));
        QVERIFY(clean.contains(QLatin1String("[redacted]")));

        QString printed;
        QDebug(&printed) << r->sharedSecret << r->adminToken;
        QVERIFY(!printed.contains(QLatin1String("sh-4f8a9c")));
        QVERIFY(printed.contains(QLatin1String("<redacted>")));

        const QString line
            = redaction::formatRequest("GET", QStringLiteral("https://cp/x"),
                                       { { "Authorization", "Bearer sh-4f8a9c-very-secret" },
                                         { "X-Molecule-Admin-Token", "adm-77d1e0" },
                                         { "Accept", "application/json" } });
        QVERIFY(!line.contains(QLatin1String("sh-4f8a9c")));
        QVERIFY(!line.contains(QLatin1String("adm-77d1e0")));
        QVERIFY(line.contains(QLatin1String("Accept: application/json")));
    }

    void controlCharacterInSecretRefused()
    {
        const auto r = resolveConfig(
            env({ { "MOLECULE_ORG_ID", "org" }, { "ADMIN_TOKEN", "abc\r\nX-Evil: 1" } }));
        QVERIFY(!r);
        QVERIFY(r.error().message.contains(QLatin1String("ADMIN_TOKEN")));
        QVERIFY(!r.error().message.contains(QLatin1String("X-Evil")));
    }
};

QTEST_GUILESS_MAIN(tst_Config)
#include "tst_config.moc"
