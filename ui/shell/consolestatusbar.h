#pragma once

#include <QStatusBar>

class QLabel;

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

private:
    QLabel *m_countsLabel;
    QLabel *m_shownLabel;
    QLabel *m_readOnlyLabel;
    QLabel *m_cpLabel;
    QLabel *m_profileLabel;
};

} // namespace cpc::ui
