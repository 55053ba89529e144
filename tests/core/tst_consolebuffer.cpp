// The console buffer: cap and sliding window, gaps, line controls, SGR colours, stripping,
// split escapes, invalid UTF-8 and the real captures (notable lines are tst_notablelines). One
// suite over 600 lines: one parser-and-buffer, its tables of inputs side by side.
#include "captures.h"
#include "consolebuffer.h"

#include <QtTest>

using namespace cpc;
using namespace cpc::test;

namespace {

constexpr qsizetype Cap = qsizetype(256) * 1024;

QString colorName(ConsoleColor c)
{
    switch (c.kind()) {
    case ConsoleColor::Kind::Default:
        return {};
    case ConsoleColor::Kind::Palette:
        return QString::number(c.index());
    case ConsoleColor::Kind::Rgb:
        return QStringLiteral("#%1").arg(c.rgbValue(), 6, 16, QLatin1Char('0'));
    }
    return {};
}

/// Spans of a line in a compact, readable form: "start+length:fg2,bg#102030,b,d,i,u,r,x".
QString describe(const QList<ConsoleSpan> &spans)
{
    QStringList parts;
    for (const ConsoleSpan &s : spans) {
        QStringList attrs;
        if (!s.style.fg.isDefault())
            attrs << QStringLiteral("fg") + colorName(s.style.fg);
        if (!s.style.bg.isDefault())
            attrs << QStringLiteral("bg") + colorName(s.style.bg);
        const std::pair<ConsoleStyle::Attr, const char *> names[] = {
            { ConsoleStyle::Bold, "b" },    { ConsoleStyle::Dim, "d" },
            { ConsoleStyle::Italic, "i" },  { ConsoleStyle::Underline, "u" },
            { ConsoleStyle::Inverse, "r" }, { ConsoleStyle::Strike, "x" },
        };
        for (const auto &[attr, name] : names) {
            if (s.style.has(attr))
                attrs << QLatin1String(name);
        }
        parts << QStringLiteral("%1+%2:%3").arg(s.start).arg(s.length).arg(attrs.join(u','));
    }
    return parts.join(u' ');
}

/// Feeds parts as cumulative fetches (each fetch is the whole console so far), the way a
/// console that only grows is seen by successive polls.
void feedCumulative(ConsoleBuffer &b, const QStringList &parts, bool asBytes)
{
    QString soFar;
    for (const QString &p : parts) {
        soFar += p;
        if (asBytes)
            b.mergeBytes(soFar.toUtf8());
        else
            b.merge(soFar);
    }
}

QString allSpans(const ConsoleBuffer &b)
{
    QStringList out;
    for (int n = b.firstLineNumber(); n <= b.lastLineNumber(); ++n)
        out << describe(b.line(n).spans);
    return out.join(u'|');
}

/// A line of exactly `bytes` UTF-8 bytes including its '\n', made of `unit` (1 or 2 bytes).
QString lineOfBytes(int number, int bytes, QChar unit = u'x')
{
    QString s = QStringLiteral("%1 ").arg(number, 6, 10, QLatin1Char('0')); // 7 bytes
    const int unitBytes = unit.unicode() < 0x80 ? 1 : 2;
    int remaining = bytes - 1 - int(s.size());
    while (remaining >= unitBytes) {
        s += unit;
        remaining -= unitBytes;
    }
    s += QString(remaining, u'.');
    return s + u'\n';
}

} // namespace

class tst_ConsoleBuffer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void cap_data();
    void cap();
    void capKeepsNumbering();
    void slidingWindow_data();
    void slidingWindow();
    void gap_data();
    void gap();
    void gapResetsStyle();
    void unchanged_data();
    void unchanged();
    void mergeResultLines();
    void lineControls_data();
    void lineControls();
    void sgr_data();
    void sgr();
    void stripping_data();
    void stripping();
    void splitEscape_data();
    void splitEscape();
    void capturesStripped_data();
    void capturesStripped();
    void ansiRoundTrip_data();
    void ansiRoundTrip();
    void invalidUtf8_data();
    void invalidUtf8();
    void utf8SplitAcrossFetches();
    void replacementInTextNotCounted();
    void hugeInput_data();
    void hugeInput();
    void followRendering();
    void rawTextAndClear();
};

void tst_ConsoleBuffer::cap_data()
{
    QTest::addColumn<int>("delta"); // total input minus the cap, in UTF-8 bytes
    QTest::addColumn<bool>("twoByteChars");
    QTest::newRow("cap-1") << -1 << false;
    QTest::newRow("cap") << 0 << false;
    QTest::newRow("cap+1") << 1 << false;
    QTest::newRow("cap-1 two-byte chars") << -1 << true;
    QTest::newRow("cap two-byte chars") << 0 << true;
    QTest::newRow("cap+1 two-byte chars") << 1 << true;
}

void tst_ConsoleBuffer::cap()
{
    QFETCH(int, delta);
    QFETCH(bool, twoByteChars);
    // 256 lines of 1 KiB fill the cap exactly; the last line absorbs delta.
    constexpr int LineBytes = 1024;
    constexpr int Lines = int(Cap / LineBytes);
    QString input;
    for (int i = 1; i <= Lines; ++i)
        input += lineOfBytes(i, LineBytes + (i == Lines ? delta : 0),
                             twoByteChars ? QChar(u'é') : QChar(u'x'));
    QCOMPARE(input.toUtf8().size(), Cap + delta);

    ConsoleBuffer b;
    QCOMPARE(b.capBytes(), Cap);
    const auto r = b.merge(input);
    QVERIFY(b.storedBytes() <= Cap);
    if (delta <= 0) {
        QCOMPARE(b.storedBytes(), Cap + delta);
        QCOMPARE(b.droppedBytes(), 0);
        QCOMPARE(r.droppedBytes, 0);
        QCOMPARE(b.firstLineNumber(), 1);
        QCOMPARE(b.lineCount(), Lines);
        QCOMPARE(b.plainText(), input);
    } else {
        // One byte over: the oldest whole line goes, and the banner can say how much.
        QCOMPARE(b.droppedBytes(), LineBytes);
        QCOMPARE(r.droppedBytes, LineBytes);
        QCOMPARE(b.storedBytes(), Cap + delta - LineBytes);
        QCOMPARE(b.firstLineNumber(), 2);
        QCOMPARE(b.lineCount(), Lines - 1);
        QVERIFY(b.lineText(2).startsWith(QLatin1String("000002 ")));
        QCOMPARE(b.lineText(1), QString());
    }
    QCOMPARE(r.firstNewLine, b.firstLineNumber());
    QCOMPARE(r.newLines, b.lineCount());
}

void tst_ConsoleBuffer::capKeepsNumbering()
{
    // A configured small cap, fed line by line as a growing window: numbers never shift.
    ConsoleBuffer b(4096);
    QString window;
    for (int i = 1; i <= 2000; ++i) {
        window += QStringLiteral("line %1\n").arg(i);
        if (window.size() > 3000)
            window = window.mid(window.indexOf(u'\n', window.size() - 3000) + 1);
        const auto r = b.merge(window);
        QVERIFY(!r.gap);
        QCOMPARE(r.newLines, 1);
        QCOMPARE(r.firstNewLine, i);
    }
    QVERIFY(b.storedBytes() <= 4096);
    QVERIFY(b.firstLineNumber() > 1);
    QCOMPARE(b.lastLineNumber(), 2000);
    for (int n = b.firstLineNumber(); n <= b.lastLineNumber(); ++n)
        QCOMPARE(b.lineText(n), QStringLiteral("line %1").arg(n));
    qint64 expectedDropped = 0;
    for (int n = 1; n < b.firstLineNumber(); ++n)
        expectedDropped += QStringLiteral("line %1\n").arg(n).size();
    QCOMPARE(b.droppedBytes(), expectedDropped);
}

void tst_ConsoleBuffer::slidingWindow_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("window");
    QTest::addColumn<int>("step");
    QTest::addColumn<bool>("asBytes");
    const char *files[]
        = { "systemd-boot-ansi.log", "systemd-boot-failed-unit.log", "panic-no-rootfs.log" };
    for (const char *f : files) {
        for (bool bytes : { true, false }) {
            const char *form = bytes ? "bytes" : "text";
            QTest::addRow("%s 16K/4K %s", f, form) << f << 16384 << 4096 << bytes;
            QTest::addRow("%s 16K/4093 %s", f, form) << f << 16384 << 4093 << bytes;
            QTest::addRow("%s 2K/1536 %s", f, form) << f << 2048 << 1536 << bytes;
        }
    }
}

void tst_ConsoleBuffer::slidingWindow()
{
    QFETCH(QString, file);
    QFETCH(int, window);
    QFETCH(int, step);
    QFETCH(bool, asBytes);
    const QByteArray bytes = consoleCapture(file);
    const QString text = QString::fromUtf8(bytes);

    ConsoleBuffer whole;
    whole.mergeBytes(bytes);

    // Each fetch is the latest `window` of the console as it grows by `step`: successive
    // fetches overlap and the first one starts at the beginning.
    ConsoleBuffer sliding;
    const qsizetype total = asBytes ? bytes.size() : text.size();
    int fetches = 0;
    for (qsizetype end = std::min<qsizetype>(window, total);; end = std::min(end + step, total)) {
        const qsizetype start = std::max<qsizetype>(0, end - window);
        const auto r = asBytes ? sliding.mergeBytes(bytes.mid(start, end - start))
                               : sliding.merge(text.mid(start, end - start));
        QVERIFY2(!r.gap, qPrintable(QStringLiteral("gap at fetch %1").arg(fetches)));
        ++fetches;
        if (end == total)
            break;
    }
    QVERIFY(fetches >= 3);
    QCOMPARE(sliding.lineCount(), whole.lineCount());
    QCOMPARE(sliding.plainText(), whole.plainText());
    QCOMPARE(allSpans(sliding), allSpans(whole));
    QCOMPARE(sliding.invalidSequences(), 0);
    QCOMPARE(sliding.notables(), whole.notables());
}

void tst_ConsoleBuffer::gap_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("window");
    QTest::addColumn<int>("step");
    QTest::newRow("ansi windows 4K apart") << "systemd-boot-ansi.log" << 8192 << 12288;
    QTest::newRow("panic adjacent windows") << "panic-no-rootfs.log" << 4096 << 4096;
}

void tst_ConsoleBuffer::gap()
{
    QFETCH(QString, file);
    QFETCH(int, window);
    QFETCH(int, step);
    const QByteArray bytes = consoleCapture(file);
    ConsoleBuffer b;
    int gaps = 0;
    int fetches = 0;
    for (qsizetype start = 0; start < bytes.size(); start += step) {
        const auto r = b.mergeBytes(bytes.mid(start, window));
        QCOMPARE(r.gap, fetches > 0); // the first fetch has nothing to miss
        if (r.gap) {
            ++gaps;
            QCOMPARE(b.line(r.firstNewLine).kind, ConsoleLine::Kind::Gap);
            QCOMPARE(b.lineText(r.firstNewLine), ConsoleBuffer::gapMarkerText());
        }
        ++fetches;
    }
    QCOMPARE(gaps, fetches - 1);
    int markers = 0;
    for (int n = b.firstLineNumber(); n <= b.lastLineNumber(); ++n)
        markers += b.line(n).kind == ConsoleLine::Kind::Gap;
    QCOMPARE(markers, gaps);
    int gapNotables = 0;
    for (const auto &n : b.notables())
        gapNotables += n.kind == ConsoleBuffer::Notable::Kind::Gap;
    QCOMPARE(gapNotables, gaps);
}

void tst_ConsoleBuffer::gapResetsStyle()
{
    // The console restarted (reboot): a different boot log, no overlap with the first.
    ConsoleBuffer b;
    b.mergeBytes(consoleCapture("systemd-boot-ansi.log") + "\x1b[31mhalf a red line");
    const int before = b.lastLineNumber();
    QVERIFY(b.lastLineOpen());
    const QByteArray second = consoleCapture("panic-no-rootfs.log");
    const auto r = b.mergeBytes(second);
    QVERIFY(r.gap);
    QVERIFY(!r.unchanged);
    // The open line was closed as it was, the marker follows, then the new boot from its start.
    QCOMPARE(b.lineText(before), QStringLiteral("half a red line"));
    QCOMPARE(r.firstNewLine, before + 1);
    QCOMPARE(b.line(before + 1).kind, ConsoleLine::Kind::Gap);
    QVERIFY(b.lineText(before + 2).startsWith(QLatin1String("SeaBIOS")));
    QVERIFY(b.line(before + 2).spans.isEmpty()); // red did not leak into the new boot
    ConsoleBuffer fresh;
    fresh.mergeBytes(second);
    QVERIFY(b.plainText().endsWith(ConsoleBuffer::gapMarkerText() + u'\n' + fresh.plainText()));
    // The next poll continues the new boot: no second gap.
    const auto r2 = b.mergeBytes(second + "more\r\n");
    QVERIFY(!r2.gap);
    QCOMPARE(r2.newLines, 1);
    QCOMPARE(b.lineText(b.lastLineNumber()), QStringLiteral("more"));
}

void tst_ConsoleBuffer::unchanged_data()
{
    QTest::addColumn<QString>("first");
    QTest::addColumn<QString>("second");
    const QString log = QString::fromUtf8(consoleCapture("panic-no-rootfs.log"));
    QTest::newRow("same fetch") << log << log;
    QTest::newRow("empty fetch") << log << QString();
    QTest::newRow("shorter tail of the same window") << log << log.right(5000);
    QTest::newRow("tiny tail") << log << log.right(10);
    QTest::newRow("stale older window") << log << log.mid(1000, 8000);
    QTest::newRow("same short fetch") << "login: "
                                      << "login: ";
}

void tst_ConsoleBuffer::unchanged()
{
    QFETCH(QString, first);
    QFETCH(QString, second);
    ConsoleBuffer b;
    b.merge(first);
    const QString text = b.plainText();
    const int last = b.lastLineNumber();
    const auto r = b.merge(second);
    QVERIFY(r.unchanged);
    QVERIFY(!r.gap);
    QCOMPARE(r.newLines, 0);
    QCOMPARE(r.firstNewLine, 0);
    QCOMPARE(b.plainText(), text);
    QCOMPARE(b.lastLineNumber(), last);
    // And the window can still move on from there without a gap.
    const auto r2 = b.merge(first + QStringLiteral("next\n"));
    QVERIFY(!r2.gap);
    QCOMPARE(b.plainText(), text + QStringLiteral("next\n"));
}

void tst_ConsoleBuffer::mergeResultLines()
{
    ConsoleBuffer b;
    auto r = b.merge(QStringLiteral("a\nb"));
    QCOMPARE(r.firstNewLine, 1);
    QCOMPARE(r.newLines, 2);
    QVERIFY(b.lastLineOpen());
    QCOMPARE(b.lastCompleteLineNumber(), 1);
    // The open line "b" is continued: it is the first changed line, numbering is unchanged.
    r = b.merge(QStringLiteral("a\nb c\nd\n"));
    QCOMPARE(r.firstNewLine, 2);
    QCOMPARE(r.newLines, 2);
    QVERIFY(!b.lastLineOpen());
    QCOMPARE(b.lineText(2), QStringLiteral("b c"));
    QCOMPARE(b.lineText(3), QStringLiteral("d"));
    QCOMPARE(b.lastCompleteLineNumber(), 3);
    r = b.merge(QStringLiteral("a\nb c\nd\ne\n"));
    QCOMPARE(r.firstNewLine, 4);
    QCOMPARE(r.newLines, 1);
    // Input that changes nothing visible, with and without an open line.
    r = b.merge(QStringLiteral("a\nb c\nd\ne\n\x1b[3"));
    QVERIFY(r.unchanged);
    r = b.merge(QStringLiteral("a\nb c\nd\ne\n\x1b[31mf"));
    QCOMPARE(r.firstNewLine, 5);
    r = b.merge(QStringLiteral("a\nb c\nd\ne\n\x1b[31mf\x1b[0"));
    QVERIFY(r.unchanged);
    QCOMPARE(r.newLines, 0);
    r = b.merge(QStringLiteral("a\nb c\nd\ne\n\x1b[31mf\x1b[0mg"));
    QCOMPARE(r.firstNewLine, 5);
    QCOMPARE(r.newLines, 1);
    QCOMPARE(b.lineText(5), QStringLiteral("fg"));
}

void tst_ConsoleBuffer::lineControls_data()
{
    QTest::addColumn<QStringList>("fetches"); // parts of the stream, fed as growing fetches
    QTest::addColumn<QString>("expected");
    auto row = [](const char *name, const QStringList &parts, const QString &expected) {
        QTest::newRow(name) << parts << expected;
    };
    row("crlf", { "a\r\nb\r\n" }, "a\nb\n");
    row("crcrlf", { "a\r\r\nb\r\r\n" }, "a\nb\n");
    row("lf only", { "a\nb" }, "a\nb");
    row("blank lines kept", { "a\r\n\r\n\nb\n" }, "a\n\n\nb\n");
    row("progress keeps final state", { "10%\r20%\r100%\r\n" }, "100%\n");
    row("progress shorter text overwrites the start", { "Progress 100%\rDone\r\n" },
        "Doneress 100%\n");
    row("progress with erase to end", { "Progress 100%\r\x1b[KDone\r\n" }, "Done\n");
    row("split crlf", { "a\r", "\nb\n" }, "a\nb\n");
    row("split crcrlf", { "a\r\r", "\nb" }, "a\nb");
    row("split cr cr lf", { "a\r", "\r", "\nb\n" }, "a\nb\n");
    row("progress split", { "50%", "\r100%\n" }, "100%\n");
    row("cr at end then overwrite", { "abc\r", "x" }, "xbc");
    row("backspace", { "abc\bd\n" }, "abd\n");
    row("backspace at line start", { "ab\b\b\bc\n" }, "c\n");
    row("spinner", { "|\b/\b-\b\\\bdone\n" }, "done\n");
    row("backspace split", { "ab", "\bc\n" }, "ac\n");
    row("backspace inside line moves left", { "abc\rX\bY\n" }, "Ybc\n");
    row("backspace does not cross lines", { "ab\n\bc\n" }, "ab\nc\n");
    row("tabs kept", { "a\tb\n" }, "a\tb\n");
    row("controls dropped",
        { QString::fromUtf8("a\0b\x07"
                            "c\x01"
                            "d\x7f"
                            "e\x0b\x0c"
                            "f\n",
                            13) },
        "abcdef\n");
    row("full reset starts a line",
        { "abc\x1b"
          "cdef\n" },
        "abc\ndef\n");
    row("erase whole line", { "abc\x1b[2K\rxy\n" }, "xy\n");
    row("erase to start", { "abcd\rab\x1b[1Kx\n" }, "  xd\n");
}

void tst_ConsoleBuffer::lineControls()
{
    QFETCH(QStringList, fetches);
    QFETCH(QString, expected);
    for (bool asBytes : { false, true }) {
        ConsoleBuffer b;
        feedCumulative(b, fetches, asBytes);
        QCOMPARE(b.plainText(), expected);
        QCOMPARE(b.lastLineOpen(), !expected.endsWith(u'\n'));
    }
}

void tst_ConsoleBuffer::sgr_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<int>("line");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("spans");
    QTest::newRow("green") << "\x1b[32mOK\x1b[0m done" << 1 << "OK done"
                           << "0+2:fg2";
    QTest::newRow("bold reset") << "\x1b[1mA\x1b[0mB" << 1 << "AB"
                                << "0+1:b";
    QTest::newRow("bright fg") << "\x1b[91mE" << 1 << "E"
                               << "0+1:fg9";
    QTest::newRow("bg and default bg") << "\x1b[44mx\x1b[49my\x1b[103mz" << 1 << "xyz"
                                       << "0+1:bg4 2+1:bg11";
    QTest::newRow("256 colours") << "\x1b[38;5;208mo\x1b[48;5;17mp" << 1 << "op"
                                 << "0+1:fg208 1+1:fg208,bg17";
    QTest::newRow("truecolor") << "\x1b[38;2;255;128;0mt\x1b[48;2;1;2;3mu" << 1 << "tu"
                               << "0+1:fg#ff8000 1+1:fg#ff8000,bg#010203";
    QTest::newRow("truecolor colon form") << "\x1b[38:2::10:20:30mc" << 1 << "c"
                                          << "0+1:fg#0a141e";
    QTest::newRow("attributes on and off") << "\x1b[2;3;4;7md\x1b[22;23;24;27me" << 1 << "de"
                                           << "0+1:d,i,u,r";
    QTest::newRow("22 ends bold") << "\x1b[1mb\x1b[22mn" << 1 << "bn"
                                  << "0+1:b";
    QTest::newRow("39 keeps bold") << "\x1b[31;1mr\x1b[39mx" << 1 << "rx"
                                   << "0+1:fg1,b 1+1:b";
    QTest::newRow("empty sgr resets") << "\x1b[31mr\x1b[mx" << 1 << "rx"
                                      << "0+1:fg1";
    QTest::newRow("systemd status")
        << "[\x1b[0;32m  OK  \x1b[0m] Started \x1b[0;1;39mfoo.service\x1b[0m." << 1
        << "[  OK  ] Started foo.service."
        << "1+6:fg2 17+11:b";
    QTest::newRow("systemd failed")
        << "[\x1b[0;1;31mFAILED\x1b[0m] Failed" << 1 << "[FAILED] Failed"
        << "1+6:fg1,b";
    QTest::newRow("carried to next line") << "\x1b[33mone\ntwo\x1b[0m\nthree" << 2 << "two"
                                          << "0+3:fg3";
    QTest::newRow("reset before line end") << "\x1b[33mone\ntwo\x1b[0m\nthree" << 3 << "three"
                                           << "";
    QTest::newRow("overwrite takes new style") << "\x1b[31mabc\r\x1b[32mX\n"
                                               << 1 << "Xbc"
                                               << "0+1:fg2 1+2:fg1";
    QTest::newRow("private csi m ignored") << "\x1b[>4;2mq" << 1 << "q"
                                           << "";
    QTest::newRow("c1 csi") << QStringLiteral("a\u009b31mb") << 1 << "ab"
                            << "1+1:fg1";
}

void tst_ConsoleBuffer::sgr()
{
    QFETCH(QString, input);
    QFETCH(int, line);
    QFETCH(QString, text);
    QFETCH(QString, spans);
    ConsoleBuffer b;
    b.merge(input);
    QCOMPARE(b.lineText(line), text);
    QCOMPARE(describe(b.lineSpans(line)), spans);
}

void tst_ConsoleBuffer::stripping_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("plain");
    QTest::newRow("other csi finals") << "a\x1b[2Jb\x1b[?7lc\x1b[10;20Hd\x1b[5Ce"
                                      << "abcde";
    QTest::newRow("osc bel") << "a\x1b]0;title\x07"
                                "b"
                             << "ab";
    QTest::newRow("osc st hyperlink") << "a\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\b"
                                      << "alinkb";
    QTest::newRow("charset") << "a\x1b(Bb\x1b)0c"
                             << "abc";
    QTest::newRow("single char escapes") << "a\x1b"
                                            "7b\x1b"
                                            "8c\x1b=d\x1bMe"
                                         << "abcde";
    QTest::newRow("dcs") << "a\x1bPq#0;2;0;0;0\x1b\\b"
                         << "ab";
    QTest::newRow("systemd truncation after ESC")
        << QStringLiteral("dev-mqueue.mount\x1b…POSIX Message Queue")
        << QStringLiteral("dev-mqueue.mount…POSIX Message Queue");
    QTest::newRow("systemd truncation inside CSI")
        << QStringLiteral("dev-mqueue.mount\x1b[…- POSIX Message Queue")
        << QStringLiteral("dev-mqueue.mount…- POSIX Message Queue");
    QTest::newRow("systemd ellipsis remnant [0m")
        << QStringLiteral("Starting \x1b[0;1;39mmodprobe@dm_mod.s…[0m - Load Kernel Module")
        << QStringLiteral("Starting modprobe@dm_mod.s… - Load Kernel Module");
    QTest::newRow("systemd ellipsis remnant m")
        << QStringLiteral("Starting \x1b[0;1;39mmodprobe@configfs…m - Load Kernel Module")
        << QStringLiteral("Starting modprobe@configfs… - Load Kernel Module");
    QTest::newRow("ellipsis before a word is text")
        << QStringLiteral("Loading…mail …0ms …m") << QStringLiteral("Loading…mail …0ms …m");
    QTest::newRow("unterminated osc ends at newline") << "a\x1b]0;title\nb"
                                                      << "a\nb";
    QTest::newRow("csi cut by newline") << "a\x1b[3\nb"
                                        << "a\nb";
    QTest::newRow("escape at the very end") << "abc\x1b[0;3"
                                            << "abc";
}

void tst_ConsoleBuffer::stripping()
{
    QFETCH(QString, input);
    QFETCH(QString, plain);
    ConsoleBuffer b;
    b.merge(input);
    QCOMPARE(b.plainText(), plain);
}

void tst_ConsoleBuffer::splitEscape_data()
{
    QTest::addColumn<QString>("input");
    QTest::newRow("sgr") << "ok \x1b[0;1;38;5;185mbold\x1b[0m done\r\n";
    QTest::newRow("truecolor") << "x\x1b[48;2;10;20;30my\x1b[m\r\r\nz";
    QTest::newRow("osc st") << "a\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\b\n";
    QTest::newRow("reset and private") << "boot\x1b"
                                          "c\x1b[?7l\x1b[2J\x1b[0mSeaBIOS\r\n";
    QTest::newRow("charset and progress") << "\x1b(B10%\r\x1b[K100%\r\n";
    QTest::newRow("systemd ellipsis remnants")
        << QStringLiteral("Starting \x1b[0;1;39mmodprobe@dm_mod.s…[0m - Load\r\r\n"
                          "Starting \x1b[0;1;39mmodprobe@configfs…m - Load\r\r\n"
                          "Loading…mail …0ms\r\n");
}

void tst_ConsoleBuffer::splitEscape()
{
    QFETCH(QString, input);
    ConsoleBuffer once;
    once.merge(input);
    // Every split point, including inside each escape sequence and between \r and \n.
    for (qsizetype cut = 1; cut < input.size(); ++cut) {
        for (bool asBytes : { false, true }) {
            ConsoleBuffer b;
            feedCumulative(b, { input.left(cut), input.mid(cut) }, asBytes);
            QVERIFY2(b.plainText() == once.plainText(), qPrintable(QString::number(cut)));
            QCOMPARE(allSpans(b), allSpans(once));
        }
        ConsoleBuffer firstOnly;
        firstOnly.merge(input.left(cut));
        QVERIFY(!firstOnly.plainText().contains(u'\x1b'));
    }
}

void tst_ConsoleBuffer::capturesStripped_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("styledLines");
    QTest::newRow("ansi") << "systemd-boot-ansi.log" << 1;
    QTest::newRow("failed unit") << "systemd-boot-failed-unit.log" << 1;
    QTest::newRow("panic") << "panic-no-rootfs.log" << 0;
}

void tst_ConsoleBuffer::capturesStripped()
{
    QFETCH(QString, file);
    QFETCH(int, styledLines);
    ConsoleBuffer b;
    const auto r = b.mergeBytes(consoleCapture(file));
    QCOMPARE(r.invalidSequences, 0);
    const QString plain = b.plainText();
    QVERIFY(!plain.contains(u'\x1b'));
    QVERIFY(!plain.contains(u'\r'));
    QVERIFY(!plain.contains(QLatin1String("[0;")));
    QVERIFY(!plain.contains(QLatin1String("[0m")));
    QVERIFY(!plain.contains(QLatin1String("32m")));
    QVERIFY(!plain.contains(QLatin1String("[?7l")));
    for (const QChar c : plain)
        QVERIFY(c >= u' ' || c == u'\n' || c == u'\t');
    int styled = 0;
    for (int n = b.firstLineNumber(); n <= b.lastLineNumber(); ++n)
        styled += !b.line(n).spans.isEmpty();
    QCOMPARE(styled > 0, styledLines > 0);
    if (styledLines) {
        // The status column reads as on a terminal, with the colour on the status word.
        QVERIFY(plain.contains(QLatin1String("[  OK  ] Reached target ")));
        QVERIFY(plain.contains(QLatin1String("\n[    0.000000] Linux version 6.1.0-57-amd64")));
        QVERIFY(plain.contains(QStringLiteral("Mounted dev-mqueue.mount…- POSIX Message Queue")));
    }
}

void tst_ConsoleBuffer::ansiRoundTrip_data()
{
    capturesStripped_data();
}

void tst_ConsoleBuffer::ansiRoundTrip()
{
    // What `cpctl console` prints with colours must read back as the same lines and colours.
    QFETCH(QString, file);
    ConsoleBuffer b;
    b.mergeBytes(consoleCapture(file));
    ConsoleBuffer again;
    again.merge(b.render(ConsoleBuffer::Format::Ansi));
    QCOMPARE(again.plainText(), b.plainText());
    QCOMPARE(allSpans(again), allSpans(b));
    QCOMPARE(b.render(ConsoleBuffer::Format::Plain), b.plainText());
}

void tst_ConsoleBuffer::invalidUtf8_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("invalid");
    const QString r(QChar::ReplacementCharacter);
    QTest::newRow("valid") << QByteArray("h\xc3\xa9 \xe2\x80\xa6 \xf0\x9f\x98\x80")
                           << QStringLiteral("hé … 😀") << 0;
    QTest::newRow("lone continuation") << QByteArray("a\x80"
                                                     "b")
                                       << "a" + r + "b" << 1;
    QTest::newRow("overlong") << QByteArray("\xc0\xaf") << r + r << 2;
    QTest::newRow("surrogate") << QByteArray("\xed\xa0\x80") << r + r + r << 3;
    QTest::newRow("above U+10FFFF") << QByteArray("\xf4\x90\x80\x80") << r + r + r + r << 4;
    QTest::newRow("byte ff") << QByteArray("x\xffy") << "x" + r + "y" << 1;
    QTest::newRow("truncated in the middle") << QByteArray("a\xe2\x82"
                                                           "b")
                                             << "a" + r + "b" << 1;
    QTest::newRow("truncated at the end") << QByteArray("abc\xe2\x82") << "abc" + r << 1;
    QTest::newRow("truncated 4-byte at the end") << QByteArray("abc\xf0\x9f\x98") << "abc" + r << 1;
}

void tst_ConsoleBuffer::invalidUtf8()
{
    QFETCH(QByteArray, input);
    QFETCH(QString, text);
    QFETCH(int, invalid);
    ConsoleBuffer b;
    const auto r = b.mergeBytes(input);
    QCOMPARE(b.lineText(1), text);
    QCOMPARE(b.invalidSequences(), invalid);
    QCOMPARE(r.invalidSequences, invalid);
}

void tst_ConsoleBuffer::utf8SplitAcrossFetches()
{
    // A poll that lands between the bytes of "…": shown as U+FFFD until the next poll
    // completes it, and then not counted as invalid at all.
    ConsoleBuffer b;
    b.mergeBytes("abc\xe2\x80");
    QCOMPARE(b.lineText(1), QStringLiteral("abc\uFFFD"));
    QCOMPARE(b.invalidSequences(), 1);
    const auto r = b.mergeBytes("abc\xe2\x80\xa6"
                                "def\n");
    QVERIFY(!r.gap);
    QCOMPARE(b.plainText(), QStringLiteral("abc…def\n"));
    QCOMPARE(b.invalidSequences(), 0);
    QCOMPARE(r.invalidSequences, 0);
    // Windows whose ends cut characters in half still overlap at the byte level.
    QByteArray log;
    for (int i = 0; i < 2000; ++i)
        log += "line " + QByteArray::number(i) + " \xe2\x80\xa6 \xf0\x9f\x98\x80\r\n";
    ConsoleBuffer whole;
    whole.mergeBytes(log);
    ConsoleBuffer w;
    int cutMidChar = 0;
    for (qsizetype end = 1000;; end = std::min<qsizetype>(end + 333, log.size())) {
        const qsizetype start = std::max<qsizetype>(0, end - 1000);
        cutMidChar += (uchar(log.at(start)) & 0xc0) == 0x80;
        QVERIFY(!w.mergeBytes(log.mid(start, end - start)).gap);
        if (end == log.size())
            break;
    }
    QVERIFY(cutMidChar > 10);
    QCOMPARE(w.plainText(), whole.plainText());
    QCOMPARE(w.invalidSequences(), 0);
}

void tst_ConsoleBuffer::replacementInTextNotCounted()
{
    ConsoleBuffer b;
    b.merge(QStringLiteral("bad \uFFFD byte\n"));
    QCOMPARE(b.lineText(1), QStringLiteral("bad \uFFFD byte"));
    QCOMPARE(b.invalidSequences(), 0);
}

void tst_ConsoleBuffer::hugeInput_data()
{
    QTest::addColumn<bool>("asBytes");
    QTest::newRow("bytes") << true;
    QTest::newRow("text") << false;
}

void tst_ConsoleBuffer::hugeInput()
{
    QFETCH(bool, asBytes);
    // A 10 MB console response: only the last inputLimit() is looked at, from a whole line.
    QByteArray big;
    big.reserve(qsizetype(10) * 1024 * 1024 + 4096);
    for (int i = 0; big.size() < qsizetype(10) * 1024 * 1024; ++i)
        big += QByteArray("[") + QByteArray::number(i).rightJustified(9, ' ')
            + "] \x1b[0;32mcolour\x1b[0m \xc3\xa9t\xc3\xa9 console line\r\n";
    big += "tail of the console";
    ConsoleBuffer b;
    const auto r = asBytes ? b.mergeBytes(big) : b.merge(QString::fromUtf8(big));
    QVERIFY(r.inputTruncated);
    QVERIFY(r.inputSkipped >= big.size() - 2 * b.inputLimit()); // text: UTF-16 units < bytes
    QVERIFY(b.storedBytes() <= b.capBytes());
    QVERIFY(b.rawText().size() <= 2 * b.inputLimit());
    QVERIFY(b.droppedBytes() > 0);
    QCOMPARE(b.lineText(b.lastLineNumber()), QStringLiteral("tail of the console"));
    QVERIFY(b.lineText(b.firstLineNumber()).startsWith(u'['));
    QVERIFY(b.lineText(b.firstLineNumber()).endsWith(QStringLiteral("été console line")));
    QCOMPARE(b.invalidSequences(), 0);

    // The next poll of the same huge console, 1 KiB further on: still recognised as overlap.
    QByteArray next = big.mid(1024) + " and more\r\n";
    const auto r2 = asBytes ? b.mergeBytes(next) : b.merge(QString::fromUtf8(next));
    QVERIFY(r2.inputTruncated);
    QVERIFY(!r2.gap);
    QCOMPARE(r2.newLines, 1);
    QCOMPARE(b.lineText(b.lastLineNumber()), QStringLiteral("tail of the console and more"));
    QVERIFY(b.storedBytes() <= b.capBytes());
}

void tst_ConsoleBuffer::followRendering()
{
    // cpctl console --follow prints complete lines once, with or without colours.
    ConsoleBuffer b;
    QString printed;
    int upTo = 0;
    const QStringList polls
        = { "one\n\x1b[31mtw", "one\n\x1b[31mtwo\n\x1b[0mthr", "one\n\x1b[31mtwo\n\x1b[0mthree\n" };
    for (const QString &p : polls) {
        b.merge(p);
        printed += b.render(ConsoleBuffer::Format::Plain, upTo + 1, b.lastCompleteLineNumber());
        upTo = b.lastCompleteLineNumber();
    }
    QCOMPARE(printed, QStringLiteral("one\ntwo\nthree\n"));
    QCOMPARE(b.render(ConsoleBuffer::Format::Ansi, 2, 2), QStringLiteral("\x1b[0;31mtwo\x1b[0m\n"));
    QCOMPARE(b.render(ConsoleBuffer::Format::Plain, 3), QStringLiteral("three\n"));
    QCOMPARE(b.render(ConsoleBuffer::Format::Plain, 5), QString());
}

void tst_ConsoleBuffer::rawTextAndClear()
{
    const QByteArray raw = consoleCapture("panic-no-rootfs.log");
    ConsoleBuffer b;
    b.mergeBytes(raw.left(10000));
    b.mergeBytes(raw);
    QCOMPARE(b.rawText(), raw); // "save raw" writes the last fetch as received
    b.merge(QString::fromUtf8(raw) + QStringLiteral("é\n"));
    QCOMPARE(b.rawText(), raw + "\xc3\xa9\n");
    b.clear();
    QVERIFY(b.isEmpty());
    QCOMPARE(b.rawText(), QByteArray());
    QCOMPARE(b.storedBytes(), 0);
    // After clear() nothing is remembered: the next fetch is a first fetch, numbered from 1.
    const auto r = b.mergeBytes(raw);
    QVERIFY(!r.gap);
    QCOMPARE(r.firstNewLine, 1);
    QCOMPARE(b.firstLineNumber(), 1);
}

QTEST_GUILESS_MAIN(tst_ConsoleBuffer)
#include "tst_consolebuffer.moc"
