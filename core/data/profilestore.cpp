#include "profilestore.h"

#include "dburl.h"
#include "privatefiles.h"

#include <QRegularExpression>
#include <QSettings>

#include <algorithm>

namespace cpc {

namespace {

/// Profiles belong to cpconsole, not to the program reading them: cpctl's application name
/// would otherwise lead QSettings to a cpctl.conf the window never writes.
std::unique_ptr<QSettings> openSettings(const QString &settingsFile)
{
    if (!settingsFile.isEmpty())
        return std::make_unique<QSettings>(settingsFile, QSettings::IniFormat);
    return std::make_unique<QSettings>(QStringLiteral("CPConsole"), QStringLiteral("cpconsole"));
}

} // namespace

ProfileStore::ProfileStore(const QString &settingsFile)
    : m_settings(openSettings(settingsFile))
{
    files::tightenOwnFile(m_settings->fileName());
}

ProfileStore::~ProfileStore() = default;

void ProfileStore::secureSettingsFile(const QString &settingsFile)
{
    const QString file = settingsFileName(settingsFile);
    files::tightenOwnFile(file);
    // QSettings replaces the file through QSaveFile, which keeps the mode of the file it
    // replaces: one created 0600 here stays 0600.
    if (const VoidResult made = files::createPrivateFile(file); !made)
        qWarning().noquote() << made.error().message;
}

QString ProfileStore::settingsFileName(const QString &settingsFile)
{
    return openSettings(settingsFile)->fileName();
}

bool ProfileStore::isValidName(const QString &name)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"));
    return re.match(name).hasMatch();
}

QStringList ProfileStore::names() const
{
    m_settings->beginGroup(QStringLiteral("profiles"));
    QStringList n = m_settings->childGroups();
    m_settings->endGroup();
    n.sort(Qt::CaseInsensitive);
    return n;
}

bool ProfileStore::contains(const QString &name) const
{
    return isValidName(name) && names().contains(name);
}

ProfileValues ProfileStore::load(const QString &name) const
{
    ProfileValues p;
    p.name = name;
    if (!isValidName(name))
        return p;
    m_settings->beginGroup(QStringLiteral("profiles/") + name);
    p.orgId = m_settings->value(QStringLiteral("orgId")).toString();
    p.cpUrl = m_settings->value(QStringLiteral("cpUrl")).toString();
    p.dbUrl = m_settings->value(QStringLiteral("dbUrl")).toString();
    p.teamStateUrl = m_settings->value(QStringLiteral("teamState")).toString();
    p.readOnly = m_settings->value(QStringLiteral("readOnly"), false).toBool();
    p.allowWrites = m_settings->value(QStringLiteral("allowWrites"), false).toBool();
    p.production = m_settings->value(QStringLiteral("production"), false).toBool();
    bool ok = false;
    const int deadline = m_settings->value(QStringLiteral("pollDeadlineMs")).toInt(&ok);
    if (ok)
        p.pollDeadlineMs = std::clamp(deadline, kMinPollDeadlineMs, kMaxPollDeadlineMs);
    m_settings->endGroup();
    return p;
}

void ProfileStore::save(const ProfileValues &p)
{
    if (!isValidName(p.name))
        return;
    secureSettingsFile(m_settings->fileName());
    m_settings->beginGroup(QStringLiteral("profiles/") + p.name);
    m_settings->setValue(QStringLiteral("orgId"), p.orgId);
    m_settings->setValue(QStringLiteral("cpUrl"), p.cpUrl);
    // Never a password in the settings file: the caller has put it in the keychain.
    m_settings->setValue(QStringLiteral("dbUrl"), splitPassword(p.dbUrl).url);
    m_settings->setValue(QStringLiteral("teamState"), splitPassword(p.teamStateUrl).url);
    m_settings->setValue(QStringLiteral("readOnly"), p.readOnly);
    m_settings->setValue(QStringLiteral("allowWrites"), p.allowWrites);
    m_settings->setValue(QStringLiteral("production"), p.production);
    m_settings->setValue(QStringLiteral("pollDeadlineMs"), p.pollDeadlineMs);
    m_settings->endGroup();
    m_settings->sync();
}

void ProfileStore::remove(const QString &name)
{
    if (!isValidName(name))
        return;
    secureSettingsFile(m_settings->fileName());
    m_settings->remove(QStringLiteral("profiles/") + name);
    m_settings->sync();
}

QString ProfileStore::lastUsed() const
{
    return m_settings->value(QStringLiteral("lastProfile")).toString();
}

void ProfileStore::setLastUsed(const QString &name)
{
    secureSettingsFile(m_settings->fileName());
    m_settings->setValue(QStringLiteral("lastProfile"), name);
}

} // namespace cpc
