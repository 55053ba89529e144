#include "ctlteam.h"

#include "ctloutput.h"
#include "dburl.h"
#include "statefeed.h"
#include "statestore.h"

#include <QCoreApplication>
#include <QJsonObject>
#include <QSocketNotifier>
#include <QTimer>

#include <csignal>
#include <unistd.h>

namespace cpc::ctl {

namespace {

QString iso(const QDateTime &t)
{
    return t.isValid() ? t.toUTC().toString(Qt::ISODate) : QString();
}

QString auditLine(const AuditEntry &x)
{
    QStringList cells { iso(x.at), auditWho(x),
                        x.workspaceId.isEmpty() ? QStringLiteral("-") : x.workspaceId, x.action,
                        x.result };
    if (!x.detail.isEmpty())
        cells << x.detail;
    if (!x.shared)
        cells << QStringLiteral("[not yet shared]");
    for (QString &c : cells)
        c = shown(c);
    return cells.join(QStringLiteral("  "));
}

} // namespace

QJsonObject auditJson(const AuditEntry &x)
{
    return { { QStringLiteral("id"), x.id },
             { QStringLiteral("at"), iso(x.at) },
             { QStringLiteral("db_user"), x.dbUser },
             { QStringLiteral("user"), x.user },
             { QStringLiteral("host"), x.host },
             { QStringLiteral("program"), x.program },
             { QStringLiteral("profile"), x.profile },
             { QStringLiteral("org_id"), x.orgId },
             { QStringLiteral("workspace_id"), x.workspaceId },
             { QStringLiteral("action"), x.action },
             { QStringLiteral("request"), x.request },
             { QStringLiteral("result"), x.result },
             { QStringLiteral("detail"), x.detail },
             { QStringLiteral("uuid"), x.uuid },
             { QStringLiteral("shared"), x.shared } };
}

namespace {

// SIGINT and SIGTERM end the follow loop cleanly (the output flushed, exit 0).
int g_stopPipe[2] = { -1, -1 };
void onStopSignal(int)
{
    const char c = 1;
    [[maybe_unused]] const auto n = ::write(g_stopPipe[1], &c, 1);
}

} // namespace

void noteTeamState(SessionSetup &s, QTextStream &err)
{
    StateStore *state = s.state();
    if (!state || !state->isTeam() || state->isShared())
        return;
    printError(err,
               QStringLiteral("warning: %1; working on the local outbox: what is written "
                              "now is not yet shared (%2 entries waiting)")
                   .arg(state->teamProblem())
                   .arg(state->unsharedCount()));
}

QString auditWho(const AuditEntry &e)
{
    QString who = e.dbUser.isEmpty() ? e.user : e.dbUser;
    if (!e.host.isEmpty())
        who += u'@' + e.host;
    if (!e.dbUser.isEmpty() && !e.user.isEmpty() && e.user != e.dbUser)
        who += QStringLiteral(" (OS user %1)").arg(e.user);
    return who;
}

int followAudit(const Options &o, SessionSetup &s, QTextStream &out, QTextStream &err)
{
    StateStore *state = s.state();
    // The last entries first, oldest at the top, then each new one as it is written.
    const QString ws = o.args.value(0);
    const auto recent = state->audit(ws, 20);
    if (!recent) {
        printError(err, recent.error().message);
        return ExitFailed;
    }
    qint64 last = 0;
    const auto print = [&](const AuditEntry &x) {
        last = std::max(last, x.id);
        if (!ws.isEmpty() && x.workspaceId != ws)
            return;
        if (o.json)
            out << jsonText(QJsonDocument(auditJson(x)), QJsonDocument::Compact) << '\n';
        else
            out << auditLine(x) << '\n';
        out.flush();
    };
    for (auto it = recent->crbegin(); it != recent->crend(); ++it)
        print(*it);
    if (const auto newest = state->audit({}, 1); newest && !newest->isEmpty())
        last = newest->first().id;

    // An announcement only wakes the loop: what is printed is everything after the last entry
    // printed, so that an entry written before the LISTEN took effect is not skipped.
    const auto drain = [&] {
        if (const auto more = state->auditAfter(last))
            for (const AuditEntry &x : *more)
                print(x);
    };
    StateFeed feed(state);
    QObject::connect(&feed, &StateFeed::auditAppended, &feed, drain);
    QObject::connect(&feed, &StateFeed::sharingChanged, &feed,
                     [&](bool shared, const QString &problem, int uploaded) {
                         if (shared)
                             printError(err,
                                        QStringLiteral("team state answers again (%1 "
                                                       "entries uploaded)")
                                            .arg(uploaded));
                         else
                             printError(err,
                                        QStringLiteral("warning: %1; following stops "
                                                       "until it answers")
                                            .arg(problem));
                         err.flush();
                     });
    // A local file has no announcements: it is read once a second.
    QTimer poll;
    if (!state->isTeam()) {
        QObject::connect(&poll, &QTimer::timeout, &poll, drain);
        poll.start(1000);
    }
    drain();
    printError(err,
               QStringLiteral("following the audit log of %1 (Ctrl-C ends)").arg(state->path()));
    err.flush();
    if (::pipe(g_stopPipe) != 0)
        return ExitFailed;
    QSocketNotifier stop(g_stopPipe[0], QSocketNotifier::Read);
    QObject::connect(&stop, &QSocketNotifier::activated, qApp, &QCoreApplication::quit);
    std::signal(SIGINT, onStopSignal);
    std::signal(SIGTERM, onStopSignal);
    QCoreApplication::exec();
    return ExitOk;
}

int cmdState(const Options &o, SessionSetup &s, QTextStream &out, QTextStream &err)
{
    const QString location = s.statePath();
    const QString sub = o.args.value(0);
    if (sub == QLatin1String("migrate")) {
        if (!StateStore::isTeamLocation(location)) {
            // A file is created and upgraded whenever it is opened.
            if (auto e = s.openState(); !e) {
                printError(err, e.error().message);
                return ExitFailed;
            }
            out << "local state " << shown(location) << ": schema version "
                << s.state()->schemaVersion() << " (a file is migrated when it is opened)\n";
            return ExitOk;
        }
        const auto m = StateStore::migrateTeam(location);
        if (!m) {
            printError(err, m.error().message);
            return ExitFailed;
        }
        const QString where = DbUrl::parse(location) ? DbUrl::parse(location)->display() : location;
        if (m->from == m->to)
            out << "team state " << shown(where) << ": schema cpconsole is at version " << m->to
                << ", nothing to do\n";
        else
            out << "team state " << shown(where) << ": schema cpconsole migrated from version "
                << m->from << " to " << m->to
                << "\n(the role cpconsole_app may read it, append to the audit log — INSERT and "
                   "SELECT only — and write the journal; grant it to each engineer: GRANT "
                   "cpconsole_app TO alice;)\n";
        return ExitOk;
    }
    if (!sub.isEmpty())
        return printError(err,
                          QStringLiteral("unknown: state %1 (see cpctl state --help)").arg(sub)),
               ExitUsage;
    if (auto e = s.openState(); !e) {
        printError(err, e.error().message);
        return ExitFailed;
    }
    StateStore *state = s.state();
    if (!state->isTeam()) {
        out << "local state " << shown(state->path()) << " (this machine only), schema version "
            << state->schemaVersion() << '\n';
        return ExitOk;
    }
    out << "team state " << shown(state->path()) << ", schema cpconsole version "
        << state->schemaVersion() << ": "
        << (state->isShared() ? QStringLiteral("shared") : QStringLiteral("UNREACHABLE")) << '\n';
    if (!state->isShared())
        out << "  " << shown(state->teamProblem()) << '\n';
    if (const int n = state->unsharedCount(); n > 0 || !state->isShared())
        out << "  " << n << " entries not yet shared (kept in the local outbox)\n";
    return state->isShared() ? ExitOk : ExitFailed;
}

} // namespace cpc::ctl
