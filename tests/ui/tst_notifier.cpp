// Desktop notifications: the console speaks the freedesktop Notifications protocol on the
// session bus. The test runs a real, private dbus-daemon and a notification server of its own
// on it (a second bus connection, so every call goes through the daemon), then checks what an
// engineer would see: a pinned workspace that changes state pops a desktop notification with
// the workspace's name and the transition; a server that refuses or has gone away does not
// lose the notification — it shows in the window; and without any server the window's own
// notice is used.
#include "cpc_version.h"
#include "guitestsupport.h"
#include "logging.h"
#include "mainwindow.h"
#include "notifier.h"
#include "statuspoller.h"
#include "windowparts.h"
#include "workspacemodel.h"

#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDBusContext>
#include <QDBusMessage>
#include <QFrame>
#include <QProcess>
#include <QTableView>
#include <QtTest>

using namespace cpc;
using namespace cpc::ui;
using namespace cpc::test;

namespace {

const QString kBusName = QStringLiteral("fake-notification-server");
const QString kService = QStringLiteral("org.freedesktop.Notifications");
const QString kPath = QStringLiteral("/org/freedesktop/Notifications");

/// A notification server as GNOME Shell or dunst would be, recording what it is asked to show.
class FakeNotificationServer : public QObject, protected QDBusContext
{
    Q_OBJECT
    Q_CLASSINFO("D-Bus Interface", "org.freedesktop.Notifications")
public:
    struct Shown
    {
        QString app, icon, summary, body;
        QVariantMap hints;
        int timeout = 0;
    };
    QList<Shown> shown;
    bool refuse = false;

public Q_SLOTS:
    uint Notify(const QString &app, uint replacesId, const QString &icon, const QString &summary,
                const QString &body, const QStringList &actions, const QVariantMap &hints,
                int timeout)
    {
        Q_UNUSED(replacesId);
        Q_UNUSED(actions);
        if (refuse) {
            sendErrorReply(QStringLiteral("org.freedesktop.DBus.Error.AccessDenied"),
                           QStringLiteral("notifications are switched off"));
            return 0;
        }
        shown.append({ app, icon, summary, body, hints, timeout });
        return uint(shown.size());
    }
    QStringList GetCapabilities() { return { QStringLiteral("body") }; }
};

} // namespace

class tst_Notifier : public QObject
{
    Q_OBJECT

    QProcess m_daemon;
    QString m_address;
    FakeNotificationServer m_server;
    QTemporaryDir m_home;

    QDBusConnection serverBus() const { return QDBusConnection(kBusName); }

    bool serve()
    {
        QDBusConnection bus = serverBus();
        return bus.registerObject(kPath, &m_server, QDBusConnection::ExportAllSlots)
            && bus.registerService(kService);
    }
    void unserve()
    {
        QDBusConnection bus = serverBus();
        bus.unregisterService(kService);
        bus.unregisterObject(kPath);
    }

private Q_SLOTS:
    void initTestCase()
    {
        isolateSettings(m_home.path());
        // A private session bus: never the developer's, and always there in CI.
        m_daemon.setProgram(QStringLiteral("dbus-daemon"));
        m_daemon.setArguments({ QStringLiteral("--session"), QStringLiteral("--nofork"),
                                QStringLiteral("--nopidfile"),
                                QStringLiteral("--print-address=1") });
        m_daemon.start();
        QVERIFY2(m_daemon.waitForStarted(5000),
                 "dbus-daemon is needed (Debian package dbus-daemon, installed by "
                 "packaging/setup.sh)");
        QTRY_VERIFY(m_daemon.canReadLine());
        m_address = QString::fromUtf8(m_daemon.readLine()).trimmed();
        QVERIFY(m_address.startsWith(QStringLiteral("unix:")));
        // Before anything touches QDBusConnection::sessionBus(), which reads it once.
        qputenv("DBUS_SESSION_BUS_ADDRESS", m_address.toUtf8());
        QVERIFY(QDBusConnection::connectToBus(m_address, kBusName).isConnected());
        QVERIFY(QDBusConnection::sessionBus().isConnected());
    }

    void cleanupTestCase()
    {
        QDBusConnection::disconnectFromBus(kBusName);
        m_daemon.terminate();
        m_daemon.waitForFinished(5000);
    }

    void init()
    {
        m_server.shown.clear();
        m_server.refuse = false;
    }

    void cleanup() { unserve(); }

    void withoutServerTheWindowShowsIt()
    {
        QVERIFY(!Notifier::desktopNotificationsAvailable());
        QWidget window;
        window.resize(800, 600);
        window.show();
        Notifier n(&window, Notifier::Mode::Auto);
        // Offscreen has no tray either: the notice inside the window.
        QCOMPARE(n.mode(), Notifier::Mode::InWindow);
        n.notify(QStringLiteral("Pinned ws-a"), QStringLiteral("running → unknown"));
        QVERIFY(n.notice());
        QVERIFY(n.notice()->isVisible());
        QCOMPARE(m_server.shown.size(), 0);
    }

    void desktopNotificationReachesTheServer()
    {
        QVERIFY(serve());
        QVERIFY(Notifier::desktopNotificationsAvailable());
        QWidget window;
        window.show();
        Notifier n(&window, Notifier::Mode::Auto);
        QCOMPARE(n.mode(), Notifier::Mode::Desktop);
        n.notify(QStringLiteral("ws-a is not running"),
                 QStringLiteral("running → not running <b>"));
        QTRY_COMPARE(m_server.shown.size(), 1);
        const auto &s = m_server.shown.first();
        QCOMPARE(s.app, QStringLiteral("CP Console"));
        QCOMPARE(s.icon, QStringLiteral(CPC_APP_ID));
        QCOMPARE(s.summary, QStringLiteral("ws-a is not running"));
        // Servers may read the body as markup: a name is never taken for a tag.
        QCOMPARE(s.body, QStringLiteral("running → not running &lt;b&gt;"));
        QCOMPARE(s.hints.value(QStringLiteral("desktop-entry")).toString(),
                 QStringLiteral(CPC_APP_ID));
        QVERIFY(s.timeout > 0);
        // Shown on the desktop, so no notice covers the window.
        QVERIFY(!n.notice() || !n.notice()->isVisible());
        QVERIFY(n.lastMessage().contains(QStringLiteral("ws-a is not running")));
    }

    void noPartOfASecretInANotification()
    {
        // A message as a caller might pass it: an error that holds a credential whole, and the
        // start of one further on, where the notification cuts the message short (at 300
        // characters, once the first is redacted).
        const QString token = QStringLiteral("Q7vXtok9pL2mN4bR8sT1wY3zK6aJ");
        redaction::registerSecret(Secret(token));
        const QString head = QStringLiteral("stop failed (500): token [redacted] ");
        const QString message = QStringLiteral("stop failed (500): token ") + token + u' '
            + QString(290 - head.size(), u'x') + token.left(20) + QStringLiteral(" tail");
        QVERIFY(serve());
        QWidget window;
        window.show();
        Notifier n(&window, Notifier::Mode::Auto);
        QCOMPARE(n.mode(), Notifier::Mode::Desktop);
        n.notify(QStringLiteral("Stop of ws-a failed"), message);
        QTRY_COMPARE(m_server.shown.size(), 1);
        const QString body = m_server.shown.first().body;
        for (const QString &shown : { body, n.lastMessage() }) {
            for (qsizetype k = 4; k <= token.size(); ++k)
                QVERIFY2(!shown.contains(token.left(k)), qPrintable(shown));
            QVERIFY2(shown.contains(QStringLiteral("token [redacted]")), qPrintable(shown));
        }
        QVERIFY2(body.size() <= 301 + 10, qPrintable(body)); // cut for a glance
    }

    void refusedNotificationShowsInTheWindow()
    {
        QVERIFY(serve());
        m_server.refuse = true;
        QWidget window;
        window.resize(800, 600);
        window.show();
        Notifier n(&window, Notifier::Mode::Auto);
        QCOMPARE(n.mode(), Notifier::Mode::Desktop);
        QSignalSpy failed(&n, &Notifier::desktopNotificationFailed);
        n.notify(QStringLiteral("Stop of ws-b failed"), QStringLiteral("HTTP 503"));
        QTRY_COMPARE(failed.size(), 1);
        QVERIFY(failed.first().first().toString().contains(QStringLiteral("AccessDenied")));
        QVERIFY(n.notice() && n.notice()->isVisible());
        QCOMPARE(m_server.shown.size(), 0);
    }

    void serverGoneShowsInTheWindow()
    {
        QVERIFY(serve());
        QWidget window;
        window.resize(800, 600);
        window.show();
        Notifier n(&window, Notifier::Mode::Auto);
        QCOMPARE(n.mode(), Notifier::Mode::Desktop);
        unserve(); // the notification daemon crashed
        QSignalSpy failed(&n, &Notifier::desktopNotificationFailed);
        n.notify(QStringLiteral("Provisioned ws-c"), QStringLiteral("instance i-0abc"));
        QTRY_COMPARE(failed.size(), 1);
        QVERIFY(n.notice() && n.notice()->isVisible());
    }

    void pinnedWorkspaceTransitionPopsADesktopNotification()
    {
        QVERIFY(serve());
        SimEnvironment env;
        QVERIFY(env.start(40));
        MainWindow win(nullptr, env.options(), MainWindow::NotifyMode::Auto);
        win.setSession(Session::create(env.options(), nullptr));
        win.show();
        QVERIFY(QTest::qWaitForWindowExposed(&win));
        QVERIFY(cpc::test::win::loaded(win));
        QVERIFY(win::notifier(win)->usesDesktop());

        const WorkspaceRow row = env.runningRow(0);
        QVERIFY(win.selectWorkspace(row.id));
        QTRY_VERIFY_WITH_TIMEOUT(win::model(win)->liveStatus(row.id).state == RunState::Running,
                                 10'000);
        win::table(win)->setFocus();
        QTest::keyClick(win::table(win), Qt::Key_P, Qt::ControlModifier);
        QVERIFY(win.session()->poller()->isPinned(row.id));
        const int before = int(m_server.shown.size());

        // The CP starts failing: the pinned workspace's state is no longer known.
        QVERIFY(env.sim->setFaults(QStringLiteral("status.5xx")));
        win.session()->poller()->pollNow(row.id);
        QTRY_VERIFY_WITH_TIMEOUT(m_server.shown.size() > before, 10'000);
        const auto &s = m_server.shown.last();
        QVERIFY2((s.summary + s.body).contains(row.name), qPrintable(s.summary + s.body));
        QVERIFY2(s.summary.contains(QStringLiteral("running → unknown")), qPrintable(s.summary));
        // No secret in what goes to another process.
        for (const QString &secret : { kGuiShared, kGuiAdmin, kGuiApiKey })
            QVERIFY(!(s.summary + s.body).contains(secret));
    }
};

QTEST_MAIN(tst_Notifier)
#include "tst_notifier.moc"
