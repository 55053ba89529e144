#include "statefeed.h"

#include "logging.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlError>

namespace cpc {

namespace {
const QString kChannel = QStringLiteral("cpconsole_events");
constexpr int kCheckMsecs = 5000;
} // namespace

StateFeed::StateFeed(StateStore *store, QObject *parent)
    : QObject(parent)
    , m_store(store)
{
    qRegisterMetaType<cpc::AuditEntry>();
    qRegisterMetaType<cpc::JournalEntry>();
    if (!m_store || !m_store->isTeam())
        return;
    m_shared = m_store->isShared();
    m_check.setInterval(kCheckMsecs);
    connect(&m_check, &QTimer::timeout, this, &StateFeed::check);
    m_check.start();
    subscribe();
}

void StateFeed::subscribe()
{
    QSqlDriver *driver = m_store->notificationDriver();
    if (!driver || driver == m_driver)
        return;
    if (const auto latest = m_store->audit({}, 1); latest && !latest->isEmpty())
        m_lastAuditId = std::max(m_lastAuditId, latest->first().id);
    if (!driver->subscribeToNotification(kChannel)) {
        qCWarning(lcDb).noquote() << "cannot listen to the team state:"
                                  << driver->lastError().text();
        return;
    }
    m_driver = driver;
    connect(driver, &QSqlDriver::notification, this, &StateFeed::onNotification);
}

void StateFeed::onNotification(const QString &name, QSqlDriver::NotificationSource source,
                               const QVariant &payload)
{
    if (name != kChannel)
        return;
    const QJsonObject o = QJsonDocument::fromJson(payload.toString().toUtf8()).object();
    const qint64 id = o.value(QLatin1String("id")).toInteger();
    const bool fromOthers = source != QSqlDriver::SelfSource;
    const QString table = o.value(QLatin1String("table")).toString();
    if (table == QLatin1String("audit")) {
        if (!fromOthers)
            m_ownAuditIds.insert(id, true);
        drainAudit();
    } else if (table == QLatin1String("journal")) {
        if (const auto e = m_store->journalEntry(id))
            Q_EMIT journalChanged(*e, fromOthers);
    }
}

void StateFeed::drainAudit()
{
    const auto entries = m_store->auditAfter(m_lastAuditId);
    if (!entries)
        return;
    for (const AuditEntry &e : *entries) {
        m_lastAuditId = std::max(m_lastAuditId, e.id);
        Q_EMIT auditAppended(e, !m_ownAuditIds.take(e.id));
    }
}

void StateFeed::check()
{
    if (!m_store || !m_store->isTeam())
        return;
    const bool wasShared = m_shared;
    const auto r = m_store->reconnect();
    m_shared = m_store->isShared();
    if (m_shared && !wasShared) {
        m_driver = nullptr;
        subscribe();
        Q_EMIT sharingChanged(true, {}, r ? *r : 0);
    } else if (!m_shared && wasShared) {
        if (m_driver)
            disconnect(m_driver, nullptr, this, nullptr);
        m_driver = nullptr;
        Q_EMIT sharingChanged(false, m_store->teamProblem(), 0);
    }
    if (m_shared)
        drainAudit(); // an announcement that came while a query ran may not have been read
}

} // namespace cpc
