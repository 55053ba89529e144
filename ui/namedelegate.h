#pragma once

#include <QStyledItemDelegate>

namespace cpc::ui {

/// The Name column: a star before pinned workspaces (polled even when scrolled away).
class NameDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override;
};

} // namespace cpc::ui
