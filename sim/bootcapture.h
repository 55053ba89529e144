#pragma once

#include <QByteArray>
#include <QList>

namespace cpc {

constexpr qint64 kNoTimestamp = -1;

/// One line of a real serial-console capture: the kernel timestamp in microseconds
/// (kNoTimestamp when the line has none) and the rest of the line as raw bytes, line ending
/// included.
struct CaptureLine
{
    qint64 us = kNoTimestamp;
    QByteArray text;
};

/// The parts of the real captures in resources/bootlogs/ that BootLog replays, read once from
/// the resources compiled into cpc_sim. The captures are stored as QEMU wrote them; the cuts are
/// made here, where they can be read.
///
/// The boot of systemd-boot-ansi.log up to its login banner (the simulator prints its own), with
/// the hostname and the RTC date as the placeholders {HOST} and {RTC}.
const QList<CaptureLine> &captureBoot();
/// The shutdown after that capture's login prompt, down to "reboot: Power down".
const QList<CaptureLine> &captureShutdown();
/// The end of panic-no-rootfs.log, from "List of all partitions:" (the kernel's last words
/// before the panic, its Call Trace and its Kernel Offset).
const QList<CaptureLine> &capturePanic();

/// Splits raw console bytes into lines and their `[    1.234567] ` kernel timestamps. A
/// timestamp in the middle of a row starts a line of its own: the kernel's first line follows
/// the boot loader's last bytes on the same row.
QList<CaptureLine> parseCapture(const QByteArray &raw);

} // namespace cpc
