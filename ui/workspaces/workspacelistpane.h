#pragma once

#include <QHash>
#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QTableView;

namespace cpc {
class WorkspaceModel;
}

namespace cpc::ui {

/// The workspace list with its filter row: the filter box (↓ and Enter hand over to the list,
/// Esc clears), the database-status filter with its counts, and the sortable table whose
/// columns are chosen from the header's menu (remembered in QSettings).
class WorkspaceListPane : public QWidget
{
    Q_OBJECT
public:
    WorkspaceListPane(WorkspaceModel *model, QWidget *parent = nullptr);

    QTableView *table() const { return m_table; }
    QLineEdit *filterEdit() const { return m_filter; }
    /// Shows each database status's and live state's count where it is chosen (from the model).
    void setStatusCounts(const QHash<QString, int> &counts, int total);
    /// Back to "All statuses".
    void clearStatusFilter();
    /// The line shown over the empty list when the filter hides every row; empty otherwise.
    QString emptyMessage() const;

Q_SIGNALS:
    /// The filter text or the status filter changed (the model is already filtered).
    void filterChanged();
    /// A column was shown or hidden from the header's menu.
    void columnsChanged();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void headerMenu(const QPoint &pos);
    void updateEmptyMessage();

    WorkspaceModel *m_model;
    QLineEdit *m_filter;
    QComboBox *m_statusFilter;
    QTableView *m_table;
    QLabel *m_empty;
};

/// How a workspace is named in messages and notifications: its name, sanitized (an override
/// in a name is shown, not obeyed), else its ID.
QString workspaceLabel(const WorkspaceModel &model, const QString &workspaceId);

} // namespace cpc::ui
