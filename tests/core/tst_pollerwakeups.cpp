// What an idle status poller costs: the thread it runs in sleeps until a check is due, rather
// than waking ten times a second to look. Against a loopback TestServer with nothing else in the
// thread (no in-process simulator, whose boot and stop timers would wake it too), so every
// wake-up counted is the poller's or its check's.
#include "cpcalls.h"
#include "cpclient.h"
#include "statuspoller.h"
#include "testserver.h"

#include <QAbstractEventDispatcher>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QtTest>

using namespace cpc;
using namespace cpc::test;

class tst_PollerWakeups : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void idleWakesOnlyWhenACheckIsDue()
    {
        TestServer server;
        server.setFallback(HttpResponse::json(200, R"({"state":"running"})"));
        QNetworkAccessManager nam;
        CpClient client(
            &nam,
            cpConfig(server.baseUrl(),
                     { QStringLiteral("wake-shared-2b"), QStringLiteral("wake-admin-7c"), {} }));
        // One row, checked every 3 s: between two answers there is nothing to do.
        StatusPoller poller(&client);
        poller.setIntervalMs(3000);
        poller.setJitter(0);
        const QString id = QStringLiteral("ws-wake");
        QSignalSpy answers(&poller, &StatusPoller::statusChanged);
        poller.setVisible({ { id, QStringLiteral("i-0123456789abcdef0") } });
        poller.start();
        QVERIFY(answers.wait(5000));
        QCOMPARE(poller.status(id).state, RunState::Running);

        // Every time the event loop goes to sleep again, it had woken up for something.
        int sleeps = 0;
        QAbstractEventDispatcher *dispatcher = QAbstractEventDispatcher::instance();
        const QMetaObject::Connection counting
            = connect(dispatcher, &QAbstractEventDispatcher::aboutToBlock, this, [&] { ++sleeps; });
        const int wakeupsBefore = poller.stats().wakeups;
        // The next check still comes, on time (within twice the interval).
        QVERIFY(answers.wait(6000));
        disconnect(counting);
        QCOMPARE(answers.size(), 2);
        QCOMPARE(server.requestCount(), 2);
        QCOMPARE(poller.status(id).state, RunState::Running);
        // The poller's own timer fired once, for the check; the thread woke a few more times
        // for the check's connection and its answer. A 100 ms tick would be 30 and more.
        QCOMPARE(poller.stats().wakeups - wakeupsBefore, 1);
        qInfo("the event loop woke %d times between the two checks", sleeps);
        QVERIFY2(sleeps <= 10,
                 qPrintable(QStringLiteral("the event loop woke %1 times in 3 s").arg(sleeps)));
    }
};

QTEST_GUILESS_MAIN(tst_PollerWakeups)
#include "tst_pollerwakeups.moc"
