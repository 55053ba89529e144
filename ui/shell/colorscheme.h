#pragma once

#include <QString>

class QApplication;

namespace cpc::ui {

enum class ColorScheme { System, Light, Dark };

/// "system", "light" or "dark"; nullopt-like System for anything else is the caller's choice.
bool parseColorScheme(const QString &text, ColorScheme *out);
/// System: leaves the platform's style and palette alone. Light / Dark: the Fusion style with
/// a light or dark palette (for desktops without theme integration, and for screenshots).
void applyColorScheme(QApplication &app, ColorScheme scheme);

} // namespace cpc::ui
