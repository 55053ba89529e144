#pragma once

#include "statestore.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSqlDriver>
#include <QTimer>

namespace cpc {

/// The team state as it changes: listens (LISTEN cpconsole_events, through
/// QSqlDriver::subscribeToNotification) for the entries every console writes, and keeps the
/// team connection honest: checks it every few seconds, works offline when it is gone (the
/// store's outbox), and when it answers again uploads what was written meanwhile and listens
/// again. Does nothing for a local state file.
class StateFeed : public QObject
{
    Q_OBJECT
public:
    explicit StateFeed(StateStore *store, QObject *parent = nullptr);

    bool isListening() const { return !m_driver.isNull(); }
    void setCheckInterval(int msecs) { m_check.setInterval(msecs); }
    /// Checks the team connection now (and reads what a missed announcement left behind).
    void check();

Q_SIGNALS:
    /// A new audit entry; `fromOthers`: written through another connection (a teammate, or
    /// another program of ours).
    void auditAppended(const cpc::AuditEntry &entry, bool fromOthers);
    /// A journal entry was written or changed (a lock taken, an outcome recorded).
    void journalChanged(const cpc::JournalEntry &entry, bool fromOthers);
    /// The team database went away (shared false, with the reason) or answers again (with the
    /// number of entries uploaded from the outbox).
    void sharingChanged(bool shared, const QString &problem, int uploaded);

private:
    void subscribe();
    void onNotification(const QString &name, QSqlDriver::NotificationSource source,
                        const QVariant &payload);
    void drainAudit();

    StateStore *m_store;
    QPointer<QSqlDriver> m_driver;
    QTimer m_check;
    bool m_shared = false;
    qint64 m_lastAuditId = 0;
    QHash<qint64, bool> m_ownAuditIds; ///< announced by our own connection, not read yet
};

} // namespace cpc

Q_DECLARE_METATYPE(cpc::AuditEntry)
Q_DECLARE_METATYPE(cpc::JournalEntry)
