#pragma once

#include <QMap>
#include <QWidget>

class QCheckBox;
class QTableWidget;

namespace cpc::ui {

class MaskedDelegate;

/// The environment of a provision: a name/value table whose values are masked (they often hold
/// tokens) unless "Show values" is ticked, with Add and Remove. The table is named "env".
class EnvEditor : public QWidget
{
    Q_OBJECT
public:
    explicit EnvEditor(QWidget *parent = nullptr);

    /// The given variables, then one empty row to type into.
    void setEnvironment(const QMap<QString, QString> &env);
    /// Every row with a name (trimmed); rows without a name are left out.
    QMap<QString, QString> environment() const;
    /// Why the table cannot be sent ("row 2: \"A\" is given twice"); "" when it can.
    QString error() const;
    QTableWidget *table() const { return m_table; }

private:
    void addRow(const QString &key = {}, const QString &value = {});

    QTableWidget *m_table;
    MaskedDelegate *m_delegate;
    QCheckBox *m_showValues;
};

} // namespace cpc::ui
