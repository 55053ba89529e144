#include "demodata.h"

#include <QRandomGenerator>
#include <QSet>
#include <QStringList>

#include <array>

namespace cpc {

namespace {

struct Weighted
{
    const char *value;
    int weight;
};

template<std::size_t N> QString pick(QRandomGenerator &rng, const std::array<Weighted, N> &table)
{
    int total = 0;
    for (const Weighted &w : table)
        total += w.weight;
    int roll = int(rng.bounded(total));
    for (const Weighted &w : table) {
        if (roll < w.weight)
            return QString::fromLatin1(w.value);
        roll -= w.weight;
    }
    return QString::fromLatin1(table.back().value);
}

template<std::size_t N>
QString pickOne(QRandomGenerator &rng, const std::array<const char *, N> &list)
{
    return QString::fromLatin1(list[rng.bounded(int(N))]);
}

constexpr std::array<Weighted, 10> kStatuses = { {
    { "online", 600 },
    { "offline", 90 },
    { "provisioning", 50 },
    { "degraded", 50 },
    { "failed", 40 },
    { "paused", 50 },
    { "hibernated", 50 },
    { "removed", 35 },
    { "awaiting_agent", 20 },
    { "hibernating", 15 },
} };

constexpr std::array<Weighted, 7> kRuntimes = { {
    { "python", 40 },
    { "node", 22 },
    { "go", 12 },
    { "rust", 7 },
    { "jvm", 10 },
    { "ruby", 4 },
    { "dotnet", 5 },
} };

constexpr std::array<Weighted, 4> kTiers
    = { { { "1", 35 }, { "2", 35 }, { "3", 20 }, { "4", 10 } } };
constexpr std::array<Weighted, 2> kProviders = { { { "aws", 75 }, { "gcp", 25 } } };

constexpr std::array<const char *, 24> kServices = {
    "payments",  "billing",  "checkout",      "search",  "catalog",    "inventory",
    "auth",      "identity", "notifications", "ledger",  "pricing",    "orders",
    "shipping",  "fraud",    "reporting",     "support", "onboarding", "recommendations",
    "analytics", "gateway",  "media",         "docs",    "crm",        "scheduler",
};
constexpr std::array<const char *, 10> kComponents = {
    "api", "worker", "agent", "etl", "bot", "indexer", "sync", "gateway", "backend", "ingest",
};
constexpr std::array<const char *, 8> kRegions
    = { "eu", "us", "us-east", "eu-west", "ap", "uk", "de", "sg" };
constexpr std::array<const char *, 10> kMlJobs
    = { "training", "eval", "finetune", "embedding", "inference",
        "labeling", "rag",  "research", "distill",   "benchmark" };
constexpr std::array<const char *, 20> kPeople = {
    "jane",   "omar",  "li",    "priya", "marco", "sofia", "kenji", "amara", "lukas", "noah",
    "fatima", "diego", "chloe", "ivan",  "mei",   "tariq", "elena", "sam",   "aisha", "jonas",
};
constexpr std::array<const char *, 6> kPersonal
    = { "dev-sandbox", "scratch", "playground", "experiments", "dev", "sandbox" };
constexpr std::array<const char *, 6> kEnvs = { "prod", "staging", "canary", "dev", "qa", "demo" };
constexpr std::array<const char *, 7> kRoles
    = { "assistant", "researcher", "coder", "reviewer", "operator", "analyst", "orchestrator" };

QString makeName(QRandomGenerator &rng)
{
    const int shape = int(rng.bounded(100));
    if (shape < 45) // payments-api-eu
        return pickOne(rng, kServices) + u'-' + pickOne(rng, kComponents) + u'-'
            + pickOne(rng, kRegions);
    if (shape < 60) // ledger-worker-prod
        return pickOne(rng, kServices) + u'-' + pickOne(rng, kComponents) + u'-'
            + pickOne(rng, kEnvs);
    if (shape < 80) // ml-training-07
        return QStringLiteral("ml-") + pickOne(rng, kMlJobs) + u'-'
            + QString::number(rng.bounded(1, 40)).rightJustified(2, u'0');
    return pickOne(rng, kPeople) + u'-' + pickOne(rng, kPersonal); // jane-dev-sandbox
}

QString makeUuid(QRandomGenerator &rng)
{
    QByteArray bytes(16, Qt::Uninitialized);
    for (int i = 0; i < 16; i += 4) {
        const quint32 v = rng.generate();
        for (int j = 0; j < 4; ++j)
            bytes[i + j] = char((v >> (8 * j)) & 0xff);
    }
    bytes[6] = char((bytes[6] & 0x0f) | 0x40); // version 4
    bytes[8] = char((bytes[8] & 0x3f) | 0x80); // RFC 4122 variant
    const QByteArray hex = bytes.toHex();
    return QString::fromLatin1(hex.left(8) + '-' + hex.mid(8, 4) + '-' + hex.mid(12, 4) + '-'
                               + hex.mid(16, 4) + '-' + hex.mid(20));
}

QString makeInstanceId(QRandomGenerator &rng)
{
    QString id = QStringLiteral("mol-ws-");
    for (int i = 0; i < 17; ++i)
        id += QChar::fromLatin1("0123456789abcdef"[rng.bounded(16)]);
    return id;
}

QString lastError(QRandomGenerator &rng, const QString &status)
{
    static const QStringList degraded = {
        QStringLiteral("agent heartbeat late by 94 s"),
        QStringLiteral("health probe: HTTP 503 from agent"),
        QStringLiteral("memory at 97% of the tier limit"),
        QStringLiteral("platform call latency p95 4.2 s"),
    };
    static const QStringList failed = {
        QStringLiteral("instance failed to boot: kernel panic (see console)"),
        QStringLiteral("agent exited with code 137 (out of memory)"),
        QStringLiteral("bootstrap: pip install molecule-runtime failed (exit 1)"),
        QStringLiteral("no heartbeat for 30 min; instance unreachable"),
    };
    if (status == QLatin1String("degraded"))
        return degraded[rng.bounded(int(degraded.size()))];
    if (status == QLatin1String("failed"))
        return failed[rng.bounded(int(failed.size()))];
    if (status == QLatin1String("offline") && rng.bounded(4) == 0)
        return QStringLiteral("stopped by an operator");
    return {};
}

} // namespace

QDateTime demoReferenceTime()
{
    return QDateTime(QDate(2026, 11, 30), QTime(9, 0), Qt::UTC);
}

bool demoStatusHasCompute(const QString &status)
{
    static const QSet<QString> withCompute = {
        QStringLiteral("provisioning"),   QStringLiteral("online"),
        QStringLiteral("degraded"),       QStringLiteral("failed"),
        QStringLiteral("awaiting_agent"), QStringLiteral("hibernating"),
    };
    return withCompute.contains(status);
}

QList<WorkspaceRow> generateWorkspaces(int n, quint32 seed, const QDateTime &now)
{
    QList<WorkspaceRow> rows;
    if (n <= 0)
        return rows;
    rows.reserve(n);
    const QDateTime ref = (now.isValid() ? now : demoReferenceTime()).toUTC();
    QSet<QString> names;
    names.reserve(n);
    QSet<QString> ids;
    for (int i = 0; i < n; ++i) {
        // One generator per row, so row i does not depend on how many rows come after it.
        const quint32 seedData[] = { seed, quint32(i), 0x5bd1e995u };
        QRandomGenerator rng(seedData, 3);
        WorkspaceRow r;
        do {
            r.id = makeUuid(rng);
        } while (ids.contains(r.id));
        ids.insert(r.id);

        QString name = makeName(rng);
        if (names.contains(name)) {
            int k = 2;
            while (names.contains(name + u'-' + QString::number(k)))
                ++k;
            name += u'-' + QString::number(k);
        }
        names.insert(name);
        r.name = name;
        r.role = pickOne(rng, kRoles);
        r.tier = pick(rng, kTiers).toInt();
        r.runtime = pick(rng, kRuntimes);
        r.status = pick(rng, kStatuses);
        r.provider = pick(rng, kProviders);
        r.lastSampleError = lastError(rng, r.status);

        const bool compute = demoStatusHasCompute(r.status);
        if (compute) {
            r.instanceId = makeInstanceId(rng);
            r.url = QStringLiteral("http://10.%1.%2.%3:8000")
                        .arg(rng.bounded(4))
                        .arg(rng.bounded(256))
                        .arg(rng.bounded(2, 255));
        }

        // Created up to 400 days ago, updated since, heartbeat by status.
        const qint64 ageSecs = 3600 + qint64(rng.bounded(400 * 24 * 3600));
        r.createdAt = ref.addSecs(-ageSecs);
        r.updatedAt = ref.addSecs(
            -qint64(rng.bounded(quint32(std::min<qint64>(ageSecs, qint64(30) * 24 * 3600)))));
        const QString &s = r.status;
        if (s == QLatin1String("online") || s == QLatin1String("awaiting_agent"))
            r.lastHeartbeatAt = ref.addSecs(-qint64(5 + rng.bounded(85)));
        else if (s == QLatin1String("degraded"))
            r.lastHeartbeatAt = ref.addSecs(-qint64(120 + rng.bounded(1100)));
        else if (s == QLatin1String("failed") || s == QLatin1String("offline")
                 || s == QLatin1String("paused") || s == QLatin1String("hibernated")
                 || s == QLatin1String("hibernating"))
            r.lastHeartbeatAt = ref.addSecs(-qint64(1800 + rng.bounded(20 * 24 * 3600)));
        // provisioning and removed: never heard from (NULL)
        if (r.lastHeartbeatAt.isValid() && r.lastHeartbeatAt < r.createdAt)
            r.lastHeartbeatAt = r.createdAt.addSecs(60);
        if (r.updatedAt < r.createdAt)
            r.updatedAt = r.createdAt;
        if (s == QLatin1String("provisioning"))
            r.updatedAt = ref.addSecs(-qint64(10 + rng.bounded(300)));
        rows.append(r);
    }
    return rows;
}

} // namespace cpc
