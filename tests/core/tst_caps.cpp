// Body caps and deadlines hold where the bytes arrive: a CP that answers with an endless body
// or endless header lines costs a bounded amount of memory and fails on time, on every route,
// while the main (GUI) thread is busy. Its own executable because peak RSS is per process.
#include "cpclient.h"
#include "streamserver.h"
#include "testutil.h"

#include <QElapsedTimer>
#include <QFile>
#include <QNetworkAccessManager>
#include <QTimer>
#include <QtTest>

using namespace cpc;
using namespace cpc::test;

namespace {
const QString kWs = QStringLiteral("3f2b8c1e-9d4a-4b6e-8f00-1a2b3c4d5e6f");
const QString kIid = QStringLiteral("i-0abc123def4567890");
constexpr qint64 kRssBudget = qint64(32) * 1024 * 1024;
constexpr qint64 kHeadCap = qint64(64) * 1024; ///< status line and headers

enum class Call { Provision, Stop, Status, Console };

/// A field of /proc/self/status in bytes ("VmHWM", "VmRSS"), -1 when unreadable.
qint64 procStatusBytes(const QByteArray &field)
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : f.readAll().split('\n')) {
        if (line.startsWith(field + ':'))
            return line.mid(field.size() + 1).trimmed().split(' ').value(0).toLongLong() * 1024;
    }
    return -1;
}

/// Resets VmHWM to the current RSS (Linux: "5" to clear_refs), so that each case measures its
/// own peak. Without it the peak of an earlier case would hide a later one's.
bool resetPeakRss()
{
    QFile f(QStringLiteral("/proc/self/clear_refs"));
    return f.open(QIODevice::WriteOnly) && f.write("5") == 1;
}

const char *callName(Call c)
{
    switch (c) {
    case Call::Provision:
        return "provision";
    case Call::Stop:
        return "stop";
    case Call::Status:
        return "status";
    case Call::Console:
        return "console";
    }
    return "?";
}
} // namespace

Q_DECLARE_METATYPE(Call)
Q_DECLARE_METATYPE(StreamServer::Mode)

class tst_Caps : public QObject
{
    Q_OBJECT

    QNetworkAccessManager m_nam;
    QTimer m_busy;

    struct Outcome
    {
        bool delivered = false;
        bool ok = false;
        Error error;
        std::chrono::steady_clock::time_point at;
    };

    Outcome run(Call call, CpClient &c)
    {
        Outcome o;
        auto done = [&o](bool ok, const Error &e) {
            o.delivered = true;
            o.ok = ok;
            o.error = e;
            o.at = std::chrono::steady_clock::now();
        };
        switch (call) {
        case Call::Provision: {
            ProvisionRequest r;
            r.workspaceId = kWs;
            r.runtime = QStringLiteral("python");
            c.provision(r, this, [done](const Result<ProvisionResult> &res) {
                done(res.ok(), res ? Error {} : res.error());
            });
            break;
        }
        case Call::Stop:
            c.stop(kWs, kIid, this,
                   [done](const VoidResult &res) { done(res.ok(), res ? Error {} : res.error()); });
            break;
        case Call::Status:
            c.status(kWs, kIid, this,
                     [done](const StatusResult &s) { done(!s.error, s.error.value_or(Error {})); });
            break;
        case Call::Console:
            c.consoleOutput(kWs, this, [done](const Result<ConsoleOutput> &res) {
                done(res.ok(), res ? Error {} : res.error());
            });
            break;
        }
        [&] {
            QTRY_VERIFY_WITH_TIMEOUT(o.delivered, 120'000);
        }();
        return o;
    }

    std::unique_ptr<CpClient> client(const QUrl &base, int deadlineMs)
    {
        CpConfig cfg;
        cfg.orgId = QStringLiteral("org-caps");
        cfg.baseUrl = base;
        cfg.sharedSecret = Secret(QStringLiteral("caps-shared-5ecr3t"));
        cfg.adminToken = Secret(QStringLiteral("caps-admin-tok"));
        cfg.requestTimeoutMs = deadlineMs;
        cfg.provisionTimeoutMs = deadlineMs;
        auto c = std::make_unique<CpClient>(&m_nam, cfg);
        c->setRetryPolicy(RetryPolicy::immediate(1));
        return c;
    }

    static qint64 capOf(Call call)
    {
        switch (call) {
        case Call::Provision:
            return CpClient::kProvisionCap;
        case Call::Stop:
            return CpClient::kStopExcerpt;
        case Call::Status:
            return CpClient::kStatusCap;
        case Call::Console:
            return CpClient::kConsoleCap;
        }
        return 0;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(procStatusBytes("VmHWM") > 0, "no VmHWM in /proc/self/status");
        // The GUI thread of an engineer's console is rarely idle: keep this one busy for 20 ms
        // of every turn of its event loop, so that nothing here relies on the main thread
        // reading in time. The caps must hold in Qt's network thread.
        m_busy.setInterval(0);
        connect(&m_busy, &QTimer::timeout, this, [] {
            QElapsedTimer t;
            t.start();
            while (t.elapsed() < 20) { }
        });
    }
    void init() { m_busy.start(); }
    void cleanup() { m_busy.stop(); }

    void endlessBody_data()
    {
        QTest::addColumn<Call>("call");
        QTest::addColumn<StreamServer::Mode>("mode");
        QTest::addColumn<int>("status");
        QTest::addColumn<bool>("redirect");
        for (Call call : { Call::Provision, Call::Stop, Call::Status, Call::Console }) {
            // Stop reads a body only on its error path; a 2xx stop succeeds whatever follows.
            const int status = call == Call::Provision ? 201 : call == Call::Stop ? 502 : 200;
            QTest::addRow("%s chunked", callName(call))
                << call << StreamServer::Mode::Chunked << status << false;
            QTest::addRow("%s without length", callName(call))
                << call << StreamServer::Mode::CloseDelimited << status << false;
            // A followed redirect is a new request inside Qt: the cap must hold there too.
            QTest::addRow("%s chunked after a redirect", callName(call))
                << call << StreamServer::Mode::Chunked << status << true;
        }
        QTest::addRow("stop 200 chunked")
            << Call::Stop << StreamServer::Mode::Chunked << 200 << false;
    }
    void endlessBody()
    {
        QFETCH(Call, call);
        QFETCH(StreamServer::Mode, mode);
        QFETCH(int, status);
        QFETCH(bool, redirect);
        const qint64 cap = capOf(call);
        StreamServer server(mode, status, cap + 1, redirect);
        // A deadline far away: the cap, not the deadline, must end the call.
        auto c = client(server.baseUrl(), 60'000);

        QVERIFY(resetPeakRss());
        const qint64 before = procStatusBytes("VmRSS");
        const Outcome o = run(call, *c);
        const qint64 peak = procStatusBytes("VmHWM");
        QVERIFY(o.delivered);
        const auto mark = server.markTime();
        QVERIFY2(mark, "the server never sent past the cap");
        const auto late = std::chrono::duration_cast<std::chrono::milliseconds>(o.at - *mark);
        qInfo("%s: peak RSS +%lld KiB, answered %lld ms after the cap was sent, %lld MiB sent",
              QTest::currentDataTag(), (peak - before) / 1024, qint64(late.count()),
              server.bytesSent() >> 20);

        if (call == Call::Stop && status < 300) {
            QVERIFY2(o.ok, qPrintable(o.error.message));
        } else {
            QVERIFY(!o.ok);
            QVERIFY2(o.error.message.contains(
                         QStringLiteral("response larger than %1")
                             .arg(cap % 1024 == 0 ? QStringLiteral("%1 KiB").arg(cap / 1024)
                                                  : QStringLiteral("%1 bytes").arg(cap))),
                     qPrintable(o.error.message));
            QCOMPARE(o.error.httpStatus, status);
        }
        QCOMPARE(server.requests(), redirect ? 2 : 1);
        QVERIFY2(late < std::chrono::seconds(1), qPrintable(QString::number(late.count())));
        QVERIFY2(peak - before < kRssBudget,
                 qPrintable(QStringLiteral("peak RSS grew by %1 MiB").arg((peak - before) >> 20)));
    }

    void headersForever_data()
    {
        QTest::addColumn<Call>("call");
        for (Call call : { Call::Provision, Call::Stop, Call::Status, Call::Console })
            QTest::addRow("%s", callName(call)) << call;
    }
    // Header lines as fast as they are read: the head has a cap of its own.
    void headersForever()
    {
        QFETCH(Call, call);
        StreamServer server(StreamServer::Mode::HeaderFlood, 200, kHeadCap + 1);
        auto c = client(server.baseUrl(), 60'000);

        QVERIFY(resetPeakRss());
        const qint64 before = procStatusBytes("VmRSS");
        const Outcome o = run(call, *c);
        const qint64 peak = procStatusBytes("VmHWM");
        const auto mark = server.markTime();
        QVERIFY2(mark, "the server never sent past the cap");
        const auto late = std::chrono::duration_cast<std::chrono::milliseconds>(o.at - *mark);
        qInfo("%s: peak RSS +%lld KiB, answered %lld ms after the cap was sent, %lld MiB sent",
              QTest::currentDataTag(), (peak - before) / 1024, qint64(late.count()),
              server.bytesSent() >> 20);
        QVERIFY(!o.ok);
        QCOMPARE(o.error.kind, Error::Kind::Decode);
        QVERIFY2(o.error.message.contains(QLatin1String("response headers larger than 64 KiB")),
                 qPrintable(o.error.message));
        QVERIFY2(late < std::chrono::seconds(1), qPrintable(QString::number(late.count())));
        QVERIFY2(peak - before < kRssBudget,
                 qPrintable(QStringLiteral("peak RSS grew by %1 MiB").arg((peak - before) >> 20)));
    }

    void headersDripForever_data() { headersForever_data(); }
    // A header line now and then, forever: the deadline covers the head too.
    void headersDripForever()
    {
        QFETCH(Call, call);
        StreamServer server(StreamServer::Mode::HeaderDrip, 200, 1);
        const int deadlineMs = 1500;
        auto c = client(server.baseUrl(), deadlineMs);
        const auto start = std::chrono::steady_clock::now();
        const Outcome o = run(call, *c);
        const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(o.at - start);
        QVERIFY(!o.ok);
        QCOMPARE(o.error.kind, Error::Kind::Timeout);
        QVERIFY2(server.bytesSent() > 100, "the server never dripped");
        QVERIFY2(took >= std::chrono::milliseconds(deadlineMs)
                     && took < std::chrono::milliseconds(deadlineMs + 1000),
                 qPrintable(QString::number(took.count())));
    }
};

QTEST_GUILESS_MAIN(tst_Caps)
#include "tst_caps.moc"
