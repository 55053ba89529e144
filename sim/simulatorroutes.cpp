// The simulator's HTTP side: routing, authentication, the contract routes, the control
// routes under /sim/ and the faults applied to each answer.
#include "simulator.h"

#include "httpserver.h"
#include "logging.h"
#include "siminstance.h"
#include "validation.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <variant>

namespace cpc {

namespace {

constexpr int kTimeoutFaultMs = 5 * 60 * 1000 + 1000; // "never answers within 5 min"
constexpr int kDripIntervalMs = 100;

const QString kOk = QStringLiteral("ok");
const QString kUnauthorized = QStringLiteral("unauthorized");
const QString kRejected = QStringLiteral("rejected");

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
        count(kOtherRoute, r.status < 300 ? kOk : kRejected, r.status);
        respond(r);
        return;
    }
    if (!matched) {
        HttpResponse r = allow.isEmpty() ? errorResponse(404, QStringLiteral("not found"))
                                         : errorResponse(405, QStringLiteral("method not allowed"));
        if (!allow.isEmpty())
            r.setHeader("Allow", allow);
        count(kOtherRoute, kRejected, r.status);
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
