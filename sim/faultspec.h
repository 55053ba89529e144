#pragma once

#include "result.h"

#include <QList>
#include <QString>

#include <optional>

class QRandomGenerator;

namespace cpc {

/// The four routes of the CP contract, as the simulator names them in fault specs and stats.
enum class SimRoute { Provision, Stop, Status, Console };
inline constexpr SimRoute kAllSimRoutes[]
    = { SimRoute::Provision, SimRoute::Stop, SimRoute::Status, SimRoute::Console };
QString simRouteName(SimRoute route); ///< "provision", "stop", "status", "console"
std::optional<SimRoute> simRouteFromName(const QString &name);

/// What the simulator can do to an answer.
enum class FaultKind {
    Latency, ///< value: added delay in ms before the first byte
    ServerError, ///< "5xx": 500/502/503/504, nothing is done
    TooManyRequests, ///< "429" with Retry-After, nothing is done
    Malformed, ///< the request is carried out, the 2xx body is not valid per the contract
    Oversize, ///< a body over the route's cap (stop: a 502 error page over 512 bytes)
    Drip, ///< the request is carried out, the answer is sent 1 byte per 100 ms
    Drop, ///< the request is carried out, the connection is closed mid-answer
    Timeout, ///< no answer within 5 minutes (then a 504)
    ErrorRate, ///< one of 5xx, 429, malformed or drop, picked at random
};
QString faultName(FaultKind kind); ///< the spelling in a spec: "latency", "5xx", "error-rate", …
/// Every fault the simulator can inject, in the order the parser lists them in its errors. The
/// parser accepts exactly these; tests iterate it so that a new fault cannot go untested.
QList<FaultKind> allFaultKinds();

/// A parsed fault specification for the simulator (`cpctl sim --faults`, `PUT /sim/faults`).
///
/// Grammar: comma-separated items, whitespace around items ignored:
///
///     spec  := "" | "none" | item ("," item)*
///     item  := [route "."] fault ["=" value]
///     route := provision | stop | status | console          (absent: every route)
///     fault := latency | 5xx | 429 | malformed | oversize | drip | drop | timeout | error-rate
///
/// `latency` needs a value in milliseconds (0 to 600000). Every other fault takes a
/// probability from 0 to 1 (or a percentage such as `20%`), 1 when omitted. An item for one
/// route overrides the same fault given for all routes; the same fault twice for the same
/// scope is an error. `none` (alone) or an empty spec clears every fault.
///
/// Examples: `5xx=0.2`, `console.oversize`, `latency=300,status.timeout=0.1,error-rate=5%`.
///
/// On a request at most one fault besides latency applies; they are tried in the order
/// timeout, drop, drip, 5xx, 429, malformed, oversize, error-rate, each with its probability,
/// drawing from the caller's seeded generator so a run is reproducible.
class FaultSpec
{
public:
    struct Item
    {
        std::optional<SimRoute> route; ///< empty: every route
        FaultKind kind = FaultKind::ServerError;
        double value = 1.0; ///< probability, or milliseconds for latency
    };

    /// Parses a spec; the error (Kind::Config) names the offending item.
    static Result<FaultSpec> parse(const QString &spec);

    bool isEmpty() const { return m_items.isEmpty(); }
    const QList<Item> &items() const { return m_items; }
    /// The canonical spelling, "none" when empty; parse(toString()) gives the same spec.
    QString toString() const;

    /// The value that applies to a route: its own item, else the all-routes item.
    std::optional<double> value(FaultKind kind, SimRoute route) const;
    int latencyMs(SimRoute route) const;
    /// Rolls the dice for one request; error-rate resolves to the fault it picked. Latency is
    /// not part of the roll (see latencyMs()).
    std::optional<FaultKind> roll(SimRoute route, QRandomGenerator &rng) const;

private:
    QList<Item> m_items;
};

} // namespace cpc
