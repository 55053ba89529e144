#include "workspacemodel.h"

#include <QLocale>

#include <algorithm>
#include <functional>
#include <limits>
#include <numeric>

namespace cpc {

namespace {

constexpr QChar kSeparator = u'\x1f';

bool sameRow(const WorkspaceRow &a, const WorkspaceRow &b)
{
    return a.id == b.id && a.name == b.name && a.role == b.role && a.tier == b.tier
        && a.status == b.status && a.runtime == b.runtime && a.instanceId == b.instanceId
        && a.url == b.url && a.lastSampleError == b.lastSampleError && a.provider == b.provider
        && a.lastHeartbeatAt == b.lastHeartbeatAt && a.createdAt == b.createdAt
        && a.updatedAt == b.updatedAt;
}

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

qint64 timeKey(const QDateTime &at)
{
    // Invalid (never, or malformed) sorts first ascending; +1 keeps negation in range.
    return at.isValid() ? at.toMSecsSinceEpoch() : std::numeric_limits<qint64>::min() + 1;
}

} // namespace

WorkspaceModel::WorkspaceModel(QObject *parent)
    : QAbstractTableModel(parent)
{
    qRegisterMetaType<LiveStatus>();
}

QByteArray WorkspaceModel::foldedText(const WorkspaceRow &r, std::array<int, 5> *fieldEnd)
{
    QString s;
    s.reserve(r.name.size() + r.id.size() + r.instanceId.size() + r.runtime.size() + r.status.size()
              + 4);
    for (const QString *value : { &r.name, &r.id, &r.instanceId, &r.runtime, &r.status }) {
        if (value != &r.name)
            s += kSeparator;
        // Neither the separator nor a line break may come from the data: both delimit.
        if (value->contains(kSeparator) || value->contains(u'\n'))
            s += QString(*value).remove(kSeparator).replace(u'\n', u' ');
        else
            s += *value;
    }
    QByteArray text = std::move(s).toCaseFolded().toUtf8();
    // Positions are found after folding and encoding, which may change lengths.
    size_t field = 0;
    for (qsizetype i = 0; i < text.size() && field < 4; ++i) {
        if (text.at(i) == '\x1f')
            (*fieldEnd)[field++] = int(i);
    }
    (*fieldEnd)[4] = int(text.size());
    return text;
}

WorkspaceModel::Keys WorkspaceModel::buildKeys(const Item &item)
{
    Keys keys;
    keys.updated = timeKey(item.row.updatedAt);
    keys.tier = item.row.tier;
    keys.live = quint8(liveRank(item.live));
    keys.busy = item.live.busy;
    return keys;
}

std::string_view WorkspaceModel::rowText(int index) const
{
    const Keys &k = m_keys[size_t(index)];
    return std::string_view(m_text.constData() + k.start, size_t(k.fieldEnd[4]));
}

std::string_view WorkspaceModel::field(int index, Field f) const
{
    const Keys &k = m_keys[size_t(index)];
    const int start = f == NameField ? 0 : k.fieldEnd[size_t(f) - 1] + 1;
    return std::string_view(m_text.constData() + k.start + start,
                            size_t(k.fieldEnd[size_t(f)] - start));
}

void WorkspaceModel::setRows(QVector<WorkspaceRow> rows)
{
    beginResetModel();
    // Live status and pins outlive a reload: they are not in the database.
    QHash<QString, std::pair<LiveStatus, bool>> kept;
    for (const Item &item : m_rows) {
        if (item.live.checked || item.live.busy || item.pinned)
            kept.insert(item.row.id, { item.live, item.pinned });
    }
    m_rows.clear();
    m_rows.reserve(rows.size());
    m_index.clear();
    m_index.reserve(rows.size());
    for (WorkspaceRow &row : rows) {
        const auto existing = m_index.constFind(row.id);
        if (existing != m_index.constEnd()) { // a duplicate ID: the later row wins
            m_rows[*existing].row = std::move(row);
            continue;
        }
        m_index.insert(row.id, int(m_rows.size()));
        Item item;
        item.row = std::move(row);
        if (const auto k = kept.constFind(item.row.id); k != kept.constEnd()) {
            item.live = k->first;
            item.pinned = k->second;
        }
        m_rows.push_back(std::move(item));
    }
    m_keys.clear();
    m_keys.reserve(m_rows.size());
    m_text.clear();
    m_text.reserve(qsizetype(m_rows.size()) * 96);
    for (const Item &item : m_rows) {
        Keys keys = buildKeys(item);
        keys.start = int(m_text.size());
        m_text += foldedText(item.row, &keys.fieldEnd);
        m_text += '\n';
        m_keys.push_back(keys);
    }
    invalidateRanks();
    m_sorted.resize(m_rows.size());
    std::iota(m_sorted.begin(), m_sorted.end(), 0);
    sortVisible();
    rebuildVisible();
    rebuildPositions();
    recount();
    endResetModel();
    Q_EMIT countsChanged();
}

void WorkspaceModel::upsertRows(const QVector<WorkspaceRow> &rows)
{
    std::vector<int> changed;
    std::vector<int> added;
    for (const WorkspaceRow &row : rows) {
        const auto it = m_index.constFind(row.id);
        if (it != m_index.constEnd()) {
            Item &item = m_rows[*it];
            if (sameRow(item.row, row))
                continue;
            item.row = row;
            const int start = m_keys[size_t(*it)].start;
            m_keys[size_t(*it)] = buildKeys(item);
            m_keys[size_t(*it)].start = start;
            changed.push_back(*it);
        } else {
            m_index.insert(row.id, int(m_rows.size()));
            Item item;
            item.row = row;
            m_keys.push_back(buildKeys(item));
            m_keys.back().start = -1;
            added.push_back(int(m_rows.size()));
            m_rows.push_back(std::move(item));
        }
    }
    if (changed.empty() && added.empty())
        return;
    // The text is rebuilt in row order (a copy for unchanged rows): the filter scans it front
    // to back and relies on the rows' order in it.
    {
        std::vector<char> fresh(m_rows.size());
        for (const int i : changed)
            fresh[size_t(i)] = 1;
        for (const int i : added)
            fresh[size_t(i)] = 1;
        QByteArray text;
        text.reserve(m_text.size() + qsizetype(added.size()) * 96);
        for (size_t i = 0; i < m_rows.size(); ++i) {
            Keys &k = m_keys[i];
            if (fresh[i]) {
                k.start = int(text.size());
                text += foldedText(m_rows[i].row, &k.fieldEnd);
            } else {
                const int oldStart = k.start;
                k.start = int(text.size());
                text.append(m_text.constData() + oldStart, k.fieldEnd[4]);
            }
            text += '\n';
        }
        m_text = std::move(text);
    }
    invalidateRanks();
    recount();
    m_position.resize(m_rows.size(), -1);
    m_sorted.insert(m_sorted.end(), added.begin(), added.end());

    // New rows arrive as one insert at the end, then move to their sorted place below.
    std::vector<int> shown;
    for (const int i : added) {
        if (matches(i))
            shown.push_back(i);
    }
    if (!shown.empty()) {
        const int first = visibleCount();
        beginInsertRows({}, first, first + int(shown.size()) - 1);
        for (const int i : shown) {
            m_position[size_t(i)] = int(m_visible.size());
            m_visible.push_back(i);
        }
        endInsertRows();
    }
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
        const QByteArray term = QString(word).remove(kSeparator).toUtf8();
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
    m_statusCounts.clear();
    m_liveCounts.clear();
    for (const Item &item : m_rows) {
        ++m_statusCounts[item.row.status];
        if (item.live.checked)
            ++m_liveCounts[item.live.state];
    }
}

void WorkspaceModel::setLiveStatus(const QString &id, const LiveStatus &status)
{
    const auto it = m_index.constFind(id);
    if (it == m_index.constEnd())
        return;
    Item &item = m_rows[size_t(*it)];
    const LiveStatus old = item.live;
    item.live = status;
    const quint8 rank = quint8(liveRank(status));
    if (m_keys[size_t(*it)].live != rank)
        liveStateMoved();
    m_keys[size_t(*it)].live = rank;
    m_keys[size_t(*it)].busy = status.busy;
    const bool countsMoved = old.checked != status.checked || old.state != status.state;
    if (countsMoved) {
        if (old.checked && --m_liveCounts[old.state] <= 0)
            m_liveCounts.remove(old.state);
        if (status.checked)
            ++m_liveCounts[status.state];
    }
    m_liveChangedSinceFilter = true;
    if (const int row = m_position[size_t(*it)]; row >= 0)
        Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
    if (countsMoved)
        Q_EMIT countsChanged();
}

LiveStatus WorkspaceModel::liveStatus(const QString &id) const
{
    const auto it = m_index.constFind(id);
    return it == m_index.constEnd() ? LiveStatus {} : m_rows[size_t(*it)].live;
}

void WorkspaceModel::setPinned(const QString &id, bool pinned)
{
    const auto it = m_index.constFind(id);
    if (it == m_index.constEnd() || m_rows[size_t(*it)].pinned == pinned)
        return;
    m_rows[size_t(*it)].pinned = pinned;
    if (const int row = m_position[size_t(*it)]; row >= 0)
        Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1), { PinnedRole });
}

bool WorkspaceModel::isPinned(const QString &id) const
{
    const auto it = m_index.constFind(id);
    return it != m_index.constEnd() && m_rows[size_t(*it)].pinned;
}

const WorkspaceRow *WorkspaceModel::rowById(const QString &id) const
{
    const auto it = m_index.constFind(id);
    return it == m_index.constEnd() ? nullptr : &m_rows[size_t(*it)].row;
}

const WorkspaceRow *WorkspaceModel::rowAt(int visibleRow) const
{
    if (visibleRow < 0 || visibleRow >= visibleCount())
        return nullptr;
    return &m_rows[size_t(m_visible[size_t(visibleRow)])].row;
}

int WorkspaceModel::visibleRowOf(const QString &id) const
{
    const auto it = m_index.constFind(id);
    return it == m_index.constEnd() ? -1 : m_position[size_t(*it)];
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

QString WorkspaceModel::liveToolTip(const Item &item) const
{
    const LiveStatus &live = item.live;
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
    const Item &item = m_rows[size_t(m_visible[size_t(index.row())])];
    const WorkspaceRow &r = item.row;
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case NameColumn:
            return r.name;
        case IdColumn:
            return r.id;
        case StatusColumn:
            return r.status;
        case LiveColumn: {
            const LiveStatus &live = item.live;
            if (live.busy) {
                const QString label = live.busyLabel.isEmpty() ? tr("working") : live.busyLabel;
                return label.endsWith(u'…') ? label : label + u'…';
            }
            if (!live.checked)
                return QStringLiteral("—");
            if (live.state == RunState::Unknown)
                return live.reason.isEmpty() ? tr("unknown") : tr("unknown (%1)").arg(live.reason);
            return runStateLabel(live.state);
        }
        case InstanceColumn:
            return r.instanceId;
        case RuntimeColumn:
            return r.runtime;
        case TierColumn:
            return r.tier;
        case ProviderColumn:
            return r.provider;
        case UpdatedColumn:
            return dateText(r.updatedAt);
        }
        break;
    case Qt::ToolTipRole:
        switch (column) {
        case LiveColumn:
            return liveToolTip(item);
        case StatusColumn:
            if (!r.lastSampleError.isEmpty())
                return tr("%1 — last error: %2").arg(r.status, r.lastSampleError);
            if (!r.status.isEmpty() && !knownWorkspaceStatuses().contains(r.status))
                return tr("%1 — not a status this version knows").arg(r.status);
            return {};
        case InstanceColumn:
            return r.instanceId.isEmpty() ? tr("no instance ID on file: nothing to act on")
                                          : QVariant();
        case UpdatedColumn:
            return tr("updated %1\ncreated %2\nlast heartbeat %3")
                .arg(r.updatedAt.isValid() ? r.updatedAt.toString(Qt::ISODate) : tr("unknown"),
                     r.createdAt.isValid() ? r.createdAt.toString(Qt::ISODate) : tr("unknown"),
                     r.lastHeartbeatAt.isValid() ? r.lastHeartbeatAt.toString(Qt::ISODate)
                                                 : tr("never"));
        default:
            return {};
        }
    case Qt::TextAlignmentRole:
        if (column == TierColumn)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case WorkspaceIdRole:
        return r.id;
    case RunStateRole:
        return item.live.checked ? int(item.live.state) : -1;
    case LiveStatusRole:
        return QVariant::fromValue(item.live);
    case PinnedRole:
        return item.pinned;
    case SortRole:
        switch (column) {
        case NameColumn:
            return r.name;
        case IdColumn:
            return r.id;
        case StatusColumn:
            return r.status;
        case LiveColumn:
            return liveRank(item.live);
        case InstanceColumn:
            return r.instanceId;
        case RuntimeColumn:
            return r.runtime;
        case TierColumn:
            return r.tier;
        case ProviderColumn:
            return r.provider;
        case UpdatedColumn:
            return r.updatedAt;
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
