#pragma once

#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QtTest>

namespace cpc::test {

/// A private session bus with a Secret Service on it (gnome-keyring, unlocked), never the
/// developer's keyring. start() points this process's DBUS_SESSION_BUS_ADDRESS at it (before
/// the first QDBusConnection::sessionBus()); a child program gets address(). The suite links
/// Qt6::DBus.
class PrivateKeyring
{
public:
    ~PrivateKeyring() { stop(); }

    /// The keyring's files go below `home`. Empty on success, else what is missing.
    QString start(const QString &home)
    {
        m_bus.setProgram(QStringLiteral("dbus-daemon"));
        m_bus.setArguments({ QStringLiteral("--session"), QStringLiteral("--nofork"),
                             QStringLiteral("--nopidfile"), QStringLiteral("--print-address=1") });
        m_bus.start();
        if (!m_bus.waitForStarted(5000))
            return QStringLiteral("dbus-daemon is needed (packaging/setup.sh)");
        if (!QTest::qWaitFor([&] { return m_bus.canReadLine(); }, 5000))
            return QStringLiteral("dbus-daemon printed no address");
        m_address = QString::fromUtf8(m_bus.readLine()).trimmed();
        qputenv("DBUS_SESSION_BUS_ADDRESS", m_address.toUtf8());

        const QString runtime = home + QStringLiteral("/run");
        if (!QDir().mkpath(runtime)
            || !QFile::setPermissions(runtime,
                                      QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner))
            return QStringLiteral("could not make %1").arg(runtime);
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("HOME"), home);
        env.insert(QStringLiteral("XDG_DATA_HOME"), home + QStringLiteral("/keyring"));
        env.insert(QStringLiteral("XDG_RUNTIME_DIR"), runtime);
        m_keyring.setProcessEnvironment(env);
        m_keyring.setProgram(QStringLiteral("gnome-keyring-daemon"));
        m_keyring.setArguments({ QStringLiteral("--foreground"), QStringLiteral("--unlock"),
                                 QStringLiteral("--components=secrets") });
        m_keyring.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        m_keyring.start();
        if (!m_keyring.waitForStarted(5000))
            return QStringLiteral(
                "gnome-keyring-daemon is needed (Debian gnome-keyring, packaging/setup.sh)");
        m_keyring.write("keyring-unlock-password");
        m_keyring.closeWriteChannel();

        if (!QDBusConnection::sessionBus().isConnected())
            return QStringLiteral("no connection to the private session bus");
        if (!QTest::qWaitFor(
                [] {
                    return QDBusConnection::sessionBus().interface()->isServiceRegistered(
                        QStringLiteral("org.freedesktop.secrets"));
                },
                20000))
            return QStringLiteral("gnome-keyring-daemon registered no Secret Service");
        return {};
    }

    QString address() const { return m_address; }

    void stop()
    {
        for (QProcess *p : { &m_keyring, &m_bus }) {
            if (p->state() != QProcess::NotRunning) {
                p->terminate();
                if (!p->waitForFinished(5000)) {
                    p->kill();
                    p->waitForFinished();
                }
            }
        }
    }

private:
    QProcess m_bus;
    QProcess m_keyring;
    QString m_address;
};

} // namespace cpc::test
