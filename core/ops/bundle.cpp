#include "bundle.h"

#include "cpc_version.h"
#include "logging.h"
#include "privatefiles.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

namespace cpc {

namespace {

// QSaveFile creates a new file 0666 minus the umask; the bundle holds the audit and console.
constexpr QFileDevice::Permissions kPrivate = QFileDevice::ReadOwner | QFileDevice::WriteOwner;

QString iso(const QDateTime &t)
{
    return t.isValid() ? t.toUTC().toString(Qt::ISODateWithMs) : QString();
}

QJsonObject rowObject(const WorkspaceRow &r)
{
    return {
        { QStringLiteral("id"), r.id },
        { QStringLiteral("name"), r.name },
        { QStringLiteral("role"), r.role },
        { QStringLiteral("tier"), r.tier },
        { QStringLiteral("status"), r.status },
        { QStringLiteral("runtime"), r.runtime },
        { QStringLiteral("instance_id"),
          r.instanceId.isEmpty() ? QJsonValue() : QJsonValue(r.instanceId) },
        { QStringLiteral("url"), r.url },
        { QStringLiteral("last_sample_error"), r.lastSampleError },
        { QStringLiteral("provider"), r.provider },
        { QStringLiteral("last_heartbeat_at"), iso(r.lastHeartbeatAt) },
        { QStringLiteral("created_at"), iso(r.createdAt) },
        { QStringLiteral("updated_at"), iso(r.updatedAt) },
    };
}

QByteArray redactedJson(const QJsonDocument &doc)
{
    return redaction::redact(doc.toJson(QJsonDocument::Indented)).toUtf8();
}

/// Writes one file of the bundle; the reason for a failure, empty on success. Unbuffered and
/// written until a write fails outright: Qt reports a short write (the disk filled up part way)
/// without a reason, and commit() after a failure says "Unknown error".
QString writeFile(const QString &path, const QByteArray &data)
{
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Unbuffered) || !f.setPermissions(kPrivate))
        return f.errorString();
    for (qint64 done = 0; done < data.size();) {
        const qint64 n = f.write(data.constData() + done, data.size() - done);
        if (n <= 0)
            return f.errorString();
        done += n;
    }
    if (!f.commit())
        return f.errorString();
    return {};
}

} // namespace

Result<QStringList> writeBundle(const QString &dirPath, const BundleInput &in)
{
    QDir dir(dirPath);
    if (dir.exists()
        && !dir.entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden).isEmpty())
        return Error::make(Error::Kind::Config,
                           QStringLiteral("bundle directory %1 is not empty").arg(dirPath));
    const bool created = !dir.exists();
    // Private from the start: the folders it creates 0700, its files 0600 (below), whatever the
    // umask. A folder the user made beforehand keeps its mode.
    if (const VoidResult made = files::makePrivateDirectory(dirPath); !made)
        return made.error();

    QJsonObject ws = rowObject(in.row);
    if (in.live && in.live->checked) {
        ws.insert(
            QStringLiteral("live_status"),
            QJsonObject { { QStringLiteral("state"), runStateName(in.live->state) },
                          { QStringLiteral("cp_state"), in.live->cpState },
                          { QStringLiteral("reason"), in.live->reason },
                          { QStringLiteral("checked_at"), iso(in.live->checkedAt) },
                          { QStringLiteral("confirmed_at"), iso(in.live->confirmedAt) },
                          { QStringLiteral("last_known"), runStateName(in.live->lastKnown) } });
    }
    QJsonArray history;
    for (const StatusSample &s : in.history)
        history.append(QJsonObject { { QStringLiteral("at"), iso(s.at) },
                                     { QStringLiteral("state"), runStateName(s.state) },
                                     { QStringLiteral("cp_state"), s.cpState },
                                     { QStringLiteral("detail"), s.detail } });
    QJsonArray audit;
    for (const AuditEntry &a : in.audit)
        audit.append(QJsonObject { { QStringLiteral("at"), iso(a.at) },
                                   { QStringLiteral("user"), a.user },
                                   { QStringLiteral("profile"), a.profile },
                                   { QStringLiteral("org_id"), a.orgId },
                                   { QStringLiteral("workspace_id"), a.workspaceId },
                                   { QStringLiteral("action"), a.action },
                                   { QStringLiteral("request"), a.request },
                                   { QStringLiteral("result"), a.result },
                                   { QStringLiteral("detail"), a.detail } });

    QList<QPair<QString, QByteArray>> files {
        { QStringLiteral("workspace.json"), redactedJson(QJsonDocument(ws)) },
        { QStringLiteral("status-history.json"), redactedJson(QJsonDocument(history)) },
        { QStringLiteral("audit.json"), redactedJson(QJsonDocument(audit)) },
        { QStringLiteral("console.txt"),
          in.consoleError.isEmpty()
              ? redaction::redact(in.consoleShown).toUtf8()
              : redaction::redact(QStringLiteral("(no console: %1)\n").arg(in.consoleError))
                    .toUtf8() },
        // Raw bytes stay raw except for secrets: the redactor works on text, so invalid UTF-8
        // in the raw log is only rewritten when a secret has to be removed from it.
        { QStringLiteral("console-raw.log"),
          redaction::redact(in.consoleRaw) == QString::fromUtf8(in.consoleRaw)
              ? in.consoleRaw
              : redaction::redact(in.consoleRaw).toUtf8() },
    };

    QJsonArray manifestFiles;
    QStringList written;
    // A bundle without all its files would pass for a complete one: what was written goes.
    const auto failed = [&](const QString &name, const QString &why) {
        for (const QString &f : std::as_const(written))
            QFile::remove(dir.filePath(f));
        if (created)
            QDir().rmdir(dirPath);
        return Error::make(Error::Kind::Database,
                           QStringLiteral("could not write %1: %2 (the partial bundle was removed)")
                               .arg(dir.filePath(name), why));
    };
    for (const auto &[name, data] : files) {
        if (const QString why = writeFile(dir.filePath(name), data); !why.isEmpty())
            return failed(name, why);
        manifestFiles.append(QJsonObject {
            { QStringLiteral("name"), name },
            { QStringLiteral("bytes"), qint64(data.size()) },
            { QStringLiteral("sha256"),
              QString::fromLatin1(
                  QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex()) } });
        written << name;
    }
    const QJsonObject manifest {
        { QStringLiteral("format"), QStringLiteral("cpconsole-incident-bundle/1") },
        { QStringLiteral("generator"), QStringLiteral("cpconsole " CPC_VERSION) },
        { QStringLiteral("created_at"), iso(QDateTime::currentDateTimeUtc()) },
        { QStringLiteral("workspace_id"), in.row.id },
        { QStringLiteral("profile"), in.profile },
        { QStringLiteral("org_id"), in.orgId },
        { QStringLiteral("cp_url"), redaction::redact(in.cpUrl) },
        { QStringLiteral("files"), manifestFiles },
    };
    const QByteArray m = redactedJson(QJsonDocument(manifest));
    if (const QString why = writeFile(dir.filePath(QStringLiteral("manifest.json")), m);
        !why.isEmpty())
        return failed(QStringLiteral("manifest.json"), why);
    written << QStringLiteral("manifest.json");
    return written;
}

} // namespace cpc
