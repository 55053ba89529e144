#pragma once

#include <QElapsedTimer>
#include <QProcess>
#include <QtTest>

#include <functional>

namespace cpc::test {

/// What one cpctl run printed, as raw bytes: the checks look for escape bytes in them.
struct CtlRun
{
    int code = -1;
    QByteArray out;
    QByteArray err;
    qint64 ms = 0; ///< from start to end (or to the kill of a hang)
};

struct CtlRunOptions
{
    QByteArray stdinData;
    QString stdoutFile; ///< standard output goes to this file (e.g. /dev/full) instead of a pipe
    std::function<void()> childModifier; ///< runs in the child before exec (a pty, a limit)
};

/// Runs the built cpctl without blocking the event loop, so that a simulator or a test server
/// living in the test process can answer it.
inline CtlRun runCtl(const QStringList &args, const QProcessEnvironment &env,
                     const CtlRunOptions &o = {})
{
    QProcess p;
    p.setProcessEnvironment(env);
    if (!o.stdoutFile.isEmpty())
        p.setStandardOutputFile(o.stdoutFile);
    if (o.childModifier)
        p.setChildProcessModifier(o.childModifier);
    QElapsedTimer t;
    t.start();
    p.start(QStringLiteral(CPC_BINARY_DIR "/app/cpctl"), args);
    if (!p.waitForStarted())
        return {};
    if (!o.stdinData.isEmpty())
        p.write(o.stdinData);
    p.closeWriteChannel();
    // The servers live in this process: wait without blocking its event loop.
    [&] {
        QTRY_VERIFY_WITH_TIMEOUT(p.state() == QProcess::NotRunning, 60000);
    }();
    CtlRun r;
    r.ms = t.elapsed();
    if (p.state() != QProcess::NotRunning) {
        p.kill();
        p.waitForFinished();
    }
    r.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

/// A clean environment for cpctl: no variables of the developer's leak into a test.
inline QProcessEnvironment ctlBaseEnv(const QString &home)
{
    QProcessEnvironment e;
    e.insert(QStringLiteral("PATH"), qEnvironmentVariable("PATH"));
    e.insert(QStringLiteral("HOME"), home);
    e.insert(QStringLiteral("XDG_CONFIG_HOME"), home + QStringLiteral("/config"));
    e.insert(QStringLiteral("XDG_DATA_HOME"), home + QStringLiteral("/data"));
    e.insert(QStringLiteral("NO_PROXY"), QStringLiteral("127.0.0.1,localhost"));
    return e;
}

} // namespace cpc::test
