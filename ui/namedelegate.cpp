#include "namedelegate.h"

#include "workspacemodel.h"

namespace cpc::ui {

void NameDelegate::initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const
{
    QStyledItemDelegate::initStyleOption(option, index);
    if (index.data(WorkspaceModel::PinnedRole).toBool())
        option->text = QChar(0x2605) + QStringLiteral(" ") + option->text;
}

} // namespace cpc::ui
