#include "simulator.h"

#include "bootlog.h"
#include "httpserver.h"
#include "logging.h"
#include "siminstance.h"
#include "validation.h"

#include <QDateTime>
#include <QJsonArray>
#include <QTimer>

#include <algorithm>

namespace cpc {

namespace {

constexpr qint64 kConsoleKeepBytes
    = qint64(320) * 1024; // retained per instance, above the 256 KiB cap
constexpr qint64 kMaxCatchUpSteps = 1500; // bounds the work of one catch-up after a long idle

quint32 fnv1a(const QString &s)
{
    quint32 h = 2166136261u;
    for (char c : s.toUtf8()) {
        h ^= quint8(c);
        h *= 16777619u;
    }
    return h;
}

} // namespace

Simulator::Simulator(SimulatorOptions options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_faultRng(m_options.seed)
    , m_idRng(m_options.seed ^ 0x9e3779b9u)
{
    m_clock.start();
    m_server = new MiniHttpServer(
        [this](const HttpRequest &req, const MiniHttpServer::Responder &respond) {
            handle(req, respond);
        },
        this);
}

Simulator::~Simulator() = default;

bool Simulator::start(QString *error)
{
    const Result<FaultSpec> spec = FaultSpec::parse(m_options.faults);
    if (!spec) {
        if (error)
            *error = spec.error().message;
        return false;
    }
    m_faults = spec.value();
    if (!m_server->listen(QHostAddress::LocalHost, m_options.port)) {
        if (error)
            *error = QStringLiteral("cannot listen on 127.0.0.1:%1: %2")
                         .arg(m_options.port)
                         .arg(m_server->errorString());
        return false;
    }
    qCDebug(lcSim).noquote() << "CP simulator listening on" << baseUrl().toString()
                             << "faults:" << m_faults.toString();
    return true;
}

void Simulator::close()
{
    m_server->close();
}

bool Simulator::isListening() const
{
    return m_server->port() != 0;
}

QUrl Simulator::baseUrl() const
{
    return m_server->baseUrl();
}

quint16 Simulator::port() const
{
    return m_server->port();
}

bool Simulator::setFaults(const QString &spec, QString *error)
{
    const Result<FaultSpec> parsed = FaultSpec::parse(spec);
    if (!parsed) {
        if (error)
            *error = parsed.error().message;
        return false;
    }
    m_faults = parsed.value();
    qCDebug(lcSim).noquote() << "faults now" << m_faults.toString();
    Q_EMIT faultsChanged(m_faults.toString());
    return true;
}

QString Simulator::faults() const
{
    return m_faults.toString();
}

QString Simulator::stateName(State s)
{
    switch (s) {
    case State::Pending:
        return QStringLiteral("pending");
    case State::Running:
        return QStringLiteral("running");
    case State::Stopping:
        return QStringLiteral("stopping");
    case State::Terminated:
        return QStringLiteral("terminated");
    case State::Failed:
        return QStringLiteral("failed");
    }
    return {};
}

// --- instances -------------------------------------------------------------------------------

Simulator::Instance *Simulator::find(const QString &instanceId) const
{
    const auto it = m_instances.find(instanceId);
    return it == m_instances.end() ? nullptr : it->second.get();
}

QString Simulator::newInstanceId()
{
    static const char hex[] = "0123456789abcdef";
    for (;;) {
        QString id = QStringLiteral("mol-ws-");
        for (int i = 0; i < 17; ++i)
            id += QChar::fromLatin1(hex[m_idRng.bounded(16)]);
        if (!find(id))
            return id;
    }
}

QString Simulator::newPrivateIp()
{
    return QStringLiteral("10.%1.%2.%3")
        .arg(m_idRng.bounded(4))
        .arg(m_idRng.bounded(256))
        .arg(m_idRng.bounded(2, 255));
}

Simulator::Instance &Simulator::create(const QString &workspaceId, const QString &runtime,
                                       bool panics)
{
    auto inst = std::make_unique<Instance>();
    inst->id = newInstanceId();
    inst->workspaceId = workspaceId;
    inst->runtime = runtime;
    inst->privateIp = newPrivateIp();
    inst->panics = panics;
    inst->seed = m_options.seed ^ fnv1a(inst->id);
    inst->createdAt = now();
    inst->wallCreated = QDateTime::currentDateTimeUtc();
    Instance &ref = *inst;
    m_instances.emplace(ref.id, std::move(inst));
    m_latestByWorkspace.insert(workspaceId, ref.id);
    ++m_created;
    return ref;
}

void Simulator::setState(Instance &inst, State state)
{
    if (inst.state == state)
        return;
    inst.state = state;
    qCDebug(lcSim).noquote() << inst.id << "of" << inst.workspaceId << "is now" << stateName(state);
    Q_EMIT instanceStateChanged(inst.workspaceId, inst.id, stateName(state));
}

void Simulator::scheduleBoot(const QString &instanceId, int afterMs)
{
    QTimer::singleShot(std::max(0, afterMs), this, [this, instanceId] {
        Instance *inst = find(instanceId);
        if (!inst || inst->state != State::Pending)
            return;
        inst->bootEndedAt = now();
        setState(*inst, inst->panics ? State::Failed : State::Running);
    });
}

void Simulator::scheduleTermination(const QString &instanceId, int afterMs)
{
    QTimer::singleShot(std::max(0, afterMs), this, [this, instanceId] {
        Instance *inst = find(instanceId);
        if (!inst || inst->state != State::Stopping)
            return;
        inst->terminatedAt = now();
        setState(*inst, State::Terminated);
    });
}

bool Simulator::wantsPanic(const QString &workspaceId, const QString &runtime, const QString &templ,
                           const QString &outcomeEnv)
{
    const auto asks = [](const QString &s) {
        return s.contains(QLatin1String("panic"), Qt::CaseInsensitive)
            || s.contains(QLatin1String("fail"), Qt::CaseInsensitive);
    };
    if (asks(runtime) || asks(templ) || asks(outcomeEnv)
        || workspaceId.contains(QLatin1String("panic"), Qt::CaseInsensitive))
        return true;
    if (m_options.failFraction <= 0.0)
        return false;
    const quint32 seedData[] = { m_options.seed, quint32(m_created), fnv1a(workspaceId) };
    QRandomGenerator rng(seedData, 3);
    return rng.generateDouble() < m_options.failFraction;
}

void Simulator::adopt(const QList<WorkspaceRow> &rows)
{
    const qint64 t = now();
    const QDateTime wallNow = QDateTime::currentDateTimeUtc();
    int adopted = 0;
    for (const WorkspaceRow &row : rows) {
        if (row.instanceId.isEmpty() || find(row.instanceId))
            continue;
        if (!validation::checkInstanceId(row.instanceId) || !validation::checkWorkspaceId(row.id)) {
            qCDebug(lcSim) << "adopt: skipping a row with an invalid ID";
            continue;
        }
        auto inst = std::make_unique<Instance>();
        inst->id = row.instanceId;
        inst->workspaceId = row.id;
        inst->runtime = row.runtime.isEmpty() ? QStringLiteral("python") : row.runtime;
        const QUrl url(row.url);
        inst->privateIp = url.host().startsWith(QLatin1String("10.")) ? url.host() : newPrivateIp();
        inst->seed = m_options.seed ^ fnv1a(inst->id);

        // How long it has been up: some for minutes (the boot is on screen), some for days.
        QRandomGenerator rng(inst->seed);
        const qint64 uptime = rng.bounded(2) == 0 ? qint64(30'000 + rng.bounded(150'000))
                                                  : qint64(3600'000) * (1 + rng.bounded(24 * 20));
        const QString &s = row.status;
        if (s == QLatin1String("online") || s == QLatin1String("degraded")
            || s == QLatin1String("awaiting_agent")) {
            inst->state = State::Running;
            inst->bootEndedAt = t - uptime;
        } else if (s == QLatin1String("failed")) {
            inst->state = State::Failed;
            inst->panics = true;
            inst->bootEndedAt = t - uptime;
        } else if (s == QLatin1String("provisioning")) {
            inst->state = State::Pending;
            inst->panics = wantsPanic(row.id, inst->runtime, {}, {});
        } else if (s == QLatin1String("hibernating")) {
            inst->state = State::Stopping;
            inst->bootEndedAt = t - uptime;
            inst->stoppingAt = t;
        } else {
            // A stale instance ID on a row without compute: the CP knows it as terminated.
            inst->state = State::Terminated;
            inst->bootEndedAt = t - uptime - 60'000;
            inst->stoppingAt = t - 60'000;
            inst->terminatedAt = t - 60'000 + m_options.stopMs;
        }
        inst->createdAt = inst->state == State::Pending ? t : inst->bootEndedAt - m_options.bootMs;
        inst->lastTickAt = inst->bootEndedAt;
        inst->wallCreated = wallNow.addMSecs(inst->createdAt - t);
        const QString id = inst->id;
        const State state = inst->state;
        if (!m_latestByWorkspace.contains(row.id))
            m_latestByWorkspace.insert(row.id, id);
        m_instances.emplace(id, std::move(inst));
        if (state == State::Pending)
            scheduleBoot(id, m_options.bootMs);
        else if (state == State::Stopping)
            scheduleTermination(id, m_options.stopMs);
        ++adopted;
    }
    qCDebug(lcSim) << "adopted" << adopted << "instances from" << rows.size() << "rows";
}

std::optional<SimInstanceInfo> Simulator::instance(const QString &instanceId) const
{
    const Instance *inst = find(instanceId);
    if (!inst)
        return std::nullopt;
    return SimInstanceInfo { inst->id,        inst->workspaceId, stateName(inst->state),
                             inst->privateIp, inst->runtime,     inst->idempotencyKey };
}

QString Simulator::latestInstanceId(const QString &workspaceId) const
{
    return m_latestByWorkspace.value(workspaceId);
}

// --- console ---------------------------------------------------------------------------------

void Simulator::appendConsole(Instance &inst, const QByteArray &bytes)
{
    if (bytes.isEmpty())
        return;
    inst.console += bytes;
    inst.consoleTotal += bytes.size();
    const qint64 keep = std::max<qint64>(kConsoleKeepBytes, m_options.consoleWindowBytes);
    if (inst.console.size() > keep + qint64(64) * 1024)
        inst.console.remove(0, inst.console.size() - keep);
}

void Simulator::advanceConsole(Instance &inst)
{
    const qint64 t = now();
    const qint64 step = std::max(1, m_options.consoleGrowthMs);
    if (!inst.log) {
        BootLog::Params p;
        p.seed = inst.seed;
        p.hostname = QStringLiteral("ip-") + QString(inst.privateIp).replace(u'.', u'-');
        p.runtime = inst.runtime;
        p.instanceId = inst.id;
        p.privateIp = inst.privateIp;
        p.panics = inst.panics;
        p.bootTime = inst.wallCreated;
        inst.log = std::make_unique<BootLog>(p);
    }
    BootLog &log = *inst.log;

    // Boot: by whole growth steps while pending, all at once when it is over.
    if (!log.bootFinished()) {
        if (inst.bootEndedAt >= 0 && !inst.bootCut) {
            appendConsole(inst, log.finishBoot());
            inst.lastTickAt = inst.bootEndedAt;
        } else {
            const qint64 until = inst.stoppingAt >= 0 ? inst.stoppingAt : t;
            const qint64 steps = std::max<qint64>(0, until - inst.createdAt) / step;
            appendConsole(
                inst,
                log.advanceBoot(double(steps * step) / double(std::max(1, m_options.bootMs))));
            return;
        }
    }
    if (inst.panics)
        return; // a panicked kernel prints nothing more

    // Running: a few lines per growth step, up to the stop.
    const qint64 runEnd = inst.stoppingAt >= 0 ? inst.stoppingAt : t;
    qint64 steps = std::max<qint64>(0, runEnd - inst.lastTickAt) / step;
    if (steps > kMaxCatchUpSteps) {
        log.addUptime((steps - kMaxCatchUpSteps) * step);
        inst.lastTickAt += (steps - kMaxCatchUpSteps) * step;
        steps = kMaxCatchUpSteps;
    }
    for (qint64 i = 0; i < steps; ++i)
        appendConsole(inst, log.runningTick(step));
    inst.lastTickAt += steps * step;
    if (inst.stoppingAt < 0)
        return;

    // Shutdown.
    if (inst.terminatedAt >= 0) {
        appendConsole(inst, log.finishShutdown());
    } else {
        const qint64 s = std::max<qint64>(0, t - inst.stoppingAt) / step;
        appendConsole(
            inst, log.advanceShutdown(double(s * step) / double(std::max(1, m_options.stopMs))));
    }
}

QByteArray Simulator::consoleWindow(const Instance &inst) const
{
    const qint64 window = std::max(1, m_options.consoleWindowBytes);
    QByteArray out = inst.console.size() > window ? inst.console.right(window) : inst.console;
    // Do not start in the middle of a UTF-8 sequence.
    int skip = 0;
    while (skip < 3 && skip < out.size() && (quint8(out[skip]) & 0xc0) == 0x80)
        ++skip;
    return skip ? out.mid(skip) : out;
}

QByteArray Simulator::consoleBytes(const QString &instanceId, qint64 *totalBytes)
{
    Instance *inst = find(instanceId);
    if (!inst) {
        if (totalBytes)
            *totalBytes = 0;
        return {};
    }
    advanceConsole(*inst);
    if (totalBytes)
        *totalBytes = inst->consoleTotal;
    return inst->console;
}

void Simulator::count(const QString &route, const QString &outcome, int httpStatus)
{
    ++m_counts[route][outcome];
    Q_EMIT requestHandled(route, outcome, httpStatus);
}

qint64 Simulator::requestCount(const QString &route, const QString &outcome) const
{
    const QHash<QString, qint64> byOutcome = m_counts.value(route);
    if (!outcome.isEmpty())
        return byOutcome.value(outcome);
    qint64 total = 0;
    for (qint64 n : byOutcome)
        total += n;
    return total;
}

int Simulator::peakConcurrentRequests() const
{
    return m_server->peakRequestsInProgress();
}

void Simulator::resetPeakConcurrentRequests()
{
    m_server->resetPeakRequests();
}

QJsonObject Simulator::stats() const
{
    QJsonObject requests;
    QStringList routes;
    for (SimRoute r : kAllSimRoutes)
        routes << simRouteName(r);
    routes << kOtherRoute;
    for (const QString &route : std::as_const(routes)) {
        QJsonObject o { { QStringLiteral("total"), requestCount(route) } };
        const QHash<QString, qint64> byOutcome = m_counts.value(route);
        for (auto it = byOutcome.cbegin(); it != byOutcome.cend(); ++it)
            o.insert(it.key(), it.value());
        requests.insert(route, o);
    }
    QJsonObject states;
    for (State s :
         { State::Pending, State::Running, State::Stopping, State::Terminated, State::Failed })
        states.insert(stateName(s), 0);
    for (const auto &[id, inst] : m_instances)
        states.insert(stateName(inst->state), states.value(stateName(inst->state)).toInt() + 1);
    states.insert(QStringLiteral("total"), int(m_instances.size()));
    return QJsonObject {
        { QStringLiteral("faults"), m_faults.toString() },
        { QStringLiteral("seed"), qint64(m_options.seed) },
        { QStringLiteral("uptime_ms"), m_clock.elapsed() },
        { QStringLiteral("instances"), states },
        { QStringLiteral("requests"), requests },
    };
}

} // namespace cpc
