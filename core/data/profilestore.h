#pragma once

#include "config.h"

#include <QStringList>

class QSettings;

namespace cpc {

/// Saved profiles: plain values in QSettings (group "profiles/<name>"), never a secret. Secrets
/// live in the OS keychain (see SecretStore); a profile only remembers which ones it has.
class ProfileStore
{
public:
    /// Uses cpconsole's settings (settingsFileName()) unless a file is given (tests), whatever
    /// the application's name: cpctl reads the profiles the window saved.
    explicit ProfileStore(const QString &settingsFile = {});
    ~ProfileStore();

    QStringList names() const;
    bool contains(const QString &name) const;
    /// The plain values; secrets are left empty. A dbUrl saved by an older version may still
    /// hold a password (see splitPassword()).
    ProfileValues load(const QString &name) const;
    /// Writes the plain values; a password in dbUrl is dropped, never written.
    void save(const ProfileValues &profile);
    void remove(const QString &name);
    QString lastUsed() const;
    void setLastUsed(const QString &name);

    static bool isValidName(const QString &name);
    /// The file profiles are read from: `settingsFile`, else cpconsole's settings file
    /// (~/.config/CPConsole/cpconsole.conf on Linux).
    static QString settingsFileName(const QString &settingsFile = {});
    /// The settings file private before anything writes it: created 0600 (its folder 0700)
    /// when missing, and an earlier version's readable one closed to 0600. cpconsole's
    /// settings file unless one is given. Every writer here calls it; cpconsole calls it at
    /// start for the window's own settings.
    static void secureSettingsFile(const QString &settingsFile = {});

private:
    std::unique_ptr<QSettings> m_settings;
};

} // namespace cpc
