#pragma once

#include "cpclient.h"
#include "statestore.h"
#include "workspacesource.h"

#include <QObject>
#include <QPointer>
#include <QProcessEnvironment>
#include <QSet>
#include <QTimer>

namespace cpc {

class ProvisionFlow;

/// Who is acting, for the audit log and the operation locks.
struct SessionInfo
{
    QString profile;
    QString orgId;
    QString user; ///< OS user; from the password database (ProcessIdentity) when empty
    QString host; ///< this machine's host name when empty
    bool readOnly = false;
    /// Where reconcile takes the values of the environment keys it re-sends (as `--env KEY`).
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
};

/// How a provision may treat an instance already on file for the workspace. By default the CP
/// is asked about it first: not running, it is replaced (and its ID recorded); running or
/// unknown, the provision is refused without sending anything.
struct ProvisionOptions
{
    /// Replace whatever instance is on file, running or not (`cpctl provision --replace`).
    bool replace = false;
    /// The instance on file the caller has already decided about ("" for none): the GUI asked
    /// checkInstanceOnFile() and the engineer chose. Provision then asks nothing more, and is
    /// refused if the row holds another instance by the time it starts.
    std::optional<QString> decidedInstanceId;
};

/// A provision's answer and what it did to the ledger.
struct ProvisionOutcome : ProvisionResult
{
    QString replacedInstanceId; ///< the instance on file it replaced; empty when there was none
};

struct StopOutcome
{
    QString instanceId; ///< the instance that was stopped; empty when there was nothing to stop
    bool httpCallMade = false;
    /// The row held another instance when the stop returned (a newer provision): it was left
    /// on file. Both IDs are in the audit log and the journal.
    QString movedOnTo;
};

/// The instance on file for a workspace and what the CP says about it.
struct InstanceOnFile
{
    QString instanceId; ///< empty: none on file (then no HTTP call was made)
    StatusResult status;
    /// True when a provision needs the engineer's decision: an instance on file that runs, or
    /// whose status is unknown.
    bool needsDecision() const
    {
        return !instanceId.isEmpty() && status.state != RunState::NotRunning;
    }
};

/// The actions of the console with the platform's rules around them, shared by cpctl and the
/// GUI: look the instance ID up in the database first, refuse writes in read-only mode, take
/// the workspace's operation lock (the journal entry, written before the request, the outcome
/// after it), change the workspace row only after a successful call and only where it still
/// holds what the call acted on, and audit every mutating action with its result.
class Operations : public QObject
{
    Q_OBJECT
public:
    Operations(CpClient *client, WorkspaceSource *source, StateStore *state, SessionInfo session,
               QObject *parent = nullptr);

    CpClient *client() const { return m_client; }
    WorkspaceSource *source() const { return m_source; }
    StateStore *state() const { return m_state; }
    const SessionInfo &session() const { return m_session; }

    /// True when mutating actions are refused; the reason is safe to show in a tooltip.
    bool writesRefused() const;
    QString writesRefusedReason() const;
    void setReadOnly(bool readOnly);

    /// Provisions; on success records instance ID and status 'provisioning' on the row (creating
    /// it from `newRow` when the workspace is not in the source), compare-and-set on what the
    /// row held when the provision started. A row that moved on meanwhile is not overwritten:
    /// Kind::Conflict naming both IDs. Refused at once (Kind::Conflict) while another operation
    /// holds the workspace; refused (Kind::Policy) over a running or unknown instance unless
    /// `options` allow it. The handle is the first HTTP call's: the status check when the CP is
    /// asked about the instance on file, else the provision.
    CallHandle provision(const ProvisionRequest &request, const std::optional<WorkspaceRow> &newRow,
                         QObject *context, CpClient::Callback<Result<ProvisionOutcome>> done,
                         const ProvisionOptions &options = {});
    /// The instance on file and its status, for the decision before a provision.
    CallHandle checkInstanceOnFile(const QString &workspaceId, QObject *context,
                                   CpClient::Callback<Result<InstanceOnFile>> done);
    /// Stops the instance on file. No instance ID on file: success without an HTTP call. A
    /// failed stop changes nothing; a successful one clears the row only where it still holds
    /// the stopped instance.
    CallHandle stop(const QString &workspaceId, QObject *context,
                    CpClient::Callback<Result<StopOutcome>> done);
    /// Status of the instance on file; a database error makes it Unknown.
    CallHandle status(const QString &workspaceId, QObject *context,
                      CpClient::Callback<StatusResult> done);
    CallHandle console(const QString &workspaceId, QObject *context,
                       CpClient::Callback<Result<ConsoleOutput>> done);
    /// Asks the CP about a journal entry whose outcome is unknown by repeating the provision with
    /// the same idempotency key and the same environment keys, their values taken again from
    /// SessionInfo::environment (the CP answers with the instance it created, if any), and
    /// records what it learns under the same rules as a provision; or, with `clear`, closes the
    /// entry without asking. A key missing from the environment: nothing is sent (Kind::Config).
    CallHandle reconcile(const JournalEntry &entry, bool clear, QObject *context,
                         CpClient::Callback<Result<JournalEntry>> done);

    /// The provision request as stored in the journal and audit log: env keys, never values.
    static QJsonObject describe(const ProvisionRequest &request);
    /// "alice@laptop-3 (cpctl, pid 4121) is stopping ws-2 since 10:02 (in flight; see `cpctl
    /// journal`)"
    static QString lockRefusal(const JournalEntry &heldBy);

Q_SIGNALS:
    /// A workspace row changed through this object (provision or stop recorded).
    void workspaceChanged(const QString &workspaceId);
    void auditAppended();

private:
    friend class ProvisionFlow;
    void audit(const QString &workspaceId, const QString &action, const QJsonObject &request,
               const QString &result, const QString &detail);
    LockHolder holder() const;
    /// Takes the workspace's lock; an error is ready to deliver (refusal or journal failure).
    Result<qint64> lock(const QString &workspaceId, JournalEntry::Kind kind, const QString &key,
                        const QJsonObject &request, const QString &action,
                        const QJsonObject &auditRequest, qint64 takeOver = 0);
    void finishJournal(qint64 journalId, const JournalResult &result);
    /// Team state: renews the lease while the operation is in flight.
    void holdLease(qint64 journalId);
    void releaseLease(qint64 journalId);

    QPointer<CpClient> m_client;
    WorkspaceSource *m_source;
    StateStore *m_state;
    SessionInfo m_session;
    QSet<qint64> m_leases; ///< our leases in flight on the team state
    QTimer m_leaseTimer;
};

} // namespace cpc
