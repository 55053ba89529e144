// MainWindow's loading of the workspace list. The database is read by WorkspaceLoader on a
// thread of its own: a first load fills the list batch by batch (filter and sort work on what
// has arrived), a refresh (F5) keeps the rows shown until the new ones are all in and then
// swaps them in one reset that keeps the selection and the scroll position. The status bar
// says how far it is; a failed load leaves what is shown and says why.
#include "mainwindow.h"

#include "consolestatusbar.h"
#include "journalbanner.h"
#include "pins.h"
#include "workspaceloader.h"
#include "workspacemodel.h"

#include <QScrollBar>
#include <QTableView>

namespace cpc::ui {

bool MainWindow::isLoading() const
{
    return m_loader->isLoading();
}

void MainWindow::reloadRows()
{
    if (!m_session)
        return;
    const WorkspaceLoader::Opener open = m_session->sourceOpener();
    if (!open) {
        m_loader->cancel();
        m_statusBar->hideLoading();
        m_model->setRows({});
        updateSetupNotice();
        return;
    }
    m_loadIntoModel = m_model->totalCount() == 0;
    m_pending.clear();
    m_loader->start(open);
    m_statusBar->showLoading(0, -1, !m_loadIntoModel);
}

void MainWindow::takeBatch(const WorkspaceTable &rows)
{
    if (!m_loadIntoModel) {
        m_pending.appendTable(rows);
        return;
    }
    m_model->appendRows(rows);
    // The list has the keys at launch: once it has rows, it is on the first one, as a view that
    // gets the focus with its rows already there puts itself.
    if (focusWidget() == m_table && !m_table->currentIndex().isValid() && m_model->rowCount() > 0)
        m_table->setCurrentIndex(m_model->index(0, WorkspaceModel::NameColumn));
}

void MainWindow::loadFinished(bool ok, const QString &message)
{
    m_statusBar->hideLoading();
    if (!ok) {
        m_pending.clear();
        statusBar()->showMessage(tr("Could not load the workspaces: %1").arg(message));
        updateSetupNotice();
        Q_EMIT loadFailed(message);
        return;
    }
    if (!m_loadIntoModel) {
        // A refresh keeps the engineer's place: the selection and the scroll position.
        const QString keep = m_selectedId;
        const int scroll = m_table->verticalScrollBar()->value();
        m_model->setTable(std::exchange(m_pending, WorkspaceTable()));
        // The scroll range is recomputed lazily after a reset: lay out now, or the old
        // position is clamped to the empty range and F5 jumps the list to the top.
        m_table->doItemsLayout();
        if (!keep.isEmpty()) {
            const int r = m_model->visibleRowOf(keep);
            if (r >= 0) {
                const QModelIndex idx = m_model->index(r, WorkspaceModel::NameColumn);
                // Re-selecting must not scroll: the engineer's place is the scroll position.
                const bool autoScroll = m_table->hasAutoScroll();
                m_table->setAutoScroll(false);
                m_table->selectionModel()->setCurrentIndex(
                    idx, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
                m_table->setAutoScroll(autoScroll);
            }
        }
        m_table->verticalScrollBar()->setValue(scroll);
    }
    m_pins->restore();
    applyTeamHolds(); // operations teammates had in flight before these rows were here
    updateModeBand(); // the demo's band counts the workspaces
    m_journal->setEntries(m_journal->entries()); // named by the rows just loaded
    updateCounts();
    Q_EMIT rowsLoaded(m_model->totalCount());
}

} // namespace cpc::ui
