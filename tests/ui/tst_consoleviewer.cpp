// The console viewer as a reader uses it: follow mode across refreshes, the "N new lines" pill,
// the new-text marker, find (case, regex, invalid regex, keys), the jump list, colours on and
// off, the truncation banner, errors that keep the text, selection and copy, saving, remembered
// settings and batching (the live console from the CP simulator is tst_consolelive). One suite
// over 600 lines: one widget, every case on the same fixture.

#include "consoleviewertestbase.h"

using namespace cpc;
using namespace cpc::ui;
using namespace cpc::test;

class tst_ConsoleViewer : public ConsoleViewerTestBase
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QVERIFY(setUpCase()); }

    void init() { QSettings().clear(); }

    void cleanup() { m_sim.reset(); }

    // --- follow mode ------------------------------------------------------------------------

    void followsAtBottom_data()
    {
        QTest::addColumn<bool>("wrap");
        QTest::newRow("no wrap") << false;
        QTest::newRow("wrap") << true;
    }
    void followsAtBottom()
    {
        QFETCH(bool, wrap);
        auto v = shownViewer();
        v->setWrap(wrap);
        v->applyFetch(ok(lines(1, 200)));
        v->flushPendingUpdates();
        QVERIFY(v->isFollowing());
        QCOMPARE(v->view()->bottomLineNumber(), v->buffer().lastLineNumber());
        QCOMPARE(v->buffer().lastLineNumber(), 200);

        v->applyFetch(ok(lines(1, 230)));
        v->flushPendingUpdates();
        QVERIFY(v->isFollowing());
        QCOMPARE(v->buffer().lastLineNumber(), 230);
        QCOMPARE(v->view()->bottomLineNumber(), 230);
        QVERIFY(!v->isNewLinesPillVisible());
        QCOMPARE(v->newLineCount(), 0);
    }

    void readerScrolledUpIsNotMoved_data() { followsAtBottom_data(); }
    void readerScrolledUpIsNotMoved()
    {
        QFETCH(bool, wrap);
        auto v = shownViewer();
        v->setWrap(wrap);
        v->applyFetch(ok(lines(1, 200)));
        v->flushPendingUpdates();
        QSignalSpy following(v.get(), &ConsoleViewer::followingChanged);

        // The reader pages up to read something.
        v->view()->setFocus();
        QTest::keyClick(v->view(), Qt::Key_PageUp);
        QTest::keyClick(v->view(), Qt::Key_PageUp);
        QVERIFY(!v->isFollowing());
        QCOMPARE(following.count(), 1);
        const int top = v->topLineNumber();
        const int value = v->scrollValue();
        const QString topText = v->buffer().lineText(top);
        QVERIFY(top > 1);

        // An auto-refresh brings 25 new lines: nothing moves, the pill counts them.
        v->applyFetch(ok(lines(1, 225)));
        v->flushPendingUpdates();
        QCOMPARE(v->topLineNumber(), top);
        QCOMPARE(v->scrollValue(), value);
        QCOMPARE(v->buffer().lineText(v->topLineNumber()), topText);
        QVERIFY(!v->isFollowing());
        QVERIFY(v->isNewLinesPillVisible());
        QCOMPARE(v->newLineCount(), 25);
        QCOMPARE(v->view()->newLinesPill()->text(), QStringLiteral("↓ 25 new lines"));

        // Another one, and the reader scrolls a line up before the screen caught up with it:
        // that scroll counts, nothing else moves, the count grows.
        v->applyFetch(ok(lines(1, 230)));
        QTest::keyClick(v->view(), Qt::Key_Up);
        v->flushPendingUpdates();
        QCOMPARE(v->topLineNumber(), top - 1);
        QCOMPARE(v->newLineCount(), 30);
        QTest::keyClick(v->view(), Qt::Key_Down);
        QCOMPARE(v->topLineNumber(), top);

        // The pill takes the reader down, and from then on the view follows.
        QTest::mouseClick(v->view()->newLinesPill(), Qt::LeftButton);
        QVERIFY(v->isFollowing());
        QVERIFY(!v->isNewLinesPillVisible());
        QCOMPARE(v->view()->bottomLineNumber(), 230);
        v->applyFetch(ok(lines(1, 240)));
        v->flushPendingUpdates();
        QCOMPARE(v->view()->bottomLineNumber(), 240);
        QVERIFY(!v->isNewLinesPillVisible());
    }

    void endKeyResumesFollowing()
    {
        auto v = shownViewer();
        v->applyFetch(ok(lines(1, 300)));
        v->flushPendingUpdates();
        v->view()->setFocus();
        QTest::keyClick(v->view(), Qt::Key_Home);
        QCOMPARE(v->topLineNumber(), 1);
        QVERIFY(!v->isFollowing());
        v->applyFetch(ok(lines(1, 310)));
        v->flushPendingUpdates();
        QCOMPARE(v->topLineNumber(), 1);
        QCOMPARE(v->newLineCount(), 10);
        QTest::keyClick(v->view(), Qt::Key_End);
        QVERIFY(v->isFollowing());
        QCOMPARE(v->view()->bottomLineNumber(), 310);
    }

    void capDropKeepsReaderOnSameText()
    {
        // A reader scrolled up while the cap drops old lines keeps looking at the same text.
        auto v = shownViewer();
        const QString big = lines(1, 4000); // ~230 KiB interpreted
        v->applyFetch(ok(big));
        v->flushPendingUpdates();
        v->view()->jumpToLine(3000);
        const int top = v->topLineNumber();
        const QString topText = v->buffer().lineText(top);
        v->applyFetch(ok(lines(1, 6000)));
        v->flushPendingUpdates();
        QVERIFY(v->buffer().firstLineNumber() > 1);
        QVERIFY(v->buffer().firstLineNumber() < top);
        QCOMPARE(v->topLineNumber(), top);
        QCOMPARE(v->buffer().lineText(v->topLineNumber()), topText);
        QVERIFY(!v->isFollowing());
    }

    // --- new-text marker -----------------------------------------------------------------------

    void newTextMarker()
    {
        auto v = shownViewer();
        v->applyFetch(ok(lines(1, 50)));
        v->flushPendingUpdates();
        QCOMPARE(v->view()->newTextMarkerLine(), 0); // the first fetch is all new: no marker
        const QString firstTime = v->lastSuccessfulFetch().toString(QStringLiteral("HH:mm:ss"));

        v->applyFetch(ok(lines(1, 60)));
        v->flushPendingUpdates();
        QCOMPARE(v->view()->newTextMarkerLine(), 51);
        QCOMPARE(v->view()->newTextMarkerLabel(), QStringLiteral("new since %1").arg(firstTime));
        // The marker is a row of its own between line 50 and line 51.
        const QRect r50 = v->view()->lineRect(50);
        const QRect r51 = v->view()->lineRect(51);
        QVERIFY(!r50.isEmpty() && !r51.isEmpty());
        QCOMPARE(r51.top() - r50.top(), 2 * v->view()->lineHeight());
        // …drawn in the marker colour.
        const QImage img = v->view()->viewport()->grab().toImage();
        const QColor marker = v->view()->theme().marker;
        bool found = false;
        for (int x = 0; x < img.width() && !found; ++x)
            for (int y = r50.bottom() + 1; y < r51.top() && !found; ++y) {
                const QColor c = img.pixelColor(x, y);
                found = qAbs(c.red() - marker.red()) < 40 && qAbs(c.green() - marker.green()) < 40
                    && qAbs(c.blue() - marker.blue()) < 40;
            }
        QVERIFY2(found, "the marker row is not drawn");

        // The reader saw the end of that fetch, scrolls up; the next fetch moves the marker.
        const QString secondTime = v->lastSuccessfulFetch().toString(QStringLiteral("HH:mm:ss"));
        v->view()->setFocus();
        QTest::keyClick(v->view(), Qt::Key_Home);
        v->applyFetch(ok(lines(1, 70)));
        v->flushPendingUpdates();
        QCOMPARE(v->view()->newTextMarkerLine(), 61);
        QCOMPARE(v->view()->newTextMarkerLabel(), QStringLiteral("new since %1").arg(secondTime));
        // Not caught up since: the marker stays where the unseen text starts.
        v->applyFetch(ok(lines(1, 80)));
        v->flushPendingUpdates();
        QCOMPARE(v->view()->newTextMarkerLine(), 61);
        // Nothing new: nothing moves.
        v->applyFetch(ok(lines(1, 80)));
        v->flushPendingUpdates();
        QCOMPARE(v->view()->newTextMarkerLine(), 61);
    }

    // --- find -----------------------------------------------------------------------------------

    void findCountsAndNavigates()
    {
        auto v = shownViewer();
        v->applyFetch(ok(capture("systemd-boot-failed-unit.log")));
        v->flushPendingUpdates();
        const ConsoleBuffer &b = v->buffer();
        ConsoleFindBar *bar = v->findBar();
        QVERIFY(bar->isHidden());

        v->view()->setFocus();
        QTest::keyClick(v->view(), Qt::Key_F, Qt::ControlModifier);
        QVERIFY(bar->isVisible());
        QVERIFY(bar->lineEdit()->hasFocus());

        QTest::keyClicks(bar->lineEdit(), QStringLiteral("Failed"));
        const int insensitive = countOccurrences(b, QStringLiteral("Failed"), Qt::CaseInsensitive);
        const int sensitive = countOccurrences(b, QStringLiteral("Failed"), Qt::CaseSensitive);
        QVERIFY(insensitive > sensitive && sensitive > 0);
        QCOMPARE(v->matchCount(), insensitive);
        QVERIFY(bar->statusText().endsWith(QStringLiteral(" of %1").arg(insensitive)));

        // Enter / F3 go forward, Shift+Enter / Shift+F3 back, wrapping around.
        const int start = v->currentMatchIndex();
        QTest::keyClick(bar->lineEdit(), Qt::Key_Return);
        QCOMPARE(v->currentMatchIndex(), (start + 1) % insensitive);
        QCOMPARE(bar->statusText(),
                 QStringLiteral("%1 of %2").arg((start + 1) % insensitive + 1).arg(insensitive));
        QTest::keyClick(bar->lineEdit(), Qt::Key_F3);
        QCOMPARE(v->currentMatchIndex(), (start + 2) % insensitive);
        QTest::keyClick(bar->lineEdit(), Qt::Key_Return, Qt::ShiftModifier);
        QCOMPARE(v->currentMatchIndex(), (start + 1) % insensitive);
        QTest::keyClick(v->view(), Qt::Key_F3, Qt::ShiftModifier);
        QCOMPARE(v->currentMatchIndex(), start);

        // The current match is scrolled into view.
        QTest::keyClick(bar->lineEdit(), Qt::Key_Return);
        const int idx = v->currentMatchIndex();
        QVERIFY(idx >= 0);

        // Case toggle.
        QTest::mouseClick(bar->caseButton(), Qt::LeftButton);
        QCOMPARE(v->matchCount(), sensitive);
        QTest::mouseClick(bar->caseButton(), Qt::LeftButton);
        QCOMPARE(v->matchCount(), insensitive);

        // Regex toggle: "[  OK  ]" status lines (the colour codes sit inside the brackets).
        bar->lineEdit()->clear();
        QTest::mouseClick(bar->regexButton(), Qt::LeftButton);
        QTest::keyClicks(bar->lineEdit(), QStringLiteral("^\\[\\s*OK\\s*\\] Started"));
        int expected = 0;
        static const QRegularExpression re(QStringLiteral("^\\[\\s*OK\\s*\\] Started"),
                                           QRegularExpression::CaseInsensitiveOption);
        for (int n = b.firstLineNumber(); n <= b.lastLineNumber(); ++n)
            expected += re.match(b.lineText(n)).hasMatch() ? 1 : 0;
        QVERIFY(expected > 10);
        QCOMPARE(v->matchCount(), expected);
        QVERIFY(!bar->isErrorShown());

        // An invalid regular expression is an error in the bar, not a crash, and no matches.
        bar->lineEdit()->clear();
        QTest::keyClicks(bar->lineEdit(), QStringLiteral("(["));
        QVERIFY(bar->isErrorShown());
        QVERIFY(bar->statusText().startsWith(QStringLiteral("Invalid regular expression")));
        QCOMPARE(v->matchCount(), 0);
        QTest::keyClick(bar->lineEdit(), Qt::Key_Return); // next on an invalid query: nothing
        QCOMPARE(v->currentMatchIndex(), -1);
        bar->lineEdit()->clear();
        QTest::keyClicks(bar->lineEdit(), QStringLiteral("no such text anywhere"));
        QCOMPARE(v->matchCount(), 0);
        QCOMPARE(bar->statusText(), QStringLiteral("No matches"));

        // Esc closes the bar and clears the highlights.
        QTest::keyClick(bar->lineEdit(), Qt::Key_Escape);
        QVERIFY(bar->isHidden());
        QCOMPARE(v->matchCount(), 0);
    }

    void findHighlightsMatches()
    {
        auto v = shownViewer();
        v->applyFetch(ok(capture("systemd-boot-failed-unit.log")));
        v->flushPendingUpdates();
        v->openFind();
        QTest::keyClicks(v->findBar()->lineEdit(), QStringLiteral("Demo service"));
        QVERIFY(v->matchCount() >= 1);
        QVERIFY(v->currentMatchIndex() >= 0);
        const int line = findLine(v->buffer(), QStringLiteral("Demo service"));
        const int col = int(v->buffer().lineText(line).indexOf(QStringLiteral("Demo service")));
        const QRectF r = v->view()->textRect({ line, col }, 12);
        QVERIFY2(!r.isEmpty(), "the current match is not in view");
        const QImage img = v->view()->viewport()->grab().toImage();
        const qreal dpr = img.devicePixelRatio();
        const QRgb current = v->view()->theme().currentMatchBackground.rgb();
        int hits = 0;
        for (int x = int(r.left()) + 1; x < int(r.right()) - 1; ++x)
            for (int y = int(r.top()); y < int(r.bottom()); ++y)
                hits += (img.pixel(int(x * dpr), int(y * dpr)) & 0xffffff) == (current & 0xffffff)
                    ? 1
                    : 0;
        QVERIFY2(hits > int(r.width() * r.height() / 4), "the current match is not highlighted");
    }

    void findFollowsNewText()
    {
        auto v = shownViewer();
        v->applyFetch(ok(lines(1, 50)));
        v->flushPendingUpdates();
        v->openFind();
        QTest::keyClicks(v->findBar()->lineEdit(), QStringLiteral("number 5"));
        // 5, 50 and 51–59 do not exist yet: 5 and 50.
        QCOMPARE(v->matchCount(), 2);
        v->applyFetch(ok(lines(1, 60)));
        v->flushPendingUpdates();
        QCOMPARE(v->matchCount(), 2 + 9); // 51..59
        QVERIFY(v->findBar()->statusText().endsWith(QStringLiteral("of 11")));
    }

    // --- jump list ------------------------------------------------------------------------------

    void jumpListOffersNotableLines()
    {
        auto v = shownViewer();
        v->applyFetch(ok(lines(1, 400) + capture("panic-no-rootfs.log")));
        v->flushPendingUpdates();
        const auto notables = v->notablesShown();
        QCOMPARE(notables, v->buffer().notables());
        bool panic = false, trace = false;
        for (const auto &n : notables) {
            panic = panic || n.kind == ConsoleBuffer::Notable::Kind::KernelPanic;
            trace = trace || n.kind == ConsoleBuffer::Notable::Kind::CallTrace;
        }
        QVERIFY(panic);
        QVERIFY(trace);
        QVERIFY(v->isJumpListVisible());
        QListWidget *list = v->jumpList();
        QCOMPARE(list->count(), notables.size());
        QVERIFY(list->item(0)->text().contains(QString::number(notables.first().line)));

        // Reader at the top; a click on the kernel panic entry brings it into view.
        v->view()->setFocus();
        QTest::keyClick(v->view(), Qt::Key_Home);
        int row = 0;
        while (notables[row].kind != ConsoleBuffer::Notable::Kind::KernelPanic)
            ++row;
        const int target = notables[row].line;
        QVERIFY(target > v->view()->bottomLineNumber());
        list->scrollToItem(list->item(row));
        QTest::mouseClick(list->viewport(), Qt::LeftButton, {},
                          list->visualItemRect(list->item(row)).center());
        QVERIFY(v->topLineNumber() <= target && target <= v->view()->bottomLineNumber());
        QVERIFY(!v->view()->lineRect(target).isEmpty());

        // Ctrl+J reaches the list from the text.
        v->view()->setFocus();
        QTest::keyClick(v->view(), Qt::Key_J, Qt::ControlModifier);
        QVERIFY(list->hasFocus());
        // The toggle hides it.
        QTest::mouseClick(v->findChild<QToolButton *>(QStringLiteral("consoleJumpToggle")),
                          Qt::LeftButton);
        QVERIFY(!v->isJumpListVisible());
    }

    void jumpListHiddenWithoutNotables()
    {
        auto v = shownViewer();
        v->applyFetch(ok(lines(1, 20)));
        v->flushPendingUpdates();
        QVERIFY(v->notablesShown().isEmpty());
        QVERIFY(!v->isJumpListVisible());
    }

    // --- colours --------------------------------------------------------------------------------

    void coloursRenderedOrStripped()
    {
        auto v = shownViewer();
        v->applyFetch(ok(capture("systemd-boot-failed-unit.log")));
        v->flushPendingUpdates();
        QVERIFY(v->colorsEnabled());
        const int line = findLine(v->buffer(), QStringLiteral("FAILED"));
        QVERIFY(line > 0);
        const int col = int(v->buffer().lineText(line).indexOf(QStringLiteral("FAILED")));
        auto runAt = [&](int c) {
            for (const auto &r : v->view()->runs(line))
                if (c >= r.start && c < r.start + r.length)
                    return r;
            return ConsoleView::Run {};
        };
        QVERIFY(isRedDominant(runAt(col).foreground.rgb()));
        QVERIFY(runAt(col).bold);

        // The jump flashes the line; its colours are judged once the flash has faded.
        auto flashPixels = [&] {
            const QImage img = v->view()->viewport()->grab().toImage();
            const QRect r = v->view()->lineRect(line);
            const QRgb flash = v->view()->theme().flashBackground.rgb();
            int n = 0;
            for (int y = r.top(); y <= r.bottom(); ++y)
                for (int x = 0; x < img.width(); ++x)
                    n += (img.pixel(x, y) & 0xffffff) == (flash & 0xffffff) ? 1 : 0;
            return n;
        };
        v->view()->jumpToLine(line);
        QVERIFY(flashPixels() > 0);
        QTRY_COMPARE_WITH_TIMEOUT(flashPixels(), 0, 5000);
        auto redPixels = [&] {
            const QImage img = v->view()->viewport()->grab().toImage();
            const QRect r = v->view()->lineRect(line);
            int red = 0;
            for (int y = r.top(); y <= r.bottom(); ++y)
                for (int x = 0; x < img.width(); ++x)
                    red += isRedDominant(img.pixel(x, y)) ? 1 : 0;
            return red;
        };
        QVERIFY(redPixels() > 10);

        // Alt+C strips colours: every run in the default colour, nothing red on screen.
        v->view()->setFocus();
        QTest::keyClick(v->view(), Qt::Key_C, Qt::AltModifier);
        QVERIFY(!v->colorsEnabled());
        for (const auto &r : v->view()->runs(line)) {
            QCOMPARE(r.foreground, v->view()->theme().foreground);
            QVERIFY(!r.background.isValid());
            QVERIFY(!r.bold);
        }
        QCOMPARE(redPixels(), 0);
        QTest::keyClick(v->view(), Qt::Key_C, Qt::AltModifier);
        QVERIFY(v->colorsEnabled());
        QVERIFY(redPixels() > 10);
    }

    void escapesNeverShowAsJunk()
    {
        auto v = shownViewer();
        v->applyFetch(ok(capture("systemd-boot-ansi.log")));
        v->flushPendingUpdates();
        v->view()->selectAll();
        const QString shown = v->view()->selectedText();
        QVERIFY(shown.contains(QStringLiteral("Started")));
        QVERIFY(!shown.contains(QChar(0x1b)));
        QVERIFY(!shown.contains(QStringLiteral("[0m")));
        QVERIFY(!shown.contains(QStringLiteral("[0;32m")));
    }

    // --- truncation -----------------------------------------------------------------------------

    void truncationBanner()
    {
        auto v = shownViewer();
        v->applyFetch(ok(lines(1, 100)));
        v->flushPendingUpdates();
        QVERIFY(v->bannerText().isEmpty());
        // More than 256 KiB of console: the oldest lines go, and the banner says how much.
        v->applyFetch(ok(lines(1, 6000)));
        v->flushPendingUpdates();
        const qint64 dropped = v->buffer().droppedBytes();
        QVERIFY(dropped > 0);
        QVERIFY(v->buffer().firstLineNumber() > 1);
        QCOMPARE(v->bannerText().section(u' ', 0, 0), QString::number((dropped + 1023) / 1024));
        QVERIFY(v->bannerText().contains(QStringLiteral("KiB of older output dropped")));
        // Line numbers stay absolute.
        QCOMPARE(v->buffer().lastLineNumber(), 6000);
        QVERIFY(v->buffer().lineText(6000).contains(QStringLiteral("message number 6000 ")));
    }

    void gapLineIsDistinct()
    {
        auto v = shownViewer();
        v->applyFetch(ok(lines(1, 30)));
        v->applyFetch(ok(lines(500, 520))); // no overlap: something was missed in between
        v->flushPendingUpdates();
        const int gap = findLine(v->buffer(), ConsoleBuffer::gapMarkerText());
        QVERIFY(gap > 0);
        QCOMPARE(v->buffer().line(gap).kind, ConsoleLine::Kind::Gap);
        const auto runs = v->view()->runs(gap);
        QCOMPARE(runs.size(), 1);
        QCOMPARE(runs.first().foreground, v->view()->theme().gap);
        bool listed = false;
        for (const auto &n : v->notablesShown())
            listed = listed || (n.kind == ConsoleBuffer::Notable::Kind::Gap && n.line == gap);
        QVERIFY(listed);
    }

    // --- errors ---------------------------------------------------------------------------------

    void errorKeepsText_data()
    {
        QTest::addColumn<int>("kind");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("message");
        QTest::newRow("403")
            << int(Error::Kind::HttpStatus) << 403
            << QStringLiteral("console failed (403): forbidden (the admin API key lacks access)");
        QTest::newRow("404") << int(Error::Kind::HttpStatus) << 404
                             << QStringLiteral(
                                    "console failed (404): no console for this workspace");
        QTest::newRow("503") << int(Error::Kind::HttpStatus) << 503
                             << QStringLiteral("console failed (503): unexpected status");
        QTest::newRow("oversize") << int(Error::Kind::Decode) << 200
                                  << QStringLiteral(
                                         "console failed: the answer is larger than 256 KiB");
        QTest::newRow("timeout") << int(Error::Kind::Timeout) << 0
                                 << QStringLiteral("console failed: no answer within 120 s");
    }
    void errorKeepsText()
    {
        QFETCH(int, kind);
        QFETCH(int, status);
        QFETCH(QString, message);
        auto v = shownViewer();
        v->applyFetch(ok(lines(1, 100)));
        v->flushPendingUpdates();
        const QString text = v->buffer().plainText();
        const QString when = v->lastSuccessfulFetch().toString(QStringLiteral("HH:mm:ss"));
        QSignalSpy fetched(v.get(), &ConsoleViewer::fetched);
        v->applyFetch(Error::make(Error::Kind(kind), message, status));
        v->flushPendingUpdates();
        QCOMPARE(fetched.count(), 1);
        QCOMPARE(fetched.first().first().toBool(), false);
        QCOMPARE(v->buffer().plainText(), text);
        QCOMPARE(v->errorText(),
                 QStringLiteral("%1 — showing the text from %2").arg(message, when));
        // The text is still on screen.
        QVERIFY(!v->view()->lineRect(v->buffer().lastLineNumber()).isEmpty());
        // The next good fetch clears the strip.
        v->applyFetch(ok(lines(1, 101)));
        v->flushPendingUpdates();
        QVERIFY(v->errorText().isEmpty());
        QCOMPARE(v->buffer().lastLineNumber(), 101);
    }

    void errorBeforeAnyText()
    {
        auto v = shownViewer();
        v->applyFetch(Error::make(
            Error::Kind::HttpStatus,
            QStringLiteral("console failed (404): no console for this workspace"), 404));
        QVERIFY(v->errorText().contains(QStringLiteral("nothing has been fetched yet")));
        QVERIFY(
            v->view()->placeholderText().contains(QStringLiteral("no console for this workspace")));
        // A cancelled fetch is not an error.
        auto w = shownViewer();
        w->applyFetch(Error::make(Error::Kind::Cancelled, QStringLiteral("console cancelled")));
        QVERIFY(w->errorText().isEmpty());
    }

    // --- selection, copy, save ----------------------------------------------------------------

    void selectAndCopy()
    {
        auto v = shownViewer();
        v->applyFetch(ok(lines(1, 20)));
        v->flushPendingUpdates();
        ConsoleView *view = v->view();
        // Drag across line 3 from its 2nd character to line 4's 10th.
        const QRectF a = view->textRect({ 3, 1 }, 1);
        const QRectF b = view->textRect({ 4, 10 }, 1);
        QVERIFY(!a.isEmpty() && !b.isEmpty());
        QTest::mousePress(view->viewport(), Qt::LeftButton, {},
                          QPoint(int(a.left() + 1), int(a.center().y())));
        QMouseEvent move(QEvent::MouseMove, QPointF(b.left() + 1, b.center().y()),
                         view->viewport()->mapToGlobal(QPointF(b.left() + 1, b.center().y())),
                         Qt::NoButton, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(view->viewport(), &move);
        QTest::mouseRelease(view->viewport(), Qt::LeftButton, {},
                            QPoint(int(b.left() + 1), int(b.center().y())));
        QVERIFY(view->hasSelection());
        const QString l3 = v->buffer().lineText(3);
        const QString l4 = v->buffer().lineText(4);
        QCOMPARE(view->selectedText(), l3.mid(1) + u'\n' + l4.left(10));

        view->setFocus();
        QTest::keyClick(view, Qt::Key_C, Qt::ControlModifier);
        QCOMPARE(QGuiApplication::clipboard()->text(), l3.mid(1) + u'\n' + l4.left(10));

        QTest::keyClick(view, Qt::Key_A, Qt::ControlModifier);
        QTest::keyClick(view, Qt::Key_C, Qt::ControlModifier);
        QString all = v->buffer().plainText();
        all.chop(1); // the last line end is not part of a selection
        QCOMPARE(QGuiApplication::clipboard()->text(), all);

        // Double-click selects a word.
        const QRectF w = view->textRect({ 5, 28 }, 1); // inside "number"
        QTest::mouseDClick(view->viewport(), Qt::LeftButton, {}, w.center().toPoint());
        QCOMPARE(view->selectedText(), QStringLiteral("number"));
    }

    void saveShownAndRaw()
    {
        auto v = shownViewer();
        const QString raw = capture("systemd-boot-ansi.log");
        v->applyFetch(ok(raw));
        v->flushPendingUpdates();
        QTemporaryDir dir;
        const QString shownPath = dir.filePath(QStringLiteral("shown.log"));
        const QString rawPath = dir.filePath(QStringLiteral("raw.log"));
        QVERIFY(v->saveToFile(shownPath, ConsoleViewer::SaveMode::Shown));
        QVERIFY(v->saveToFile(rawPath, ConsoleViewer::SaveMode::Raw));
        QFile s(shownPath), r(rawPath);
        QVERIFY(s.open(QIODevice::ReadOnly) && r.open(QIODevice::ReadOnly));
        const QByteArray shown = s.readAll();
        QCOMPARE(QString::fromUtf8(shown), v->buffer().plainText());
        QVERIFY(!shown.contains('\x1b'));
        QCOMPARE(r.readAll(), raw.toUtf8());
        QString error;
        QVERIFY(!v->saveToFile(dir.filePath(QStringLiteral("no/such/dir/x.log")),
                               ConsoleViewer::SaveMode::Shown, &error));
        QVERIFY(!error.isEmpty());
    }

    // --- settings, batching, wrap ------------------------------------------------------------

    void settingsAreRemembered()
    {
        {
            auto v = shownViewer();
            QVERIFY(!v->wrap());
            QVERIFY(v->colorsEnabled());
            QCOMPARE(v->autoRefreshInterval(), 0);
            v->view()->setFocus();
            QTest::keyClick(v->view(), Qt::Key_Z, Qt::AltModifier);
            QVERIFY(v->wrap());
            v->setColorsEnabled(false);
            v->setAutoRefreshInterval(5000);
        }
        auto v = shownViewer();
        QVERIFY(v->wrap());
        QVERIFY(!v->colorsEnabled());
        QCOMPARE(v->autoRefreshInterval(), 5000);
        QVERIFY(v->statusText().contains(QStringLiteral("auto every 5 s")));
    }

    void wrapShowsLongLinesWhole()
    {
        auto v = shownViewer();
        const QString longLine = QString(600, u'x') + QStringLiteral(" END\r\n");
        v->applyFetch(ok(lines(1, 3) + longLine + lines(5, 6)));
        v->flushPendingUpdates();
        const int h = v->view()->lineHeight();
        QCOMPARE(v->view()->lineRect(5).top() - v->view()->lineRect(4).top(), h);
        QVERIFY(v->view()->horizontalScrollBar()->maximum() > 0);
        v->setWrap(true);
        const int rows = (v->view()->lineRect(5).top() - v->view()->lineRect(4).top()) / h;
        QVERIFY(rows >= 3);
        QCOMPARE(v->view()->horizontalScrollBar()->maximum(), 0);
        // The end of the long line is selectable on its last row.
        const QRectF end = v->view()->textRect({ 4, 601 }, 3);
        QVERIFY(end.top() > v->view()->lineRect(4).top());
        QCOMPARE(v->view()->positionAt(end.center().toPoint()).line, 4);
        QCOMPARE(v->view()->positionAt(QPoint(int(end.left() + 1), int(end.center().y()))).column,
                 601);
    }

    void burstsAreBatched()
    {
        auto v = shownViewer();
        v->applyFetch(ok(lines(1, 10)));
        v->flushPendingUpdates();
        QCOMPARE(v->notablesShown().size(), 0);
        // A burst: the text is merged at once, the screen catches up once the burst is over.
        QString text = lines(1, 10);
        for (int i = 0; i < 200; ++i) {
            text += lines(11 + i, 11 + i);
            if (i == 100)
                text += QStringLiteral("[  100.000000] Kernel panic - not syncing: test\r\n");
            v->applyFetch(ok(text));
        }
        QCOMPARE(v->buffer().lastLineNumber(), 211);
        QCOMPARE(v->notablesShown().size(), 0); // not yet: the batch timer has not fired
        QTRY_COMPARE(v->notablesShown().size(), 1);
        QVERIFY(v->isFollowing());
        QCOMPARE(v->view()->bottomLineNumber(), 211);
    }
};

QTEST_MAIN(tst_ConsoleViewer)
#include "tst_consoleviewer.moc"
