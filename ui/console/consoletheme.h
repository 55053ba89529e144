#pragma once

#include "ansiparser.h"

#include <QColor>

#include <array>

class QPalette;

namespace cpc::ui {

/// The colours of the console view, derived from a widget palette so that the viewer follows
/// the application's light or dark scheme: the 16 ANSI colours tuned for contrast against the
/// background, the xterm 256-colour cube and greys, and the viewer's own accents (matches,
/// selection, the new-text marker, gap lines).
struct ConsoleTheme
{
    QColor background;
    QColor foreground;
    QColor gutterBackground;
    QColor gutterForeground;
    QColor selectionBackground;
    QColor selectionForeground;
    QColor matchBackground;
    QColor currentMatchBackground;
    QColor matchForeground;
    QColor marker; ///< the "new since" rule and its label
    QColor markerBackground;
    QColor gap; ///< text and rule of a gap line
    QColor gapBackground;
    QColor flashBackground; ///< a line just jumped to
    bool dark = false;
    std::array<QColor, 16> ansi;

    static ConsoleTheme fromPalette(const QPalette &palette);

    /// A console colour as drawn; the default colour is `fallback`.
    QColor resolve(ConsoleColor color, const QColor &fallback) const;
};

} // namespace cpc::ui
