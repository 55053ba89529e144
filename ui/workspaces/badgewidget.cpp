#include "badgewidget.h"

#include <QPainter>

namespace cpc::ui {

BadgeWidget::BadgeWidget(QWidget *parent)
    : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
}

void BadgeWidget::setBadge(const Badge &badge)
{
    m_badge = badge;
    setAccessibleName(badge.text);
    updateGeometry();
    update();
}

QSize BadgeWidget::sizeHint() const
{
    const QFontMetrics fm = fontMetrics();
    return { badgeWidth(fm, m_badge) + 2, fm.height() + 6 };
}

void BadgeWidget::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setFont(font());
    paintBadge(&p, rect(), m_badge, palette());
}

} // namespace cpc::ui
