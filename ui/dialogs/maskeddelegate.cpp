#include "maskeddelegate.h"

#include <QLineEdit>

namespace cpc::ui {

QString MaskedDelegate::maskedText(const QString &value)
{
    return value.isEmpty() ? QString() : QString(8, QChar(0x2022));
}

void MaskedDelegate::initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const
{
    QStyledItemDelegate::initStyleOption(option, index);
    if (m_masked)
        option->text = maskedText(option->text);
}

QWidget *MaskedDelegate::createEditor(QWidget *parent, const QStyleOptionViewItem &option,
                                      const QModelIndex &index) const
{
    QWidget *w = QStyledItemDelegate::createEditor(parent, option, index);
    if (auto *edit = qobject_cast<QLineEdit *>(w); edit && m_masked)
        edit->setEchoMode(QLineEdit::Password);
    return w;
}

} // namespace cpc::ui
