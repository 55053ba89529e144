#include "simulator.h"

#include "bootlog.h"
#include "httpserver.h"
#include "logging.h"
#include "validation.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTimer>

#include <algorithm>
#include <variant>

namespace cpc {

namespace {

constexpr int kTimeoutFaultMs = 5 * 60 * 1000 + 1000; // "never answers within 5 min"
constexpr int kDripIntervalMs = 100;
constexpr qint64 kConsoleKeepBytes
    = qint64(320) * 1024; // retained per instance, above the 256 KiB cap
constexpr qint64 kMaxCatchUpSteps = 1500; // bounds the work of one catch-up after a long idle

const QString kOther = QStringLiteral("other");
const QString kOk = QStringLiteral("ok");
const QString kUnauthorized = QStringLiteral("unauthorized");
const QString kRejected = QStringLiteral("rejected");

quint32 fnv1a(const QString &s)
{
    quint32 h = 2166136261u;
    for (char c : s.toUtf8()) {
        h ^= quint8(c);
        h *= 16777619u;
    }
    return h;
}

HttpResponse jsonResponse(int status, const QJsonObject &o)
{
    return HttpResponse::json(status, QJsonDocument(o).toJson(QJsonDocument::Compact));
}

HttpResponse errorResponse(int status, const QString &message)
{
    return jsonResponse(status, QJsonObject { { QStringLiteral("error"), message } });
}

bool constantTimeEquals(const QByteArray &a, const QByteArray &b)
{
    if (a.size() != b.size())
        return false;
    unsigned char diff = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    return diff == 0;
}

QByteArray nginxPage(int status, const QByteArray &reason, int paddingLines = 6)
{
    const QByteArray title = QByteArray::number(status) + ' ' + reason;
    QByteArray page = "<html>\r\n<head><title>" + title
        + "</title></head>\r\n<body>\r\n<center><h1>" + title
        + "</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";
    for (int i = 0; i < paddingLines; ++i)
        page += "<!-- a padding to disable MSIE and Chrome friendly error page -->\r\n";
    return page;
}

HttpResponse htmlResponse(int status, const QByteArray &reason, int paddingLines = 6)
{
    HttpResponse r;
    r.status = status;
    r.setHeader("Content-Type", "text/html");
    r.setHeader("Server", "nginx");
    r.body = nginxPage(status, reason, paddingLines);
    return r;
}

/// Roughly what MiniHttpServer puts before the body, so "drop" can cut inside the body.
qint64 headerBytes(const HttpResponse &r)
{
    qint64 n = 17 + 21 + QByteArray::number(r.body.size()).size();
    for (const auto &[name, value] : r.headers)
        n += name.size() + value.size() + 4;
    return n;
}

QByteArray padding(qint64 bytes, const QByteArray &line)
{
    QByteArray out;
    out.reserve(bytes + line.size());
    int i = 0;
    while (out.size() < bytes)
        out += line + ' ' + QByteArray::number(++i) + '\n';
    return out;
}

/// A JSON string literal that keeps non-ASCII bytes raw (so invalid UTF-8 stays invalid).
QByteArray rawJsonString(const QByteArray &bytes)
{
    QByteArray out = "\"";
    out.reserve(bytes.size() + bytes.size() / 8 + 2);
    for (char ch : bytes) {
        const auto c = static_cast<unsigned char>(ch);
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            if (c < 0x20)
                out += "\\u00" + QByteArray::number(c, 16).rightJustified(2, '0');
            else
                out += ch;
        }
    }
    return out + '"';
}

} // namespace

struct Simulator::Instance
{
    QString id;
    QString workspaceId;
    QString runtime;
    QString privateIp;
    QString idempotencyKey;
    State state = State::Pending;
    bool panics = false;
    quint32 seed = 0;
    qint64 createdAt = 0; ///< simulator clock, ms; negative for adopted instances
    qint64 bootEndedAt = -1; ///< running or failed since
    qint64 stoppingAt = -1;
    qint64 terminatedAt = -1;
    bool bootCut = false; ///< stopped before the boot finished: powered off, no shutdown lines
    qint64 lastTickAt = 0;
    QDateTime wallCreated;
    std::unique_ptr<BootLog> log;
    QByteArray console; ///< the newest kConsoleKeepBytes (or window) bytes
    qint64 consoleTotal = 0;
};

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

// --- HTTP ------------------------------------------------------------------------------------

bool Simulator::authorized(const HttpRequest &req, bool adminRoute) const
{
    const Secret &bearer = adminRoute ? m_options.adminApiKey : m_options.sharedSecret;
    if (!bearer.isEmpty()
        && !constantTimeEquals(req.header("Authorization"), "Bearer " + bearer.reveal().toUtf8()))
        return false;
    if (!m_options.adminToken.isEmpty()
        && !constantTimeEquals(req.header("X-Molecule-Admin-Token"),
                               m_options.adminToken.reveal().toUtf8()))
        return false;
    return true;
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

QJsonObject Simulator::stats() const
{
    QJsonObject requests;
    QStringList routes;
    for (SimRoute r : kAllSimRoutes)
        routes << simRouteName(r);
    routes << kOther;
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

void Simulator::handle(const HttpRequest &req, const std::function<void(HttpResponse)> &respond)
{
    // Routing works on the raw, still percent-encoded segments: an encoded '/' or ".." inside
    // an ID stays inside that segment and is refused by validation, never re-routed.
    QList<QByteArray> seg = req.path.split('/');
    const bool rooted = seg.size() >= 2 && seg.front().isEmpty();
    if (rooted)
        seg.removeFirst();
    SimRoute route = SimRoute::Provision;
    bool matched = false; // a contract route with the right method
    QByteArray idSegment;
    QByteArray allow;
    QByteArray control;
    const QByteArray &m = req.method;
    if (rooted && seg.size() == 3 && seg[0] == "cp" && seg[1] == "workspaces") {
        if (seg[2] == "provision" && m == "POST") {
            route = SimRoute::Provision;
            matched = true;
        } else {
            route = SimRoute::Stop;
            matched = m == "DELETE";
            idSegment = seg[2];
            allow = seg[2] == "provision" ? "POST, DELETE" : "DELETE";
        }
    } else if (rooted && seg.size() == 4 && seg[0] == "cp" && seg[1] == "workspaces"
               && seg[3] == "status") {
        allow = "GET";
        idSegment = seg[2];
        route = SimRoute::Status;
        matched = m == "GET";
    } else if (rooted && seg.size() == 5 && seg[0] == "cp" && seg[1] == "admin"
               && seg[2] == "workspaces" && seg[4] == "console") {
        allow = "GET";
        idSegment = seg[3];
        route = SimRoute::Console;
        matched = m == "GET";
    } else if (rooted && seg.size() == 2 && seg[0] == "sim"
               && (seg[1] == "faults" || seg[1] == "stats")) {
        control = seg[1];
        allow = seg[1] == "faults" ? "GET, PUT" : "GET";
    }

    qCDebug(lcSim).noquote() << "request" << QString::fromLatin1(m)
                             << QString::fromLatin1(req.path.left(200));

    if (!control.isEmpty()) {
        const HttpResponse r = controlRoute(control, req);
        count(kOther, r.status < 300 ? kOk : kRejected, r.status);
        respond(r);
        return;
    }
    if (!matched) {
        HttpResponse r = allow.isEmpty() ? errorResponse(404, QStringLiteral("not found"))
                                         : errorResponse(405, QStringLiteral("method not allowed"));
        if (!allow.isEmpty())
            r.setHeader("Allow", allow);
        count(kOther, kRejected, r.status);
        respond(r);
        return;
    }

    const SimRoute r = route;
    const QString routeName = simRouteName(r);
    std::optional<FaultKind> fault = m_faults.roll(r, m_faultRng);
    const int latency = m_faults.latencyMs(r);
    auto finish = [&](HttpResponse resp, const QString &outcome) {
        resp.delayMs += latency;
        count(routeName, outcome, resp.status);
        respond(std::move(resp));
    };

    // Faults that refuse the request before anything happens.
    if (fault == FaultKind::Timeout) {
        HttpResponse resp = htmlResponse(504, "Gateway Time-out");
        resp.delayMs = kTimeoutFaultMs;
        finish(resp, faultName(*fault));
        return;
    }
    if (fault == FaultKind::ServerError) {
        HttpResponse resp;
        switch (m_faultRng.bounded(4)) {
        case 0:
            resp = errorResponse(500, QStringLiteral("internal error"));
            break;
        case 1:
            resp = htmlResponse(502, "Bad Gateway");
            break;
        case 2:
            resp = errorResponse(503, QStringLiteral("service unavailable"));
            resp.setHeader("Retry-After", "2");
            break;
        default:
            resp = htmlResponse(504, "Gateway Time-out");
            break;
        }
        finish(resp, faultName(*fault));
        return;
    }
    if (fault == FaultKind::TooManyRequests) {
        HttpResponse resp = errorResponse(429, QStringLiteral("rate limit exceeded"));
        resp.setHeader("Retry-After", "1");
        finish(resp, faultName(*fault));
        return;
    }
    if (fault == FaultKind::Oversize && r == SimRoute::Stop) {
        // An error page bigger than the 512 bytes the client reads of a stop error.
        finish(htmlResponse(502, "Bad Gateway", 16), faultName(*fault));
        return;
    }

    HttpResponse resp;
    QString workspaceId;
    if (!authorized(req, r == SimRoute::Console)) {
        resp = errorResponse(401, QStringLiteral("invalid credentials"));
        resp.setHeader("WWW-Authenticate", "Bearer realm=\"cp\"");
    } else if (r == SimRoute::Provision) {
        resp = provision(req);
    } else {
        workspaceId = QString::fromUtf8(QByteArray::fromPercentEncoding(idSegment));
        if (const VoidResult err = validation::checkWorkspaceId(workspaceId); !err)
            resp = errorResponse(400,
                                 QStringLiteral("invalid workspace ID: ") + err.error().message);
        else if (r == SimRoute::Stop)
            resp = stopInstance(workspaceId, req);
        else if (r == SimRoute::Status)
            resp = status(workspaceId, req);
        else
            resp = console(workspaceId, fault);
    }

    const bool success = resp.status >= 200 && resp.status < 300;
    QString outcome = success ? kOk : resp.status == 401 ? kUnauthorized : kRejected;

    // Faults that spoil a successful answer after the work was done.
    if (success && (fault == FaultKind::Malformed || fault == FaultKind::Oversize)) {
        outcome = faultName(*fault);
        if (r == SimRoute::Console) {
            // console() already built the faulty body
        } else if (fault == FaultKind::Malformed) {
            const QByteArray good = resp.body;
            switch (m_faultRng.bounded(4)) {
            case 0:
                resp.body = good.left(good.size() / 2);
                break; // cut short
            case 1:
                resp.body = "<html><body><h1>" + QByteArray::number(resp.status)
                    + " OK</h1></body></html>";
                resp.headers = { { "Content-Type", "text/html" } };
                break;
            case 2:
                resp.body = r == SimRoute::Provision
                    ? QByteArray(R"({"instance_id":null,"state":"pending","error":""})")
                    : r == SimRoute::Status ? QByteArray(R"({"status":"running"})")
                                            : QByteArray(R"({"ok":"yes")");
                break;
            default:
                resp.body.clear();
                break;
            }
        } else {
            QJsonObject o = QJsonDocument::fromJson(resp.body).object();
            const QByteArray filler
                = padding(qint64(70) * 1024, "provisioner: trace step ok, nothing to report");
            if (r == SimRoute::Provision) {
                o.insert(QStringLiteral("debug"), QString::fromLatin1(filler));
            } else {
                QJsonArray events;
                for (const QByteArray &l : filler.split('\n'))
                    events.append(QString::fromLatin1(l));
                o.insert(QStringLiteral("events"), events);
            }
            resp.body = QJsonDocument(o).toJson(QJsonDocument::Compact);
        }
        // Half the oversized answers declare their length, half stream until the socket closes,
        // so both of the client's caps (declared and counted) get exercised.
        if (fault == FaultKind::Oversize && m_faultRng.bounded(2) == 1) {
            QByteArray raw = "HTTP/1.1 " + QByteArray::number(resp.status)
                + (resp.status == 201 ? " Created" : " OK")
                + "\r\nContent-Type: application/json\r\n" + "Connection: close\r\n\r\n"
                + resp.body;
            resp.raw = raw;
        }
    }
    if (fault == FaultKind::Drip) {
        resp.dripIntervalMs = kDripIntervalMs;
        resp.dripBytes = 1;
        outcome = faultName(*fault);
    } else if (fault == FaultKind::Drop) {
        resp.dropAfterBytes = headerBytes(resp) + resp.body.size() / 2;
        outcome = faultName(*fault);
    }
    finish(resp, outcome);
}

HttpResponse Simulator::controlRoute(const QByteArray &what, const HttpRequest &req)
{
    if (what == "stats") {
        if (req.method != "GET")
            return errorResponse(405, QStringLiteral("method not allowed"));
        return jsonResponse(200, stats());
    }
    if (req.method == "GET")
        return jsonResponse(200, QJsonObject { { QStringLiteral("faults"), faults() } });
    if (req.method != "PUT")
        return errorResponse(405, QStringLiteral("method not allowed"));
    QString error;
    if (!setFaults(QString::fromUtf8(req.body), &error))
        return errorResponse(400, error);
    return jsonResponse(200, QJsonObject { { QStringLiteral("faults"), faults() } });
}

HttpResponse Simulator::provision(const HttpRequest &req)
{
    if (!req.header("Content-Type").toLower().startsWith("application/json")) {
        HttpResponse r
            = errorResponse(415, QStringLiteral("Content-Type must be application/json"));
        r.reason = "Unsupported Media Type";
        return r;
    }
    QJsonParseError perr;
    const QJsonDocument doc = QJsonDocument::fromJson(req.body, &perr);
    if (perr.error != QJsonParseError::NoError || !doc.isObject())
        return errorResponse(400, QStringLiteral("request body is not a JSON object"));
    const QJsonObject body = doc.object();

    QString problem;
    auto string = [&](const char *field, bool required, bool nonEmpty) -> QString {
        const QString name = QString::fromLatin1(field);
        const QJsonValue v = body.value(name);
        if (v.isUndefined()) {
            if (required && problem.isEmpty())
                problem = QStringLiteral("missing field: %1").arg(name);
            return {};
        }
        if (!v.isString()) {
            if (problem.isEmpty())
                problem = QStringLiteral("field %1 must be a string").arg(name);
            return {};
        }
        if (nonEmpty && v.toString().isEmpty() && problem.isEmpty())
            problem = QStringLiteral("field %1 must not be empty").arg(name);
        return v.toString();
    };
    auto integer
        = [&](const char *field, bool required, qint64 lo, qint64 hi) -> std::optional<qint64> {
        const QString name = QString::fromLatin1(field);
        const QJsonValue v = body.value(name);
        if (v.isUndefined()) {
            if (required && problem.isEmpty())
                problem = QStringLiteral("missing field: %1").arg(name);
            return std::nullopt;
        }
        const double d = v.toDouble(-1.5);
        if (!v.isDouble() || d != double(qint64(d)) || d < double(lo) || d > double(hi)) {
            if (problem.isEmpty())
                problem = QStringLiteral("field %1 must be an integer from %2 to %3")
                              .arg(name)
                              .arg(lo)
                              .arg(hi);
            return std::nullopt;
        }
        return qint64(d);
    };

    const QString orgId = string("org_id", true, true);
    const QString workspaceId = string("workspace_id", true, true);
    const QString runtime = string("runtime", true, true);
    integer("tier", true, 0, 1000);
    string("platform_url", true, false);
    const QJsonValue env = body.value(QStringLiteral("env"));
    if (problem.isEmpty()) {
        if (env.isUndefined()) {
            problem = QStringLiteral("missing field: env");
        } else if (!env.isObject()) {
            problem = QStringLiteral("field env must be an object of strings");
        } else {
            const QJsonObject e = env.toObject();
            for (auto it = e.begin(); it != e.end(); ++it) {
                if (!it.value().isString()) {
                    problem = QStringLiteral("field env must be an object of strings");
                    break;
                }
            }
        }
    }
    string("provider", false, false);
    string("instance_type", false, false);
    integer("disk_gb", false, 1, 16384);
    const QString templ = string("template", false, false);
    const QString key = string("idempotency_key", false, false);
    if (problem.isEmpty() && key.size() > 256)
        problem = QStringLiteral("field idempotency_key is longer than 256 characters");
    if (problem.isEmpty() && runtime.size() > 64)
        problem = QStringLiteral("field runtime is longer than 64 characters");
    if (problem.isEmpty()) {
        if (const VoidResult err = validation::checkWorkspaceId(workspaceId); !err)
            problem = QStringLiteral("invalid workspace_id: ") + err.error().message;
    }
    if (!problem.isEmpty())
        return errorResponse(400, problem);

    auto created = [](const Instance &i) {
        return jsonResponse(201,
                            QJsonObject {
                                { QStringLiteral("instance_id"), i.id },
                                { QStringLiteral("private_ip"), i.privateIp },
                                { QStringLiteral("state"), stateName(i.state) },
                                { QStringLiteral("error"), QString() },
                            });
    };

    if (!key.isEmpty()) {
        if (const auto it = m_byIdempotencyKey.constFind(key); it != m_byIdempotencyKey.cend()) {
            const Instance *earlier = find(it.value());
            if (earlier && earlier->workspaceId != workspaceId)
                return errorResponse(
                    409, QStringLiteral("idempotency_key was already used for another workspace"));
            if (earlier) {
                qCDebug(lcSim).noquote()
                    << "provision replayed for key, same instance" << earlier->id;
                return created(*earlier);
            }
        }
    }
    if (const Instance *live = find(m_latestByWorkspace.value(workspaceId));
        live && (live->state == State::Pending || live->state == State::Running)) {
        return errorResponse(409,
                             QStringLiteral("workspace already has instance %1 (%2)")
                                 .arg(live->id, stateName(live->state)));
    }

    const QString outcome = env.toObject().value(QStringLiteral("SIM_OUTCOME")).toString();
    Instance &inst = create(workspaceId, runtime, wantsPanic(workspaceId, runtime, templ, outcome));
    inst.idempotencyKey = key;
    if (!key.isEmpty())
        m_byIdempotencyKey.insert(key, inst.id);
    qCDebug(lcSim).noquote() << "provisioned" << inst.id << "for" << workspaceId << "org" << orgId
                             << (inst.panics ? "(will panic)" : "");
    scheduleBoot(inst.id, m_options.bootMs);
    Q_EMIT instanceStateChanged(inst.workspaceId, inst.id, stateName(inst.state));
    return created(inst);
}

namespace {
/// The instance_id query parameter, or an error response.
std::variant<QString, HttpResponse> instanceIdParam(const HttpRequest &req)
{
    const QString iid = req.query.queryItemValue(QStringLiteral("instance_id"), QUrl::FullyDecoded);
    if (iid.isEmpty())
        return errorResponse(400, QStringLiteral("instance_id is required"));
    if (const VoidResult err = validation::checkInstanceId(iid); !err)
        return errorResponse(400, QStringLiteral("invalid instance_id: ") + err.error().message);
    return iid;
}
} // namespace

HttpResponse Simulator::stopInstance(const QString &workspaceId, const HttpRequest &req)
{
    const auto param = instanceIdParam(req);
    if (const auto *bad = std::get_if<HttpResponse>(&param))
        return *bad;
    const QString iid = std::get<QString>(param);
    Instance *inst = find(iid);
    if (!inst)
        return errorResponse(404, QStringLiteral("instance not found"));
    if (inst->workspaceId != workspaceId)
        return errorResponse(
            400,
            QStringLiteral("instance %1 does not belong to workspace %2").arg(iid, workspaceId));
    if (inst->state == State::Pending || inst->state == State::Running
        || inst->state == State::Failed) {
        if (inst->state == State::Pending)
            inst->bootCut = true;
        inst->stoppingAt = now();
        setState(*inst, State::Stopping);
        scheduleTermination(iid, m_options.stopMs);
    }
    return jsonResponse(200, QJsonObject { { QStringLiteral("ok"), true } });
}

HttpResponse Simulator::status(const QString &workspaceId, const HttpRequest &req)
{
    const auto param = instanceIdParam(req);
    if (const auto *bad = std::get_if<HttpResponse>(&param))
        return *bad;
    const QString iid = std::get<QString>(param);
    const Instance *inst = find(iid);
    if (!inst)
        return errorResponse(404, QStringLiteral("instance not found"));
    if (inst->workspaceId != workspaceId)
        return errorResponse(
            400,
            QStringLiteral("instance %1 does not belong to workspace %2").arg(iid, workspaceId));
    return jsonResponse(200, QJsonObject { { QStringLiteral("state"), stateName(inst->state) } });
}

HttpResponse Simulator::console(const QString &workspaceId, std::optional<FaultKind> fault)
{
    Instance *inst = find(m_latestByWorkspace.value(workspaceId));
    if (!inst)
        return errorResponse(404, QStringLiteral("no instance for this workspace"));
    advanceConsole(*inst);
    const QByteArray window = consoleWindow(*inst);

    if (fault == FaultKind::Oversize) {
        // More than the client's 256 KiB cap: the whole retained console, padded with the
        // output of a busy machine when it is shorter.
        QByteArray big = inst->console;
        if (big.size() < qsizetype(300) * 1024) {
            BootLog::Params params;
            params.seed = inst->seed + 1;
            BootLog filler(params);
            filler.finishBoot();
            QByteArray pad;
            while (pad.size() + big.size() < qsizetype(300) * 1024)
                pad += filler.runningTick(m_options.consoleGrowthMs);
            big.prepend(pad);
        }
        return jsonResponse(200,
                            QJsonObject { { QStringLiteral("output"), QString::fromUtf8(big) } });
    }
    if (fault == FaultKind::Malformed) {
        HttpResponse r = HttpResponse::json(200, {});
        switch (m_faultRng.bounded(4)) {
        case 0: {
            // The raw console inside the JSON string: bytes that are not UTF-8 stay as they are,
            // which no JSON parser accepts.
            QByteArray raw = window;
            if (QString::fromUtf8(raw).toUtf8() == raw)
                raw += "\377";
            r.body = "{\"output\":" + rawJsonString(raw) + '}';
            break;
        }
        case 1:
            r.body = R"({"output":null})";
            break;
        case 2:
            r.body = QJsonDocument(
                         QJsonObject { { QStringLiteral("output"), QString::fromUtf8(window) } })
                         .toJson(QJsonDocument::Compact);
            r.body.chop(r.body.size() / 3 + 2);
            break;
        default:
            r.body = "<html><body><pre>console unavailable</pre></body></html>";
            r.headers = { { "Content-Type", "text/html" } };
            break;
        }
        return r;
    }
    return jsonResponse(200,
                        QJsonObject { { QStringLiteral("output"), QString::fromUtf8(window) } });
}

} // namespace cpc
