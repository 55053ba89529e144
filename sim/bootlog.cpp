#include "bootlog.h"

#include "bootcapture.h"

#include <QLocale>

#include <algorithm>
#include <cmath>

namespace cpc {

namespace {

const QByteArray kEsc = QByteArrayLiteral("\033");
const QByteArray kCrCrLf = QByteArrayLiteral("\r\r\n");
const QByteArray kCrLf = QByteArrayLiteral("\r\n");

// systemd's status lines, coloured as with systemd.log_color=1.
QByteArray okLine(const QByteArray &verb, const QByteArray &unit, const QByteArray &description)
{
    return "[" + kEsc + "[0;32m  OK  " + kEsc + "[0m] " + verb + ' ' + kEsc + "[0;1;39m" + unit
        + kEsc + "[0m - " + description + '.' + kCrCrLf;
}

QByteArray startingLine(const QByteArray &verb, const QByteArray &unit,
                        const QByteArray &description)
{
    return "         " + verb + ' ' + kEsc + "[0;1;39m" + unit + kEsc + "[0m - " + description
        + "..." + kCrCrLf;
}

QByteArray failedLine(const QByteArray &unit, const QByteArray &description)
{
    return "[" + kEsc + "[0;1;31mFAILED" + kEsc + "[0m] Failed to start " + kEsc + "[0;1;39m" + unit
        + kEsc + "[0m - " + description + '.' + kCrCrLf + "See 'systemctl status " + unit
        + "' for details." + kCrCrLf;
}

QByteArray runtimeImage(const QString &runtime)
{
    return "ghcr.io/molecule-ai/runtime-" + runtime.toUtf8() + ":1.8";
}

QByteArray runtimeReadyLine(const QString &runtime)
{
    const QString r = runtime.toLower();
    if (r.startsWith(QLatin1String("node")))
        return "INFO  node v20.11.1 ready, listening on 0.0.0.0:8000";
    if (r.startsWith(QLatin1String("go")))
        return "INFO  go1.22.1 runtime ready, listening on 0.0.0.0:8000";
    if (r.startsWith(QLatin1String("rust")))
        return "INFO  rustc 1.77.0 runtime ready, listening on 0.0.0.0:8000";
    if (r.startsWith(QLatin1String("jvm")) || r.startsWith(QLatin1String("java")))
        return "INFO  OpenJDK 17.0.10 runtime ready, listening on 0.0.0.0:8000";
    return "INFO  python 3.11.2 runtime ready, uvicorn running on http://0.0.0.0:8000";
}

QByteArray wallClock(const QDateTime &t)
{
    return QLocale::c().toString(t.toUTC(), QStringLiteral("ddd, dd MMM yyyy HH:mm:ss")).toLatin1()
        + " +0000";
}

QByteArray seconds2(qint64 us)
{
    return QByteArray::number(double(us) / 1e6, 'f', 2);
}

} // namespace

BootLog::BootLog(Params params)
    : m_params(std::move(params))
    , m_rng(m_params.seed)
{
    if (!m_params.bootTime.isValid())
        m_params.bootTime = QDateTime(QDate(2026, 11, 30), QTime(9, 0), Qt::UTC);
    m_wallBaseSecs = m_params.bootTime.toSecsSinceEpoch();
    m_speed = 0.7 + 0.6 * m_rng.generateDouble();
    m_agentPid = 880 + int(m_rng.bounded(120));
    buildBoot();
}

QByteArray BootLog::timestamp() const
{
    const qint64 secs = m_clockUs / 1'000'000;
    const qint64 frac = m_clockUs % 1'000'000;
    return '[' + QByteArray::number(secs).rightJustified(5, ' ') + '.'
        + QByteArray::number(frac).rightJustified(6, '0') + "] ";
}

QByteArray BootLog::render(const Chunk &c)
{
    if (c.deltaUs < 0)
        return c.text;
    m_clockUs += c.deltaUs;
    QByteArray text = c.text;
    // Placeholders resolved when the line is printed, so they see the uptime of that moment.
    if (text.contains('{')) {
        const QDateTime wall
            = QDateTime::fromSecsSinceEpoch(m_wallBaseSecs + m_clockUs / 1'000'000, Qt::UTC);
        text.replace("{HOST}", m_params.hostname.toUtf8());
        text.replace("{RTC}",
                     wall.toString(Qt::ISODate).toLatin1().replace("Z", "") + " UTC ("
                         + QByteArray::number(wall.toSecsSinceEpoch()) + ')');
        text.replace("{WALL}", wallClock(wall));
        text.replace("{UP}", seconds2(m_clockUs));
    }
    return timestamp() + text;
}

QByteArray BootLog::emitRange(QList<Chunk> &chunks, qsizetype &pos, qsizetype end)
{
    QByteArray out;
    for (; pos < end && pos < chunks.size(); ++pos)
        out += render(chunks[pos]);
    return out;
}

QByteArray BootLog::journal(const QByteArray &unit, const QByteArray &message)
{
    return unit + ": " + message + kCrLf;
}

void BootLog::buildBoot()
{
    const QList<CaptureLine> &capture = captureBoot();
    const bool latePanic = m_params.panics && m_rng.bounded(2) == 1;
    qint64 prevUs = 0;
    auto add = [this](qint64 deltaUs, QByteArray text) {
        m_boot.append({ deltaUs, std::move(text) });
    };
    auto addCapture = [&](const CaptureLine &l) {
        if (l.us < 0) {
            add(kNoTimestamp, l.text);
            return;
        }
        add(qint64(double(std::max<qint64>(0, l.us - prevUs)) * m_speed), l.text);
        prevUs = l.us;
    };
    auto ms = [this](int lo, int hi) {
        return qint64(lo + int(m_rng.bounded(hi - lo + 1))) * 1000;
    };

    for (const CaptureLine &l : capture) {
        addCapture(l);
        const QByteArray &text = l.text;
        if (m_params.panics && !latePanic && text.startsWith("clk: Disabling unused clocks"))
            break;
        if (latePanic && text.startsWith("systemd[1]: Hostname set to"))
            break;
    }

    if (m_params.panics) {
        const qsizetype before = m_boot.size();
        if (!latePanic) {
            // The real panic of a kernel that finds no root file system.
            qint64 prev = -1;
            for (const CaptureLine &l : capturePanic()) {
                add(prev < 0 ? 12'000 : l.us - prev, l.text);
                prev = l.us;
            }
            add(310,
                "---[ end Kernel panic - not syncing: VFS: Unable to mount root fs on "
                "unknown-block(0,0) ]---"
                    + kCrLf);
        } else {
            const QByteArray why = "Attempted to kill init! exitcode=0x0000000b";
            add(ms(200, 900), "Kernel panic - not syncing: " + why + kCrLf);
            const QList<QByteArray> trace = {
                "CPU: 1 PID: 1 Comm: systemd Not tainted 6.1.0-57-amd64 #1  Debian 6.1.192-3",
                "Hardware name: QEMU Standard PC (i440FX + PIIX, 1996), BIOS "
                "1.16.2-debian-1.16.2-1 04/01/2014",
                "Call Trace:",
                " <TASK>",
                " dump_stack_lvl+0x44/0x5c",
                " panic+0x118/0x2f4",
                " do_exit.cold+0x15/0xa0",
                " do_group_exit+0x2d/0x90",
                " get_signal+0x8e2/0x8f0",
                " arch_do_signal_or_restart+0x3a/0x250",
                " exit_to_user_mode_prepare+0x11b/0x190",
                " irqentry_exit_to_user_mode+0x5/0x30",
                " asm_exc_page_fault+0x22/0x30",
                "RIP: 0033:0x7f3c5e8a1b2c",
                "Code: Unable to access opcode bytes at 0x7f3c5e8a1b02.",
                "RSP: 002b:00007ffd2b9c8e70 EFLAGS: 00010246",
                " </TASK>",
                "Kernel Offset: 0x1d400000 from 0xffffffff81000000 (relocation range: "
                "0xffffffff80000000-0xffffffffbfffffff)",
                "---[ end Kernel panic - not syncing: " + why + " ]---",
            };
            for (const QByteArray &t : trace)
                add(40 + m_rng.bounded(400), t + kCrLf);
        }
        m_bootReserve = m_boot.size() - before;
        return;
    }

    // cloud-init and the runtime bootstrap: what an EC2 instance of the platform prints after
    // systemd is up (the captures stop at the login prompt of a bare Debian).
    const QByteArray host = m_params.hostname.toUtf8();
    const QByteArray ip = m_params.privateIp.toUtf8();
    const QByteArray iid
        = m_params.instanceId.isEmpty() ? QByteArray("mol-ws-0") : m_params.instanceId.toUtf8();
    const QByteArray ci = "cloud-init[" + QByteArray::number(400 + m_rng.bounded(60)) + ']';
    const QByteArray ciFinal = "cloud-init[" + QByteArray::number(540 + m_rng.bounded(60)) + ']';
    const QByteArray agent = "molecule-agent[" + QByteArray::number(m_agentPid) + ']';
    QByteArray mac;
    for (int i = 0; i < 6; ++i)
        mac += (i ? ":" : "")
            + QByteArray::number(i == 0 ? 0x0a : m_rng.bounded(256), 16).rightJustified(2, '0');
    QByteArray fingerprint;
    static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (int i = 0; i < 43; ++i)
        fingerprint += b64[m_rng.bounded(64)];

    add(kNoTimestamp,
        startingLine("Starting", "cloud-init-local.service",
                     "Initial cloud-init job (pre-networking)"));
    add(ms(300, 900),
        journal(ci, "Cloud-init v. 23.1 running 'init-local' at {WALL}. Up {UP} seconds."));
    add(kNoTimestamp,
        okLine("Finished", "cloud-init-local.service", "Initial cloud-init job (pre-networking)"));
    add(kNoTimestamp, okLine("Reached target", "network-pre.target", "Preparation for Network"));
    add(kNoTimestamp, startingLine("Starting", "networking.service", "Raise network interfaces"));
    add(ms(400, 1500),
        journal("dhclient[" + QByteArray::number(480 + m_rng.bounded(40)) + ']',
                "DHCPACK of " + ip + " from 10.0.0.1 (xid=0x"
                    + QByteArray::number(m_rng.generate(), 16) + ')'));
    add(kNoTimestamp, okLine("Finished", "networking.service", "Raise network interfaces"));
    add(kNoTimestamp, okLine("Reached target", "network.target", "Network"));
    add(kNoTimestamp, okLine("Reached target", "network-online.target", "Network is Online"));
    add(kNoTimestamp,
        startingLine("Starting", "cloud-init.service",
                     "Initial cloud-init job (metadata service crawler)"));
    add(ms(200, 700), journal(ci, "Cloud-init v. 23.1 running 'init' at {WALL}. Up {UP} seconds."));
    const QByteArray rule = "ci-info: "
                            "+--------+------+------------------------------+---------------+------"
                            "--+-------------------+";
    const QList<QByteArray> ciInfo = {
        "ci-info: ++++++++++++++++++++++++++++++++++++++Net device "
        "info+++++++++++++++++++++++++++++++++++++++",
        rule,
        "ci-info: | Device |  Up  |           Address            |      Mask     | Scope  |     "
        "Hw-Address    |",
        rule,
        "ci-info: |  ens5  | True | " + ip.leftJustified(28, ' ') + " | 255.255.240.0 | global | "
            + mac + " |",
        "ci-info: |   lo   | True |          127.0.0.1           |   255.0.0.0   |  host  |        "
        " .         |",
        rule,
    };
    for (const QByteArray &l : ciInfo)
        add(m_rng.bounded(900), journal(ci, l));
    add(ms(100, 600), journal(ci, "Generating public/private ed25519 key pair."));
    add(m_rng.bounded(800), journal(ci, "The key fingerprint is:"));
    add(m_rng.bounded(800), journal(ci, "SHA256:" + fingerprint + " root@" + host));
    add(kNoTimestamp,
        okLine("Finished", "cloud-init.service",
               "Initial cloud-init job (metadata service crawler)"));
    add(kNoTimestamp, okLine("Reached target", "cloud-config.target", "Cloud-config availability"));
    add(kNoTimestamp,
        startingLine("Starting", "cloud-config.service",
                     "Apply the settings specified in cloud-config"));
    add(ms(300, 1200),
        journal(ci, "Cloud-init v. 23.1 running 'modules:config' at {WALL}. Up {UP} seconds."));
    add(kNoTimestamp,
        okLine("Finished", "cloud-config.service", "Apply the settings specified in cloud-config"));
    add(kNoTimestamp,
        startingLine("Starting", "cloud-final.service", "Execute cloud user/final scripts"));
    add(ms(300, 900),
        journal(ciFinal, "Cloud-init v. 23.1 running 'modules:final' at {WALL}. Up {UP} seconds."));
    add(ms(10, 80),
        journal(ciFinal,
                "molecule-bootstrap: instance " + iid + ", runtime " + m_params.runtime.toUtf8()));
    add(ms(200, 900),
        journal(ciFinal, "Get:1 http://deb.debian.org/debian bookworm InRelease [151 kB]"));
    add(ms(50, 300),
        journal(ciFinal,
                "Get:2 https://download.docker.com/linux/debian bookworm/stable amd64 Packages "
                "[31.6 kB]"));
    add(ms(800, 2500), journal(ciFinal, "Fetched 8,913 kB in 2s (4,456 kB/s)"));
    add(ms(1500, 4000),
        journal(ciFinal, "Setting up docker-ce (5:24.0.7-1~debian.12~bookworm) ..."));
    add(ms(100, 400),
        journal(ciFinal,
                "Created symlink /etc/systemd/system/multi-user.target.wants/docker.service "
                "\342\206\222 /lib/systemd/system/docker.service."));
    add(kNoTimestamp, okLine("Started", "docker.service", "Docker Application Container Engine"));
    add(ms(100, 500),
        journal(ciFinal, "molecule-bootstrap: pulling " + runtimeImage(m_params.runtime)));
    // A progress line redrawn in place with carriage returns, as a terminal would show it.
    for (int pct = 0; pct <= 100; pct += 10)
        add(kNoTimestamp,
            "Downloading\342\200\246 " + QByteArray::number(pct).rightJustified(3, ' ') + '%'
                + (pct == 100 ? "\r\n" : "\r"));
    add(ms(500, 2000), journal(ciFinal, "molecule-bootstrap: pip install molecule-runtime==1.8.2"));
    add(ms(300, 900), journal(ciFinal, "Collecting molecule-runtime==1.8.2"));
    add(ms(50, 200),
        journal(ciFinal, "  Downloading molecule_runtime-1.8.2-py3-none-any.whl (412 kB)"));
    for (int step = 1; step <= 4; ++step) {
        const int filled = step * 10;
        QByteArray bar = "     ";
        for (int i = 0; i < 40; ++i)
            bar += i < filled ? "\342\224\201" : "\342\225\272";
        bar += ' ' + QByteArray::number(412.0 * step / 4, 'f', 1) + "/412.0 kB 3.1 MB/s eta 0:00:0"
            + QByteArray::number(4 - step);
        add(kNoTimestamp, bar + (step == 4 ? "\r\n" : "\r"));
    }
    add(ms(500, 1800),
        journal(ciFinal,
                "Successfully installed httpx-0.27.0 molecule-runtime-1.8.2 "
                "pydantic-2.6.4 uvicorn-0.29.0"));
    add(ms(100, 400), journal(ciFinal, "molecule-bootstrap: starting molecule-agent"));
    add(kNoTimestamp,
        startingLine("Starting", "molecule-agent.service", "Molecule workspace agent"));
    add(kNoTimestamp, okLine("Started", "molecule-agent.service", "Molecule workspace agent"));
    if (m_rng.bounded(5) == 0)
        add(kNoTimestamp, failedLine("amazon-ssm-agent.service", "amazon-ssm-agent"));
    add(ms(800, 2500), journal(agent, runtimeReadyLine(m_params.runtime)));
    add(ms(100, 600), journal(agent, "INFO  registered with the platform as " + iid));

    const qsizetype endStart = m_boot.size();
    add(ms(200, 900),
        journal(ciFinal,
                "Cloud-init v. 23.1 finished at {WALL}. Datasource "
                "DataSourceEc2Local.  Up {UP} seconds"));
    add(kNoTimestamp,
        okLine("Finished", "cloud-final.service", "Execute cloud user/final scripts"));
    add(kNoTimestamp, okLine("Reached target", "cloud-init.target", "Cloud-init target"));
    // A byte of line noise (not UTF-8), as serial consoles do now and then.
    add(kNoTimestamp, kCrCrLf + "\377Debian GNU/Linux 12 " + host + " ttyS0" + kCrLf + kCrLf);
    add(kNoTimestamp, host + " login: ");
    m_bootReserve = m_boot.size() - endStart;
}

QByteArray BootLog::advanceBoot(double fraction)
{
    if (m_bootFinished)
        return {};
    const qsizetype open = m_boot.size() - m_bootReserve;
    const qsizetype target = qsizetype(std::floor(std::clamp(fraction, 0.0, 1.0) * double(open)));
    return emitRange(m_boot, m_bootPos, std::min(target, open));
}

QByteArray BootLog::finishBoot()
{
    if (m_bootFinished)
        return {};
    QByteArray out = emitRange(m_boot, m_bootPos, m_boot.size());
    m_bootFinished = true;
    m_boot.clear();
    m_boot.squeeze();
    return out;
}

void BootLog::addUptime(qint64 ms)
{
    m_clockUs += std::max<qint64>(0, ms) * 1000;
}

QByteArray BootLog::runningTick(qint64 elapsedMs)
{
    if (m_params.panics || !m_bootFinished || !m_shutdown.isEmpty() || m_shutdownFinished)
        return {};
    const QByteArray agent = "molecule-agent[" + QByteArray::number(m_agentPid) + ']';
    const int lines = 1 + int(m_rng.bounded(3));
    const qint64 stepUs = std::max<qint64>(1, elapsedMs * 1000 / lines);
    QByteArray out;
    for (int i = 0; i < lines; ++i) {
        const int roll = int(m_rng.bounded(100));
        const auto line = [&](const QByteArray &unit, const QByteArray &msg) {
            return render(
                { stepUs - qint64(m_rng.bounded(quint32(stepUs / 2 + 1))), journal(unit, msg) });
        };
        if (roll < 45) {
            out += line(agent,
                        "INFO  heartbeat ok seq=" + QByteArray::number(++m_heartbeat)
                            + " rtt=" + QByteArray::number(8 + m_rng.bounded(40)) + "ms");
        } else if (roll < 75) {
            out += line(agent,
                        "INFO  task "
                            + QByteArray::number(m_rng.generate(), 16).rightJustified(8, '0')
                            + " finished in " + QByteArray::number(20 + m_rng.bounded(4000))
                            + " ms (exit 0)");
        } else if (roll < 82) {
            out += line(agent, "WARN  platform answered 503, retrying in 2 s");
        } else if (roll < 88) {
            // Redrawn in place, as a progress bar on a terminal: the whole line, then CR.
            m_clockUs += stepUs / 2 + 1;
            const QByteArray prefix
                = timestamp() + agent + ": syncing workspace snapshot\342\200\246 ";
            for (int pct = 25; pct <= 100; pct += 25)
                out += prefix + QByteArray::number(pct).rightJustified(3, ' ') + '%'
                    + (pct == 100 ? "\r\n" : "\r");
        } else if (roll < 92) {
            // A program that writes Latin-1: é is the single byte 0xE9, not valid UTF-8.
            out += line(agent, "stdout: r\351sum\351 export written to /workspace/out/report.txt");
        } else if (roll < 96) {
            out += startingLine("Starting", "apt-daily.service", "Daily apt download activities");
            out += okLine("Finished", "apt-daily.service", "Daily apt download activities");
        } else {
            out += line(
                "kernel",
                "TCP: request_sock_TCP: Possible SYN flooding on port 8000. Sending cookies.  "
                "Check SNMP counters.");
        }
    }
    return out;
}

void BootLog::buildShutdown()
{
    if (!m_shutdown.isEmpty() || m_shutdownFinished)
        return;
    const QByteArray agent = "molecule-agent[" + QByteArray::number(m_agentPid) + ']';
    m_shutdown.append(
        { 1000 + m_rng.bounded(4000), journal("systemd-logind[402]", "Power key pressed short.") });
    m_shutdown.append(
        { 1000 + m_rng.bounded(4000), journal("systemd-logind[402]", "Powering off...") });
    m_shutdown.append(
        { kNoTimestamp,
          startingLine("Stopping", "molecule-agent.service", "Molecule workspace agent") });
    m_shutdown.append(
        { 2000 + m_rng.bounded(90'000), journal(agent, "INFO  SIGTERM received, draining tasks") });
    m_shutdown.append({ 200'000 + m_rng.bounded(900'000), journal(agent, "INFO  drained, bye") });
    m_shutdown.append(
        { kNoTimestamp, okLine("Stopped", "molecule-agent.service", "Molecule workspace agent") });
    m_shutdown.append(
        { kNoTimestamp,
          startingLine("Stopping", "docker.service", "Docker Application Container Engine") });
    m_shutdown.append(
        { kNoTimestamp,
          okLine("Stopped", "docker.service", "Docker Application Container Engine") });
    qint64 prev = -1;
    for (const CaptureLine &l : captureShutdown()) {
        if (l.us < 0) {
            m_shutdown.append({ kNoTimestamp, l.text });
            continue;
        }
        m_shutdown.append({ prev < 0 ? 300'000 : qint64(double(l.us - prev) * m_speed), l.text });
        prev = l.us;
    }
}

QByteArray BootLog::advanceShutdown(double fraction)
{
    // A panicked kernel or one that never got to systemd has nothing to shut down.
    if (m_shutdownFinished || m_params.panics || !m_bootFinished)
        return {};
    buildShutdown();
    // The last chunk ("reboot: Power down") is left for finishShutdown().
    const qsizetype open = m_shutdown.size() - 1;
    const qsizetype target = qsizetype(std::floor(std::clamp(fraction, 0.0, 1.0) * double(open)));
    return emitRange(m_shutdown, m_shutdownPos, std::min(target, open));
}

QByteArray BootLog::finishShutdown()
{
    if (m_shutdownFinished || m_params.panics || !m_bootFinished)
        return {};
    buildShutdown();
    QByteArray out = emitRange(m_shutdown, m_shutdownPos, m_shutdown.size());
    m_shutdownFinished = true;
    m_shutdown.clear();
    return out;
}

QByteArray BootLog::completeBoot(const Params &params)
{
    BootLog log(params);
    return log.finishBoot();
}

} // namespace cpc
