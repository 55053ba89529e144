#pragma once

#include "sessionsetup.h"

#include <QMap>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

#include <optional>

class QTextStream;

namespace cpc::ctl {

/// Exit codes of cpctl.
enum Exit {
    ExitOk = 0,
    ExitFailed = 1, ///< the operation failed (CP or database)
    ExitUsage = 2, ///< usage or configuration error, refused write, invalid ID
    ExitNotRunning = 3, ///< status: not running
    ExitUnknown = 4, ///< status: unknown
};

/// Everything cpctl parsed from its arguments; app/cpctl_main.cpp fills it.
struct Options
{
    QString command;
    QStringList args; ///< positional arguments after the command
    // global
    QString db; ///< --db, else CPCONSOLE_DB, else the profile, else the default
    QString profile;
    QString state; ///< --state: the state store (a file, or a team state URL)
    bool readOnly = false;
    bool json = false;
    std::optional<int> timeoutSeconds;
    std::optional<int> retries; ///< provision attempts (default 5)
    bool allowInsecureHttp = false;
    // list
    bool all = false;
    QString statusFilter;
    QString filter;
    bool jsonLines = false; ///< --jsonl: one JSON object per line
    // provision
    QString runtime;
    std::optional<int> tier;
    QString name;
    QString platformUrl;
    QMap<QString, QString> env;
    QString provider;
    QString instanceType;
    std::optional<int> diskGb;
    bool replace = false; ///< provision over a running (or unknown) instance on file
    // stop
    bool yes = false;
    // audit
    bool followAudit = false;
    // reconcile
    bool clear = false;
    // status --all
    int concurrency = 16;
    // console
    bool stripAnsi = false;
    QString output;
    std::optional<int> followSeconds;
    // sync
    QString from;
    // sim
    std::optional<int> port;
    std::optional<int> workspaces;
    QString faults;
    bool noAuth = false; ///< the simulator accepts requests without credentials
    QString envFile; ///< where the simulator writes its export lines (mode 0600)
    // bundle
    QString outputDir;

    bool stdinIsTerminal = false;
};

/// The session cpctl asks for: its options and environment, read-only fixed for the run.
SessionRequest sessionRequest(const Options &options, const QProcessEnvironment &env);

/// Runs one command. Output goes to `out`, errors (one clear line each) to `err`.
int run(const Options &options, const QProcessEnvironment &env, QTextStream &out, QTextStream &err);

} // namespace cpc::ctl
