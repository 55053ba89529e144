#pragma once

#include <QList>
#include <QObject>
#include <QPointer>

class QAction;
class QKeyEvent;
class QMainWindow;
class QWidget;

namespace cpc::ui {

class ConsoleArea;

/// Where the window's keys go. It remembers which pane the engineer used last (the list side
/// or the console), so Ctrl+F, /, F3 and Ctrl+J act on the console while it is the pane in
/// use; and a key of a write action that is turned off (read-only mode, nothing selected)
/// says why where the engineer is looking instead of doing nothing.
class KeyRouter : public QObject
{
    Q_OBJECT
public:
    enum class Pane { List, Console };

    KeyRouter(QMainWindow *window, QWidget *listSide, ConsoleArea *consoles);
    ~KeyRouter() override;

    Pane lastPane() const { return m_last; }
    /// A console is open and it is the pane in use.
    bool consoleInUse() const;
    void setLastPane(Pane pane) { m_last = pane; }
    /// Actions whose keys, pressed while the action is off, show the reason.
    void setGuardedActions(const QList<QAction *> &actions);

Q_SIGNALS:
    /// A guarded action's key was pressed while it was off; `why` was shown.
    void refused(QAction *action, const QString &why);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void onFocusChanged(QWidget *old, QWidget *now);
    QAction *refusedActionFor(const QKeyEvent *event, QWidget *focus) const;
    void sayWhy(QAction *action, QWidget *focus);

    QMainWindow *m_window;
    QWidget *m_listSide;
    ConsoleArea *m_consoles;
    Pane m_last = Pane::List;
    QList<QPointer<QAction>> m_guarded;
};

} // namespace cpc::ui
