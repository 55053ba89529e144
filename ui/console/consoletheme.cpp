#include "consoletheme.h"

#include <QPalette>

namespace cpc::ui {

namespace {

QColor blend(const QColor &a, const QColor &b, qreal t)
{
    return QColor::fromRgbF(float(a.redF() * (1 - t) + b.redF() * t),
                            float(a.greenF() * (1 - t) + b.greenF() * t),
                            float(a.blueF() * (1 - t) + b.blueF() * t));
}

// Chosen for at least 3:1 contrast on their background; pure xterm yellow and green are
// unreadable on white, pure blue on black.
constexpr QRgb kDarkAnsi[16]
    = { 0x000000, 0xe05252, 0x3ccf7e, 0xe5c76b, 0x4d8ee8, 0xc678dd, 0x3cb8d6, 0xd4d4d4,
        0x767676, 0xff6e6e, 0x5ee89b, 0xf5e08a, 0x75aaf5, 0xde94f0, 0x66d9ef, 0xffffff };
constexpr QRgb kLightAnsi[16]
    = { 0x000000, 0xc41a16, 0x107c10, 0x8a6d00, 0x0451a5, 0xa626a4, 0x0a7f99, 0x5c5c5c,
        0x6e6e6e, 0xe01b24, 0x1a9c1a, 0x9c7d00, 0x1c6fd6, 0xbc05bc, 0x0598bc, 0x8a8a8a };

} // namespace

ConsoleTheme ConsoleTheme::fromPalette(const QPalette &palette)
{
    ConsoleTheme t;
    t.background = palette.color(QPalette::Base);
    t.foreground = palette.color(QPalette::Text);
    t.dark = t.background.lightness() < 128;
    t.gutterBackground = blend(t.background, palette.color(QPalette::Window), 0.6);
    t.gutterForeground = blend(t.foreground, t.background, 0.55);
    t.selectionBackground = palette.color(QPalette::Highlight);
    t.selectionForeground = palette.color(QPalette::HighlightedText);
    t.matchBackground = t.dark ? QColor(0x8a, 0x6d, 0x10) : QColor(0xff, 0xe5, 0x70);
    t.currentMatchBackground = t.dark ? QColor(0xe8, 0x8a, 0x1a) : QColor(0xff, 0x96, 0x32);
    t.matchForeground = t.dark ? QColor(0xff, 0xff, 0xff) : QColor(0x00, 0x00, 0x00);
    t.marker = t.dark ? QColor(0x5e, 0xa8, 0xff) : QColor(0x1c, 0x5f, 0xc4);
    t.markerBackground = blend(t.background, t.marker, 0.14);
    t.gap = t.dark ? QColor(0xf0, 0xb4, 0x50) : QColor(0x9a, 0x5b, 0x00);
    t.gapBackground = blend(t.background, t.gap, 0.12);
    t.flashBackground = blend(t.background, t.selectionBackground, 0.3);
    const QRgb *ansi = t.dark ? kDarkAnsi : kLightAnsi;
    for (int i = 0; i < 16; ++i)
        t.ansi[size_t(i)] = QColor::fromRgb(ansi[i]);
    return t;
}

QColor ConsoleTheme::resolve(ConsoleColor color, const QColor &fallback) const
{
    switch (color.kind()) {
    case ConsoleColor::Kind::Default:
        return fallback;
    case ConsoleColor::Kind::Rgb:
        return QColor::fromRgb(color.rgbValue());
    case ConsoleColor::Kind::Palette:
        break;
    }
    const int i = color.index();
    if (i < 16)
        return ansi[size_t(i)];
    if (i < 232) {
        static constexpr int levels[6] = { 0, 95, 135, 175, 215, 255 };
        const int c = i - 16;
        return QColor(levels[c / 36], levels[(c / 6) % 6], levels[c % 6]);
    }
    const int g = 8 + 10 * (i - 232);
    return QColor(g, g, g);
}

} // namespace cpc::ui
