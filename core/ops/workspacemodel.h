#pragma once

#include "workspace.h"
#include "workspacetable.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QSet>
#include <QVector>

#include <array>
#include <optional>
#include <string_view>
#include <vector>

namespace cpc {

/// All workspace rows in one compact WorkspaceTable plus a vector of visible row indexes, after
/// Wireshark's packet list: filtering and sorting happen inside the model (std::sort, one
/// reset), display strings are built only for rows that are shown, and a status change is one
/// dataChanged for one row. Live status and pins are kept only for the rows that have them.
/// Rows can arrive in batches (appendRows) while the list is shown: each batch is merged into
/// the sort order and the filter. Stays fast at 1,000,000 rows.
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
    void setRows(const QVector<WorkspaceRow> &rows);
    void setTable(WorkspaceTable table);
    /// Adds a loaded batch without a reset: new rows are merged into the sort order and the
    /// filter, rows with a known ID replace theirs.
    void appendRows(const WorkspaceTable &batch);
    /// Room for `rows` rows before a load's batches arrive (none of them is copied to grow).
    void reserve(qint64 rows);
    /// Updates or appends rows by ID without a reset (inserts are batched into one insert).
    void upsertRows(const QVector<WorkspaceRow> &rows);
    int totalCount() const { return m_table.size(); }
    int visibleCount() const { return int(m_visible.size()); }

    /// Case-insensitive text filter over name, ID, instance ID, runtime and status (database
    /// and live). Refines the visible set incrementally when the new text extends the old.
    void setFilterText(const QString &text);
    QString filterText() const { return m_filter; }
    /// Only rows whose database status is in the set (empty: all).
    void setStatusFilter(const QStringList &statuses);
    /// Quick-open: the IDs of up to `limit` rows the text matches by the filter's rules (every
    /// word in name, ID, instance ID, runtime or status), whatever the list's own filter is;
    /// rows whose name starts with the text first, then in the list's sort order.
    QStringList search(const QString &text, int limit) const;
    /// The IDs of every row whose name is `name` (trimmed, case-insensitive), listed or not.
    QStringList idsNamed(const QString &name) const;
    /// Only rows whose live state is this one, from the poller's current answers: the rows shown
    /// follow as answers arrive (refiltered once per event-loop turn, not per answer).
    enum class LiveFilter { Any = -1, Running = 0, NotRunning = 1, Unknown = 2, NotChecked = 3 };
    void setLiveFilter(LiveFilter filter);
    LiveFilter liveFilter() const { return m_liveFilter; }

    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

    /// One dataChanged for the row (if visible). No reset, no re-sort, no re-filter.
    void setLiveStatus(const QString &id, const LiveStatus &status);
    LiveStatus liveStatus(const QString &id) const;
    void setPinned(const QString &id, bool pinned);
    bool isPinned(const QString &id) const;

    /// The row as QStrings (made on each call); empty when there is no such row.
    std::optional<WorkspaceRow> rowById(const QString &id) const;
    std::optional<WorkspaceRow> rowAt(int visibleRow) const;
    /// Every row, shown or filtered out, in load order: 0 ≤ index < totalCount().
    const WorkspaceTable &table() const { return m_table; }
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
    /// What the live filter and sort read, one entry per row beside the table.
    struct Keys
    {
        quint8 live = 3; ///< liveRank(): running 0, not running 1, unknown 2, never checked 3
        bool busy = false;
    };
    using Field = WorkspaceTable::Field;
    static constexpr Field NameField = WorkspaceTable::NameField;
    static constexpr Field IdField = WorkspaceTable::IdField;
    static constexpr Field InstanceField = WorkspaceTable::InstanceField;
    static constexpr Field RuntimeField = WorkspaceTable::RuntimeField;
    static constexpr Field StatusField = WorkspaceTable::StatusField;
    enum class Relayout {
        Sort, ///< same visible rows, new order
        Refine, ///< the filter got stricter: drop rows from the visible ones, order kept
        Refilter, ///< filter all rows again
        SortAndRefilter, ///< rows changed: both
    };

    void rebuildVisible(); ///< applies the filter to all rows, in sort order
    bool matches(int index) const; ///< one row against the filter
    /// One row against filter words (the live words included), status filter aside.
    bool matchesTerms(int index, const std::vector<QByteArray> &terms) const;
    /// The filter's words: case-folded UTF-8, separators dropped.
    static std::vector<QByteArray> filterTerms(const QString &text);
    std::vector<char>
    matchAll() const; ///< every row against the filter, one scan of the search text
    /// Clears `hit` for the rows some word is in neither their text nor their live words.
    void markTerms(const std::vector<QByteArray> &terms, std::vector<char> *hit) const;
    void sortVisible(); ///< sorts m_sorted (all rows) by the sort column
    /// Applies a change inside one layoutAboutToBeChanged/layoutChanged pair that keeps
    /// persistent indexes (the view's selection and current row) on their workspaces.
    void relayout(Relayout how);
    void rebuildPositions();
    /// After the table changed: keys for new rows, ranks dropped, counts redone.
    void tableChanged();
    /// The new rows the filter shows, inserted at the end of the visible ones.
    void insertAtEnd(const std::vector<int> &added);
    /// The sort order's comparison of two rows, without ranks (for merging a batch in).
    bool lessInOrder(int a, int b) const;
    static Field textField(int column); ///< the search field a text column sorts on
    qint64 updatedKey(int index) const; ///< updated_at for sorting; unknown first
    std::string_view rowText(int index) const { return m_table.searchText(index); }
    std::string_view field(int index, Field f) const { return m_table.searchField(index, f); }
    const LiveStatus &liveOf(int index) const;
    const std::vector<int> &rank(int column) const; ///< dense rank of every row by a text column
    /// The names' ranks from m_sorted when it is in name order; false (and no ranks) if not.
    bool rankNamesFromOrder(std::vector<int> *ranks) const;
    void invalidateRanks();
    void recount();
    QString liveToolTip(const LiveStatus &live) const;

    WorkspaceTable m_table;
    std::vector<Keys> m_keys; ///< parallel to the table's rows
    QHash<int, LiveStatus> m_live; ///< only rows with an answer or an action
    QSet<int> m_pinned;
    std::vector<int> m_sorted; ///< every row index, in sort order
    std::vector<int> m_visible; ///< row indexes, in display order
    std::vector<int> m_position; ///< row index → visible row, -1 when hidden
    mutable std::array<std::vector<int>, ColumnCount> m_ranks; ///< empty: not computed
    /// Every row's folded name's first 16 bytes as two integers, kept while batches are merged
    /// in name order (made for the new rows only); cleared when rows change in place.
    std::vector<std::array<quint64, 2>> m_namePrefix;
    QString m_filter;
    std::vector<QByteArray> m_terms; ///< the filter's words, case-folded UTF-8; all must match
    QStringList m_statusFilter;
    std::vector<QByteArray> m_statusKeys; ///< m_statusFilter, case-folded UTF-8
    /// Set by a live update: a refinement could then miss a row whose live text now matches.
    bool m_liveChangedSinceFilter = false;
    LiveFilter m_liveFilter = LiveFilter::Any;
    bool m_liveRefilterPosted = false; ///< a refilter for the live filter is queued
    void liveStateMoved(); ///< a row's live state changed: refilter soon if it filters
    int m_sortColumn = NameColumn;
    Qt::SortOrder m_sortOrder = Qt::AscendingOrder;
    QHash<QString, int> m_statusCounts;
    QHash<RunState, int> m_liveCounts;
};

} // namespace cpc

// No Q_DECLARE_METATYPE(cpc::LiveStatus): Qt 6 does not need it for QVariant, and a declaration
// here clashes with any moc'ed header (statuspoller.h) that uses the type in a signal and is
// compiled into the same translation unit first. If one is wanted, it belongs in workspace.h.
