#pragma once

// The main() of a GUI suite, written once: settings in a private folder (never the developer's
// own), then the application with the identity the console has under test.
#include "appinfo.h"
#include "guitestsupport.h"

#include <QApplication>
#include <QTemporaryDir>
#include <QtTest>

namespace cpc::test {

class GuiTestApp
{
public:
    GuiTestApp(int &argc, char **argv)
        : m_isolated((isolateSettings(m_settings.path()), true))
        , m_app(argc, argv)
    {
        cpc::ui::setApplicationIdentity(m_app, QStringLiteral("cpconsole-test"));
    }

private:
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
