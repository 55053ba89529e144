// The console's notable lines (kernel panics, Call Traces, failed units, errors) as the jump
// list offers them: found in the real captures and in synthetic lines, and dropped with the
// text they point at.
#include "captures.h"
#include "consolebuffer.h"

#include <QtTest>

using namespace cpc;
using namespace cpc::test;

class tst_NotableLines : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void notablesInCaptures_data();
    void notablesInCaptures();
    void notablesSynthetic_data();
    void notablesSynthetic();
    void notablesFollowDrops();
};

void tst_NotableLines::notablesInCaptures_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QStringList>("expected"); // "kind name: text fragment", in line order
    QTest::newRow("panic") << "panic-no-rootfs.log"
                           << QStringList {
                                  "kernel panic: Kernel panic - not syncing: VFS: Unable to "
                                  "mount root fs on unknown-block(0,0)",
                                  "call trace: Call Trace:",
                              };
    QTest::newRow("failed unit")
        << "systemd-boot-failed-unit.log"
        << QStringList {
               QStringLiteral("failed unit: [FAILED] Failed to start demo-fail.… - Demo "
                              "service that always fails."),
               "reboot: reboot: Power down",
           };
    QTest::newRow("clean boot") << "systemd-boot-ansi.log"
                                << QStringList { "reboot: reboot: Power down" };
}

void tst_NotableLines::notablesInCaptures()
{
    QFETCH(QString, file);
    QFETCH(QStringList, expected);
    ConsoleBuffer b;
    b.mergeBytes(consoleCapture(file));
    QStringList got;
    for (const auto &n : b.notables()) {
        got << ConsoleBuffer::notableKindName(n.kind) + QStringLiteral(": ") + n.text;
        QCOMPARE(b.lineText(n.line).trimmed(), n.text); // the number leads to the line
    }
    QCOMPARE(got.size(), expected.size());
    for (int i = 0; i < got.size(); ++i) {
        const QString kind = expected.at(i).section(QStringLiteral(": "), 0, 0);
        const QString fragment = expected.at(i).section(QStringLiteral(": "), 1, -1);
        QVERIFY2(got.at(i).startsWith(kind + QStringLiteral(": ")), qPrintable(got.at(i)));
        QVERIFY2(got.at(i).contains(fragment), qPrintable(got.at(i)));
    }
}

void tst_NotableLines::notablesSynthetic_data()
{
    using K = ConsoleBuffer::Notable::Kind;
    QTest::addColumn<QString>("line");
    QTest::addColumn<int>("kind"); // -1: not notable
    QTest::newRow("oom") << "[ 12.3] Out of memory: Killed process 812 (java)"
                         << int(K::OutOfMemory);
    QTest::newRow("oom killer") << "[ 12.1] java invoked oom-killer: gfp_mask=0x140cca"
                                << int(K::OutOfMemory);
    QTest::newRow("segfault") << "[ 5.1] app[42]: segfault at 0 ip 00007f error 4"
                              << int(K::Segfault);
    QTest::newRow("cloud-init") << "[ 20.5] cloud-init[612]: Cloud-init v. 23.1.1 finished at Thu, "
                                   "28 Nov 2024. Up 20.50 seconds"
                                << int(K::CloudInitFinished);
    QTest::newRow("cloud-init start is not finished")
        << "[ 5.0] cloud-init[400]: Cloud-init v. 23.1.1 running 'init' at Thu" << -1;
    QTest::newRow("rebooting") << "[ 99.0] Rebooting in 10 seconds.." << int(K::Reboot);
    QTest::newRow("reboot restart") << "[ 99.1] reboot: Restarting system" << int(K::Reboot);
    QTest::newRow("failed coloured")
        << "[\x1b[0;1;31mFAILED\x1b[0m] Failed to mount /data." << int(K::FailedUnit);
    QTest::newRow("panic wins") << "Kernel panic - not syncing: Out of memory"
                                << int(K::KernelPanic);
    QTest::newRow("ordinary") << "[  OK  ] Reached target Reboot." << -1;
    QTest::newRow("lower-case panic is not the kernel's") << "kernel panic drill scheduled" << -1;
}

void tst_NotableLines::notablesSynthetic()
{
    QFETCH(QString, line);
    QFETCH(int, kind);
    ConsoleBuffer b;
    b.merge(QStringLiteral("before\n") + line + QStringLiteral("\nafter\n"));
    const auto n = b.notables();
    if (kind < 0) {
        QVERIFY(n.isEmpty());
        return;
    }
    QCOMPARE(n.size(), 1);
    QCOMPARE(int(n.first().kind), kind);
    QCOMPARE(n.first().line, 2);
}

void tst_NotableLines::notablesFollowDrops()
{
    ConsoleBuffer b(4096);
    QString log = QStringLiteral("[ 1.0] Kernel panic - not syncing: test\n");
    b.merge(log);
    QCOMPARE(b.notables().size(), 1);
    // An open last line that becomes notable only once complete is tracked too.
    log += QStringLiteral("[ 2.0] Call Tr");
    b.merge(log);
    QCOMPARE(b.notables().size(), 1);
    log += QStringLiteral("ace:\n");
    b.merge(log);
    QCOMPARE(b.notables().size(), 2);
    QCOMPARE(b.notables().at(1).line, 2);
    for (int i = 0; i < 400; ++i)
        log += QStringLiteral("filler line %1\n").arg(i);
    b.merge(log);
    QVERIFY(b.firstLineNumber() > 2);
    QVERIFY(b.notables().isEmpty());
}

QTEST_GUILESS_MAIN(tst_NotableLines)
#include "tst_notablelines.moc"
