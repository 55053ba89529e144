#pragma once

#include "secret.h"

#include <QString>

namespace cpc {

/// A profile's secrets in the OS keychain (Secret Service, KWallet, macOS Keychain, Windows
/// Credential Store) through QtKeychain. Calls are synchronous: each runs the keychain job in a
/// local event loop with a timeout, so a hung keychain daemon costs at most that long once.
/// When no keychain is reachable (no D-Bus session, no Secret Service) the store says so as
/// a state, NoKeychain, fails fast from then on, and the caller falls back to the environment.
/// Nothing here logs or prints a secret value; only the profile name and the secret's kind.
class SecretStore
{
public:
    /// DbPassword: the PostgreSQL password of the profile's database URL, which the settings
    /// file never holds.
    enum class Kind { SharedSecret, AdminToken, AdminApiKey, DbPassword };
    enum class Status {
        Ok, ///< done (a read found the value)
        NotFound, ///< a read or delete found nothing stored: not an error
        NoKeychain, ///< no keychain available; see unavailableReason()
        Denied, ///< the user refused access
        TimedOut, ///< the keychain did not answer in time (then treated as unavailable)
        Failed, ///< another keychain error; see the message
    };
    struct Outcome
    {
        Status status = Status::Ok;
        QString message; ///< safe to show: never contains a secret
        Secret value; ///< reads only
        bool ok() const { return status == Status::Ok || status == Status::NotFound; }
    };

    /// `service` names the keychain entries ("cpconsole"); tests pass their own.
    explicit SecretStore(QString service = QStringLiteral("cpconsole"), int timeoutMs = 5000);

    Outcome read(const QString &profile, Kind kind);
    Outcome write(const QString &profile, Kind kind, const Secret &value);
    Outcome remove(const QString &profile, Kind kind);
    /// Removes all the secrets of a profile (deleting a profile).
    Outcome removeAll(const QString &profile);

    /// False once the keychain was found missing or unresponsive (or, before any call, when
    /// there is plainly no session bus to reach one). Then every call returns NoKeychain at once.
    bool isAvailable();
    QString unavailableReason() const { return m_unavailableReason; }

    /// "shared secret", "admin token", "admin API key", "database password"
    static QString kindName(Kind kind);
    static QString statusName(Status status);
    /// The keychain entry name: "<profile>/<kind-key>".
    static QString entryKey(const QString &profile, Kind kind);

private:
    enum class Op { Read, Write, Delete };
    Outcome run(Op op, const QString &profile, Kind kind, const Secret &value);
    void markUnavailable(const QString &reason);

    QString m_service;
    int m_timeoutMs;
    bool m_probed = false;
    bool m_unavailable = false;
    QString m_unavailableReason;
};

} // namespace cpc
