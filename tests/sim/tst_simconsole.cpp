// The simulator's serial consoles: growth like a boot log, kernel panics from the real
// captures, the latest window, and hostile IDs that never reach another route.

#include "simtestbase.h"

using namespace cpc;
using namespace cpc::test;

class tst_SimConsole : public SimTestBase
{
    Q_OBJECT

private Q_SLOTS:
    void init() { QVERIFY(setUp()); }
    void cleanup() { tearDown(); }

    void consoleGrowsLikeABootLog()
    {
        SimulatorOptions o = options();
        o.bootMs = 400;
        o.consoleGrowthMs = 100;
        const QString iid = runningInstance(o);
        QVERIFY(!iid.isEmpty());
        auto c = client();

        const QString first = consoleText(*c, kWs);
        QVERIFY(first.startsWith(QLatin1String("\x1b"
                                               "c")));
        QVERIFY(first.contains(QLatin1String("SeaBIOS (version")));
        QVERIFY(first.contains(QLatin1String("[    0.000000] Linux version 6.1.0")));
        QVERIFY(first.contains(
            QRegularExpression(QStringLiteral("\\[ {0,4}\\d+\\.\\d{6}\\] systemd\\[1\\]"))));
        QVERIFY(first.contains(QLatin1String("[\x1b[0;32m  OK  \x1b[0m] Started ")));
        QVERIFY(first.contains(QLatin1String("\r\r\n")));
        QVERIFY(first.contains(QLatin1String("\r\n")));
        QVERIFY(first.contains(QRegularExpression(QStringLiteral("\\d+%\\r[^\\n]"))));
        QVERIFY(first.contains(QRegularExpression(
            QStringLiteral("Cloud-init v\\. 23\\.1 finished at \\w{3}, \\d\\d \\w{3} \\d{4}"))));
        QVERIFY(first.contains(QStringLiteral("\u2026"))); // systemd's ellipsis in unit names
        QVERIFY(first.contains(QChar(0xFFFD))); // the byte of line noise arrives as U+FFFD
        QVERIFY(first.contains(QLatin1String(" login: ")));
        QVERIFY(!first.contains(QLatin1String("Kernel panic")));

        QTRY_VERIFY_WITH_TIMEOUT(consoleText(*c, kWs).size() > first.size(), 10000);
        const QString later = consoleText(*c, kWs);
        QVERIFY(later.startsWith(first));
        QVERIFY(later.mid(first.size()).contains(QLatin1String("molecule-agent[")));

        // Kernel time never runs backwards, and no two distinct events print the same line.
        static const QRegularExpression stamp(QStringLiteral("^\\[\\s*(\\d+\\.\\d{6})\\] "));
        double previous = -1;
        QSet<QString> agentLines;
        for (const QString &line : later.split(QRegularExpression(QStringLiteral("[\\r\\n]+")))) {
            const auto m = stamp.match(line);
            if (!m.hasMatch())
                continue;
            const double t = m.captured(1).toDouble();
            QVERIFY2(t >= previous, qPrintable(line));
            previous = t;
            if (line.contains(QLatin1String("molecule-agent[")) && !line.contains(u'%')) {
                QVERIFY2(!agentLines.contains(line), qPrintable(line));
                agentLines.insert(line);
            }
        }

        // Stopping prints the shutdown, down to the power-off.
        QVERIFY(runStop(*c, kWs, iid).ok());
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(iid), QStringLiteral("terminated"), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(
            consoleText(*c, kWs).endsWith(QLatin1String("reboot: Power down\r\n")), 10000);
    }

    void consoleWhileBootingIsPartial()
    {
        SimulatorOptions o = options();
        o.bootMs = 60'000;
        const QString iid = provisionedOn(o);
        QVERIFY(!iid.isEmpty());
        auto c = client();
        QTRY_VERIFY_WITH_TIMEOUT(consoleText(*c, kWs).contains(QLatin1String("Linux version")),
                                 10000);
        const QString booting = consoleText(*c, kWs);
        QVERIFY(!booting.contains(QLatin1String("Cloud-init v. 23.1 finished")));
        QCOMPARE(stateOf(iid), QStringLiteral("pending"));
    }

    void failedInstanceShowsKernelPanic()
    {
        auto c = client();
        ProvisionRequest r = provisionRequest(kWs);
        r.runtime = QStringLiteral("python-panic");
        const auto p = runProvision(*c, r);
        QVERIFY(p.ok());
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(p->instanceId), QStringLiteral("failed"), 10000);
        const StatusResult s = runStatus(*c, kWs, p->instanceId);
        QCOMPARE(s.state, RunState::NotRunning);
        QCOMPARE(s.cpState, QStringLiteral("failed"));
        const QString out = consoleText(*c, kWs);
        QVERIFY(out.contains(QLatin1String("Kernel panic - not syncing: ")));
        QVERIFY(out.contains(QLatin1String("Call Trace:")));
        QVERIFY(out.contains(QLatin1String("---[ end Kernel panic")));
        QVERIFY(!out.contains(QLatin1String("login:")));
        // A panicked machine prints nothing more, while a healthy one beside it goes on
        // printing: the growth steps the panicked console sits out did pass.
        const QString healthyWs = QStringLiteral("ws-healthy");
        const QString healthy = provisioned(healthyWs);
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(healthy), QStringLiteral("running"), 10000);
        const QString healthyBefore = consoleText(*c, healthyWs);
        QTRY_VERIFY_WITH_TIMEOUT(consoleText(*c, healthyWs) != healthyBefore, 10000);
        QCOMPARE(consoleText(*c, kWs), out);
    }

    void bootLogReplaysTheRealCaptures()
    {
        // The rows of a capture, without their kernel timestamps (the replay keeps its own).
        const auto rows = [](const QByteArray &capture) {
            static const QRegularExpression stamp(QStringLiteral("^\\[ *\\d+\\.\\d{6}\\] "));
            QList<QByteArray> out;
            for (const QByteArray &row : capture.split('\n')) {
                const auto m = stamp.match(QString::fromLatin1(row));
                out << row.mid(m.hasMatch() ? m.capturedLength() : 0) + '\n';
            }
            return out;
        };
        const auto inOrder = [](const QByteArray &console, const QList<QByteArray> &lines) {
            qsizetype at = 0;
            for (const QByteArray &line : lines) {
                at = console.indexOf(line, at);
                if (at < 0)
                    return line;
                at += line.size();
            }
            return QByteArray();
        };

        // A kernel that finds no root file system panics with the capture's Call Trace.
        const QList<QByteArray> panicRows
            = rows(consoleCapture(QStringLiteral("panic-no-rootfs.log")));
        const qsizetype trace = panicRows.indexOf("Call Trace:\r\n");
        const qsizetype traceEnd = panicRows.indexOf(" </TASK>\r\n");
        QVERIFY(trace > 0 && traceEnd > trace + 5);
        const QList<QByteArray> callTrace = panicRows.mid(trace - 3, traceEnd - trace + 5);
        QVERIFY(callTrace.first().startsWith("Kernel panic - not syncing: VFS"));
        QVERIFY(callTrace.last().startsWith("Kernel Offset: "));
        // Which panic a failing instance shows is drawn from its seed: take one with this one.
        QByteArray panicked;
        for (quint32 seed = 1; seed < 64 && !panicked.contains("Unable to mount root fs"); ++seed) {
            BootLog::Params p;
            p.seed = seed;
            p.panics = true;
            panicked = BootLog::completeBoot(p);
        }
        QCOMPARE(inOrder(panicked, callTrace), QByteArray());

        // A healthy boot shows the capture's systemd status lines and its shutdown.
        const QList<QByteArray> bootRows
            = rows(consoleCapture(QStringLiteral("systemd-boot-ansi.log")));
        QList<QByteArray> okLines;
        QList<QByteArray> shutdownLines;
        for (const QByteArray &row : bootRows) {
            // The capture tooling's own unit powered the captured machine off; it is not replayed.
            if (row.startsWith("[\x1b[0;32m  OK  ") && !row.contains("auto-poweroff"))
                okLines << row;
            if (row.startsWith("systemd-shutdown[1]: "))
                shutdownLines << row;
        }
        QVERIFY(okLines.size() > 100);
        QVERIFY(shutdownLines.size() > 10);
        BootLog::Params p;
        p.seed = 3;
        BootLog log(p);
        const QByteArray boot = log.finishBoot();
        const QByteArray shutdown = log.finishShutdown();
        QVERIFY(boot.endsWith(" login: "));
        QCOMPARE(inOrder(boot + shutdown, okLines), QByteArray());
        QCOMPARE(inOrder(shutdown, shutdownLines), QByteArray());
        QVERIFY(shutdown.endsWith("reboot: Power down\r\n"));
    }

    void failFractionIsDeterministicBySeed()
    {
        auto failures = [this](quint32 seed) {
            m_sim.reset();
            SimulatorOptions o = options();
            o.bootMs = 30;
            o.seed = seed;
            o.failFraction = 0.5;
            if (!startSim(o))
                return QStringList { "no simulator" };
            auto c = client();
            QStringList ids;
            for (int i = 0; i < 16; ++i)
                ids << provisioned(QStringLiteral("ws-%1").arg(i));
            [&] {
                QTRY_VERIFY_WITH_TIMEOUT(std::none_of(ids.cbegin(), ids.cend(),
                                                      [this](const QString &iid) {
                                                          return stateOf(iid)
                                                              == QLatin1String("pending");
                                                      }),
                                         10000);
            }();
            QStringList failed;
            for (int i = 0; i < ids.size(); ++i) {
                if (stateOf(ids[i]) == QLatin1String("failed"))
                    failed << QString::number(i);
            }
            return failed;
        };
        const QStringList a = failures(5);
        QCOMPARE(failures(5), a);
        QVERIFY2(a.size() > 0 && a.size() < 16, qPrintable(a.join(',')));
    }

    void consoleReturnsTheLatestWindow()
    {
        SimulatorOptions o = options();
        o.consoleGrowthMs = 1;
        const QString iid = runningInstance(o);
        QVERIFY(!iid.isEmpty());
        auto c = client();
        const auto totalBytes = [&] {
            qint64 total = 0;
            m_sim->consoleBytes(iid, &total);
            return total;
        };
        QTRY_VERIFY_WITH_TIMEOUT(totalBytes() > qint64(300) * 1024, 30000);
        const auto out = runConsole(*c, kWs);
        QVERIFY2(out.ok(), out.ok() ? "" : qPrintable(out.error().message));
        QVERIFY(out->output.size() <= qsizetype(64) * 1024);
        QVERIFY(out->output.size() > qsizetype(60) * 1024);
        QVERIFY(out->bytes < int(CpClient::kConsoleCap));
        QVERIFY(!out->output.contains(QLatin1String("SeaBIOS"))); // the boot scrolled out
        const QByteArray retained = m_sim->consoleBytes(iid);
        QVERIFY(retained.size() >= qsizetype(256) * 1024);
    }

    void consoleWindowIsConfigurable()
    {
        SimulatorOptions o = options();
        o.consoleWindowBytes = 4096;
        const QString iid = runningInstance(o);
        QVERIFY(!iid.isEmpty());
        auto c = client();
        const auto out = runConsole(*c, kWs);
        QVERIFY(out.ok());
        QVERIFY(out->output.toUtf8().size() <= 4096 + 2 * out->output.count(QChar(0xFFFD)));
        QVERIFY(out->output.size() > 3000);
        qint64 total = 0;
        m_sim->consoleBytes(iid, &total);
        QVERIFY(total > qint64(40) * 1024);
    }

    // --- hostile IDs -------------------------------------------------------------------------

    void hostileIdsNeverReachAnotherRoute_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QByteArray>("target");
        QTest::addColumn<bool>("admin");
        QTest::addColumn<int>("status");
        const QByteArray ws = kWs.toUtf8();
        auto row
            = [](const char *name, const char *m, const QByteArray &t, bool admin, int status) {
                  QTest::newRow(name) << QByteArray(m) << t << admin << status;
              };
        row("encoded ../admin in status", "GET", "/cp/workspaces/..%2Fadmin/status?instance_id=IID",
            false, 400);
        row("a%2Fb in status", "GET", "/cp/workspaces/a%2Fb/status?instance_id=IID", false, 400);
        row("a%2Fb in console", "GET", "/cp/admin/workspaces/a%2Fb/console", true, 400);
        row("encoded dots in console", "GET", "/cp/admin/workspaces/%2E%2E/console", true, 400);
        row("console to provision", "GET",
            "/cp/admin/workspaces/..%2F..%2Fworkspaces%2Fprovision/console", true, 400);
        row("literal .. to console", "GET", "/cp/workspaces/../admin/workspaces/" + ws + "/console",
            true, 404);
        row("literal .. from console", "GET",
            "/cp/admin/workspaces/../../workspaces/" + ws + "/status?instance_id=IID", false, 404);
        row("stop into sim", "DELETE", "/cp/workspaces/..%2F..%2Fsim%2Ffaults?instance_id=IID",
            false, 400);
        row("PUT into sim", "PUT", "/cp/workspaces/..%2F..%2Fsim%2Ffaults", false, 405);
        row("NUL", "GET", "/cp/workspaces/" + ws + "%00/status?instance_id=IID", false, 400);
        row("non-ASCII", "GET", "/cp/workspaces/%E2%80%AEabc/status?instance_id=IID", false, 400);
        row("bad UTF-8", "GET", "/cp/workspaces/%FF%FE/status?instance_id=IID", false, 400);
        row("empty ID", "GET", "/cp/workspaces//status?instance_id=IID", false, 400);
        row("instance ../admin", "GET",
            "/cp/workspaces/" + ws + "/status?instance_id=..%2F..%2Fadmin", false, 400);
        row("instance with &", "GET", "/cp/workspaces/" + ws + "/status?instance_id=IID%26x%3D1",
            false, 400);
        row("double slash", "GET", "//cp/workspaces/" + ws + "/status?instance_id=IID", false, 404);
        row("trailing slash", "GET", "/cp/workspaces/" + ws + "/status/?instance_id=IID", false,
            404);
        row("encoded sim", "GET", "/sim%2Fstats", false, 404);
        row("encoded route word", "GET", "/cp/admin/workspaces/" + ws + "/consol%65", true, 404);
    }

    void hostileIdsNeverReachAnotherRoute()
    {
        QFETCH(QByteArray, method);
        QFETCH(QByteArray, target);
        QFETCH(bool, admin);
        QFETCH(int, status);
        const QString iid = provisioned();
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(iid), QStringLiteral("running"), 10000);
        QVERIFY(m_sim->setFaults(QStringLiteral("none")));
        target.replace("IID", iid.toUtf8());

        const RawReply r = raw(method, target, admin ? adminAuth() : provisionAuth(),
                               method == "PUT" ? QByteArray("5xx") : QByteArray());
        QCOMPARE(r.status, status);
        const QJsonObject body = r.json();
        QVERIFY(body.contains("error"));
        QVERIFY(!body.contains("output") && !body.contains("state") && !body.contains("faults"));
        QCOMPARE(m_sim->requestCount("console", "ok"), 0);
        QCOMPARE(m_sim->faults(), QStringLiteral("none"));
        QCOMPARE(stateOf(iid), QStringLiteral("running"));
        QCOMPARE(m_sim->instanceCount(), 1);
    }

    // --- faults ----------------------------------------------------------------------------
};

QTEST_MAIN(tst_SimConsole)
#include "tst_simconsole.moc"
