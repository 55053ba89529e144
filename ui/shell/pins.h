#pragma once

#include <QString>

namespace cpc {
class WorkspaceModel;
}

namespace cpc::ui {

class Session;

/// The pinned workspaces of a profile: marked on the list, polled even off screen by the
/// session's poller, and remembered in the session's state store ("pinned/<profile>").
class Pins
{
public:
    explicit Pins(WorkspaceModel *model);

    void setSession(Session *session) { m_session = session; }
    /// Pins or unpins one workspace; the stored set changes by this row only, so pins of rows
    /// hidden by a filter survive.
    void setPinned(const QString &workspaceId, bool pin);
    /// Marks the stored pins that are in the list on the model and the poller.
    void restore();

private:
    void save(const QString &workspaceId);

    WorkspaceModel *m_model;
    Session *m_session = nullptr;
};

} // namespace cpc::ui
