#include "operations.h"

#include "logging.h"
#include "validation.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QTimer>
#include <QUuid>

namespace cpc {

namespace {

/// Delivers on the next turn of the event loop, unless the context is gone by then.
template<typename T>
CallHandle deliverSoon(QObject *context, CpClient::Callback<T> done, T value)
{
    QTimer::singleShot(0, context ? context : qApp, [done = std::move(done), value = std::move(value)] {
        done(value);
    });
    return {};
}

QString osUser()
{
    for (const char *v : { "USER", "LOGNAME", "USERNAME" }) {
        QString u = qEnvironmentVariable(v);
        if (!u.isEmpty())
            return u;
    }
    return QStringLiteral("unknown");
}

} // namespace

Operations::Operations(CpClient *client, WorkspaceSource *source, StateStore *state,
                       SessionInfo session, QObject *parent)
    : QObject(parent), m_client(client), m_source(source), m_state(state), m_session(std::move(session))
{
    if (m_session.user.isEmpty())
        m_session.user = osUser();
}

bool Operations::writesRefused() const
{
    return m_session.readOnly || (m_source && m_source->isReadOnly());
}

QString Operations::writesRefusedReason() const
{
    if (m_session.readOnly)
        return QStringLiteral("read-only mode is on (turn it off to provision or stop)");
    if (m_source && m_source->isReadOnly())
        return m_source->readOnlyReason();
    return {};
}

void Operations::setReadOnly(bool readOnly)
{
    if (m_session.readOnly == readOnly)
        return;
    m_session.readOnly = readOnly;
    audit({}, QStringLiteral("write-mode"), { { QStringLiteral("read_only"), readOnly } },
          QStringLiteral("ok"), readOnly ? QStringLiteral("read-only on") : QStringLiteral("writes enabled"));
}

QJsonObject Operations::describe(const ProvisionRequest &r)
{
    QJsonArray envKeys;
    for (auto it = r.env.cbegin(); it != r.env.cend(); ++it)
        envKeys.append(it.key());
    QJsonObject o {
        { QStringLiteral("workspace_id"), r.workspaceId },
        { QStringLiteral("runtime"), r.runtime },
        { QStringLiteral("tier"), r.tier },
        { QStringLiteral("platform_url"), redaction::redact(r.platformUrl) },
        { QStringLiteral("env_keys"), envKeys },
    };
    if (!r.provider.isEmpty())
        o.insert(QStringLiteral("provider"), r.provider);
    if (!r.instanceType.isEmpty())
        o.insert(QStringLiteral("instance_type"), r.instanceType);
    if (r.diskGb)
        o.insert(QStringLiteral("disk_gb"), *r.diskGb);
    if (!r.templateName.isEmpty())
        o.insert(QStringLiteral("template"), r.templateName);
    if (!r.idempotencyKey.isEmpty())
        o.insert(QStringLiteral("idempotency_key"), r.idempotencyKey);
    return o;
}

void Operations::audit(const QString &workspaceId, const QString &action, const QJsonObject &request,
                       const QString &result, const QString &detail)
{
    if (!m_state)
        return;
    AuditEntry e;
    e.user = m_session.user;
    e.profile = m_session.profile;
    e.orgId = m_session.orgId;
    e.workspaceId = workspaceId;
    e.action = action;
    e.request = request;
    e.result = result;
    e.detail = redaction::redact(detail);
    if (const auto r = m_state->appendAudit(e); !r)
        qCWarning(lcDb).noquote() << "audit log write failed:" << r.error().message;
    Q_EMIT auditAppended();
}

CallHandle Operations::provision(const ProvisionRequest &requestIn, const std::optional<WorkspaceRow> &newRow,
                                 QObject *context, CpClient::Callback<Result<ProvisionResult>> done)
{
    ProvisionRequest request = requestIn;
    if (request.idempotencyKey.isEmpty())
        request.idempotencyKey = QUuid::createUuid().toString(QUuid::WithoutBraces);
    const QJsonObject described = describe(request);
    const QString ws = request.workspaceId;

    if (const QString err = validation::workspaceIdError(ws); !err.isEmpty()) {
        return deliverSoon<Result<ProvisionResult>>(context, std::move(done),
                                                    Error::make(Error::Kind::Policy, QStringLiteral("provision refused: %1").arg(err)));
    }
    if (writesRefused()) {
        const QString why = QStringLiteral("provision refused: %1").arg(writesRefusedReason());
        audit(ws, QStringLiteral("provision"), described, QStringLiteral("refused"), why);
        return deliverSoon<Result<ProvisionResult>>(context, std::move(done), Error::make(Error::Kind::ReadOnly, why));
    }
    if (!m_client) {
        return deliverSoon<Result<ProvisionResult>>(context, std::move(done),
                                                    Error::make(Error::Kind::Config, QStringLiteral("provision failed: no CP configured")));
    }
    qint64 journalId = 0;
    if (m_state) {
        const auto j = m_state->journalBegin(ws, request.idempotencyKey, described);
        if (!j) {
            // Without the intent on disk a crash could leave an orphan nobody knows about.
            const QString why = QStringLiteral("provision not sent: could not write the journal (%1)").arg(j.error().message);
            return deliverSoon<Result<ProvisionResult>>(context, std::move(done), Error::make(Error::Kind::Database, why));
        }
        journalId = j.value();
    }
    QPointer<Operations> self(this);
    // The outcome is recorded even when the caller's window is gone by then: the call is bound
    // to this object, and only the caller's callback is dropped with its context.
    QPointer<QObject> ctx(context);
    const bool hadContext = context != nullptr;
    auto deliver = [ctx, hadContext, done](const Result<ProvisionResult> &r) {
        if (!hadContext || ctx)
            done(r);
    };
    return m_client->provision(request, this, [self, journalId, ws, described, newRow, done = deliver](const Result<ProvisionResult> &r) {
        if (!self) {
            done(r);
            return;
        }
        if (!r) {
            const bool cancelled = r.error().kind == Error::Kind::Cancelled;
            // A decode failure after a 201 means an instance may exist: the outcome is unknown.
            // So does a connection lost mid-answer, like a timeout: the CP may have done the work.
            const bool maybeCreated = r.error().kind == Error::Kind::Decode && r.error().httpStatus == 201;
            const bool answerLost = r.error().kind == Error::Kind::Timeout || r.error().kind == Error::Kind::Transport
                    || r.error().mayHaveApplied;
            const auto outcome = maybeCreated || answerLost || cancelled
                    ? JournalEntry::Outcome::Unknown
                    : JournalEntry::Outcome::Failed;
            if (self->m_state)
                self->m_state->journalFinish(journalId, outcome, {}, r.error().message);
            self->audit(ws, QStringLiteral("provision"), described,
                        cancelled ? QStringLiteral("cancelled") : QStringLiteral("error"), r.error().message);
            done(r);
            return;
        }
        const ProvisionResult &p = r.value();
        std::optional<WorkspaceRow> created = newRow;
        if (created)
            created->id = ws;
        const VoidResult w = self->m_source
                ? self->m_source->recordProvisioned(ws, p.instanceId, QStringLiteral("provisioning"), created)
                : VoidResult(Error::make(Error::Kind::Database, QStringLiteral("no workspace source")));
        if (!w) {
            const QString msg = QStringLiteral("instance %1 was created but could not be recorded: %2")
                                        .arg(p.instanceId, w.error().message);
            if (self->m_state)
                self->m_state->journalFinish(journalId, JournalEntry::Outcome::Unknown, p.instanceId, msg);
            self->audit(ws, QStringLiteral("provision"), described, QStringLiteral("error"), msg);
            done(Error::make(w.error().kind, QStringLiteral("provision succeeded but %1").arg(msg)));
            return;
        }
        if (self->m_state)
            self->m_state->journalFinish(journalId, JournalEntry::Outcome::Succeeded, p.instanceId);
        self->audit(ws, QStringLiteral("provision"), described, QStringLiteral("ok"), p.instanceId);
        Q_EMIT self->workspaceChanged(ws);
        done(r);
    });
}

CallHandle Operations::stop(const QString &workspaceId, QObject *context,
                            CpClient::Callback<Result<StopOutcome>> done)
{
    const QJsonObject req { { QStringLiteral("workspace_id"), workspaceId } };
    if (const QString err = validation::workspaceIdError(workspaceId); !err.isEmpty()) {
        return deliverSoon<Result<StopOutcome>>(context, std::move(done),
                                                Error::make(Error::Kind::Policy, QStringLiteral("stop refused: %1").arg(err)));
    }
    if (writesRefused()) {
        const QString why = QStringLiteral("stop refused: %1").arg(writesRefusedReason());
        audit(workspaceId, QStringLiteral("stop"), req, QStringLiteral("refused"), why);
        return deliverSoon<Result<StopOutcome>>(context, std::move(done), Error::make(Error::Kind::ReadOnly, why));
    }
    const Result<QString> iid = m_source ? m_source->resolveInstanceId(workspaceId)
                                         : Result<QString>(Error::make(Error::Kind::Database, QStringLiteral("no workspace source")));
    if (!iid) {
        const QString why = QStringLiteral("stop failed: could not look up the instance ID: %1").arg(iid.error().message);
        audit(workspaceId, QStringLiteral("stop"), req, QStringLiteral("error"), why);
        return deliverSoon<Result<StopOutcome>>(context, std::move(done), Error::make(Error::Kind::Database, why));
    }
    if (iid.value().isEmpty()) {
        audit(workspaceId, QStringLiteral("stop"), req, QStringLiteral("ok"), QStringLiteral("no instance ID on file: nothing to stop"));
        return deliverSoon<Result<StopOutcome>>(context, std::move(done), StopOutcome {});
    }
    if (!m_client) {
        return deliverSoon<Result<StopOutcome>>(context, std::move(done),
                                                Error::make(Error::Kind::Config, QStringLiteral("stop failed: no CP configured")));
    }
    QJsonObject reqWithIid = req;
    reqWithIid.insert(QStringLiteral("instance_id"), iid.value());
    QPointer<Operations> self(this);
    const QString &instance = iid.value();
    QPointer<QObject> ctx(context);
    const bool hadContext = context != nullptr;
    auto deliver = [ctx, hadContext, done](const Result<StopOutcome> &r) {
        if (!hadContext || ctx)
            done(r);
    };
    // Bound to this object so the row and the audit log are updated even if the caller is gone.
    return m_client->stop(workspaceId, instance, this, [self, workspaceId, instance, reqWithIid, done = deliver](const VoidResult &r) {
        if (!self) {
            done(r ? Result<StopOutcome>(StopOutcome { instance, true }) : Result<StopOutcome>(r.error()));
            return;
        }
        if (!r) {
            // The row is not touched: marking it stopped after a failed stop leaks instances.
            self->audit(workspaceId, QStringLiteral("stop"), reqWithIid,
                        r.error().kind == Error::Kind::Cancelled ? QStringLiteral("cancelled") : QStringLiteral("error"),
                        r.error().message);
            done(r.error());
            return;
        }
        const VoidResult w = self->m_source->recordStopped(workspaceId);
        if (!w) {
            const QString msg = QStringLiteral("instance %1 was stopped but the row could not be updated: %2")
                                        .arg(instance, w.error().message);
            self->audit(workspaceId, QStringLiteral("stop"), reqWithIid, QStringLiteral("error"), msg);
            done(Error::make(w.error().kind, QStringLiteral("stop succeeded but %1").arg(msg)));
            return;
        }
        self->audit(workspaceId, QStringLiteral("stop"), reqWithIid, QStringLiteral("ok"), instance);
        Q_EMIT self->workspaceChanged(workspaceId);
        done(StopOutcome { instance, true });
    });
}

CallHandle Operations::status(const QString &workspaceId, QObject *context, CpClient::Callback<StatusResult> done)
{
    const Result<QString> iid = m_source ? m_source->resolveInstanceId(workspaceId)
                                         : Result<QString>(Error::make(Error::Kind::Database, QStringLiteral("no workspace source")));
    if (!iid) {
        StatusResult s;
        s.state = RunState::Unknown;
        s.httpCallMade = false;
        s.error = Error::make(Error::Kind::Database,
                              QStringLiteral("status check failed: could not look up the instance ID: %1").arg(iid.error().message));
        return deliverSoon<StatusResult>(context, std::move(done), s);
    }
    if (!m_client) {
        StatusResult s;
        s.error = Error::make(Error::Kind::Config, QStringLiteral("status check failed: no CP configured"));
        return deliverSoon<StatusResult>(context, std::move(done), s);
    }
    return m_client->status(workspaceId, iid.value(), context, done);
}

CallHandle Operations::console(const QString &workspaceId, QObject *context,
                               CpClient::Callback<Result<ConsoleOutput>> done)
{
    if (!m_client) {
        return deliverSoon<Result<ConsoleOutput>>(context, std::move(done),
                                                  Error::make(Error::Kind::Config, QStringLiteral("console failed: no CP configured")));
    }
    return m_client->consoleOutput(workspaceId, context, done);
}

CallHandle Operations::reconcile(const JournalEntry &entry, bool clear, QObject *context,
                                 CpClient::Callback<Result<JournalEntry>> done)
{
    const QJsonObject req { { QStringLiteral("journal_id"), entry.id },
                            { QStringLiteral("idempotency_key"), entry.idempotencyKey },
                            { QStringLiteral("clear"), clear } };
    if (clear) {
        JournalEntry out = entry;
        out.outcome = JournalEntry::Outcome::Cleared;
        if (m_state) {
            if (const auto r = m_state->journalFinish(entry.id, JournalEntry::Outcome::Cleared, {}, QStringLiteral("cleared by %1").arg(m_session.user)); !r)
                return deliverSoon<Result<JournalEntry>>(context, std::move(done), r.error());
        }
        audit(entry.workspaceId, QStringLiteral("reconcile"), req, QStringLiteral("ok"), QStringLiteral("journal entry cleared"));
        return deliverSoon<Result<JournalEntry>>(context, std::move(done), out);
    }
    ProvisionRequest p;
    p.workspaceId = entry.workspaceId;
    p.runtime = entry.request.value(QStringLiteral("runtime")).toString();
    p.tier = entry.request.value(QStringLiteral("tier")).toInt();
    p.platformUrl = entry.request.value(QStringLiteral("platform_url")).toString();
    p.provider = entry.request.value(QStringLiteral("provider")).toString();
    p.instanceType = entry.request.value(QStringLiteral("instance_type")).toString();
    if (entry.request.contains(QStringLiteral("disk_gb")))
        p.diskGb = entry.request.value(QStringLiteral("disk_gb")).toInt();
    p.templateName = entry.request.value(QStringLiteral("template")).toString();
    p.idempotencyKey = entry.idempotencyKey;
    if (writesRefused()) {
        const QString why = QStringLiteral("reconcile refused: %1").arg(writesRefusedReason());
        audit(entry.workspaceId, QStringLiteral("reconcile"), req, QStringLiteral("refused"), why);
        return deliverSoon<Result<JournalEntry>>(context, std::move(done), Error::make(Error::Kind::ReadOnly, why));
    }
    QPointer<Operations> self(this);
    return m_client->provision(p, context, [self, entry, req, done](const Result<ProvisionResult> &r) {
        if (!self)
            return;
        if (!r) {
            self->audit(entry.workspaceId, QStringLiteral("reconcile"), req, QStringLiteral("error"), r.error().message);
            done(r.error());
            return;
        }
        std::optional<WorkspaceRow> created;
        WorkspaceRow row;
        row.id = entry.workspaceId;
        row.name = entry.workspaceId;
        row.runtime = entry.request.value(QStringLiteral("runtime")).toString();
        row.tier = entry.request.value(QStringLiteral("tier")).toInt();
        created = row;
        const VoidResult w = self->m_source->recordProvisioned(entry.workspaceId, r->instanceId, QStringLiteral("provisioning"), created);
        if (!w) {
            self->audit(entry.workspaceId, QStringLiteral("reconcile"), req, QStringLiteral("error"), w.error().message);
            done(w.error());
            return;
        }
        JournalEntry out = entry;
        out.outcome = JournalEntry::Outcome::Reconciled;
        out.instanceId = r->instanceId;
        if (self->m_state)
            self->m_state->journalFinish(entry.id, JournalEntry::Outcome::Reconciled, r->instanceId,
                                         QStringLiteral("recorded by reconcile"));
        self->audit(entry.workspaceId, QStringLiteral("reconcile"), req, QStringLiteral("ok"), r->instanceId);
        Q_EMIT self->workspaceChanged(entry.workspaceId);
        done(out);
    });
}

} // namespace cpc
