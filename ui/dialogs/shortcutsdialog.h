#pragma once

#include <QDialog>

class QAction;
class QTableWidget;

namespace cpc::ui {

/// Keyboard help, generated from the window's QActions (text, shortcuts, status tip), so the
/// list cannot drift from what the keys really do. An action may name other actions whose keys
/// do the same thing in a narrower place (Enter on the list) through the "cpcAliases" property.
class ShortcutsDialog : public QDialog
{
    Q_OBJECT

public:
    ShortcutsDialog(const QList<QAction *> &actions, QWidget *parent = nullptr);

    /// Rows as (action, keys) pairs, for tests.
    QList<QPair<QString, QString>> rows() const;
    /// "Enter, Ctrl+O" for an action and its aliases, in native text.
    static QString keysOf(const QAction *action);

private:
    QTableWidget *m_table;
};

} // namespace cpc::ui
