#pragma once

#include <QIcon>

class QPalette;
class QWidget;

namespace cpc::ui {

/// Loads the compiled-in resources (cpc_ui is static, so the .qrc needs an explicit init).
void initResources();

/// A monochrome icon from resources/icons/<name>.svg drawn in the palette's text colour (and a
/// dimmer one for the disabled state), so it reads on light and dark palettes alike.
QIcon icon(const QString &name, const QPalette &palette);
QIcon icon(const QString &name, const QWidget *forWidget);
/// The application's own (coloured) icon.
QIcon appIcon();

} // namespace cpc::ui
