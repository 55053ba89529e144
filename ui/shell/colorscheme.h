#pragma once

#include <QString>

class QApplication;

namespace cpc::ui {

enum class ColorScheme { System, Light, Dark };

/// "system", "light" or "dark"; nullopt-like System for anything else is the caller's choice.
bool parseColorScheme(const QString &text, ColorScheme *out);
/// System: leaves the platform's style and palette alone. Light / Dark: the Fusion style with
/// a light or dark palette (for desktops without theme integration, and for screenshots).
/// System after Light or Dark goes back to the style and palette the application started with.
void applyColorScheme(QApplication &app, ColorScheme scheme);
/// What applyColorScheme applied last (System before any call).
ColorScheme currentColorScheme();
/// The scheme chosen from the View menu (QSettings "view/colorScheme"); System when none.
ColorScheme savedColorScheme();
void saveColorScheme(ColorScheme scheme);

} // namespace cpc::ui
