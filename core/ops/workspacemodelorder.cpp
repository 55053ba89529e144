// Filtering and sorting of WorkspaceModel: which rows are visible and in what order, and the
// layout change that publishes them. The data and bookkeeping are in workspacemodel.cpp.
#include "workspacemodel.h"

#include "bytesearch.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <numeric>

namespace cpc {

namespace {
// What the live column says, by liveRank(), for the filter.
constexpr std::string_view kLiveWords[] = { "running", "not running", "unknown", "" };
} // namespace

void WorkspaceModel::setLiveFilter(LiveFilter filter)
{
    if (filter == m_liveFilter)
        return;
    m_liveFilter = filter;
    relayout(Relayout::Refilter);
}

void WorkspaceModel::liveStateMoved()
{
    if (m_liveFilter == LiveFilter::Any || m_liveRefilterPosted)
        return;
    // A page of answers arrives in one burst: one refilter for all of them.
    m_liveRefilterPosted = true;
    QMetaObject::invokeMethod(
        this,
        [this] {
            m_liveRefilterPosted = false;
            if (m_liveFilter != LiveFilter::Any)
                relayout(Relayout::Refilter);
        },
        Qt::QueuedConnection);
}

bool WorkspaceModel::matches(int index) const
{
    const Keys &k = m_keys[size_t(index)];
    if (m_liveFilter != LiveFilter::Any && int(k.live) != int(m_liveFilter))
        return false;
    if (!m_statusKeys.empty()) {
        const std::string_view status = field(index, StatusField);
        if (std::none_of(m_statusKeys.begin(), m_statusKeys.end(), [status](const QByteArray &s) {
                return std::string_view(s.constData(), size_t(s.size())) == status;
            }))
            return false;
    }
    return matchesTerms(index, m_terms);
}

bool WorkspaceModel::matchesTerms(int index, const std::vector<QByteArray> &terms) const
{
    const Keys &k = m_keys[size_t(index)];
    if (terms.empty())
        return true;
    QByteArray busyLabel;
    std::string_view live = kLiveWords[size_t(qBound(0, int(k.live), 3))];
    if (k.busy) {
        busyLabel = liveOf(index).busyLabel.toCaseFolded().toUtf8();
        live = std::string_view(busyLabel.constData(), size_t(busyLabel.size()));
    }
    const std::string_view haystack = rowText(index);
    for (const QByteArray &term : terms) {
        const std::string_view needle(term.constData(), size_t(term.size()));
        if (haystack.find(needle) == std::string_view::npos
            && live.find(needle) == std::string_view::npos)
            return false;
    }
    return true;
}

QStringList WorkspaceModel::search(const QString &text, int limit) const
{
    const std::vector<QByteArray> terms = filterTerms(text);
    const QByteArray prefix = text.trimmed().toCaseFolded().toUtf8();
    QStringList first, rest;
    if (terms.empty() || limit <= 0)
        return first;
    // The text is searched front to back as the filter does (memchr speed); then the rows are
    // taken in sort order, reading only the found ones' names.
    std::vector<char> hit(size_t(m_table.size()), 1);
    markTerms(terms, &hit);
    const std::string_view wanted(prefix.constData(), size_t(prefix.size()));
    for (const int i : m_sorted) {
        if (!hit[size_t(i)])
            continue;
        if (field(i, NameField).substr(0, wanted.size()) == wanted) {
            first.append(m_table.id(i));
            if (first.size() >= limit)
                break;
        } else if (first.size() + rest.size() < limit) {
            rest.append(m_table.id(i));
        }
    }
    first += rest;
    return first.mid(0, limit);
}

QStringList WorkspaceModel::idsNamed(const QString &name) const
{
    QStringList out;
    // Compared on the folded names the filter searches (spaces around them ignored).
    const QByteArray folded = name.trimmed().toCaseFolded().toUtf8();
    const std::string_view wanted(folded.constData(), size_t(folded.size()));
    const auto trimmed = [](std::string_view s) {
        while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
            s.remove_prefix(1);
        while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
            s.remove_suffix(1);
        return s;
    };
    for (int i = 0; i < m_table.size(); ++i) {
        if (trimmed(field(i, NameField)) == wanted)
            out << m_table.id(i);
    }
    return out;
}

void WorkspaceModel::markTerms(const std::vector<QByteArray> &terms, std::vector<char> *hit) const
{
    const size_t n = size_t(m_table.size());
    if (terms.empty() || n == 0)
        return;
    // One search through all rows' text per word: a row is found by where the match lies, and
    // the search goes on from the next row. Rows that do not match are skipped at memchr speed.
    const std::string_view all = m_table.searchText();
    std::vector<char> found(n);
    for (const QByteArray &term : terms) {
        const std::string_view needle(term.constData(), size_t(term.size()));
        std::fill(found.begin(), found.end(), 0);
        size_t row = 0;
        size_t pos = 0;
        // findBytes, not string_view::find or memmem: a frequent first byte ("a") would stop
        // find at every second byte, and memmem reads a short needle a byte at a time.
        const auto next = [&](size_t from) -> size_t {
            if (from >= all.size())
                return std::string_view::npos;
            const size_t at = findBytes(all.substr(from), needle);
            return at == std::string_view::npos ? at : from + at;
        };
        while ((pos = next(pos)) != std::string_view::npos) {
            // Galloping forward: a rare word skips many rows between two matches.
            size_t step = 1;
            while (row + step < n && size_t(m_table.searchStart(int(row + step))) <= pos) {
                row += step;
                step *= 2;
            }
            while (step > 1) {
                step /= 2;
                if (row + step < n && size_t(m_table.searchStart(int(row + step))) <= pos)
                    row += step;
            }
            found[row] = 1;
            pos = row + 1 < n ? size_t(m_table.searchStart(int(row + 1))) : all.size();
        }
        bool liveHas[4];
        for (size_t c = 0; c < 4; ++c)
            liveHas[c] = !needle.empty() && kLiveWords[c].find(needle) != std::string_view::npos;
        for (size_t i = 0; i < n; ++i) {
            if (!(*hit)[i] || found[i])
                continue;
            const Keys &k = m_keys[i];
            if (k.busy) {
                const QByteArray label = liveOf(int(i)).busyLabel.toCaseFolded().toUtf8();
                (*hit)[i] = std::string_view(label.constData(), size_t(label.size())).find(needle)
                    != std::string_view::npos;
            } else {
                (*hit)[i] = liveHas[size_t(qBound(0, int(k.live), 3))];
            }
        }
    }
}

std::vector<char> WorkspaceModel::matchAll() const
{
    const size_t n = size_t(m_table.size());
    std::vector<char> hit(n, 1);
    if (m_liveFilter != LiveFilter::Any) {
        for (size_t i = 0; i < n; ++i)
            hit[i] = int(m_keys[i].live) == int(m_liveFilter);
    }
    if (!m_statusKeys.empty()) {
        for (size_t i = 0; i < n; ++i) {
            const std::string_view status = field(int(i), StatusField);
            hit[i] = hit[i]
                && std::any_of(
                         m_statusKeys.begin(), m_statusKeys.end(), [status](const QByteArray &s) {
                             return std::string_view(s.constData(), size_t(s.size())) == status;
                         });
        }
    }
    markTerms(m_terms, &hit);
    return hit;
}

void WorkspaceModel::rebuildVisible()
{
    m_visible.clear();
    if (m_terms.empty() && m_statusKeys.empty() && m_liveFilter == LiveFilter::Any) {
        m_visible = m_sorted;
    } else {
        const std::vector<char> hit = matchAll();
        m_visible.reserve(m_sorted.size());
        for (const int i : m_sorted) {
            if (hit[size_t(i)])
                m_visible.push_back(i);
        }
    }
    m_liveChangedSinceFilter = false;
}

void WorkspaceModel::rebuildPositions()
{
    m_position.assign(size_t(m_table.size()), -1);
    for (size_t row = 0; row < m_visible.size(); ++row)
        m_position[size_t(m_visible[row])] = int(row);
}

WorkspaceModel::Field WorkspaceModel::textField(int column)
{
    switch (column) {
    case IdColumn:
        return IdField;
    case StatusColumn:
        return StatusField;
    case InstanceColumn:
        return InstanceField;
    case RuntimeColumn:
        return RuntimeField;
    default:
        return NameField;
    }
}

qint64 WorkspaceModel::updatedKey(int index) const
{
    // Unknown (never, or malformed) sorts first ascending; +1 keeps negation in range.
    const qint64 ms = m_table.msecs(index, RawRow::UpdatedAt);
    return ms == RawRow::kNoTime ? std::numeric_limits<qint64>::min() + 1 : ms;
}

void WorkspaceModel::invalidateRanks()
{
    for (auto &r : m_ranks)
        r.clear();
}

bool WorkspaceModel::rankNamesFromOrder(std::vector<int> *ranks) const
{
    // After a load the rows are in name order already (merged batch by batch): the ranks come
    // from one walk over that order instead of a sort of a million names, when the walk shows
    // it really is that order (ascending, or descending walked backwards).
    const size_t n = size_t(m_table.size());
    if (n == 0 || m_sorted.size() != n)
        return false;
    const bool backwards = m_sortColumn == NameColumn && m_sortOrder == Qt::DescendingOrder;
    const auto at = [&](size_t k) {
        return size_t(m_sorted[backwards ? n - 1 - k : k]);
    };
    const bool prefixed = m_namePrefix.size() == n;
    ranks->resize(n);
    int r = 0;
    (*ranks)[at(0)] = 0;
    for (size_t k = 1; k < n; ++k) {
        const size_t a = at(k - 1);
        const size_t b = at(k);
        int c = 0;
        if (prefixed && m_namePrefix[a] != m_namePrefix[b])
            c = m_namePrefix[a] < m_namePrefix[b] ? -1 : 1;
        else if (!prefixed || (m_namePrefix[a][1] & 0xff) >= 16)
            c = field(int(a), NameField).compare(field(int(b), NameField));
        if (c > 0) { // not in name order: the ranks are sorted for
            ranks->clear();
            return false;
        }
        if (c < 0)
            ++r;
        (*ranks)[b] = r;
    }
    return true;
}

const std::vector<int> &WorkspaceModel::rank(int column) const
{
    std::vector<int> &ranks = m_ranks[size_t(column)];
    if (ranks.size() == size_t(m_table.size()))
        return ranks;
    const size_t n = size_t(m_table.size());
    if (column == NameColumn && rankNamesFromOrder(&ranks))
        return ranks;
    // Interned columns: the words' ranks, looked up per row (no string compare at all).
    if (column == StatusColumn || column == RuntimeColumn || column == ProviderColumn) {
        const std::vector<int> words = m_table.foldedWordRanks();
        const auto which = column == StatusColumn ? WorkspaceTable::StatusWord
            : column == RuntimeColumn             ? WorkspaceTable::RuntimeWord
                                                  : WorkspaceTable::ProviderWord;
        ranks.resize(n);
        for (size_t i = 0; i < n; ++i)
            ranks[i] = words[m_table.wordOf(int(i), which)];
        return ranks;
    }
    std::vector<std::string_view> keys(n);
    const Field f = textField(column);
    if (column == ProviderColumn) {
        for (size_t i = 0; i < n; ++i)
            keys[i] = m_table.foldedProvider(int(i));
    } else {
        for (size_t i = 0; i < n; ++i)
            keys[i] = field(int(i), f);
    }
    // Sorted on the first eight bytes packed into an integer, the rest compared only on a tie:
    // most comparisons are one integer compare instead of a call to memcmp.
    struct Prefixed
    {
        quint64 prefix;
        int index;
    };
    std::vector<Prefixed> order(n);
    for (size_t i = 0; i < n; ++i) {
        quint64 prefix = 0;
        const std::string_view key = keys[i];
        for (size_t b = 0; b < 8; ++b)
            prefix = (prefix << 8) | (b < key.size() ? quint8(key[b]) : 0u);
        order[i] = { prefix, int(i) };
    }
    const auto tail = [&keys](int i) {
        const std::string_view key = keys[size_t(i)];
        return key.size() > 8 ? key.substr(8) : std::string_view();
    };
    const auto less = [&](const Prefixed &a, const Prefixed &b) {
        if (a.prefix != b.prefix)
            return a.prefix < b.prefix;
        return tail(a.index) < tail(b.index);
    };
    std::sort(order.begin(), order.end(), less);
    ranks.assign(n, 0);
    int r = 0;
    for (size_t k = 0; k < n; ++k) {
        if (k > 0
            && (order[k].prefix != order[k - 1].prefix
                || tail(order[k].index) != tail(order[k - 1].index)))
            ++r;
        ranks[size_t(order[k].index)] = r;
    }
    return ranks;
}

void WorkspaceModel::sortVisible()
{
    const size_t n = size_t(m_table.size());
    if (m_sortColumn < 0) { // unsorted: the order the rows came in
        m_sorted.resize(n);
        std::iota(m_sorted.begin(), m_sorted.end(), 0);
        return;
    }
    // Sorted on prebuilt integer keys: (column's key, name, position in the source). Ties on
    // the column fall back to the name ascending in both orders and then to the source order,
    // so the sort is stable and the same rows always come out in the same order.
    const std::vector<int> &names = rank(NameColumn);
    const std::vector<int> *ranks = nullptr;
    switch (m_sortColumn) {
    case IdColumn:
    case StatusColumn:
    case InstanceColumn:
    case RuntimeColumn:
    case ProviderColumn:
        ranks = &rank(m_sortColumn);
        break;
    default:
        break;
    }
    std::vector<qint64> primary(n);
    qint64 lo = std::numeric_limits<qint64>::max();
    qint64 hi = std::numeric_limits<qint64>::min();
    for (size_t i = 0; i < n; ++i) {
        qint64 p = 0;
        switch (m_sortColumn) {
        case NameColumn:
            p = names[i];
            break;
        case TierColumn:
            p = m_table.tier(int(i));
            break;
        case UpdatedColumn:
            p = updatedKey(int(i));
            break;
        case LiveColumn:
            p = m_keys[i].live;
            break;
        default:
            p = (*ranks)[i];
            break;
        }
        primary[i] = m_sortOrder == Qt::DescendingOrder ? -p : p;
        lo = std::min(lo, primary[i]);
        hi = std::max(hi, primary[i]);
    }
    m_sorted.resize(n);
    if (n == 0)
        return;
    // Both kinds of key are sorted stably over the name order (by a counting sort on the name
    // ranks), which leaves ties in (name, position) order.
    const auto countingSort
        = [](const std::vector<int> &order, const auto &keyOf, qint64 low, qint64 high) {
              std::vector<int> starts(size_t(high - low + 2), 0);
              for (const int i : order)
                  ++starts[size_t(keyOf(i) - low + 1)];
              for (size_t k = 1; k < starts.size(); ++k)
                  starts[k] += starts[k - 1];
              std::vector<int> out(order.size());
              for (const int i : order)
                  out[size_t(starts[size_t(keyOf(i) - low)]++)] = i;
              return out;
          };
    std::vector<int> positions(n);
    std::iota(positions.begin(), positions.end(), 0);
    const int maxName = *std::max_element(names.begin(), names.end());
    std::vector<int> byName = countingSort(
        positions, [&names](int i) { return qint64(names[size_t(i)]); }, 0, maxName);
    const quint64 span = quint64(hi) - quint64(lo); // unsigned: times span the range
    // Dense keys (ranks, live, a sane tier): one more counting sort, O(n).
    if (span <= quint64(2 * n + 16)) {
        m_sorted = countingSort(
            byName, [&primary](int i) { return primary[size_t(i)]; }, lo, hi);
        return;
    }
    // Sparse keys (times): a stable radix sort, 11 bits a pass, of (key, row) pairs kept
    // together so that every pass reads in order: a year of milliseconds is four passes.
    struct Item
    {
        quint64 key;
        int index;
    };
    std::vector<Item> items(n);
    for (size_t k = 0; k < n; ++k) {
        const int i = byName[k];
        items[k] = { quint64(primary[size_t(i)]) - quint64(lo), i };
    }
    byName = {};
    std::vector<Item> scratch(n);
    constexpr int kDigitBits = 11;
    constexpr quint64 kDigitMask = (quint64(1) << kDigitBits) - 1;
    const int bits = 64 - __builtin_clzll(span); // span > 0 here
    for (int shift = 0; shift < bits; shift += kDigitBits) {
        std::array<size_t, (size_t(1) << kDigitBits) + 1> starts {};
        for (const Item &item : items)
            ++starts[((item.key >> shift) & kDigitMask) + 1];
        for (size_t d = 1; d < starts.size(); ++d)
            starts[d] += starts[d - 1];
        for (const Item &item : items)
            scratch[starts[(item.key >> shift) & kDigitMask]++] = item;
        items.swap(scratch);
    }
    for (size_t k = 0; k < n; ++k)
        m_sorted[k] = items[k].index;
}

bool WorkspaceModel::lessInOrder(int a, int b) const
{
    if (m_sortColumn < 0)
        return a < b;
    const auto compare = [](auto x, auto y) {
        return x < y ? -1 : y < x ? 1 : 0;
    };
    int c = 0;
    switch (m_sortColumn) {
    case TierColumn:
        c = compare(m_table.tier(a), m_table.tier(b));
        break;
    case UpdatedColumn:
        c = compare(updatedKey(a), updatedKey(b));
        break;
    case LiveColumn:
        c = compare(m_keys[size_t(a)].live, m_keys[size_t(b)].live);
        break;
    case ProviderColumn:
        c = compare(m_table.foldedProvider(a), m_table.foldedProvider(b));
        break;
    default:
        c = compare(field(a, textField(m_sortColumn)), field(b, textField(m_sortColumn)));
        break;
    }
    if (m_sortOrder == Qt::DescendingOrder)
        c = -c;
    if (c != 0)
        return c < 0;
    if (const int n = compare(field(a, NameField), field(b, NameField)); n != 0)
        return n < 0;
    return a < b;
}

void WorkspaceModel::relayout(Relayout how)
{
    Q_EMIT layoutAboutToBeChanged({},
                                  how == Relayout::Sort ? QAbstractItemModel::VerticalSortHint
                                                        : QAbstractItemModel::NoLayoutChangeHint);
    const QModelIndexList before = persistentIndexList();
    std::vector<int> items;
    items.reserve(size_t(before.size()));
    for (const QModelIndex &index : before) {
        const bool valid = index.row() >= 0 && index.row() < visibleCount();
        items.push_back(valid ? m_visible[size_t(index.row())] : -1);
    }

    switch (how) {
    case Relayout::Sort: {
        sortVisible();
        std::vector<int> visible;
        visible.reserve(m_visible.size());
        for (const int i : m_sorted) {
            if (m_position[size_t(i)] >= 0)
                visible.push_back(i);
        }
        m_visible = std::move(visible);
        break;
    }
    case Relayout::Refine: {
        // Rows only leave: the order is kept, nothing is sorted or merged.
        const std::vector<char> hit = matchAll();
        m_visible.erase(std::remove_if(m_visible.begin(), m_visible.end(),
                                       [&hit](int i) { return !hit[size_t(i)]; }),
                        m_visible.end());
        break;
    }
    case Relayout::Refilter:
        rebuildVisible();
        break;
    case Relayout::SortAndRefilter:
        sortVisible();
        rebuildVisible();
        break;
    }
    rebuildPositions();

    QModelIndexList after;
    after.reserve(before.size());
    for (qsizetype k = 0; k < before.size(); ++k) {
        const int item = items[size_t(k)];
        const int row = item >= 0 ? m_position[size_t(item)] : -1;
        after.append(row >= 0 ? createIndex(row, before[k].column()) : QModelIndex());
    }
    changePersistentIndexList(before, after);
    Q_EMIT layoutChanged({},
                         how == Relayout::Sort ? QAbstractItemModel::VerticalSortHint
                                               : QAbstractItemModel::NoLayoutChangeHint);
}

} // namespace cpc
