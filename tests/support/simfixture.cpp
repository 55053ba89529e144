#include "simfixture.h"

#include <QDebug>

namespace cpc::test {

SimulatorOptions simulatorOptions(const CpSecrets &secrets)
{
    SimulatorOptions o;
    o.sharedSecret = Secret(secrets.shared);
    o.adminToken = Secret(secrets.adminToken);
    o.adminApiKey = Secret(secrets.adminKey);
    return o;
}

std::unique_ptr<Simulator> startSimulator(const SimulatorOptions &options)
{
    auto sim = std::make_unique<Simulator>(options);
    QString error;
    if (!sim->start(&error)) {
        qWarning() << "simulator did not start:" << error;
        return nullptr;
    }
    return sim;
}

} // namespace cpc::test
