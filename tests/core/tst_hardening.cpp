// Secrets live in the memory of both programs, so neither may leave a core dump or let another
// process of the same user read that memory: cpctl and cpconsole set RLIMIT_CORE to 0 and
// PR_SET_DUMPABLE to 0 first thing. Checked on the real, running binaries through /proc.
#include "ctlrunner.h"
#include "processhardening.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

using cpc::hardenProcess;

namespace {

constexpr uid_t kNobody = 65534;

/// "Max core file size  0  0  bytes" → {"0", "0"}; empty when unreadable.
QStringList coreLimit(qint64 pid)
{
    QFile f(QStringLiteral("/proc/%1/limits").arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    for (const QByteArray &line : f.readAll().split('\n')) {
        if (line.startsWith("Max core file size")) {
            const QStringList parts
                = QString::fromLatin1(line.mid(18))
                      .split(QRegularExpression(QStringLiteral("\\s+")), Qt::SkipEmptyParts);
            return parts.mid(0, 2);
        }
    }
    return {};
}

/// The owner of /proc/PID/environ (and mem, status…): the process's own user while it is
/// dumpable, root once it is not, so that other processes of that user cannot read them.
qint64 procOwner(qint64 pid)
{
    struct stat st
    {
    };
    if (::stat(QFile::encodeName(QStringLiteral("/proc/%1/environ").arg(pid)).constData(), &st)
        != 0)
        return -1;
    return st.st_uid;
}

} // namespace

class tst_Hardening : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_home;
    uid_t m_runAs = 0; ///< the user the programs run as: nobody when the test is root
    QString m_cpctl = QStringLiteral(CPC_BINARY_DIR "/app/cpctl");
    QString m_cpconsole = QStringLiteral(CPC_BINARY_DIR "/app/cpconsole");

    /// Starts `program` as m_runAs, with a core limit it could raise and keep, so a program
    /// that does nothing shows a non-zero limit.
    void start(QProcess &p, const QString &program, const QStringList &args)
    {
        QProcessEnvironment e = cpc::test::ctlBaseEnv(m_home);
        e.insert(QStringLiteral("XDG_RUNTIME_DIR"), m_home + QStringLiteral("/run"));
        e.insert(QStringLiteral("TMPDIR"), m_home);
        e.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        e.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"),
                 QStringLiteral("unix:path=/nonexistent/cpconsole-test/bus"));
        p.setProcessEnvironment(e);
        p.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        if (::geteuid() == 0) {
            // As root, /proc/PID/* is root's either way: run as nobody to tell the two apart.
            p.start(QStringLiteral("setpriv"),
                    QStringList { QStringLiteral("--reuid=%1").arg(m_runAs),
                                  QStringLiteral("--regid=%1").arg(m_runAs),
                                  QStringLiteral("--clear-groups"), program }
                        + args);
            return;
        }
        p.start(program, args);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        // A core limit above zero for the children to inherit (the hard limit allows it).
        rlimit rl {};
        QVERIFY(::getrlimit(RLIMIT_CORE, &rl) == 0);
        if (rl.rlim_max == 0)
            QFAIL("the hard core-file limit is 0 here: a program that did nothing would pass");
        rl.rlim_cur = rl.rlim_max == RLIM_INFINITY ? 1 << 20 : rl.rlim_max;
        QVERIFY(::setrlimit(RLIMIT_CORE, &rl) == 0);

        m_home = m_dir.filePath(QStringLiteral("home"));
        QVERIFY(QDir().mkpath(m_home));
        if (::geteuid() == 0) {
            QVERIFY2(!QStandardPaths::findExecutable(QStringLiteral("setpriv")).isEmpty(),
                     "setpriv (util-linux) is needed to run the programs as nobody");
            m_runAs = kNobody;
            // Only the test's own folders: nobody may enter the temporary folder and own home.
            QVERIFY(::chmod(QFile::encodeName(m_dir.path()).constData(), 0711) == 0);
            QVERIFY(::chown(QFile::encodeName(m_home).constData(), kNobody, kNobody) == 0);
            // The build folder may be where nobody cannot go (a clone under /root): copies of
            // the programs here, which link nothing of ours dynamically.
            const QString bin = m_dir.filePath(QStringLiteral("bin"));
            QVERIFY(QDir().mkpath(bin));
            QVERIFY(::chmod(QFile::encodeName(bin).constData(), 0755) == 0);
            for (QString *program : { &m_cpctl, &m_cpconsole }) {
                const QString copy = bin + u'/' + QFileInfo(*program).fileName();
                QVERIFY(QFile::copy(*program, copy));
                QVERIFY(::chmod(QFile::encodeName(copy).constData(), 0755) == 0);
                *program = copy;
            }
        } else {
            m_runAs = ::geteuid();
        }
    }

    void positiveControl()
    {
        // The same start, a program that does not harden itself: limit inherited, and /proc
        // owned by the user it runs as. Without this the checks below could not fail.
        QProcess p;
        start(p, QStringLiteral("sleep"), { QStringLiteral("30") });
        QVERIFY(p.waitForStarted());
        const auto stop = qScopeGuard([&p] {
            p.kill();
            p.waitForFinished();
        });
        QTRY_COMPARE(procOwner(p.processId()), qint64(m_runAs));
        QVERIFY(coreLimit(p.processId()).value(0) != QLatin1String("0"));
    }

    void cpctlSimIsHardened()
    {
        QProcess p;
        start(p, m_cpctl, { QStringLiteral("sim") });
        QVERIFY(p.waitForStarted());
        const auto stop = qScopeGuard([&p] {
            p.kill();
            p.waitForFinished();
        });
        // Running: it printed where the simulator listens.
        QTRY_VERIFY_WITH_TIMEOUT(p.canReadLine(), 20000);
        QVERIFY(p.state() == QProcess::Running);
        QCOMPARE(coreLimit(p.processId()),
                 (QStringList { QStringLiteral("0"), QStringLiteral("0") }));
        QCOMPARE(procOwner(p.processId()), qint64(0));
    }

    void cpconsoleIsHardened()
    {
        QProcess p;
        start(
            p, m_cpconsole,
            { QStringLiteral("--demo"), QStringLiteral("--demo-workspaces"), QStringLiteral("5") });
        QVERIFY(p.waitForStarted());
        const auto stop = qScopeGuard([&p] {
            p.kill();
            p.waitForFinished();
        });
        // The window needs a moment; hardening comes before any of it, so wait for it and then
        // check the program is still running (it was hardened, not gone).
        QTRY_COMPARE_WITH_TIMEOUT(coreLimit(p.processId()),
                                  (QStringList { QStringLiteral("0"), QStringLiteral("0") }),
                                  20000);
        QTRY_COMPARE_WITH_TIMEOUT(procOwner(p.processId()), qint64(0), 20000);
        QVERIFY(p.state() == QProcess::Running);
    }

    void inProcess()
    {
        QVERIFY(::prctl(PR_GET_DUMPABLE) == 1);
        QVERIFY(hardenProcess());
        QCOMPARE(::prctl(PR_GET_DUMPABLE), 0);
        rlimit rl {};
        QVERIFY(::getrlimit(RLIMIT_CORE, &rl) == 0);
        QCOMPARE(rl.rlim_cur, rlim_t(0));
        QCOMPARE(rl.rlim_max, rlim_t(0));
    }
};

QTEST_GUILESS_MAIN(tst_Hardening)
#include "tst_hardening.moc"
