#pragma once

#include "workspace.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QVector>

#include <array>
#include <string_view>
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

    const WorkspaceRow *rowById(const QString &id) const;
    const WorkspaceRow *rowAt(int visibleRow) const;
    /// Every row, shown or filtered out, in load order: 0 ≤ index < totalCount().
    const WorkspaceRow &loadedRow(int index) const { return m_rows[size_t(index)].row; }
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
    /// What filtering and sorting read, one compact entry per row beside m_rows, built once per
    /// row change: a keystroke walks these and m_text front to back instead of whole rows.
    struct Keys
    {
        int start = 0; ///< where the row's text starts in m_text
        std::array<int, 5> fieldEnd {}; ///< end of each field, relative to start
        qint64 updated = 0; ///< updated_at in ms; invalid sorts first
        int tier = 0;
        quint8 live = 3; ///< liveRank(): running 0, not running 1, unknown 2, never checked 3
        bool busy = false;
    };
    enum Field { NameField, IdField, InstanceField, RuntimeField, StatusField };
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
    std::vector<char> matchAll() const; ///< every row against the filter, one scan of m_text
    /// Clears `hit` for the rows some word is in neither their text nor their live words.
    void markTerms(const std::vector<QByteArray> &terms, std::vector<char> *hit) const;
    void sortVisible(); ///< sorts m_sorted (all rows) by the sort column
    /// Applies a change inside one layoutAboutToBeChanged/layoutChanged pair that keeps
    /// persistent indexes (the view's selection and current row) on their workspaces.
    void relayout(Relayout how);
    void rebuildPositions();
    static Keys buildKeys(const Item &item);
    /// UTF-8 of the case-folded "name␟id␟instance␟runtime␟status", and where each field ends.
    static QByteArray foldedText(const WorkspaceRow &row, std::array<int, 5> *fieldEnd);
    std::string_view rowText(int index) const;
    std::string_view field(int index, Field f) const;
    const std::vector<int> &rank(int column) const; ///< dense rank of every row by a text column
    void invalidateRanks();
    void recount();
    QString liveToolTip(const Item &item) const;

    std::vector<Item> m_rows;
    std::vector<Keys> m_keys; ///< parallel to m_rows
    /// Every row's folded text in m_rows order, each ended by '\n' (which no filter word
    /// holds): the filter's haystack, searched in one pass, and the text sort keys.
    QByteArray m_text;
    QHash<QString, int> m_index; ///< id → index in m_rows
    std::vector<int> m_sorted; ///< every index of m_rows, in sort order
    std::vector<int> m_visible; ///< indexes into m_rows, in display order
    std::vector<int> m_position; ///< index in m_rows → visible row, -1 when hidden
    mutable std::array<std::vector<int>, ColumnCount> m_ranks; ///< empty: not computed
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
