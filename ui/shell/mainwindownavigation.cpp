// The window's navigation: where Ctrl+F, /, F3 and Ctrl+J go (the list or the console in use),
// quick-open, the console's share of the window, and the list's own keys (End, Home, the row
// menu). Part of MainWindow, kept apart from the shell's wiring of the session.
#include "mainwindow.h"

#include "actionregistry.h"
#include "consolearea.h"
#include "consoletab.h"
#include "consoleviewer.h"
#include "keyrouter.h"
#include "quickopen.h"
#include "windowlayout.h"
#include "workspacelistpane.h"
#include "workspacemodel.h"

#include <QAction>
#include <QDockWidget>
#include <QLineEdit>
#include <QStatusBar>
#include <QTableView>
#include <QTimer>

namespace cpc::ui {

void MainWindow::buildNavigation()
{
    connect(action(QStringLiteral("filter")), &QAction::triggered, this, [this] {
        // The console in use finds in its text; elsewhere the list is filtered.
        if (m_keys->consoleInUse()) {
            m_consoles->currentTab()->viewer()->openFind();
            return;
        }
        m_filter->setFocus(Qt::ShortcutFocusReason);
        m_filter->selectAll();
    });
    connect(action(QStringLiteral("quickOpen")), &QAction::triggered, this,
            [this] { showQuickOpen(); });
    const auto toConsole = [this](void (ConsoleViewer::*slot)()) {
        return [this, slot] {
            ConsoleTab *t = m_consoles->currentTab();
            if (!t) {
                statusBar()->showMessage(tr("No console is open: Enter on a row, or Ctrl+K"), 5000);
                return;
            }
            m_consoleDock->show();
            (t->viewer()->*slot)();
        };
    };
    connect(action(QStringLiteral("consoleFindNext")), &QAction::triggered, this,
            toConsole(&ConsoleViewer::findNext));
    connect(action(QStringLiteral("consoleFindPrevious")), &QAction::triggered, this,
            toConsole(&ConsoleViewer::findPrevious));
    connect(action(QStringLiteral("consoleJumpList")), &QAction::triggered, this,
            toConsole(&ConsoleViewer::openJumpList));
    connect(action(QStringLiteral("maximiseConsole")), &QAction::toggled, m_layout,
            &WindowLayout::setConsoleMaximised);
    connect(m_layout, &WindowLayout::consoleMaximisedChanged,
            action(QStringLiteral("maximiseConsole")), &QAction::setChecked);
    connect(m_consoles, &ConsoleArea::maximiseToggleRequested,
            action(QStringLiteral("maximiseConsole")), &QAction::toggle);
    connect(action(QStringLiteral("resetLayout")), &QAction::triggered, m_layout,
            &WindowLayout::reset);
    connect(action(QStringLiteral("rowMenu")), &QAction::triggered, this, [this] {
        const QModelIndex cur = m_table->currentIndex();
        if (cur.isValid())
            rowMenu(m_table->visualRect(cur).center());
    });
    const auto goToRow = [this](bool last) {
        return [this, last] {
            const int n = m_model->rowCount();
            if (n == 0)
                return;
            const int col = qMax(0, m_table->currentIndex().column());
            const QModelIndex idx = m_model->index(last ? n - 1 : 0, col);
            m_table->selectionModel()->setCurrentIndex(
                idx, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
            m_table->scrollTo(idx);
        };
    };
    connect(action(QStringLiteral("lastRow")), &QAction::triggered, this, goToRow(true));
    connect(action(QStringLiteral("firstRow")), &QAction::triggered, this, goToRow(false));
    connect(action(QStringLiteral("focusConsole")), &QAction::triggered, this, [this] {
        m_consoleDock->show();
        m_consoleDock->raise();
        m_consoles->focusText();
    });
}

QuickOpen *MainWindow::showQuickOpen()
{
    auto *dlg = new QuickOpen(m_model, this);
    dlg->setAttribute(Qt::WA_DeleteOnClose);
    connect(dlg, &QuickOpen::chosen, this, [this](const QString &id) {
        // Once the dialog has closed and given the window its focus back: then the console's
        // text takes it.
        QTimer::singleShot(0, this, [this, id] {
            activateWindow();
            if (!selectWorkspace(id)) {
                // Hidden by the list's filter: clear it rather than open what the list hides.
                m_filter->clear();
                m_list->clearStatusFilter();
                if (!selectWorkspace(id))
                    return;
            }
            openConsole();
        });
    });
    dlg->open();
    return dlg;
}

} // namespace cpc::ui
