#include "namedelegate.h"

#include "termtext.h"
#include "workspacemodel.h"

namespace cpc::ui {

void NameDelegate::initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const
{
    QStyledItemDelegate::initStyleOption(option, index);
    // A name is data from the database: an override in it is shown, never obeyed.
    option->text = termtext::sanitize(option->text);
    if (index.data(WorkspaceModel::PinnedRole).toBool())
        option->text = QChar(0x2605) + QStringLiteral(" ") + option->text;
}

} // namespace cpc::ui
