#pragma once

// The fault matrix's expectations: for every fault the simulator can inject and every call of
// the CP contract, the result class and what the window must show (tst_faultmatrix.cpp).

#include "cpclient.h"
#include "faultspec.h"

#include <QString>

namespace cpc::test::faultmatrix {

// Short deadlines so that the drip and timeout cases end in about a second and a half.
inline constexpr int kDeadlineMs = 1500;
inline constexpr int kLatencyMs = 250; // well inside the deadline: slower, not failed
inline constexpr int kAttempts = 2; // provision retries once, without waiting

// --- the expected results ----------------------------------------------------------------------
//
// classes: the result classes allowed, '|'-separated: "ok" or Error::kindName() ("http-status",
//          "decode", "transport", "timeout"). Only error-rate, which picks 5xx, 429, malformed or
//          drop at random, allows more than one.
// shown:   a regex the text on screen must match. Provision: the call's error message (in the
//          dialog and the error strip), or the dialog's success line. Stop: the call's error
//          message (in the error strip after "Stop failed — nothing was changed. "), or the
//          status bar's success line. Status: the row's live-status cell ("unknown (HTTP 503)",
//          "running"). Console: the error strip (it starts with the call's error message), or
//          the status line ("fetched …") on success.
// extra:   provision: the journal outcome(s) allowed; status: a regex for the message of the
//          status call made through Operations; others: unused.
struct Expected
{
    const char *fault;
    const char *call;
    const char *classes;
    const char *shown;
    const char *extra;
};

#define CUT_OFF                                                                                    \
    "(connection closed by the CP before a complete answer|answer cut off after \\d+ of \\d+ "     \
    "bytes)"
#define AFTER2 " \\(after 2 attempts\\)"
#define TIMED_OUT "timed out after 1\\.5 s"
// A non-2xx answer without a body to quote, or the simulator's nginx error page (its title).
#define PAGE_OR_STATUS "(unexpected status|Bad Gateway — nginx|Gateway Time-out — nginx)"

inline const Expected kExpected[] = {
    // latency: slower, nothing else.
    { "latency", "provision", "ok",
      "^✔ Provisioned \\S+ in \\d+ s: instance <b>mol-ws-[0-9a-f]{17}</b>", "succeeded" },
    { "latency", "stop", "ok", ": instance mol-ws-[0-9a-f]{17} stopped$", "" },
    { "latency", "status", "ok", "^running$", "" },
    { "latency", "console", "ok", "fetched \\d", "" },

    // 5xx (500, 502, 503 or 504): the CP did nothing; provision retries, then gives up.
    { "5xx", "provision", "http-status", "^provision failed \\(5\\d\\d\\): .+" AFTER2 "$",
      "failed" },
    { "5xx", "stop", "http-status", "^stop failed \\(5\\d\\d\\): .+$", "" },
    { "5xx", "status", "http-status", "^unknown \\(HTTP 5\\d\\d\\)$",
      "^status check failed \\(5\\d\\d\\): " PAGE_OR_STATUS "$" },
    { "5xx", "console", "http-status", "^console failed \\(5\\d\\d\\): " PAGE_OR_STATUS " — ", "" },

    // 429: rate limited; like 5xx, with the CP's reason where the contract lets it through.
    { "429", "provision", "http-status",
      "^provision failed \\(429\\): rate limit exceeded" AFTER2 "$", "failed" },
    { "429", "stop", "http-status", "^stop failed \\(429\\): .*rate limit exceeded.*$", "" },
    { "429", "status", "http-status", "^unknown \\(HTTP 429\\)$",
      "^status check failed \\(429\\): unexpected status$" },
    { "429", "console", "http-status", "^console failed \\(429\\): unexpected status — ", "" },

    // malformed: the CP did the work and answered 2xx with a body that breaks the contract.
    // Provision: an instance may exist (201), so the journal says unknown. Stop: any 2xx is
    // success by contract, the body is not read.
    { "malformed", "provision", "decode",
      "^provision failed: (undecodable response \\(\\d+ bytes\\)|201 without an instance_id)$",
      "unknown" },
    { "malformed", "stop", "ok", ": instance mol-ws-[0-9a-f]{17} stopped$", "" },
    { "malformed", "status", "decode", "^unknown \\(bad answer\\)$",
      "^status check failed: (undecodable answer \\(\\d+ bytes\\)|no \"state\" in the answer)$" },
    { "malformed", "console", "decode",
      "^console failed: (undecodable answer \\(\\d+ bytes\\)|no \"output\" in the answer) — ", "" },

    // oversize: a body over the route's cap (stop: a 502 error page over its 512-byte excerpt).
    { "oversize", "provision", "decode",
      "^provision failed: response larger than 64 KiB( \\(declared \\d+ bytes\\))?$", "unknown" },
    // An HTML error page shows as its title and server, never its markup.
    { "oversize", "stop", "http-status", "^stop failed \\(502\\): Bad Gateway — nginx$", "" },
    { "oversize", "status", "decode", "^unknown \\(bad answer\\)$",
      "^status check failed: response larger than 64 KiB( \\(declared \\d+ bytes\\))?$" },
    { "oversize", "console", "decode",
      "^console failed: response larger than 256 KiB( \\(declared \\d+ bytes\\))? — ", "" },

    // drip: one byte per 100 ms; the overall deadline ends it. The CP did the work: provision's
    // outcome is unknown.
    { "drip", "provision", "timeout", "^provision failed: " TIMED_OUT AFTER2 "$", "unknown" },
    { "drip", "stop", "timeout", "^stop failed: " TIMED_OUT "$", "" },
    { "drip", "status", "timeout", "^unknown \\(timeout\\)$",
      "^status check failed: " TIMED_OUT "$" },
    { "drip", "console", "timeout", "^console failed: " TIMED_OUT " — ", "" },

    // drop: the CP did the work and the connection was cut mid-answer: provision's outcome is
    // unknown (an instance may exist), exactly as after a timeout.
    { "drop", "provision", "transport", "^provision failed: " CUT_OFF AFTER2 "$", "unknown" },
    { "drop", "stop", "transport", "^stop failed: " CUT_OFF "$", "" },
    { "drop", "status", "transport", "^unknown \\(CP unreachable\\)$",
      "^status check failed: " CUT_OFF "$" },
    { "drop", "console", "transport", "^console failed: " CUT_OFF " — ", "" },

    // timeout: no answer at all.
    { "timeout", "provision", "timeout", "^provision failed: " TIMED_OUT AFTER2 "$", "unknown" },
    { "timeout", "stop", "timeout", "^stop failed: " TIMED_OUT "$", "" },
    { "timeout", "status", "timeout", "^unknown \\(timeout\\)$",
      "^status check failed: " TIMED_OUT "$" },
    { "timeout", "console", "timeout", "^console failed: " TIMED_OUT " — ", "" },

    // error-rate: one of 5xx, 429, malformed or drop per request; any of their results.
    { "error-rate", "provision", "http-status|decode|transport",
      "^provision failed(: (undecodable response \\(\\d+ bytes\\)|201 without an instance_id)"
      "| \\((5\\d\\d|429)\\): .+" AFTER2 "|: " CUT_OFF AFTER2 ")$",
      "failed|unknown" },
    { "error-rate", "stop", "ok|http-status|transport",
      "^stop failed \\((5\\d\\d|429)\\): .+$|^stop failed: " CUT_OFF
      "$|: instance mol-ws-[0-9a-f]{17} stopped$",
      "" },
    { "error-rate", "status", "http-status|decode|transport",
      "^unknown \\((HTTP (5\\d\\d|429)|bad answer|CP unreachable)\\)$",
      "^status check failed( \\((5\\d\\d|429)\\): " PAGE_OR_STATUS "|: undecodable answer \\(\\d+ "
      "bytes\\)"
      "|: no \"state\" in the answer|: " CUT_OFF ")$" },
    { "error-rate", "console", "http-status|decode|transport",
      "^console failed( \\((5\\d\\d|429)\\): " PAGE_OR_STATUS "|: undecodable answer \\(\\d+ "
      "bytes\\)"
      "|: no \"output\" in the answer|: " CUT_OFF ") — ",
      "" },
};

#undef CUT_OFF
#undef AFTER2
#undef TIMED_OUT

inline const Expected *expectationFor(const QString &fault, const QString &call)
{
    for (const Expected &e : kExpected) {
        if (fault == QLatin1String(e.fault) && call == QLatin1String(e.call))
            return &e;
    }
    return nullptr;
}

inline QString specFor(FaultKind kind, SimRoute route)
{
    QString s = simRouteName(route) + u'.' + faultName(kind);
    if (kind == FaultKind::Latency)
        s += QStringLiteral("=%1").arg(kLatencyMs);
    return s;
}

} // namespace cpc::test::faultmatrix
