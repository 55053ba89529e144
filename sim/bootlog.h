#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QRandomGenerator>
#include <QString>

namespace cpc {

/// The serial console of one simulated instance, produced step by step so that it grows while
/// the instance boots and runs. Modelled on real captures of a Debian 12 guest on QEMU (kernel
/// and systemd lines are replayed from them, resources/bootlogs/): the SeaBIOS preamble, kernel
/// lines with
/// `[    1.234567]` timestamps and CRLF endings, systemd status lines in ANSI colour with
/// CR CR LF endings and "…"-ellipsized unit names (some with a cut escape sequence, as systemd
/// really prints them), cloud-init and the runtime bootstrap with `\r` progress lines,
/// "Cloud-init v. 23.1 finished at …", the login prompt; now and then a byte that is not
/// UTF-8; on a failing instance `Kernel panic - not syncing` with its `Call Trace:`; on stop
/// the shutdown sequence down to "reboot: Power down". Deterministic for given Params.
class BootLog
{
public:
    struct Params
    {
        quint32 seed = 1;
        QString hostname = QStringLiteral("ip-10-0-0-1");
        QString runtime = QStringLiteral("python");
        QString instanceId;
        QString privateIp = QStringLiteral("10.0.0.1");
        bool panics = false; ///< the boot ends in a kernel panic instead of a login prompt
        QDateTime bootTime; ///< wall clock at power-on, for cloud-init; invalid: a fixed date
    };

    explicit BootLog(Params params);

    /// The boot up to `fraction` (0..1) of the way, never including its end; only new bytes.
    QByteArray advanceBoot(double fraction);
    /// The rest of the boot: cloud-init "finished" and the login prompt, or the kernel panic.
    QByteArray finishBoot();
    bool bootFinished() const { return m_bootFinished; }
    bool panics() const { return m_params.panics; }

    /// One growth step of a running machine (1–3 lines) after `elapsedMs` more uptime.
    QByteArray runningTick(qint64 elapsedMs);
    /// Lets uptime pass without output (an instance that has been up for days).
    void addUptime(qint64 ms);

    /// The shutdown up to `fraction` of the way; finishShutdown() ends with "reboot: Power down".
    /// Both print nothing for a kernel that panicked or never finished booting.
    QByteArray advanceShutdown(double fraction);
    QByteArray finishShutdown();
    bool shutdownFinished() const { return m_shutdownFinished; }

    /// The whole boot of an instance at once (for tests and benchmarks).
    static QByteArray completeBoot(const Params &params);

private:
    struct Chunk
    {
        qint64 deltaUs; ///< < 0: no kernel timestamp
        QByteArray text;
    };
    QByteArray render(const Chunk &c);
    QByteArray timestamp() const;
    QByteArray emitRange(QList<Chunk> &chunks, qsizetype &pos, qsizetype end);
    void buildBoot();
    void buildShutdown();
    QByteArray journal(const QByteArray &unit, const QByteArray &message);

    Params m_params;
    QRandomGenerator m_rng;
    double m_speed = 1.0; ///< scales the captured kernel timing per instance
    qint64 m_clockUs = 0; ///< uptime as the kernel prints it
    qint64 m_wallBaseSecs = 0;
    QList<Chunk> m_boot;
    qsizetype m_bootPos = 0;
    qsizetype m_bootReserve = 0; ///< chunks at the end that only finishBoot() emits
    bool m_bootFinished = false;
    QList<Chunk> m_shutdown;
    qsizetype m_shutdownPos = 0;
    bool m_shutdownFinished = false;
    int m_agentPid = 917;
    int m_heartbeat = 0;
};

} // namespace cpc
