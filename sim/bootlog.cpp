#include "bootlog.h"

#include <QLocale>

#include <algorithm>
#include <cmath>
#include <span>

namespace cpc {

namespace {

/// One line of a real capture: the kernel timestamp in microseconds (-1 when the line has
/// none) and the rest of the line as raw bytes, line ending included.
struct CaptureLine
{
    qint64 us;
    const char *text;
};

std::span<const CaptureLine> captureBoot();
std::span<const CaptureLine> captureShutdown();
std::span<const CaptureLine> capturePanic();

const QByteArray kEsc = QByteArrayLiteral("\033");
const QByteArray kCrCrLf = QByteArrayLiteral("\r\r\n");
const QByteArray kCrLf = QByteArrayLiteral("\r\n");
constexpr qint64 kNoTimestamp = -1;

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
    const auto capture = captureBoot();
    const bool latePanic = m_params.panics && m_rng.bounded(2) == 1;
    qint64 prevUs = 0;
    auto add = [this](qint64 deltaUs, QByteArray text) {
        m_boot.append({ deltaUs, std::move(text) });
    };
    auto addCapture = [&](const CaptureLine &l) {
        if (l.us < 0) {
            add(kNoTimestamp, QByteArray(l.text));
            return;
        }
        add(qint64(double(std::max<qint64>(0, l.us - prevUs)) * m_speed), QByteArray(l.text));
        prevUs = l.us;
    };
    auto ms = [this](int lo, int hi) {
        return qint64(lo + int(m_rng.bounded(hi - lo + 1))) * 1000;
    };

    for (const CaptureLine &l : capture) {
        addCapture(l);
        const QByteArray text(l.text);
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
                add(prev < 0 ? 12'000 : l.us - prev, QByteArray(l.text));
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
            m_shutdown.append({ kNoTimestamp, QByteArray(l.text) });
            continue;
        }
        m_shutdown.append(
            { prev < 0 ? 300'000 : qint64(double(l.us - prev) * m_speed), QByteArray(l.text) });
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

namespace {

// Generated from shared/testdata/console/systemd-boot-ansi.log (the boot up to the login
// prompt, and the shutdown after it; two lines of the capture tooling's own unit removed) and
// panic-no-rootfs.log (its end, from "List of all partitions"). Kernel timestamps are kept as
// microseconds so each instance can replay them at its own pace; the hostname and the RTC
// date are placeholders.
// clang-format off
const CaptureLine kCaptureBoot[] = {
    { -1, "\033c\033[?7l\033[2J\033[0mSeaBIOS (version 1.16.2-debian-1.16.2-1)\r\n" },
    { -1, "\n" },
    { -1, "\n" },
    { -1, "iPXE (http://ipxe.org) 00:03.0 CA00 PCI2.10 PnP PMM+1EFCEFB0+1EF0EFB0 CA00\r\n" },
    { -1, "Press Ctrl-B to configure iPXE (PCI 00:03.0)...\r                                                                               \r\n" },
    { -1, "\n" },
    { -1, "\n" },
    { -1, "Booting from ROM...\r\n" },
    { -1, "Probing EDD (edd=off to disable)... o\033c\033[?7l\033[2J" },
    { 0, "Linux version 6.1.0-57-amd64 (debian-kernel@lists.debian.org) (gcc-12 (Debian 12.2.0-14+deb12u1) 12.2.0, GNU ld (GNU Binutils for Debian) 2.40) #1 SMP PREEMPT_DYNAMIC Debian 6.1.192-3 (2026-11-26)\r\n" },
    { 0, "Command line: root=/dev/vda rw console=ttyS0 systemd.log_color=1\r\n" },
    { 0, "BIOS-provided physical RAM map:\r\n" },
    { 0, "BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff] usable\r\n" },
    { 0, "BIOS-e820: [mem 0x000000000009fc00-0x000000000009ffff] reserved\r\n" },
    { 0, "BIOS-e820: [mem 0x00000000000f0000-0x00000000000fffff] reserved\r\n" },
    { 0, "BIOS-e820: [mem 0x0000000000100000-0x000000001ffdcfff] usable\r\n" },
    { 0, "BIOS-e820: [mem 0x000000001ffdd000-0x000000001fffffff] reserved\r\n" },
    { 0, "BIOS-e820: [mem 0x00000000fffc0000-0x00000000ffffffff] reserved\r\n" },
    { 0, "BIOS-e820: [mem 0x000000fd00000000-0x000000ffffffffff] reserved\r\n" },
    { 0, "NX (Execute Disable) protection: active\r\n" },
    { 0, "SMBIOS 2.8 present.\r\n" },
    { 0, "DMI: QEMU Standard PC (i440FX + PIIX, 1996), BIOS 1.16.2-debian-1.16.2-1 04/01/2014\r\n" },
    { 0, "tsc: Fast TSC calibration using PIT\r\n" },
    { 0, "tsc: Detected 2445.416 MHz processor\r\n" },
    { 15641, "AGP: No AGP bridge found\r\n" },
    { 15938, "last_pfn = 0x1ffdd max_arch_pfn = 0x400000000\r\n" },
    { 17077, "x86/PAT: Configuration [0-7]: WB  WC  UC- UC  WB  WP  UC- WT  \r\n" },
    { 42552, "found SMP MP-table at [mem 0x000f5b90-0x000f5b9f]\r\n" },
    { 50398, "RAMDISK: [mem 0x1e214000-0x1ffcffff]\r\n" },
    { 51017, "ACPI: Early table checksum verification disabled\r\n" },
    { 51472, "ACPI: RSDP 0x00000000000F59C0 000014 (v00 BOCHS )\r\n" },
    { 51889, "ACPI: RSDT 0x000000001FFE1B33 000034 (v01 BOCHS  BXPC     00000001 BXPC 00000001)\r\n" },
    { 52547, "ACPI: FACP 0x000000001FFE19DF 000074 (v01 BOCHS  BXPC     00000001 BXPC 00000001)\r\n" },
    { 53257, "ACPI: DSDT 0x000000001FFE0040 00199F (v01 BOCHS  BXPC     00000001 BXPC 00000001)\r\n" },
    { 53377, "ACPI: FACS 0x000000001FFE0000 000040\r\n" },
    { 53459, "ACPI: APIC 0x000000001FFE1A53 000080 (v01 BOCHS  BXPC     00000001 BXPC 00000001)\r\n" },
    { 53494, "ACPI: HPET 0x000000001FFE1AD3 000038 (v01 BOCHS  BXPC     00000001 BXPC 00000001)\r\n" },
    { 53524, "ACPI: WAET 0x000000001FFE1B0B 000028 (v01 BOCHS  BXPC     00000001 BXPC 00000001)\r\n" },
    { 53663, "ACPI: Reserving FACP table memory at [mem 0x1ffe19df-0x1ffe1a52]\r\n" },
    { 53716, "ACPI: Reserving DSDT table memory at [mem 0x1ffe0040-0x1ffe19de]\r\n" },
    { 53728, "ACPI: Reserving FACS table memory at [mem 0x1ffe0000-0x1ffe003f]\r\n" },
    { 53737, "ACPI: Reserving APIC table memory at [mem 0x1ffe1a53-0x1ffe1ad2]\r\n" },
    { 53745, "ACPI: Reserving HPET table memory at [mem 0x1ffe1ad3-0x1ffe1b0a]\r\n" },
    { 53769, "ACPI: Reserving WAET table memory at [mem 0x1ffe1b0b-0x1ffe1b32]\r\n" },
    { 56696, "No NUMA configuration found\r\n" },
    { 56745, "Faking a node at [mem 0x0000000000000000-0x000000001ffdcfff]\r\n" },
    { 57668, "NODE_DATA(0) allocated [mem 0x1e1e9000-0x1e213fff]\r\n" },
    { 66671, "Zone ranges:\r\n" },
    { 66740, "  DMA      [mem 0x0000000000001000-0x0000000000ffffff]\r\n" },
    { 66864, "  DMA32    [mem 0x0000000001000000-0x000000001ffdcfff]\r\n" },
    { 66891, "  Normal   empty\r\n" },
    { 66927, "  Device   empty\r\n" },
    { 66954, "Movable zone start for each node\r\n" },
    { 67000, "Early memory node ranges\r\n" },
    { 67035, "  node   0: [mem 0x0000000000001000-0x000000000009efff]\r\n" },
    { 67239, "  node   0: [mem 0x0000000000100000-0x000000001ffdcfff]\r\n" },
    { 67562, "Initmem setup node 0 [mem 0x0000000000001000-0x000000001ffdcfff]\r\n" },
    { 72249, "On node 0, zone DMA: 1 pages in unavailable ranges\r\n" },
    { 72776, "On node 0, zone DMA: 97 pages in unavailable ranges\r\n" },
    { 82708, "On node 0, zone DMA32: 35 pages in unavailable ranges\r\n" },
    { 83268, "ACPI: PM-Timer IO Port: 0x608\r\n" },
    { 83999, "ACPI: LAPIC_NMI (acpi_id[0xff] dfl dfl lint[0x1])\r\n" },
    { 84504, "IOAPIC[0]: apic_id 0, version 32, address 0xfec00000, GSI 0-23\r\n" },
    { 84715, "ACPI: INT_SRC_OVR (bus 0 bus_irq 0 global_irq 2 dfl dfl)\r\n" },
    { 85024, "ACPI: INT_SRC_OVR (bus 0 bus_irq 5 global_irq 5 high level)\r\n" },
    { 85077, "ACPI: INT_SRC_OVR (bus 0 bus_irq 9 global_irq 9 high level)\r\n" },
    { 85191, "ACPI: INT_SRC_OVR (bus 0 bus_irq 10 global_irq 10 high level)\r\n" },
    { 85205, "ACPI: INT_SRC_OVR (bus 0 bus_irq 11 global_irq 11 high level)\r\n" },
    { 85415, "ACPI: Using ACPI (MADT) for SMP configuration information\r\n" },
    { 85472, "ACPI: HPET id: 0x8086a201 base: 0xfed00000\r\n" },
    { 85934, "smpboot: Allowing 2 CPUs, 0 hotplug CPUs\r\n" },
    { 87015, "PM: hibernation: Registered nosave memory: [mem 0x00000000-0x00000fff]\r\n" },
    { 87057, "PM: hibernation: Registered nosave memory: [mem 0x0009f000-0x000fffff]\r\n" },
    { 87188, "[mem 0x20000000-0xfffbffff] available for PCI devices\r\n" },
    { 87231, "Booting paravirtualized kernel on bare hardware\r\n" },
    { 87595, "clocksource: refined-jiffies: mask: 0xffffffff max_cycles: 0xffffffff, max_idle_ns: 7645519600211568 ns\r\n" },
    { 100277, "setup_percpu: NR_CPUS:8192 nr_cpumask_bits:2 nr_cpu_ids:2 nr_node_ids:1\r\n" },
    { 113274, "percpu: Embedded 62 pages/cpu s217088 r8192 d28672 u1048576\r\n" },
    { 115787, "Fallback order for Node 0: 0 \r\n" },
    { 116150, "Built 1 zonelists, mobility grouping on.  Total pages: 128733\r\n" },
    { 116177, "Policy zone: DMA32\r\n" },
    { 116385, "Kernel command line: root=/dev/vda rw console=ttyS0 systemd.log_color=1\r\n" },
    { 119461, "Dentry cache hash table entries: 65536 (order: 7, 524288 bytes, linear)\r\n" },
    { 120345, "Inode-cache hash table entries: 32768 (order: 6, 262144 bytes, linear)\r\n" },
    { 122462, "mem auto-init: stack:all(zero), heap alloc:on, heap free:off\r\n" },
    { 122667, "AGP: Checking aperture...\r\n" },
    { 124432, "AGP: No AGP bridge found\r\n" },
    { 153019, "Memory: 260864K/523756K available (14343K kernel code, 2338K rwdata, 9132K rodata, 2824K init, 17344K bss, 94092K reserved, 0K cma-reserved)\r\n" },
    { 161491, "SLUB: HWalign=64, Order=0-3, MinObjects=0, CPUs=2, Nodes=1\r\n" },
    { 164529, "ftrace: allocating 40521 entries in 159 pages\r\n" },
    { 216153, "ftrace: allocated 159 pages with 6 groups\r\n" },
    { 229684, "Dynamic Preempt: voluntary\r\n" },
    { 237328, "rcu: Preemptible hierarchical RCU implementation.\r\n" },
    { 237397, "rcu: \tRCU restricting CPUs from NR_CPUS=8192 to nr_cpu_ids=2.\r\n" },
    { 237534, "\tTrampoline variant of Tasks RCU enabled.\r\n" },
    { 237545, "\tRude variant of Tasks RCU enabled.\r\n" },
    { 237556, "\tTracing variant of Tasks RCU enabled.\r\n" },
    { 237718, "rcu: RCU calculated value of scheduler-enlistment delay is 25 jiffies.\r\n" },
    { 237774, "rcu: Adjusting geometry for rcu_fanout_leaf=16, nr_cpu_ids=2\r\n" },
    { 281587, "NR_IRQS: 524544, nr_irqs: 440, preallocated irqs: 16\r\n" },
    { 291973, "rcu: srcu_init: Setting srcu_struct sizes based on contention.\r\n" },
    { 298523, "Console: colour VGA+ 80x25\r\n" },
    { 316578, "printk: console [ttyS0] enabled\r\n" },
    { 318404, "ACPI: Core revision 20220331\r\n" },
    { 324575, "clocksource: hpet: mask: 0xffffffff max_cycles: 0xffffffff, max_idle_ns: 19112604467 ns\r\n" },
    { 329845, "APIC: Switch to symmetric I/O mode setup\r\n" },
    { 335261, "..TIMER: vector=0x30 apic1=0 pin1=2 apic2=-1 pin2=-1\r\n" },
    { 354740, "tsc: Marking TSC unstable due to TSCs unsynchronized\r\n" },
    { 355616, "Calibrating delay loop (skipped), value calculated using timer frequency.. 4890.83 BogoMIPS (lpj=9781664)\r\n" },
    { 360475, "process: using AMD E400 aware idle routine\r\n" },
    { 361060, "Last level iTLB entries: 4KB 512, 2MB 255, 4MB 127\r\n" },
    { 361289, "Last level dTLB entries: 4KB 512, 2MB 255, 4MB 127, 1GB 0\r\n" },
    { 361866, "Spectre V1 : Mitigation: usercopy/swapgs barriers and __user pointer sanitization\r\n" },
    { 363449, "Spectre V2 : Mitigation: Retpolines\r\n" },
    { 363710, "Spectre V2 : Spectre v2 / SpectreRSB: Filling RSB on context switch and VMEXIT\r\n" },
    { 367666, "x86/fpu: x87 FPU will use FXSAVE\r\n" },
    { 573447, "Freeing SMP alternatives memory: 36K\r\n" },
    { 574834, "pid_max: default: 32768 minimum: 301\r\n" },
    { 586317, "LSM: Security Framework initializing\r\n" },
    { 588800, "landlock: Up and running.\r\n" },
    { 588997, "Yama: disabled by default; enable with sysctl kernel.yama.*\r\n" },
    { 594274, "AppArmor: AppArmor initialized\r\n" },
    { 594679, "TOMOYO Linux initialized\r\n" },
    { 595823, "LSM support for eBPF active\r\n" },
    { 605745, "Mount-cache hash table entries: 1024 (order: 1, 8192 bytes, linear)\r\n" },
    { 606450, "Mountpoint-cache hash table entries: 1024 (order: 1, 8192 bytes, linear)\r\n" },
    { 768916, "smpboot: CPU0: AMD QEMU Virtual CPU version 2.5+ (family: 0xf, model: 0x6b, stepping: 0x1)\r\n" },
    { 777324, "cblist_init_generic: Setting adjustable number of callback queues.\r\n" },
    { 777681, "cblist_init_generic: Setting shift to 1 and lim to 1 rcu_task_cpu_ids=2.\r\n" },
    { 778289, "cblist_init_generic: Setting adjustable number of callback queues.\r\n" },
    { 778530, "cblist_init_generic: Setting shift to 1 and lim to 1 rcu_task_cpu_ids=2.\r\n" },
    { 779566, "cblist_init_generic: Setting adjustable number of callback queues.\r\n" },
    { 779772, "cblist_init_generic: Setting shift to 1 and lim to 1 rcu_task_cpu_ids=2.\r\n" },
    { 780349, "Performance Events: PMU not available due to virtualization, using software events only.\r\n" },
    { 781804, "signal: max sigframe size: 1440\r\n" },
    { 783245, "rcu: Hierarchical SRCU implementation.\r\n" },
    { 783470, "rcu: \tMax phase no-delay instances is 1000.\r\n" },
    { 790575, "NMI watchdog: Perf NMI watchdog permanently disabled\r\n" },
    { 797889, "smp: Bringing up secondary CPUs ...\r\n" },
    { 806346, "x86: Booting SMP configuration:\r\n" },
    { 806670, ".... node  #0, CPUs:      #1\r\n" },
    { 913087, "smp: Brought up 1 node, 2 CPUs\r\n" },
    { 913749, "smpboot: Max logical packages: 1\r\n" },
    { 914080, "smpboot: Total of 2 processors activated (10033.22 BogoMIPS)\r\n" },
    { 941496, "node 0 deferred pages initialised in 8ms\r\n" },
    { 960666, "devtmpfs: initialized\r\n" },
    { 970903, "x86/mm: Memory block size: 128MB\r\n" },
    { 989141, "clocksource: jiffies: mask: 0xffffffff max_cycles: 0xffffffff, max_idle_ns: 7645041785100000 ns\r\n" },
    { 990683, "futex hash table entries: 512 (order: 3, 32768 bytes, linear)\r\n" },
    { 1001977, "pinctrl core: initialized pinctrl subsystem\r\n" },
    { 1047094, "NET: Registered PF_NETLINK/PF_ROUTE protocol family\r\n" },
    { 1054931, "DMA: preallocated 128 KiB GFP_KERNEL pool for atomic allocations\r\n" },
    { 1056757, "DMA: preallocated 128 KiB GFP_KERNEL|GFP_DMA pool for atomic allocations\r\n" },
    { 1057442, "DMA: preallocated 128 KiB GFP_KERNEL|GFP_DMA32 pool for atomic allocations\r\n" },
    { 1059505, "audit: initializing netlink subsys (disabled)\r\n" },
    { 1065096, "audit: type=2000 audit(1795977556.740:1): state=initialized audit_enabled=0 res=1\r\n" },
    { 1075805, "thermal_sys: Registered thermal governor 'fair_share'\r\n" },
    { 1075997, "thermal_sys: Registered thermal governor 'bang_bang'\r\n" },
    { 1076353, "thermal_sys: Registered thermal governor 'step_wise'\r\n" },
    { 1076740, "thermal_sys: Registered thermal governor 'user_space'\r\n" },
    { 1077042, "thermal_sys: Registered thermal governor 'power_allocator'\r\n" },
    { 1078842, "cpuidle: using governor ladder\r\n" },
    { 1079578, "cpuidle: using governor menu\r\n" },
    { 1087278, "acpiphp: ACPI Hot Plug PCI Controller Driver version: 0.5\r\n" },
    { 1098230, "PCI: Using configuration type 1 for base access\r\n" },
    { 1102559, "mtrr: your CPUs had inconsistent fixed MTRR settings\r\n" },
    { 1103225, "mtrr: your CPUs had inconsistent variable MTRR settings\r\n" },
    { 1103558, "mtrr: your CPUs had inconsistent MTRRdefType settings\r\n" },
    { 1103767, "mtrr: probably your BIOS does not setup all CPUs.\r\n" },
    { 1103961, "mtrr: corrected configuration.\r\n" },
    { 1130156, "kprobes: kprobe jump-optimization is enabled. All kprobes are optimized if possible.\r\n" },
    { 1184962, "HugeTLB: registered 2.00 MiB page size, pre-allocated 0 pages\r\n" },
    { 1185494, "HugeTLB: 28 KiB vmemmap can be freed for a 2.00 MiB page\r\n" },
    { 1225258, "ACPI: Added _OSI(Module Device)\r\n" },
    { 1225923, "ACPI: Added _OSI(Processor Device)\r\n" },
    { 1226125, "ACPI: Added _OSI(Processor Aggregator Device)\r\n" },
    { 1259638, "ACPI: 1 ACPI AML tables successfully acquired and loaded\r\n" },
    { 1291890, "ACPI: Interpreter enabled\r\n" },
    { 1294391, "ACPI: PM: (supports S0 S3 S4 S5)\r\n" },
    { 1294742, "ACPI: Using IOAPIC for interrupt routing\r\n" },
    { 1296388, "PCI: Using host bridge windows from ACPI; if necessary, use \"pci=nocrs\" and report a bug\r\n" },
    { 1296809, "PCI: Using E820 reservations for host bridge windows\r\n" },
    { 1300342, "ACPI: Enabled 2 GPEs in block 00 to 0F\r\n" },
    { 1383614, "ACPI: PCI Root Bridge [PCI0] (domain 0000 [bus 00-ff])\r\n" },
    { 1385578, "acpi PNP0A03:00: _OSC: OS supports [ASPM ClockPM Segments MSI HPX-Type3]\r\n" },
    { 1386367, "acpi PNP0A03:00: _OSC: not requesting OS control; OS requires [ExtendedConfig ASPM ClockPM MSI]\r\n" },
    { 1388336, "acpi PNP0A03:00: fail to add MMCONFIG information, can't access extended PCI configuration space under this bridge.\r\n" },
    { 1401960, "acpiphp: Slot [3] registered\r\n" },
    { 1402723, "acpiphp: Slot [4] registered\r\n" },
    { 1403238, "acpiphp: Slot [5] registered\r\n" },
    { 1403688, "acpiphp: Slot [6] registered\r\n" },
    { 1404020, "acpiphp: Slot [7] registered\r\n" },
    { 1404522, "acpiphp: Slot [8] registered\r\n" },
    { 1404832, "acpiphp: Slot [9] registered\r\n" },
    { 1405133, "acpiphp: Slot [10] registered\r\n" },
    { 1405424, "acpiphp: Slot [11] registered\r\n" },
    { 1405710, "acpiphp: Slot [12] registered\r\n" },
    { 1406050, "acpiphp: Slot [13] registered\r\n" },
    { 1406511, "acpiphp: Slot [14] registered\r\n" },
    { 1406788, "acpiphp: Slot [15] registered\r\n" },
    { 1407337, "acpiphp: Slot [16] registered\r\n" },
    { 1407647, "acpiphp: Slot [17] registered\r\n" },
    { 1407939, "acpiphp: Slot [18] registered\r\n" },
    { 1408240, "acpiphp: Slot [19] registered\r\n" },
    { 1408621, "acpiphp: Slot [20] registered\r\n" },
    { 1408918, "acpiphp: Slot [21] registered\r\n" },
    { 1409231, "acpiphp: Slot [22] registered\r\n" },
    { 1409527, "acpiphp: Slot [23] registered\r\n" },
    { 1409803, "acpiphp: Slot [24] registered\r\n" },
    { 1410108, "acpiphp: Slot [25] registered\r\n" },
    { 1410419, "acpiphp: Slot [26] registered\r\n" },
    { 1410769, "acpiphp: Slot [27] registered\r\n" },
    { 1411055, "acpiphp: Slot [28] registered\r\n" },
    { 1411359, "acpiphp: Slot [29] registered\r\n" },
    { 1411637, "acpiphp: Slot [30] registered\r\n" },
    { 1411970, "acpiphp: Slot [31] registered\r\n" },
    { 1412752, "PCI host bridge to bus 0000:00\r\n" },
    { 1413297, "pci_bus 0000:00: root bus resource [io  0x0000-0x0cf7 window]\r\n" },
    { 1413931, "pci_bus 0000:00: root bus resource [io  0x0d00-0xffff window]\r\n" },
    { 1414226, "pci_bus 0000:00: root bus resource [mem 0x000a0000-0x000bffff window]\r\n" },
    { 1414571, "pci_bus 0000:00: root bus resource [mem 0x20000000-0xfebfffff window]\r\n" },
    { 1414838, "pci_bus 0000:00: root bus resource [mem 0x100000000-0x17fffffff window]\r\n" },
    { 1415496, "pci_bus 0000:00: root bus resource [bus 00-ff]\r\n" },
    { 1418174, "pci 0000:00:00.0: [8086:1237] type 00 class 0x060000\r\n" },
    { 1434780, "pci 0000:00:01.0: [8086:7000] type 00 class 0x060100\r\n" },
    { 1443101, "pci 0000:00:01.1: [8086:7010] type 00 class 0x010180\r\n" },
    { 1449035, "pci 0000:00:01.1: BAR 4 [io  0xc0c0-0xc0cf]\r\n" },
    { 1451413, "pci 0000:00:01.1: BAR 0 [io  0x01f0-0x01f7]: legacy IDE quirk\r\n" },
    { 1451870, "pci 0000:00:01.1: BAR 1 [io  0x03f6]: legacy IDE quirk\r\n" },
    { 1452203, "pci 0000:00:01.1: BAR 2 [io  0x0170-0x0177]: legacy IDE quirk\r\n" },
    { 1452529, "pci 0000:00:01.1: BAR 3 [io  0x0376]: legacy IDE quirk\r\n" },
    { 1456004, "pci 0000:00:01.3: [8086:7113] type 00 class 0x068000\r\n" },
    { 1457214, "pci 0000:00:01.3: quirk: [io  0x0600-0x063f] claimed by PIIX4 ACPI\r\n" },
    { 1457572, "pci 0000:00:01.3: quirk: [io  0x0700-0x070f] claimed by PIIX4 SMB\r\n" },
    { 1459043, "pci 0000:00:02.0: [1234:1111] type 00 class 0x030000\r\n" },
    { 1460499, "pci 0000:00:02.0: BAR 0 [mem 0xfd000000-0xfdffffff pref]\r\n" },
    { 1463227, "pci 0000:00:02.0: BAR 2 [mem 0xfebf0000-0xfebf0fff]\r\n" },
    { 1471210, "pci 0000:00:02.0: ROM [mem 0xfebe0000-0xfebeffff pref]\r\n" },
    { 1472326, "pci 0000:00:02.0: Video device with shadowed ROM at [mem 0x000c0000-0x000dffff]\r\n" },
    { 1481473, "pci 0000:00:03.0: [8086:100e] type 00 class 0x020000\r\n" },
    { 1483160, "pci 0000:00:03.0: BAR 0 [mem 0xfebc0000-0xfebdffff]\r\n" },
    { 1484664, "pci 0000:00:03.0: BAR 1 [io  0xc080-0xc0bf]\r\n" },
    { 1487284, "pci 0000:00:03.0: ROM [mem 0xfeb80000-0xfebbffff pref]\r\n" },
    { 1501155, "pci 0000:00:04.0: [1af4:1001] type 00 class 0x010000\r\n" },
    { 1503160, "pci 0000:00:04.0: BAR 0 [io  0xc000-0xc07f]\r\n" },
    { 1504716, "pci 0000:00:04.0: BAR 1 [mem 0xfebf1000-0xfebf1fff]\r\n" },
    { 1511228, "pci 0000:00:04.0: BAR 4 [mem 0xfe000000-0xfe003fff 64bit pref]\r\n" },
    { 1532511, "ACPI: PCI: Interrupt link LNKA configured for IRQ 10\r\n" },
    { 1534151, "ACPI: PCI: Interrupt link LNKB configured for IRQ 10\r\n" },
    { 1535486, "ACPI: PCI: Interrupt link LNKC configured for IRQ 11\r\n" },
    { 1536451, "ACPI: PCI: Interrupt link LNKD configured for IRQ 11\r\n" },
    { 1537024, "ACPI: PCI: Interrupt link LNKS configured for IRQ 9\r\n" },
    { 1547637, "iommu: Default domain type: Translated \r\n" },
    { 1547888, "iommu: DMA domain TLB invalidation policy: lazy mode \r\n" },
    { 1552528, "pps_core: LinuxPPS API ver. 1 registered\r\n" },
    { 1552928, "pps_core: Software ver. 5.3.6 - Copyright 2005-2007 Rodolfo Giometti <giometti@linux.it>\r\n" },
    { 1553390, "PTP clock support registered\r\n" },
    { 1554062, "EDAC MC: Ver: 3.0.0\r\n" },
    { 1575014, "NetLabel: Initializing\r\n" },
    { 1575774, "NetLabel:  domain hash size = 128\r\n" },
    { 1576006, "NetLabel:  protocols = UNLABELED CIPSOv4 CALIPSO\r\n" },
    { 1577665, "NetLabel:  unlabeled traffic allowed by default\r\n" },
    { 1578010, "PCI: Using ACPI for IRQ routing\r\n" },
    { 1588361, "pci 0000:00:02.0: vgaarb: setting as boot VGA device\r\n" },
    { 1589140, "pci 0000:00:02.0: vgaarb: bridge control possible\r\n" },
    { 1589802, "pci 0000:00:02.0: vgaarb: VGA device added: decodes=io+mem,owns=io+mem,locks=none\r\n" },
    { 1591341, "vgaarb: loaded\r\n" },
    { 1593620, "hpet: 3 channels of 0 reserved for per-cpu timers\r\n" },
    { 1595654, "hpet0: at MMIO 0xfed00000, IRQs 2, 8, 0\r\n" },
    { 1596139, "hpet0: 3 comparators, 64-bit 100.000000 MHz counter\r\n" },
    { 1602370, "clocksource: Switched to clocksource hpet\r\n" },
    { 1605950, "VFS: Disk quotas dquot_6.6.0\r\n" },
    { 1607841, "VFS: Dquot-cache hash table entries: 512 (order 0, 4096 bytes)\r\n" },
    { 1621107, "AppArmor: AppArmor Filesystem Enabled\r\n" },
    { 1623466, "pnp: PnP ACPI init\r\n" },
    { 1634795, "pnp: PnP ACPI: found 6 devices\r\n" },
    { 1676693, "clocksource: acpi_pm: mask: 0xffffff max_cycles: 0xffffff, max_idle_ns: 2085701024 ns\r\n" },
    { 1678724, "NET: Registered PF_INET protocol family\r\n" },
    { 1680551, "IP idents hash table entries: 8192 (order: 4, 65536 bytes, linear)\r\n" },
    { 1696811, "tcp_listen_portaddr_hash hash table entries: 256 (order: 0, 4096 bytes, linear)\r\n" },
    { 1697493, "Table-perturb hash table entries: 65536 (order: 6, 262144 bytes, linear)\r\n" },
    { 1697813, "TCP established hash table entries: 4096 (order: 3, 32768 bytes, linear)\r\n" },
    { 1698315, "TCP bind hash table entries: 4096 (order: 5, 131072 bytes, linear)\r\n" },
    { 1698649, "TCP: Hash tables configured (established 4096 bind 4096)\r\n" },
    { 1701934, "MPTCP token hash table entries: 512 (order: 2, 12288 bytes, linear)\r\n" },
    { 1702832, "UDP hash table entries: 256 (order: 1, 8192 bytes, linear)\r\n" },
    { 1703296, "UDP-Lite hash table entries: 256 (order: 1, 8192 bytes, linear)\r\n" },
    { 1705285, "NET: Registered PF_UNIX/PF_LOCAL protocol family\r\n" },
    { 1705880, "NET: Registered PF_XDP protocol family\r\n" },
    { 1707359, "pci_bus 0000:00: resource 4 [io  0x0000-0x0cf7 window]\r\n" },
    { 1707581, "pci_bus 0000:00: resource 5 [io  0x0d00-0xffff window]\r\n" },
    { 1707746, "pci_bus 0000:00: resource 6 [mem 0x000a0000-0x000bffff window]\r\n" },
    { 1707921, "pci_bus 0000:00: resource 7 [mem 0x20000000-0xfebfffff window]\r\n" },
    { 1708142, "pci_bus 0000:00: resource 8 [mem 0x100000000-0x17fffffff window]\r\n" },
    { 1708964, "pci 0000:00:01.0: PIIX3: Enabling Passive Release\r\n" },
    { 1709251, "pci 0000:00:00.0: Limiting direct PCI/PCI transfers\r\n" },
    { 1709622, "PCI: CLS 0 bytes, default 64\r\n" },
    { 1718975, "Trying to unpack rootfs image as initramfs...\r\n" },
    { 1778411, "Initialise system trusted keyrings\r\n" },
    { 1784536, "Key type blacklist registered\r\n" },
    { 1789294, "workingset: timestamp_bits=36 max_order=17 bucket_order=0\r\n" },
    { 1802334, "zbud: loaded\r\n" },
    { 1810105, "integrity: Platform Keyring initialized\r\n" },
    { 1811215, "integrity: Machine keyring initialized\r\n" },
    { 1811404, "Key type asymmetric registered\r\n" },
    { 1811628, "Asymmetric key parser 'x509' registered\r\n" },
    { 5995203, "Freeing initrd memory: 30448K\r\n" },
    { 6358142, "alg: self-tests for CTR-KDF (hmac(sha256)) passed\r\n" },
    { 6359927, "Block layer SCSI generic (bsg) driver version 0.4 loaded (major 248)\r\n" },
    { 6362133, "io scheduler mq-deadline registered\r\n" },
    { 6382165, "shpchp: Standard Hot Plug PCI Controller Driver version: 0.4\r\n" },
    { 6392409, "Serial: 8250/16550 driver, 4 ports, IRQ sharing enabled\r\n" },
    { 6397163, "00:04: ttyS0 at I/O 0x3f8 (irq = 4, base_baud = 115200) is a 16550A\r\n" },
    { 6412415, "Linux agpgart interface v0.103\r\n" },
    { 6416230, "AMD-Vi: AMD IOMMUv2 functionality not available on this system - This is not a bug.\r\n" },
    { 6429030, "i8042: PNP: PS/2 Controller [PNP0303:KBD,PNP0f13:MOU] at 0x60,0x64 irq 1,12\r\n" },
    { 6437150, "serio: i8042 KBD port at 0x60,0x64 irq 1\r\n" },
    { 6438040, "serio: i8042 AUX port at 0x60,0x64 irq 12\r\n" },
    { 6442055, "mousedev: PS/2 mouse device common for all mice\r\n" },
    { 6445509, "rtc_cmos 00:05: RTC can wake from S4\r\n" },
    { 6449310, "input: AT Translated Set 2 keyboard as /devices/platform/i8042/serio0/input/input0\r\n" },
    { 6454490, "rtc_cmos 00:05: registered as rtc0\r\n" },
    { 6456089, "rtc_cmos 00:05: setting system clock to {RTC}\r\n" },
    { 6459445, "rtc_cmos 00:05: alarms up to one day, y3k, 242 bytes nvram, hpet irqs\r\n" },
    { 6461150, "ledtrig-cpu: registered to indicate activity on CPUs\r\n" },
    { 6562276, "NET: Registered PF_INET6 protocol family\r\n" },
    { 6766829, "Segment Routing with IPv6\r\n" },
    { 6769023, "In-situ OAM (IOAM) with IPv6\r\n" },
    { 6770830, "mip6: Mobile IPv6\r\n" },
    { 6772144, "NET: Registered PF_PACKET protocol family\r\n" },
    { 6775205, "mpls_gso: MPLS GSO support\r\n" },
    { 6783616, "IPI shorthand broadcast: enabled\r\n" },
    { 6789810, "registered taskstats version 1\r\n" },
    { 6790956, "Loading compiled-in X.509 certificates\r\n" },
    { 6915827, "Loaded X.509 cert 'Build time autogenerated kernel key: 35ec5eb42ea9fd1caf03b977c56ef26a3720f629'\r\n" },
    { 6928562, "zswap: loaded using pool lzo/zbud\r\n" },
    { 6940244, "Key type .fscrypt registered\r\n" },
    { 6940649, "Key type fscrypt-provisioning registered\r\n" },
    { 7184540, "Key type encrypted registered\r\n" },
    { 7185106, "AppArmor: AppArmor sha1 policy hashing enabled\r\n" },
    { 7187194, "ima: No TPM chip found, activating TPM-bypass!\r\n" },
    { 7187613, "ima: Allocated hash algorithm: sha256\r\n" },
    { 7191101, "ima: No architecture policies found\r\n" },
    { 7192753, "evm: Initialising EVM extended attributes:\r\n" },
    { 7193062, "evm: security.selinux\r\n" },
    { 7193269, "evm: security.SMACK64 (disabled)\r\n" },
    { 7193460, "evm: security.SMACK64EXEC (disabled)\r\n" },
    { 7193654, "evm: security.SMACK64TRANSMUTE (disabled)\r\n" },
    { 7193860, "evm: security.SMACK64MMAP (disabled)\r\n" },
    { 7194053, "evm: security.apparmor\r\n" },
    { 7194176, "evm: security.ima\r\n" },
    { 7194306, "evm: security.capability\r\n" },
    { 7194481, "evm: HMAC attrs: 0x1\r\n" },
    { 7588540, "Unstable clock detected, switching default tracing clock to \"global\"\r\n" },
    { 7588540, "If you want to keep using the local clock, then add:\r\n" },
    { 7588540, "  \"trace_clock=local\"\r\n" },
    { 7588540, "on the kernel command line\r\n" },
    { 7591387, "clk: Disabling unused clocks\r\n" },
    { 7617887, "Freeing unused decrypted memory: 2036K\r\n" },
    { 7804219, "Freeing unused kernel image (initmem) memory: 2824K\r\n" },
    { 7804964, "Write protecting the kernel read-only data: 26624k\r\n" },
    { 7813274, "Freeing unused kernel image (text/rodata gap) memory: 2040K\r\n" },
    { 7816609, "Freeing unused kernel image (rodata/data gap) memory: 1108K\r\n" },
    { 8055815, "x86/mm: Checked W+X mappings: passed, no W+X pages found.\r\n" },
    { 8056871, "Run /init as init process\r\n" },
    { -1, "Loading, please wait...\r\n" },
    { -1, "Starting systemd-udevd version 252.39-1~deb12u2\r\r\n" },
    { 9828721, "Floppy drive(s): fd0 is 2.88M AMI BIOS\r\n" },
    { 9857060, "FDC 0 is a S82078B\r\n" },
    { 10055821, "e1000: Intel(R) PRO/1000 Network Driver\r\n" },
    { 10056287, "e1000: Copyright (c) 1999-2006 Intel Corporation.\r\n" },
    { 10200629, "SCSI subsystem initialized\r\n" },
    { 10756586, "scsi host0: ata_piix\r\n" },
    { 10780332, "scsi host1: ata_piix\r\n" },
    { 10781576, "ata1: PATA max MWDMA2 cmd 0x1f0 ctl 0x3f6 bmdma 0xc0c0 irq 14\r\n" },
    { 10781842, "ata2: PATA max MWDMA2 cmd 0x170 ctl 0x376 bmdma 0xc0c8 irq 15\r\n" },
    { 10923691, "piix4_smbus 0000:00:01.3: SMBus Host Controller at 0x700, revision 0\r\n" },
    { 10975894, "ata2: found unknown device (class 0)\r\n" },
    { 10984834, "ata2.00: ATAPI: QEMU DVD-ROM, 2.5+, max UDMA/100\r\n" },
    { 11062416, "input: ImExPS/2 Generic Explorer Mouse as /devices/platform/i8042/serio1/input/input2\r\n" },
    { 11104445, "scsi 1:0:0:0: CD-ROM            QEMU     QEMU DVD-ROM     2.5+ PQ: 0 ANSI: 5\r\n" },
    { 11465042, "ACPI: \\_SB_.LNKC: Enabled at IRQ 11\r\n" },
    { 11467032, "ACPI: \\_SB_.LNKD: Enabled at IRQ 10\r\n" },
    { 11473172, "sr 1:0:0:0: [sr0] scsi3-mmc drive: 4x/4x cd/rw xa/form2 tray\r\n" },
    { 11510485, "virtio_blk virtio0: 2/0/0 default/read/poll queues\r\n" },
    { 11530444, "virtio_blk virtio0: [vda] 1433600 512-byte logical blocks (734 MB/700 MiB)\r\n" },
    { 11570462, "cdrom: Uniform CD-ROM driver Revision: 3.20\r\n" },
    { 11910416, "e1000 0000:00:03.0 eth0: (PCI:33MHz:32-bit) 52:54:00:12:34:56\r\n" },
    { 11912144, "e1000 0000:00:03.0 eth0: Intel(R) PRO/1000 Network Connection\r\n" },
    { 11993364, "e1000 0000:00:03.0 ens3: renamed from eth0\r\n" },
    { -1, "Begin: Loading essential drivers ... done.\r\n" },
    { -1, "Begin: Running /scripts/init-premount ... done.\r\n" },
    { -1, "Begin: Mounting root file system ... Begin: Running /scripts/local-top ... done.\r\n" },
    { -1, "Begin: Running /scripts/local-premount ... done.\r\n" },
    { -1, "Warning: fsck not present, so skipping root file system\r\n" },
    { 13283468, "EXT4-fs (vda): mounted filesystem with ordered data mode. Quota mode: none.\r\n" },
    { -1, "done.\r\n" },
    { -1, "Begin: Running /scripts/local-bottom ... done.\r\n" },
    { -1, "Begin: Running /scripts/init-bottom ... done.\r\n" },
    { 13884542, "Not activating Mandatory Access Control as /sbin/tomoyo-init does not exist.\r\n" },
    { 14283182, "systemd[1]: Failed to find module 'autofs4'\r\n" },
    { 14360746, "systemd[1]: systemd 252.39-1~deb12u2 running in system mode (+PAM +AUDIT +SELINUX +APPARMOR +IMA +SMACK +SECCOMP +GCRYPT -GNUTLS +OPENSSL +ACL +BLKID +CURL +ELFUTILS +FIDO2 +IDN2 -IDN +IPTC +KMOD +LIBCRYPTSETUP +LIBFDISK +PCRE2 -PWQUALITY +P11KIT +QRENCODE +TPM2 +BZIP2 +LZ4 +XZ +ZLIB +ZSTD -BPF_FRAMEWORK -XKBCOMMON +UTMP +SYSVINIT default-hierarchy=unified)\r\n" },
    { 14361818, "systemd[1]: Detected virtualization qemu.\r\n" },
    { 14362387, "systemd[1]: Detected architecture x86-64.\r\n" },
    { -1, "\r\n" },
    { -1, "Welcome to \033[1mDebian GNU/Linux 12 (bookworm)\033[0m!\r\n" },
    { -1, "\r\r\n" },
    { 14386714, "systemd[1]: Hostname set to <{HOST}>.\r\n" },
    { 17657350, "systemd[1]: Queued start job for default target graphical.target.\r\n" },
    { 17780970, "systemd[1]: Created slice system-getty.slice - Slice /system/getty.\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Created slice \033[0;1;39msystem-getty.slice\033[0m - Slice /system/getty.\r\r\n" },
    { 17803846, "systemd[1]: Created slice system-modprobe.slice - Slice /system/modprobe.\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Created slice \033[0;1;39msystem-modpr\342\200\246lice\033[0m - Slice /system/modprobe.\r\r\n" },
    { 17821668, "systemd[1]: Created slice system-serial\\x2dgetty.slice - Slice /system/serial-getty.\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Created slice \033[0;1;39msystem-seria\342\200\246\033[0m - Slice /system/serial-getty.\r\r\n" },
    { 17831752, "systemd[1]: Started systemd-ask-password-console.path - Dispatch Password Requests to Console Directory Watch.\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Started \033[0;1;39msystemd-ask-passwo\342\200\246quests to Console Directory Watch.\r\r\n" },
    { 17837142, "systemd[1]: Started systemd-ask-password-wall.path - Forward Password Requests to Wall Directory Watch.\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Started \033[0;1;39msystemd-ask-passwo\342\200\246 Requests to Wall Directory Watch.\r\r\n" },
    { 17842356, "systemd[1]: Starting of proc-sys-fs-binfmt_misc.automount - Arbitrary Executable File Formats File System Automount Point unsupported.\r\n" },
    { -1, "[\033[0;1;38;5;185mUNSUPP\033[0m] Starting of \033[0;1;39mproc-sys-fs-bi\342\200\246ystem Automount Point unsupported.\r\r\n" },
    { 17849394, "systemd[1]: Expecting device dev-ttyS0.device - /dev/ttyS0...\r\n" },
    { -1, "         Expecting device \033[0;1;39mdev-ttyS0.device\033[0m - /dev/ttyS0...\r\r\n" },
    { 17853445, "systemd[1]: Reached target cryptsetup.target - Local Encrypted Volumes.\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Reached target \033[0;1;39mcryptsetup.\342\200\246get\033[0m - Local Encrypted Volumes.\r\r\n" },
    { 17857509, "systemd[1]: Reached target integritysetup.target - Local Integrity Protected Volumes.\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Reached target \033[0;1;39mintegrityse\342\200\246Local Integrity Protected Volumes.\r\r\n" },
    { 17862286, "systemd[1]: Reached target paths.target - Path Units.\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Reached target \033[0;1;39mpaths.target\033[0m - Path Units.\r\r\n" },
    { 17866292, "systemd[1]: Reached target remote-fs.target - Remote File Systems.\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Reached target \033[0;1;39mremote-fs.target\033[0m - Remote File Systems.\r\r\n" },
    { 17869929, "systemd[1]: Reached target slices.target - Slice Units.\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Reached target \033[0;1;39mslices.target\033[0m - Slice Units.\r\r\n" },
    { 17873299, "systemd[1]: Reached target swap.target - Swaps.\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Reached target \033[0;1;39mswap.target\033[0m - Swaps.\r\r\n" },
    { 17876812, "systemd[1]: Reached target veritysetup.target - Local Verity Protected Volumes.\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Reached target \033[0;1;39mveritysetup\342\200\246 - Local Verity Protected Volumes.\r\r\n" },
    { 17889795, "systemd[1]: Listening on systemd-fsckd.socket - fsck to fsckd communication Socket.\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Listening on \033[0;1;39msystemd-fsckd\342\200\246sck to fsckd communication Socket.\r\r\n" },
    { 17899050, "systemd[1]: Listening on systemd-initctl.socket - initctl Compatibility Named Pipe.\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Listening on \033[0;1;39msystemd-initc\342\200\246 initctl Compatibility Named Pipe.\r\r\n" },
    { 17914286, "systemd[1]: Listening on systemd-journald-audit.socket - Journal Audit Socket.\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Listening on \033[0;1;39msystemd-journ\342\200\246socket\033[0m - Journal Audit Socket.\r\r\n" },
    { 17924748, "systemd[1]: Listening on systemd-journald-dev-log.socket - Journal Socket (/dev/log).\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Listening on \033[0;1;39msystemd-journ\342\200\246t\033[0m - Journal Socket (/dev/log).\r\r\n" },
    { 17933391, "systemd[1]: Listening on systemd-journald.socket - Journal Socket.\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Listening on \033[0;1;39msystemd-journald.socket\033[0m - Journal Socket.\r\r\n" },
    { 17947487, "systemd[1]: Listening on systemd-udevd-control.socket - udev Control Socket.\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Listening on \033[0;1;39msystemd-udevd\342\200\246.socket\033[0m - udev Control Socket.\r\r\n" },
    { 17955644, "systemd[1]: Listening on systemd-udevd-kernel.socket - udev Kernel Socket.\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Listening on \033[0;1;39msystemd-udevd\342\200\246l.socket\033[0m - udev Kernel Socket.\r\r\n" },
    { 17959619, "systemd[1]: Reached target sockets.target - Socket Units.\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Reached target \033[0;1;39msockets.target\033[0m - Socket Units.\r\r\n" },
    { 18018795, "systemd[1]: Mounting dev-hugepages.mount - Huge Pages File System...\r\n" },
    { -1, "         Mounting \033[0;1;39mdev-hugepages.mount\033[0m - Huge Pages File System...\r\r\n" },
    { 18069616, "systemd[1]: Mounting dev-mqueue.mount - POSIX Message Queue File System...\r\n" },
    { -1, "         Mounting \033[0;1;39mdev-mqueue.mount\033\342\200\246POSIX Message Queue File System...\r\r\n" },
    { 18141263, "systemd[1]: Mounting sys-kernel-debug.mount - Kernel Debug File System...\r\n" },
    { -1, "         Mounting \033[0;1;39msys-kernel-debug.\342\200\246\033[0m - Kernel Debug File System...\r\r\n" },
    { 18229835, "systemd[1]: Mounting sys-kernel-tracing.mount - Kernel Trace File System...\r\n" },
    { -1, "         Mounting \033[0;1;39msys-kernel-tracin\342\200\246\033[0m - Kernel Trace File System...\r\r\n" },
    { 18242067, "systemd[1]: kmod-static-nodes.service - Create List of Static Device Nodes was skipped because of an unmet condition check (ConditionFileNotEmpty=/lib/modules/6.1.0-57-amd64/modules.devname).\r\n" },
    { 18384300, "systemd[1]: Starting modprobe@configfs.service - Load Kernel Module configfs...\r\n" },
    { -1, "         Starting \033[0;1;39mmodprobe@configfs\342\200\246m - Load Kernel Module configfs...\r\r\n" },
    { 18449073, "systemd[1]: Starting modprobe@dm_mod.service - Load Kernel Module dm_mod...\r\n" },
    { -1, "         Starting \033[0;1;39mmodprobe@dm_mod.s\342\200\246[0m - Load Kernel Module dm_mod...\r\r\n" },
    { 18480359, "systemd[1]: Starting modprobe@efi_pstore.service - Load Kernel Module efi_pstore...\r\n" },
    { -1, "         Starting \033[0;1;39mmodprobe@efi_psto\342\200\246- Load Kernel Module efi_pstore...\r\r\n" },
    { 18532249, "systemd[1]: Starting modprobe@fuse.service - Load Kernel Module fuse...\r\n" },
    { -1, "         Starting \033[0;1;39mmodprobe@fuse.ser\342\200\246e\033[0m - Load Kernel Module fuse...\r\r\n" },
    { 18564651, "systemd[1]: Starting modprobe@loop.service - Load Kernel Module loop...\r\n" },
    { -1, "         Starting \033[0;1;39mmodprobe@loop.ser\342\200\246e\033[0m - Load Kernel Module loop...\r\r\n" },
    { 18570261, "systemd[1]: systemd-fsck-root.service - File System Check on Root Device was skipped because of an unmet condition check (ConditionPathIsReadWrite=!/).\r\n" },
    { 18648799, "systemd[1]: Starting systemd-journald.service - Journal Service...\r\n" },
    { -1, "         Starting \033[0;1;39msystemd-journald.service\033[0m - Journal Service...\r\r\n" },
    { 18702818, "systemd[1]: Starting systemd-modules-load.service - Load Kernel Modules...\r\n" },
    { -1, "         Starting \033[0;1;39msystemd-modules-l\342\200\246rvice\033[0m - Load Kernel Modules...\r\r\n" },
    { 18752381, "systemd[1]: Starting systemd-remount-fs.service - Remount Root and Kernel File Systems...\r\n" },
    { -1, "         Starting \033[0;1;39msystemd-remount-f\342\200\246nt Root and Kernel File Systems...\r\r\n" },
    { 18897535, "systemd[1]: Starting systemd-udev-trigger.service - Coldplug All udev Devices...\r\n" },
    { -1, "         Starting \033[0;1;39msystemd-udev-trig\342\200\246[0m - Coldplug All udev Devices...\r\r\n" },
    { 19083450, "systemd[1]: Mounted dev-hugepages.mount - Huge Pages File System.\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Mounted \033[0;1;39mdev-hugepages.mount\033[0m - Huge Pages File System.\r\r\n" },
    { 19104644, "systemd[1]: Mounted dev-mqueue.mount - POSIX Message Queue File System.\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Mounted \033[0;1;39mdev-mqueue.mount\033[\342\200\246- POSIX Message Queue File System.\r\r\n" },
    { 19124954, "systemd[1]: Mounted sys-kernel-debug.mount - Kernel Debug File System.\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Mounted \033[0;1;39msys-kernel-debug.m\342\200\246nt\033[0m - Kernel Debug File System.\r\r\n" },
    { 19159905, "systemd[1]: Mounted sys-kernel-tracing.mount - Kernel Trace File System.\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Mounted \033[0;1;39msys-kernel-tracing\342\200\246nt\033[0m - Kernel Trace File System.\r\r\n" },
    { 19240849, "systemd[1]: modprobe@configfs.service: Deactivated successfully.\r\n" },
    { 19273472, "systemd[1]: Finished modprobe@configfs.service - Load Kernel Module configfs.\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Finished \033[0;1;39mmodprobe@configfs\342\200\246[0m - Load Kernel Module configfs.\r\r\n" },
    { 19337818, "systemd[1]: modprobe@dm_mod.service: Deactivated successfully.\r\n" },
    { 19365998, "systemd[1]: Finished modprobe@dm_mod.service - Load Kernel Module dm_mod.\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Finished \033[0;1;39mmodprobe@dm_mod.s\342\200\246e\033[0m - Load Kernel Module dm_mod.\r\r\n" },
    { 19405633, "systemd[1]: modprobe@efi_pstore.service: Deactivated successfully.\r\n" },
    { 19432008, "systemd[1]: Finished modprobe@efi_pstore.service - Load Kernel Module efi_pstore.\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Finished \033[0;1;39mmodprobe@efi_psto\342\200\246m - Load Kernel Module efi_pstore.\r\r\n" },
    { 19468275, "systemd[1]: modprobe@fuse.service: Deactivated successfully.\r\n" },
    { 19493662, "systemd[1]: Finished modprobe@fuse.service - Load Kernel Module fuse.\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Finished \033[0;1;39mmodprobe@fuse.service\033[0m - Load Kernel Module fuse.\r\r\n" },
    { 19522038, "systemd[1]: modprobe@loop.service: Deactivated successfully.\r\n" },
    { 19545311, "systemd[1]: Finished modprobe@loop.service - Load Kernel Module loop.\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Finished \033[0;1;39mmodprobe@loop.service\033[0m - Load Kernel Module loop.\r\r\n" },
    { 19585293, "systemd[1]: Finished systemd-modules-load.service - Load Kernel Modules.\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Finished \033[0;1;39msystemd-modules-l\342\200\246service\033[0m - Load Kernel Modules.\r\r\n" },
    { 19635665, "systemd[1]: sys-fs-fuse-connections.mount - FUSE Control File System was skipped because of an unmet condition check (ConditionPathExists=/sys/fs/fuse/connections).\r\n" },
    { 19649407, "systemd[1]: sys-kernel-config.mount - Kernel Configuration File System was skipped because of an unmet condition check (ConditionPathExists=/sys/kernel/config).\r\n" },
    { 19654302, "systemd[1]: systemd-repart.service - Repartition Root Disk was skipped because no trigger condition checks were met.\r\n" },
    { 19672496, "EXT4-fs (vda): re-mounted. Quota mode: none.\r\n" },
    { 19742018, "systemd[1]: Starting systemd-sysctl.service - Apply Kernel Variables...\r\n" },
    { -1, "         Starting \033[0;1;39msystemd-sysctl.se\342\200\246ce\033[0m - Apply Kernel Variables...\r\r\n" },
    { 19837007, "systemd[1]: Finished systemd-remount-fs.service - Remount Root and Kernel File Systems.\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Finished \033[0;1;39msystemd-remount-f\342\200\246ount Root and Kernel File Systems.\r\r\n" },
    { 19943728, "systemd[1]: systemd-firstboot.service - First Boot Wizard was skipped because of an unmet condition check (ConditionFirstBoot=yes).\r\n" },
    { 19946283, "systemd[1]: systemd-pstore.service - Platform Persistent Storage Archival was skipped because of an unmet condition check (ConditionDirectoryNotEmpty=/sys/fs/pstore).\r\n" },
    { 20063340, "systemd[1]: Starting systemd-random-seed.service - Load/Save Random Seed...\r\n" },
    { -1, "         Starting \033[0;1;39msystemd-random-se\342\200\246ice\033[0m - Load/Save Random Seed...\r\r\n" },
    { 20204323, "systemd[1]: Starting systemd-sysusers.service - Create System Users...\r\n" },
    { -1, "         Starting \033[0;1;39msystemd-sysusers.\342\200\246rvice\033[0m - Create System Users...\r\r\n" },
    { 20694524, "systemd[1]: Finished systemd-sysctl.service - Apply Kernel Variables.\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Finished \033[0;1;39msystemd-sysctl.service\033[0m - Apply Kernel Variables.\r\r\n" },
    { 21228127, "systemd[1]: Finished systemd-sysusers.service - Create System Users.\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Finished \033[0;1;39msystemd-sysusers.service\033[0m - Create System Users.\r\r\n" },
    { 21345687, "systemd[1]: Starting systemd-tmpfiles-setup-dev.service - Create Static Device Nodes in /dev...\r\n" },
    { -1, "         Starting \033[0;1;39msystemd-tmpfiles-\342\200\246ate Static Device Nodes in /dev...\r\r\n" },
    { 21377837, "systemd[1]: Started systemd-journald.service - Journal Service.\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Started \033[0;1;39msystemd-journald.service\033[0m - Journal Service.\r\r\n" },
    { -1, "         Starting \033[0;1;39msystemd-journal-f\342\200\246h Journal to Persistent Storage...\r\r\n" },
    { 22059695, "random: crng init done\r\n" },
    { 22208733, "systemd-journald[184]: Received client request to flush runtime journal.\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Finished \033[0;1;39msystemd-random-se\342\200\246rvice\033[0m - Load/Save Random Seed.\r\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Finished \033[0;1;39msystemd-tmpfiles-\342\200\246reate Static Device Nodes in /dev.\r\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Reached target \033[0;1;39mlocal-fs-pr\342\200\246reparation for Local File Systems.\r\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Reached target \033[0;1;39mlocal-fs.target\033[0m - Local File Systems.\r\r\n" },
    { -1, "         Starting \033[0;1;39msystemd-udevd.ser\342\200\246ger for Device Events and Files...\r\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Finished \033[0;1;39msystemd-udev-trig\342\200\246e\033[0m - Coldplug All udev Devices.\r\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Finished \033[0;1;39msystemd-journal-f\342\200\246ush Journal to Persistent Storage.\r\r\n" },
    { -1, "         Starting \033[0;1;39msystemd-tmpfiles-\342\200\246te System Files and Directories...\r\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Finished \033[0;1;39msystemd-tmpfiles-\342\200\246eate System Files and Directories.\r\r\n" },
    { -1, "         Starting \033[0;1;39msystemd-update-ut\342\200\246rd System Boot/Shutdown in UTMP...\r\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Started \033[0;1;39msystemd-udevd.serv\342\200\246nager for Device Events and Files.\r\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Finished \033[0;1;39msystemd-update-ut\342\200\246cord System Boot/Shutdown in UTMP.\r\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Reached target \033[0;1;39msysinit.target\033[0m - System Initialization.\r\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Started \033[0;1;39mapt-daily.timer\033[0m - Daily apt download activities.\r\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Started \033[0;1;39mapt-daily-upgrade.\342\200\246 apt upgrade and clean activities.\r\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Started \033[0;1;39mdpkg-db-backup.tim\342\200\246 Daily dpkg database backup timer.\r\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Started \033[0;1;39me2scrub_all.timer\033\342\200\246etadata Check for All Filesystems.\r\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Started \033[0;1;39mfstrim.timer\033[0m - Discard unused blocks once a week.\r\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Started \033[0;1;39msystemd-tmpfiles-c\342\200\246 Cleanup of Temporary Directories.\r\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Reached target \033[0;1;39mtimers.target\033[0m - Timer Units.\r\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Reached target \033[0;1;39mbasic.target\033[0m - Basic System.\r\r\n" },
    { -1, "         Starting \033[0;1;39me2scrub_reap.serv\342\200\246e ext4 Metadata Check Snapshots...\r\r\n" },
    { -1, "         Starting \033[0;1;39mgetty-static.serv\342\200\246us and logind are not available...\r\r\n" },
    { -1, "         Starting \033[0;1;39msystemd-user-sess\342\200\246vice\033[0m - Permit User Sessions...\r\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Found device \033[0;1;39mdev-ttyS0.device\033[0m - /dev/ttyS0.\r\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Finished \033[0;1;39msystemd-user-sess\342\200\246ervice\033[0m - Permit User Sessions.\r\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Started \033[0;1;39mgetty@tty1.service\033[0m - Getty on tty1.\r\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Started \033[0;1;39mgetty@tty2.service\033[0m - Getty on tty2.\r\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Started \033[0;1;39mgetty@tty3.service\033[0m - Getty on tty3.\r\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Started \033[0;1;39mgetty@tty4.service\033[0m - Getty on tty4.\r\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Started \033[0;1;39mserial-getty@ttyS0\342\200\246rvice\033[0m - Serial Getty on ttyS0.\r\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Started \033[0;1;39mgetty@tty5.service\033[0m - Getty on tty5.\r\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Started \033[0;1;39mgetty@tty6.service\033[0m - Getty on tty6.\r\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Finished \033[0;1;39mgetty-static.serv\342\200\246dbus and logind are not available.\r\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Reached target \033[0;1;39mgetty.target\033[0m - Login Prompts.\r\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Finished \033[0;1;39me2scrub_reap.serv\342\200\246ine ext4 Metadata Check Snapshots.\r\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Reached target \033[0;1;39mmulti-user.target\033[0m - Multi-User System.\r\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Reached target \033[0;1;39mgraphical.target\033[0m - Graphical Interface.\r\r\n" },
    { -1, "         Starting \033[0;1;39msystemd-update-ut\342\200\246 Record Runlevel Change in UTMP...\r\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Finished \033[0;1;39msystemd-update-ut\342\200\246 - Record Runlevel Change in UTMP.\r\r\n" },
};
const CaptureLine kCaptureShutdown[] = {
    { -1, "[\033[0;32m  OK  \033[0m] Removed slice \033[0;1;39msystem-modpr\342\200\246lice\033[0m - Slice /system/modprobe.\r\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Stopped target \033[0;1;39mgraphical.target\033[0m - Graphical Interface.\r\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Stopped target \033[0;1;39mtimers.target\033[0m - Timer Units.\r\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Stopped \033[0;1;39mapt-daily-upgrade.\342\200\246 apt upgrade and clean activities.\r\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Stopped \033[0;1;39mapt-daily.timer\033[0m - Daily apt download activities.\r\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Stopped \033[0;1;39mdpkg-db-backup.tim\342\200\246 Daily dpkg database backup timer.\r\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Stopped \033[0;1;39me2scrub_all.timer\033\342\200\246etadata Check for All Filesystems.\r\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Stopped \033[0;1;39mfstrim.timer\033[0m - Discard unused blocks once a week.\r\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Stopped \033[0;1;39msystemd-tmpfiles-c\342\200\246 Cleanup of Temporary Directories.\r\r\n" },
    { -1, "         Stopping \033[0;1;39msystemd-random-se\342\200\246ice\033[0m - Load/Save Random Seed...\r\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Stopped target \033[0;1;39mmulti-user.target\033[0m - Multi-User System.\r\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Stopped target \033[0;1;39mgetty.target\033[0m - Login Prompts.\r\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Stopped \033[0;1;39mgetty-static.servi\342\200\246dbus and logind are not available.\r\r\n" },
    { -1, "         Stopping \033[0;1;39mgetty@tty1.service\033[0m - Getty on tty1...\r\r\n" },
    { -1, "         Stopping \033[0;1;39mgetty@tty2.service\033[0m - Getty on tty2...\r\r\n" },
    { -1, "         Stopping \033[0;1;39mgetty@tty3.service\033[0m - Getty on tty3...\r\r\n" },
    { -1, "         Stopping \033[0;1;39mgetty@tty4.service\033[0m - Getty on tty4...\r\r\n" },
    { -1, "         Stopping \033[0;1;39mgetty@tty5.service\033[0m - Getty on tty5...\r\r\n" },
    { -1, "         Stopping \033[0;1;39mgetty@tty6.service\033[0m - Getty on tty6...\r\r\n" },
    { -1, "         Stopping \033[0;1;39mserial-getty@ttyS\342\200\246ice\033[0m - Serial Getty on ttyS0...\r\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Stopped \033[0;1;39mgetty@tty1.service\033[0m - Getty on tty1.\r\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Stopped \033[0;1;39mgetty@tty2.service\033[0m - Getty on tty2.\r\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Stopped \033[0;1;39mgetty@tty3.service\033[0m - Getty on tty3.\r\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Stopped \033[0;1;39mgetty@tty4.service\033[0m - Getty on tty4.\r\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Stopped \033[0;1;39mserial-getty@ttyS0\342\200\246rvice\033[0m - Serial Getty on ttyS0.\r\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Stopped \033[0;1;39mgetty@tty5.service\033[0m - Getty on tty5.\r\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Stopped \033[0;1;39mgetty@tty6.service\033[0m - Getty on tty6.\r\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Stopped \033[0;1;39msystemd-random-see\342\200\246rvice\033[0m - Load/Save Random Seed.\r\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Removed slice \033[0;1;39msystem-getty.slice\033[0m - Slice /system/getty.\r\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Removed slice \033[0;1;39msystem-seria\342\200\246\033[0m - Slice /system/serial-getty.\r\r\n" },
    { -1, "         Stopping \033[0;1;39msystemd-user-sess\342\200\246vice\033[0m - Permit User Sessions...\r\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Stopped \033[0;1;39msystemd-user-sessi\342\200\246ervice\033[0m - Permit User Sessions.\r\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Stopped target \033[0;1;39mbasic.target\033[0m - Basic System.\r\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Stopped target \033[0;1;39mpaths.target\033[0m - Path Units.\r\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Stopped target \033[0;1;39mremote-fs.target\033[0m - Remote File Systems.\r\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Stopped target \033[0;1;39mslices.target\033[0m - Slice Units.\r\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Stopped target \033[0;1;39msockets.target\033[0m - Socket Units.\r\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Stopped target \033[0;1;39msysinit.target\033[0m - System Initialization.\r\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Stopped target \033[0;1;39mcryptsetup.\342\200\246get\033[0m - Local Encrypted Volumes.\r\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Stopped \033[0;1;39msystemd-ask-passwo\342\200\246quests to Console Directory Watch.\r\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Stopped \033[0;1;39msystemd-ask-passwo\342\200\246 Requests to Wall Directory Watch.\r\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Stopped target \033[0;1;39mintegrityse\342\200\246Local Integrity Protected Volumes.\r\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Stopped target \033[0;1;39mswap.target\033[0m - Swaps.\r\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Stopped target \033[0;1;39mveritysetup\342\200\246 - Local Verity Protected Volumes.\r\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Stopped \033[0;1;39msystemd-sysctl.service\033[0m - Apply Kernel Variables.\r\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Stopped \033[0;1;39msystemd-modules-lo\342\200\246service\033[0m - Load Kernel Modules.\r\r\n" },
    { -1, "         Stopping \033[0;1;39msystemd-update-ut\342\200\246rd System Boot/Shutdown in UTMP...\r\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Unmounted \033[0;1;39mrun-credentials-\342\200\246redentials/systemd-sysctl.service.\r\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Stopped \033[0;1;39msystemd-update-utm\342\200\246cord System Boot/Shutdown in UTMP.\r\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Stopped \033[0;1;39msystemd-tmpfiles-s\342\200\246eate System Files and Directories.\r\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Stopped target \033[0;1;39mlocal-fs.target\033[0m - Local File Systems.\r\r\n" },
    { -1, "         Unmounting \033[0;1;39mrun-credentials\342\200\246ntials/systemd-sysusers.service...\r\r\n" },
    { -1, "         Unmounting \033[0;1;39mrun-credentials\342\200\246/systemd-tmpfiles-setup.service...\r\r\n" },
    { -1, "         Unmounting \033[0;1;39mrun-credentials\342\200\246temd-tmpfiles-setup-dev.service...\r\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Unmounted \033[0;1;39mrun-credentials-\342\200\246ls/systemd-tmpfiles-setup.service.\r\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Unmounted \033[0;1;39mrun-credentials-\342\200\246dentials/systemd-sysusers.service.\r\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Unmounted \033[0;1;39mrun-credentials-\342\200\246ystemd-tmpfiles-setup-dev.service.\r\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Stopped target \033[0;1;39mlocal-fs-pr\342\200\246reparation for Local File Systems.\r\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Reached target \033[0;1;39mumount.target\033[0m - Unmount All Filesystems.\r\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Stopped \033[0;1;39msystemd-tmpfiles-s\342\200\246reate Static Device Nodes in /dev.\r\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Stopped \033[0;1;39msystemd-sysusers.service\033[0m - Create System Users.\r\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Stopped \033[0;1;39msystemd-remount-fs\342\200\246ount Root and Kernel File Systems.\r\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Reached target \033[0;1;39mshutdown.target\033[0m - System Shutdown.\r\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Reached target \033[0;1;39mfinal.target\033[0m - Late Shutdown Services.\r\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Finished \033[0;1;39msystemd-poweroff.service\033[0m - System Power Off.\r\r\n" },
    { -1, "[\033[0;32m  OK  \033[0m] Reached target \033[0;1;39mpoweroff.target\033[0m - System Power Off.\r\r\n" },
    { 38537577, "systemd-shutdown[1]: Syncing filesystems and block devices.\r\n" },
    { 38566597, "systemd-shutdown[1]: Sending SIGTERM to remaining processes...\r\n" },
    { 38629842, "systemd-journald[184]: Received SIGTERM from PID 1 (systemd-shutdow).\r\n" },
    { 38685977, "systemd-shutdown[1]: Sending SIGKILL to remaining processes...\r\n" },
    { 38733531, "systemd-shutdown[1]: Unmounting file systems.\r\n" },
    { 38776137, "(sd-remount)[249]: Remounting '/' read-only with options 'errors=remount-ro'.\r\n" },
    { 38792277, "EXT4-fs (vda): re-mounted. Quota mode: none.\r\n" },
    { 38808806, "systemd-shutdown[1]: All filesystems unmounted.\r\n" },
    { 38809457, "systemd-shutdown[1]: Deactivating swaps.\r\n" },
    { 38812265, "systemd-shutdown[1]: All swaps deactivated.\r\n" },
    { 38812827, "systemd-shutdown[1]: Detaching loop devices.\r\n" },
    { 38822054, "systemd-shutdown[1]: All loop devices detached.\r\n" },
    { 38822980, "systemd-shutdown[1]: Stopping MD devices.\r\n" },
    { 38825539, "systemd-shutdown[1]: All MD devices stopped.\r\n" },
    { 38826084, "systemd-shutdown[1]: Detaching DM devices.\r\n" },
    { 38828574, "systemd-shutdown[1]: All DM devices detached.\r\n" },
    { 38829310, "systemd-shutdown[1]: All filesystems, swaps, loop devices, MD devices and DM devices detached.\r\n" },
    { 38873698, "systemd-shutdown[1]: Syncing filesystems and block devices.\r\n" },
    { 38880164, "systemd-shutdown[1]: Powering off.\r\n" },
    { 39209838, "ACPI: PM: Preparing to enter system sleep state S5\r\n" },
    { 39212997, "reboot: Power down\r\n" },
};
const CaptureLine kCapturePanic[] = {
    { 2820172, "List of all partitions:\r\n" },
    { 2820608, "No filesystem could mount root, tried: \r\n" },
    { 2820628, "\r\n" },
    { 2820958, "Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0)\r\n" },
    { 2821432, "CPU: 0 PID: 1 Comm: swapper/0 Not tainted 6.1.0-57-amd64 #1  Debian 6.1.192-3\r\n" },
    { 2821728, "Hardware name: QEMU Standard PC (i440FX + PIIX, 1996), BIOS 1.16.2-debian-1.16.2-1 04/01/2014\r\n" },
    { 2822062, "Call Trace:\r\n" },
    { 2822810, " <TASK>\r\n" },
    { 2823208, " dump_stack_lvl+0x44/0x5c\r\n" },
    { 2823606, " panic+0x118/0x2f4\r\n" },
    { 2823701, " mount_block_root+0x1d3/0x1e6\r\n" },
    { 2823846, " prepare_namespace+0x136/0x165\r\n" },
    { 2823964, " kernel_init_freeable+0x25c/0x286\r\n" },
    { 2824084, " ? rest_init+0xd0/0xd0\r\n" },
    { 2824174, " kernel_init+0x16/0x130\r\n" },
    { 2824259, " ret_from_fork+0x22/0x30\r\n" },
    { 2824436, " </TASK>\r\n" },
    { 2827985, "Kernel Offset: 0x1d400000 from 0xffffffff81000000 (relocation range: 0xffffffff80000000-0xffffffffbfffffff)\r\n" },
};
// clang-format on

std::span<const CaptureLine> captureBoot()
{
    return kCaptureBoot;
}

std::span<const CaptureLine> captureShutdown()
{
    return kCaptureShutdown;
}

std::span<const CaptureLine> capturePanic()
{
    return kCapturePanic;
}

} // namespace

} // namespace cpc
