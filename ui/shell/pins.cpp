#include "pins.h"

#include "session.h"
#include "statuspoller.h"
#include "workspacemodel.h"

#include <QSet>
#include <QStringList>

namespace cpc::ui {

namespace {

QString pinnedKey(const Session *s)
{
    return QStringLiteral("pinned/")
        + (s && !s->profileName().isEmpty() ? s->profileName() : QStringLiteral("default"));
}

} // namespace

Pins::Pins(WorkspaceModel *model)
    : m_model(model)
{
}

void Pins::setPinned(const QString &workspaceId, bool pin)
{
    const std::optional<WorkspaceRow> row = m_model->rowById(workspaceId);
    if (!row)
        return;
    m_model->setPinned(row->id, pin);
    if (m_session && m_session->poller())
        m_session->poller()->setPinned({ row->id, row->instanceId }, pin);
    save(workspaceId);
}

void Pins::save(const QString &workspaceId)
{
    if (!m_session || !m_session->state())
        return;
    // The stored set plus or minus this row: pins of rows hidden by a filter survive.
    const auto stored
        = m_session->state()->setting(pinnedKey(m_session)).split(u',', Qt::SkipEmptyParts);
    QSet<QString> set(stored.cbegin(), stored.cend());
    if (m_model->isPinned(workspaceId))
        set.insert(workspaceId);
    else
        set.remove(workspaceId);
    QStringList ids(set.cbegin(), set.cend());
    ids.sort();
    m_session->state()->setSetting(pinnedKey(m_session), ids.join(u','));
}

void Pins::restore()
{
    if (!m_session || !m_session->state())
        return;
    const QStringList ids
        = m_session->state()->setting(pinnedKey(m_session)).split(u',', Qt::SkipEmptyParts);
    for (const QString &id : ids) {
        const std::optional<WorkspaceRow> r = m_model->rowById(id);
        if (!r)
            continue;
        m_model->setPinned(id, true);
        if (m_session->poller())
            m_session->poller()->setPinned({ id, r->instanceId }, true);
    }
}

} // namespace cpc::ui
