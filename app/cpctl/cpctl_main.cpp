// cpctl: argument parsing only; the commands live beside it (ctlcommands), the session setup in
// core/session (shared with cpconsole).
#include "ctlcommands.h"
#include "ctloutput.h"
#include "processhardening.h"
#include "termtext.h"

#include "cpc_version.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QRegularExpression>
#include <QTextStream>

#include <cstdio>
#include <unistd.h>

using cpc::ctl::Options;

namespace {

struct Command
{
    const char *name;
    const char *synopsis;
    const char *summary;
    QStringList options; ///< command-specific option names
};

const QList<Command> &commands()
{
    static const QList<Command> c {
        { "list",
          "list [--all] [--status S] [--filter TEXT] [--json | --jsonl]",
          "List workspaces with their instance IDs, printed as they are read.",
          { "all", "status", "filter", "jsonl" } },
        { "show",
          "show ID [--json]",
          "One workspace, its status history and its audit entries.",
          {} },
        { "provision",
          "provision ID --runtime R --tier N [--name NAME] [--platform-url URL] [--env "
          "KEY=VALUE]... "
          "[--provider P] [--instance-type T] [--disk-gb N] [--replace]",
          "Provision compute for a workspace; prints the instance ID and records it.",
          { "runtime", "tier", "name", "platform-url", "env", "provider", "instance-type",
            "disk-gb", "replace" } },
        { "stop",
          "stop ID [--yes]",
          "Stop the workspace's instance (asks on a terminal; needs --yes otherwise).",
          { "yes" } },
        { "status",
          "status ID | status --all [--concurrency N]",
          "Print running, not-running or unknown. Exit 0 running, 3 not running, 4 unknown.",
          { "all", "concurrency" } },
        { "console",
          "console ID [--strip-ansi] [--output FILE] [--follow SECONDS]",
          "Print the serial console (at most 256 KiB); --follow prints only what is new on each "
          "fetch.",
          { "strip-ansi", "output", "follow" } },
        { "audit",
          "audit [ID] [--json] [--follow]",
          "Print the audit log (the team's with team state); --follow keeps printing new entries "
          "as they are written, by anyone.",
          { "follow" } },
        { "state",
          "state [migrate]",
          "Where the audit log, journal and locks are kept, and whether they are shared; "
          "migrate creates or upgrades the team state's schema (cpconsole).",
          {} },
        { "sync",
          "sync --from URL",
          "Copy the workspace rows of a PostgreSQL source into the local SQLite inventory.",
          { "from" } },
        { "sim",
          "sim [--port N] [--workspaces N] [--faults SPEC] [--no-auth] [--env-file FILE]",
          "Run the CP simulator on 127.0.0.1 with credentials made up at start; print the "
          "environment to point a console at it (and write it to FILE, mode 0600, to source).",
          { "port", "workspaces", "faults", "no-auth", "env-file" } },
        { "journal",
          "journal [--all] [--json]",
          "Provisions whose outcome is unknown (interrupted between request and record); --all: "
          "the whole journal.",
          { "all" } },
        { "reconcile",
          "reconcile JOURNAL_ID [--clear]",
          "Ask the CP about an unknown provision (same idempotency key) and record the instance; "
          "--clear closes it without asking.",
          { "clear" } },
        { "bundle",
          "bundle ID --output DIR",
          "Export an incident bundle: row, status history, audit, console (shown and raw), SHA-256 "
          "manifest.",
          { "output" } },
    };
    return c;
}

QList<QCommandLineOption> globalOptions()
{
    using O = QCommandLineOption;
    return {
        O(QStringList { "db" },
          "Workspace source: sqlite:PATH or postgresql://… (else $CPCONSOLE_DB, the profile, the "
          "default).",
          "URL"),
        O(QStringList { "state" },
          "State store: a SQLite file, or postgresql://… for team state (else $CPCONSOLE_STATE, "
          "the profile's team state, the default file).",
          "URL"),
        O(QStringList { "profile" },
          "Use a profile saved by cpconsole; its secrets come from the keychain (the environment "
          "still wins).",
          "NAME"),
        O(QStringList { "read-only" }, "Refuse every mutating action."),
        O(QStringList { "json" }, "Print data as JSON."),
        O(QStringList { "timeout" },
          "Overall deadline per request, in seconds (default 120; provision 600).", "SECONDS"),
        O(QStringList { "retries" },
          "Provision attempts on transient failures (default 5; same idempotency key).", "N"),
        O(QStringList { "allow-insecure-http" }, "Allow plain http to a non-loopback CP."),
        O(QStringList { "h", "help" }, "Show help (for a command: cpctl COMMAND --help)."),
        O(QStringList { "v", "version" }, "Show the version."),
    };
}

QCommandLineOption commandOption(const QString &name)
{
    static const QHash<QString, QPair<QString, QString>> all {
        { "all", { "Include every workspace (list: also removed ones).", {} } },
        { "jsonl", { "Print one JSON object per line (JSON Lines).", {} } },
        { "status", { "Only workspaces with this database status.", "S" } },
        { "filter",
          { "Only workspaces whose name, ID, instance, runtime or status contains TEXT.",
            "TEXT" } },
        { "runtime", { "Runtime (python, node, …). Required.", "R" } },
        { "tier", { "Tier (integer). Required.", "N" } },
        { "name", { "Name for a new row.", "NAME" } },
        { "platform-url", { "Platform URL passed to the instance.", "URL" } },
        { "env",
          { "Environment for the instance (repeatable); KEY alone passes $KEY from this "
            "environment.",
            "KEY=VALUE" } },
        { "provider", { "Compute provider.", "P" } },
        { "instance-type", { "Instance type.", "T" } },
        { "disk-gb", { "Disk size in GB.", "N" } },
        { "replace",
          { "Provision even when the instance on file runs or its status is unknown (its ID is "
            "recorded).",
            {} } },
        { "yes", { "Do not ask for confirmation.", {} } },
        { "clear", { "Close the journal entry without asking the CP.", {} } },
        { "concurrency",
          { "Requests in flight for --all (default 16; at most 64 connections to the CP).", "N" } },
        { "strip-ansi", { "Remove colours and escape codes.", {} } },
        { "output", { "Write to FILE / DIR instead of standard output.", "PATH" } },
        { "follow", { "Fetch every SECONDS and print only what is new.", "SECONDS" } },
        { "from", { "Source URL (postgresql://…).", "URL" } },
        { "port", { "Port on 127.0.0.1 (default: any free port).", "N" } },
        { "workspaces",
          { "Also a workspace database (--db, else a file in the temporary folder) with N "
            "generated rows; one that exists is used as it is, never replaced.",
            "N" } },
        { "env-file",
          { "Once the simulator listens, write its export lines to FILE (mode 0600, atomically) "
            "for `source FILE`; removed when the simulator stops.",
            "FILE" } },
        { "faults", { "Fault injection spec, e.g. status.5xx=0.2,console.oversize.", "SPEC" } },
        { "no-auth",
          { "Accept requests without credentials (by default the simulator makes up and enforces "
            "its own).",
            {} } },
    };
    const auto d = all.value(name);
    return d.second.isEmpty() ? QCommandLineOption(name, d.first)
                              : QCommandLineOption(name, d.first, d.second);
}

QString generalHelp()
{
    QString h = QStringLiteral("Usage: cpctl [global options] COMMAND [arguments]\n\nCP Console "
                               "from the terminal.\n\nCommands:\n");
    for (const Command &c : commands())
        h += QStringLiteral("  %1%2\n")
                 .arg(QString::fromLatin1(c.name).leftJustified(11),
                      QString::fromLatin1(c.summary));
    h += QStringLiteral("\nGlobal options (before or after the command):\n");
    for (const QCommandLineOption &o : globalOptions()) {
        QString names;
        for (const QString &n : o.names())
            names += (names.isEmpty() ? QString() : QStringLiteral(", "))
                + QString::fromLatin1(n.size() == 1 ? "-" : "--") + n;
        if (!o.valueName().isEmpty())
            names += u' ' + o.valueName();
        h += QStringLiteral("  %1%2\n").arg(names.leftJustified(28), o.description());
    }
    h += QStringLiteral(
        "\nConfiguration (environment wins over a profile): MOLECULE_ORG_ID "
        "(required), CP_PROVISION_URL or\n"
        "MOLECULE_CP_URL, MOLECULE_CP_SHARED_SECRET or PROVISION_SHARED_SECRET, "
        "ADMIN_TOKEN, CP_ADMIN_API_TOKEN,\n"
        "CPCONSOLE_DB, CPCONSOLE_STATE. Secrets are never taken from arguments.\n"
        "Profiles are the ones cpconsole saves (~/.config/CPConsole/cpconsole.conf); "
        "their secrets are\nread from the keychain (Secret Service).\n"
        "\nExit codes: 0 ok, 1 operation failed, 2 usage or configuration error;\n"
        "status: 0 running, 3 not running, 4 unknown.\n");
    return h;
}

bool toInt(const QString &s, int lo, int hi, int *out)
{
    bool ok = false;
    const int v = s.toInt(&ok);
    if (!ok || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

} // namespace

int main(int argc, char *argv[])
{
    cpc::hardenProcess(); // before any secret is read from the environment
    cpc::termtext::installLogSanitizer();
    QCoreApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("CPConsole"));
    QCoreApplication::setApplicationName(QStringLiteral("cpctl"));
    QCoreApplication::setApplicationVersion(QStringLiteral(CPC_VERSION));
    QTextStream out(stdout);
    QTextStream err(stderr);

    const QStringList args = QCoreApplication::arguments();
    // The command is the first argument that is neither an option nor a global option's value.
    static const QSet<QString> valued { "--db", "--state", "--profile", "--timeout", "--retries" };
    QString command;
    for (int i = 1; i < args.size(); ++i) {
        const QString &a = args[i];
        if (valued.contains(a)) {
            ++i;
            continue;
        }
        if (!a.startsWith(u'-')) {
            command = a;
            break;
        }
    }
    const Command *cmd = nullptr;
    for (const Command &c : commands())
        if (command == QLatin1String(c.name))
            cmd = &c;

    QCommandLineParser parser;
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    parser.addOptions(globalOptions());
    if (cmd) {
        for (const QString &o : cmd->options) {
            // audit's --follow is a switch; console's takes seconds.
            if (command == QLatin1String("audit") && o == QLatin1String("follow"))
                parser.addOption(QCommandLineOption(
                    o, QStringLiteral("Keep printing entries as they are written (Ctrl-C ends).")));
            else
                parser.addOption(commandOption(o));
        }
    }
    if (!parser.parse(args)) {
        err << "cpctl: " << parser.errorText()
            << (cmd ? QStringLiteral(" (see cpctl %1 --help)").arg(command)
                    : QStringLiteral(" (see cpctl --help)"))
            << Qt::endl;
        return cpc::ctl::ExitUsage;
    }
    if (parser.isSet(QStringLiteral("version"))) {
        out << "cpctl " << CPC_VERSION << '\n';
        const bool written = cpc::ctl::flushed(out, err, QStringLiteral("standard output"));
        return written ? 0 : cpc::ctl::ExitFailed;
    }
    if (parser.isSet(QStringLiteral("help")) || command.isEmpty()) {
        if (cmd) {
            out << "Usage: cpctl " << cmd->synopsis << "\n\n" << cmd->summary << "\n\nOptions:\n";
            for (const QString &o : cmd->options) {
                const QCommandLineOption opt = commandOption(o);
                out << "  "
                    << ("--" + o + (opt.valueName().isEmpty() ? QString() : u' ' + opt.valueName()))
                           .leftJustified(28)
                    << opt.description() << '\n';
            }
            out << "\nGlobal options: --db URL, --profile NAME, --read-only, --json, --timeout "
                   "SECONDS, --retries N, --allow-insecure-http\n";
        } else {
            out << generalHelp();
        }
        if (!cpc::ctl::flushed(out, err, QStringLiteral("standard output")))
            return cpc::ctl::ExitFailed;
        return command.isEmpty() && !parser.isSet(QStringLiteral("help")) ? cpc::ctl::ExitUsage : 0;
    }
    if (!cmd) {
        err << "cpctl: unknown command '" << command << "' (see cpctl --help)" << Qt::endl;
        return cpc::ctl::ExitUsage;
    }

    Options o;
    o.command = command;
    o.args = parser.positionalArguments().mid(1);
    o.db = parser.value(QStringLiteral("db"));
    o.profile = parser.value(QStringLiteral("profile"));
    o.state = parser.value(QStringLiteral("state"));
    o.readOnly = parser.isSet(QStringLiteral("read-only"));
    o.json = parser.isSet(QStringLiteral("json"));
    o.allowInsecureHttp = parser.isSet(QStringLiteral("allow-insecure-http"));
    o.stdinIsTerminal = isatty(fileno(stdin));
    auto bad = [&](const QString &what) {
        err << "cpctl: " << what << Qt::endl;
        return cpc::ctl::ExitUsage;
    };
    int v = 0;
    if (parser.isSet(QStringLiteral("timeout"))) {
        if (!toInt(parser.value(QStringLiteral("timeout")), 1, 86400, &v))
            return bad(QStringLiteral("--timeout takes a whole number of seconds from 1 to 86400"));
        o.timeoutSeconds = v;
    }
    if (parser.isSet(QStringLiteral("retries"))) {
        if (!toInt(parser.value(QStringLiteral("retries")), 1, 20, &v))
            return bad(QStringLiteral("--retries takes a whole number from 1 to 20"));
        o.retries = v;
    }
    auto opt = [&](const char *n) {
        return cmd->options.contains(QLatin1String(n)) && parser.isSet(QLatin1String(n));
    };
    auto val = [&](const char *n) {
        return opt(n) ? parser.value(QLatin1String(n)) : QString();
    };
    o.all = opt("all");
    o.statusFilter = val("status");
    o.filter = val("filter");
    o.jsonLines = opt("jsonl");
    o.runtime = val("runtime");
    o.name = val("name");
    o.platformUrl = val("platform-url");
    o.provider = val("provider");
    o.instanceType = val("instance-type");
    o.yes = opt("yes");
    o.replace = opt("replace");
    o.clear = opt("clear");
    o.stripAnsi = opt("strip-ansi");
    o.output = val("output");
    o.outputDir = val("output");
    o.from = val("from");
    o.faults = val("faults");
    o.noAuth = opt("no-auth");
    o.envFile = val("env-file");
    if (opt("tier")) {
        if (!toInt(val("tier"), 0, 100, &v))
            return bad(QStringLiteral("--tier takes a whole number"));
        o.tier = v;
    }
    if (opt("disk-gb")) {
        if (!toInt(val("disk-gb"), 1, 65536, &v))
            return bad(QStringLiteral("--disk-gb takes a whole number of GB from 1 to 65536"));
        o.diskGb = v;
    }
    if (opt("concurrency")) {
        if (!toInt(val("concurrency"), 1, 256, &v))
            return bad(QStringLiteral("--concurrency takes a whole number from 1 to 256"));
        o.concurrency = v;
    }
    if (command == QLatin1String("audit")) {
        o.followAudit = opt("follow");
    } else if (opt("follow")) {
        if (!toInt(val("follow"), 1, 3600, &v))
            return bad(QStringLiteral("--follow takes a whole number of seconds from 1 to 3600"));
        o.followSeconds = v;
    }
    if (opt("port")) {
        if (!toInt(val("port"), 0, 65535, &v))
            return bad(QStringLiteral("--port takes a port number"));
        o.port = v;
    }
    if (opt("workspaces")) {
        if (!toInt(val("workspaces"), 0, 1'000'000, &v))
            return bad(QStringLiteral("--workspaces takes a whole number from 0 to 1000000"));
        o.workspaces = v;
    }
    if (opt("env")) {
        static const QRegularExpression key(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]*$"));
        for (const QString &kv : parser.values(QStringLiteral("env"))) {
            const qsizetype eq = kv.indexOf(u'=');
            const QString k = eq < 0 ? kv : kv.left(eq);
            if (!key.match(k).hasMatch())
                return bad(
                    QStringLiteral(
                        "--env takes KEY=VALUE (or KEY alone, to pass that variable from this "
                        "environment) with KEY made of letters, digits and '_' (got '%1')")
                        .arg(k.left(40)));
            if (eq < 0) {
                // A secret for the instance can come from cpctl's environment instead of argv.
                if (!qEnvironmentVariableIsSet(qPrintable(k)))
                    return bad(
                        QStringLiteral("--env %1: that variable is not set in this environment")
                            .arg(k));
                o.env.insert(k, qEnvironmentVariable(qPrintable(k)));
            } else {
                o.env.insert(k, kv.mid(eq + 1));
            }
        }
    }
    const int rc = cpc::ctl::run(o, QProcessEnvironment::systemEnvironment(), out, err);
    out.flush();
    err.flush();
    return rc;
}
