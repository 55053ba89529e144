#pragma once

#include "operations.h"

#include <QObject>

#include <functional>

namespace cpc {

/// One provision, or the re-send of an unresolved one (reconcile), from the workspace's
/// operation lock to the ledger: take the lock, read the instance on file, ask the CP about it
/// unless the caller already decided (running or unknown: refused unless replacing), send,
/// record compare-and-set on what the row held, release the lock. A child of Operations until
/// it has delivered, so the outcome is recorded even when the caller is gone. Internal to
/// Operations.
class ProvisionFlow : public QObject
{
public:
    struct Params
    {
        ProvisionRequest request; ///< with its idempotency key
        std::optional<WorkspaceRow> newRow; ///< the row to create when there is none (SQLite)
        ProvisionOptions options;
        std::optional<JournalEntry> reconcile; ///< set: re-send this unresolved entry
        QJsonObject auditRequest; ///< empty: the described request
    };
    using Done = std::function<void(const Result<ProvisionOutcome> &)>;

    ProvisionFlow(Operations *operations, Params params, Done done);

    /// Runs the steps up to the first HTTP call and returns its handle.
    CallHandle start();

private:
    QString action() const;
    QString workspaceId() const { return m_p.request.workspaceId; }
    CallHandle decide();
    CallHandle send();
    void onStatus(const StatusResult &status);
    void onAnswer(const Result<ProvisionResult> &r);
    /// Nothing was sent (refused, or cancelled while the CP was asked about the instance on
    /// file): releases the lock (a reconcile's entry goes back to what it was).
    CallHandle refuse(const Error &error);
    /// Ends the journal entry of this flow; for a reconcile whose re-send did not settle
    /// anything, the entry keeps its earlier outcome.
    void finishJournal(JournalEntry::Outcome outcome, const QString &instanceId,
                       const QString &detail, const QString &movedOnTo = {});
    void deliver(const Result<ProvisionOutcome> &r);

    Operations *m_ops;
    Params m_p;
    Done m_done;
    QJsonObject m_described;
    QJsonObject m_auditRequest;
    qint64 m_journalId = 0;
    QString m_onFile; ///< the instance the row held when the lock was taken: what CAS expects
    QString m_replaced; ///< the instance on file this provision replaces
    bool m_synchronous = true; ///< still inside start(): deliver on the next event loop turn
};

} // namespace cpc
