// libFuzzer target: the console buffer (UTF-8, ANSI, \r and \b, merge of successive fetches,
// the cap). The input is split into up to four fetches at 0xFF 0xFE 0xFD separators and merged
// into a buffer with a small cap so that dropping is exercised. Invariants: no crash, stored
// size within the cap, no escape character in the plain text, line numbers consistent.
#include "consolebuffer.h"

#include <cstdint>
#include <cstdlib>

namespace {
void check(bool ok)
{
    if (!ok)
        std::abort();
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray input(reinterpret_cast<const char *>(data), qsizetype(size));
    const QList<QByteArray> fetches = input.split('\xfd');
    cpc::ConsoleBuffer buffer(4096);
    int n = 0;
    for (const QByteArray &f : fetches) {
        if (++n > 4)
            break;
        const auto r = (n % 2) ? buffer.mergeBytes(f) : buffer.merge(QString::fromUtf8(f));
        check(buffer.storedBytes() <= buffer.capBytes());
        check(r.newLines >= 0);
        if (!buffer.isEmpty())
            check(buffer.lastLineNumber() >= buffer.firstLineNumber());
    }
    const QString plain = buffer.plainText();
    check(!plain.contains(QChar(0x1b)));
    check(!plain.contains(QChar(u'\r')));
    for (const auto &nl : buffer.notables())
        check(nl.line >= buffer.firstLineNumber() && nl.line <= buffer.lastLineNumber());
    (void)buffer.render(cpc::ConsoleBuffer::Format::Ansi);
    return 0;
}
