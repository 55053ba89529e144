#include "consolesearch.h"

#include "consolebuffer.h"

#include <algorithm>
#include <optional>

namespace cpc::ui {

namespace {

bool lessByLine(const ConsoleSearch::Match &m, int line)
{
    return m.line < line;
}

} // namespace

bool ConsoleSearch::setQuery(const QString &text, bool caseSensitive, bool regex)
{
    m_text = text;
    m_caseSensitive = caseSensitive;
    m_regex = regex;
    m_error.clear();
    m_matches.clear();
    m_current = -1;
    m_capped = false;
    if (regex && !text.isEmpty()) {
        m_re = QRegularExpression(text,
                                  caseSensitive ? QRegularExpression::NoPatternOption
                                                : QRegularExpression::CaseInsensitiveOption);
        if (!m_re.isValid()) {
            m_error = QStringLiteral("%1 at offset %2")
                          .arg(m_re.errorString())
                          .arg(m_re.patternErrorOffset());
            return false;
        }
        m_re.optimize();
    }
    return true;
}

void ConsoleSearch::clear()
{
    setQuery({}, m_caseSensitive, m_regex);
}

void ConsoleSearch::rebuild(const ConsoleBuffer &buffer, int nearLine)
{
    m_matches.clear();
    m_capped = false;
    m_current = -1;
    if (!isActive())
        return;
    scan(buffer, buffer.firstLineNumber());
    if (!m_matches.empty()) {
        m_current = firstAtOrAfter(nearLine);
        if (m_current < 0)
            m_current = 0;
    }
}

void ConsoleSearch::update(const ConsoleBuffer &buffer, int firstChangedLine)
{
    if (!isActive())
        return;
    const std::optional<Match> cur = current() ? std::optional<Match>(*current()) : std::nullopt;
    const int first = buffer.firstLineNumber();
    const int from = std::max(first, firstChangedLine);
    // Forget matches on dropped lines and on lines this merge changed.
    m_matches.erase(std::lower_bound(m_matches.begin(), m_matches.end(), from, lessByLine),
                    m_matches.end());
    m_matches.erase(m_matches.begin(),
                    std::lower_bound(m_matches.begin(), m_matches.end(), first, lessByLine));
    m_capped = false;
    scan(buffer, from);
    m_current = -1;
    if (m_matches.empty())
        return;
    if (cur) {
        const auto it = std::lower_bound(
            m_matches.begin(), m_matches.end(), *cur, [](const Match &a, const Match &b) {
                return a.line < b.line || (a.line == b.line && a.start < b.start);
            });
        m_current = it == m_matches.end() ? int(m_matches.size()) - 1 : int(it - m_matches.begin());
    } else {
        m_current = 0;
    }
}

void ConsoleSearch::scan(const ConsoleBuffer &buffer, int fromLine)
{
    const int last = buffer.lastLineNumber();
    for (int n = std::max(fromLine, buffer.firstLineNumber()); n <= last; ++n) {
        const ConsoleLine &line = buffer.line(n);
        if (line.kind != ConsoleLine::Kind::Text || line.text.isEmpty())
            continue;
        if (m_regex) {
            for (auto it = m_re.globalMatch(line.text); it.hasNext();) {
                const QRegularExpressionMatch m = it.next();
                if (m.capturedLength() == 0)
                    continue;
                if (int(m_matches.size()) >= MaxMatches) {
                    m_capped = true;
                    return;
                }
                m_matches.push_back({ n, int(m.capturedStart()), int(m.capturedLength()) });
            }
        } else {
            const Qt::CaseSensitivity cs
                = m_caseSensitive ? Qt::CaseSensitive : Qt::CaseInsensitive;
            for (qsizetype pos = line.text.indexOf(m_text, 0, cs); pos >= 0;
                 pos = line.text.indexOf(m_text, pos + m_text.size(), cs)) {
                if (int(m_matches.size()) >= MaxMatches) {
                    m_capped = true;
                    return;
                }
                m_matches.push_back({ n, int(pos), int(m_text.size()) });
            }
        }
    }
}

const ConsoleSearch::Match *ConsoleSearch::current() const
{
    return m_current >= 0 && m_current < count() ? &m_matches[size_t(m_current)] : nullptr;
}

void ConsoleSearch::setCurrentIndex(int index)
{
    m_current = m_matches.empty() ? -1 : std::clamp(index, 0, count() - 1);
}

int ConsoleSearch::next()
{
    if (m_matches.empty())
        return m_current = -1;
    m_current = m_current < 0 ? 0 : (m_current + 1) % count();
    return m_current;
}

int ConsoleSearch::previous()
{
    if (m_matches.empty())
        return m_current = -1;
    m_current = m_current <= 0 ? count() - 1 : m_current - 1;
    return m_current;
}

int ConsoleSearch::firstAtOrAfter(int line) const
{
    const auto it = std::lower_bound(m_matches.begin(), m_matches.end(), line, lessByLine);
    return it == m_matches.end() ? -1 : int(it - m_matches.begin());
}

std::pair<const ConsoleSearch::Match *, const ConsoleSearch::Match *>
ConsoleSearch::matchesOnLine(int line) const
{
    const auto lo = std::lower_bound(m_matches.begin(), m_matches.end(), line, lessByLine);
    auto hi = lo;
    while (hi != m_matches.end() && hi->line == line)
        ++hi;
    const Match *base = m_matches.data();
    return { base + (lo - m_matches.begin()), base + (hi - m_matches.begin()) };
}

} // namespace cpc::ui
