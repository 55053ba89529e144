#pragma once

#include "bigbuffer.h"
#include "rawrow.h"
#include "workspace.h"

#include <QByteArray>
#include <QHash>
#include <QString>

#include <array>
#include <string_view>
#include <vector>

namespace cpc {

/// Workspace rows kept compactly, after Wireshark's packet list: a million rows must fit in a
/// few hundred MiB. Per row a fixed 72-byte record; the text lives in two byte buffers:
///   - the search text, case-folded UTF-8 "name␟id␟instance␟runtime␟status\n" per row, in row
///     order: what the list's filter scans and its text sorts compare;
///   - the originals: url, last_sample_error, and name, ID or instance ID only when they differ
///     from their folded form (an ID is usually lower-case already and stored once).
/// Status, runtime, role and provider are interned; timestamps are ms since the epoch. QStrings
/// are made when a row is shown or asked for (row(), id()), never for all rows.
class WorkspaceTable
{
public:
    /// The fields of the search text, in its order.
    enum Field { NameField, IdField, InstanceField, RuntimeField, StatusField, FieldCount };
    /// A search field longer than this is cut (on a character boundary) in the search text
    /// only; the original stays whole.
    static constexpr int kMaxSearchField = 1024;

    /// A batch on its way to appendTable(): rows are appended without the ID index, and a
    /// repeated ID is resolved there (the later row wins, in the first one's place). indexOf()
    /// is not for such a table.
    static WorkspaceTable forTransfer();

    int size() const { return int(m_rows.size()); }
    bool isEmpty() const { return m_rows.empty(); }
    qsizetype capacity() const { return qsizetype(m_rows.capacity()); }
    void reserve(qsizetype rows);
    void clear();

    /// Appends a row; a row whose ID is already in the table replaces that row instead (the
    /// later row wins). Returns the row's index.
    int append(const RawRow &raw);
    int append(const WorkspaceRow &row);
    /// Appends every row of `batch` (a loaded batch), with append()'s rule for known IDs.
    /// Returns the indexes of the rows that were added (not the replaced ones).
    std::vector<int> appendTable(const WorkspaceTable &batch);
    /// Replaces row `index` with `row` (same ID or not: the index follows the new ID).
    void replace(int index, const WorkspaceRow &row);
    /// After replacements: puts the search text back in row order (searchText() needs it).
    void finishEdits();

    WorkspaceRow row(int index) const;
    QString id(int index) const;
    QString name(int index) const;
    QString instanceId(int index) const;
    QString url(int index) const;
    QString lastSampleError(int index) const;
    const QString &role(int index) const { return word(m_rows[size_t(index)].role); }
    const QString &status(int index) const { return word(m_rows[size_t(index)].status); }
    const QString &runtime(int index) const { return word(m_rows[size_t(index)].runtime); }
    const QString &provider(int index) const { return word(m_rows[size_t(index)].provider); }
    int tier(int index) const { return m_rows[size_t(index)].tier; }
    /// ms since the epoch, RawRow::kNoTime when unknown.
    qint64 msecs(int index, RawRow::Time which) const
    {
        return m_rows[size_t(index)].msecs[size_t(which)];
    }
    bool hasInstance(int index) const { return !instanceBytes(index).empty(); }
    /// The ID's UTF-8 as stored (no QString made).
    std::string_view idBytes(int index) const;
    std::string_view instanceBytes(int index) const;

    /// Index of the row with this ID, -1 when there is none.
    int indexOf(QStringView id) const;
    int indexOf(std::string_view idUtf8) const;

    /// The whole search text: every row's, in row order, each ended by '\n'.
    std::string_view searchText() const { return { m_search.data(), m_search.size() }; }
    qint64 searchStart(int index) const { return m_rows[size_t(index)].text; }
    /// One row's search text (without its '\n') and one field of it.
    std::string_view searchText(int index) const
    {
        const Packed &p = m_rows[size_t(index)];
        return { m_search.data() + p.text, p.ends[StatusField] };
    }
    std::string_view searchField(int index, Field f) const
    {
        const Packed &p = m_rows[size_t(index)];
        const size_t start = f == NameField ? 0 : size_t(p.ends[size_t(f) - 1]) + 1;
        return { m_search.data() + p.text + start, size_t(p.ends[size_t(f)]) - start };
    }
    /// The interned words' case-folded UTF-8 (providers sort on it), by the id a row holds.
    std::string_view foldedProvider(int index) const;
    /// The interned columns: a row's word, and every word's dense rank by its folded text, so
    /// that sorting a million rows by status, runtime or provider costs no string compare.
    enum Word { RoleWord, StatusWord, RuntimeWord, ProviderWord };
    quint32 wordOf(int index, Word which) const;
    std::vector<int> foldedWordRanks() const;

    /// Bytes held, for the benchmarks' accounting.
    qint64 bytesUsed() const;

private:
    struct Packed
    {
        qint64 text = 0; ///< start of the row's search text in m_search
        qint64 extra = 0; ///< start of the row's originals in m_extra
        std::array<quint16, FieldCount> ends {}; ///< end of each search field, from text
        quint8 own = 0; ///< bit per OwnField whose original differs from its folded form
        quint32 role = 0, status = 0, runtime = 0, provider = 0; ///< interned words
        qint32 tier = 0;
        std::array<qint64, RawRow::TimeCount> msecs {};
    };
    /// Originals in m_extra, in this order, each as a varint length and its bytes: name, ID and
    /// instance only when their bit is set in Packed::own; url and error always.
    enum OwnField { OwnName, OwnId, OwnInstance, OwnUrl, OwnError };

    Packed pack(const RawRow &raw);
    std::string_view original(int index, OwnField f) const;
    quint32 intern(std::string_view text);
    const QString &word(quint32 id) const { return m_words[id]; }
    /// The ID index: `hash` is hashOf() the ID, computed once per row.
    int find(std::string_view idUtf8, size_t hash) const;
    void indexInsert(int index, size_t hash);
    void rehash(size_t buckets);
    void replaceRaw(int index, const RawRow &raw);
    /// Rewrites m_search in row order after a replace() put a row's text at the end.
    void compactSearch();
    bool m_searchOrdered = true;
    bool m_indexed = true; ///< false: forTransfer(), no ID index

    BigVector<Packed> m_rows;
    BigVector<char> m_search;
    BigVector<char> m_extra;
    std::vector<QString> m_words; ///< interned words; 0 is ""
    std::vector<QByteArray> m_wordBytes; ///< their UTF-8
    std::vector<QByteArray> m_wordFolded; ///< their case-folded UTF-8
    QHash<QByteArray, quint32> m_wordIndex;
    struct Bucket
    {
        qint32 index = -1; ///< row index, -1 empty
        quint32 tag = 0; ///< the ID hash's high bits
    };
    BigVector<Bucket> m_buckets; ///< open addressing on the ID's bytes
};

} // namespace cpc
