#pragma once

#include <QRegularExpression>
#include <QString>

#include <utility>
#include <vector>

namespace cpc {
class ConsoleBuffer;
}

namespace cpc::ui {

/// Find-in-console: every match of a plain or regular-expression query over the lines of a
/// ConsoleBuffer (the text as shown, escapes interpreted), kept in line order and updated
/// incrementally when a fetch appends lines or the cap drops old ones. Matches never span
/// lines; empty matches are skipped; at most MaxMatches are kept. Gap marker lines are not
/// searched. Not a QObject: the viewer owns it and the view paints from it.
class ConsoleSearch
{
public:
    struct Match
    {
        int line = 0; ///< absolute line number
        int start = 0; ///< index into the line's text
        int length = 0;
        friend bool operator==(const Match &, const Match &) = default;
    };
    static constexpr int MaxMatches = 100000;

    /// False for an invalid regular expression (see errorString()); the search is then inactive.
    bool setQuery(const QString &text, bool caseSensitive, bool regex);
    void clear();
    bool isActive() const { return !m_text.isEmpty() && m_error.isEmpty(); }
    QString text() const { return m_text; }
    /// Why the regular expression is invalid ("missing closing parenthesis at offset 3").
    QString errorString() const { return m_error; }

    /// Searches the whole buffer; the current match becomes the first at or after `nearLine`.
    void rebuild(const ConsoleBuffer &buffer, int nearLine = 0);
    /// After a merge: forgets matches on dropped lines and on lines from firstChangedLine on,
    /// and searches those lines again. The current match stays the same text where it still is.
    void update(const ConsoleBuffer &buffer, int firstChangedLine);

    int count() const { return int(m_matches.size()); }
    bool isCapped() const { return m_capped; }
    const std::vector<Match> &matches() const { return m_matches; }
    /// -1 when there is none.
    int currentIndex() const { return m_current; }
    const Match *current() const;
    void setCurrentIndex(int index);
    /// Moves to the next / previous match, wrapping around; returns the new index or -1.
    int next();
    int previous();
    /// The first match on or after the line, -1 when there is none.
    int firstAtOrAfter(int line) const;
    /// Matches on one line, as [first, last).
    std::pair<const Match *, const Match *> matchesOnLine(int line) const;

private:
    void scan(const ConsoleBuffer &buffer, int fromLine);

    std::vector<Match> m_matches;
    QString m_text;
    bool m_caseSensitive = false;
    bool m_regex = false;
    QRegularExpression m_re;
    QString m_error;
    int m_current = -1;
    bool m_capped = false;
};

} // namespace cpc::ui
