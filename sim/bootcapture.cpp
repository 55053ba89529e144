#include "bootcapture.h"

#include <QFile>

static void cpcInitBootlogResources()
{
    Q_INIT_RESOURCE(bootlogs); // must be called outside any namespace
}

namespace cpc {

namespace {

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

/// The length of a kernel timestamp `[ 1234.567890] ` at `pos` (0 when there is none) and its
/// value in microseconds.
qsizetype timestampAt(const QByteArray &s, qsizetype pos, qint64 *us)
{
    if (pos >= s.size() || s[pos] != '[')
        return 0;
    qsizetype i = pos + 1;
    while (i < s.size() && s[i] == ' ')
        ++i;
    qint64 secs = 0;
    const qsizetype secsStart = i;
    for (; i < s.size() && isDigit(s[i]); ++i)
        secs = secs * 10 + (s[i] - '0');
    if (i == secsStart || i >= s.size() || s[i] != '.')
        return 0;
    ++i;
    qint64 micros = 0;
    for (int digit = 0; digit < 6; ++digit, ++i) {
        if (i >= s.size() || !isDigit(s[i]))
            return 0;
        micros = micros * 10 + (s[i] - '0');
    }
    if (i + 1 >= s.size() || s[i] != ']' || s[i + 1] != ' ')
        return 0;
    *us = secs * 1'000'000 + micros;
    return i + 2 - pos;
}

QByteArray resource(const char *name)
{
    cpcInitBootlogResources();
    QFile f(QStringLiteral(":/cpc/bootlogs/") + QLatin1String(name));
    // The captures are compiled into the library: failing to open one is a build defect.
    if (!f.open(QIODevice::ReadOnly))
        qFatal("BootLog: resource %s is missing from cpc_sim", name);
    return f.readAll();
}

/// The offset of the row holding `needle` at or after `from`.
qsizetype rowOf(const QByteArray &s, const QByteArray &needle, qsizetype from = 0)
{
    const qsizetype at = s.indexOf(needle, from);
    Q_ASSERT(at >= 0);
    return s.lastIndexOf('\n', at) + 1;
}

struct Captures
{
    QList<CaptureLine> boot;
    QList<CaptureLine> shutdown;
    QList<CaptureLine> panic;
};

const Captures &captures()
{
    static const Captures c = [] {
        Captures c;
        const QByteArray boot = resource("systemd-boot-ansi.log");
        // The boot stops before the login banner; the shutdown starts after the prompt.
        const qsizetype banner = boot.indexOf("\r\r\nDebian GNU/Linux 12 ");
        const QByteArray prompt = "debian login: ";
        const qsizetype afterPrompt = boot.indexOf(prompt, banner) + prompt.size();
        Q_ASSERT(banner > 0 && afterPrompt > banner);
        const auto keep = [](const QList<CaptureLine> &lines) {
            QList<CaptureLine> kept;
            for (CaptureLine l : lines) {
                // The capture tooling's own unit (it powered the machine off) is not the guest's.
                if (l.text.contains("auto-poweroff.ser"))
                    continue;
                l.text.replace("Hostname set to <debian>", "Hostname set to <{HOST}>");
                const QByteArray clock = "setting system clock to ";
                if (const qsizetype at = l.text.indexOf(clock); at >= 0)
                    l.text = l.text.left(at + clock.size()) + "{RTC}\r\n";
                kept.append(std::move(l));
            }
            return kept;
        };
        c.boot = keep(parseCapture(boot.left(banner)));
        c.shutdown = keep(parseCapture(boot.mid(afterPrompt)));

        const QByteArray panic = resource("panic-no-rootfs.log");
        c.panic = parseCapture(panic.mid(rowOf(panic, "List of all partitions:")));
        return c;
    }();
    return c;
}

} // namespace

QList<CaptureLine> parseCapture(const QByteArray &raw)
{
    QList<CaptureLine> lines;
    qsizetype pos = 0;
    while (pos < raw.size()) {
        qint64 us = kNoTimestamp;
        const qsizetype prefix = timestampAt(raw, pos, &us);
        const qsizetype newline = raw.indexOf('\n', pos);
        qsizetype end = newline < 0 ? raw.size() : newline + 1;
        for (qsizetype i = raw.indexOf('[', pos + prefix); i >= 0 && i < end;
             i = raw.indexOf('[', i + 1)) {
            qint64 ignored = 0;
            if (timestampAt(raw, i, &ignored) > 0) {
                end = i;
                break;
            }
        }
        lines.append({ us, raw.mid(pos + prefix, end - pos - prefix) });
        pos = end;
    }
    return lines;
}

const QList<CaptureLine> &captureBoot()
{
    return captures().boot;
}

const QList<CaptureLine> &captureShutdown()
{
    return captures().shutdown;
}

const QList<CaptureLine> &capturePanic()
{
    return captures().panic;
}

} // namespace cpc
