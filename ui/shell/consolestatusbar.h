#pragma once

#include <QStatusBar>

class QLabel;
class QProgressBar;

namespace cpc {
class WorkspaceModel;
}

namespace cpc::ui {

class Session;

/// The main window's status bar: the live counts (shape + word + number) with the database
/// statuses in their tooltip, how many rows are shown, the READ-ONLY marker, the CP and the
/// profile. Messages (showMessage) go where the counts are.
class ConsoleStatusBar : public QStatusBar
{
    Q_OBJECT
public:
    explicit ConsoleStatusBar(QWidget *parent = nullptr);

    void showCounts(const WorkspaceModel &model);
    void showSession(const Session &session);
    void setCpReachable(bool reachable, const QString &cpDescription);
    /// `why` is the marker's tooltip: why writes are refused.
    void setReadOnly(bool readOnly, const QString &why = {});
    /// Team state: "team state: shared", or "team state: unreachable · 3 not yet shared" with
    /// the reason as tooltip. Hidden for a local state file (`team` false).
    void setTeamState(bool team, bool shared, int unshared, const QString &problem,
                      const QString &location);
    /// The list is loading: how far ("Loading workspaces… 340,000 of 1,000,000"); expected -1
    /// when the source could not count. refreshing: the rows shown stay until it is done.
    void showLoading(qint64 loaded, qint64 expected, bool refreshing);
    void hideLoading();

private:
    QLabel *m_loadingText;
    QProgressBar *m_loading;
    QLabel *m_countsLabel;
    QLabel *m_shownLabel;
    QLabel *m_readOnlyLabel;
    QLabel *m_teamLabel;
    QLabel *m_cpLabel;
    QLabel *m_profileLabel;
};

} // namespace cpc::ui
