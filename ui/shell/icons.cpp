#include "icons.h"

#include <QApplication>
#include <QFile>
#include <QHash>
#include <QPainter>
#include <QPalette>
#include <QPixmap>
#include <QSvgRenderer>
#include <QWidget>

static void cpcInitResources()
{
    Q_INIT_RESOURCE(cpconsole); // must be called outside any namespace
}

namespace cpc::ui {

void initResources()
{
    static const bool done = [] {
        cpcInitResources();
        return true;
    }();
    Q_UNUSED(done);
}

namespace {

QPixmap render(const QByteArray &svg, int size, qreal dpr)
{
    QSvgRenderer renderer(svg);
    QPixmap pm(QSize(size, size) * dpr);
    pm.fill(Qt::transparent);
    pm.setDevicePixelRatio(dpr);
    QPainter p(&pm);
    renderer.render(&p, QRectF(0, 0, size, size));
    return pm;
}

QByteArray tinted(const QByteArray &svg, const QColor &c)
{
    QByteArray out = svg;
    out.replace("#000000", c.name(QColor::HexRgb).toLatin1());
    return out;
}

} // namespace

QIcon icon(const QString &name, const QPalette &palette)
{
    initResources();
    const QColor normal = palette.color(QPalette::Active, QPalette::WindowText);
    const QColor disabled = palette.color(QPalette::Disabled, QPalette::WindowText);
    const QString key = name + u'|' + normal.name() + u'|' + disabled.name();
    static QHash<QString, QIcon> cache;
    if (auto it = cache.constFind(key); it != cache.cend())
        return *it;
    QFile f(QStringLiteral(":/cpc/icons/%1.svg").arg(name));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    const QByteArray svg = f.readAll();
    const qreal dpr = qApp ? qApp->devicePixelRatio() : 1.0;
    QIcon icon;
    for (int size : { 16, 22, 24, 32, 48 }) {
        icon.addPixmap(render(tinted(svg, normal), size, dpr), QIcon::Normal);
        icon.addPixmap(render(tinted(svg, disabled), size, dpr), QIcon::Disabled);
    }
    cache.insert(key, icon);
    return icon;
}

QIcon icon(const QString &name, const QWidget *forWidget)
{
    return icon(name, forWidget ? forWidget->palette() : QApplication::palette());
}

QIcon appIcon()
{
    initResources();
    QFile f(QStringLiteral(":/cpc/icons/app.svg"));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    const QByteArray svg = f.readAll();
    QIcon icon;
    for (int size : { 16, 24, 32, 48, 64, 128 })
        icon.addPixmap(render(svg, size, 1.0));
    return icon;
}

} // namespace cpc::ui
