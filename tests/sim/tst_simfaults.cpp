// The simulator's faults as the client sees them on every route, run-time fault control,
// the fault spec, demo data and adopt().

#include "simtestbase.h"

using namespace cpc;
using namespace cpc::test;

Q_DECLARE_METATYPE(Error::Kind)

class tst_SimFaults : public SimTestBase
{
    Q_OBJECT

private Q_SLOTS:
    void init() { QVERIFY(setUp()); }
    void cleanup() { tearDown(); }

    void faultsAsTheClientSeesThem_data()
    {
        QTest::addColumn<Call>("call");
        QTest::addColumn<QString>("spec");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<Error::Kind>("kind");
        QTest::addColumn<int>("statusMin");
        QTest::addColumn<int>("statusMax");
        QTest::addColumn<QString>("messagePart");
        QTest::addColumn<QString>("outcome");

        using K = Error::Kind;
        const struct
        {
            Call call;
            const char *name;
        } routes[] = { { Call::Provision, "provision" },
                       { Call::Stop, "stop" },
                       { Call::Status, "status" },
                       { Call::Console, "console" } };
        for (const auto &rt : routes) {
            const QString r = QString::fromLatin1(rt.name);
            auto row = [&](const char *fault, const QString &spec, bool ok, K kind, int lo, int hi,
                           const QString &part, const QString &outcome) {
                QTest::addRow("%s %s", rt.name, fault)
                    << rt.call << spec << ok << kind << lo << hi << part << outcome;
            };
            row("5xx", r + ".5xx", false, K::HttpStatus, 500, 504, {}, "5xx");
            row("429", r + ".429", false, K::HttpStatus, 429, 429, {}, "429");
            if (rt.call == Call::Stop) {
                // stop accepts any 2xx and does not read its body: the stop happened.
                row("malformed", r + ".malformed", true, K::Transport, 0, 0, {}, "malformed");
                // An error page longer than the 512 bytes the client quotes.
                row("oversize", r + ".oversize", false, K::HttpStatus, 502, 502,
                    "Bad Gateway — nginx", "oversize");
            } else {
                row("malformed", r + ".malformed", false, K::Decode, 0, 0, {}, "malformed");
                row("oversize", r + ".oversize", false, K::Decode, 0, 0, "response larger than",
                    "oversize");
            }
            row("drip", r + ".drip", false, K::Timeout, 0, 0, "timed out", "drip");
            row("drop", r + ".drop", false, K::Transport, 0, 0, {}, "drop");
            row("timeout", r + ".timeout", false, K::Timeout, 0, 0, "timed out", "timeout");
            row("latency", r + ".latency=3000", false, K::Timeout, 0, 0, "timed out", "ok");
            row("small latency", r + ".latency=20", true, K::Transport, 0, 0, {}, "ok");
            row("all routes", "5xx", false, K::HttpStatus, 500, 504, {}, "5xx");
            row("other route only", rt.call == Call::Console ? "status.5xx" : "console.5xx", true,
                K::Transport, 0, 0, {}, "ok");
            row("probability 0", r + ".drop=0", true, K::Transport, 0, 0, {}, "ok");
        }
    }

    void faultsAsTheClientSeesThem()
    {
        QFETCH(Call, call);
        QFETCH(QString, spec);
        QFETCH(bool, ok);
        QFETCH(Error::Kind, kind);
        QFETCH(int, statusMin);
        QFETCH(int, statusMax);
        QFETCH(QString, messagePart);
        QFETCH(QString, outcome);

        // An instance to act on, made before the faults are set.
        const QString iid = provisioned();
        QVERIFY(!iid.isEmpty());
        QString error;
        QVERIFY2(m_sim->setFaults(spec, &error), qPrintable(error));
        CpConfig cfg = config();
        cfg.requestTimeoutMs = 700;
        cfg.provisionTimeoutMs = 700;
        auto c = client(cfg);

        const QString route = call == Call::Provision ? "provision"
            : call == Call::Stop                      ? "stop"
            : call == Call::Status                    ? "status"
                                                      : "console";
        const CallOutcome f = runCall(call, *c, call == Call::Provision ? kWs2 : kWs, iid);
        QVERIFY2(f.ok == ok, qPrintable(f.message));
        if (!ok) {
            QVERIFY2(f.kind == kind, qPrintable(Error::kindName(f.kind) + u' ' + f.message));
            if (statusMin > 0)
                QVERIFY2(f.status >= statusMin && f.status <= statusMax, qPrintable(f.message));
            if (!messagePart.isEmpty())
                QVERIFY2(f.message.contains(messagePart), qPrintable(f.message));
            QVERIFY(f.message.startsWith(call == Call::Status ? QStringLiteral("status check")
                                                              : route));
            QVERIFY(f.message.size() < 700); // never a whole body
        }
        QVERIFY2(m_sim->requestCount(route, outcome) >= 1,
                 qPrintable(QJsonDocument(m_sim->stats()).toJson(QJsonDocument::Compact)));
        if (call == Call::Stop && spec.endsWith(QLatin1String(".malformed")))
            QCOMPARE(stateOf(iid), QStringLiteral("stopping"));
        if (call == Call::Stop && !ok && (f.kind == Error::Kind::HttpStatus))
            QCOMPARE(stateOf(iid), QStringLiteral("pending")); // a refused stop changed nothing
    }

    void oversizeIsCaughtDeclaredOrStreamed()
    {
        // Half the oversized answers declare their length, half stream until the connection
        // closes: the client must stop at its cap either way.
        const QString iid = provisioned();
        QVERIFY(m_sim->setFaults(QStringLiteral("status.oversize,console.oversize")));
        auto c = client();
        QSet<bool> declared;
        for (int i = 0; i < 10; ++i) {
            const StatusResult s = runStatus(*c, kWs, iid);
            QCOMPARE(s.state, RunState::Unknown);
            QCOMPARE(s.error->kind, Error::Kind::Decode);
            QVERIFY2(s.error->message.contains(QLatin1String("response larger than 64 KiB")),
                     qPrintable(s.error->message));
            declared.insert(s.error->message.contains(QLatin1String("declared")));
        }
        QCOMPARE(declared.size(), 2);
        for (int i = 0; i < 4; ++i) {
            const auto out = runConsole(*c, kWs);
            QVERIFY(!out.ok());
            QVERIFY2(out.error().message.contains(QLatin1String("response larger than 256 KiB")),
                     qPrintable(out.error().message));
        }
        QCOMPARE(m_sim->requestCount("console", "oversize"), 4);
    }

    void errorRatePicksOneOfTheErrors_data()
    {
        QTest::addColumn<Call>("call");
        QTest::newRow("provision") << Call::Provision;
        QTest::newRow("stop") << Call::Stop;
        QTest::newRow("status") << Call::Status;
        QTest::newRow("console") << Call::Console;
    }

    void errorRatePicksOneOfTheErrors()
    {
        QFETCH(Call, call);
        const QString route = call == Call::Provision ? "provision"
            : call == Call::Stop                      ? "stop"
            : call == Call::Status                    ? "status"
                                                      : "console";
        const QString iid = provisioned();
        const qint64 before = m_sim->requestCount(route);
        QVERIFY(m_sim->setFaults(route + QStringLiteral(".error-rate")));
        CpConfig cfg = config();
        cfg.requestTimeoutMs = 2000;
        cfg.provisionTimeoutMs = 2000;
        auto c = client(cfg);
        for (int i = 0; i < 6; ++i) {
            // A fresh workspace per provision: a spoiled answer may still have made an instance.
            const CallOutcome f = runCall(
                call, *c, call == Call::Provision ? QStringLiteral("ws-er-%1").arg(i) : kWs, iid);
            if (!f.ok) {
                QVERIFY2(f.kind == Error::Kind::HttpStatus || f.kind == Error::Kind::Decode
                             || f.kind == Error::Kind::Transport,
                         qPrintable(f.message));
            } else {
                QCOMPARE(call, Call::Stop); // only a malformed 200 to a stop passes
            }
        }
        qint64 faults = 0;
        for (const char *o : { "5xx", "429", "malformed", "drop" })
            faults += m_sim->requestCount(route, QLatin1String(o));
        QVERIFY(faults >= 6);
        QCOMPARE(faults, m_sim->requestCount(route) - before);
        QCOMPARE(m_sim->requestCount(route, "ok"), before);
    }

    void faultsAreDeterministicBySeed()
    {
        auto outcomes = [this](quint32 seed) {
            m_sim.reset();
            SimulatorOptions o = options();
            o.seed = seed;
            o.faults = QStringLiteral("status.5xx=0.5,status.429=0.3");
            if (!startSim(o))
                return QString();
            const QString iid = m_sim->instanceCount() == 0 ? provisioned() : QString();
            auto c = client();
            QString seq;
            for (int i = 0; i < 24; ++i) {
                const StatusResult s = runStatus(*c, kWs, iid);
                seq += s.state == RunState::Unknown ? QString::number(s.error->httpStatus / 100)
                                                    : QStringLiteral("k");
                seq += u' ';
            }
            return seq;
        };
        const QString a = outcomes(11);
        QCOMPARE(outcomes(11), a);
        QVERIFY2(a.contains(u'k') && a.contains(u'5') && a.contains(u'4'), qPrintable(a));
        QVERIFY(outcomes(12) != a);
    }

    void faultsChangeAtRunTimeOverHttp()
    {
        const QString iid = provisioned();
        auto c = client();
        QSignalSpy changed(m_sim.get(), &Simulator::faultsChanged);

        RawReply r = raw("PUT", "/sim/faults", {}, "status.5xx", "text/plain");
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json().value("faults").toString(), QStringLiteral("status.5xx"));
        QCOMPARE(changed.count(), 1);
        StatusResult s = runStatus(*c, kWs, iid);
        QCOMPARE(s.state, RunState::Unknown);
        QVERIFY(s.error->httpStatus >= 500);
        QVERIFY(runConsole(*c, kWs).ok()); // other routes are untouched

        r = raw("PUT", "/sim/faults", {}, "status.bogus=1", "text/plain");
        QCOMPARE(r.status, 400);
        QVERIFY2(r.json().value("error").toString().contains(QLatin1String("status.bogus=1")),
                 r.body.constData());
        QCOMPARE(m_sim->faults(), QStringLiteral("status.5xx")); // the old faults stay

        r = raw("GET", "/sim/faults", {});
        QCOMPARE(r.json().value("faults").toString(), QStringLiteral("status.5xx"));

        r = raw("PUT", "/sim/faults", {}, "none", "text/plain");
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json().value("faults").toString(), QStringLiteral("none"));
        QVERIFY(runStatus(*c, kWs, iid).state != RunState::Unknown);

        r = raw("GET", "/sim/stats", {});
        QCOMPARE(r.status, 200);
        const QJsonObject stats = r.json();
        const QJsonObject status = stats.value("requests").toObject().value("status").toObject();
        QCOMPARE(status.value("total").toInt(), 2);
        QCOMPARE(status.value("5xx").toInt(), 1);
        QCOMPARE(status.value("ok").toInt(), 1);
        QCOMPARE(
            stats.value("requests").toObject().value("provision").toObject().value("ok").toInt(),
            1);
        QCOMPARE(stats.value("instances").toObject().value("total").toInt(), 1);
        QCOMPARE(stats.value("faults").toString(), QStringLiteral("none"));
    }

    void faultSpecParses_data()
    {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<QString>("canonical");
        QTest::newRow("empty") << ""
                               << "none";
        QTest::newRow("none") << " none "
                              << "none";
        QTest::newRow("bare") << "5xx"
                              << "5xx";
        QTest::newRow("spaces") << " status.5xx = 0.5 , drip "
                                << "status.5xx=0.5,drip";
        QTest::newRow("percent") << "error-rate=20%"
                                 << "error-rate=0.2";
        QTest::newRow("latency") << "latency=250,console.oversize"
                                 << "latency=250,console.oversize";
        QTest::newRow("override") << "5xx=0.1,status.5xx=1"
                                  << "5xx=0.1,status.5xx";
        QTest::newRow("zero") << "provision.drop=0"
                              << "provision.drop=0";
        QTest::newRow("case") << "Status.Timeout"
                              << "status.timeout";
        QTest::newRow("every fault")
            << "latency=1,5xx,429,malformed,oversize,drip,drop,timeout,error-rate"
            << "latency=1,5xx,429,malformed,oversize,drip,drop,timeout,error-rate";
    }

    void faultSpecParses()
    {
        QFETCH(QString, spec);
        QFETCH(QString, canonical);
        const Result<FaultSpec> r = FaultSpec::parse(spec);
        QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().message));
        QCOMPARE(r->toString(), canonical);
        const Result<FaultSpec> again = FaultSpec::parse(r->toString());
        QVERIFY(again.ok());
        QCOMPARE(again->toString(), canonical);
    }

    void faultSpecOverridesPerRoute()
    {
        const Result<FaultSpec> r
            = FaultSpec::parse(QStringLiteral("5xx=0.1,status.5xx=1,latency=30,console.latency=0"));
        QVERIFY(r.ok());
        QCOMPARE(r->value(FaultKind::ServerError, SimRoute::Status), 1.0);
        QCOMPARE(r->value(FaultKind::ServerError, SimRoute::Console), 0.1);
        QCOMPARE(r->latencyMs(SimRoute::Stop), 30);
        QCOMPARE(r->latencyMs(SimRoute::Console), 0);
        QVERIFY(!r->value(FaultKind::Drop, SimRoute::Stop));
    }

    void faultSpecErrorsNameTheItem_data()
    {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<QString>("item");
        QTest::addColumn<QString>("why");
        QTest::newRow("probability > 1") << "5xx=2"
                                         << "'5xx=2'"
                                         << "bad probability";
        QTest::newRow("probability text") << "drip,5xx=abc"
                                          << "'5xx=abc'"
                                          << "bad probability";
        QTest::newRow("negative") << "drop=-0.1"
                                  << "'drop=-0.1'"
                                  << "bad probability";
        QTest::newRow("unknown fault") << "status.slow"
                                       << "'status.slow'"
                                       << "unknown fault 'slow'";
        QTest::newRow("unknown route") << "admin.5xx"
                                       << "'admin.5xx'"
                                       << "unknown route 'admin'";
        QTest::newRow("latency without value") << "latency"
                                               << "'latency'"
                                               << "needs a value in milliseconds";
        QTest::newRow("latency negative") << "latency=-5"
                                          << "'latency=-5'"
                                          << "bad latency";
        QTest::newRow("latency text") << "console.latency=fast"
                                      << "'console.latency=fast'"
                                      << "bad latency";
        QTest::newRow("twice") << "5xx,5xx=0.5"
                               << "'5xx=0.5'"
                               << "given twice";
        QTest::newRow("stray comma") << "5xx,,429"
                                     << "'5xx,,429'"
                                     << "empty item";
        QTest::newRow("none with others") << "none,5xx"
                                          << "'none'"
                                          << "must stand alone";
    }

    void faultSpecErrorsNameTheItem()
    {
        QFETCH(QString, spec);
        QFETCH(QString, item);
        QFETCH(QString, why);
        const Result<FaultSpec> r = FaultSpec::parse(spec);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().kind, Error::Kind::Config);
        QVERIFY2(r.error().message.contains(item), qPrintable(r.error().message));
        QVERIFY2(r.error().message.contains(why), qPrintable(r.error().message));
        QString error;
        QVERIFY(!m_sim->setFaults(spec, &error));
        QCOMPARE(error, r.error().message);
    }

    // --- demo data and adopt() ---------------------------------------------------------------

    void generateWorkspacesIsDeterministic()
    {
        const auto a = generateWorkspaces(300, 7);
        const auto b = generateWorkspaces(300, 7);
        const auto prefix = generateWorkspaces(50, 7);
        const auto other = generateWorkspaces(300, 8);
        QCOMPARE(a.size(), 300);
        int differ = 0;
        for (int i = 0; i < a.size(); ++i) {
            QCOMPARE(a[i].id, b[i].id);
            QCOMPARE(a[i].name, b[i].name);
            QCOMPARE(a[i].status, b[i].status);
            QCOMPARE(a[i].instanceId, b[i].instanceId);
            QCOMPARE(a[i].runtime, b[i].runtime);
            QCOMPARE(a[i].tier, b[i].tier);
            QCOMPARE(a[i].provider, b[i].provider);
            QCOMPARE(a[i].createdAt, b[i].createdAt);
            QCOMPARE(a[i].lastHeartbeatAt, b[i].lastHeartbeatAt);
            if (i < prefix.size()) {
                QCOMPARE(prefix[i].id, a[i].id);
                QCOMPARE(prefix[i].name, a[i].name);
            }
            differ += a[i].id != other[i].id;
        }
        QCOMPARE(differ, 300);
        QVERIFY(generateWorkspaces(0, 7).isEmpty());
    }

    void generateWorkspacesLooksLikeATenant()
    {
        const QDateTime now = demoReferenceTime();
        const auto rows = generateWorkspaces(3000, 99, now);
        QHash<QString, int> byStatus;
        QSet<QString> ids, names, runtimes, providers;
        const QRegularExpression uuid(QStringLiteral(
            "^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"));
        const QRegularExpression nameRe(QStringLiteral("^[a-z][a-z0-9-]+$"));
        for (const WorkspaceRow &r : rows) {
            ++byStatus[r.status];
            QVERIFY(knownWorkspaceStatuses().contains(r.status));
            QVERIFY2(uuid.match(r.id).hasMatch(), qPrintable(r.id));
            QVERIFY(validation::checkWorkspaceId(r.id).ok());
            QVERIFY2(nameRe.match(r.name).hasMatch(), qPrintable(r.name));
            ids.insert(r.id);
            names.insert(r.name);
            runtimes.insert(r.runtime);
            providers.insert(r.provider);
            QVERIFY(r.tier >= 1 && r.tier <= 4);
            QCOMPARE(!r.instanceId.isEmpty(), demoStatusHasCompute(r.status));
            if (!r.instanceId.isEmpty()) {
                QVERIFY(r.instanceId.startsWith(QLatin1String("mol-ws-")));
                QVERIFY(validation::checkInstanceId(r.instanceId).ok());
            }
            QVERIFY(r.createdAt.isValid() && r.createdAt <= now);
            QVERIFY(r.updatedAt >= r.createdAt && r.updatedAt <= now);
            if (r.status == QLatin1String("provisioning") || r.status == QLatin1String("removed"))
                QVERIFY(!r.lastHeartbeatAt.isValid());
            if (r.status == QLatin1String("online"))
                QVERIFY(r.lastHeartbeatAt.secsTo(now) < 120);
            if (r.status == QLatin1String("failed") || r.status == QLatin1String("degraded"))
                QVERIFY(!r.lastSampleError.isEmpty());
        }
        QCOMPARE(ids.size(), rows.size());
        QCOMPARE(names.size(), rows.size());
        for (const char *s : { "online", "offline", "provisioning", "degraded", "failed", "paused",
                               "hibernated", "removed" })
            QVERIFY2(byStatus.value(QLatin1String(s)) > 0, s);
        QVERIFY(byStatus.value("online") > rows.size() * 4 / 10);
        for (auto it = byStatus.cbegin(); it != byStatus.cend(); ++it)
            QVERIFY(it.key() == QLatin1String("online")
                    || it.value() < byStatus.value("online") / 3);
        QVERIFY(byStatus.value("removed") < rows.size() / 10);
        QVERIFY(runtimes.contains("python") && runtimes.contains("node") && runtimes.contains("go")
                && runtimes.contains("rust") && runtimes.contains("jvm"));
        QCOMPARE(providers, (QSet<QString> { "aws", "gcp" }));
        const auto hasName = [&](const QString &pattern) {
            const QRegularExpression re(pattern);
            return std::any_of(names.cbegin(), names.cend(),
                               [&](const QString &n) { return re.match(n).hasMatch(); });
        };
        QVERIFY(hasName(QStringLiteral("^[a-z]+-api-(eu|us|uk|de|sg|ap)")));
        QVERIFY(hasName(QStringLiteral("^ml-[a-z]+-\\d\\d$")));
        QVERIFY(hasName(QStringLiteral("^[a-z]+-dev-sandbox$")));
    }

    void adoptMakesStatusAndConsoleWork()
    {
        m_sim.reset();
        SimulatorOptions o = options();
        o.bootMs = 60'000;
        o.consoleGrowthMs = 700;
        o.consoleWindowBytes = 200 * 1024;
        QVERIFY(startSim(o));
        const auto rows = generateWorkspaces(80, 3);
        m_sim->adopt(rows);
        const auto withCompute
            = std::count_if(rows.cbegin(), rows.cend(),
                            [](const WorkspaceRow &r) { return !r.instanceId.isEmpty(); });
        QCOMPARE(m_sim->instanceCount(), int(withCompute));
        m_sim->adopt(rows); // again: nothing new
        QCOMPARE(m_sim->instanceCount(), int(withCompute));

        auto c = client();
        int online = 0, bootVisible = 0, failed = 0, provisioning = 0, without = 0;
        for (const WorkspaceRow &r : rows) {
            if (r.instanceId.isEmpty()) {
                if (without++ == 0) {
                    const auto console = runConsole(*c, r.id);
                    QVERIFY(!console.ok());
                    QCOMPARE(console.error().httpStatus, 404);
                }
                continue;
            }
            const StatusResult s = runStatus(*c, r.id, r.instanceId);
            QVERIFY2(s.state != RunState::Unknown, qPrintable(r.status));
            if (r.status == QLatin1String("online") && online < 12) {
                ++online;
                QCOMPARE(s.state, RunState::Running);
                const QString out = consoleText(*c, r.id);
                QVERIFY(out.contains(QLatin1String("molecule-agent[")));
                QVERIFY(!out.contains(QLatin1String("Kernel panic")));
                bootVisible += out.contains(QLatin1String("Cloud-init v. 23.1 finished at"));
            } else if (r.status == QLatin1String("failed")) {
                ++failed;
                QCOMPARE(s.cpState, QStringLiteral("failed"));
                const QString out = consoleText(*c, r.id);
                QVERIFY(out.contains(QLatin1String("Kernel panic - not syncing")));
                QVERIFY(out.contains(QLatin1String("Call Trace:")));
            } else if (r.status == QLatin1String("provisioning")) {
                ++provisioning;
                QCOMPARE(s.cpState, QStringLiteral("pending"));
            }
        }
        QVERIFY(online > 0 && failed > 0 && provisioning > 0 && without > 0);
        QVERIFY(bootVisible > 0); // some came up recently enough that the boot is still on screen

        const auto it = std::find_if(rows.cbegin(), rows.cend(), [](const WorkspaceRow &r) {
            return r.status == QLatin1String("online");
        });
        QVERIFY(runStop(*c, it->id, it->instanceId).ok());
        QCOMPARE(stateOf(it->instanceId), QStringLiteral("stopping"));
        QCOMPARE(runStatus(*c, it->id, it->instanceId).cpState, QStringLiteral("stopping"));
    }
};

QTEST_MAIN(tst_SimFaults)
#include "tst_simfaults.moc"
