#pragma once

#include <QString>

class QCoreApplication;

namespace cpc::ui {

/// Sets the organisation, application name, version and desktop file name that QSettings,
/// the window manager and the About box use.
void setApplicationIdentity(QCoreApplication &app, const QString &applicationName);

} // namespace cpc::ui
