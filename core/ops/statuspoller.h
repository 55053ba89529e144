#pragma once

#include "cpclient.h"
#include "workspace.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QHash>
#include <QObject>

#include <QSet>
#include <QTimer>
#include <functional>

#include <set>
#include <utility>

namespace cpc {

/// Keeps the live status of the visible and pinned workspaces fresh: each is checked every
/// interval (15 s, ±20 % jitter so a thousand rows do not fire together), with at most
/// maxConcurrency requests in flight, and with exponential backoff per workspace while its
/// checks fail. Unknown stays unknown: a failed check never turns a workspace into "not
/// running"; the last definite answer is kept beside it with its age.
///
/// Each check runs under the client's poll deadline (CpConfig::pollTimeoutMs, seconds), and two
/// consecutive transport failures or timeouts declare the CP unreachable: from then every
/// status on file turns unknown, the rows off screen included, until the CP answers again.
///
/// The background sweep (statussweep.cpp) asks about the other listed rows too, round-robin at
/// a low rate (sweepRate checks a second), so that "not checked" goes to zero over time: only
/// once every row in view and pinned has its answer, only in a free slot, never a row asked
/// within the interval, and not at all while the CP is unreachable (the rows in view probe for
/// its return, with their backoff).
class StatusPoller : public QObject
{
    Q_OBJECT
public:
    struct Target
    {
        QString workspaceId;
        QString instanceId;
    };
    struct Stats
    {
        int requests = 0; ///< HTTP calls sent
        int running = 0;
        int notRunning = 0;
        int unknown = 0;
        int inFlight = 0;
        int maxInFlightSeen = 0;
        int wakeups = 0; ///< times a timer of the poller fired: idle costs none of them
    };

    explicit StatusPoller(CpClient *client, QObject *parent = nullptr);

    void setIntervalMs(int ms) { m_intervalMs = ms; }
    int intervalMs() const { return m_intervalMs; }
    void setJitter(double fraction) { m_jitter = fraction; }
    /// Checks in flight at most; the client opens as many status connections (and one more, for
    /// the engineer's own checks), so that each one is on the wire, not queued in the client.
    void setMaxConcurrency(int n);
    int maxConcurrency() const { return m_maxConcurrency; }
    void setMaxBackoffMs(int ms) { m_maxBackoffMs = ms; }
    /// Consecutive transport failures (with no success between) that mark the CP unreachable.
    void setUnreachableThreshold(int n) { m_unreachableThreshold = n; }

    /// The rows on screen. Rows that leave the set and are not pinned stop being polled;
    /// new rows are checked soon (spread over the first second).
    void setVisible(const QList<Target> &targets);
    void setPinned(const Target &target, bool pinned);
    bool isPinned(const QString &workspaceId) const { return m_pinned.contains(workspaceId); }
    /// The instance ID on file changed (provision, stop).
    void updateInstance(const QString &workspaceId, const QString &instanceId);
    /// Every row of the list, for the sweep (the rows in view and pinned ones included; they keep
    /// their own schedule). What is known of a row still listed is kept.
    void setListed(const QList<Target> &targets);
    /// The same for a list too large to copy (a million rows): how many there are and the one at
    /// a position, made when the sweep comes to it. The functions must stay valid until the next
    /// call; the sweep reads them as it goes, so rows that arrive later are swept too.
    struct ListedRows
    {
        std::function<int()> count;
        std::function<Target(int)> at;
    };
    void setListedRows(ListedRows rows);
    int listedCount() const { return m_listedRows.count ? m_listedRows.count() : 0; }
    /// Background checks a second of the listed rows neither in view nor pinned; 0: no sweep.
    void setSweepRate(double perSecond);
    double sweepRate() const { return m_sweepRate; }

    void start();
    void stop();
    bool isActive() const { return m_running; }
    /// Checks every target now, ignoring backoff.
    void pollNow();
    void pollNow(const QString &workspaceId);
    /// "Retry now": aborts the checks in flight (a hung CP holds them until their deadline, and
    /// they fill every slot) and asks about every target again at once. What an aborted check
    /// would have said is not waited for and changes nothing.
    void retryNow();

    LiveStatus status(const QString &workspaceId) const { return m_status.value(workspaceId); }
    bool cpReachable() const { return m_reachable; }
    QString cpUnreachableReason() const { return m_unreachableReason; }
    const Stats &stats() const { return m_stats; }
    int targetCount() const { return int(m_targets.size()); }
    /// The backoff delay now in force for a workspace (0 when healthy), for tests and tooltips.
    int backoffMs(const QString &workspaceId) const;

Q_SIGNALS:
    void statusChanged(const QString &workspaceId, const cpc::LiveStatus &status);
    /// The state changed (first answer included). Pinned workspaces deserve a notification.
    void transition(const QString &workspaceId, cpc::RunState from, cpc::RunState to,
                    const cpc::LiveStatus &status, bool pinned);
    void cpReachabilityChanged(bool reachable, const QString &reason);
    /// While the CP is unreachable, the latest failed check says something else (a CP that
    /// refused connections now answers 404): the reason to show. `answered`: the CP answered,
    /// with an error (an HTTP status, an undecodable body), rather than not at all.
    void cpUnreachableReasonChanged(const QString &reason, bool answered);
    /// Every target has been checked at least once since the last pollNow() or start().
    void sweepCompleted();

private:
    struct Entry
    {
        QString instanceId;
        qint64 dueMs = 0; ///< on m_clock
        int failures = 0;
        bool inFlight = false;
        bool visible = false;
        bool sweepPending = true;
        bool queued = false; ///< present in m_queue under (dueMs, id)
        quint64 request = 0; ///< the check in flight; an answer for another one is stale
        CallHandle call;
    };
    /// Sends the checks that are due, as many as there is room for, then arm()s.
    void tick();
    /// Arms the wake-up timer for the first due check, when there is room to send it (an answer
    /// calls tick() otherwise). No tick while nothing is due: idle is no wake-ups at all.
    void arm();
    /// Moves a target to a new due time in the queue (or takes it out while it is in flight).
    void schedule(const QString &id, Entry &e, qint64 dueMs);
    void unqueue(const QString &id, Entry &e);
    void dispatch(const QString &id, Entry &e);
    void onResult(const QString &id, quint64 request, const StatusResult &r);
    /// Counts a failed answer towards declaring the CP unreachable, or updates the reason shown
    /// while it is. Returns true when this answer declared it.
    bool noteFailure(const Error &error);
    qint64 jittered(qint64 ms);
    void dropIfUnused(const QString &id);
    /// The CP just became unreachable: every answer on file for an instance is stale.
    void markAllUnknown();
    /// The sweep: sends the next background check if one is due and allowed, and arms the
    /// sweep timer for the next time one can be (statussweep.cpp).
    void sweepStep();
    void armSweep(qint64 atMs);
    /// A row was answered (in view, pinned or swept): when the sweep may ask about it again.
    void noteAnswered(const QString &id, qint64 nextMs);

    CpClient *m_client;
    QHash<QString, Entry> m_targets;
    /// Targets not in flight, ordered by due time (most overdue first). A tick takes only as
    /// many as there is room for: O(room · log n), not a scan of every target per answer.
    std::set<std::pair<qint64, QString>> m_queue;
    QHash<QString, LiveStatus> m_status;
    QSet<QString> m_pinned;
    /// Workspaces whose last check needed no call (no instance on file): not running stays true
    /// whether the CP answers or not.
    QSet<QString> m_withoutInstance;
    quint64 m_nextRequest = 0;
    QTimer m_wake; ///< single shot, at the first due time
    qint64 m_wakeAtMs = -1; ///< on m_clock, while m_wake is armed
    bool m_running = false;
    QElapsedTimer m_clock;
    Stats m_stats;
    int m_intervalMs = 15'000;
    double m_jitter = 0.2;
    int m_maxConcurrency = 8;
    int m_maxBackoffMs = 5 * 60'000;
    int m_unreachableThreshold = 2;
    int m_consecutiveTransport = 0;
    bool m_reachable = true;
    QString m_unreachableReason;
    int m_sweepRemaining = 0;

    /// What the sweep knows of a listed row it has asked about (sparse: only those).
    struct Listed
    {
        QString instanceId;
        qint64 dueMs = 0; ///< on m_clock: not swept before
    };
    ListedRows m_listedRows; ///< list order: the sweep's round
    QHash<QString, Listed> m_listed;
    size_t m_sweepCursor = 0;
    double m_sweepRate = 0;
    qint64 m_nextSweepMs = 0; ///< the rate: no sweep call before this
    QTimer m_sweepTimer; ///< single shot, at the next time a sweep call can go
};

} // namespace cpc
