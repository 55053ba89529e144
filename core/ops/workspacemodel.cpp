#include "workspacemodel.h"

#include <QLocale>

#include <algorithm>
#include <functional>
#include <limits>
#include <numeric>

namespace cpc {

namespace {

QString ageText(const QDateTime &at, const QDateTime &now)
{
    if (!at.isValid())
        return QStringLiteral("at an unknown time");
    const qint64 secs = qMax<qint64>(0, at.secsTo(now));
    if (secs < 5)
        return QStringLiteral("just now");
    if (secs < 120)
        return QStringLiteral("%1 s ago").arg(secs);
    if (secs < qint64(2) * 3600)
        return QStringLiteral("%1 min ago").arg(secs / 60);
    if (secs < qint64(2) * 86400)
        return QStringLiteral("%1 h ago").arg(secs / 3600);
    return QStringLiteral("%1 d ago").arg(secs / 86400);
}

QString dateText(const QDateTime &at)
{
    return at.isValid() ? at.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm")) : QString();
}

// Never checked sorts last in ascending order: it says the least.
int liveRank(const LiveStatus &live)
{
    if (!live.checked)
        return 3;
    switch (live.state) {
    case RunState::Running:
        return 0;
    case RunState::NotRunning:
        return 1;
    case RunState::Unknown:
        return 2;
    }
    return 2;
}

QDateTime timeOf(qint64 ms)
{
    return ms == RawRow::kNoTime ? QDateTime() : QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC);
}

const LiveStatus kNeverChecked {};

} // namespace

WorkspaceModel::WorkspaceModel(QObject *parent)
    : QAbstractTableModel(parent)
{
    qRegisterMetaType<LiveStatus>();
}

const LiveStatus &WorkspaceModel::liveOf(int index) const
{
    const auto it = m_live.constFind(index);
    return it == m_live.constEnd() ? kNeverChecked : *it;
}

void WorkspaceModel::setRows(const QVector<WorkspaceRow> &rows)
{
    WorkspaceTable table;
    table.reserve(rows.size());
    for (const WorkspaceRow &row : rows)
        table.append(row); // a duplicate ID: the later row wins
    table.finishEdits();
    setTable(std::move(table));
}

void WorkspaceModel::setTable(WorkspaceTable table)
{
    beginResetModel();
    // Live status and pins outlive a reload: they are not in the database.
    QHash<QString, LiveStatus> keptLive;
    for (auto it = m_live.cbegin(); it != m_live.cend(); ++it)
        keptLive.insert(m_table.id(it.key()), it.value());
    QStringList keptPins;
    for (const int i : std::as_const(m_pinned))
        keptPins << m_table.id(i);
    m_table = std::move(table);
    m_table.finishEdits();
    m_live.clear();
    m_pinned.clear();
    m_keys.assign(size_t(m_table.size()), Keys {});
    for (auto it = keptLive.cbegin(); it != keptLive.cend(); ++it) {
        if (const int i = m_table.indexOf(it.key()); i >= 0) {
            m_live.insert(i, it.value());
            m_keys[size_t(i)] = { quint8(liveRank(it.value())), it.value().busy };
        }
    }
    for (const QString &id : std::as_const(keptPins)) {
        if (const int i = m_table.indexOf(id); i >= 0)
            m_pinned.insert(i);
    }
    invalidateRanks();
    m_namePrefix = {};
    m_sorted.resize(size_t(m_table.size()));
    std::iota(m_sorted.begin(), m_sorted.end(), 0);
    sortVisible();
    rebuildVisible();
    rebuildPositions();
    recount();
    endResetModel();
    Q_EMIT countsChanged();
}

void WorkspaceModel::tableChanged()
{
    m_keys.resize(size_t(m_table.size()));
    m_position.resize(size_t(m_table.size()), -1);
    invalidateRanks();
    recount();
}

void WorkspaceModel::appendRows(const WorkspaceTable &batch)
{
    if (batch.isEmpty())
        return;
    const int before = m_table.size();
    std::vector<int> added = m_table.appendTable(batch);
    tableChanged();
    // Rows whose ID was known replaced theirs (a duplicate ID in the database): they may sort
    // elsewhere now, so the whole order is made again, as upsertRows() does.
    const bool replaced = int(added.size()) < batch.size();
    if (replaced && visibleCount() > 0)
        Q_EMIT dataChanged(index(0, 0), index(visibleCount() - 1, ColumnCount - 1));
    std::vector<int> merged;
    merged.reserve(m_sorted.size() + added.size());
    if (m_sortColumn == NameColumn) {
        // The usual order while loading: a name's first 15 bytes and its length (up to 16) as
        // two integers decide nearly every comparison of a million rows. Equal integers are
        // the same name when it is shorter than 16 bytes; longer names are compared whole.
        if (replaced)
            m_namePrefix.clear();
        m_namePrefix.reserve(size_t(m_table.capacity()));
        for (int i = int(m_namePrefix.size()); i < m_table.size(); ++i) {
            const std::string_view name = field(i, NameField);
            std::array<quint64, 2> p {};
            for (size_t b = 0; b < 15; ++b)
                p[b / 8] = (p[b / 8] << 8) | (b < name.size() ? quint8(name[b]) : 0u);
            // After the bytes, so a name that is another's beginning (zeros padded both)
            // sorts first, as a string compare has it.
            p[1] = (p[1] << 8) | quint64(std::min<size_t>(name.size(), 16));
            m_namePrefix.push_back(p);
        }
        const bool down = m_sortOrder == Qt::DescendingOrder;
        const auto less = [&](int a, int b) {
            const auto &pa = m_namePrefix[size_t(a)];
            const auto &pb = m_namePrefix[size_t(b)];
            // Element by element: std::array's operators call memcmp.
            if (pa[0] != pb[0])
                return down ? pb[0] < pa[0] : pa[0] < pb[0];
            if (pa[1] != pb[1])
                return down ? pb[1] < pa[1] : pa[1] < pb[1];
            if ((pa[1] & 0xff) < 16)
                return a < b; // the same name: lessInOrder's order ends on the source order
            const std::string_view na = field(a, NameField);
            const std::string_view nb = field(b, NameField);
            if (const int c = na.compare(nb); c != 0)
                return down ? c > 0 : c < 0;
            return a < b;
        };
        std::sort(added.begin(), added.end(), less);
        std::merge(m_sorted.begin(), m_sorted.end(), added.begin(), added.end(),
                   std::back_inserter(merged), less);
    } else {
        m_namePrefix.clear();
        const auto less = [this](int a, int b) {
            return lessInOrder(a, b);
        };
        std::sort(added.begin(), added.end(), less);
        std::merge(m_sorted.begin(), m_sorted.end(), added.begin(), added.end(),
                   std::back_inserter(merged), less);
    }
    insertAtEnd(added);
    Q_ASSERT(m_table.size() >= before);
    m_sorted = std::move(merged);
    // m_sorted holds the merged order already, unless a replaced row must move.
    relayout(replaced ? Relayout::SortAndRefilter : Relayout::Refilter);
    Q_EMIT countsChanged();
}

void WorkspaceModel::reserve(qint64 rows)
{
    if (rows <= m_table.size())
        return;
    m_table.reserve(rows);
    m_keys.reserve(size_t(rows));
    m_position.reserve(size_t(rows));
    m_sorted.reserve(size_t(rows));
}

void WorkspaceModel::insertAtEnd(const std::vector<int> &added)
{
    // New rows arrive as one insert at the end; the relayout that follows moves them to their
    // sorted place.
    std::vector<int> shown;
    for (const int i : added) {
        if (matches(i))
            shown.push_back(i);
    }
    if (shown.empty())
        return;
    const int first = visibleCount();
    beginInsertRows({}, first, first + int(shown.size()) - 1);
    for (const int i : shown) {
        m_position[size_t(i)] = int(m_visible.size());
        m_visible.push_back(i);
    }
    endInsertRows();
}

void WorkspaceModel::upsertRows(const QVector<WorkspaceRow> &rows)
{
    std::vector<int> changed;
    std::vector<int> added;
    for (const WorkspaceRow &row : rows) {
        const int i = m_table.indexOf(row.id);
        if (i >= 0) {
            if (m_table.row(i) == row)
                continue;
            m_table.replace(i, row);
            changed.push_back(i);
        } else {
            added.push_back(m_table.append(row));
        }
    }
    if (changed.empty() && added.empty())
        return;
    m_table.finishEdits();
    tableChanged();
    if (!changed.empty())
        m_namePrefix.clear();
    m_sorted.insert(m_sorted.end(), added.begin(), added.end());
    insertAtEnd(added);
    int top = std::numeric_limits<int>::max();
    int bottom = -1;
    for (const int i : changed) {
        const int pos = m_position[size_t(i)];
        if (pos >= 0) {
            top = qMin(top, pos);
            bottom = qMax(bottom, pos);
        }
    }
    if (bottom >= 0)
        Q_EMIT dataChanged(index(top, 0), index(bottom, ColumnCount - 1));
    relayout(Relayout::SortAndRefilter);
    Q_EMIT countsChanged();
}

std::vector<QByteArray> WorkspaceModel::filterTerms(const QString &text)
{
    std::vector<QByteArray> terms;
    for (const QString &word : text.toCaseFolded().simplified().split(u' ', Qt::SkipEmptyParts)) {
        const QByteArray term = QString(word).remove(QChar(u'\x1f')).toUtf8();
        if (!term.isEmpty())
            terms.push_back(term);
    }
    return terms;
}

void WorkspaceModel::setFilterText(const QString &text)
{
    const QString folded = text.toCaseFolded();
    std::vector<QByteArray> terms = filterTerms(text);
    const QString oldFolded = m_filter.toCaseFolded();
    m_filter = text;
    if (terms == m_terms)
        return;
    // Each new word starts with the old word in its place, so every row the new text matches
    // was matched by the old one: only the visible rows need testing.
    const bool refine
        = !m_terms.empty() && folded.startsWith(oldFolded) && !m_liveChangedSinceFilter;
    m_terms = std::move(terms);
    relayout(refine ? Relayout::Refine : Relayout::Refilter);
}

void WorkspaceModel::setStatusFilter(const QStringList &statuses)
{
    if (statuses == m_statusFilter)
        return;
    m_statusFilter = statuses;
    m_statusKeys.clear();
    for (const QString &status : statuses)
        m_statusKeys.push_back(status.toCaseFolded().toUtf8());
    relayout(Relayout::Refilter);
}

void WorkspaceModel::sort(int column, Qt::SortOrder order)
{
    if (column >= ColumnCount)
        return;
    m_sortColumn = column;
    m_sortOrder = order;
    relayout(Relayout::Sort);
}

void WorkspaceModel::recount()
{
    // Counted by interned word first: a million rows cost no hashing of strings.
    std::vector<int> byWord;
    std::vector<int> firstRow; // a row that holds the word, to name it
    for (int i = 0; i < m_table.size(); ++i) {
        const quint32 w = m_table.wordOf(i, WorkspaceTable::StatusWord);
        if (w >= byWord.size()) {
            byWord.resize(w + 1);
            firstRow.resize(w + 1, -1);
        }
        if (byWord[w]++ == 0)
            firstRow[w] = i;
    }
    m_statusCounts.clear();
    for (size_t w = 0; w < byWord.size(); ++w) {
        if (byWord[w] > 0)
            m_statusCounts[m_table.status(firstRow[w])] += byWord[w];
    }
    m_liveCounts.clear();
    for (const LiveStatus &live : std::as_const(m_live)) {
        if (live.checked)
            ++m_liveCounts[live.state];
    }
}

void WorkspaceModel::setLiveStatus(const QString &id, const LiveStatus &status)
{
    const int i = m_table.indexOf(id);
    if (i < 0)
        return;
    const LiveStatus old = liveOf(i);
    if (status.checked || status.busy)
        m_live.insert(i, status);
    else
        m_live.remove(i);
    const quint8 rank = quint8(liveRank(status));
    if (m_keys[size_t(i)].live != rank)
        liveStateMoved();
    m_keys[size_t(i)].live = rank;
    m_keys[size_t(i)].busy = status.busy;
    const bool countsMoved = old.checked != status.checked || old.state != status.state;
    if (countsMoved) {
        if (old.checked && --m_liveCounts[old.state] <= 0)
            m_liveCounts.remove(old.state);
        if (status.checked)
            ++m_liveCounts[status.state];
    }
    m_liveChangedSinceFilter = true;
    if (const int row = m_position[size_t(i)]; row >= 0)
        Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
    if (countsMoved)
        Q_EMIT countsChanged();
}

LiveStatus WorkspaceModel::liveStatus(const QString &id) const
{
    const int i = m_table.indexOf(id);
    return i < 0 ? LiveStatus {} : liveOf(i);
}

void WorkspaceModel::setPinned(const QString &id, bool pinned)
{
    const int i = m_table.indexOf(id);
    if (i < 0 || m_pinned.contains(i) == pinned)
        return;
    if (pinned)
        m_pinned.insert(i);
    else
        m_pinned.remove(i);
    if (const int row = m_position[size_t(i)]; row >= 0)
        Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1), { PinnedRole });
}

bool WorkspaceModel::isPinned(const QString &id) const
{
    const int i = m_table.indexOf(id);
    return i >= 0 && m_pinned.contains(i);
}

std::optional<WorkspaceRow> WorkspaceModel::rowById(const QString &id) const
{
    const int i = m_table.indexOf(id);
    return i < 0 ? std::nullopt : std::optional<WorkspaceRow>(m_table.row(i));
}

std::optional<WorkspaceRow> WorkspaceModel::rowAt(int visibleRow) const
{
    if (visibleRow < 0 || visibleRow >= visibleCount())
        return std::nullopt;
    return m_table.row(m_visible[size_t(visibleRow)]);
}

int WorkspaceModel::visibleRowOf(const QString &id) const
{
    const int i = m_table.indexOf(id);
    return i < 0 ? -1 : m_position[size_t(i)];
}

QHash<QString, int> WorkspaceModel::statusCounts() const
{
    return m_statusCounts;
}

QHash<RunState, int> WorkspaceModel::liveCounts() const
{
    return m_liveCounts;
}

int WorkspaceModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : visibleCount();
}

int WorkspaceModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString WorkspaceModel::liveToolTip(const LiveStatus &live) const
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QString last;
    if (live.confirmedAt.isValid() && live.checked && live.state == RunState::Unknown)
        last = tr("last known %1, %2")
                   .arg(runStateLabel(live.lastKnown), ageText(live.confirmedAt, now));
    QString text;
    if (!live.checked) {
        text = tr("not checked yet");
    } else if (live.state == RunState::Unknown) {
        text = tr("unknown (%1), checked %2")
                   .arg(live.reason.isEmpty() ? tr("no reason given") : live.reason,
                        ageText(live.checkedAt, now));
        text += last.isEmpty() ? tr("; no definite answer yet") : QStringLiteral("; ") + last;
    } else {
        text = tr("%1, checked %2").arg(runStateLabel(live.state), ageText(live.checkedAt, now));
        if (!live.cpState.isEmpty())
            text += tr(" (CP state: %1)").arg(live.cpState);
    }
    if (live.busy)
        text = tr("%1 in progress; %2").arg(live.busyLabel, text);
    return text;
}

QVariant WorkspaceModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.parent().isValid() || index.row() >= visibleCount()
        || index.column() >= ColumnCount)
        return {};
    const int i = m_visible[size_t(index.row())];
    const WorkspaceTable &t = m_table;
    const int column = index.column();
    const auto updated = [&] {
        return timeOf(t.msecs(i, RawRow::UpdatedAt));
    };
    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case NameColumn:
            return t.name(i);
        case IdColumn:
            return t.id(i);
        case StatusColumn:
            return t.status(i);
        case LiveColumn: {
            const LiveStatus &live = liveOf(i);
            if (live.busy) {
                const QString label = live.busyLabel.isEmpty() ? tr("working") : live.busyLabel;
                return label.contains(u'…') ? label : label + u'…';
            }
            if (!live.checked)
                return QStringLiteral("—");
            if (live.state == RunState::Unknown)
                return live.reason.isEmpty() ? tr("unknown") : tr("unknown (%1)").arg(live.reason);
            return runStateLabel(live.state);
        }
        case InstanceColumn:
            return t.instanceId(i);
        case RuntimeColumn:
            return t.runtime(i);
        case TierColumn:
            return t.tier(i);
        case ProviderColumn:
            return t.provider(i);
        case UpdatedColumn:
            return dateText(updated());
        }
        break;
    case Qt::ToolTipRole:
        switch (column) {
        case LiveColumn:
            return liveToolTip(liveOf(i));
        case StatusColumn: {
            const QString &status = t.status(i);
            if (const QString error = t.lastSampleError(i); !error.isEmpty())
                return tr("%1 — last error: %2").arg(status, error);
            if (!status.isEmpty() && !knownWorkspaceStatuses().contains(status))
                return tr("%1 — not a status this version knows").arg(status);
            return {};
        }
        case InstanceColumn:
            return t.hasInstance(i) ? QVariant()
                                    : QVariant(tr("no instance ID on file: nothing to act on"));
        case UpdatedColumn: {
            const QDateTime created = timeOf(t.msecs(i, RawRow::CreatedAt));
            const QDateTime heartbeat = timeOf(t.msecs(i, RawRow::LastHeartbeatAt));
            return tr("updated %1\ncreated %2\nlast heartbeat %3")
                .arg(updated().isValid() ? updated().toString(Qt::ISODate) : tr("unknown"),
                     created.isValid() ? created.toString(Qt::ISODate) : tr("unknown"),
                     heartbeat.isValid() ? heartbeat.toString(Qt::ISODate) : tr("never"));
        }
        default:
            return {};
        }
    case Qt::TextAlignmentRole:
        if (column == TierColumn)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case WorkspaceIdRole:
        return t.id(i);
    case RunStateRole: {
        const LiveStatus &live = liveOf(i);
        return live.checked ? int(live.state) : -1;
    }
    case LiveStatusRole:
        return QVariant::fromValue(liveOf(i));
    case PinnedRole:
        return m_pinned.contains(i);
    case SortRole:
        switch (column) {
        case NameColumn:
            return t.name(i);
        case IdColumn:
            return t.id(i);
        case StatusColumn:
            return t.status(i);
        case LiveColumn:
            return liveRank(liveOf(i));
        case InstanceColumn:
            return t.instanceId(i);
        case RuntimeColumn:
            return t.runtime(i);
        case TierColumn:
            return t.tier(i);
        case ProviderColumn:
            return t.provider(i);
        case UpdatedColumn:
            return updated();
        }
        break;
    default:
        break;
    }
    return {};
}

QVariant WorkspaceModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case NameColumn:
        return tr("Name");
    case IdColumn:
        return tr("ID");
    case StatusColumn:
        return tr("Status");
    case LiveColumn:
        return tr("Live");
    case InstanceColumn:
        return tr("Instance");
    case RuntimeColumn:
        return tr("Runtime");
    case TierColumn:
        return tr("Tier");
    case ProviderColumn:
        return tr("Provider");
    case UpdatedColumn:
        return tr("Updated");
    }
    return {};
}

} // namespace cpc
