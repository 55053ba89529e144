// cpctl sim: the CP simulator for practice, its workspace database (never replaced under a
// console that has it open) and the environment file a shell sources to point at it.
#include "ctlcommands.h"
#include "ctloutput.h"
#include "dburl.h"
#include "demodata.h"
#include "simulator.h"
#include "workspacesource.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QTextStream>

#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace cpc::ctl {

namespace {

/// A credential for one simulator run: 32 random characters after a prefix that says what it is.
QString simToken(const char *prefix)
{
    QString s = QLatin1String(prefix);
    auto *rng = QRandomGenerator::system();
    for (int i = 0; i < 32; ++i)
        s += QLatin1Char("abcdefghijklmnopqrstuvwxyz0123456789"[rng->bounded(36)]);
    return s;
}

int exitFor(const Error &e)
{
    return e.kind == Error::Kind::Config || e.kind == Error::Kind::Policy ? ExitUsage : ExitFailed;
}

/// One word for a POSIX shell, whatever it holds (a path with spaces or quotes).
QString shellQuoted(const QString &value)
{
    QString q = value;
    q.replace(u'\'', QStringLiteral("'\\''"));
    return u'\'' + q + u'\'';
}

/// Writes `text` to `path` as a new file of mode 0600 (from its first byte: a temporary file
/// opened O_EXCL with that mode) and renames it over `path`, so a shell that sources the file
/// never reads half of it. An existing `path` that is not a regular file (/dev/null, a FIFO)
/// is refused: renaming over a device node as root would remove it from the machine.
VoidResult writePrivateAtomically(const QString &path, const QByteArray &text)
{
    const QFileInfo target(path);
    if (target.exists() && !target.isFile())
        return Error::make(
            Error::Kind::Config,
            QStringLiteral("--env-file %1 exists and is not a regular file").arg(path));
    const QByteArray tmp = QFile::encodeName(
        QStringLiteral("%1.tmp-%2").arg(path).arg(QCoreApplication::applicationPid()));
    const int fd = ::open(tmp.constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return Error::make(Error::Kind::Config,
                           QStringLiteral("cannot write --env-file %1: %2")
                               .arg(path, QString::fromLocal8Bit(std::strerror(errno))));
    // The umask cannot widen 0600, but it may narrow it; the mode is ours to fix.
    bool ok = ::fchmod(fd, 0600) == 0;
    for (qsizetype done = 0; ok && done < text.size();) {
        const ssize_t n = ::write(fd, text.constData() + done, size_t(text.size() - done));
        if (n < 0 && errno == EINTR)
            continue;
        ok = n > 0;
        done += n;
    }
    const int saved = errno;
    ok = ::fsync(fd) == 0 && ok;
    ::close(fd);
    if (!ok || ::rename(tmp.constData(), QFile::encodeName(path).constData()) != 0) {
        const int e = ok ? errno : saved;
        ::unlink(tmp.constData());
        return Error::make(Error::Kind::Database,
                           QStringLiteral("cannot write --env-file %1: %2")
                               .arg(path, QString::fromLocal8Bit(std::strerror(e))));
    }
    return Ok {};
}

/// The environment file is removed when the simulator is stopped (Ctrl+C, kill): its
/// credentials and port then lead nowhere, and a missing file says so more clearly. Only the
/// file this run wrote: another simulator may have written its own there since.
char g_envFile[4096];
dev_t g_envDevice = 0;
ino_t g_envInode = 0;

void removeEnvFileAndDie(int sig)
{
    // stat and unlink are async-signal-safe.
    struct stat st
    {
    };
    if (g_envFile[0] && ::stat(g_envFile, &st) == 0 && st.st_dev == g_envDevice
        && st.st_ino == g_envInode)
        ::unlink(g_envFile);
    std::signal(sig, SIG_DFL);
    std::raise(sig);
}

void removeEnvFileOnSignals(const QString &path)
{
    const QByteArray p = QFile::encodeName(QFileInfo(path).absoluteFilePath());
    struct stat st
    {
    };
    if (p.size() >= qsizetype(sizeof g_envFile) || ::stat(p.constData(), &st) != 0)
        return;
    g_envDevice = st.st_dev;
    g_envInode = st.st_ino;
    std::memcpy(g_envFile, p.constData(), size_t(p.size()) + 1);
    for (const int sig : { SIGINT, SIGTERM, SIGHUP })
        std::signal(sig, removeEnvFileAndDie);
}

/// The workspace database of this run. A file that exists is never replaced: a console may
/// have it open, and SQLite under a replaced file fails every later write ("readonly
/// database"). One with workspaces is used as it is (the simulator adopts their instances);
/// an empty one gets the generated rows.
Result<QList<WorkspaceRow>> prepareDatabase(const QString &dbUrl, int count, quint32 seed,
                                            QTextStream &err)
{
    const auto parsed = DbUrl::parse(dbUrl);
    if (!parsed)
        return parsed.error();
    auto src = WorkspaceSource::open(dbUrl);
    if (!src)
        return src.error();
    ListOptions all;
    all.includeRemoved = true;
    const auto existing = src.value()->list(all);
    if (!existing)
        return existing.error();
    if (!existing->isEmpty()) {
        err << "cpctl: using the workspaces already in " << shown(src.value()->displayUrl()) << " ("
            << existing->size()
            << "); an existing database is never replaced, since a console may have it open. "
               "Remove the file (or give another --db) for "
            << count << " new ones." << Qt::endl;
        return existing.value();
    }
    const auto rows = generateWorkspaces(count, seed, QDateTime::currentDateTimeUtc());
    if (const auto w = src.value()->upsertRows(rows); !w)
        return w.error();
    return rows;
}

} // namespace

int runSim(const Options &o, const QProcessEnvironment &env, QTextStream &out, QTextStream &err)
{
    if (!o.envFile.isEmpty()) {
        const QFileInfo f(o.envFile);
        if (f.exists() && !f.isFile()) {
            printError(err,
                       QStringLiteral("--env-file %1 exists and is not a regular file")
                           .arg(shown(o.envFile)));
            return ExitUsage;
        }
    }
    SimulatorOptions so;
    so.port = quint16(o.port.value_or(0));
    so.faults = o.faults;
    // Practice exercises authentication as the real CP does: credentials made up for this run,
    // printed below and enforced. Those in the environment may be the engineer's real ones:
    // they are neither used nor printed.
    if (!o.noAuth) {
        so.sharedSecret = Secret(simToken("sim-shared-"));
        so.adminToken = Secret(simToken("sim-admin-"));
        so.adminApiKey = Secret(simToken("sim-apikey-"));
    }
    so.bootMs = 3000;
    so.seed = 20261129;
    Simulator sim(so);
    QString error;
    if (!sim.start(&error)) {
        printError(err, QStringLiteral("simulator: ") + error);
        return error.contains(QLatin1String("fault"), Qt::CaseInsensitive) ? ExitUsage : ExitFailed;
    }
    QString dbUrl;
    if (o.workspaces) {
        dbUrl = o.db;
        if (dbUrl.isEmpty()) {
            const QString dir = QStandardPaths::writableLocation(QStandardPaths::TempLocation);
            dbUrl = QStringLiteral("sqlite:%1/cpctl-sim-%2.sqlite").arg(dir).arg(sim.port());
        }
        const auto rows = prepareDatabase(dbUrl, *o.workspaces, so.seed, err);
        if (!rows) {
            printError(err, rows.error().message);
            return exitFor(rows.error());
        }
        sim.adopt(rows.value());
    }
    const bool auth = !o.noAuth;
    const QString org = env.value(QStringLiteral("MOLECULE_ORG_ID"), QStringLiteral("sim-org"));
    QList<std::pair<QString, QString>> exports {
        { QStringLiteral("CP_PROVISION_URL"), sim.baseUrl().toString() },
        { QStringLiteral("MOLECULE_ORG_ID"), org },
    };
    if (!dbUrl.isEmpty())
        exports.append({ QStringLiteral("CPCONSOLE_DB"), dbUrl });
    if (auth) {
        exports.append({ QStringLiteral("MOLECULE_CP_SHARED_SECRET"), so.sharedSecret.reveal() });
        exports.append({ QStringLiteral("ADMIN_TOKEN"), so.adminToken.reveal() });
        exports.append({ QStringLiteral("CP_ADMIN_API_TOKEN"), so.adminApiKey.reveal() });
    }
    if (!o.envFile.isEmpty()) {
        // Throwaway credentials of a loopback simulator, in a file only its owner can read,
        // because the engineer asked for the file.
        QByteArray text = "# cpctl sim on " + sim.baseUrl().toString().toUtf8()
            + " (removed when the simulator stops)\n";
        for (const auto &[name, value] : exports)
            text += "export " + name.toUtf8() + '=' + shellQuoted(value).toUtf8() + '\n';
        if (const auto w = writePrivateAtomically(o.envFile, text); !w) {
            printError(err, w.error().message);
            return exitFor(w.error());
        }
        removeEnvFileOnSignals(o.envFile);
    }
    if (o.json) {
        QJsonObject j { { QStringLiteral("url"), sim.baseUrl().toString() },
                        { QStringLiteral("port"), sim.port() },
                        { QStringLiteral("org_id"), org },
                        { QStringLiteral("faults"), sim.faults() },
                        { QStringLiteral("auth"), auth } };
        if (!dbUrl.isEmpty())
            j.insert(QStringLiteral("db"), dbUrl);
        if (!o.envFile.isEmpty())
            j.insert(QStringLiteral("env_file"), QFileInfo(o.envFile).absoluteFilePath());
        if (auth) {
            j.insert(QStringLiteral("shared_secret"), so.sharedSecret.reveal());
            j.insert(QStringLiteral("admin_token"), so.adminToken.reveal());
            j.insert(QStringLiteral("admin_api_key"), so.adminApiKey.reveal());
        }
        out << QJsonDocument(j).toJson(QJsonDocument::Compact) << Qt::endl;
    } else {
        out << "# CP simulator on " << sim.baseUrl().toString() << " (faults: " << sim.faults()
            << ")\n";
        // Throwaway values of a loopback simulator, printed so that practice uses them.
        for (const auto &[name, value] : exports)
            out << "export " << name << '=' << value << '\n';
        if (auth)
            out << "# credentials: made up for this run and enforced (a wrong one gets 401); "
                   "--no-auth turns that off\n";
        else
            out << "# credentials: none required (--no-auth)\n";
        if (!o.envFile.isEmpty())
            out << "# in another shell: source " << shellQuoted(o.envFile) << " (mode 0600)\n";
        out << "# faults at run time: curl -X PUT --data 'status.5xx=0.2' "
            << sim.baseUrl().toString() << "/sim/faults\n";
        out << "# stop with Ctrl+C" << Qt::endl;
    }
    return QCoreApplication::exec();
}

} // namespace cpc::ctl
