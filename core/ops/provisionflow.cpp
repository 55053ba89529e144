#include "provisionflow.h"

#include <QTimer>

namespace cpc {

ProvisionFlow::ProvisionFlow(Operations *operations, Params params, Done done)
    : QObject(operations)
    , m_ops(operations)
    , m_p(std::move(params))
    , m_done(std::move(done))
{
    m_described = Operations::describe(m_p.request);
    m_auditRequest = m_p.auditRequest.isEmpty() ? m_described : m_p.auditRequest;
}

QString ProvisionFlow::action() const
{
    return m_p.reconcile ? QStringLiteral("reconcile") : QStringLiteral("provision");
}

void ProvisionFlow::deliver(const Result<ProvisionOutcome> &r)
{
    if (m_synchronous) {
        // The caller has not even got its handle yet.
        QTimer::singleShot(0, m_ops, [done = m_done, r] { done(r); });
    } else {
        m_done(r);
    }
    deleteLater();
}

void ProvisionFlow::finishJournal(JournalEntry::Outcome outcome, const QString &instanceId,
                                  const QString &detail, const QString &movedOnTo)
{
    JournalResult r { outcome, instanceId, detail, m_replaced, movedOnTo };
    if (m_p.reconcile && outcome != JournalEntry::Outcome::Reconciled
        && outcome != JournalEntry::Outcome::MovedOn) {
        // The re-send settled nothing: the entry stays unresolved as it was, with the reason.
        const JournalEntry &e = *m_p.reconcile;
        const bool wasMovedOn = e.outcome == JournalEntry::Outcome::MovedOn;
        r = { wasMovedOn ? JournalEntry::Outcome::MovedOn : JournalEntry::Outcome::Unknown,
              e.instanceId, detail, e.replacedInstanceId, e.movedOnTo };
    }
    m_ops->finishJournal(m_journalId, r);
}

CallHandle ProvisionFlow::start()
{
    const Result<qint64> lease
        = m_ops->lock(workspaceId(), JournalEntry::Kind::Provision, m_p.request.idempotencyKey,
                      m_described, action(), m_auditRequest, m_p.reconcile ? m_p.reconcile->id : 0);
    if (!lease) {
        deliver(lease.error());
        return {};
    }
    m_journalId = *lease;
    CallHandle h = decide();
    m_synchronous = false;
    return h;
}

CallHandle ProvisionFlow::decide()
{
    const Result<QString> onFile = m_ops->m_source
        ? m_ops->m_source->resolveInstanceId(workspaceId())
        : Result<QString>(
            Error::make(Error::Kind::Database, QStringLiteral("no workspace source")));
    if (!onFile)
        return refuse(Error::make(Error::Kind::Database,
                                  QStringLiteral("%1 not sent: could not look up the instance "
                                                 "on file: %2")
                                      .arg(action(), onFile.error().message)));
    m_onFile = onFile.value();
    if (m_onFile.isEmpty())
        return send();
    // A reconcile whose instance is already on file only confirms it.
    if (m_p.reconcile && m_onFile == m_p.reconcile->instanceId)
        return send();
    if (m_p.options.replace) {
        m_replaced = m_onFile;
        return send();
    }
    if (m_p.options.decidedInstanceId) {
        if (*m_p.options.decidedInstanceId == m_onFile) {
            m_replaced = m_onFile;
            return send();
        }
        const QString was = m_p.options.decidedInstanceId->isEmpty()
            ? QStringLiteral("no instance")
            : *m_p.options.decidedInstanceId;
        return refuse(Error::make(
            Error::Kind::Conflict,
            QStringLiteral("%1 refused: the instance on file for %2 changed since it was "
                           "checked (%3 then, %4 now); check again")
                .arg(action(), workspaceId(), was, m_onFile)));
    }
    QPointer<ProvisionFlow> self(this);
    return m_ops->m_client->status(workspaceId(), m_onFile, this, [self](const StatusResult &s) {
        if (self)
            self->onStatus(s);
    });
}

void ProvisionFlow::onStatus(const StatusResult &s)
{
    if (s.error && s.error->kind == Error::Kind::Cancelled) {
        refuse(Error::make(Error::Kind::Cancelled,
                           QStringLiteral("%1 cancelled: nothing was sent").arg(action())));
        return;
    }
    if (s.state == RunState::NotRunning) {
        // The CP says it does not run: replaced without asking, and its ID kept on record.
        m_replaced = m_onFile;
        send();
        return;
    }
    const QString state = s.state == RunState::Running
        ? QStringLiteral("the CP says it is running")
        : QStringLiteral("its status is unknown (%1)")
              .arg(s.error ? unknownReason(*s.error) : QStringLiteral("no answer"));
    const QString how = m_p.reconcile
        ? QStringLiteral("stop it first, or close this entry with reconcile --clear")
        : QStringLiteral("provision --replace replaces it (the replaced ID is recorded)");
    refuse(Error::make(Error::Kind::Policy,
                       QStringLiteral("%1 refused: %2 has instance %3 on file and %4; %5")
                           .arg(action(), workspaceId(), m_onFile, state, how)));
}

CallHandle ProvisionFlow::refuse(const Error &error)
{
    finishJournal(JournalEntry::Outcome::Refused, {}, error.message);
    m_ops->audit(workspaceId(), action(), m_auditRequest,
                 error.kind == Error::Kind::Cancelled ? QStringLiteral("cancelled")
                                                      : QStringLiteral("refused"),
                 error.message);
    deliver(error);
    return {};
}

CallHandle ProvisionFlow::send()
{
    if (!m_ops->m_client)
        return refuse(Error::make(Error::Kind::Config,
                                  QStringLiteral("%1 failed: no CP configured").arg(action())));
    if (!m_replaced.isEmpty())
        m_auditRequest.insert(QStringLiteral("replaces"), m_replaced);
    QPointer<ProvisionFlow> self(this);
    return m_ops->m_client->provision(m_p.request, this, [self](const Result<ProvisionResult> &r) {
        if (self)
            self->onAnswer(r);
    });
}

void ProvisionFlow::onAnswer(const Result<ProvisionResult> &r)
{
    const QString ws = workspaceId();
    if (!r) {
        const Error &e = r.error();
        const bool cancelled = e.kind == Error::Kind::Cancelled;
        // A decode failure after a 201 means an instance may exist: the outcome is unknown.
        // So does a connection lost mid-answer, like a timeout: the CP may have done the work.
        const bool maybeCreated = e.kind == Error::Kind::Decode && e.httpStatus == 201;
        const bool answerLost = e.kind == Error::Kind::Timeout || e.kind == Error::Kind::Transport
            || e.mayHaveApplied;
        const bool unknown = maybeCreated || answerLost || cancelled;
        finishJournal(unknown ? JournalEntry::Outcome::Unknown : JournalEntry::Outcome::Failed, {},
                      e.message);
        m_ops->audit(ws, action(), m_auditRequest,
                     cancelled ? QStringLiteral("cancelled") : QStringLiteral("error"), e.message);
        // The caller says what the journal says: outcome unknown, not failed.
        Error out = e;
        out.mayHaveApplied = unknown;
        deliver(out);
        return;
    }
    ProvisionOutcome out;
    static_cast<ProvisionResult &>(out) = r.value();
    out.replacedInstanceId = m_replaced;
    const QString iid = out.instanceId;

    std::optional<WorkspaceRow> created = m_p.newRow;
    if (m_p.reconcile) {
        WorkspaceRow row;
        row.name = ws;
        row.runtime = m_p.request.runtime;
        row.tier = m_p.request.tier;
        created = row;
    }
    if (created)
        created->id = ws;
    const auto w = m_ops->m_source
        ? m_ops->m_source->recordProvisioned(ws, iid, QStringLiteral("provisioning"), m_onFile,
                                             created)
        : Result<LedgerWrite>(
            Error::make(Error::Kind::Database, QStringLiteral("no workspace source")));
    if (!w) {
        const QString msg = QStringLiteral("instance %1 was created but could not be recorded: %2")
                                .arg(iid, w.error().message);
        finishJournal(JournalEntry::Outcome::Unknown, iid, msg);
        m_ops->audit(ws, action(), m_auditRequest, QStringLiteral("error"), msg);
        Error out
            = Error::make(w.error().kind, QStringLiteral("%1 succeeded but %2").arg(action(), msg));
        out.mayHaveApplied = true;
        deliver(out);
        return;
    }
    if (!w->written) {
        // Someone else recorded another instance while this call was out: nothing is
        // overwritten, both IDs go on record, and the engineer decides which to keep.
        const QString msg
            = QStringLiteral("%1 of %2 created instance %3, but the row moved on to %4 meanwhile: "
                             "nothing was overwritten; both IDs are in the audit log and the "
                             "journal (cpctl journal): decide which instance to keep")
                  .arg(action(), ws, iid,
                       w->found.isEmpty() ? QStringLiteral("no instance") : w->found);
        finishJournal(JournalEntry::Outcome::MovedOn, iid, msg, w->found);
        m_ops->audit(ws, action(), m_auditRequest, QStringLiteral("conflict"), msg);
        deliver(Error::make(Error::Kind::Conflict, msg));
        return;
    }
    const QString detail
        = m_replaced.isEmpty() ? iid : QStringLiteral("%1 (replaced %2)").arg(iid, m_replaced);
    finishJournal(
        m_p.reconcile ? JournalEntry::Outcome::Reconciled : JournalEntry::Outcome::Succeeded, iid,
        m_p.reconcile ? QStringLiteral("recorded by reconcile")
                      : (m_replaced.isEmpty() ? QString() : detail));
    m_ops->audit(ws, action(), m_auditRequest, QStringLiteral("ok"), detail);
    Q_EMIT m_ops->workspaceChanged(ws);
    deliver(out);
}

} // namespace cpc
