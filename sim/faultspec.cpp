#include "faultspec.h"

#include <QRandomGenerator>
#include <QStringList>

#include <iterator>

namespace cpc {

QString simRouteName(SimRoute route)
{
    switch (route) {
    case SimRoute::Provision:
        return QStringLiteral("provision");
    case SimRoute::Stop:
        return QStringLiteral("stop");
    case SimRoute::Status:
        return QStringLiteral("status");
    case SimRoute::Console:
        return QStringLiteral("console");
    }
    return {};
}

std::optional<SimRoute> simRouteFromName(const QString &name)
{
    for (SimRoute r : kAllSimRoutes) {
        if (simRouteName(r) == name)
            return r;
    }
    return std::nullopt;
}

namespace {

constexpr FaultKind kAllFaults[]
    = { FaultKind::Latency,   FaultKind::ServerError, FaultKind::TooManyRequests,
        FaultKind::Malformed, FaultKind::Oversize,    FaultKind::Drip,
        FaultKind::Drop,      FaultKind::Timeout,     FaultKind::ErrorRate };

// The order in which faults are tried on a request: the ones that lose the answer first, so
// that a spec combining them behaves the same whatever order the user wrote it in.
constexpr FaultKind kRollOrder[] = {
    FaultKind::Timeout,         FaultKind::Drop,      FaultKind::Drip,     FaultKind::ServerError,
    FaultKind::TooManyRequests, FaultKind::Malformed, FaultKind::Oversize, FaultKind::ErrorRate
};

constexpr FaultKind kErrorRatePicks[]
    = { FaultKind::ServerError, FaultKind::TooManyRequests, FaultKind::Malformed, FaultKind::Drop };

constexpr int kMaxLatencyMs = 600'000;

std::optional<FaultKind> faultFromName(const QString &name)
{
    for (FaultKind k : allFaultKinds()) {
        if (faultName(k) == name)
            return k;
    }
    return std::nullopt;
}

QString routeList()
{
    QStringList names;
    for (SimRoute r : kAllSimRoutes)
        names << simRouteName(r);
    return names.join(QStringLiteral(", "));
}

QString faultList()
{
    QStringList names;
    for (FaultKind k : allFaultKinds())
        names << faultName(k);
    return names.join(QStringLiteral(", "));
}

Error specError(const QString &item, const QString &why)
{
    return Error::make(Error::Kind::Config,
                       QStringLiteral("fault spec: %1 in item '%2'").arg(why, item));
}

QString formatValue(double v)
{
    return QString::number(v, 'g', 6);
}

} // namespace

QList<FaultKind> allFaultKinds()
{
    return QList<FaultKind>(std::begin(kAllFaults), std::end(kAllFaults));
}

QString faultName(FaultKind kind)
{
    switch (kind) {
    case FaultKind::Latency:
        return QStringLiteral("latency");
    case FaultKind::ServerError:
        return QStringLiteral("5xx");
    case FaultKind::TooManyRequests:
        return QStringLiteral("429");
    case FaultKind::Malformed:
        return QStringLiteral("malformed");
    case FaultKind::Oversize:
        return QStringLiteral("oversize");
    case FaultKind::Drip:
        return QStringLiteral("drip");
    case FaultKind::Drop:
        return QStringLiteral("drop");
    case FaultKind::Timeout:
        return QStringLiteral("timeout");
    case FaultKind::ErrorRate:
        return QStringLiteral("error-rate");
    }
    return {};
}

Result<FaultSpec> FaultSpec::parse(const QString &spec)
{
    FaultSpec out;
    const QString trimmed = spec.trimmed();
    if (trimmed.isEmpty() || trimmed.compare(QLatin1String("none"), Qt::CaseInsensitive) == 0)
        return out;

    const QStringList parts = trimmed.split(u',');
    for (const QString &rawItem : parts) {
        const QString item = rawItem.trimmed();
        if (item.isEmpty())
            return Error::make(
                Error::Kind::Config,
                QStringLiteral("fault spec: empty item in '%1' (stray comma?)").arg(trimmed));
        if (item.compare(QLatin1String("none"), Qt::CaseInsensitive) == 0)
            return specError(item, QStringLiteral("'none' must stand alone"));

        const qsizetype eq = item.indexOf(u'=');
        const QString name = (eq < 0 ? item : item.left(eq)).trimmed().toLower();
        const std::optional<QString> valueText
            = eq < 0 ? std::nullopt : std::optional<QString>(item.mid(eq + 1).trimmed());

        Item parsed;
        QString faultPart = name;
        if (const qsizetype dot = name.indexOf(u'.'); dot >= 0) {
            const QString routePart = name.left(dot);
            parsed.route = simRouteFromName(routePart);
            if (!parsed.route)
                return specError(
                    item,
                    QStringLiteral("unknown route '%1' (expected %2)").arg(routePart, routeList()));
            faultPart = name.mid(dot + 1);
        }
        const std::optional<FaultKind> kind = faultFromName(faultPart);
        if (!kind)
            return specError(
                item,
                QStringLiteral("unknown fault '%1' (expected %2)").arg(faultPart, faultList()));
        parsed.kind = *kind;

        if (parsed.kind == FaultKind::Latency) {
            if (!valueText || valueText->isEmpty())
                return specError(
                    item,
                    QStringLiteral("latency needs a value in milliseconds (e.g. latency=250)"));
            bool ok = false;
            const int ms = valueText->toInt(&ok);
            if (!ok || ms < 0 || ms > kMaxLatencyMs)
                return specError(
                    item,
                    QStringLiteral("bad latency '%1' (expected whole milliseconds from 0 to %2)")
                        .arg(*valueText)
                        .arg(kMaxLatencyMs));
            parsed.value = ms;
        } else if (valueText) {
            QString text = *valueText;
            double scale = 1.0;
            if (text.endsWith(u'%')) {
                text.chop(1);
                scale = 0.01;
            }
            bool ok = false;
            const double p = text.trimmed().toDouble(&ok) * scale;
            if (!ok || text.trimmed().isEmpty() || !(p >= 0.0 && p <= 1.0))
                return specError(
                    item,
                    QStringLiteral(
                        "bad probability '%1' (expected a number from 0 to 1, or a percentage)")
                        .arg(*valueText));
            parsed.value = p;
        }

        for (const Item &existing : std::as_const(out.m_items)) {
            if (existing.kind == parsed.kind && existing.route == parsed.route)
                return specError(
                    item,
                    QStringLiteral("'%1' is given twice")
                        .arg((parsed.route ? simRouteName(*parsed.route) + u'.' : QString())
                             + faultName(parsed.kind)));
        }
        out.m_items.append(parsed);
    }
    return out;
}

QString FaultSpec::toString() const
{
    if (m_items.isEmpty())
        return QStringLiteral("none");
    QStringList parts;
    for (const Item &i : m_items) {
        QString s = i.route ? simRouteName(*i.route) + u'.' : QString();
        s += faultName(i.kind);
        if (i.kind == FaultKind::Latency)
            s += u'=' + QString::number(int(i.value));
        else if (i.value != 1.0)
            s += u'=' + formatValue(i.value);
        parts << s;
    }
    return parts.join(u',');
}

std::optional<double> FaultSpec::value(FaultKind kind, SimRoute route) const
{
    std::optional<double> global;
    for (const Item &i : m_items) {
        if (i.kind != kind)
            continue;
        if (i.route == route)
            return i.value;
        if (!i.route)
            global = i.value;
    }
    return global;
}

int FaultSpec::latencyMs(SimRoute route) const
{
    return int(value(FaultKind::Latency, route).value_or(0.0));
}

std::optional<FaultKind> FaultSpec::roll(SimRoute route, QRandomGenerator &rng) const
{
    for (FaultKind k : kRollOrder) {
        const std::optional<double> p = value(k, route);
        if (!p || *p <= 0.0)
            continue;
        if (rng.generateDouble() >= *p)
            continue;
        if (k == FaultKind::ErrorRate)
            return kErrorRatePicks[rng.bounded(int(std::size(kErrorRatePicks)))];
        return k;
    }
    return std::nullopt;
}

} // namespace cpc
