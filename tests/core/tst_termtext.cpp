// The one sanitizer for text on its way to a terminal: what it escapes, how, and what it keeps.
#include "termtext.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QtTest>

using namespace cpc;

class tst_TermText : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sanitize_data()
    {
        QTest::addColumn<QString>("in");
        QTest::addColumn<QString>("out");
        const QChar esc(0x1b);
        QTest::newRow("plain") << "web-01 online"
                               << "web-01 online";
        QTest::newRow("osc 52") << QString(esc + QStringLiteral("]52;c;aGk=") + QChar(0x07))
                                << "\\e]52;c;aGk=\\x07";
        QTest::newRow("erase line") << QString(esc + QStringLiteral("[2K\rok")) << "\\e[2K\\rok";
        QTest::newRow("tab and newline") << "a\tb\nc"
                                         << "a\\tb\\nc";
        QTest::newRow("nul and del")
            << QString(QChar(0) + QStringLiteral("x") + QChar(0x7f)) << "\\x00x\\x7f";
        QTest::newRow("c1 csi") << QString(QChar(0x9b) + QStringLiteral("31m")) << "\\u009b31m";
        QTest::newRow("c1 osc") << QString(QChar(0x9d)) << "\\u009d";
        QTest::newRow("rlo") << QString(QStringLiteral("a") + QChar(0x202e) + QStringLiteral("b"))
                             << "a\\u202eb";
        QTest::newRow("lre pdf") << QString(QChar(0x202a)) + QChar(0x202c) << "\\u202a\\u202c";
        QTest::newRow("isolates") << QString(QChar(0x2066)) + QChar(0x2067) + QChar(0x2068)
                + QChar(0x2069) << "\\u2066\\u2067\\u2068\\u2069";
        QTest::newRow("line separator") << QString(QChar(0x2028)) << "\\u2028";
        QTest::newRow("cyrillic cjk emoji") << "Рабочее 工作区 🚀"
                                            << "Рабочее 工作区 🚀";
        QTest::newRow("backslash kept") << "C:\\temp\\e"
                                        << "C:\\temp\\e";
        QTest::newRow("nbsp kept") << QString(QChar(0xa0)) << QString(QChar(0xa0));
    }
    void sanitize()
    {
        QFETCH(QString, in);
        QFETCH(QString, out);
        QCOMPARE(termtext::sanitize(in), out);
    }

    void multilineKeepsLinesAndTabs()
    {
        const QString in = QStringLiteral("one\ttwo\nthree ") + QChar(0x202e) + QChar(0x1b) + u'\r';
        QCOMPARE(termtext::sanitizeMultiline(in), QStringLiteral("one\ttwo\nthree \\u202e\\e\\r"));
    }

    void escapeBidiKeepsRendererSequences()
    {
        // A rendered console: the renderer's own colours and line ends stay.
        const QString in = QStringLiteral("\x1b[0;31mred\x1b[0m\tfile ") + QChar(0x202e)
            + QStringLiteral("gpj.exe\n");
        QCOMPARE(termtext::escapeBidi(in),
                 QStringLiteral("\x1b[0;31mred\x1b[0m\tfile \\u202egpj.exe\n"));
    }

    void jsonEscapesC1AndBidiAndKeepsValues()
    {
        const QString value = QStringLiteral("a") + QChar(0x85) + QChar(0x9b) + QChar(0x202e)
            + QChar(0x2028) + QChar(0x2069) + QStringLiteral("é工🚀") + QChar(0x1b);
        const QByteArray raw = QJsonDocument(QJsonObject { { QStringLiteral("v"), value } })
                                   .toJson(QJsonDocument::Compact);
        QVERIFY(raw.contains("\xe2\x80\xae")); // QJsonDocument writes U+202E as is
        const QByteArray json = termtext::escapeJson(raw);
        QCOMPARE(json, QByteArray("{\"v\":\"a\\u0085\\u009b\\u202e\\u2028\\u2069é工🚀\\u001b\"}"));
        QCOMPARE(QJsonDocument::fromJson(json).object().value(QStringLiteral("v")).toString(),
                 value);
        const QByteArray plain("{\"v\":\"plain é\"}");
        QCOMPARE(termtext::escapeJson(plain), plain);
    }

    void jsonRoundTripsRandomText()
    {
        // Strings mixing ASCII, controls, C1, bidi, separators, CJK and astral characters: the
        // escaped document parses to the same value and holds no raw C1 or bidi control.
        const char32_t pool[] = { u'a',   u'"',   u'\\',  0x1b,   0x07,   0x0a,   0x85,
                                  0x9b,   0x9f,   0xa0,   0xe9,   0x2028, 0x2029, 0x202a,
                                  0x202e, 0x2066, 0x2069, 0x206a, 0x4e2d, 0xfffd, 0x1f680 };
        QRandomGenerator rng(12);
        for (int n = 0; n < 2000; ++n) {
            QString value;
            for (int i = rng.bounded(12); i > 0; --i)
                value += QString::fromUcs4(&pool[rng.bounded(int(std::size(pool)))], 1);
            const QByteArray json
                = termtext::escapeJson(QJsonDocument(QJsonObject { { QStringLiteral("v"), value } })
                                           .toJson(QJsonDocument::Compact));
            QCOMPARE(QJsonDocument::fromJson(json).object().value(QStringLiteral("v")).toString(),
                     value);
            for (const QChar c : QString::fromUtf8(json))
                QVERIFY2(!(c.unicode() >= 0x80 && c.unicode() <= 0x9f)
                             && !(c.unicode() >= 0x202a && c.unicode() <= 0x202e)
                             && !(c.unicode() >= 0x2066 && c.unicode() <= 0x2069),
                         json.constData());
        }
    }

    void columns()
    {
        QCOMPARE(termtext::columns(u"abc"), 3);
        QCOMPARE(termtext::columns(u"工作区"), 6);
        QCOMPARE(termtext::columns(QStringLiteral("🚀 go")), 5);
        QCOMPARE(termtext::columns(QStringLiteral("e\u0301")), 1); // combining accent
        QCOMPARE(termtext::columns(u"Рабочее"), 7);
        QCOMPARE(termtext::padded(QStringLiteral("工作"), 6), QStringLiteral("工作  "));
        QCOMPARE(termtext::padded(QStringLiteral("toolong"), 3), QStringLiteral("toolong"));
    }
};

QTEST_GUILESS_MAIN(tst_TermText)
#include "tst_termtext.moc"
