#include "operations.h"

#include "logging.h"
#include "processidentity.h"
#include "provisionflow.h"
#include "validation.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QTimer>
#include <QUuid>

namespace cpc {

namespace {

/// Delivers on the next turn of the event loop, unless the context is gone by then.
template<typename T> CallHandle deliverSoon(QObject *context, CpClient::Callback<T> done, T value)
{
    QTimer::singleShot(0, context ? context : qApp,
                       [done = std::move(done), value = std::move(value)] { done(value); });
    return {};
}

/// The caller's callback, dropped when the caller's context is gone: the outcome is still
/// recorded (the call is bound to Operations), only the caller is no longer told.
template<typename T> CpClient::Callback<T> guarded(QObject *context, CpClient::Callback<T> done)
{
    QPointer<QObject> ctx(context);
    const bool hadContext = context != nullptr;
    return [ctx, hadContext, done = std::move(done)](const T &r) {
        if (!hadContext || ctx)
            done(r);
    };
}

QString sinceText(const QDateTime &at)
{
    const QDateTime local = at.toLocalTime();
    return local.date() == QDate::currentDate()
        ? local.toString(QStringLiteral("HH:mm"))
        : local.toString(QStringLiteral("yyyy-MM-dd HH:mm"));
}

} // namespace

Operations::Operations(CpClient *client, WorkspaceSource *source, StateStore *state,
                       SessionInfo session, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_source(source)
    , m_state(state)
    , m_session(std::move(session))
{
    // The password database, not $USER: anyone can set an environment variable.
    if (m_session.user.isEmpty())
        m_session.user = ProcessIdentity::current().user;
    if (m_session.host.isEmpty())
        m_session.host = ProcessIdentity::current().host;
    // A lease on the team state lasts leaseSeconds() unless renewed: renewed three times in
    // that span while the operation is in flight, so one late tick does not lose it.
    m_leaseTimer.setInterval(StateStore::leaseSeconds() * 1000 / 3);
    connect(&m_leaseTimer, &QTimer::timeout, this, [this] {
        if (m_state && !m_leases.isEmpty())
            if (const auto r = m_state->renewLeases(m_leases.values()); !r)
                qCWarning(lcDb).noquote() << "lease renewal failed:" << r.error().message;
    });
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
          QStringLiteral("ok"),
          readOnly ? QStringLiteral("read-only on") : QStringLiteral("writes enabled"));
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

QString Operations::lockRefusal(const JournalEntry &heldBy)
{
    const QString doing = heldBy.kind == JournalEntry::Kind::Stop ? QStringLiteral("stopping")
                                                                  : QStringLiteral("provisioning");
    return QStringLiteral("%1 is %2 %3 since %4 (in flight; see `cpctl journal`)")
        .arg(heldBy.holder.describe(), doing, heldBy.workspaceId, sinceText(heldBy.startedAt));
}

void Operations::audit(const QString &workspaceId, const QString &action,
                       const QJsonObject &request, const QString &result, const QString &detail)
{
    if (!m_state)
        return;
    AuditEntry e;
    e.user = m_session.user;
    e.host = m_session.host;
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

LockHolder Operations::holder() const
{
    LockHolder h = LockHolder::currentProcess(m_session.profile);
    h.user = m_session.user;
    h.host = m_session.host;
    return h;
}

Result<qint64> Operations::lock(const QString &workspaceId, JournalEntry::Kind kind,
                                const QString &key, const QJsonObject &request,
                                const QString &action, const QJsonObject &auditRequest,
                                qint64 takeOver)
{
    if (!m_state)
        return qint64(0); // no journal, no lock: nothing else to coordinate with
    const auto lock
        = m_state->acquireOperationLock(workspaceId, kind, holder(), key, request, takeOver);
    if (!lock) {
        if (lock.error().kind != Error::Kind::Database)
            return lock.error();
        // Without the intent on disk a crash could leave an orphan nobody knows about.
        return Error::make(Error::Kind::Database,
                           QStringLiteral("%1 not sent: could not write the journal (%2)")
                               .arg(action, lock.error().message));
    }
    for (const JournalEntry &e : lock->released)
        audit(workspaceId, QStringLiteral("lock-released"),
              { { QStringLiteral("journal_id"), e.id },
                { QStringLiteral("kind"), journalKindName(e.kind) },
                { QStringLiteral("holder_pid"), e.holder.pid },
                { QStringLiteral("holder_host"), e.holder.host } },
              QStringLiteral("ok"), e.detail);
    if (lock->heldBy) {
        const QString why = lockRefusal(*lock->heldBy);
        audit(workspaceId, action, auditRequest, QStringLiteral("refused"), why);
        return Error::make(Error::Kind::Conflict, why);
    }
    holdLease(lock->journalId);
    return lock->journalId;
}

void Operations::holdLease(qint64 journalId)
{
    if (!m_state || !m_state->isTeam())
        return;
    m_leases.insert(journalId);
    if (!m_leaseTimer.isActive())
        m_leaseTimer.start();
}

void Operations::releaseLease(qint64 journalId)
{
    m_leases.remove(journalId);
    if (m_leases.isEmpty())
        m_leaseTimer.stop();
}

void Operations::finishJournal(qint64 journalId, const JournalResult &result)
{
    releaseLease(journalId);
    if (!m_state || journalId <= 0)
        return;
    if (const auto r = m_state->journalFinish(journalId, result); !r)
        qCWarning(lcDb).noquote() << "journal write failed:" << r.error().message;
}

CallHandle Operations::provision(const ProvisionRequest &requestIn,
                                 const std::optional<WorkspaceRow> &newRow, QObject *context,
                                 CpClient::Callback<Result<ProvisionOutcome>> done,
                                 const ProvisionOptions &options)
{
    ProvisionRequest request = requestIn;
    if (request.idempotencyKey.isEmpty())
        request.idempotencyKey = QUuid::createUuid().toString(QUuid::WithoutBraces);
    const QString ws = request.workspaceId;

    if (const VoidResult err = validation::checkWorkspaceId(ws); !err) {
        return deliverSoon<Result<ProvisionOutcome>>(
            context, std::move(done),
            Error::make(Error::Kind::Policy,
                        QStringLiteral("provision refused: %1").arg(err.error().message)));
    }
    if (writesRefused()) {
        const QString why = QStringLiteral("provision refused: %1").arg(writesRefusedReason());
        audit(ws, QStringLiteral("provision"), describe(request), QStringLiteral("refused"), why);
        return deliverSoon<Result<ProvisionOutcome>>(context, std::move(done),
                                                     Error::make(Error::Kind::ReadOnly, why));
    }
    if (!m_client) {
        return deliverSoon<Result<ProvisionOutcome>>(
            context, std::move(done),
            Error::make(Error::Kind::Config, QStringLiteral("provision failed: no CP configured")));
    }
    ProvisionFlow::Params p;
    p.request = request;
    p.newRow = newRow;
    p.options = options;
    auto *flow = new ProvisionFlow(this, std::move(p), guarded(context, std::move(done)));
    return flow->start();
}

CallHandle Operations::checkInstanceOnFile(const QString &workspaceId, QObject *context,
                                           CpClient::Callback<Result<InstanceOnFile>> done)
{
    const Result<QString> iid = m_source
        ? m_source->resolveInstanceId(workspaceId)
        : Result<QString>(
            Error::make(Error::Kind::Database, QStringLiteral("no workspace source")));
    if (!iid) {
        return deliverSoon<Result<InstanceOnFile>>(
            context, std::move(done),
            Error::make(Error::Kind::Database,
                        QStringLiteral("could not look up the instance on file: %1")
                            .arg(iid.error().message)));
    }
    InstanceOnFile none;
    none.status.state = RunState::NotRunning;
    none.status.httpCallMade = false;
    if (iid.value().isEmpty())
        return deliverSoon<Result<InstanceOnFile>>(context, std::move(done), none);
    if (!m_client) {
        return deliverSoon<Result<InstanceOnFile>>(
            context, std::move(done),
            Error::make(Error::Kind::Config,
                        QStringLiteral("status check failed: no CP configured")));
    }
    const QString &instance = iid.value();
    return m_client->status(workspaceId, instance, context,
                            [instance, done = std::move(done)](const StatusResult &s) {
                                done(InstanceOnFile { instance, s });
                            });
}

CallHandle Operations::stop(const QString &workspaceId, QObject *context,
                            CpClient::Callback<Result<StopOutcome>> done)
{
    const QString action = QStringLiteral("stop");
    const QJsonObject req { { QStringLiteral("workspace_id"), workspaceId } };
    if (const VoidResult err = validation::checkWorkspaceId(workspaceId); !err) {
        return deliverSoon<Result<StopOutcome>>(
            context, std::move(done),
            Error::make(Error::Kind::Policy,
                        QStringLiteral("stop refused: %1").arg(err.error().message)));
    }
    if (writesRefused()) {
        const QString why = QStringLiteral("stop refused: %1").arg(writesRefusedReason());
        audit(workspaceId, action, req, QStringLiteral("refused"), why);
        return deliverSoon<Result<StopOutcome>>(context, std::move(done),
                                                Error::make(Error::Kind::ReadOnly, why));
    }
    // The lock comes first: a provision in flight may be about to put an instance on file.
    const Result<qint64> journalId
        = lock(workspaceId, JournalEntry::Kind::Stop, {}, req, action, req);
    if (!journalId)
        return deliverSoon<Result<StopOutcome>>(context, std::move(done), journalId.error());
    const auto refuse = [&](const Error &e) {
        finishJournal(*journalId, { JournalEntry::Outcome::Refused, {}, e.message, {}, {} });
        return deliverSoon<Result<StopOutcome>>(context, std::move(done), e);
    };
    const Result<QString> iid = m_source
        ? m_source->resolveInstanceId(workspaceId)
        : Result<QString>(
            Error::make(Error::Kind::Database, QStringLiteral("no workspace source")));
    if (!iid) {
        const QString why = QStringLiteral("stop failed: could not look up the instance ID: %1")
                                .arg(iid.error().message);
        audit(workspaceId, action, req, QStringLiteral("error"), why);
        return refuse(Error::make(Error::Kind::Database, why));
    }
    if (iid.value().isEmpty()) {
        const QString nothing = QStringLiteral("no instance ID on file: nothing to stop");
        finishJournal(*journalId, { JournalEntry::Outcome::Succeeded, {}, nothing, {}, {} });
        audit(workspaceId, action, req, QStringLiteral("ok"), nothing);
        return deliverSoon<Result<StopOutcome>>(context, std::move(done), StopOutcome {});
    }
    if (!m_client)
        return refuse(
            Error::make(Error::Kind::Config, QStringLiteral("stop failed: no CP configured")));
    QJsonObject reqWithIid = req;
    reqWithIid.insert(QStringLiteral("instance_id"), iid.value());
    QPointer<Operations> self(this);
    const QString &instance = iid.value();
    const qint64 jid = *journalId;
    auto deliver = guarded(context, std::move(done));
    // Bound to this object so the row and the audit log are updated even if the caller is gone.
    return m_client->stop(
        workspaceId, instance, this,
        [self, workspaceId, instance, reqWithIid, jid, action,
         done = std::move(deliver)](const VoidResult &r) {
            if (!self) {
                done(r ? Result<StopOutcome>(StopOutcome { instance, true, {} })
                       : Result<StopOutcome>(r.error()));
                return;
            }
            if (!r) {
                // The row is not touched: marking it stopped after a failed stop leaks instances.
                const Error &e = r.error();
                const bool cancelled = e.kind == Error::Kind::Cancelled;
                const bool answerLost = e.kind == Error::Kind::Timeout
                    || e.kind == Error::Kind::Transport || e.mayHaveApplied || cancelled;
                self->finishJournal(
                    jid,
                    { answerLost ? JournalEntry::Outcome::Unknown : JournalEntry::Outcome::Failed,
                      instance,
                      e.message,
                      {},
                      {} });
                self->audit(workspaceId, action, reqWithIid,
                            cancelled ? QStringLiteral("cancelled") : QStringLiteral("error"),
                            e.message);
                done(e);
                return;
            }
            const auto w = self->m_source->recordStopped(workspaceId, instance);
            if (!w) {
                const QString msg
                    = QStringLiteral("instance %1 was stopped but the row could not be updated: %2")
                          .arg(instance, w.error().message);
                self->finishJournal(jid,
                                    { JournalEntry::Outcome::Succeeded, instance, msg, {}, {} });
                self->audit(workspaceId, action, reqWithIid, QStringLiteral("error"), msg);
                done(Error::make(w.error().kind, QStringLiteral("stop succeeded but %1").arg(msg)));
                return;
            }
            StopOutcome out { instance, true, {} };
            QString detail = instance;
            if (!w->written && !w->found.isEmpty()) {
                // A newer provision was recorded while the stop was out: it stays on file.
                out.movedOnTo = w->found;
                detail = QStringLiteral("%1 stopped; the row moved on to %2 meanwhile and keeps "
                                        "it (nothing was overwritten)")
                             .arg(instance, w->found);
            } else if (!w->written) {
                detail = QStringLiteral("%1 stopped; the row no longer named it").arg(instance);
            }
            self->finishJournal(
                jid, { JournalEntry::Outcome::Succeeded, instance, detail, {}, out.movedOnTo });
            self->audit(workspaceId, action, reqWithIid, QStringLiteral("ok"), detail);
            Q_EMIT self->workspaceChanged(workspaceId);
            done(out);
        });
}

CallHandle Operations::status(const QString &workspaceId, QObject *context,
                              CpClient::Callback<StatusResult> done)
{
    const Result<QString> iid = m_source
        ? m_source->resolveInstanceId(workspaceId)
        : Result<QString>(
            Error::make(Error::Kind::Database, QStringLiteral("no workspace source")));
    if (!iid) {
        StatusResult s;
        s.state = RunState::Unknown;
        s.httpCallMade = false;
        s.error = Error::make(
            Error::Kind::Database,
            QStringLiteral("status check failed: could not look up the instance ID: %1")
                .arg(iid.error().message));
        return deliverSoon<StatusResult>(context, std::move(done), s);
    }
    if (!m_client) {
        StatusResult s;
        s.error = Error::make(Error::Kind::Config,
                              QStringLiteral("status check failed: no CP configured"));
        return deliverSoon<StatusResult>(context, std::move(done), s);
    }
    return m_client->status(workspaceId, iid.value(), context, done);
}

CallHandle Operations::console(const QString &workspaceId, QObject *context,
                               CpClient::Callback<Result<ConsoleOutput>> done)
{
    if (!m_client) {
        return deliverSoon<Result<ConsoleOutput>>(
            context, std::move(done),
            Error::make(Error::Kind::Config, QStringLiteral("console failed: no CP configured")));
    }
    return m_client->consoleOutput(workspaceId, context, done);
}

CallHandle Operations::reconcile(const JournalEntry &entry, bool clear, QObject *context,
                                 CpClient::Callback<Result<JournalEntry>> done)
{
    const QString action = QStringLiteral("reconcile");
    const QJsonObject req { { QStringLiteral("journal_id"), entry.id },
                            { QStringLiteral("idempotency_key"), entry.idempotencyKey },
                            { QStringLiteral("clear"), clear } };
    if (clear) {
        // Taking the entry over first: it must not be closed under a reconcile in flight.
        const Result<qint64> lease
            = lock(entry.workspaceId, JournalEntry::Kind::Provision, entry.idempotencyKey,
                   entry.request, action, req, entry.id);
        if (!lease)
            return deliverSoon<Result<JournalEntry>>(context, std::move(done), lease.error());
        JournalEntry out = entry;
        out.outcome = JournalEntry::Outcome::Cleared;
        releaseLease(*lease);
        if (m_state) {
            if (const auto r
                = m_state->journalFinish(entry.id,
                                         { JournalEntry::Outcome::Cleared, entry.instanceId,
                                           QStringLiteral("cleared by %1").arg(m_session.user),
                                           entry.replacedInstanceId, entry.movedOnTo });
                !r)
                return deliverSoon<Result<JournalEntry>>(context, std::move(done), r.error());
        }
        audit(entry.workspaceId, action, req, QStringLiteral("ok"),
              QStringLiteral("journal entry cleared"));
        return deliverSoon<Result<JournalEntry>>(context, std::move(done), out);
    }
    if (writesRefused()) {
        const QString why = QStringLiteral("reconcile refused: %1").arg(writesRefusedReason());
        audit(entry.workspaceId, action, req, QStringLiteral("refused"), why);
        return deliverSoon<Result<JournalEntry>>(context, std::move(done),
                                                 Error::make(Error::Kind::ReadOnly, why));
    }
    if (!m_client) {
        return deliverSoon<Result<JournalEntry>>(
            context, std::move(done),
            Error::make(Error::Kind::Config, QStringLiteral("reconcile failed: no CP configured")));
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
    // The same environment keys as the original: a CP that forgot the key would otherwise
    // create an instance without its configuration. Values are never stored; they are taken
    // again from the environment, as `--env KEY` does.
    QStringList missing;
    for (const QJsonValue k : entry.request.value(QStringLiteral("env_keys")).toArray()) {
        const QString key = k.toString();
        if (m_session.environment.contains(key))
            p.env.insert(key, m_session.environment.value(key));
        else
            missing << key;
    }
    if (!missing.isEmpty()) {
        const QString why
            = QStringLiteral("reconcile not sent: the original request's environment %1 %2 %3 "
                             "not set here; export %4 (values are never stored) and reconcile "
                             "again")
                  .arg(missing.size() == 1 ? QStringLiteral("key") : QStringLiteral("keys"),
                       missing.join(QStringLiteral(", ")),
                       missing.size() == 1 ? QStringLiteral("is") : QStringLiteral("are"))
                  .arg(missing.size() == 1 ? QStringLiteral("it") : QStringLiteral("them"));
        audit(entry.workspaceId, action, req, QStringLiteral("refused"), why);
        return deliverSoon<Result<JournalEntry>>(context, std::move(done),
                                                 Error::make(Error::Kind::Config, why));
    }
    ProvisionFlow::Params params;
    params.request = p;
    params.reconcile = entry;
    params.auditRequest = req;
    auto deliver = guarded(context, std::move(done));
    auto *flow = new ProvisionFlow(
        this, std::move(params),
        [entry, deliver = std::move(deliver)](const Result<ProvisionOutcome> &r) {
            if (!r) {
                deliver(r.error());
                return;
            }
            JournalEntry out = entry;
            out.outcome = JournalEntry::Outcome::Reconciled;
            out.instanceId = r->instanceId;
            out.replacedInstanceId = r->replacedInstanceId;
            deliver(out);
        });
    return flow->start();
}

} // namespace cpc
