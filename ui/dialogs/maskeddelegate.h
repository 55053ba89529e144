#pragma once

#include <QStyledItemDelegate>

namespace cpc::ui {

/// Shows a column's values as dots unless revealed, and edits them in a password field then.
/// Used for environment variable values, which often hold tokens.
class MaskedDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void setMasked(bool masked) { m_masked = masked; }
    bool isMasked() const { return m_masked; }
    /// What is drawn for a value: dots of a fixed length when masked (the length is not leaked).
    static QString maskedText(const QString &value);

    QWidget *createEditor(QWidget *parent, const QStyleOptionViewItem &option,
                          const QModelIndex &index) const override;

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override;

private:
    bool m_masked = true;
};

} // namespace cpc::ui
