#include "secretstore.h"

#include <qt6keychain/keychain.h>

#include <QCoreApplication>
#include <QEventLoop>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QPointer>
#include <QTimer>

// cpc_secrets links Qt Core and QtKeychain only, so it has its own category. Only profile
// names, kinds and keychain error strings are logged here: never a value.
Q_LOGGING_CATEGORY(lcSecrets, "cpc.secrets", QtWarningMsg)

namespace cpc {

namespace {

/// Before the first job: is there plainly no session bus? Then QtKeychain would only fail
/// (or, with some backends, wait for a bus that never comes), so say it without asking.
QString missingSessionBus()
{
#if defined(Q_OS_UNIX) && !defined(Q_OS_MACOS)
    const QString address = qEnvironmentVariable("DBUS_SESSION_BUS_ADDRESS");
    if (address.isEmpty()) {
        const QString runtimeDir = qEnvironmentVariable("XDG_RUNTIME_DIR");
        if (runtimeDir.isEmpty() || !QFileInfo::exists(runtimeDir + QStringLiteral("/bus")))
            return QStringLiteral("no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set)");
        return {};
    }
    // "unix:path=/run/user/1000/bus,guid=…" — any of several ';'-separated addresses may work.
    bool anyUsable = false;
    QStringList missing;
    for (const QString &entry : address.split(u';', Qt::SkipEmptyParts)) {
        if (!entry.startsWith(QStringLiteral("unix:"))) {
            anyUsable = true;
            continue;
        }
        QString path;
        for (const QString &kv : entry.mid(5).split(u',')) {
            if (kv.startsWith(QStringLiteral("path=")))
                path = kv.mid(5);
        }
        if (path.isEmpty() || QFileInfo::exists(path))
            anyUsable = true;
        else
            missing << path;
    }
    if (!anyUsable && !missing.isEmpty())
        return QStringLiteral("no D-Bus session bus (socket %1 does not exist)")
            .arg(missing.join(u' '));
#endif
    return {};
}

bool mentionsMissingService(const QString &message)
{
    static const char *const hints[]
        = { "org.freedesktop.secrets", "D-Bus", "DBus", "dbus", "ServiceUnknown",
            "No such interface", "not provided by any", "Cannot autolaunch", "kwalletd",
            "No keychain",
            // the bus address leads nowhere (libsecret through GDBus)
            "Could not connect", "Connection refused", "Failed to connect to socket" };
    for (const char *h : hints) {
        if (message.contains(QLatin1String(h), Qt::CaseInsensitive))
            return true;
    }
    return false;
}

} // namespace

SecretStore::SecretStore(QString service, int timeoutMs)
    : m_service(std::move(service))
    , m_timeoutMs(std::max(100, timeoutMs))
{
}

QString SecretStore::kindName(Kind kind)
{
    switch (kind) {
    case Kind::SharedSecret:
        return QStringLiteral("shared secret");
    case Kind::AdminToken:
        return QStringLiteral("admin token");
    case Kind::AdminApiKey:
        return QStringLiteral("admin API key");
    case Kind::DbPassword:
        return QStringLiteral("database password");
    }
    return {};
}

QString SecretStore::statusName(Status status)
{
    switch (status) {
    case Status::Ok:
        return QStringLiteral("ok");
    case Status::NotFound:
        return QStringLiteral("not stored");
    case Status::NoKeychain:
        return QStringLiteral("no keychain available");
    case Status::Denied:
        return QStringLiteral("access denied");
    case Status::TimedOut:
        return QStringLiteral("keychain did not answer");
    case Status::Failed:
        return QStringLiteral("keychain error");
    }
    return {};
}

QString SecretStore::entryKey(const QString &profile, Kind kind)
{
    static const char *const keys[]
        = { "shared-secret", "admin-token", "admin-api-key", "db-password" };
    return profile + u'/' + QLatin1String(keys[int(kind)]);
}

void SecretStore::markUnavailable(const QString &reason)
{
    if (!m_unavailable)
        qCInfo(lcSecrets).noquote() << "keychain unavailable:" << reason;
    m_unavailable = true;
    m_unavailableReason = reason;
}

bool SecretStore::isAvailable()
{
    if (!m_probed) {
        m_probed = true;
        if (!QCoreApplication::instance())
            markUnavailable(QStringLiteral("no application event loop"));
        else if (const QString why = missingSessionBus(); !why.isEmpty())
            markUnavailable(why);
    }
    return !m_unavailable;
}

SecretStore::Outcome SecretStore::read(const QString &profile, Kind kind)
{
    return run(Op::Read, profile, kind, {});
}

SecretStore::Outcome SecretStore::write(const QString &profile, Kind kind, const Secret &value)
{
    if (value.isEmpty())
        return run(Op::Delete, profile, kind, {});
    return run(Op::Write, profile, kind, value);
}

SecretStore::Outcome SecretStore::remove(const QString &profile, Kind kind)
{
    return run(Op::Delete, profile, kind, {});
}

SecretStore::Outcome SecretStore::removeAll(const QString &profile)
{
    Outcome last;
    for (Kind k : { Kind::SharedSecret, Kind::AdminToken, Kind::AdminApiKey, Kind::DbPassword }) {
        Outcome o = remove(profile, k);
        if (!o.ok())
            return o;
        last = o;
    }
    return last;
}

SecretStore::Outcome SecretStore::run(Op op, const QString &profile, Kind kind, const Secret &value)
{
    Outcome out;
    if (!isAvailable()) {
        out.status = Status::NoKeychain;
        out.message = QStringLiteral("no keychain available: %1").arg(m_unavailableReason);
        return out;
    }

    QKeychain::Job *job = nullptr;
    switch (op) {
    case Op::Read:
        job = new QKeychain::ReadPasswordJob(m_service);
        break;
    case Op::Write: {
        auto *w = new QKeychain::WritePasswordJob(m_service);
        w->setTextData(value.reveal());
        job = w;
        break;
    }
    case Op::Delete:
        job = new QKeychain::DeletePasswordJob(m_service);
        break;
    }
    job->setAutoDelete(false);
    job->setInsecureFallback(false); // never a plain-text file in disguise
    job->setKey(entryKey(profile, kind));

    QEventLoop loop;
    bool finished = false;
    QObject::connect(job, &QKeychain::Job::finished, &loop, [&finished, &loop] {
        finished = true;
        loop.quit();
    });
    QTimer::singleShot(m_timeoutMs, &loop, &QEventLoop::quit);
    job->start();
    if (!finished)
        loop.exec(QEventLoop::ExcludeUserInputEvents);

    const QString what = QStringLiteral("%1 of profile %2").arg(kindName(kind), profile);
    if (!finished) {
        // The job may still answer later; let it delete itself then instead of deleting it
        // under a pending D-Bus call.
        job->setAutoDelete(true);
        markUnavailable(
            QStringLiteral("the keychain did not answer within %1 s").arg(m_timeoutMs / 1000.0));
        out.status = Status::TimedOut;
        out.message = QStringLiteral("keychain did not answer in time (%1)").arg(what);
        return out;
    }

    const QKeychain::Error err = job->error();
    const QString errText = job->errorString();
    if (op == Op::Read && err == QKeychain::NoError)
        out.value = Secret(static_cast<QKeychain::ReadPasswordJob *>(job)->textData());
    job->deleteLater();

    switch (err) {
    case QKeychain::NoError:
        out.status = Status::Ok;
        break;
    case QKeychain::EntryNotFound:
        out.status = Status::NotFound;
        break;
    case QKeychain::CouldNotDeleteEntry:
        out.status = Status::Failed;
        break;
    case QKeychain::AccessDeniedByUser:
    case QKeychain::AccessDenied:
        out.status = Status::Denied;
        break;
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented:
        out.status = Status::NoKeychain;
        break;
    case QKeychain::OtherError:
        out.status = mentionsMissingService(errText) ? Status::NoKeychain : Status::Failed;
        break;
    }
    if (out.status == Status::NoKeychain) {
        markUnavailable(errText.isEmpty() ? QStringLiteral("no keychain backend") : errText);
        out.message = QStringLiteral("no keychain available: %1").arg(m_unavailableReason);
    } else if (!out.ok()) {
        out.message = QStringLiteral("%1 (%2): %3").arg(statusName(out.status), what, errText);
    }
    qCDebug(lcSecrets).noquote() << "keychain"
                                 << (op == Op::Read        ? "read"
                                         : op == Op::Write ? "write"
                                                           : "delete")
                                 << what << "->" << statusName(out.status);
    return out;
}

} // namespace cpc
