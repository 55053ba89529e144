#include "journalreconciler.h"

#include "journalbanner.h"
#include "logging.h"
#include "operations.h"
#include "session.h"

namespace cpc::ui {

JournalReconciler::JournalReconciler(JournalBanner *banner, QObject *parent)
    : QObject(parent)
    , m_banner(banner)
{
}

void JournalReconciler::load()
{
    QList<JournalEntry> entries;
    if (m_session && m_session->state()) {
        const auto j = m_session->state()->unresolvedJournal();
        if (j)
            entries = j.value();
        else
            qCWarning(lcUi).noquote()
                << "could not read the provision journal:" << j.error().message;
    }
    m_banner->setEntries(entries);
    Q_EMIT entriesChanged();
}

void JournalReconciler::reconcileSelected(bool clear)
{
    if (!m_session || !m_session->operations())
        return;
    const QList<JournalEntry> entries = m_banner->selectedEntries();
    for (const JournalEntry &e : entries) {
        m_banner->markResult(e.id, clear ? tr("clearing…") : tr("asking the CP…"));
        m_session->operations()->reconcile(
            e, clear, this, [this, e, clear](const Result<JournalEntry> &r) {
                if (!r) {
                    m_banner->markResult(e.id, QStringLiteral("⚠ ") + r.error().message);
                    return;
                }
                m_banner->removeEntry(e.id);
                Q_EMIT entriesChanged();
                if (clear)
                    Q_EMIT cleared(e.workspaceId);
                else
                    Q_EMIT reconciled(e.workspaceId, r->instanceId);
            });
    }
}

} // namespace cpc::ui
