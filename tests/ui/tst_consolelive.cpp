// The console viewer on a live console from the CP simulator: auto-refresh that keeps the
// reader's place, faults that keep the text, the empty-console placeholder, everything open at
// once fitting the window, and a viewer closed before its answer.

#include "consoleviewertestbase.h"

using namespace cpc;
using namespace cpc::ui;
using namespace cpc::test;

class tst_ConsoleLive : public ConsoleViewerTestBase
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QVERIFY(setUpCase()); }

    void init() { QSettings().clear(); }

    void cleanup() { m_sim.reset(); }

    // --- live, against the CP simulator ------------------------------------------------------

    void liveAutoRefreshKeepsReaderPosition()
    {
        QVERIFY(startSim());
        auto client = simClient();
        QVERIFY(provision(*client));
        auto v = shownViewer(fetcherFor(client.get()));
        QSignalSpy fetched(v.get(), &ConsoleViewer::fetched);
        v->setAutoRefreshInterval(150);
        QTRY_VERIFY_WITH_TIMEOUT(v->buffer().lineCount() > 80, 15000);
        QTRY_VERIFY(v->view()->isFollowing());
        QCOMPARE(v->errorText(), QString());

        // The reader scrolls up; the console keeps growing underneath.
        v->view()->setFocus();
        QTest::keyClick(v->view(), Qt::Key_PageUp);
        QTest::keyClick(v->view(), Qt::Key_PageUp);
        QVERIFY(!v->isFollowing());
        const int top = v->topLineNumber();
        const QString topText = v->buffer().lineText(top);
        const int last = v->buffer().lastLineNumber();
        const int fetchesBefore = fetched.count();
        QTRY_VERIFY_WITH_TIMEOUT(
            v->buffer().lastLineNumber() > last + 10 && fetched.count() > fetchesBefore + 2, 15000);
        v->flushPendingUpdates();
        QCOMPARE(v->topLineNumber(), top);
        QCOMPARE(v->buffer().lineText(v->topLineNumber()), topText);
        QVERIFY(v->isNewLinesPillVisible());
        QVERIFY(v->newLineCount() >= 10);
        QCOMPARE(v->view()->newTextMarkerLine() > top, true);

        // End: back to following; new output stays in view.
        QTest::keyClick(v->view(), Qt::Key_End);
        QVERIFY(v->isFollowing());
        const int last2 = v->buffer().lastLineNumber();
        QTRY_VERIFY_WITH_TIMEOUT(v->buffer().lastLineNumber() > last2 + 5, 15000);
        v->flushPendingUpdates();
        QCOMPARE(v->view()->bottomLineNumber(), v->buffer().lastLineNumber());
        QVERIFY(m_sim->requestCount(QStringLiteral("console")) >= fetched.count());
    }

    void liveFaultKeepsText_data()
    {
        QTest::addColumn<QString>("fault");
        QTest::addColumn<QString>("expected");
        QTest::newRow("5xx") << QStringLiteral("console.5xx")
                             << QStringLiteral("console failed (5");
        QTest::newRow("oversize") << QStringLiteral("console.oversize")
                                  << QStringLiteral("console failed");
        QTest::newRow("malformed")
            << QStringLiteral("console.malformed") << QStringLiteral("console failed");
        QTest::newRow("drop") << QStringLiteral("console.drop") << QStringLiteral("console failed");
        QTest::newRow("timeout") << QStringLiteral("console.timeout")
                                 << QStringLiteral("console failed");
    }
    void liveFaultKeepsText()
    {
        QFETCH(QString, fault);
        QFETCH(QString, expected);
        QVERIFY(startSim());
        auto client = simClient(1500);
        QVERIFY(provision(*client));
        auto v = shownViewer(fetcherFor(client.get()));
        QSignalSpy fetched(v.get(), &ConsoleViewer::fetched);
        // The test needs text to keep. A fresh instance's console grows in steps, so the first
        // fetch may land before the first step and find it empty: fetch until there is text.
        v->refresh();
        QTRY_VERIFY_WITH_TIMEOUT(hasFetchedText(*v, fetched), 10000);
        const QString text = v->buffer().plainText();
        const int before = int(fetched.count());

        QVERIFY(m_sim->setFaults(fault));
        v->refresh();
        QVERIFY(v->isFetching());
        QVERIFY(v->statusText().startsWith(QStringLiteral("Fetching…")));
        QTRY_COMPARE_WITH_TIMEOUT(fetched.count(), before + 1, 15000);
        QCOMPARE(fetched.last().first().toBool(), false);
        QVERIFY2(v->errorText().startsWith(expected), qPrintable(v->errorText()));
        QVERIFY(v->errorText().contains(QStringLiteral("— showing the text from ")));
        QCOMPARE(v->buffer().plainText(), text);
        QVERIFY(!v->view()->lineRect(v->view()->bottomLineNumber()).isEmpty());
        QVERIFY(!v->isFetching());

        // The CP recovers; Retry in the strip fetches again.
        QVERIFY(m_sim->setFaults(QStringLiteral("none")));
        auto *retry
            = v->findChild<QWidget *>(QStringLiteral("consoleError"))->findChild<QToolButton *>();
        QVERIFY(retry);
        QTest::mouseClick(retry, Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(fetched.count(), before + 2, 10000);
        QVERIFY(v->errorText().isEmpty());
    }

    /// A console the instance has not written to yet is a state of its own, not an error and
    /// not "nothing fetched": the view says so, and the first text replaces the message.
    void emptyConsoleShowsPlaceholder()
    {
        auto v = shownViewer();
        QCOMPARE(v->view()->placeholderText(), QStringLiteral("No console fetched yet."));
        QSignalSpy fetched(v.get(), &ConsoleViewer::fetched);
        v->applyFetch(ok(QString()));
        v->flushPendingUpdates();
        QCOMPARE(fetched.count(), 1);
        QVERIFY(fetched.first().first().toBool());
        QVERIFY(v->buffer().isEmpty());
        QVERIFY(v->errorText().isEmpty());
        QCOMPARE(v->view()->placeholderText(),
                 QStringLiteral("The instance has not written anything to its console yet."));
        const QImage empty = v->view()->grab().toImage();

        v->applyFetch(ok(lines(1, 3)));
        v->flushPendingUpdates();
        QCOMPARE(v->buffer().lastLineNumber(), 3);
        QVERIFY(v->view()->grab().toImage() != empty);
    }

    /// Everything open at once at a laptop's window size: a boot log with a failed unit, the
    /// marker of new text, a find in progress and the notable-lines list. The status line stays
    /// inside the window and counts every line. (The README's picture of this view is taken by
    /// tests/screenshots.sh.)
    void everythingOpenFitsTheWindow()
    {
        auto v = std::make_unique<ConsoleViewer>();
        v->resize(1200, 720);
        v->show();
        QVERIFY(QTest::qWaitForWindowExposed(v.get()));
        const QString log = capture("systemd-boot-failed-unit.log");
        qsizetype cut = 0;
        for (int i = 0; i < 560 && cut >= 0; ++i)
            cut = log.indexOf(u'\n', cut + 1);
        QVERIFY(cut > 0);
        v->applyFetch(ok(log.left(cut + 1)));
        v->flushPendingUpdates();
        v->applyFetch(ok(log));
        v->flushPendingUpdates();
        QVERIFY(v->view()->newTextMarkerLine() > 0);
        v->openFind();
        QTest::keyClicks(v->findBar()->lineEdit(), QStringLiteral("demo-fail"));
        QVERIFY(v->matchCount() >= 2);
        QTest::keyClick(v->findBar()->lineEdit(), Qt::Key_Return);
        const int failed = findLine(v->buffer(), QStringLiteral("[FAILED]"));
        QVERIFY(failed > 0);
        v->view()->jumpToLine(failed - 6);
        QVERIFY(v->isJumpListVisible());
        // Laid out as shown: the panes just opened have asked for a new layout.
        QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
        auto *status = v->findChild<QLabel *>(QStringLiteral("consoleStatus"));
        QVERIFY(status->isVisible());
        QVERIFY(v->rect().contains(QRect(status->mapTo(v.get(), QPoint(0, 0)), status->size())));
        QVERIFY(status->text().contains(QStringLiteral("lines 1–667")));
    }

    /// A tab closed while its fetch is in flight: the CP still answers, the closed viewer is
    /// handed nothing, and a live receiver on the same client gets its answer.
    void closedViewerGetsNoLateReply()
    {
        QVERIFY(startSim(QStringLiteral("console.latency=300")));
        auto client = simClient();
        QVERIFY(provision(*client));
        int answers = 0; // answers from the CP the client handed to the viewer's callback
        auto v = shownViewer([c = client.get(), &answers](QObject *context,
                                                          const ConsoleViewer::Done &done) {
            return c->consoleOutput(kWs, context, [&answers, done](const Result<ConsoleOutput> &r) {
                answers += r || r.error().kind != Error::Kind::Cancelled ? 1 : 0;
                done(r);
            });
        });
        const qint64 asked = m_sim->requestCount(QStringLiteral("console"));
        v->refresh();
        QVERIFY(v->isFetching());
        QTRY_COMPARE(m_sim->requestCount(QStringLiteral("console")), asked + 1); // the CP has it
        v.reset(); // the tab is closed while the fetch is in flight
        // The CP answers after its latency. A fetch asked now waits as long, so once it is
        // answered the closed viewer's answer has come and gone.
        Waiter<Result<ConsoleOutput>> later;
        client->consoleOutput(kWs, this, later.callback());
        QTRY_VERIFY_WITH_TIMEOUT(later.has(), 10000);
        QVERIFY(later.get().ok());
        QCOMPARE(m_sim->requestCount(QStringLiteral("console")), asked + 2);
        QCOMPARE(answers, 0);

        // A fetcher that calls back after its viewer died: nothing happens (the sanitizer run
        // would see a use of the dead viewer). The same callback on a live viewer shows text.
        ConsoleViewer::Done answer;
        auto fetcher = [&answer](QObject *, ConsoleViewer::Done done) {
            answer = std::move(done);
            return CallHandle();
        };
        auto live = std::make_unique<ConsoleViewer>(fetcher);
        live->refresh();
        QVERIFY(answer);
        answer(ok(lines(1, 5)));
        live->flushPendingUpdates();
        QCOMPARE(live->buffer().lastLineNumber(), 5);
        answer = nullptr;
        auto w = std::make_unique<ConsoleViewer>(fetcher);
        w->refresh();
        QVERIFY(answer);
        w.reset();
        answer(ok(lines(1, 5)));
    }
};

QTEST_MAIN(tst_ConsoleLive)
#include "tst_consolelive.moc"
