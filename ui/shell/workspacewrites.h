#pragma once

#include <QObject>
#include <QPointer>
#include <QString>

class QMainWindow;
class QMessageBox;

namespace cpc {
class WorkspaceModel;
}

namespace cpc::ui {

class ActionRegistry;
class Notifier;
class ProvisionDialog;
class Session;
class StopDialog;

/// The main window's writes to the CP and how they are asked for: the provision dialog (with
/// the suggestions and the last platform URL), the stop confirmation and the stop itself, and
/// turning writes on again (only after a confirmation naming the profile). What they change on
/// screen goes out as signals; the window shows it.
class WorkspaceWrites : public QObject
{
    Q_OBJECT
public:
    WorkspaceWrites(QMainWindow *window, WorkspaceModel *model, Notifier *notifier,
                    ActionRegistry *actions);

    /// The session writes go through; a stop confirmation of the previous one is closed.
    void setSession(Session *session);
    ProvisionDialog *openProvisionDialog(const QString &selectedId);
    StopDialog *requestStop(const QString &selectedId);
    void stopWorkspace(const QString &workspaceId);
    void setReadOnlyRequested(bool readOnly);

Q_SIGNALS:
    void busyChanged(const QString &workspaceId, bool busy, const QString &label);
    /// An empty message clears the workspace's error.
    void actionError(const QString &workspaceId, const QString &message,
                     const QString &details = {});
    void rowChanged(const QString &workspaceId);
    void provisioned(const QString &workspaceId);
    /// A provision left an unknown outcome in the journal.
    void journalChanged();
    /// Read-only mode was turned on or off.
    void writesChanged();

private:
    QString workspaceLabel(const QString &workspaceId) const;
    void showMessage(const QString &text, int timeoutMs = 0);

    QMainWindow *m_window;
    WorkspaceModel *m_model;
    Notifier *m_notifier;
    ActionRegistry *m_actions;
    Session *m_session = nullptr;
    QString m_lastPlatformUrl;
    QPointer<StopDialog> m_stopDialog;
    QPointer<QMessageBox> m_writeConfirm;
};

} // namespace cpc::ui
