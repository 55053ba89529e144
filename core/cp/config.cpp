#include "config.h"

#include "logging.h"
#include "validation.h"

#include <algorithm>

namespace cpc {

namespace {
struct Pick
{
    QString value;
    QString source;
};

Pick firstOf(const QProcessEnvironment &env, std::initializer_list<const char *> names,
             const QString &profileValue, const QString &profileName)
{
    for (const char *n : names) {
        const QString name = QString::fromLatin1(n);
        const QString v = env.value(name).trimmed();
        if (!v.isEmpty())
            return { v, name };
    }
    if (!profileValue.isEmpty())
        return { profileValue, QStringLiteral("profile %1").arg(profileName) };
    return {};
}
} // namespace

Result<CpConfig> resolveConfig(const QProcessEnvironment &env, const ProfileValues &profile,
                               bool allowInsecureHttp)
{
    CpConfig cfg;
    cfg.allowInsecureHttp = allowInsecureHttp;
    cfg.pollTimeoutMs = std::clamp(profile.pollDeadlineMs, kMinPollDeadlineMs, kMaxPollDeadlineMs);

    const Pick org = firstOf(env, { "MOLECULE_ORG_ID" }, profile.orgId.trimmed(), profile.name);
    if (org.value.isEmpty()) {
        return Error::make(
            Error::Kind::Config,
            QStringLiteral("MOLECULE_ORG_ID is not set: the org ID is required "
                           "(set MOLECULE_ORG_ID or choose a profile that has one)"));
    }
    cfg.orgId = org.value;
    cfg.orgIdSource = org.source;

    Pick url = firstOf(env, { "CP_PROVISION_URL", "MOLECULE_CP_URL" }, profile.cpUrl.trimmed(),
                       profile.name);
    if (url.value.isEmpty())
        url = { QString::fromLatin1(kDefaultCpUrl), QStringLiteral("default") };
    while (url.value.endsWith(u'/'))
        url.value.chop(1);
    cfg.baseUrl = QUrl(url.value, QUrl::StrictMode);
    cfg.baseUrlSource = url.source;
    if (const VoidResult err = validation::checkBaseUrl(cfg.baseUrl, allowInsecureHttp); !err)
        return Error::make(Error::Kind::Config,
                           QStringLiteral("%1 (from %2)").arg(err.error().message, url.source));

    const Pick shared = firstOf(env, { "MOLECULE_CP_SHARED_SECRET", "PROVISION_SHARED_SECRET" },
                                profile.sharedSecret.reveal(), profile.name);
    cfg.sharedSecret = Secret(shared.value);
    cfg.sharedSecretSource = shared.source;

    const Pick admin = firstOf(env, { "ADMIN_TOKEN" }, profile.adminToken.reveal(), profile.name);
    cfg.adminToken = Secret(admin.value);
    cfg.adminTokenSource = admin.source;

    Pick key = firstOf(env, { "CP_ADMIN_API_TOKEN" }, profile.adminApiKey.reveal(), profile.name);
    if (key.value.isEmpty() && !shared.value.isEmpty())
        key = { shared.value, shared.source + QStringLiteral(" (shared secret)") };
    cfg.adminApiKey = Secret(key.value);
    cfg.adminApiKeySource = key.source;

    for (const auto &[secret, source] :
         { std::pair { &cfg.sharedSecret, &cfg.sharedSecretSource },
           std::pair { &cfg.adminToken, &cfg.adminTokenSource },
           std::pair { &cfg.adminApiKey, &cfg.adminApiKeySource } }) {
        for (const QChar c : secret->reveal()) {
            if (c.unicode() < 0x20 || c.unicode() == 0x7f)
                return Error::make(
                    Error::Kind::Config,
                    QStringLiteral("the secret from %1 contains a control character").arg(*source));
        }
    }

    redaction::registerSecret(cfg.sharedSecret);
    redaction::registerSecret(cfg.adminToken);
    redaction::registerSecret(cfg.adminApiKey);
    return cfg;
}

} // namespace cpc
