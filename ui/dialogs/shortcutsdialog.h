#pragma once

#include "consolekeys.h"

#include <QDialog>

class QAction;
class QTableWidget;

namespace cpc::ui {

/// Keyboard help, generated from the window's QActions (text, shortcuts, status tip) and the
/// console's key table, grouped by where the keys work, so the list cannot drift from what
/// the keys really do. An action names the narrower actions that do the same thing with other
/// keys (Enter on the list) through the "cpcAliases" property; an action's "cpcPlace" property
/// says where it works when that is not the whole window.
class ShortcutsDialog : public QDialog
{
    Q_OBJECT

public:
    ShortcutsDialog(const QList<QAction *> &actions, const QList<KeyBinding> &more = {},
                    QWidget *parent = nullptr);

    /// Rows as (action, keys) pairs, for tests.
    QList<QPair<QString, QString>> rows() const;
    /// The places in order ("Anywhere in the window", "In the list", …).
    QStringList places() const;
    /// The (action, keys) rows listed under one place.
    QList<QPair<QString, QString>> rowsIn(const QString &place) const;
    /// "Enter, Ctrl+O" for an action and its aliases, in native text.
    static QString keysOf(const QAction *action);
    /// The window-wide name of the place an action without "cpcPlace" works in.
    static QString anywhere();

private:
    void addPlace(const QString &place);
    void addRow(const QString &place, const QString &text, const QString &keys,
                const QString &what);

    QTableWidget *m_table;
};

} // namespace cpc::ui
