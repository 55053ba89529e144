#include "livestatusdelegate.h"

#include "statuspresentation.h"
#include "workspacemodel.h"

#include <QAbstractItemView>
#include <QApplication>
#include <QHelpEvent>
#include <QPainter>
#include <QToolTip>

namespace cpc::ui {

namespace {

bool rowHasInstance(const QModelIndex &index)
{
    return !index.siblingAtColumn(WorkspaceModel::InstanceColumn)
                .data(Qt::DisplayRole)
                .toString()
                .isEmpty();
}

LiveStatus liveOf(const QModelIndex &index)
{
    return index.data(WorkspaceModel::LiveStatusRole).value<LiveStatus>();
}

} // namespace

Badge LiveStatusDelegate::badgeAt(const QModelIndex &index)
{
    const QString dbStatus
        = index.siblingAtColumn(WorkspaceModel::StatusColumn).data(Qt::DisplayRole).toString();
    return badgeFor(liveOf(index), rowHasInstance(index), dbStatus);
}

void LiveStatusDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                               const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    opt.text.clear();
    opt.icon = {};
    const QWidget *w = option.widget;
    QStyle *style = w ? w->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, w); // background, selection, focus

    const LiveStatus live = liveOf(index);
    const bool hasInstance = rowHasInstance(index);
    const Badge badge = badgeAt(index);
    const QRect r = option.rect.adjusted(4, 1, -4, -1);
    painter->save();
    painter->setFont(option.font);
    const int used = paintBadge(painter, r, badge, option.palette);
    const QString detail = liveDetailText(live, hasInstance, QDateTime::currentDateTimeUtc());
    if (!detail.isEmpty() && used + 8 < r.width()) {
        const bool selected = option.state & QStyle::State_Selected;
        QColor c = option.palette.color(selected ? QPalette::HighlightedText : QPalette::Text);
        if (!selected && live.state != RunState::Unknown)
            c = option.palette.color(QPalette::PlaceholderText);
        painter->setPen(c);
        const QRect tr(r.left() + used + 6, r.top(), r.width() - used - 6, r.height());
        painter->drawText(tr, Qt::AlignVCenter | Qt::AlignLeft,
                          option.fontMetrics.elidedText(detail, Qt::ElideRight, tr.width()));
    }
    painter->restore();
}

QSize LiveStatusDelegate::sizeHint(const QStyleOptionViewItem &option,
                                   const QModelIndex &index) const
{
    const QFontMetrics &fm = option.fontMetrics;
    const int w = badgeWidth(fm, badgeAt(index)) + 14
        + fm.horizontalAdvance(QStringLiteral("CP unreachable · last running 59 min ago"));
    return { w, fm.height() + 8 };
}

bool LiveStatusDelegate::helpEvent(QHelpEvent *event, QAbstractItemView *view,
                                   const QStyleOptionViewItem &option, const QModelIndex &index)
{
    if (event->type() == QEvent::ToolTip && index.isValid()) {
        const LiveStatus live = liveOf(index);
        QToolTip::showText(
            event->globalPos(),
            liveSentence(live, rowHasInstance(index), QDateTime::currentDateTimeUtc()), view);
        return true;
    }
    return QStyledItemDelegate::helpEvent(event, view, option, index);
}

} // namespace cpc::ui
