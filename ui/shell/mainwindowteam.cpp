// The main window's part of team mode: a teammate's operation in flight on the row and in the
// details pane, a notification for pinned workspaces, and whether the team database answers.
#include "mainwindow.h"

#include "consolestatusbar.h"
#include "detailspane.h"
#include "statestore.h"
#include "teamactivity.h"
#include "teambanner.h"

namespace cpc::ui {

void MainWindow::buildTeam()
{
    m_team = new TeamActivity(m_model, m_notifier, this);
    m_team->setObjectName(QStringLiteral("teamActivity"));
    connect(m_team, &TeamActivity::holdChanged, this, &MainWindow::applyBusy);
    connect(m_team, &TeamActivity::activityChanged, this, [this](const QString &workspaceId) {
        if (workspaceId == m_selectedId)
            loadTeamActivity();
    });
    // Their stop cleared the instance, their provision wrote one: read the row and ask the CP.
    connect(m_team, &TeamActivity::finishedByOthers, this, &MainWindow::reloadRow);
    connect(m_team, &TeamActivity::sharingChanged, this, &MainWindow::updateTeamState);
    connect(m_teamBanner, &TeamBanner::retryRequested, m_team, &TeamActivity::checkNow);
}

void MainWindow::updateTeamState()
{
    const bool team = m_team->isTeam();
    const bool shared = m_team->isShared();
    if (team && !shared)
        m_teamBanner->setUnreachable(m_team->problem(), m_team->unsharedCount());
    else
        m_teamBanner->setShared();
    m_statusBar->setTeamState(team, shared, m_team->unsharedCount(), m_team->problem(),
                              team ? m_session->state()->path() : QString());
    loadTeamActivity(); // "(not yet shared)" marks change with the connection
}

void MainWindow::loadTeamActivity()
{
    m_details->setTeamActivity(m_team->isTeam(), m_team->lines(m_selectedId));
}

void MainWindow::applyTeamHolds()
{
    if (!m_team->isTeam())
        return;
    for (const QString &id : m_team->heldWorkspaces())
        applyBusy(id);
}

} // namespace cpc::ui
