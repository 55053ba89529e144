#include "colorscheme.h"

#include <QApplication>
#include <QPalette>
#include <QSettings>
#include <QStyle>
#include <QStyleFactory>

namespace cpc::ui {

bool parseColorScheme(const QString &text, ColorScheme *out)
{
    const QString t = text.trimmed().toLower();
    if (t == QLatin1String("system"))
        *out = ColorScheme::System;
    else if (t == QLatin1String("light"))
        *out = ColorScheme::Light;
    else if (t == QLatin1String("dark"))
        *out = ColorScheme::Dark;
    else
        return false;
    return true;
}

namespace {
ColorScheme g_current = ColorScheme::System;
struct Original
{
    bool saved = false;
    QString style;
    QPalette palette;
};
Original &original()
{
    static Original o;
    return o;
}
const QString kKey = QStringLiteral("view/colorScheme");
} // namespace

ColorScheme currentColorScheme()
{
    return g_current;
}

ColorScheme savedColorScheme()
{
    ColorScheme s = ColorScheme::System;
    if (!parseColorScheme(QSettings().value(kKey).toString(), &s))
        return ColorScheme::System;
    return s;
}

void saveColorScheme(ColorScheme scheme)
{
    static const char *names[] = { "system", "light", "dark" };
    QSettings().setValue(kKey, QLatin1String(names[int(scheme)]));
}

void applyColorScheme(QApplication &app, ColorScheme scheme)
{
    Original &o = original();
    if (!o.saved) {
        o.saved = true;
        o.style = app.style()->name();
        o.palette = app.palette();
    }
    g_current = scheme;
    if (scheme == ColorScheme::System) {
        if (app.style()->name() != o.style) {
            app.setStyle(QStyleFactory::create(o.style));
            app.setPalette(o.palette);
        }
        return;
    }
    app.setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    if (scheme == ColorScheme::Light) {
        app.setPalette(app.style()->standardPalette());
        return;
    }
    QPalette p;
    const QColor window(0x2b, 0x2d, 0x30), base(0x1e, 0x1f, 0x22), text(0xe6, 0xe6, 0xe6);
    const QColor disabledText(0x80, 0x80, 0x80);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, QColor(0x26, 0x28, 0x2b));
    p.setColor(QPalette::ToolTipBase, QColor(0x3c, 0x3f, 0x41));
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, QColor(0xa0, 0xa0, 0xa0));
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, QColor(0x35, 0x37, 0x3a));
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, Qt::white);
    p.setColor(QPalette::Light, QColor(0x4a, 0x4d, 0x50));
    p.setColor(QPalette::Midlight, QColor(0x40, 0x43, 0x46));
    p.setColor(QPalette::Mid, QColor(0x5a, 0x5d, 0x60));
    p.setColor(QPalette::Dark, QColor(0x18, 0x19, 0x1b));
    p.setColor(QPalette::Shadow, Qt::black);
    p.setColor(QPalette::Highlight, QColor(0x2f, 0x65, 0xca));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, QColor(0x6a, 0xa9, 0xff));
    p.setColor(QPalette::LinkVisited, QColor(0xb0, 0x8c, 0xff));
    for (auto role : { QPalette::WindowText, QPalette::Text, QPalette::ButtonText })
        p.setColor(QPalette::Disabled, role, disabledText);
    p.setColor(QPalette::Disabled, QPalette::Highlight, QColor(0x44, 0x47, 0x4a));
    app.setPalette(p);
}

} // namespace cpc::ui
