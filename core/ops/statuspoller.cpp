#include "statuspoller.h"

#include <QRandomGenerator>

#include <limits>

namespace cpc {

StatusPoller::StatusPoller(CpClient *client, QObject *parent)
    : QObject(parent)
    , m_client(client)
{
    m_clock.start();
    m_wake.setSingleShot(true);
    // A coarse timer may fire up to 5 % early, and then once more for the rest of the wait.
    m_wake.setTimerType(Qt::PreciseTimer);
    m_sweepTimer.setTimerType(Qt::PreciseTimer);
    connect(&m_wake, &QTimer::timeout, this, [this] {
        ++m_stats.wakeups;
        m_wakeAtMs = -1;
        tick();
    });
    m_sweepTimer.setSingleShot(true);
    connect(&m_sweepTimer, &QTimer::timeout, this, [this] {
        ++m_stats.wakeups;
        sweepStep();
    });
    setMaxConcurrency(m_maxConcurrency);
}

void StatusPoller::setMaxConcurrency(int n)
{
    m_maxConcurrency = std::max(1, n);
    if (m_client)
        m_client->setStatusConcurrency(m_maxConcurrency + 1);
    if (m_running)
        tick(); // more room: the checks waiting for it go now
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
        if (m_wakeAtMs < 0 || dueMs < m_wakeAtMs)
            arm(); // due before the wake-up armed (if any)
    }
}

void StatusPoller::arm()
{
    if (!m_running || m_queue.empty() || m_stats.inFlight >= m_maxConcurrency) {
        m_wake.stop();
        m_wakeAtMs = -1;
        return;
    }
    const qint64 at = m_queue.begin()->first;
    if (m_wake.isActive() && at == m_wakeAtMs)
        return;
    const qint64 wait = std::max<qint64>(0, at - m_clock.elapsed());
    m_wakeAtMs = at;
    m_wake.start(int(std::min<qint64>(wait, std::numeric_limits<int>::max())));
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
    if (auto l = m_listed.find(workspaceId); l != m_listed.end() && l->instanceId != instanceId) {
        l->instanceId = instanceId;
        l->dueMs = 0; // a new instance: what was known of the old one says nothing
    }
    auto it = m_targets.find(workspaceId);
    if (it == m_targets.end())
        return;
    it->instanceId = instanceId;
    it->failures = 0;
    schedule(workspaceId, *it, m_clock.elapsed());
}

void StatusPoller::start()
{
    m_running = true;
    tick();
    sweepStep();
}

void StatusPoller::stop()
{
    m_running = false;
    m_wake.stop();
    m_wakeAtMs = -1;
    m_sweepTimer.stop();
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
    arm();
}

void StatusPoller::retryNow()
{
    QStringList aborted;
    for (auto it = m_targets.begin(); it != m_targets.end(); ++it) {
        Entry &e = *it;
        if (!e.inFlight)
            continue;
        // Stale first: cancelling delivers "cancelled" at once, and it must change nothing.
        e.request = 0;
        e.inFlight = false;
        --m_stats.inFlight;
        const CallHandle call = std::exchange(e.call, CallHandle());
        call.cancel();
        aborted << it.key();
    }
    for (const QString &id : std::as_const(aborted))
        dropIfUnused(id); // kept only while their check was out
    pollNow();
}

void StatusPoller::dispatch(const QString &id, Entry &e)
{
    e.inFlight = true;
    e.request = ++m_nextRequest;
    ++m_stats.inFlight;
    m_stats.maxInFlightSeen = std::max(m_stats.maxInFlightSeen, m_stats.inFlight);
    if (!e.instanceId.isEmpty())
        ++m_stats.requests;
    const quint64 request = e.request;
    e.call = m_client->status(
        id, e.instanceId, this,
        [this, id, request](const StatusResult &r) { onResult(id, request, r); },
        StatusDeadline::Poll);
}

bool StatusPoller::noteFailure(const Error &error)
{
    const bool noAnswer
        = error.kind == Error::Kind::Transport || error.kind == Error::Kind::Timeout;
    if (m_reachable) {
        if (!noAnswer)
            return false;
        if (++m_consecutiveTransport < m_unreachableThreshold)
            return false;
        m_reachable = false;
        m_unreachableReason = error.message;
        Q_EMIT cpReachabilityChanged(false, m_unreachableReason);
        return true;
    }
    // Unreachable already: the banner shows what the CP does now, not what it did first (a CP
    // that refused connections and answers 404 after a restart is no longer "refused").
    if (error.kind == Error::Kind::Cancelled || error.kind == Error::Kind::Policy
        || error.message == m_unreachableReason)
        return false;
    m_unreachableReason = error.message;
    Q_EMIT cpUnreachableReasonChanged(m_unreachableReason, !noAnswer);
    return false;
}

void StatusPoller::onResult(const QString &id, quint64 request, const StatusResult &r)
{
    auto it = m_targets.find(id);
    if (it == m_targets.end() || !it->inFlight || it->request != request)
        return; // aborted by retryNow(): that check no longer counts
    --m_stats.inFlight;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    Entry &e = *it;
    e.inFlight = false;
    e.call = {};
    const bool noAnswer = r.state == RunState::Unknown && r.error
        && (r.error->kind == Error::Kind::Transport || r.error->kind == Error::Kind::Timeout);
    if (r.state == RunState::Unknown) {
        ++e.failures;
        // The first check that gets no answer is confirmed at once rather than after a backoff:
        // the CP is declared unreachable within two deadlines even with a single row polled.
        const bool confirm
            = noAnswer && m_reachable && m_consecutiveTransport + 1 < m_unreachableThreshold;
        schedule(id, e, m_clock.elapsed() + (confirm ? 0 : jittered(backoffMs(id))));
    } else {
        e.failures = 0;
        schedule(id, e, m_clock.elapsed() + jittered(m_intervalMs));
    }
    noteAnswered(id, e.dueMs);
    if (e.sweepPending) {
        e.sweepPending = false;
        if (--m_sweepRemaining == 0)
            Q_EMIT sweepCompleted();
    }

    bool becameUnreachable = false;
    LiveStatus &s = m_status[id];
    const RunState before = s.checked ? s.state : RunState::Unknown;
    const bool firstAnswer = !s.checked;
    s.checked = true;
    s.state = r.state;
    s.cpState = r.cpState;
    s.checkedAt = now;
    if (r.httpCallMade)
        m_withoutInstance.remove(id);
    else
        m_withoutInstance.insert(id);
    if (r.state == RunState::Unknown) {
        s.reason = r.error ? unknownReason(*r.error) : QStringLiteral("unknown");
        if (r.error)
            becameUnreachable = noteFailure(*r.error);
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
    if (r.error
        && (r.error->kind == Error::Kind::HttpStatus || r.error->kind == Error::Kind::Decode))
        m_consecutiveTransport = 0; // the CP answered, if with an error: not "no answer" twice
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
    const LiveStatus answered = s;
    Q_EMIT statusChanged(id, answered);
    if (firstAnswer || before != r.state)
        Q_EMIT transition(id, before, r.state, answered, m_pinned.contains(id));
    if (becameUnreachable)
        markAllUnknown();
    dropIfUnused(id);
    tick();
    sweepStep(); // a slot is free, and the CP may be back
}

void StatusPoller::markAllUnknown()
{
    // Once the CP is unreachable no answer on file is current: every status with an instance
    // turns unknown now (its last definite answer stays beside it in lastKnown/confirmedAt),
    // not when its own check fails, which can be a whole deadline later for each. That holds
    // for the rows scrolled out of view too: the counts and the details pane show them.
    // Workspaces without an instance stay "not running": that needs no CP.
    const QString reason = QStringLiteral("CP unreachable");
    QList<std::pair<QString, RunState>> changed;
    for (auto st = m_status.begin(); st != m_status.end(); ++st) {
        const auto t = m_targets.constFind(st.key());
        const bool noInstance = t != m_targets.cend() ? t->instanceId.isEmpty()
                                                      : m_withoutInstance.contains(st.key());
        if (noInstance || !st->checked || st->state == RunState::Unknown)
            continue;
        changed.append({ st.key(), st->state });
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
