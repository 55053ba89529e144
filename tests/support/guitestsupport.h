#pragma once

// Shared by the GUI suites: a real CP simulator on loopback, a generated SQLite workspace
// database and a local state file in a temporary directory, and the session options that
// point a console at them (through the environment, as an engineer's shell would).
#include "demodata.h"
#include "session.h"
#include "simfixture.h"
#include "simulator.h"
#include "sqltest.h"
#include "workspacesource.h"

#include <QTemporaryDir>
#include <QtTest>

#include <memory>

namespace cpc::test {

inline const QString kGuiShared = QStringLiteral("gui-shared-secret-31c4");
inline const QString kGuiAdmin = QStringLiteral("gui-admin-token-8e02");
inline const QString kGuiApiKey = QStringLiteral("gui-admin-apikey-d9b7");

class SimEnvironment
{
public:
    QTemporaryDir dir;
    std::unique_ptr<Simulator> sim;
    QList<WorkspaceRow> rows;
    quint16 port = 0;
    int bootMs = 300; ///< how long an instance the simulator adopts as pending stays pending

    /// Generates `n` rows into the database and starts the simulator with their instances.
    bool start(int n, quint32 seed = 5)
    {
        if (!dir.isValid())
            return false;
        rows = generateWorkspaces(n, seed, QDateTime::currentDateTimeUtc());
        auto src = WorkspaceSource::open(dbUrl());
        if (!src || !src.value()->upsertRows(rows))
            return false;
        return startSimulator(0);
    }

    /// A new simulator on the same port (the CP came back), knowing the same instances.
    bool startSimulator(quint16 onPort)
    {
        SimulatorOptions o = simulatorOptions({ kGuiShared, kGuiAdmin, kGuiApiKey });
        o.port = onPort;
        o.bootMs = bootMs;
        o.stopMs = 300;
        o.consoleGrowthMs = 50;
        o.seed = 9;
        sim = cpc::test::startSimulator(o);
        if (!sim)
            return false;
        port = sim->port();
        sim->adopt(rows);
        return true;
    }

    QString dbUrl() const
    {
        return QStringLiteral("sqlite:") + dir.filePath(QStringLiteral("workspaces.sqlite"));
    }
    QString statePath() const { return dir.filePath(QStringLiteral("state.sqlite")); }
    QString profilesFile() const { return dir.filePath(QStringLiteral("profiles.ini")); }

    QProcessEnvironment environment() const
    {
        QProcessEnvironment env;
        env.insert(QStringLiteral("MOLECULE_ORG_ID"), QStringLiteral("org-gui-test"));
        env.insert(QStringLiteral("CP_PROVISION_URL"),
                   QStringLiteral("http://127.0.0.1:%1").arg(port));
        env.insert(QStringLiteral("MOLECULE_CP_SHARED_SECRET"), kGuiShared);
        env.insert(QStringLiteral("ADMIN_TOKEN"), kGuiAdmin);
        env.insert(QStringLiteral("CP_ADMIN_API_TOKEN"), kGuiApiKey);
        return env;
    }

    cpc::ui::SessionOptions options() const
    {
        cpc::ui::SessionOptions o;
        o.env = environment();
        o.dbUrl = dbUrl();
        o.statePath = statePath();
        o.profileSettingsFile = profilesFile();
        o.pollIntervalMs = 500;
        return o;
    }

    /// The row the database has now (the console writes instance_id and status).
    std::optional<WorkspaceRow> row(const QString &id) const { return workspaceRow(dbUrl(), id); }

    /// A workspace the simulator runs (online, with an instance).
    WorkspaceRow runningRow(int skip = 0) const
    {
        for (const WorkspaceRow &r : rows) {
            if (r.status == QLatin1String("online") && !r.instanceId.isEmpty() && skip-- == 0)
                return r;
        }
        return {};
    }
};

/// Settings (window layout, profiles) in a private directory, never the developer's own.
inline void isolateSettings(const QString &dir)
{
    qputenv("XDG_CONFIG_HOME", dir.toLocal8Bit());
    qputenv("XDG_DATA_HOME", (dir + QStringLiteral("/data")).toLocal8Bit());
    QStandardPaths::setTestModeEnabled(true);
}

} // namespace cpc::test
