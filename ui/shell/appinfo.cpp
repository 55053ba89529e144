#include "appinfo.h"

#include "cpc_version.h"

#include <QGuiApplication>

namespace cpc::ui {

void setApplicationIdentity(QCoreApplication &app, const QString &applicationName)
{
    QCoreApplication::setOrganizationName(QStringLiteral("CPConsole"));
    QCoreApplication::setOrganizationDomain(QStringLiteral("moleculesai.app"));
    QCoreApplication::setApplicationName(applicationName);
    QCoreApplication::setApplicationVersion(QStringLiteral(CPC_VERSION));
    if (qobject_cast<QGuiApplication *>(&app))
        QGuiApplication::setDesktopFileName(QStringLiteral(CPC_APP_ID));
}

} // namespace cpc::ui
