#include "warningbanner.h"

#include "icons.h"
#include "statuspresentation.h"

#include <QLabel>

namespace cpc::ui {

WarningBanner::WarningBanner(const QString &objectName, QWidget *parent)
    : QFrame(parent)
{
    setObjectName(objectName);
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    // Semantic colours with their own text colour: legible on light and dark palettes.
    QPalette p = palette();
    p.setColor(QPalette::Window, colors::warning);
    p.setColor(QPalette::WindowText, Qt::black);
    setPalette(p);
    hide();
}

QLabel *WarningBanner::makeIcon()
{
    auto *label = new QLabel(this);
    label->setPixmap(icon(QStringLiteral("warning"), palette()).pixmap(20, 20));
    return label;
}

QLabel *WarningBanner::makeText(const QString &objectName, Qt::TextInteractionFlags flags)
{
    auto *label = new QLabel(this);
    label->setObjectName(objectName);
    label->setWordWrap(true);
    label->setTextInteractionFlags(flags);
    return label;
}

} // namespace cpc::ui
