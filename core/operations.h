#pragma once

#include "cpclient.h"
#include "statestore.h"
#include "workspacesource.h"

#include <QObject>
#include <QPointer>

namespace cpc {

/// Who is acting, for the audit log.
struct SessionInfo
{
    QString profile;
    QString orgId;
    QString user; ///< OS user; filled from the environment when empty
    bool readOnly = false;
};

struct StopOutcome
{
    QString instanceId; ///< the instance that was stopped; empty when there was nothing to stop
    bool httpCallMade = false;
};

/// The actions of the console with the platform's rules around them, shared by cpctl and the
/// GUI: look the instance ID up in the database first, refuse writes in read-only mode, write
/// the provision journal before the request and the outcome after it, change the workspace row
/// only after a successful call, and audit every mutating action with its result.
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
    /// it from `newRow` when the workspace is not in the source).
    CallHandle provision(const ProvisionRequest &request, const std::optional<WorkspaceRow> &newRow,
                         QObject *context, CpClient::Callback<Result<ProvisionResult>> done);
    /// Stops the instance on file. No instance ID on file: success without an HTTP call. A
    /// failed stop changes nothing.
    CallHandle stop(const QString &workspaceId, QObject *context,
                    CpClient::Callback<Result<StopOutcome>> done);
    /// Status of the instance on file; a database error makes it Unknown.
    CallHandle status(const QString &workspaceId, QObject *context,
                      CpClient::Callback<StatusResult> done);
    CallHandle console(const QString &workspaceId, QObject *context,
                       CpClient::Callback<Result<ConsoleOutput>> done);
    /// Asks the CP about a journal entry whose outcome is unknown by repeating the provision with
    /// the same idempotency key (the CP answers with the instance it created, if any) and records
    /// what it learns; or, with `clear`, closes the entry without asking.
    CallHandle reconcile(const JournalEntry &entry, bool clear, QObject *context,
                         CpClient::Callback<Result<JournalEntry>> done);

    /// The provision request as stored in the journal and audit log: env keys, never values.
    static QJsonObject describe(const ProvisionRequest &request);

Q_SIGNALS:
    /// A workspace row changed through this object (provision or stop recorded).
    void workspaceChanged(const QString &workspaceId);
    void auditAppended();

private:
    void audit(const QString &workspaceId, const QString &action, const QJsonObject &request,
               const QString &result, const QString &detail);

    QPointer<CpClient> m_client;
    WorkspaceSource *m_source;
    StateStore *m_state;
    SessionInfo m_session;
};

} // namespace cpc
