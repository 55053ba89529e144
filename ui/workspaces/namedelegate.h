#pragma once

#include <QStyledItemDelegate>

namespace cpc::ui {

/// The Name column: a star before pinned workspaces (polled even when scrolled away); control
/// characters and bidirectional overrides in a name are shown escaped (termtext::sanitize).
class NameDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override;
};

} // namespace cpc::ui
