// The status poller's background sweep: the listed rows that are neither in view nor pinned,
// asked about round-robin at a low rate so that every row has an answer over time. The rows
// in view, the pinned ones, the concurrency bound, the backoff and the unreachable rule are in
// statuspoller.cpp; a swept row is checked through the same path, as a target that is dropped
// once it has its answer.
#include "statuspoller.h"

#include <QSet>

#include <limits>
#include <memory>

namespace cpc {

namespace {
/// Rows without an instance cost no call: this many at most are answered in one step, so a
/// list of thousands of them does not hold the event loop.
constexpr int kFreeChecksPerStep = 64;
/// How soon to look again when the rows in view hold every free slot or are due first.
constexpr qint64 kYieldMs = 100;
} // namespace

void StatusPoller::setListed(const QList<Target> &targets)
{
    auto rows = std::make_shared<std::vector<Target>>();
    rows->reserve(size_t(targets.size()));
    QSet<QString> seen;
    for (const Target &t : targets) {
        if (!seen.contains(t.workspaceId)) {
            seen.insert(t.workspaceId);
            rows->push_back(t);
        }
    }
    // The round goes on where it was when the same rows come back (a reload keeps its place).
    const QString at = m_sweepCursor < size_t(listedCount())
        ? m_listedRows.at(int(m_sweepCursor)).workspaceId
        : QString();
    size_t cursor = 0;
    for (size_t i = 0; !at.isEmpty() && i < rows->size(); ++i) {
        if ((*rows)[i].workspaceId == at) {
            cursor = i;
            break;
        }
    }
    m_listedRows = { [rows] { return int(rows->size()); },
                     [rows](int i) {
                         return (*rows)[size_t(i)];
                     } };
    m_sweepCursor = cursor;
    if (m_running)
        sweepStep();
}

void StatusPoller::setListedRows(ListedRows rows)
{
    m_listedRows = std::move(rows);
    const size_t n = size_t(listedCount());
    if (m_sweepCursor >= n)
        m_sweepCursor = 0;
    if (m_running)
        sweepStep();
}

void StatusPoller::setSweepRate(double perSecond)
{
    m_sweepRate = perSecond > 0 ? perSecond : 0;
    m_nextSweepMs = 0;
    if (m_sweepRate <= 0)
        m_sweepTimer.stop();
    else if (m_running)
        sweepStep();
}

void StatusPoller::noteAnswered(const QString &id, qint64 nextMs)
{
    // Kept only for the rows the sweep has asked about: a million listed rows cost nothing here.
    if (const auto l = m_listed.find(id); l != m_listed.end())
        l->dueMs = nextMs;
}

void StatusPoller::armSweep(qint64 atMs)
{
    const qint64 wait = std::max<qint64>(0, atMs - m_clock.elapsed());
    const int ms = int(std::min<qint64>(wait, std::numeric_limits<int>::max()));
    // Sooner wins: the timer is re-armed only to bring the next step forward.
    if (m_sweepTimer.isActive() && m_sweepTimer.remainingTime() <= ms)
        return;
    m_sweepTimer.start(ms);
}

void StatusPoller::sweepStep()
{
    if (m_sweepRate <= 0 || !m_running || listedCount() == 0)
        return;
    // Not while the CP is unreachable: every check would fail and count for nothing. The rows
    // in view and the pinned ones probe for its return, and their answer calls this again; with
    // none, the sweep probes alone, once an interval.
    qint64 spacing = std::max<qint64>(1, qint64(1000.0 / m_sweepRate));
    if (!m_reachable) {
        if (!m_targets.isEmpty())
            return;
        spacing = std::max<qint64>(spacing, m_intervalMs);
    }
    // The rows in view and the pinned ones first: none swept until each has its answer.
    if (m_sweepRemaining > 0)
        return; // their last answer calls this again
    const qint64 t = m_clock.elapsed();
    if (t < m_nextSweepMs) {
        armSweep(m_nextSweepMs);
        return;
    }
    if (m_stats.inFlight >= m_maxConcurrency)
        return; // the next answer frees a slot and calls this again
    if (!m_queue.empty() && m_queue.begin()->first <= t) {
        armSweep(t + kYieldMs); // a row in view is due: it goes first
        return;
    }
    qint64 earliest = std::numeric_limits<qint64>::max();
    int free = 0;
    const size_t n = size_t(listedCount());
    for (size_t k = 0; k < n; ++k) {
        const size_t i = (m_sweepCursor + k) % n;
        const Target row = m_listedRows.at(int(i));
        const QString &id = row.workspaceId;
        if (id.isEmpty() || m_targets.contains(id))
            continue; // gone, or in view, pinned, asked already: on its own schedule
        const auto known = m_listed.constFind(id);
        // A row never asked about, or with a new instance since, is due now.
        if (known != m_listed.constEnd() && known->instanceId == row.instanceId
            && known->dueMs > t) {
            earliest = std::min(earliest, known->dueMs);
            continue;
        }
        Listed &l = m_listed[id];
        l.instanceId = row.instanceId;
        m_sweepCursor = (i + 1) % n;
        Entry e;
        e.instanceId = l.instanceId;
        e.sweepPending = false; // not part of a pollNow() round unless one starts
        auto ins = m_targets.insert(id, e);
        // Until its answer: a row is not swept twice, and a slow answer does not re-arm it.
        l.dueMs = t + m_intervalMs;
        dispatch(id, *ins);
        if (!l.instanceId.isEmpty()) {
            m_nextSweepMs = t + spacing;
            armSweep(m_nextSweepMs);
            return;
        }
        if (++free >= kFreeChecksPerStep || m_stats.inFlight >= m_maxConcurrency) {
            armSweep(t);
            return;
        }
    }
    if (earliest != std::numeric_limits<qint64>::max())
        armSweep(earliest);
}

} // namespace cpc
