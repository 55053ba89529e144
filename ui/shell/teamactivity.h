#pragma once

#include "statestore.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <memory>

namespace cpc {
class StateFeed;
class WorkspaceModel;
} // namespace cpc

namespace cpc::ui {

class Notifier;
class Session;

/// What the team does, as the window shows it: listens to the session's team state (a
/// StateFeed over session->state(), made per session), keeps the operations teammates have in
/// flight ("stopping… by alice" on the row: an in-flight marker, never a running or stopped
/// state), the recent activity of a workspace for the details pane, a notification for pinned
/// workspaces, and whether the team database answers. Nothing at all for a local state file.
class TeamActivity : public QObject
{
    Q_OBJECT
public:
    TeamActivity(WorkspaceModel *model, Notifier *notifier, QObject *parent = nullptr);
    ~TeamActivity() override;

    /// The session's store is listened to (null: stops listening). The feed is dropped before
    /// the store it reads: call with null before the session goes.
    void setSession(Session *session);
    bool isTeam() const;
    bool isShared() const;
    QString problem() const;
    int unsharedCount() const { return m_unshared; }
    StateFeed *feed() const { return m_feed.get(); }

    /// The operation a teammate has in flight on the workspace, if any.
    std::optional<JournalEntry> heldByOthers(const QString &workspaceId) const;
    QStringList heldWorkspaces() const { return m_holds.keys(); }
    /// "stopping… by alice" while a teammate's operation is in flight, else empty.
    QString holdLabel(const QString &workspaceId) const;
    /// "alice@laptop-3 (cpctl, pid 4121) is stopping it since 10:02:11", else empty.
    QString holdSentence(const QString &workspaceId) const;
    /// The workspace's recent team activity, newest first: operations in flight, then the
    /// audit log ("10:02:13  alice@laptop-3  stop ok").
    QStringList lines(const QString &workspaceId, int limit = 8) const;

    /// Asks the team database again now (the banner's "Retry now").
    void checkNow();

Q_SIGNALS:
    /// A teammate's operation on the workspace started or ended: its marker changed.
    void holdChanged(const QString &workspaceId);
    /// A teammate's operation ended: the workspace's row may have changed in the database.
    void finishedByOthers(const QString &workspaceId);
    /// Something new for the workspace's activity lines.
    void activityChanged(const QString &workspaceId);
    /// The team database went away or came back, or the entries not yet shared changed.
    void sharingChanged();

private:
    void onJournal(const JournalEntry &entry, bool fromOthers);
    void onAudit(const AuditEntry &entry, bool fromOthers);
    void onSharing(bool shared, const QString &problem, int uploaded);
    void loadInFlight();
    void recheckHolds();
    void refreshUnshared();
    bool isOurs(const LockHolder &holder) const;
    QString label(const QString &workspaceId) const;

    WorkspaceModel *m_model;
    QPointer<Notifier> m_notifier;
    Session *m_session = nullptr;
    std::unique_ptr<StateFeed> m_feed;
    QHash<QString, JournalEntry> m_holds; ///< workspace → a teammate's operation in flight
    /// Re-reads the held entries: a lease that ran out (its holder crashed, or lost the
    /// network) reads "outcome unknown" on the server's clock, and no announcement says so.
    QTimer m_leaseCheck;
    QTimer m_unsharedCheck; ///< while offline: what we write piles up in the outbox
    int m_unshared = 0;
};

} // namespace cpc::ui
