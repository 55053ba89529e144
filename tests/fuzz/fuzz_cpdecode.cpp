// libFuzzer target: decoding of CP answers (provision, stop, status, console) from arbitrary
// status codes and bodies. Invariants: no crash, no registered secret in any message, details
// or output, status Unknown exactly when there is an error, provision success only on 201.
#include "cpdecode.h"
#include "logging.h"

#include <QCoreApplication>

#include <cstdint>
#include <cstdlib>

namespace {
const QString kSecret = QStringLiteral("fuzz-secret-0xC0FFEE");
void check(bool ok)
{
    if (!ok)
        std::abort();
}
} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    cpc::redaction::registerSecret(cpc::Secret(kSecret));
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    const int which = data[0] % 4;
    static const int statuses[]
        = { 200, 201, 202, 204, 301, 400, 401, 403, 404, 408, 409, 422, 429, 500, 502, 503 };
    const int status = statuses[data[1] % (sizeof statuses / sizeof *statuses)];
    // Give the fuzzer a way to smuggle the secret into bodies.
    QByteArray body(reinterpret_cast<const char *>(data + 2), qsizetype(size - 2));
    body.replace("$S", kSecret.toUtf8());
    switch (which) {
    case 0: {
        const auto r = cpc::decode::provision(status, body);
        check(!r || status == 201);
        if (r)
            check(!r->instanceId.isEmpty() && !r->instanceId.contains(kSecret));
        else
            check(!r.error().message.contains(kSecret));
        break;
    }
    case 1: {
        const auto r = cpc::decode::stop(status, body);
        check(r.ok() == (status >= 200 && status < 300));
        if (!r) {
            check(!r.error().message.contains(kSecret));
            check(!r.error().details.contains(kSecret));
            check(r.error().message.size() <= 512 + 1);
        }
        break;
    }
    case 2: {
        const auto r = cpc::decode::status(status, body);
        check((r.state == cpc::RunState::Unknown) == r.error.has_value());
        if (r.error)
            check(!r.error->message.contains(kSecret));
        check(!r.cpState.contains(kSecret));
        break;
    }
    case 3: {
        const auto r = cpc::decode::console(status, body);
        if (r)
            check(!r->output.contains(kSecret));
        else
            check(!r.error().message.contains(kSecret));
        break;
    }
    }
    return 0;
}
