// What the console creates is private from the start, whatever the umask: the data folder 0700
// and its databases 0600 (also when the workspace inventory is the first to create the folder),
// incident bundles 0700/0600, the settings file 0600. A path the user named keeps its mode (a
// warning when others can read it), and a FIFO or a device is refused before it is opened:
// cpctl answers at once with exit 2 instead of hanging on a FIFO, and never chmods a device.
#include "bundle.h"
#include "ctlrunner.h"
#include "dburl.h"
#include "profilestore.h"
#include "statestore.h"
#include "workspacesource.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QSettings>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

#include <cerrno>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <unistd.h>

using namespace cpc;
using namespace cpc::test;

namespace {

struct Stat
{
    bool exists = false;
    mode_t type = 0;
    int mode = -1; ///< the permission bits
    uid_t uid = 0;
    dev_t rdev = 0;
    bool operator==(const Stat &) const = default;
};

Stat statOf(const QString &path)
{
    struct stat st
    {
    };
    if (::stat(QFile::encodeName(path).constData(), &st) != 0)
        return {};
    return { true, mode_t(st.st_mode & S_IFMT), int(st.st_mode & 07777), st.st_uid, st.st_rdev };
}

int modeOf(const QString &path)
{
    return statOf(path).mode;
}

QString octal(int mode)
{
    return QStringLiteral("0%1").arg(mode, 3, 8, QChar(u'0'));
}

/// A umask for the scope of a test: the files must not depend on it.
class UmaskGuard
{
public:
    explicit UmaskGuard(mode_t mask)
        : m_old(::umask(mask))
    {
    }
    ~UmaskGuard() { ::umask(m_old); }
    UmaskGuard(const UmaskGuard &) = delete;
    UmaskGuard &operator=(const UmaskGuard &) = delete;

private:
    mode_t m_old;
};

struct Run
{
    int code = -1;
    bool finished = false;
    QString out;
    QString err;
};

} // namespace

class tst_PrivateFiles : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    int m_n = 0;

    /// A fresh folder for one case: its own HOME, XDG folders and files.
    QString newCase()
    {
        const QString path = m_dir.filePath(QStringLiteral("case-%1").arg(++m_n));
        QDir().mkpath(path);
        return path;
    }

    static QProcessEnvironment ctlEnv(const QString &home)
    {
        QProcessEnvironment e = ctlBaseEnv(home);
        e.insert(QStringLiteral("XDG_RUNTIME_DIR"), home + QStringLiteral("/run"));
        e.insert(QStringLiteral("MOLECULE_ORG_ID"), QStringLiteral("org-files"));
        return e;
    }

    /// Runs cpctl and waits up to `waitMs` for it to end; a process still running then is
    /// killed and reported as not finished (a hang).
    static Run cpctl(const QStringList &args, const QProcessEnvironment &env, int waitMs = 60000)
    {
        QProcess p;
        p.setProcessEnvironment(env);
        p.start(QStringLiteral(CPC_BINARY_DIR "/app/cpctl"), args);
        Run r;
        if (!p.waitForStarted())
            return r;
        p.closeWriteChannel();
        r.finished = p.waitForFinished(waitMs);
        if (!r.finished) {
            p.kill();
            p.waitForFinished();
        }
        r.code = r.finished && p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
        r.out = QString::fromUtf8(p.readAllStandardOutput());
        r.err = QString::fromUtf8(p.readAllStandardError());
        return r;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QCoreApplication::setOrganizationName(QStringLiteral("CPConsole"));
        QCoreApplication::setApplicationName(QStringLiteral("cpconsole"));
        // In-process cases find the data and config folders here, never the developer's.
        qputenv("HOME", m_dir.path().toLocal8Bit());
        qputenv("XDG_DATA_HOME", m_dir.filePath(QStringLiteral("data")).toLocal8Bit());
        qputenv("XDG_CONFIG_HOME", m_dir.filePath(QStringLiteral("config")).toLocal8Bit());
        QVERIFY(userDataDirectory().startsWith(m_dir.path()));
    }

    // --- the data folder and its databases ----------------------------------------------------

    void inventoryFirstStillMakesAPrivateDataFolder()
    {
        // The inventory (cpctl list) is the first to need the data folder; a umask of 0 would
        // make everything world-writable if the modes were left to it.
        const QString home = newCase();
        const QString data = home + QStringLiteral("/data/cpconsole");
        Run r;
        {
            UmaskGuard mask(0);
            r = cpctl({ QStringLiteral("list") }, ctlEnv(home));
        }
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QCOMPARE(octal(modeOf(data)), octal(0700));
        QCOMPARE(octal(modeOf(data + QStringLiteral("/workspaces.sqlite"))), octal(0600));
        {
            UmaskGuard mask(0);
            r = cpctl({ QStringLiteral("audit") }, ctlEnv(home));
        }
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QCOMPARE(octal(modeOf(data + QStringLiteral("/state.sqlite"))), octal(0600));
        QCOMPARE(octal(modeOf(data)), octal(0700));
    }

    void olderOpenDataFolderIsClosed()
    {
        // An earlier version left the folder 0755 and its databases 0644: the folder is ours,
        // so it is closed (which covers the files in it); the files keep their mode.
        const QString home = newCase();
        const QString data = home + QStringLiteral("/data/cpconsole");
        QVERIFY(QDir().mkpath(data));
        QVERIFY(::chmod(QFile::encodeName(data).constData(), 0755) == 0);
        {
            UmaskGuard mask(022);
            QVERIFY(WorkspaceSource::open(QStringLiteral("sqlite:") + data
                                          + QStringLiteral("/workspaces.sqlite")));
        }
        QVERIFY(::chmod(QFile::encodeName(data).constData(), 0755) == 0);
        QVERIFY(::chmod(QFile::encodeName(data + QStringLiteral("/workspaces.sqlite")).constData(),
                        0644)
                == 0);
        const Run r = cpctl({ QStringLiteral("list") }, ctlEnv(home));
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QCOMPARE(octal(modeOf(data)), octal(0700));
        QCOMPARE(octal(modeOf(data + QStringLiteral("/workspaces.sqlite"))), octal(0644));
        // Nobody else can reach it now: no warning about a file in a closed folder.
        QVERIFY2(!r.err.contains(QLatin1String("other users")), qPrintable(r.err));
    }

    void namedNewPathsArePrivate()
    {
        const QString base = newCase();
        const QString state = base + QStringLiteral("/a/b/state.sqlite");
        const QString db = base + QStringLiteral("/c/d/ws.sqlite");
        const int baseMode = modeOf(base);
        UmaskGuard mask(0);
        {
            auto st = StateStore::open(state);
            QVERIFY2(st, st ? "" : qPrintable(st.error().message));
            auto src = WorkspaceSource::open(QStringLiteral("sqlite:") + db);
            QVERIFY2(src, src ? "" : qPrintable(src.error().message));
        }
        for (const QString &dir : { base + QStringLiteral("/a"), base + QStringLiteral("/a/b"),
                                    base + QStringLiteral("/c"), base + QStringLiteral("/c/d") })
            QCOMPARE(octal(modeOf(dir)), octal(0700));
        QCOMPARE(octal(modeOf(state)), octal(0600));
        QCOMPARE(octal(modeOf(db)), octal(0600));
        // The folder that was there before keeps its mode.
        QCOMPARE(octal(modeOf(base)), octal(baseMode));
    }

    void sqliteSideFilesFollowTheDatabase()
    {
        // SQLite creates -wal and -shm (or -journal) beside the database with the database's
        // mode: a 0600 database keeps them private even in a shared folder.
        const QString base = newCase();
        QVERIFY(::chmod(QFile::encodeName(base).constData(), 0755) == 0);
        const QString db = base + QStringLiteral("/ws.sqlite");
        UmaskGuard mask(0);
        auto src = WorkspaceSource::open(QStringLiteral("sqlite:") + db);
        QVERIFY2(src, src ? "" : qPrintable(src.error().message));
        {
            QSqlDatabase raw
                = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("raw-wal"));
            raw.setDatabaseName(db);
            QVERIFY(raw.open());
            QSqlQuery q(raw);
            QVERIFY(q.exec(QStringLiteral("PRAGMA journal_mode=WAL")));
            QVERIFY(q.exec(QStringLiteral("CREATE TABLE side (x)")));
            QVERIFY(QFileInfo::exists(db + QStringLiteral("-wal")));
            QCOMPARE(octal(modeOf(db + QStringLiteral("-wal"))), octal(0600));
            QCOMPARE(octal(modeOf(db + QStringLiteral("-shm"))), octal(0600));
            q.finish();
            raw.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("raw-wal"));
    }

    void namedExistingFileKeepsItsModeWithAWarning()
    {
        const QString base = newCase();
        QVERIFY(::chmod(QFile::encodeName(base).constData(), 0755) == 0);
        const QString state = base + QStringLiteral("/state.sqlite");
        const QString db = base + QStringLiteral("/ws.sqlite");
        for (const QString &path : { state, db }) {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.close();
            QVERIFY(::chmod(QFile::encodeName(path).constData(), 0644) == 0);
        }
        QTest::ignoreMessage(QtWarningMsg,
                             QRegularExpression(QRegularExpression::escape(state)
                                                + QStringLiteral(".*other users.*0644")));
        auto st = StateStore::open(state);
        QVERIFY2(st, st ? "" : qPrintable(st.error().message));
        QCOMPARE(octal(modeOf(state)), octal(0644));

        QTest::ignoreMessage(QtWarningMsg,
                             QRegularExpression(QRegularExpression::escape(db)
                                                + QStringLiteral(".*other users.*0644")));
        auto src = WorkspaceSource::open(QStringLiteral("sqlite:") + db);
        QVERIFY2(src, src ? "" : qPrintable(src.error().message));
        QCOMPARE(octal(modeOf(db)), octal(0644));

        // A private one is opened without a word.
        const QString quiet = base + QStringLiteral("/quiet.sqlite");
        {
            QFile f(quiet);
            QVERIFY(f.open(QIODevice::WriteOnly));
        }
        QVERIFY(::chmod(QFile::encodeName(quiet).constData(), 0600) == 0);
        QTest::failOnWarning(QRegularExpression(QStringLiteral("other users")));
        QVERIFY(StateStore::open(quiet));
    }

    // --- not a regular file ---------------------------------------------------------------------

    void fifoIsRefusedAtOnce()
    {
        const QString home = newCase();
        const QString fifo = home + QStringLiteral("/state.fifo");
        QVERIFY(::mkfifo(QFile::encodeName(fifo).constData(), 0600) == 0);
        QProcessEnvironment env = ctlEnv(home);
        env.insert(QStringLiteral("CPCONSOLE_STATE"), fifo);
        // Refused before it is opened: no reader or writer on the other end is needed. The
        // wait is generous; a hang (the old behaviour) is killed after it.
        Run r = cpctl({ QStringLiteral("audit"), QStringLiteral("--timeout"), QStringLiteral("5") },
                      env, 20000);
        QVERIFY2(r.finished, "cpctl audit hung on a FIFO named by CPCONSOLE_STATE");
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains(fifo) && r.err.contains(QLatin1String("FIFO"))
                     && r.err.contains(QLatin1String("not a regular file")),
                 qPrintable(r.err));
        QCOMPARE(statOf(fifo).type, mode_t(S_IFIFO));
        QCOMPARE(octal(modeOf(fifo)), octal(0600));

        // The same for the workspace database.
        r = cpctl(
            { QStringLiteral("list"), QStringLiteral("--db"), QStringLiteral("sqlite:") + fifo },
            ctlEnv(home), 20000);
        QVERIFY2(r.finished, "cpctl list hung on a FIFO named by --db");
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains(fifo) && r.err.contains(QLatin1String("FIFO")), qPrintable(r.err));
        QVERIFY(!QFileInfo::exists(fifo + QStringLiteral("-journal")));
    }

    void deviceIsRefusedAndKeepsItsMode()
    {
        const QString home = newCase();
        // A device of the test's own first (as root: the null device's numbers, in the test's
        // folder), so a regression changes this node and not the machine's /dev/null.
        const QString node = home + QStringLiteral("/null");
        if (::mknod(QFile::encodeName(node).constData(), S_IFCHR | 0666, makedev(1, 3)) == 0) {
            QVERIFY(::chmod(QFile::encodeName(node).constData(), 0666) == 0);
            const Stat before = statOf(node);
            QProcessEnvironment env = ctlEnv(home);
            env.insert(QStringLiteral("CPCONSOLE_STATE"), node);
            Run r = cpctl({ QStringLiteral("audit") }, env, 20000);
            QVERIFY2(r.finished, "cpctl audit hung on a device");
            QCOMPARE(octal(statOf(node).mode), octal(0666));
            QCOMPARE(r.code, 2);
            QVERIFY2(r.err.contains(node) && r.err.contains(QLatin1String("character device")),
                     qPrintable(r.err));
            r = cpctl({ QStringLiteral("list"), QStringLiteral("--db"),
                        QStringLiteral("sqlite:") + node },
                      ctlEnv(home), 20000);
            QVERIFY2(r.finished, "cpctl list hung on a device");
            QCOMPARE(r.code, 2);
            QVERIFY2(r.err.contains(QLatin1String("character device")), qPrintable(r.err));
            QVERIFY(!QFileInfo::exists(node + QStringLiteral("-journal")));
            QVERIFY(statOf(node) == before);
        } else {
            qInfo("mknod: %s; checking /dev/null only", strerror(errno));
        }

        // The machine's /dev/null: only looked at, before and after.
        const QString devNull = QStringLiteral("/dev/null");
        const Stat before = statOf(devNull);
        QCOMPARE(before.type, mode_t(S_IFCHR));
        QProcessEnvironment env = ctlEnv(home);
        env.insert(QStringLiteral("CPCONSOLE_STATE"), devNull);
        Run r = cpctl({ QStringLiteral("audit") }, env, 20000);
        QVERIFY(r.finished);
        QVERIFY(statOf(devNull) == before);
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains(QLatin1String("/dev/null is a character device")),
                 qPrintable(r.err));
        r = cpctl(
            { QStringLiteral("list"), QStringLiteral("--db"), QStringLiteral("sqlite:/dev/null") },
            ctlEnv(home), 20000);
        QVERIFY(r.finished);
        QCOMPARE(r.code, 2);
        QVERIFY(statOf(devNull) == before);
        QVERIFY(!QFileInfo::exists(QStringLiteral("/dev/null-journal")));
    }

    void directoryIsRefused()
    {
        const QString dir = newCase();
        const auto st = StateStore::open(dir);
        QVERIFY(!st);
        QCOMPARE(st.error().kind, Error::Kind::Config);
        QVERIFY2(st.error().message.contains(QLatin1String("is a directory")),
                 qPrintable(st.error().message));
        const auto src = WorkspaceSource::open(QStringLiteral("sqlite:") + dir);
        QVERIFY(!src);
        QCOMPARE(src.error().kind, Error::Kind::Config);
    }

    // --- bundles and settings -------------------------------------------------------------------

    void bundleIsPrivate()
    {
        const QString out = newCase() + QStringLiteral("/incident/ws-1");
        BundleInput in;
        in.row.id = QStringLiteral("ws-1");
        in.consoleShown = QStringLiteral("boot\n");
        in.consoleRaw = QByteArrayLiteral("boot\n");
        Result<QStringList> written = QStringList();
        {
            UmaskGuard mask(0);
            written = writeBundle(out, in);
        }
        QVERIFY2(written, written ? "" : qPrintable(written.error().message));
        QCOMPARE(octal(modeOf(out)), octal(0700));
        QCOMPARE(octal(modeOf(QFileInfo(out).absolutePath())), octal(0700));
        QVERIFY(written->contains(QStringLiteral("manifest.json")));
        for (const QString &name : *written)
            QCOMPARE(octal(modeOf(out + u'/' + name)), octal(0600));
    }

    void settingsFileIsPrivate()
    {
        const QString config = m_dir.filePath(QStringLiteral("config"));
        const QString folder = config + QStringLiteral("/CPConsole");
        QVERIFY(!QFileInfo::exists(folder));
        QString file;
        {
            UmaskGuard mask(0);
            ProfileStore store;
            ProfileValues p;
            p.name = QStringLiteral("prod");
            p.orgId = QStringLiteral("org-1");
            store.save(p);
            store.setLastUsed(QStringLiteral("prod"));
            file = QSettings().fileName();
        }
        QVERIFY(file.startsWith(folder));
        QVERIFY(QFileInfo::exists(file));
        QCOMPARE(octal(modeOf(file)), octal(0600));
        QCOMPARE(octal(modeOf(folder)), octal(0700));

        // Saving again (QSettings replaces the file) keeps it private.
        {
            UmaskGuard mask(0);
            ProfileStore store;
            ProfileValues p = store.load(QStringLiteral("prod"));
            p.cpUrl = QStringLiteral("https://cp.example.com");
            store.save(p);
        }
        QCOMPARE(octal(modeOf(file)), octal(0600));

        // A settings file an earlier version left readable by everyone is ours: closed.
        QVERIFY(::chmod(QFile::encodeName(file).constData(), 0644) == 0);
        {
            ProfileStore store;
            QCOMPARE(store.names(), QStringList { QStringLiteral("prod") });
        }
        QCOMPARE(octal(modeOf(file)), octal(0600));
    }

    void consoleWindowSettingsArePrivate()
    {
        // The window writes its layout to the same settings file when it quits.
        const QString home = newCase();
        QProcessEnvironment env = ctlEnv(home);
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        env.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"),
                   QStringLiteral("unix:path=/nonexistent/cpconsole-test/bus"));
        QProcess p;
        p.setProcessEnvironment(env);
        {
            UmaskGuard mask(0);
            p.start(QStringLiteral(CPC_BINARY_DIR "/app/cpconsole"),
                    { QStringLiteral("--demo"), QStringLiteral("--demo-workspaces"),
                      QStringLiteral("3"), QStringLiteral("--quit-after"),
                      QStringLiteral("1000") });
            QVERIFY(p.waitForStarted());
        }
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 0);
        const QString folder = home + QStringLiteral("/config/CPConsole");
        const QString file = folder + QStringLiteral("/cpconsole.conf");
        QVERIFY2(QFile(file).size() > 0, "the window wrote no settings"); // positive control
        QCOMPARE(octal(modeOf(file)), octal(0600));
        QCOMPARE(octal(modeOf(folder)), octal(0700));
    }
};

QTEST_GUILESS_MAIN(tst_PrivateFiles)
#include "tst_privatefiles.moc"
