#pragma once

#include "faultspec.h"
#include "secret.h"
#include "workspace.h"

#include <QElapsedTimer>
#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QRandomGenerator>
#include <QUrl>

#include <functional>
#include <map>
#include <memory>
#include <optional>

namespace cpc {

class MiniHttpServer;
struct HttpRequest;
struct HttpResponse;

struct SimulatorOptions
{
    quint16 port = 0; ///< 0: any free port
    /// The credentials the simulated CP demands, like the real one: /cp/workspaces/* want
    /// `Authorization: Bearer <sharedSecret>` and `X-Molecule-Admin-Token: <adminToken>`,
    /// /cp/admin/* want `Authorization: Bearer <adminApiKey>` and the admin token. An empty
    /// secret means that header is not checked.
    Secret sharedSecret;
    Secret adminToken;
    Secret adminApiKey;
    int bootMs = 4000; ///< pending → running (or failed)
    int stopMs = 2500; ///< stopping → terminated
    QString faults; ///< a FaultSpec, see faultspec.h
    quint32 seed = 1; ///< instance IDs, consoles, failures and faults are reproducible from it
    int consoleGrowthMs = 700; ///< the console grows by a step every this many ms
    int consoleWindowBytes = 64 * 1024; ///< like EC2: the console route returns the latest bytes
    double failFraction = 0.0; ///< share of new instances that fail to boot (kernel panic)
};

/// The state of one simulated instance, for tests, `cpctl sim` and demo mode.
struct SimInstanceInfo
{
    QString instanceId;
    QString workspaceId;
    QString state; ///< pending, running, stopping, terminated, failed
    QString privateIp;
    QString runtime;
    QString idempotencyKey;
};

/// An in-process simulator of the platform's control plane on 127.0.0.1: the four routes of
/// the CP contract (docs/architecture.md) with the CP's status codes, JSON shapes and
/// authentication; instances that boot, run, fail and stop on timers; a serial console per instance
/// that grows like a real boot log; and fault injection per route (faultspec.h). Control routes for
/// tools and demos: `GET|PUT /sim/faults` (body: a fault spec) and `GET /sim/stats`; they are
/// unauthenticated, which is why the simulator only listens on loopback.
///
/// Routes, after the real CP:
///   POST   /cp/workspaces/provision                       201
///   {"instance_id","private_ip","state","error"} DELETE /cp/workspaces/{id}?instance_id={iid} 200
///   {"ok":true} GET    /cp/workspaces/{id}/status?instance_id={iid}   200
///   {"state":"pending|running|stopping|terminated|failed"} GET /cp/admin/workspaces/{id}/console
///   200 {"output":"…"} (latest instance, last window)
/// Errors are {"error":"…"}: 400 bad body or ID, 401 invalid credentials (the header is never
/// echoed), 404 unknown instance or route, 405 wrong method, 409 the workspace already has a
/// live instance (unless the same idempotency key, which returns the same instance again).
///
/// The console is generated lazily: an instance's log is produced when it is first read and
/// then caught up by the number of growth steps that have passed, so ten thousand adopted
/// instances cost nothing until someone looks at one.
class Simulator : public QObject
{
    Q_OBJECT
public:
    explicit Simulator(SimulatorOptions options = {}, QObject *parent = nullptr);
    ~Simulator() override;

    /// Parses the fault spec and listens on 127.0.0.1; false with a reason otherwise.
    bool start(QString *error = nullptr);
    void close();
    bool isListening() const;
    QUrl baseUrl() const; ///< http://127.0.0.1:PORT
    quint16 port() const;
    const SimulatorOptions &options() const { return m_options; }

    /// Replaces the faults at run time (also `PUT /sim/faults`); keeps the old ones on error.
    bool setFaults(const QString &spec, QString *error = nullptr);
    QString faults() const; ///< canonical spelling, "none" when there are none

    /// Registers instances for workspace rows from the database so that status, console and
    /// stop work on them at once: online/degraded/awaiting_agent → running with a booted
    /// console; failed → failed with a kernel panic console; provisioning → pending (boots on
    /// the usual timer); hibernating → stopping. Rows without an instance ID are skipped, and
    /// so are instance IDs the simulator already knows.
    void adopt(const QList<WorkspaceRow> &rows);

    int instanceCount() const { return int(m_instances.size()); }
    std::optional<SimInstanceInfo> instance(const QString &instanceId) const;
    /// The workspace's most recent instance, empty when it never had one.
    QString latestInstanceId(const QString &workspaceId) const;
    /// The instance's whole retained console (raw bytes, at least 256 KiB of the newest
    /// output), brought up to date; totalBytes receives how much it has printed since boot.
    QByteArray consoleBytes(const QString &instanceId, qint64 *totalBytes = nullptr);

    /// Requests by route ("provision", "stop", "status", "console", "other") and outcome
    /// ("ok", "unauthorized", "rejected" for other 4xx, or the fault applied: "5xx", "429",
    /// "malformed", "oversize", "drip", "drop", "timeout"). Empty outcome: all requests.
    qint64 requestCount(const QString &route, const QString &outcome = {}) const;
    /// What `GET /sim/stats` answers: faults, instances by state, requests by route/outcome.
    QJsonObject stats() const;
    /// Requests being answered at once (a latency fault holds each one open): the most since
    /// the start or the last reset, to show how many calls a client really had in flight.
    int peakConcurrentRequests() const;
    void resetPeakConcurrentRequests();

Q_SIGNALS:
    void instanceStateChanged(const QString &workspaceId, const QString &instanceId,
                              const QString &state);
    void requestHandled(const QString &route, const QString &outcome, int httpStatus);
    void faultsChanged(const QString &spec);

private:
    enum class State { Pending, Running, Stopping, Terminated, Failed };
    struct Instance;

    void handle(const HttpRequest &req, const std::function<void(HttpResponse)> &respond);
    HttpResponse provision(const HttpRequest &req);
    HttpResponse stopInstance(const QString &workspaceId, const HttpRequest &req);
    HttpResponse status(const QString &workspaceId, const HttpRequest &req);
    HttpResponse console(const QString &workspaceId, std::optional<FaultKind> fault);
    HttpResponse controlRoute(const QByteArray &what, const HttpRequest &req);
    bool authorized(const HttpRequest &req, bool adminRoute) const;

    Instance *find(const QString &instanceId) const;
    Instance &create(const QString &workspaceId, const QString &runtime, bool panics);
    void setState(Instance &inst, State state);
    void scheduleBoot(const QString &instanceId, int afterMs);
    void scheduleTermination(const QString &instanceId, int afterMs);
    void advanceConsole(Instance &inst);
    void appendConsole(Instance &inst, const QByteArray &bytes);
    QByteArray consoleWindow(const Instance &inst) const;
    bool wantsPanic(const QString &workspaceId, const QString &runtime, const QString &templ,
                    const QString &outcomeEnv);
    QString newInstanceId();
    QString newPrivateIp();
    /// Milliseconds on the simulator's clock; offset so that times in the past (adopted
    /// instances booted days ago) are still positive and -1 can mean "never".
    qint64 now() const { return m_clock.elapsed() + (qint64(1) << 40); }
    void count(const QString &route, const QString &outcome, int httpStatus);

    static QString stateName(State s);

    SimulatorOptions m_options;
    FaultSpec m_faults;
    MiniHttpServer *m_server = nullptr;
    QElapsedTimer m_clock;
    QRandomGenerator m_faultRng;
    QRandomGenerator m_idRng;
    std::map<QString, std::unique_ptr<Instance>> m_instances;
    QHash<QString, QString> m_latestByWorkspace;
    QHash<QString, QString> m_byIdempotencyKey; ///< key → instance ID
    QHash<QString, QHash<QString, qint64>> m_counts; ///< route → outcome → requests
    quint64 m_created = 0;
};

} // namespace cpc
