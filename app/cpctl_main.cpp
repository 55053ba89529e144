#include "cpc_version.h"

#include <QCoreApplication>
#include <QCommandLineParser>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("cpctl"));
    QCoreApplication::setApplicationVersion(QStringLiteral(CPC_VERSION));
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("CP Console from the terminal"));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.process(app);
    parser.showHelp(0);
}
