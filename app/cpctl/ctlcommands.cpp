#include "ctlcommands.h"

#include "bundle.h"
#include "config.h"
#include "consolebuffer.h"
#include "cpclient.h"
#include "ctloutput.h"
#include "logging.h"
#include "operations.h"
#include "profilestore.h"
#include "statestore.h"
#include "validation.h"
#include "workspacesource.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QTextStream>
#include <QTimer>

#include <cstdio>
#include <unistd.h>

namespace cpc::ctl {

namespace {

int exitFor(const Error &e)
{
    switch (e.kind) {
    case Error::Kind::Config:
    case Error::Kind::Policy:
    case Error::Kind::ReadOnly:
        return ExitUsage;
    default:
        return ExitFailed;
    }
}

QString iso(const QDateTime &t)
{
    return t.isValid() ? t.toUTC().toString(Qt::ISODate) : QString();
}

QJsonObject rowJson(const WorkspaceRow &r)
{
    return QJsonObject {
        { QStringLiteral("id"), r.id },
        { QStringLiteral("name"), r.name },
        { QStringLiteral("role"), r.role },
        { QStringLiteral("status"), r.status },
        { QStringLiteral("runtime"), r.runtime },
        { QStringLiteral("tier"), r.tier },
        { QStringLiteral("instance_id"),
          r.instanceId.isEmpty() ? QJsonValue() : QJsonValue(r.instanceId) },
        { QStringLiteral("url"), r.url },
        { QStringLiteral("provider"), r.provider },
        { QStringLiteral("last_sample_error"), r.lastSampleError },
        { QStringLiteral("last_heartbeat_at"), iso(r.lastHeartbeatAt) },
        { QStringLiteral("created_at"), iso(r.createdAt) },
        { QStringLiteral("updated_at"), iso(r.updatedAt) },
    };
}

/// Waits for one callback on a local event loop.
template<typename T> T waitFor(const std::function<void(QObject *, CpClient::Callback<T>)> &start)
{
    QEventLoop loop;
    std::optional<T> result;
    start(&loop, [&](const T &v) {
        result = v;
        loop.quit();
    });
    if (!result)
        loop.exec();
    return *result;
}

/// The objects a command needs, built from options, environment and profile.
class Session
{
public:
    Session(const Options &o, const QProcessEnvironment &env)
        : m_o(o)
        , m_env(env)
    {
        // Every command redacts the configured secrets, not only those that call the CP: a
        // database field (last_sample_error) may hold one.
        for (const char *name : { "MOLECULE_CP_SHARED_SECRET", "PROVISION_SHARED_SECRET",
                                  "ADMIN_TOKEN", "CP_ADMIN_API_TOKEN" })
            redaction::registerSecret(Secret(env.value(QLatin1String(name)).trimmed()));
    }

    /// Loads the profile (plain values) when one was named.
    std::optional<Error> loadProfile()
    {
        if (m_o.profile.isEmpty())
            return std::nullopt;
        ProfileStore store;
        if (!store.contains(m_o.profile))
            return Error::make(
                Error::Kind::Config,
                QStringLiteral("no profile named '%1' (see the console's profile dialog)")
                    .arg(m_o.profile));
        m_profile = store.load(m_o.profile);
        return std::nullopt;
    }

    bool readOnly() const { return m_o.readOnly || m_profile.readOnly; }

    QString dbUrl() const
    {
        if (!m_o.db.isEmpty())
            return m_o.db;
        if (QString e = m_env.value(QStringLiteral("CPCONSOLE_DB")); !e.isEmpty())
            return e;
        if (!m_profile.dbUrl.isEmpty())
            return m_profile.dbUrl;
        return WorkspaceSource::defaultUrl();
    }

    std::optional<Error> openSource()
    {
        SourceOptions so;
        so.readOnly = readOnly();
        so.allowPostgresWrites = m_profile.allowWrites;
        auto s = WorkspaceSource::open(dbUrl(), so);
        if (!s)
            return s.error();
        m_source = std::move(s.value());
        return std::nullopt;
    }

    std::optional<Error> openState()
    {
        QString path = m_env.value(QStringLiteral("CPCONSOLE_STATE"));
        if (path.isEmpty())
            path = StateStore::defaultPath();
        auto s = StateStore::open(path);
        if (!s)
            return s.error();
        m_state = std::move(s.value());
        return std::nullopt;
    }

    std::optional<Error> openClient()
    {
        auto cfg = resolveConfig(m_env, m_profile, m_o.allowInsecureHttp);
        if (!cfg)
            return cfg.error();
        if (m_o.timeoutSeconds) {
            cfg.value().requestTimeoutMs = *m_o.timeoutSeconds * 1000;
            cfg.value().provisionTimeoutMs = *m_o.timeoutSeconds * 1000;
        }
        m_config = cfg.value();
        m_client = std::make_unique<CpClient>(&m_nam, m_config);
        if (m_o.retries) {
            RetryPolicy p = RetryPolicy::defaultPolicy();
            p.maxAttempts = *m_o.retries;
            m_client->setRetryPolicy(p);
        }
        return std::nullopt;
    }

    /// Source, state and client, then the operations over them.
    std::optional<Error> openAll(bool needClient = true)
    {
        if (auto e = loadProfile())
            return e;
        if (needClient) {
            if (auto e = openClient())
                return e;
        }
        if (auto e = openSource())
            return e;
        if (auto e = openState())
            return e;
        SessionInfo info;
        info.profile = m_profile.name;
        info.orgId = m_config.orgId;
        info.readOnly = readOnly();
        info.environment = m_env; // reconcile takes env values from here, as --env KEY does
        m_ops = std::make_unique<Operations>(m_client.get(), m_source.get(), m_state.get(), info);
        return std::nullopt;
    }

    const Options &m_o;
    const QProcessEnvironment &m_env;
    ProfileValues m_profile;
    CpConfig m_config;
    QNetworkAccessManager m_nam;
    std::unique_ptr<CpClient> m_client;
    std::unique_ptr<WorkspaceSource> m_source;
    std::unique_ptr<StateStore> m_state;
    std::unique_ptr<Operations> m_ops;
};

int fail(QTextStream &err, const Error &e)
{
    printError(err, e.message);
    return exitFor(e);
}

int usage(QTextStream &err, const QString &message)
{
    printError(err, message);
    return ExitUsage;
}

std::optional<Error> checkId(const QString &id)
{
    if (const VoidResult e = validation::checkWorkspaceId(id); !e)
        return Error::make(Error::Kind::Policy,
                           QStringLiteral("invalid workspace ID: %1").arg(e.error().message));
    return std::nullopt;
}

int cmdList(const Options &o, Session &s, QTextStream &out, QTextStream &err)
{
    if (auto e = s.loadProfile())
        return fail(err, *e);
    if (auto e = s.openSource())
        return fail(err, *e);
    ListOptions lo;
    lo.includeRemoved = o.all || o.statusFilter == QLatin1String("removed");
    const auto rows = s.m_source->list(lo);
    if (!rows)
        return fail(err, rows.error());
    const QString needle = o.filter.toLower();
    QList<WorkspaceRow> shown;
    for (const WorkspaceRow &r : rows.value()) {
        if (!o.statusFilter.isEmpty() && r.status != o.statusFilter)
            continue;
        if (!needle.isEmpty()
            && !(r.name.toLower().contains(needle) || r.id.toLower().contains(needle)
                 || r.instanceId.toLower().contains(needle) || r.runtime.toLower().contains(needle)
                 || r.status.toLower().contains(needle)))
            continue;
        shown.append(r);
    }
    if (o.json) {
        QJsonArray a;
        for (const WorkspaceRow &r : shown)
            a.append(rowJson(r));
        out << jsonText(QJsonDocument(a), QJsonDocument::Indented);
        return ExitOk;
    }
    QList<QStringList> table { { QStringLiteral("ID"), QStringLiteral("NAME"),
                                 QStringLiteral("STATUS"), QStringLiteral("RUNTIME"),
                                 QStringLiteral("TIER"), QStringLiteral("INSTANCE") } };
    for (const WorkspaceRow &r : shown)
        table.append({ r.id, r.name, r.status, r.runtime, QString::number(r.tier),
                       r.instanceId.isEmpty() ? QStringLiteral("-") : r.instanceId });
    printTable(out, table);
    err << shown.size() << " workspace(s)" << Qt::endl;
    return ExitOk;
}

int cmdShow(const Options &o, Session &s, QTextStream &out, QTextStream &err)
{
    if (o.args.size() != 1)
        return usage(err, QStringLiteral("show needs one workspace ID (cpctl show ID)"));
    const QString id = o.args.first();
    if (auto e = checkId(id))
        return fail(err, *e);
    if (auto e = s.openAll(false))
        return fail(err, *e);
    const auto row = s.m_source->get(id);
    if (!row)
        return fail(err, row.error());
    if (!row.value())
        return fail(
            err,
            Error::make(Error::Kind::Database,
                        QStringLiteral("no workspace %1 in %2").arg(id, s.m_source->displayUrl())));
    const auto history = s.m_state->statusHistory(id, 50);
    const auto audit = s.m_state->audit(id, 50);
    if (o.json) {
        QJsonObject obj = rowJson(*row.value());
        QJsonArray h, a;
        for (const StatusSample &x : history ? history.value() : QList<StatusSample> {})
            h.append(QJsonObject { { QStringLiteral("at"), iso(x.at) },
                                   { QStringLiteral("state"), runStateName(x.state) },
                                   { QStringLiteral("cp_state"), x.cpState },
                                   { QStringLiteral("detail"), x.detail } });
        for (const AuditEntry &x : audit ? audit.value() : QList<AuditEntry> {})
            a.append(QJsonObject { { QStringLiteral("at"), iso(x.at) },
                                   { QStringLiteral("user"), x.user },
                                   { QStringLiteral("action"), x.action },
                                   { QStringLiteral("result"), x.result },
                                   { QStringLiteral("detail"), x.detail } });
        obj.insert(QStringLiteral("status_history"), h);
        obj.insert(QStringLiteral("audit"), a);
        out << jsonText(QJsonDocument(obj), QJsonDocument::Indented);
        return ExitOk;
    }
    const WorkspaceRow &r = *row.value();
    const QList<QPair<QString, QString>> fields {
        { QStringLiteral("ID"), r.id },
        { QStringLiteral("Name"), r.name },
        { QStringLiteral("Role"), r.role },
        { QStringLiteral("Status"), r.status },
        { QStringLiteral("Runtime"), r.runtime },
        { QStringLiteral("Tier"), QString::number(r.tier) },
        { QStringLiteral("Instance"),
          r.instanceId.isEmpty() ? QStringLiteral("- (none on file)") : r.instanceId },
        { QStringLiteral("Provider"), r.provider },
        { QStringLiteral("URL"), r.url },
        { QStringLiteral("Last error"), r.lastSampleError },
        { QStringLiteral("Heartbeat"), iso(r.lastHeartbeatAt) },
        { QStringLiteral("Created"), iso(r.createdAt) },
        { QStringLiteral("Updated"), iso(r.updatedAt) },
    };
    for (const auto &[k, v] : fields)
        out << (k + u':').leftJustified(12) << shown(v) << '\n';
    out << "\nStatus history:\n";
    if (!history || history.value().isEmpty())
        out << "  (none)\n";
    else
        for (const StatusSample &x : history.value())
            out << "  " << iso(x.at) << "  " << runStateName(x.state).leftJustified(12)
                << shown(x.detail) << '\n';
    out << "\nAudit:\n";
    if (!audit || audit.value().isEmpty())
        out << "  (none)\n";
    else
        for (const AuditEntry &x : audit.value())
            out << "  " << iso(x.at) << "  " << shown(x.user) << "  " << shown(x.action) << "  "
                << shown(x.result) << "  " << shown(x.detail) << '\n';
    return ExitOk;
}

int cmdProvision(const Options &o, Session &s, QTextStream &out, QTextStream &err)
{
    if (o.args.size() != 1)
        return usage(
            err,
            QStringLiteral(
                "provision needs one workspace ID (cpctl provision ID --runtime R --tier N)"));
    if (o.runtime.isEmpty())
        return usage(err, QStringLiteral("provision needs --runtime"));
    if (!o.tier)
        return usage(err, QStringLiteral("provision needs --tier (an integer)"));
    const QString id = o.args.first();
    if (auto e = checkId(id))
        return fail(err, *e);
    if (auto e = s.openAll())
        return fail(err, *e);
    ProvisionRequest req;
    req.workspaceId = id;
    req.runtime = o.runtime;
    req.tier = *o.tier;
    req.platformUrl = o.platformUrl;
    req.env = o.env;
    req.provider = o.provider;
    req.instanceType = o.instanceType;
    req.diskGb = o.diskGb;
    WorkspaceRow created;
    created.id = id;
    created.name = o.name.isEmpty() ? id : o.name;
    created.runtime = o.runtime;
    created.tier = *o.tier;
    created.provider = o.provider;
    created.url = o.platformUrl;

    const bool tty = isatty(fileno(stderr));
    QElapsedTimer elapsed;
    elapsed.start();
    QTimer progress;
    if (tty) {
        QObject::connect(&progress, &QTimer::timeout, [&] {
            err << "\rprovisioning " << id << "… " << elapsed.elapsed() / 1000 << " s" << Qt::flush;
        });
        progress.start(1000);
    }
    ProvisionOptions po;
    po.replace = o.replace;
    const auto r = waitFor<Result<ProvisionOutcome>>(
        [&](QObject *ctx, auto done) { s.m_ops->provision(req, created, ctx, done, po); });
    progress.stop();
    if (tty)
        err << '\r' << QString(40, u' ') << '\r' << Qt::flush;
    if (!r)
        return fail(err, r.error());
    if (o.json) {
        out << jsonText(QJsonDocument(QJsonObject {
                            { QStringLiteral("workspace_id"), id },
                            { QStringLiteral("instance_id"), r->instanceId },
                            { QStringLiteral("private_ip"), r->privateIp },
                            { QStringLiteral("state"), r->state },
                            { QStringLiteral("idempotency_key"), r->idempotencyKey },
                            { QStringLiteral("attempts"), r->attempts },
                            { QStringLiteral("replaced_instance_id"), r->replacedInstanceId } }),
                        QJsonDocument::Compact)
            << '\n';
    } else {
        out << r->instanceId << '\n';
    }
    if (!r->replacedInstanceId.isEmpty())
        err << "cpctl: replaced " << shown(r->replacedInstanceId) << " on file with "
            << shown(r->instanceId) << " (both are in the audit log and the journal)" << Qt::endl;
    return ExitOk;
}

int cmdStop(const Options &o, Session &s, QTextStream &out, QTextStream &err)
{
    if (o.args.size() != 1)
        return usage(err, QStringLiteral("stop needs one workspace ID (cpctl stop ID [--yes])"));
    const QString id = o.args.first();
    if (auto e = checkId(id))
        return fail(err, *e);
    if (auto e = s.openAll())
        return fail(err, *e);
    if (s.m_ops->writesRefused())
        return fail(
            err,
            Error::make(Error::Kind::ReadOnly,
                        QStringLiteral("stop refused: %1").arg(s.m_ops->writesRefusedReason())));
    if (!o.yes) {
        if (!o.stdinIsTerminal)
            return usage(
                err,
                QStringLiteral("refusing to stop %1 without --yes: no terminal to confirm on")
                    .arg(id));
        const auto row = s.m_source->get(id);
        const QString name = row && row.value() ? row.value()->name : id;
        const QString iid = row && row.value() ? row.value()->instanceId : QString();
        err << "Stop workspace '" << shown(name) << "' (" << id << "), instance "
            << (iid.isEmpty() ? QStringLiteral("none on file") : shown(iid))
            << "?\nType the workspace name to confirm: " << Qt::flush;
        QTextStream in(stdin);
        const QString answer = in.readLine().trimmed();
        // The name as shown confirms too: a name with a control character cannot be typed.
        if (answer != name && answer != shown(name))
            return usage(err, QStringLiteral("not confirmed: nothing was stopped"));
    }
    const auto r = waitFor<Result<StopOutcome>>(
        [&](QObject *ctx, auto done) { s.m_ops->stop(id, ctx, done); });
    if (!r)
        return fail(err, r.error());
    if (o.json) {
        out << jsonText(
            QJsonDocument(QJsonObject { { QStringLiteral("workspace_id"), id },
                                        { QStringLiteral("instance_id"), r->instanceId },
                                        { QStringLiteral("stopped"), r->httpCallMade },
                                        { QStringLiteral("moved_on_to"), r->movedOnTo } }),
            QJsonDocument::Compact)
            << '\n';
    } else if (r->httpCallMade) {
        out << "stopped " << shown(r->instanceId) << '\n';
    } else {
        out << "nothing to stop: no instance ID on file\n";
    }
    if (!r->movedOnTo.isEmpty())
        err << "cpctl: warning: the row of " << id << " moved on to " << shown(r->movedOnTo)
            << " while " << shown(r->instanceId) << " was being stopped; " << shown(r->movedOnTo)
            << " stays on file (both IDs are in the audit log and the journal)" << Qt::endl;
    return ExitOk;
}

int exitForState(RunState s)
{
    switch (s) {
    case RunState::Running:
        return ExitOk;
    case RunState::NotRunning:
        return ExitNotRunning;
    case RunState::Unknown:
        break;
    }
    return ExitUnknown;
}

int cmdStatus(const Options &o, Session &s, QTextStream &out, QTextStream &err)
{
    if (!o.all && o.args.size() != 1)
        return usage(err, QStringLiteral("status needs one workspace ID, or --all"));
    if (!o.all) {
        const QString id = o.args.first();
        if (auto e = checkId(id))
            return fail(err, *e);
    }
    if (auto e = s.openAll())
        return fail(err, *e);
    if (!o.all) {
        const QString id = o.args.first();
        const StatusResult r = waitFor<StatusResult>(
            [&](QObject *ctx, auto done) { s.m_ops->status(id, ctx, done); });
        if (o.json) {
            out << jsonText(
                QJsonDocument(QJsonObject {
                    { QStringLiteral("workspace_id"), id },
                    { QStringLiteral("state"), runStateName(r.state) },
                    { QStringLiteral("cp_state"), r.cpState },
                    { QStringLiteral("error"), r.error ? r.error->message : QString() } }),
                QJsonDocument::Compact)
                << '\n';
        } else {
            out << runStateName(r.state) << '\n';
        }
        if (r.error)
            printError(err, r.error->message);
        return exitForState(r.state);
    }
    // --all: every listed workspace, bounded concurrency.
    const auto rows = s.m_source->list({});
    if (!rows)
        return fail(err, rows.error());
    const QList<WorkspaceRow> &all = rows.value();
    QList<StatusResult> results(all.size());
    int next = 0, done = 0, inFlight = 0;
    QEventLoop loop;
    std::function<void()> pump = [&] {
        while (inFlight < std::max(1, o.concurrency) && next < all.size()) {
            const int i = next++;
            ++inFlight;
            s.m_client->status(all[i].id, all[i].instanceId, &loop, [&, i](const StatusResult &r) {
                results[i] = r;
                --inFlight;
                ++done;
                if (done == all.size())
                    loop.quit();
                else
                    pump();
            });
        }
    };
    pump();
    if (!all.isEmpty())
        loop.exec();
    int unknown = 0;
    QJsonArray arr;
    for (int i = 0; i < all.size(); ++i) {
        const StatusResult &r = results[i];
        unknown += r.state == RunState::Unknown;
        if (o.json) {
            arr.append(QJsonObject {
                { QStringLiteral("workspace_id"), all[i].id },
                { QStringLiteral("name"), all[i].name },
                { QStringLiteral("state"), runStateName(r.state) },
                { QStringLiteral("error"), r.error ? r.error->message : QString() } });
        } else {
            out << shown(all[i].id) << '\t' << runStateName(r.state);
            if (r.error)
                out << '\t' << shown(r.error->message);
            out << '\n';
        }
    }
    if (o.json)
        out << jsonText(QJsonDocument(arr), QJsonDocument::Indented);
    return unknown ? ExitUnknown : ExitOk;
}

int cmdAudit(const Options &o, Session &s, QTextStream &out, QTextStream &err)
{
    if (auto e = s.openState())
        return fail(err, *e);
    const auto entries = s.m_state->audit(o.args.value(0), 1000);
    if (!entries)
        return fail(err, entries.error());
    if (o.json) {
        QJsonArray a;
        for (const AuditEntry &x : entries.value())
            a.append(QJsonObject { { QStringLiteral("id"), x.id },
                                   { QStringLiteral("at"), iso(x.at) },
                                   { QStringLiteral("user"), x.user },
                                   { QStringLiteral("host"), x.host },
                                   { QStringLiteral("profile"), x.profile },
                                   { QStringLiteral("org_id"), x.orgId },
                                   { QStringLiteral("workspace_id"), x.workspaceId },
                                   { QStringLiteral("action"), x.action },
                                   { QStringLiteral("request"), x.request },
                                   { QStringLiteral("result"), x.result },
                                   { QStringLiteral("detail"), x.detail } });
        out << jsonText(QJsonDocument(a), QJsonDocument::Indented);
        return ExitOk;
    }
    QList<QStringList> table { { QStringLiteral("TIME"), QStringLiteral("USER"),
                                 QStringLiteral("PROFILE"), QStringLiteral("WORKSPACE"),
                                 QStringLiteral("ACTION"), QStringLiteral("RESULT"),
                                 QStringLiteral("DETAIL") } };
    for (const AuditEntry &x : entries.value())
        table.append({ iso(x.at), x.host.isEmpty() ? x.user : x.user + u'@' + x.host,
                       x.profile.isEmpty() ? QStringLiteral("-") : x.profile,
                       x.workspaceId.isEmpty() ? QStringLiteral("-") : x.workspaceId, x.action,
                       x.result, x.detail });
    printTable(out, table);
    return ExitOk;
}

int cmdSync(const Options &o, Session &s, QTextStream &out, QTextStream &err)
{
    if (o.from.isEmpty())
        return usage(err, QStringLiteral("sync needs --from URL (a postgresql:// source)"));
    if (auto e = s.loadProfile())
        return fail(err, *e);
    SourceOptions ro;
    ro.readOnly = true;
    auto from = WorkspaceSource::open(o.from, ro);
    if (!from)
        return fail(err, from.error());
    ListOptions lo;
    lo.includeRemoved = true;
    const auto rows = from.value()->list(lo);
    if (!rows)
        return fail(err, rows.error());
    const QString target = s.dbUrl();
    if (!target.startsWith(QLatin1String("sqlite:")))
        return usage(err,
                     QStringLiteral("sync writes only to a local sqlite: inventory (got %1)")
                         .arg(target.section(u':', 0, 0)));
    if (s.readOnly())
        return fail(err,
                    Error::make(Error::Kind::ReadOnly,
                                QStringLiteral("sync refused: read-only mode is on")));
    if (auto e = s.openSource())
        return fail(err, *e);
    if (auto e = s.openState())
        return fail(err, *e);
    const VoidResult w = s.m_source->upsertRows(rows.value());
    AuditEntry a;
    a.profile = s.m_profile.name;
    a.action = QStringLiteral("sync");
    a.request = QJsonObject { { QStringLiteral("from"), from.value()->displayUrl() },
                              { QStringLiteral("to"), s.m_source->displayUrl() } };
    a.result = w ? QStringLiteral("ok") : QStringLiteral("error");
    a.detail = w ? QStringLiteral("%1 rows").arg(rows.value().size()) : w.error().message;
    s.m_state->appendAudit(a);
    if (!w)
        return fail(err, w.error());
    out << "synced " << rows.value().size() << " workspace rows from " << from.value()->displayUrl()
        << " to " << s.m_source->displayUrl() << '\n';
    return ExitOk;
}

int cmdBundle(const Options &o, Session &s, QTextStream &out, QTextStream &err)
{
    if (o.args.size() != 1 || o.outputDir.isEmpty())
        return usage(err, QStringLiteral("bundle needs one workspace ID and --output DIR"));
    const QString id = o.args.first();
    if (auto e = checkId(id))
        return fail(err, *e);
    if (auto e = s.openAll())
        return fail(err, *e);
    const auto row = s.m_source->get(id);
    if (!row)
        return fail(err, row.error());
    if (!row.value())
        return fail(
            err,
            Error::make(Error::Kind::Database,
                        QStringLiteral("no workspace %1 in %2").arg(id, s.m_source->displayUrl())));
    BundleInput in;
    in.row = *row.value();
    in.profile = s.m_profile.name;
    in.orgId = s.m_config.orgId;
    in.cpUrl = s.m_config.baseUrl.toString();
    if (const auto h = s.m_state->statusHistory(id, 1000))
        in.history = h.value();
    if (const auto a = s.m_state->audit(id, 1000))
        in.audit = a.value();
    const auto console = waitFor<Result<ConsoleOutput>>(
        [&](QObject *ctx, auto done) { s.m_ops->console(id, ctx, done); });
    if (console) {
        ConsoleBuffer buffer;
        buffer.merge(console->output);
        in.consoleShown = buffer.plainText();
        in.consoleRaw = console->output.toUtf8();
    } else {
        in.consoleError = console.error().message;
        printError(err,
                   console.error().message
                       + QStringLiteral(" (the bundle is written without a console)"));
    }
    const auto written = writeBundle(o.outputDir, in);
    if (!written)
        return fail(err, written.error());
    AuditEntry a;
    a.profile = s.m_profile.name;
    a.orgId = s.m_config.orgId;
    a.workspaceId = id;
    a.action = QStringLiteral("bundle");
    a.request = QJsonObject { { QStringLiteral("output"), o.outputDir } };
    a.result = QStringLiteral("ok");
    a.detail = QStringLiteral("%1 files").arg(written.value().size());
    s.m_state->appendAudit(a);
    for (const QString &f : written.value())
        out << QDir(o.outputDir).filePath(f) << '\n';
    return ExitOk;
}

QJsonObject journalJson(const JournalEntry &j)
{
    return QJsonObject { { QStringLiteral("id"), j.id },
                         { QStringLiteral("kind"), journalKindName(j.kind) },
                         { QStringLiteral("started_at"), iso(j.startedAt) },
                         { QStringLiteral("finished_at"), iso(j.finishedAt) },
                         { QStringLiteral("workspace_id"), j.workspaceId },
                         { QStringLiteral("idempotency_key"), j.idempotencyKey },
                         { QStringLiteral("request"), j.request },
                         { QStringLiteral("outcome"), journalOutcomeName(j.outcome) },
                         { QStringLiteral("in_flight"),
                           j.outcome == JournalEntry::Outcome::Pending },
                         { QStringLiteral("instance_id"), j.instanceId },
                         { QStringLiteral("replaced_instance_id"), j.replacedInstanceId },
                         { QStringLiteral("moved_on_to"), j.movedOnTo },
                         { QStringLiteral("detail"), j.detail },
                         { QStringLiteral("holder"),
                           QJsonObject { { QStringLiteral("user"), j.holder.user },
                                         { QStringLiteral("host"), j.holder.host },
                                         { QStringLiteral("pid"), j.holder.pid },
                                         { QStringLiteral("profile"), j.holder.profile } } } };
}

int cmdJournal(const Options &o, Session &s, QTextStream &out, QTextStream &err)
{
    if (auto e = s.openState())
        return fail(err, *e);
    // Without --all: what is in flight now (and who holds it), then what needs the engineer.
    const auto inFlight = o.all ? Result<QList<JournalEntry>>(QList<JournalEntry> {})
                                : s.m_state->inFlightJournal();
    if (!inFlight)
        return fail(err, inFlight.error());
    const auto entries = o.all ? s.m_state->journal(500) : s.m_state->unresolvedJournal();
    if (!entries)
        return fail(err, entries.error());
    const QList<JournalEntry> listed = inFlight.value() + entries.value();
    if (o.json) {
        QJsonArray a;
        for (const JournalEntry &j : listed)
            a.append(journalJson(j));
        out << jsonText(QJsonDocument(a), QJsonDocument::Indented);
        return ExitOk;
    }
    QList<QStringList> table { { QStringLiteral("ID"), QStringLiteral("STARTED"),
                                 QStringLiteral("WORKSPACE"), QStringLiteral("KIND"),
                                 QStringLiteral("OUTCOME"), QStringLiteral("BY"),
                                 QStringLiteral("IDEMPOTENCY KEY"), QStringLiteral("INSTANCE") } };
    for (const JournalEntry &j : listed) {
        QString instance = j.instanceId.isEmpty() ? QStringLiteral("-") : j.instanceId;
        if (!j.movedOnTo.isEmpty())
            instance += QStringLiteral(" (row: %1)").arg(j.movedOnTo);
        table.append(
            { QString::number(j.id), iso(j.startedAt), j.workspaceId, journalKindName(j.kind),
              j.outcome == JournalEntry::Outcome::Pending ? QStringLiteral("in-flight")
                                                          : journalOutcomeName(j.outcome),
              j.holder.describe(),
              j.idempotencyKey.isEmpty() ? QStringLiteral("-") : j.idempotencyKey, instance });
    }
    printTable(out, table);
    if (!o.all) {
        if (!inFlight.value().isEmpty())
            err << inFlight.value().size() << " operation(s) in flight" << Qt::endl;
        err << entries.value().size() << " provision(s) with an unknown outcome"
            << (entries.value().isEmpty()
                    ? QString()
                    : QStringLiteral(
                        ": cpctl reconcile ID asks the CP, --clear closes without asking"))
            << Qt::endl;
    }
    return ExitOk;
}

int cmdReconcile(const Options &o, Session &s, QTextStream &out, QTextStream &err)
{
    bool ok = false;
    const qint64 id = o.args.value(0).toLongLong(&ok);
    if (o.args.size() != 1 || !ok)
        return usage(err, QStringLiteral("reconcile needs one journal ID (see cpctl journal)"));
    if (auto e = s.openAll(!o.clear))
        return fail(err, *e);
    const auto entries = s.m_state->unresolvedJournal();
    if (!entries)
        return fail(err, entries.error());
    const auto it = std::find_if(entries.value().cbegin(), entries.value().cend(),
                                 [id](const JournalEntry &j) { return j.id == id; });
    if (it == entries.value().cend())
        return fail(
            err,
            Error::make(
                Error::Kind::Database,
                QStringLiteral("no unresolved journal entry %1 (see cpctl journal)").arg(id)));
    const auto r = waitFor<Result<JournalEntry>>(
        [&](QObject *ctx, auto done) { s.m_ops->reconcile(*it, o.clear, ctx, done); });
    if (!r)
        return fail(err, r.error());
    if (o.json)
        out << jsonText(QJsonDocument(journalJson(r.value())), QJsonDocument::Compact) << '\n';
    else if (o.clear)
        out << "cleared journal entry " << id << '\n';
    else
        out << "recorded " << shown(r->instanceId) << " for " << shown(r->workspaceId) << '\n';
    return ExitOk;
}

} // namespace

int runConsole(const Options &o, const QProcessEnvironment &env, QTextStream &out,
               QTextStream &err);
int runSim(const Options &o, const QProcessEnvironment &env, QTextStream &out, QTextStream &err);

namespace {

int runCommand(const Options &o, const QProcessEnvironment &env, QTextStream &out, QTextStream &err)
{
    Session s(o, env);
    const QString &c = o.command;
    if (c == QLatin1String("list"))
        return cmdList(o, s, out, err);
    if (c == QLatin1String("show"))
        return cmdShow(o, s, out, err);
    if (c == QLatin1String("provision"))
        return cmdProvision(o, s, out, err);
    if (c == QLatin1String("stop"))
        return cmdStop(o, s, out, err);
    if (c == QLatin1String("status"))
        return cmdStatus(o, s, out, err);
    if (c == QLatin1String("audit"))
        return cmdAudit(o, s, out, err);
    if (c == QLatin1String("sync"))
        return cmdSync(o, s, out, err);
    if (c == QLatin1String("journal"))
        return cmdJournal(o, s, out, err);
    if (c == QLatin1String("reconcile"))
        return cmdReconcile(o, s, out, err);
    if (c == QLatin1String("bundle"))
        return cmdBundle(o, s, out, err);
    if (c == QLatin1String("console"))
        return runConsole(o, env, out, err);
    if (c == QLatin1String("sim"))
        return runSim(o, env, out, err);
    return usage(err, QStringLiteral("unknown command '%1' (see cpctl --help)").arg(c));
}

} // namespace

int run(const Options &o, const QProcessEnvironment &env, QTextStream &out, QTextStream &err)
{
    const int rc = runCommand(o, env, out, err);
    // Output that never reached its file (a full disk, /dev/full) is a failure, not a success.
    return flushed(out, err, QStringLiteral("standard output")) ? rc : ExitFailed;
}

} // namespace cpc::ctl
