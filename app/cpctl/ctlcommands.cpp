// cpctl's commands, one function each, over one session (SessionSetup). One file over 600
// lines: the commands are short and share their preamble (openForWorkspace) and output helpers.
#include "ctlcommands.h"

#include "bundle.h"
#include "config.h"
#include "consolebuffer.h"
#include "cpclient.h"
#include "ctllist.h"
#include "ctloutput.h"
#include "ctlteam.h"
#include "dburl.h"
#include "logging.h"
#include "operations.h"
#include "secretstore.h"
#include "sessionsetup.h"
#include "statestore.h"
#include "validation.h"
#include "workspacesource.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
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

/// The preamble of every command on one workspace: exactly one valid ID, then the session
/// (the CP client only when the command calls the CP).
Result<QString> openForWorkspace(const Options &o, SessionSetup &s, const QString &usageText,
                                 bool needClient = true)
{
    if (o.args.size() != 1)
        return Error::make(Error::Kind::Config, usageText);
    const QString id = o.args.first();
    if (auto e = checkId(id))
        return *e;
    if (auto opened = s.openAll(needClient); !opened)
        return opened.error();
    return id;
}

/// On stderr (stdout stays the data, the exit code 0): the database holds no workspaces at
/// all, and whether this very command created it.
void noteEmptyDatabase(SessionSetup &s, bool listedNone, bool listedRemoved, bool created,
                       QTextStream &err)
{
    if (!listedNone)
        return;
    if (!created && !listedRemoved) {
        // The listing left removed rows out: only a database without any gets the note.
        ListOptions all;
        all.includeRemoved = true;
        const auto rows = s.source()->count(all);
        if (!rows || rows.value() > 0)
            return;
    }
    err << "note: database " << shown(s.source()->displayUrl()) << " holds no workspaces"
        << (created ? " (it was just created: check --db, CPCONSOLE_DB or the profile)" : "")
        << Qt::endl;
}

int cmdList(const Options &o, SessionSetup &s, QTextStream &out, QTextStream &err)
{
    if (auto e = s.loadProfile(); !e)
        return fail(err, e.error());
    // Opening a SQLite file that is not there creates it: an empty listing from it is a wrong
    // path far more often than an empty inventory, and must not pass for one.
    const auto url = DbUrl::parse(s.dbUrl());
    const bool sqliteFile
        = url && url->scheme == DbUrl::Scheme::Sqlite && url->path != QLatin1String(":memory:");
    const bool created = sqliteFile && !QFileInfo::exists(url->path);
    if (auto e = s.openSource(); !e)
        return fail(err, e.error());
    ListOptions lo;
    lo.includeRemoved = o.all || o.statusFilter == QLatin1String("removed");
    // The table (and --filter, --status) need only the table's columns: nothing else is read.
    lo.tableColumnsOnly = !o.json && !o.jsonLines;

    // Each row is written as it is read, in blocks straight to standard output; nothing holds
    // the list. The stream has nothing of its own to write first.
    out.flush();
    QFile stdoutFile;
    if (!stdoutFile.open(STDOUT_FILENO, QIODevice::WriteOnly | QIODevice::Unbuffered,
                         QFileDevice::DontCloseHandle))
        return fail(err,
                    Error::make(Error::Kind::Database,
                                QStringLiteral("could not write standard output: %1")
                                    .arg(stdoutFile.errorString())));
    ListWriter writer(o.jsonLines  ? ListWriter::Format::JsonLines
                          : o.json ? ListWriter::Format::Json
                                   : ListWriter::Format::Table,
                      stdoutFile);
    const QByteArray status = o.statusFilter.toUtf8();
    const ListFilter filter(o.filter);
    qint64 read = 0;
    const VoidResult scanned = s.source()->scan(lo, [&](const RawRow &r) {
        ++read;
        if (!o.statusFilter.isEmpty() && r.text[RawRow::Status] != QByteArrayView(status))
            return true;
        if (!filter.matches(r))
            return true;
        return writer.add(r);
    });
    if (!writer.error().isEmpty() || (scanned && !writer.finish())) {
        printError(err, QStringLiteral("could not write standard output: %1").arg(writer.error()));
        return ExitFailed;
    }
    if (!scanned) {
        // What was written stays written; the error says the list is not whole.
        writer.flush();
        return fail(err, scanned.error());
    }
    if (!o.json && !o.jsonLines)
        err << writer.rows() << " workspace(s)" << Qt::endl;
    noteEmptyDatabase(s, read == 0, lo.includeRemoved, created, err);
    return ExitOk;
}

int cmdShow(const Options &o, SessionSetup &s, QTextStream &out, QTextStream &err)
{
    const auto opened = openForWorkspace(
        o, s, QStringLiteral("show needs one workspace ID (cpctl show ID)"), false);
    if (!opened)
        return fail(err, opened.error());
    const QString id = opened.value();
    const auto row = s.source()->get(id);
    if (!row)
        return fail(err, row.error());
    if (!row.value())
        return fail(
            err,
            Error::make(Error::Kind::Database,
                        QStringLiteral("no workspace %1 in %2").arg(id, s.source()->displayUrl())));
    const auto history = s.state()->statusHistory(id, 50);
    const auto audit = s.state()->audit(id, 50);
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
                                   { QStringLiteral("detail"), x.detail },
                                   { QStringLiteral("db_user"), x.dbUser },
                                   { QStringLiteral("program"), x.program },
                                   { QStringLiteral("uuid"), x.uuid },
                                   { QStringLiteral("shared"), x.shared } });
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

int cmdProvision(const Options &o, SessionSetup &s, QTextStream &out, QTextStream &err)
{
    const QString usageText = QStringLiteral(
        "provision needs one workspace ID (cpctl provision ID --runtime R --tier N)");
    if (o.args.size() != 1)
        return usage(err, usageText);
    if (o.runtime.isEmpty())
        return usage(err, QStringLiteral("provision needs --runtime"));
    if (!o.tier)
        return usage(err, QStringLiteral("provision needs --tier (an integer)"));
    const auto opened = openForWorkspace(o, s, usageText);
    if (!opened)
        return fail(err, opened.error());
    const QString id = opened.value();
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
        [&](QObject *ctx, auto done) { s.operations()->provision(req, created, ctx, done, po); });
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

int cmdStop(const Options &o, SessionSetup &s, QTextStream &out, QTextStream &err)
{
    const auto opened = openForWorkspace(
        o, s, QStringLiteral("stop needs one workspace ID (cpctl stop ID [--yes])"));
    if (!opened)
        return fail(err, opened.error());
    const QString id = opened.value();
    if (s.operations()->writesRefused())
        return fail(
            err,
            Error::make(
                Error::Kind::ReadOnly,
                QStringLiteral("stop refused: %1").arg(s.operations()->writesRefusedReason())));
    if (!o.yes) {
        if (!o.stdinIsTerminal)
            return usage(
                err,
                QStringLiteral("refusing to stop %1 without --yes: no terminal to confirm on")
                    .arg(id));
        const auto row = s.source()->get(id);
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
        [&](QObject *ctx, auto done) { s.operations()->stop(id, ctx, done); });
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

int cmdStatus(const Options &o, SessionSetup &s, QTextStream &out, QTextStream &err)
{
    if (!o.all && o.args.size() != 1)
        return usage(err, QStringLiteral("status needs one workspace ID, or --all"));
    if (!o.all) {
        const QString id = o.args.first();
        if (auto e = checkId(id))
            return fail(err, *e);
    }
    if (auto e = s.openAll(); !e)
        return fail(err, e.error());
    if (!o.all) {
        const QString id = o.args.first();
        const StatusResult r = waitFor<StatusResult>(
            [&](QObject *ctx, auto done) { s.operations()->status(id, ctx, done); });
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
    const auto rows = s.source()->list({});
    if (!rows)
        return fail(err, rows.error());
    const QList<WorkspaceRow> &all = rows.value();
    QList<StatusResult> results(all.size());
    // As many connections as calls in flight: the client's default of 6 would queue the rest.
    s.client()->setStatusConcurrency(o.concurrency);
    int next = 0, done = 0, inFlight = 0;
    QEventLoop loop;
    std::function<void()> pump = [&] {
        while (inFlight < std::max(1, o.concurrency) && next < all.size()) {
            const int i = next++;
            ++inFlight;
            s.client()->status(all[i].id, all[i].instanceId, &loop, [&, i](const StatusResult &r) {
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

int cmdAudit(const Options &o, SessionSetup &s, QTextStream &out, QTextStream &err)
{
    if (auto e = s.openState(); !e)
        return fail(err, e.error());
    noteTeamState(s, err);
    if (o.followAudit)
        return followAudit(o, s, out, err);
    const auto entries = s.state()->audit(o.args.value(0), 1000);
    if (!entries)
        return fail(err, entries.error());
    if (o.json) {
        QJsonArray a;
        for (const AuditEntry &x : entries.value())
            a.append(auditJson(x));
        out << jsonText(QJsonDocument(a), QJsonDocument::Indented);
        return ExitOk;
    }
    QList<QStringList> table { { QStringLiteral("TIME"), QStringLiteral("USER"),
                                 QStringLiteral("PROFILE"), QStringLiteral("WORKSPACE"),
                                 QStringLiteral("ACTION"), QStringLiteral("RESULT"),
                                 QStringLiteral("DETAIL") } };
    for (const AuditEntry &x : entries.value())
        table.append(
            { iso(x.at), auditWho(x), x.profile.isEmpty() ? QStringLiteral("-") : x.profile,
              x.workspaceId.isEmpty() ? QStringLiteral("-") : x.workspaceId, x.action, x.result,
              x.shared ? x.detail : QStringLiteral("[not yet shared] ") + x.detail });
    printTable(out, table);
    return ExitOk;
}

int cmdSync(const Options &o, SessionSetup &s, QTextStream &out, QTextStream &err)
{
    if (o.from.isEmpty())
        return usage(err, QStringLiteral("sync needs --from URL (a postgresql:// source)"));
    if (auto e = s.loadProfile(); !e)
        return fail(err, e.error());
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
    if (auto e = s.openSource(); !e)
        return fail(err, e.error());
    if (auto e = s.openState(); !e)
        return fail(err, e.error());
    const VoidResult w = s.source()->upsertRows(rows.value());
    AuditEntry a;
    a.profile = s.profile().name;
    a.action = QStringLiteral("sync");
    a.request = QJsonObject { { QStringLiteral("from"), from.value()->displayUrl() },
                              { QStringLiteral("to"), s.source()->displayUrl() } };
    a.result = w ? QStringLiteral("ok") : QStringLiteral("error");
    a.detail = w ? QStringLiteral("%1 rows").arg(rows.value().size()) : w.error().message;
    s.state()->appendAudit(a);
    if (!w)
        return fail(err, w.error());
    out << "synced " << rows.value().size() << " workspace rows from " << from.value()->displayUrl()
        << " to " << s.source()->displayUrl() << '\n';
    return ExitOk;
}

int cmdBundle(const Options &o, SessionSetup &s, QTextStream &out, QTextStream &err)
{
    const QString usageText = QStringLiteral("bundle needs one workspace ID and --output DIR");
    if (o.outputDir.isEmpty())
        return usage(err, usageText);
    const auto opened = openForWorkspace(o, s, usageText);
    if (!opened)
        return fail(err, opened.error());
    const QString id = opened.value();
    const auto row = s.source()->get(id);
    if (!row)
        return fail(err, row.error());
    if (!row.value())
        return fail(
            err,
            Error::make(Error::Kind::Database,
                        QStringLiteral("no workspace %1 in %2").arg(id, s.source()->displayUrl())));
    BundleInput in;
    in.row = *row.value();
    in.profile = s.profile().name;
    in.orgId = s.config().orgId;
    in.cpUrl = s.config().baseUrl.toString();
    if (const auto h = s.state()->statusHistory(id, 1000))
        in.history = h.value();
    if (const auto a = s.state()->audit(id, 1000))
        in.audit = a.value();
    const auto console = waitFor<Result<ConsoleOutput>>(
        [&](QObject *ctx, auto done) { s.operations()->console(id, ctx, done); });
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
    a.profile = s.profile().name;
    a.orgId = s.config().orgId;
    a.workspaceId = id;
    a.action = QStringLiteral("bundle");
    a.request = QJsonObject { { QStringLiteral("output"), o.outputDir } };
    a.result = QStringLiteral("ok");
    a.detail = QStringLiteral("%1 files").arg(written.value().size());
    s.state()->appendAudit(a);
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
                         { QStringLiteral("shared"), j.shared },
                         { QStringLiteral("holder"),
                           QJsonObject { { QStringLiteral("db_user"), j.holder.dbUser },
                                         { QStringLiteral("program"), j.holder.program },
                                         { QStringLiteral("user"), j.holder.user },
                                         { QStringLiteral("host"), j.holder.host },
                                         { QStringLiteral("pid"), j.holder.pid },
                                         { QStringLiteral("profile"), j.holder.profile } } } };
}

int cmdJournal(const Options &o, SessionSetup &s, QTextStream &out, QTextStream &err)
{
    if (auto e = s.openState(); !e)
        return fail(err, e.error());
    noteTeamState(s, err);
    // Without --all: what is in flight now (and who holds it), then what needs the engineer.
    const auto inFlight = o.all ? Result<QList<JournalEntry>>(QList<JournalEntry> {})
                                : s.state()->inFlightJournal();
    if (!inFlight)
        return fail(err, inFlight.error());
    const auto entries = o.all ? s.state()->journal(500) : s.state()->unresolvedJournal();
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

int cmdReconcile(const Options &o, SessionSetup &s, QTextStream &out, QTextStream &err)
{
    bool ok = false;
    const qint64 id = o.args.value(0).toLongLong(&ok);
    if (o.args.size() != 1 || !ok)
        return usage(err, QStringLiteral("reconcile needs one journal ID (see cpctl journal)"));
    if (auto e = s.openAll(!o.clear); !e)
        return fail(err, e.error());
    const auto entries = s.state()->unresolvedJournal();
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
        [&](QObject *ctx, auto done) { s.operations()->reconcile(*it, o.clear, ctx, done); });
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

int runConsole(const Options &o, SessionSetup &s, QTextStream &out, QTextStream &err);
int runSim(const Options &o, const QProcessEnvironment &env, QTextStream &out, QTextStream &err);

SessionRequest sessionRequest(const Options &o, const QProcessEnvironment &env)
{
    SessionRequest r;
    r.profile = o.profile;
    r.dbUrl = o.db;
    r.statePath = o.state;
    r.readOnly = o.readOnly;
    // One run cannot turn read-only off: the source refuses writes itself as well.
    r.readOnlySource = true;
    r.allowInsecureHttp = o.allowInsecureHttp;
    r.timeoutSeconds = o.timeoutSeconds;
    r.retries = o.retries;
    r.env = env;
    return r;
}

namespace {

int runCommand(const Options &o, const QProcessEnvironment &env, QTextStream &out, QTextStream &err)
{
    const QString &c = o.command;
    // The keychain is asked only for a named profile's secrets, and only once. The setup
    // registers the environment's secrets with the redactor, for `sim` too.
    SecretStore secrets;
    SessionSetup s(sessionRequest(o, env), &secrets);
    if (c == QLatin1String("sim"))
        return runSim(o, env, out, err);
    if (!o.profile.isEmpty()) {
        if (auto e = s.loadProfile(); !e)
            return fail(err, e.error());
        if (!s.secretsNote().isEmpty())
            printError(err, QStringLiteral("warning: ") + s.secretsNote());
    }
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
    if (c == QLatin1String("state"))
        return cmdState(o, s, out, err);
    if (c == QLatin1String("reconcile"))
        return cmdReconcile(o, s, out, err);
    if (c == QLatin1String("bundle"))
        return cmdBundle(o, s, out, err);
    if (c == QLatin1String("console"))
        return runConsole(o, s, out, err);
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
