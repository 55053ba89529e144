#include "statuspoller.h"

#include <QRandomGenerator>

namespace cpc {

StatusPoller::StatusPoller(CpClient *client, QObject *parent)
    : QObject(parent)
    , m_client(client)
{
    m_clock.start();
    m_tick.setInterval(100);
    connect(&m_tick, &QTimer::timeout, this, &StatusPoller::tick);
}

qint64 StatusPoller::jittered(qint64 ms)
{
    if (m_jitter <= 0)
        return ms;
    const double f = 1.0 - m_jitter + 2 * m_jitter * QRandomGenerator::global()->generateDouble();
    return qint64(double(ms) * f);
}

int StatusPoller::backoffMs(const QString &workspaceId) const
{
    const auto it = m_targets.constFind(workspaceId);
    if (it == m_targets.cend() || it->failures == 0)
        return 0;
    const qint64 b = qint64(m_intervalMs) << std::min(it->failures, 20);
    return int(std::min<qint64>(b, m_maxBackoffMs));
}

void StatusPoller::setVisible(const QList<Target> &targets)
{
    QSet<QString> now;
    now.reserve(targets.size());
    const qint64 t = m_clock.elapsed();
    int fresh = 0;
    for (const Target &target : targets) {
        now.insert(target.workspaceId);
        auto it = m_targets.find(target.workspaceId);
        if (it == m_targets.end()) {
            Entry e;
            e.instanceId = target.instanceId;
            e.visible = true;
            auto ins = m_targets.insert(target.workspaceId, e);
            // New rows are spread over the first second so a page of rows does not burst.
            schedule(target.workspaceId, *ins, t + qint64(fresh++ % 10) * 100);
            ++m_sweepRemaining;
        } else {
            it->visible = true;
            if (it->instanceId != target.instanceId) {
                it->instanceId = target.instanceId;
                schedule(it.key(), *it, t);
            }
        }
    }
    for (auto it = m_targets.begin(); it != m_targets.end();) {
        if (!now.contains(it.key()))
            it->visible = false;
        if (!it->visible && !m_pinned.contains(it.key()) && !it->inFlight) {
            if (it->sweepPending)
                --m_sweepRemaining;
            unqueue(it.key(), *it);
            it = m_targets.erase(it);
        } else {
            ++it;
        }
    }
}

void StatusPoller::setPinned(const Target &target, bool pinned)
{
    if (pinned) {
        m_pinned.insert(target.workspaceId);
        auto it = m_targets.find(target.workspaceId);
        if (it == m_targets.end()) {
            Entry e;
            e.instanceId = target.instanceId;
            auto ins = m_targets.insert(target.workspaceId, e);
            schedule(target.workspaceId, *ins, m_clock.elapsed());
            ++m_sweepRemaining;
        }
    } else {
        m_pinned.remove(target.workspaceId);
        dropIfUnused(target.workspaceId);
    }
}

void StatusPoller::dropIfUnused(const QString &id)
{
    auto it = m_targets.find(id);
    if (it != m_targets.end() && !it->visible && !m_pinned.contains(id) && !it->inFlight) {
        if (it->sweepPending)
            --m_sweepRemaining;
        unqueue(id, *it);
        m_targets.erase(it);
    }
}

void StatusPoller::schedule(const QString &id, Entry &e, qint64 dueMs)
{
    unqueue(id, e);
    e.dueMs = dueMs;
    if (!e.inFlight) {
        m_queue.emplace(dueMs, id);
        e.queued = true;
    }
}

void StatusPoller::unqueue(const QString &id, Entry &e)
{
    if (e.queued) {
        m_queue.erase({ e.dueMs, id });
        e.queued = false;
    }
}

void StatusPoller::updateInstance(const QString &workspaceId, const QString &instanceId)
{
    auto it = m_targets.find(workspaceId);
    if (it == m_targets.end())
        return;
    it->instanceId = instanceId;
    it->failures = 0;
    schedule(workspaceId, *it, m_clock.elapsed());
}

void StatusPoller::start()
{
    m_tick.start();
    tick();
}

void StatusPoller::stop()
{
    m_tick.stop();
}

void StatusPoller::pollNow()
{
    const qint64 t = m_clock.elapsed();
    m_sweepRemaining = 0;
    for (auto it = m_targets.begin(); it != m_targets.end(); ++it) {
        schedule(it.key(), *it, t);
        it->sweepPending = true;
        ++m_sweepRemaining;
    }
    tick();
}

void StatusPoller::pollNow(const QString &workspaceId)
{
    auto it = m_targets.find(workspaceId);
    if (it == m_targets.end())
        return;
    schedule(workspaceId, *it, m_clock.elapsed());
    tick();
}

void StatusPoller::tick()
{
    const qint64 t = m_clock.elapsed();
    // Most overdue first, so a backlog drains in order and nobody starves.
    while (m_stats.inFlight < m_maxConcurrency && !m_queue.empty() && m_queue.begin()->first <= t) {
        const QString id = m_queue.begin()->second;
        auto it = m_targets.find(id);
        if (it == m_targets.end()) { // cannot happen: erasing a target unqueues it
            m_queue.erase(m_queue.begin());
            continue;
        }
        unqueue(id, *it);
        dispatch(id, *it);
    }
}

void StatusPoller::dispatch(const QString &id, Entry &e)
{
    e.inFlight = true;
    ++m_stats.inFlight;
    m_stats.maxInFlightSeen = std::max(m_stats.maxInFlightSeen, m_stats.inFlight);
    if (!e.instanceId.isEmpty())
        ++m_stats.requests;
    m_client->status(id, e.instanceId, this,
                     [this, id](const StatusResult &r) { onResult(id, r); });
}

void StatusPoller::onResult(const QString &id, const StatusResult &r)
{
    --m_stats.inFlight;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    auto it = m_targets.find(id);
    if (it != m_targets.end()) {
        Entry &e = *it;
        e.inFlight = false;
        if (r.state == RunState::Unknown) {
            ++e.failures;
            schedule(id, e, m_clock.elapsed() + jittered(backoffMs(id)));
        } else {
            e.failures = 0;
            schedule(id, e, m_clock.elapsed() + jittered(m_intervalMs));
        }
        if (e.sweepPending) {
            e.sweepPending = false;
            if (--m_sweepRemaining == 0)
                Q_EMIT sweepCompleted();
        }
    }

    bool becameUnreachable = false;
    LiveStatus &s = m_status[id];
    const RunState before = s.checked ? s.state : RunState::Unknown;
    const bool firstAnswer = !s.checked;
    s.checked = true;
    s.state = r.state;
    s.cpState = r.cpState;
    s.checkedAt = now;
    if (r.state == RunState::Unknown) {
        s.reason = r.error ? unknownReason(*r.error) : QStringLiteral("unknown");
        if (r.error
            && (r.error->kind == Error::Kind::Transport || r.error->kind == Error::Kind::Timeout)) {
            ++m_consecutiveTransport;
            if (m_reachable && m_consecutiveTransport >= m_unreachableThreshold) {
                m_reachable = false;
                m_unreachableReason = r.error->message;
                becameUnreachable = true;
                Q_EMIT cpReachabilityChanged(false, m_unreachableReason);
            }
        }
    } else {
        s.reason.clear();
        s.confirmedAt = now;
        s.lastKnown = r.state;
        if (r.httpCallMade) {
            m_consecutiveTransport = 0;
            if (!m_reachable) {
                m_reachable = true;
                m_unreachableReason.clear();
                Q_EMIT cpReachabilityChanged(true, {});
            }
        }
    }
    switch (r.state) {
    case RunState::Running:
        ++m_stats.running;
        break;
    case RunState::NotRunning:
        ++m_stats.notRunning;
        break;
    case RunState::Unknown:
        ++m_stats.unknown;
        break;
    }
    Q_EMIT statusChanged(id, s);
    if (firstAnswer || before != r.state)
        Q_EMIT transition(id, before, r.state, s, m_pinned.contains(id));
    if (becameUnreachable)
        markAllUnknown(m_status.value(id).reason);
    if (it != m_targets.end())
        dropIfUnused(id);
    tick();
}

void StatusPoller::markAllUnknown(const QString &reason)
{
    // Once the CP is unreachable no answer on file is current: every target with an instance
    // turns unknown now (its last definite answer stays beside it in lastKnown/confirmedAt),
    // not when its own check fails, which can be a whole request timeout later for each.
    // Rows without an instance stay "not running": that needs no CP.
    QList<std::pair<QString, RunState>> changed;
    for (auto t = m_targets.cbegin(); t != m_targets.cend(); ++t) {
        if (t->instanceId.isEmpty())
            continue;
        auto st = m_status.find(t.key());
        if (st == m_status.end() || !st->checked || st->state == RunState::Unknown)
            continue;
        changed.append({ t.key(), st->state });
        st->state = RunState::Unknown;
        st->cpState.clear();
        st->reason = reason;
    }
    for (const auto &[wid, from] : changed) {
        const LiveStatus ls = m_status.value(wid);
        Q_EMIT statusChanged(wid, ls);
        Q_EMIT transition(wid, from, RunState::Unknown, ls, m_pinned.contains(wid));
    }
}

} // namespace cpc
