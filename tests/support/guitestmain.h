#pragma once

// The main() of a GUI suite, written once: settings in a private folder (never the developer's
// own), an offscreen screen of a known size (CPC_TEST_SCREEN=WxH, else 1920x1200: a laptop's
// 1366x768 or 1280x720 is asked for by the suites about small screens), then the application
// with the identity the console has under test.
#include "appinfo.h"
#include "guitestsupport.h"

#include <QApplication>
#include <QFile>
#include <QSize>
#include <QTemporaryDir>
#include <QtTest>

namespace cpc::test {

class GuiTestApp
{
public:
    GuiTestApp(int &argc, char **argv)
        : m_isolated((isolateSettings(m_settings.path()), useScreen(m_settings.path()), true))
        , m_app(argc, argv)
    {
        cpc::ui::setApplicationIdentity(m_app, QStringLiteral("cpconsole-test"));
    }

    /// The offscreen platform's screen, from CPC_TEST_SCREEN ("1366x768").
    static QSize screenSize()
    {
        const QList<QByteArray> wh = qgetenv("CPC_TEST_SCREEN").split('x');
        if (wh.size() == 2 && wh[0].toInt() > 0 && wh[1].toInt() > 0)
            return { wh[0].toInt(), wh[1].toInt() };
        return { 1920, 1200 };
    }

private:
    static void useScreen(const QString &dir)
    {
        if (qgetenv("QT_QPA_PLATFORM") != "offscreen")
            return;
        const QSize s = screenSize();
        const QString path = dir + QStringLiteral("/offscreen.json");
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly))
            return;
        f.write(QStringLiteral(R"({"screens": [{"name": "test", "x": 0, "y": 0, "width": %1,)"
                               R"( "height": %2, "logicalDpiX": 96, "logicalDpiY": 96}]})")
                    .arg(s.width())
                    .arg(s.height())
                    .toUtf8());
        f.close();
        qputenv("QT_QPA_PLATFORM", "offscreen:configfile=" + path.toUtf8());
    }

    QTemporaryDir m_settings;
    [[maybe_unused]] bool m_isolated; // settings are isolated before the application reads any
    QApplication m_app;
};

} // namespace cpc::test

#define CPC_GUI_TEST_MAIN(TestClass)                                                               \
    int main(int argc, char *argv[])                                                               \
    {                                                                                              \
        cpc::test::GuiTestApp app(argc, argv);                                                     \
        TestClass tc;                                                                              \
        QTEST_SET_MAIN_SOURCE_PATH                                                                 \
        return QTest::qExec(&tc, argc, argv);                                                      \
    }
