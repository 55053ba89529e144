#include "cpcalls.h"

#include "testutil.h"

#include <QtTest>

namespace cpc::test {

namespace {

const QString kWaitedTooLong = QStringLiteral("test waited too long");

/// Starts a call with a callback and waits for its answer; `fallback` when none comes.
template<typename T, typename Start> T runToAnswer(Start start, T fallback)
{
    // The context of the callback: an answer after the wait gave up reaches nobody.
    QObject context;
    Waiter<T> w;
    start(&context, w.callback());
    [&] {
        QTRY_VERIFY_WITH_TIMEOUT(w.has(), 20000);
    }();
    return w.has() ? w.get() : fallback;
}

} // namespace

CpConfig cpConfig(const QUrl &base, const CpSecrets &secrets, int timeoutMs)
{
    CpConfig c;
    c.orgId = QStringLiteral("org-42");
    c.baseUrl = base;
    c.sharedSecret = Secret(secrets.shared);
    c.adminToken = Secret(secrets.adminToken);
    c.adminApiKey = Secret(secrets.adminKey);
    c.requestTimeoutMs = timeoutMs;
    c.provisionTimeoutMs = timeoutMs;
    return c;
}

ProvisionRequest provisionRequest(const QString &workspaceId)
{
    ProvisionRequest r;
    r.workspaceId = workspaceId;
    r.runtime = QStringLiteral("python");
    r.tier = 2;
    r.platformUrl = QStringLiteral("https://platform.example");
    r.env = { { QStringLiteral("FOO"), QStringLiteral("bar") } };
    return r;
}

Result<ProvisionResult> runProvision(CpClient &c, const ProvisionRequest &r)
{
    return runToAnswer<Result<ProvisionResult>>(
        [&](QObject *context, auto callback) { c.provision(r, context, callback); },
        Error::make(Error::Kind::Cancelled, kWaitedTooLong));
}

VoidResult runStop(CpClient &c, const QString &workspaceId, const QString &instanceId)
{
    return runToAnswer<VoidResult>(
        [&](QObject *context, auto callback) {
            c.stop(workspaceId, instanceId, context, callback);
        },
        Error::make(Error::Kind::Cancelled, kWaitedTooLong));
}

StatusResult runStatus(CpClient &c, const QString &workspaceId, const QString &instanceId)
{
    return runToAnswer<StatusResult>(
        [&](QObject *context, auto callback) {
            c.status(workspaceId, instanceId, context, callback);
        },
        StatusResult {});
}

Result<ConsoleOutput> runConsole(CpClient &c, const QString &workspaceId)
{
    return runToAnswer<Result<ConsoleOutput>>(
        [&](QObject *context, auto callback) { c.consoleOutput(workspaceId, context, callback); },
        Error::make(Error::Kind::Cancelled, kWaitedTooLong));
}

CallOutcome runCall(Call call, CpClient &c, const QString &workspaceId, const QString &instanceId)
{
    CallOutcome f;
    auto take = [&f](const Error &e) {
        f.kind = e.kind;
        f.status = e.httpStatus;
        f.message = e.message;
    };
    switch (call) {
    case Call::Provision: {
        const auto res = runProvision(c, provisionRequest(workspaceId));
        f.ok = res.ok();
        if (res)
            f.payload = res->instanceId;
        else
            take(res.error());
        break;
    }
    case Call::Stop: {
        const auto res = runStop(c, workspaceId, instanceId);
        f.ok = res.ok();
        if (!res)
            take(res.error());
        break;
    }
    case Call::Status: {
        const auto res = runStatus(c, workspaceId, instanceId);
        f.ok = res.state != RunState::Unknown;
        f.payload = runStateName(res.state);
        if (res.error)
            take(*res.error);
        break;
    }
    case Call::Console: {
        const auto res = runConsole(c, workspaceId);
        f.ok = res.ok();
        if (res)
            f.payload = res->output;
        else
            take(res.error());
        break;
    }
    }
    return f;
}

} // namespace cpc::test
