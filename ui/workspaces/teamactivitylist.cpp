#include "teamactivitylist.h"

#include <QPainter>

namespace cpc::ui {

TeamActivityList::TeamActivityList(QWidget *parent)
    : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    setAccessibleName(tr("Team activity"));
}

void TeamActivityList::setLines(const QStringList &lines)
{
    m_lines = lines;
    setToolTip(lines.join(u'\n'));
    setAccessibleDescription(lines.isEmpty() ? tr("Nobody has acted on this workspace yet.")
                                             : lines.join(u'\n'));
    updateGeometry();
    update();
}

QSize TeamActivityList::sizeHint() const
{
    const int lh = fontMetrics().height() + 2;
    return { 280, std::max<int>(1, int(m_lines.size())) * lh };
}

QSize TeamActivityList::minimumSizeHint() const
{
    return { 160, sizeHint().height() };
}

void TeamActivityList::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    const QFontMetrics fm = fontMetrics();
    const int lh = fm.height() + 2;
    if (m_lines.isEmpty()) {
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(QRect(0, 0, width(), lh), Qt::AlignLeft | Qt::AlignVCenter,
                   tr("Nobody has acted on this workspace yet."));
        return;
    }
    p.setPen(palette().color(QPalette::WindowText));
    int y = 0;
    for (const QString &line : m_lines) {
        p.drawText(QRect(0, y, width(), lh), Qt::AlignLeft | Qt::AlignVCenter,
                   fm.elidedText(line, Qt::ElideRight, width()));
        y += lh;
    }
}

} // namespace cpc::ui
