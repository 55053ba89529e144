#include "workspacetable.h"

#include <algorithm>
#include <cstring>
#include <numeric>

namespace cpc {

namespace {

constexpr char kSeparator = '\x1f';

size_t column(WorkspaceTable::Field f)
{
    switch (f) {
    case WorkspaceTable::NameField:
        return RawRow::Name;
    case WorkspaceTable::IdField:
        return RawRow::Id;
    case WorkspaceTable::InstanceField:
        return RawRow::InstanceId;
    case WorkspaceTable::RuntimeField:
        return RawRow::Runtime;
    case WorkspaceTable::StatusField:
    case WorkspaceTable::FieldCount:
        break;
    }
    return RawRow::Status;
}

std::string_view view(QByteArrayView v)
{
    return { v.data(), size_t(v.size()) };
}

/// Appends the search form of `text`: case-folded, without the separator, line breaks as
/// spaces, at most kMaxSearchField bytes cut on a character boundary.
void appendFolded(BigVector<char> &out, std::string_view text)
{
    const bool ascii
        = std::all_of(text.begin(), text.end(), [](char c) { return quint8(c) < 0x80; });
    if (ascii) {
        // Written through a pointer into room made once: a push_back per byte checked the
        // capacity each time (a million rows' text is 90 MB).
        const size_t start = out.size();
        out.resize(start + std::min(text.size(), size_t(WorkspaceTable::kMaxSearchField)));
        char *to = out.data() + start;
        char *const end = out.data() + out.size();
        for (const char c : text) {
            if (to == end)
                break;
            if (c == kSeparator)
                continue;
            *to++ = c == '\n' ? ' ' : (c >= 'A' && c <= 'Z') ? char(c + 32) : c;
        }
        out.resize(size_t(to - out.data()));
        return;
    }
    QString s = QString::fromUtf8(text.data(), qsizetype(text.size()));
    s.remove(QChar(kSeparator)).replace(u'\n', u' ');
    const QByteArray folded = std::move(s).toCaseFolded().toUtf8();
    qsizetype n = std::min<qsizetype>(folded.size(), WorkspaceTable::kMaxSearchField);
    while (n < folded.size() && n > 0 && (quint8(folded[n]) & 0xC0) == 0x80)
        --n; // never end inside a character
    out.insert(out.end(), folded.constData(), folded.constData() + n);
}

void putVarint(BigVector<char> &out, quint64 v)
{
    while (v >= 0x80) {
        out.push_back(char(quint8(v) | 0x80));
        v >>= 7;
    }
    out.push_back(char(v));
}

quint64 getVarint(const char *&p)
{
    quint64 v = 0;
    int shift = 0;
    while (quint8(*p) & 0x80) {
        v |= quint64(quint8(*p++) & 0x7F) << shift;
        shift += 7;
    }
    v |= quint64(quint8(*p++)) << shift;
    return v;
}

void putString(BigVector<char> &out, std::string_view s)
{
    putVarint(out, s.size());
    out.insert(out.end(), s.begin(), s.end());
}

size_t hashOf(std::string_view id)
{
    return qHashBits(id.data(), id.size(), 0x5eed);
}

/// The bits of a hash that its bucket's position does not already say (up to 4 G buckets).
quint32 tagOf(size_t hash)
{
    return quint32(quint64(hash) >> 32);
}

QString text(std::string_view s)
{
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

RawRow rawFrom(const WorkspaceRow &row, std::array<QByteArray, RawRow::TextCount> &utf8)
{
    utf8 = { row.id.toUtf8(),      row.name.toUtf8(),
             row.role.toUtf8(),    row.status.toUtf8(),
             row.runtime.toUtf8(), row.instanceId.toUtf8(),
             row.url.toUtf8(),     row.lastSampleError.toUtf8(),
             row.provider.toUtf8() };
    RawRow raw;
    for (size_t i = 0; i < utf8.size(); ++i)
        raw.text[i] = utf8[i];
    auto ms = [](const QDateTime &at) {
        return at.isValid() ? at.toMSecsSinceEpoch() : RawRow::kNoTime;
    };
    raw.msecs = { ms(row.lastHeartbeatAt), ms(row.createdAt), ms(row.updatedAt) };
    raw.tier = row.tier;
    return raw;
}

QDateTime timeOf(qint64 ms)
{
    return ms == RawRow::kNoTime ? QDateTime() : QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC);
}

} // namespace

WorkspaceTable WorkspaceTable::forTransfer()
{
    WorkspaceTable t;
    t.m_indexed = false;
    return t;
}

void WorkspaceTable::reserve(qsizetype rows)
{
    m_rows.reserve(size_t(rows));
    // The text buffers by what the rows so far hold on average (96 and 40 bytes to start).
    const size_t searchPerRow = m_rows.empty() ? 96 : m_search.size() / m_rows.size() + 1;
    const size_t extraPerRow = m_rows.empty() ? 40 : m_extra.size() / m_rows.size() + 1;
    m_search.reserve(size_t(rows) * searchPerRow);
    m_extra.reserve(size_t(rows) * extraPerRow);
    if (m_indexed && m_buckets.size() < size_t(rows) * 2)
        rehash(size_t(rows) * 2);
}

void WorkspaceTable::clear()
{
    *this = WorkspaceTable();
}

quint32 WorkspaceTable::intern(std::string_view text)
{
    if (m_words.empty()) {
        m_words.emplace_back();
        m_wordBytes.emplace_back();
        m_wordFolded.emplace_back();
        m_wordIndex.insert(QByteArray(), 0);
    }
    if (text.empty())
        return 0;
    const QByteArray key = QByteArray::fromRawData(text.data(), qsizetype(text.size()));
    if (const auto it = m_wordIndex.constFind(key); it != m_wordIndex.constEnd())
        return *it;
    const quint32 id = quint32(m_words.size());
    const QByteArray owned(text.data(), qsizetype(text.size()));
    m_words.push_back(QString::fromUtf8(owned));
    m_wordBytes.push_back(owned);
    m_wordFolded.push_back(m_words.back().toCaseFolded().toUtf8());
    m_wordIndex.insert(owned, id);
    return id;
}

WorkspaceTable::Packed WorkspaceTable::pack(const RawRow &raw)
{
    Packed p;
    p.text = qint64(m_search.size());
    for (int f = 0; f < FieldCount; ++f) {
        if (f > 0)
            m_search.push_back(kSeparator);
        const std::string_view value = view(raw.text[column(Field(f))]);
        const size_t before = m_search.size();
        appendFolded(m_search, value);
        p.ends[size_t(f)] = quint16(qint64(m_search.size()) - p.text);
        // (An empty view may have no data pointer at all: memcmp must not see it.)
        const bool same = m_search.size() - before == value.size()
            && (value.empty()
                || std::memcmp(m_search.data() + before, value.data(), value.size()) == 0);
        if (!same && f <= InstanceField)
            p.own |= quint8(1u << (f == NameField ? OwnName : f == IdField ? OwnId : OwnInstance));
    }
    m_search.push_back('\n');
    p.extra = qint64(m_extra.size());
    if (p.own & (1u << OwnName))
        putString(m_extra, view(raw.text[RawRow::Name]));
    if (p.own & (1u << OwnId))
        putString(m_extra, view(raw.text[RawRow::Id]));
    if (p.own & (1u << OwnInstance))
        putString(m_extra, view(raw.text[RawRow::InstanceId]));
    putString(m_extra, view(raw.text[RawRow::Url]));
    putString(m_extra, view(raw.text[RawRow::LastSampleError]));
    p.role = intern(view(raw.text[RawRow::Role]));
    p.status = intern(view(raw.text[RawRow::Status]));
    p.runtime = intern(view(raw.text[RawRow::Runtime]));
    p.provider = intern(view(raw.text[RawRow::Provider]));
    p.tier = raw.tier;
    p.msecs = raw.msecs;
    return p;
}

int WorkspaceTable::append(const RawRow &raw)
{
    if (!m_indexed) { // a batch in transit: appendTable() resolves repeated IDs
        m_rows.push_back(pack(raw));
        return size() - 1;
    }
    const std::string_view id = view(raw.text[RawRow::Id]);
    const size_t hash = hashOf(id);
    if (const int existing = find(id, hash); existing >= 0) {
        replaceRaw(existing, raw);
        return existing;
    }
    m_rows.push_back(pack(raw));
    indexInsert(size() - 1, hash);
    return size() - 1;
}

int WorkspaceTable::append(const WorkspaceRow &row)
{
    std::array<QByteArray, RawRow::TextCount> utf8;
    return append(rawFrom(row, utf8));
}

void WorkspaceTable::replace(int index, const WorkspaceRow &row)
{
    std::array<QByteArray, RawRow::TextCount> utf8;
    replaceRaw(index, rawFrom(row, utf8));
}

void WorkspaceTable::replaceRaw(int index, const RawRow &raw)
{
    const bool sameId = idBytes(index) == view(raw.text[RawRow::Id]);
    m_rows[size_t(index)] = pack(raw);
    m_searchOrdered = false; // the row's text is at the end now
    if (!sameId)
        rehash(m_buckets.size());
}

std::vector<int> WorkspaceTable::appendTable(const WorkspaceTable &batch)
{
    std::vector<int> added;
    if (batch.isEmpty())
        return added;
    // Grown geometrically: a load appends a dozen batches, and reserving just enough for each
    // would copy the whole table each time.
    if (m_rows.capacity() < m_rows.size() + size_t(batch.size()))
        reserve(std::max<qsizetype>(size() + batch.size(), qsizetype(m_rows.capacity()) * 2));
    const qint64 textBase = qint64(m_search.size());
    const qint64 extraBase = qint64(m_extra.size());
    m_search.insert(m_search.end(), batch.m_search.begin(), batch.m_search.end());
    m_extra.insert(m_extra.end(), batch.m_extra.begin(), batch.m_extra.end());
    std::vector<quint32> words(batch.m_words.size());
    for (size_t w = 0; w < words.size(); ++w)
        words[w]
            = intern({ batch.m_wordBytes[w].constData(), size_t(batch.m_wordBytes[w].size()) });
    if (!batch.m_searchOrdered)
        m_searchOrdered = false;
    added.reserve(size_t(batch.size()));
    for (int i = 0; i < batch.size(); ++i) {
        Packed p = batch.m_rows[size_t(i)];
        p.text += textBase;
        p.extra += extraBase;
        p.role = words[p.role];
        p.status = words[p.status];
        p.runtime = words[p.runtime];
        p.provider = words[p.provider];
        const std::string_view id = batch.idBytes(i);
        const size_t hash = hashOf(id);
        if (const int existing = find(id, hash); existing >= 0) {
            m_rows[size_t(existing)] = p; // the later row wins; its text is out of order now
            m_searchOrdered = false;
            continue;
        }
        m_rows.push_back(p);
        indexInsert(size() - 1, hash);
        added.push_back(size() - 1);
    }
    finishEdits();
    return added;
}

void WorkspaceTable::finishEdits()
{
    if (!m_searchOrdered)
        compactSearch();
}

void WorkspaceTable::compactSearch()
{
    BigVector<char> text;
    text.reserve(m_search.size());
    for (Packed &p : m_rows) {
        const char *from = m_search.data() + p.text;
        p.text = qint64(text.size());
        text.insert(text.end(), from, from + p.ends[StatusField] + 1); // with its '\n'
    }
    m_search = std::move(text);
    m_searchOrdered = true;
}

std::string_view WorkspaceTable::original(int index, OwnField f) const
{
    const Packed &p = m_rows[size_t(index)];
    const char *at = m_extra.data() + p.extra;
    for (int k = OwnName; k <= OwnError; ++k) {
        const bool present = k >= OwnUrl || (p.own & (1u << k));
        if (!present)
            continue;
        const size_t n = size_t(getVarint(at));
        if (k == f)
            return { at, n };
        at += n;
    }
    return {};
}

std::string_view WorkspaceTable::idBytes(int index) const
{
    return (m_rows[size_t(index)].own & (1u << OwnId)) ? original(index, OwnId)
                                                       : searchField(index, IdField);
}

std::string_view WorkspaceTable::instanceBytes(int index) const
{
    return (m_rows[size_t(index)].own & (1u << OwnInstance)) ? original(index, OwnInstance)
                                                             : searchField(index, InstanceField);
}

std::string_view WorkspaceTable::foldedProvider(int index) const
{
    const QByteArray &f = m_wordFolded[m_rows[size_t(index)].provider];
    return { f.constData(), size_t(f.size()) };
}

quint32 WorkspaceTable::wordOf(int index, Word which) const
{
    const Packed &p = m_rows[size_t(index)];
    switch (which) {
    case RoleWord:
        return p.role;
    case StatusWord:
        return p.status;
    case RuntimeWord:
        return p.runtime;
    case ProviderWord:
        break;
    }
    return p.provider;
}

std::vector<int> WorkspaceTable::foldedWordRanks() const
{
    std::vector<int> order(m_wordFolded.size());
    std::iota(order.begin(), order.end(), 0);
    const auto folded = [this](int w) {
        return std::string_view(m_wordFolded[size_t(w)].constData(),
                                size_t(m_wordFolded[size_t(w)].size()));
    };
    std::sort(order.begin(), order.end(), [&](int a, int b) { return folded(a) < folded(b); });
    std::vector<int> ranks(order.size(), 0);
    int r = 0;
    for (size_t k = 0; k < order.size(); ++k) {
        if (k > 0 && folded(order[k]) != folded(order[k - 1]))
            ++r;
        ranks[size_t(order[k])] = r;
    }
    return ranks;
}

QString WorkspaceTable::id(int index) const
{
    return text(idBytes(index));
}

QString WorkspaceTable::name(int index) const
{
    return text((m_rows[size_t(index)].own & (1u << OwnName)) ? original(index, OwnName)
                                                              : searchField(index, NameField));
}

QString WorkspaceTable::instanceId(int index) const
{
    return text(instanceBytes(index));
}

QString WorkspaceTable::url(int index) const
{
    return text(original(index, OwnUrl));
}

QString WorkspaceTable::lastSampleError(int index) const
{
    return text(original(index, OwnError));
}

WorkspaceRow WorkspaceTable::row(int index) const
{
    WorkspaceRow r;
    r.id = id(index);
    r.name = name(index);
    r.role = role(index);
    r.tier = tier(index);
    r.status = status(index);
    r.runtime = runtime(index);
    r.instanceId = instanceId(index);
    r.url = url(index);
    r.lastSampleError = lastSampleError(index);
    r.provider = provider(index);
    r.lastHeartbeatAt = timeOf(msecs(index, RawRow::LastHeartbeatAt));
    r.createdAt = timeOf(msecs(index, RawRow::CreatedAt));
    r.updatedAt = timeOf(msecs(index, RawRow::UpdatedAt));
    return r;
}

int WorkspaceTable::indexOf(QStringView id) const
{
    const QByteArray utf8 = id.toUtf8();
    return indexOf(std::string_view(utf8.constData(), size_t(utf8.size())));
}

int WorkspaceTable::indexOf(std::string_view idUtf8) const
{
    return find(idUtf8, hashOf(idUtf8));
}

int WorkspaceTable::find(std::string_view idUtf8, size_t hash) const
{
    Q_ASSERT(m_indexed);
    if (m_buckets.empty())
        return -1;
    const size_t mask = m_buckets.size() - 1;
    const quint32 tag = tagOf(hash);
    for (size_t b = hash & mask;; b = (b + 1) & mask) {
        const Bucket &bucket = m_buckets[b];
        if (bucket.index < 0)
            return -1;
        // The tag first: a new ID (most of a load) is told apart without reading any row.
        if (bucket.tag == tag && idBytes(bucket.index) == idUtf8)
            return bucket.index;
    }
}

void WorkspaceTable::indexInsert(int index, size_t hash)
{
    if (!m_indexed)
        return;
    if (m_buckets.size() < m_rows.size() * 2) {
        rehash(std::max<size_t>(64, m_rows.size() * 4)); // takes every row in, this one too
        return;
    }
    const size_t mask = m_buckets.size() - 1;
    size_t b = hash & mask;
    while (m_buckets[b].index >= 0)
        b = (b + 1) & mask;
    m_buckets[b] = { index, tagOf(hash) };
}

void WorkspaceTable::rehash(size_t buckets)
{
    if (!m_indexed)
        return;
    size_t n = 64;
    while (n < buckets)
        n *= 2;
    m_buckets.assign(n, Bucket {});
    const size_t mask = n - 1;
    for (int i = 0; i < size(); ++i) {
        const size_t hash = hashOf(idBytes(i));
        size_t b = hash & mask;
        while (m_buckets[b].index >= 0)
            b = (b + 1) & mask;
        m_buckets[b] = { i, tagOf(hash) };
    }
}

qint64 WorkspaceTable::bytesUsed() const
{
    return qint64(m_rows.capacity() * sizeof(Packed) + m_search.capacity() + m_extra.capacity()
                  + m_buckets.capacity() * sizeof(Bucket));
}

} // namespace cpc
