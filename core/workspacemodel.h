#pragma once

#include "workspace.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QVector>

#include <vector>

namespace cpc {

/// All workspace rows in one vector plus a vector of visible row indexes, after Wireshark's
/// packet list: filtering and sorting happen inside the model (std::sort, one reset), display
/// strings are built only for rows that are shown, and a status change is one dataChanged for
/// one row. Stays fast at 100k rows where QSortFilterProxyModel does not.
class WorkspaceModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        NameColumn,
        IdColumn,
        StatusColumn, ///< the workspace row's status (database)
        LiveColumn, ///< running / not running / unknown from the CP, with its age
        InstanceColumn,
        RuntimeColumn,
        TierColumn,
        ProviderColumn,
        UpdatedColumn,
        ColumnCount
    };
    enum Role {
        WorkspaceIdRole = Qt::UserRole + 1, ///< QString
        RunStateRole, ///< int(RunState), -1 when never checked
        LiveStatusRole, ///< QVariant::fromValue(LiveStatus)
        SortRole, ///< the value used for sorting
        PinnedRole, ///< bool
    };

    explicit WorkspaceModel(QObject *parent = nullptr);

    /// Replaces all rows (one reset). Live status of IDs still present is kept.
    void setRows(QVector<WorkspaceRow> rows);
    /// Updates or appends rows by ID without a reset (inserts are batched into one insert).
    void upsertRows(const QVector<WorkspaceRow> &rows);
    int totalCount() const { return int(m_rows.size()); }
    int visibleCount() const { return int(m_visible.size()); }

    /// Case-insensitive text filter over name, ID, instance ID, runtime and status (database
    /// and live). Refines the visible set incrementally when the new text extends the old.
    void setFilterText(const QString &text);
    QString filterText() const { return m_filter; }
    /// Only rows whose database status is in the set (empty: all).
    void setStatusFilter(const QStringList &statuses);

    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

    /// One dataChanged for the row (if visible). No reset, no re-sort, no re-filter.
    void setLiveStatus(const QString &id, const LiveStatus &status);
    LiveStatus liveStatus(const QString &id) const;
    void setPinned(const QString &id, bool pinned);
    bool isPinned(const QString &id) const;

    const WorkspaceRow *rowById(const QString &id) const;
    const WorkspaceRow *rowAt(int visibleRow) const;
    int visibleRowOf(const QString &id) const; ///< -1 when hidden or absent

    /// Count of rows by database status and by live state, over all rows (for the status bar).
    QHash<QString, int> statusCounts() const;
    QHash<RunState, int> liveCounts() const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

Q_SIGNALS:
    void countsChanged();

private:
    struct Item
    {
        WorkspaceRow row;
        LiveStatus live;
        bool pinned = false;
    };
    void rebuildVisible(); ///< applies filter and sort to all rows
    bool matches(const Item &item) const;
    void sortVisible();

    std::vector<Item> m_rows;
    QHash<QString, int> m_index; ///< id → index in m_rows
    std::vector<int> m_visible; ///< indexes into m_rows, in display order
    QString m_filter;
    QStringList m_statusFilter;
    int m_sortColumn = NameColumn;
    Qt::SortOrder m_sortOrder = Qt::AscendingOrder;
};

} // namespace cpc

Q_DECLARE_METATYPE(cpc::LiveStatus)
