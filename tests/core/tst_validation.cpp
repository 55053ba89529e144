#include "validation.h"

#include <QtTest>

using namespace cpc;

class tst_Validation : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void ids_data()
    {
        QTest::addColumn<QString>("id");
        QTest::addColumn<bool>("valid");
        QTest::newRow("uuid") << "3f2b8c1e-9d4a-4b6e-8f00-1a2b3c4d5e6f" << true;
        QTest::newRow("ec2") << "i-0abc123def4567890" << true;
        QTest::newRow("simulator") << "mol-ws-000042" << true;
        QTest::newRow("colon") << "ws:prod.1_a" << true;
        QTest::newRow("128 chars") << QString(128, u'a') << true;
        QTest::newRow("traversal") << "../admin" << false;
        QTest::newRow("dotdot") << ".." << false;
        QTest::newRow("dot") << "." << false;
        QTest::newRow("inner dotdot") << "a..b" << false;
        QTest::newRow("slash") << "a/b" << false;
        QTest::newRow("backslash") << "a\\b" << false;
        QTest::newRow("query") << "a?b" << false;
        QTest::newRow("fragment") << "a#b" << false;
        QTest::newRow("percent") << "%2e%2e" << false;
        QTest::newRow("space") << "a b" << false;
        QTest::newRow("newline") << "a\nb" << false;
        QTest::newRow("nul") << QString::fromUtf8("a\0b", 3) << false;
        QTest::newRow("unicode") << "wörk" << false;
        QTest::newRow("empty") << "" << false;
        QTest::newRow("300 chars") << QString(300, u'a') << false;
        QTest::newRow("leading dash") << "-rf" << false;
    }
    void ids()
    {
        QFETCH(QString, id);
        QFETCH(bool, valid);
        QCOMPARE(validation::checkWorkspaceId(id).ok(), valid);
        QCOMPARE(validation::checkInstanceId(id).ok(), valid);
        if (!valid) {
            const VoidResult checked = validation::checkWorkspaceId(id);
            QCOMPARE(checked.error().kind, Error::Kind::Policy);
            QVERIFY(checked.error().message.startsWith(QLatin1String("workspace ID")));
        }
    }

    void baseUrl_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<bool>("allowInsecure");
        QTest::addColumn<bool>("ok");
        QTest::newRow("https") << "https://api.moleculesai.app" << false << true;
        QTest::newRow("https path prefix") << "https://cp.example.com/prefix" << false << true;
        QTest::newRow("http loopback") << "http://127.0.0.1:8080" << false << true;
        QTest::newRow("http loopback 127.5") << "http://127.5.0.1:8080" << false << true;
        QTest::newRow("http localhost") << "http://localhost:8080" << false << true;
        QTest::newRow("http ipv6 loopback") << "http://[::1]:8080" << false << true;
        QTest::newRow("http remote") << "http://cp.example.com" << false << false;
        QTest::newRow("http private") << "http://10.0.0.5" << false << false;
        QTest::newRow("http remote allowed") << "http://cp.example.com" << true << true;
        QTest::newRow("ftp") << "ftp://cp.example.com" << true << false;
        QTest::newRow("userinfo") << "https://user:pw@cp.example.com" << false << false;
        QTest::newRow("query") << "https://cp.example.com/?a=b" << false << false;
        QTest::newRow("no host") << "https://" << false << false;
    }
    void baseUrl()
    {
        QFETCH(QString, url);
        QFETCH(bool, allowInsecure);
        QFETCH(bool, ok);
        const VoidResult checked = validation::checkBaseUrl(QUrl(url), allowInsecure);
        QVERIFY2(checked.ok() == ok,
                 checked.ok() ? "accepted" : qPrintable(checked.error().message));
    }

    void origin()
    {
        QVERIFY(validation::sameOrigin(QUrl("http://127.0.0.1:80/a"), QUrl("http://127.0.0.1/b")));
        QVERIFY(!validation::sameOrigin(QUrl("http://127.0.0.1:8080/a"),
                                        QUrl("http://127.0.0.1:8081/a")));
        QVERIFY(!validation::sameOrigin(QUrl("https://a.example/a"), QUrl("http://a.example/a")));
        QVERIFY(!validation::sameOrigin(QUrl("https://a.example/a"), QUrl("https://b.example/a")));
    }
};

QTEST_GUILESS_MAIN(tst_Validation)
#include "tst_validation.moc"
