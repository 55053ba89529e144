#pragma once

#include <QPointer>
#include <QWidget>

class QLabel;
class QStackedWidget;
class QTabWidget;

namespace cpc {
class Operations;
}

namespace cpc::ui {

class ConsoleTab;

/// The tabbed area where consoles live: one tab per workspace, reused when the same
/// workspace is opened again; an explanatory placeholder while none is open.
class ConsoleArea : public QWidget
{
    Q_OBJECT
public:
    explicit ConsoleArea(QWidget *parent = nullptr);

    void setOperations(Operations *operations);
    /// Opens (or focuses) the tab of a workspace and fetches its console.
    ConsoleTab *open(const QString &workspaceId, const QString &name);
    ConsoleTab *tab(const QString &workspaceId) const;
    ConsoleTab *currentTab() const;
    int count() const;
    void closeTab(int index);
    void closeCurrent();
    void closeAll();
    void refreshCurrent();
    /// Puts the keyboard in the current console's text (or the area when none is open).
    void focusText();
    QTabWidget *tabWidget() const { return m_tabs; }

Q_SIGNALS:
    void countChanged(int count);
    /// A tab was double-clicked: the console takes the whole window, or gives it back.
    void maximiseToggleRequested();

private:
    QPointer<Operations> m_ops;
    QStackedWidget *m_stack;
    QTabWidget *m_tabs;
};

} // namespace cpc::ui
