// The status poller's background sweep: the listed rows that are neither in view nor pinned,
// asked about round-robin at a low rate so that every row has an answer over time. The rows
// in view, the pinned ones, the concurrency bound, the backoff and the unreachable rule are in
// statuspoller.cpp; a swept row is checked through the same path, as a target that is dropped
// once it has its answer.
#include "statuspoller.h"

#include <limits>

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
    QHash<QString, Listed> listed;
    listed.reserve(targets.size());
    std::vector<QString> order;
    order.reserve(size_t(targets.size()));
    for (const Target &t : targets) {
        if (listed.contains(t.workspaceId))
            continue;
        Listed l = m_listed.value(t.workspaceId);
        if (l.instanceId != t.instanceId) {
            l.instanceId = t.instanceId;
            l.dueMs = 0;
        }
        listed.insert(t.workspaceId, l);
        order.push_back(t.workspaceId);
    }
    // The round goes on where it was when the same rows come back (a reload keeps its place).
    const QString at
        = m_sweepCursor < m_listedOrder.size() ? m_listedOrder[m_sweepCursor] : QString();
    m_listed = std::move(listed);
    m_listedOrder = std::move(order);
    m_sweepCursor = 0;
    if (!at.isEmpty()) {
        const auto it = std::find(m_listedOrder.cbegin(), m_listedOrder.cend(), at);
        if (it != m_listedOrder.cend())
            m_sweepCursor = size_t(it - m_listedOrder.cbegin());
    }
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
    if (m_sweepRate <= 0 || !m_running || m_listedOrder.empty())
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
    const size_t n = m_listedOrder.size();
    for (size_t k = 0; k < n; ++k) {
        const size_t i = (m_sweepCursor + k) % n;
        const QString &id = m_listedOrder[i];
        Listed &l = m_listed[id];
        if (m_targets.contains(id))
            continue; // in view, pinned, or asked already: on its own schedule
        if (l.dueMs > t) {
            earliest = std::min(earliest, l.dueMs);
            continue;
        }
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
