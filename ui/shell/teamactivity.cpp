#include "teamactivity.h"

#include "logging.h"
#include "notifier.h"
#include "session.h"
#include "statefeed.h"
#include "termtext.h"
#include "workspacelistpane.h"
#include "workspacemodel.h"

namespace cpc::ui {

namespace {

constexpr int kLeaseCheckMsecs = 5000;
constexpr int kUnsharedCheckMsecs = 2000;
constexpr int kDetailChars = 80;

/// The name a teammate goes by: the database role that took the lease (the server's word),
/// else the OS user the holder reported.
QString whoOf(const LockHolder &h)
{
    return termtext::sanitize(!h.dbUser.isEmpty() ? h.dbUser : h.user);
}

QString clock(const QDateTime &t)
{
    if (!t.isValid())
        return QStringLiteral("--:--:--");
    const QDateTime local = t.toLocalTime();
    return local.date() == QDate::currentDate() ? local.toString(QStringLiteral("HH:mm:ss"))
                                                : local.toString(QStringLiteral("MMM d HH:mm"));
}

QString verbOf(JournalEntry::Kind kind)
{
    return kind == JournalEntry::Kind::Stop ? TeamActivity::tr("stopping")
                                            : TeamActivity::tr("provisioning");
}

} // namespace

TeamActivity::TeamActivity(WorkspaceModel *model, Notifier *notifier, QObject *parent)
    : QObject(parent)
    , m_model(model)
    , m_notifier(notifier)
{
    m_leaseCheck.setInterval(kLeaseCheckMsecs);
    connect(&m_leaseCheck, &QTimer::timeout, this, &TeamActivity::recheckHolds);
    m_unsharedCheck.setInterval(kUnsharedCheckMsecs);
    connect(&m_unsharedCheck, &QTimer::timeout, this, &TeamActivity::refreshUnshared);
}

TeamActivity::~TeamActivity() = default;

void TeamActivity::setSession(Session *session)
{
    m_feed.reset(); // before the store it reads can go
    m_leaseCheck.stop();
    m_unsharedCheck.stop();
    const QStringList held = m_holds.keys();
    m_holds.clear();
    for (const QString &ws : held)
        Q_EMIT holdChanged(ws);
    m_session = session;
    m_unshared = 0;
    if (!isTeam()) {
        Q_EMIT sharingChanged();
        return;
    }
    m_feed = std::make_unique<StateFeed>(m_session->state());
    connect(m_feed.get(), &StateFeed::journalChanged, this, &TeamActivity::onJournal);
    connect(m_feed.get(), &StateFeed::auditAppended, this, &TeamActivity::onAudit);
    connect(m_feed.get(), &StateFeed::sharingChanged, this, &TeamActivity::onSharing);
    loadInFlight();
    refreshUnshared();
    if (!isShared())
        m_unsharedCheck.start();
    Q_EMIT sharingChanged();
}

bool TeamActivity::isTeam() const
{
    return m_session && m_session->state() && m_session->state()->isTeam();
}

bool TeamActivity::isShared() const
{
    return isTeam() && m_session->state()->isShared();
}

QString TeamActivity::problem() const
{
    return isTeam() ? m_session->state()->teamProblem() : QString();
}

void TeamActivity::checkNow()
{
    if (m_feed)
        m_feed->check();
}

std::optional<JournalEntry> TeamActivity::heldByOthers(const QString &workspaceId) const
{
    const auto it = m_holds.constFind(workspaceId);
    if (it == m_holds.cend())
        return std::nullopt;
    return *it;
}

QString TeamActivity::holdLabel(const QString &workspaceId) const
{
    const auto it = m_holds.constFind(workspaceId);
    if (it == m_holds.cend())
        return {};
    return it->kind == JournalEntry::Kind::Stop ? tr("stopping… by %1").arg(whoOf(it->holder))
                                                : tr("provisioning… by %1").arg(whoOf(it->holder));
}

QString TeamActivity::holdSentence(const QString &workspaceId) const
{
    const auto it = m_holds.constFind(workspaceId);
    if (it == m_holds.cend())
        return {};
    return tr("%1 is %2 it since %3")
        .arg(termtext::sanitize(it->holder.describe()), verbOf(it->kind), clock(it->startedAt));
}

QStringList TeamActivity::lines(const QString &workspaceId, int limit) const
{
    QStringList out;
    if (!isTeam() || workspaceId.isEmpty())
        return out;
    if (const auto it = m_holds.constFind(workspaceId); it != m_holds.cend()) {
        // What first, then where from: the line is elided at the pane's width.
        QString who = whoOf(it->holder);
        if (!it->holder.host.isEmpty())
            who += u'@' + termtext::sanitize(it->holder.host);
        out << tr("%1  %2  %3… (in flight, %4 pid %5)")
                   .arg(clock(it->startedAt), who, verbOf(it->kind),
                        termtext::sanitize(it->holder.program))
                   .arg(it->holder.pid);
    }
    const auto audit = m_session->state()->audit(workspaceId, limit);
    if (!audit) {
        out << tr("The activity could not be read: %1").arg(audit.error().message);
        return out;
    }
    for (const AuditEntry &e : *audit) {
        QString who = termtext::sanitize(!e.dbUser.isEmpty() ? e.dbUser : e.user);
        if (!e.host.isEmpty())
            who += u'@' + termtext::sanitize(e.host);
        QString line = QStringLiteral("%1  %2  %3 %4")
                           .arg(clock(e.at), who, termtext::sanitize(e.action),
                                termtext::sanitize(e.result));
        if (!e.detail.isEmpty()) {
            const QString detail = termtext::sanitize(e.detail);
            line += QStringLiteral("  ")
                + (detail.size() > kDetailChars ? detail.left(kDetailChars - 1) + QChar(0x2026)
                                                : detail);
        }
        if (!e.shared)
            line += tr("  (not yet shared)");
        out << line;
    }
    return out;
}

void TeamActivity::onJournal(const JournalEntry &entry, bool fromOthers)
{
    // Our own operations are shown by the window as they run; only another connection's
    // (a teammate, or a cpctl of ours) become a marker.
    if (!fromOthers)
        return;
    const QString &ws = entry.workspaceId;
    const bool pinned = m_model->isPinned(ws);
    if (entry.outcome == JournalEntry::Outcome::Pending) {
        const bool isNew = m_holds.value(ws).id != entry.id;
        m_holds.insert(ws, entry);
        if (!m_leaseCheck.isActive())
            m_leaseCheck.start();
        if (isNew) {
            Q_EMIT holdChanged(ws);
            if (pinned && m_notifier)
                m_notifier->notify(tr("%1: %2").arg(label(ws), holdLabel(ws)),
                                   holdSentence(ws) + u'.');
        }
        Q_EMIT activityChanged(ws);
        return;
    }
    const bool wasHeld = m_holds.value(ws).id == entry.id;
    if (wasHeld) {
        m_holds.remove(ws);
        if (m_holds.isEmpty())
            m_leaseCheck.stop();
        Q_EMIT holdChanged(ws);
    }
    Q_EMIT finishedByOthers(ws);
    Q_EMIT activityChanged(ws);
    if (pinned && m_notifier)
        m_notifier->notify(tr("%1: %2's %3 ended: %4")
                               .arg(label(ws), whoOf(entry.holder), journalKindName(entry.kind),
                                    journalOutcomeName(entry.outcome)),
                           termtext::sanitize(entry.holder.describe()));
}

void TeamActivity::onAudit(const AuditEntry &entry, bool fromOthers)
{
    Q_UNUSED(fromOthers); // the activity lines are everyone's, ours included
    Q_EMIT activityChanged(entry.workspaceId);
}

void TeamActivity::onSharing(bool shared, const QString &problem, int uploaded)
{
    qCInfo(lcUi).noquote() << (shared ? QStringLiteral("team state shared again, %1 entries "
                                                       "uploaded")
                                            .arg(uploaded)
                                      : QStringLiteral("team state unreachable: %1").arg(problem));
    refreshUnshared();
    if (shared) {
        m_unsharedCheck.stop();
        // Announcements sent while we were away are lost: read what is in flight now.
        loadInFlight();
    } else {
        m_unsharedCheck.start();
    }
    Q_EMIT sharingChanged();
}

void TeamActivity::loadInFlight()
{
    if (!isShared())
        return;
    const auto inFlight = m_session->state()->inFlightJournal();
    if (!inFlight) {
        qCWarning(lcUi).noquote() << "cannot read the team's operations in flight:"
                                  << inFlight.error().message;
        return;
    }
    QHash<QString, JournalEntry> now;
    for (const JournalEntry &e : *inFlight) {
        if (e.outcome == JournalEntry::Outcome::Pending && !isOurs(e.holder))
            now.insert(e.workspaceId, e);
    }
    QStringList changed;
    for (auto it = m_holds.cbegin(); it != m_holds.cend(); ++it) {
        if (now.value(it.key()).id != it->id)
            changed << it.key();
    }
    for (auto it = now.cbegin(); it != now.cend(); ++it) {
        if (m_holds.value(it.key()).id != it->id && !changed.contains(it.key()))
            changed << it.key();
    }
    m_holds = std::move(now);
    if (m_holds.isEmpty())
        m_leaseCheck.stop();
    else
        m_leaseCheck.start();
    for (const QString &ws : std::as_const(changed)) {
        Q_EMIT holdChanged(ws);
        Q_EMIT activityChanged(ws);
    }
}

void TeamActivity::recheckHolds()
{
    if (!isShared())
        return;
    const QList<JournalEntry> held = m_holds.values();
    for (const JournalEntry &e : held) {
        const auto now = m_session->state()->journalEntry(e.id);
        if (now && now->outcome != JournalEntry::Outcome::Pending)
            onJournal(*now, true);
    }
}

void TeamActivity::refreshUnshared()
{
    const int n = isTeam() ? m_session->state()->unsharedCount() : 0;
    if (n == m_unshared)
        return;
    m_unshared = n;
    Q_EMIT sharingChanged();
}

bool TeamActivity::isOurs(const LockHolder &holder) const
{
    const LockHolder me = LockHolder::currentProcess();
    return holder.pid == me.pid && holder.host == me.host && holder.processStart == me.processStart;
}

QString TeamActivity::label(const QString &workspaceId) const
{
    return workspaceLabel(*m_model, workspaceId);
}

} // namespace cpc::ui
