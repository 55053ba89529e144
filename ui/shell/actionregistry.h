#pragma once

#include <QHash>
#include <QKeySequence>
#include <QList>
#include <QObject>

class QAction;
class QMainWindow;
class QMenu;
class QWidget;

namespace cpc::ui {

/// Every action of the main window: its object name, text, icon, keys and tip, the menus and
/// the toolbar it appears in, and the aliases (a second key in a narrower scope). What an
/// action does is connected by the window; this is where a key or a menu entry changes.
class ActionRegistry : public QObject
{
    Q_OBJECT
public:
    /// Builds the actions, menus and toolbar of `window`. `table` scopes the list's own keys
    /// (Enter, Delete); `toggleConsoles` is the console dock's show/hide action for the View menu.
    ActionRegistry(QMainWindow *window, QWidget *table, QAction *toggleConsoles);

    QAction *action(const QString &objectName) const { return m_actions.value(objectName); }
    /// Every action that changes something outside this window (provision, stop, reconcile).
    QList<QAction *> mutatingActions() const;
    /// The actions listed in the keyboard help, in menu order.
    QList<QAction *> keyboardActions() const { return m_keyboardActions; }
    /// Icons follow the palette (light or dark): called again when it changes.
    void applyIcons();

private:
    QAction *make(const QString &objectName, const QString &text, const QString &iconName,
                  const QList<QKeySequence> &keys, const QString &statusTip);
    /// An action whose keys work only on `scope` (the list), listed under `place` in the help.
    QAction *makeIn(QWidget *scope, const QString &place, const QString &objectName,
                    const QString &text, const QList<QKeySequence> &keys, const QString &statusTip);
    void addColorSchemeMenu(QMenu *view);
    QAction *alias(QAction *of, const QString &objectName, const QList<QKeySequence> &keys,
                   QWidget *scope);

    QMainWindow *m_window;
    QHash<QString, QAction *> m_actions;
    QList<QAction *> m_keyboardActions;
};

} // namespace cpc::ui
