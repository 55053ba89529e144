#pragma once

#include "profiledialog.h"
#include "session.h"
#include "shortcutsdialog.h"
#include "stopdialog.h"
#include "workspace.h"
#include "workspacetable.h"

#include <QHash>
#include <QMainWindow>
#include <QMessageBox>
#include <QPointer>
#include <QSet>
#include <QTimer>

#include <functional>
#include <memory>

class QComboBox;
class QDockWidget;
class QFrame;
class QLabel;
class QLineEdit;
class QMessageBox;
class QProgressDialog;
class QPushButton;
class QSplitter;
class QThread;
class QTableView;

namespace cpc {
class SecretStore;
class WorkspaceModel;
class WorkspaceLoader;
} // namespace cpc

namespace cpc::ui {

class ConsoleArea;
class ActionRegistry;
class BundleExporter;
class ConsoleStatusBar;
class CpBanner;
class DetailsPane;
class JournalBanner;
class JournalReconciler;
class ModeBand;
class Pins;
class Notifier;
class ProfileDialog;
class ProvisionDialog;
class QuickOpen;
class KeyRouter;
class WindowLayout;
class SetupNotice;
class ShortcutsDialog;
class StatusRecorder;
class StopDialog;
class TeamActivity;
class TeamBanner;
class VisibleRowTracker;
class WorkspaceListPane;
class WorkspaceWrites;

/// The console's window: the workspace list (filter as you type, sortable, chosen columns,
/// live badges with their age), the details pane of the selected workspace, the console tabs in
/// a dock, the bands that say where the engineer is (PRODUCTION, DEMO, READ-ONLY) and what is
/// wrong (CP unreachable, provisions with an unknown outcome), and a key for every action.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    enum class NotifyMode { Auto, InWindow };
    /// `secrets` may be null (no keychain); it must outlive the window. `base` is how new
    /// sessions are built when the profile is switched (environment, flags).
    MainWindow(SecretStore *secrets, SessionOptions base, NotifyMode notify = NotifyMode::Auto,
               QWidget *parent = nullptr);
    ~MainWindow() override;

    /// Takes the session over: loads its rows, starts polling, shows its bands and notices.
    void setSession(std::unique_ptr<Session> session);
    Session *session() const { return m_session.get(); }
    /// Builds a session for a saved profile and switches to it.
    void switchProfile(const QString &name);
    /// Restores geometry, splitter, columns and dock layout from QSettings.
    void restoreLayout();

    QString selectedWorkspaceId() const { return m_selectedId; }
    bool selectWorkspace(const QString &workspaceId);

    /// Where "Export incident bundle…" asks for its directory: a directory dialog by default;
    /// tests (and scripts) put their own chooser here. An empty answer cancels the export.
    using DirectoryChooser = std::function<QString()>;
    void setBundleDirectoryChooser(DirectoryChooser chooser);
    /// True from the directory choice until the bundle is written (or the export cancelled).
    bool isExportingBundle() const;

public Q_SLOTS:
    ProvisionDialog *openProvisionDialog();
    /// Opens the stop confirmation for the selected workspace (non-blocking).
    StopDialog *requestStop();
    /// Stops without asking: what the confirmation's Stop button does.
    void stopWorkspace(const QString &workspaceId);
    void openConsole();
    void refresh();
    void togglePinned();
    void checkSelectedNow();
    ShortcutsDialog *showShortcuts();
    /// Ctrl+K: a workspace by part of its name, ID or instance ID; Enter opens its console.
    QuickOpen *showQuickOpen();
    ProfileDialog *showProfiles();
    /// Read-only on at once; off only after a confirmation (see writeConfirmation()).
    void setReadOnlyRequested(bool readOnly);
    /// Loads the list off the GUI thread (mainwindowloading.cpp): a first load fills the list
    /// batch by batch, a refresh keeps the rows shown until the new ones are all in.
    void reloadRows();
    bool isLoading() const;
    /// "Export incident bundle…": asks for a directory, takes the console from the open tab or
    /// fetches it (a failed fetch is recorded in the bundle), writes the bundle of the selected
    /// workspace off the GUI thread (core writeBundle) and reports where it is. Local files
    /// only: available in read-only mode.
    void exportBundle();
    /// Stops an export that is still fetching the console: nothing is written.
    void cancelBundleExport();

Q_SIGNALS:
    void sessionChanged();
    void rowsLoaded(int count);
    /// A load of the list failed; the rows shown (if any) stay.
    void loadFailed(const QString &message);
    /// An export ended. `files` is empty when nothing was written; then `error` says why
    /// ("cancelled" for a cancelled export). `consoleError` is set when the bundle was written
    /// without a console.
    void bundleExported(const QString &workspaceId, const QString &directory,
                        const QStringList &files, const QString &error,
                        const QString &consoleError);

protected:
    void closeEvent(QCloseEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void buildActions();
    void takeBatch(const WorkspaceTable &rows);
    void loadFinished(bool ok, const QString &message);
    void buildNavigation(); ///< mainwindownavigation.cpp
    QAction *action(const QString &objectName) const;
    void buildUi();
    void connectSession();
    void updateWriteActions();
    void updateSelectionActions();
    void updateModeBand();
    void updateCounts();
    void updateTitle();
    void updateSetupNotice();
    void onCurrentRowChanged();
    void showSelectedDetails(bool reloadHistory);
    void loadHistory(const QString &workspaceId);
    void reloadRow(const QString &workspaceId);
    void setBusy(const QString &workspaceId, bool busy, const QString &label = {});
    /// The row's in-flight marker: our own action's, else a teammate's ("stopping… by alice").
    void applyBusy(const QString &workspaceId);
    /// The team state in the status bar and the banner (teamactivity wiring in
    /// mainwindowteam.cpp).
    void buildTeam();
    void updateTeamState();
    void loadTeamActivity();
    void applyTeamHolds();
    void onStatusChanged(const QString &workspaceId, const LiveStatus &status);
    void onTransition(const QString &workspaceId, RunState from, RunState to,
                      const LiveStatus &status, bool pinned);
    void onReachability(bool reachable, const QString &reason);
    void setActionError(const QString &workspaceId, const QString &message,
                        const QString &details = {});
    void tickAges();
    void rowMenu(const QPoint &pos);
    QString workspaceLabel(const QString &workspaceId) const;

    SecretStore *m_secrets;
    SessionOptions m_base;
    std::unique_ptr<Session> m_session;
    WorkspaceModel *m_model;
    WorkspaceLoader *m_loader;
    WorkspaceTable m_pending; ///< a refresh's rows, swapped in when complete
    bool m_loadIntoModel = true; ///< the load in flight fills the model batch by batch
    std::unique_ptr<Pins> m_pins;
    WorkspaceListPane *m_list;
    QTableView *m_table;
    QLineEdit *m_filter;
    QSplitter *m_splitter;
    DetailsPane *m_details;
    ConsoleArea *m_consoles;
    QDockWidget *m_consoleDock;
    ModeBand *m_modeBand;
    CpBanner *m_cpBanner;
    TeamBanner *m_teamBanner;
    TeamActivity *m_team = nullptr;
    QHash<QString, QString> m_ownBusy; ///< workspace → our action in flight ("stopping")
    JournalBanner *m_journal;
    JournalReconciler *m_journalReconciler = nullptr;
    SetupNotice *m_setupNotice;
    ConsoleStatusBar *m_statusBar;
    Notifier *m_notifier;
    VisibleRowTracker *m_tracker;
    StatusRecorder *m_recorder = nullptr;
    QTimer m_ageTimer;
    QTimer m_countsTimer;
    ActionRegistry *m_actions = nullptr;
    QSet<QString> m_answered; ///< workspaces with a status answer in this session
    struct ActionError
    {
        QString message;
        QString details; ///< Error::details, behind the error strip's "Details"
    };
    QHash<QString, ActionError> m_actionErrors; ///< workspace → last failed action
    QString m_selectedId;
    QPointer<ProfileDialog> m_profileDialog;
    QPointer<ShortcutsDialog> m_helpDialog;
    WorkspaceWrites *m_writes = nullptr;
    BundleExporter *m_exporter = nullptr;
    WindowLayout *m_layout = nullptr;
    KeyRouter *m_keys = nullptr;
};

} // namespace cpc::ui
