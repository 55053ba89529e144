#include "appinfo.h"

#include "cpc_version.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QLabel>
#include <QTimer>

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    cpc::ui::setApplicationIdentity(app, QStringLiteral("cpconsole"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("CP Console: workspaces, status and serial consoles"));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption quitAfter(QStringLiteral("quit-after"),
                                       QStringLiteral("Quit after <ms> milliseconds (for scripted screenshots)."),
                                       QStringLiteral("ms"));
    parser.addOption(quitAfter);
    parser.process(app);

    QLabel label(QStringLiteral("CP Console %1").arg(QStringLiteral(CPC_VERSION)));
    label.resize(480, 120);
    label.show();
    if (parser.isSet(quitAfter))
        QTimer::singleShot(parser.value(quitAfter).toInt(), &app, &QCoreApplication::quit);
    return QApplication::exec();
}
