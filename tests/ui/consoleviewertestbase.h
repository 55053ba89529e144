#pragma once

// What the console viewer suites share: console text to feed a viewer, a viewer shown at a
// fixed size, and the CP simulator with a real client for the live cases.

#include "captures.h"
#include "consolefindbar.h"
#include "consoletheme.h"
#include "consoleview.h"
#include "consoleviewer.h"
#include "cpclient.h"
#include "simfixture.h"
#include "simulator.h"
#include "testutil.h"

#include <QApplication>
#include <QClipboard>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QNetworkAccessManager>
#include <QRegularExpression>
#include <QScrollBar>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QToolButton>
#include <QtTest>

#include <memory>

namespace cpc::test {

using ui::ConsoleViewer;

inline const QString kShared = QStringLiteral("viewer-shared-51c2");
inline const QString kAdminToken = QStringLiteral("viewer-admintok-9e0a");
inline const QString kAdminKey = QStringLiteral("viewer-adminkey-33d7");
inline const QString kWs = QStringLiteral("5d1c0b7e-2f4a-4c3b-9e8d-7a6b5c4d3e2f");

inline QString capture(const char *name)
{
    return QString::fromUtf8(consoleCapture(QLatin1String(name)));
}

/// Console lines `from`..`to` (1-based), complete, as a kernel would print them.
inline QString lines(int from, int to)
{
    QString out;
    for (int i = from; i <= to; ++i)
        out += QStringLiteral("[%1.000000] message number %2 from the console\r\n")
                   .arg(i, 5)
                   .arg(i);
    return out;
}

inline Result<ConsoleOutput> ok(const QString &text)
{
    return ConsoleOutput { text, int(text.toUtf8().size()) };
}

/// The line number of the first line containing `needle`, 0 when none.
inline int findLine(const ConsoleBuffer &b, const QString &needle)
{
    for (int n = b.firstLineNumber(); n <= b.lastLineNumber(); ++n)
        if (b.lineText(n).contains(needle))
            return n;
    return 0;
}

inline int countOccurrences(const ConsoleBuffer &b, const QString &needle, Qt::CaseSensitivity cs)
{
    int count = 0;
    for (int n = b.firstLineNumber(); n <= b.lastLineNumber(); ++n)
        count += int(b.lineText(n).count(needle, cs));
    return count;
}

inline bool isRedDominant(QRgb c)
{
    return qRed(c) > 150 && qGreen(c) < 110 && qBlue(c) < 110;
}

/// The fixture: settings in a temporary folder, the simulator and its client.
class ConsoleViewerTestBase : public QObject
{
protected:
    QTemporaryDir m_settingsDir;
    std::unique_ptr<QNetworkAccessManager> m_nam;
    std::unique_ptr<Simulator> m_sim;

    /// A viewer shown at a fixed size, as the console tab would show it.
    std::unique_ptr<ConsoleViewer> shownViewer(ConsoleViewer::Fetcher fetch = {})
    {
        auto v = std::make_unique<ConsoleViewer>(std::move(fetch));
        v->resize(1000, 600);
        v->show();
        if (!QTest::qWaitForWindowExposed(v.get()))
            qWarning("viewer window not exposed");
        return v;
    }

    bool startSim(const QString &faults = {})
    {
        SimulatorOptions o = simulatorOptions({ kShared, kAdminToken, kAdminKey });
        o.bootMs = 100;
        o.stopMs = 100;
        o.consoleGrowthMs = 25;
        o.seed = 7;
        o.faults = faults;
        m_sim = startSimulator(o);
        return m_sim != nullptr;
    }

    std::unique_ptr<CpClient> simClient(int timeoutMs = 5000)
    {
        CpConfig c = cpConfig(m_sim->baseUrl(), { kShared, kAdminToken, kAdminKey }, timeoutMs);
        c.provisionTimeoutMs = 5000;
        auto client = std::make_unique<CpClient>(m_nam.get(), c);
        client->setRetryPolicy(RetryPolicy::immediate(2));
        return client;
    }

    static bool provision(CpClient &client)
    {
        return runProvision(client, provisionRequest(kWs)).ok();
    }

    /// True once the viewer holds console text; until then, asks again after each answer.
    static bool hasFetchedText(ConsoleViewer &v, const QSignalSpy &fetched)
    {
        if (v.isFetching() || fetched.isEmpty())
            return false;
        v.flushPendingUpdates();
        if (!v.buffer().isEmpty())
            return true;
        v.refresh();
        return false;
    }

    static ConsoleViewer::Fetcher fetcherFor(CpClient *client, const QString &ws = kWs)
    {
        return [client, ws](QObject *context, const ConsoleViewer::Done &done) {
            return client->consoleOutput(ws, context, done);
        };
    }

    bool setUpCase()
    {
        if (!m_settingsDir.isValid())
            return false;
        QCoreApplication::setOrganizationName(QStringLiteral("cpc-tests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_consoleviewer"));
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_settingsDir.path());
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_settingsDir.path());
        m_nam = std::make_unique<QNetworkAccessManager>();
        return true;
    }
};

} // namespace cpc::test
