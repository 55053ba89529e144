#pragma once

#include "statuspresentation.h"

#include <QStyledItemDelegate>

namespace cpc::ui {

/// Paints the Live column: a badge (shape + word + colour) and, beside it, how old the answer
/// is or why it is unknown. The age is computed at paint time from LiveStatusRole, so the view
/// refreshes it every second with a viewport update and no model signal at all.
class LiveStatusDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    bool helpEvent(QHelpEvent *event, QAbstractItemView *view, const QStyleOptionViewItem &option,
                   const QModelIndex &index) override;

    /// The badge painted for a Live-column index: shape and word from the live answer, the
    /// instance and the row's database status ("starting…" for an instance still coming up).
    static Badge badgeAt(const QModelIndex &index);
};

} // namespace cpc::ui
