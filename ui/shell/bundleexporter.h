#pragma once

#include <QObject>
#include <QPointer>
#include <QStringList>

#include <functional>
#include <memory>

class QMainWindow;
class QMessageBox;
class QProgressDialog;
class QThread;

namespace cpc {
class WorkspaceModel;
}

namespace cpc::ui {

class ConsoleArea;
class Session;
class StatusRecorder;

/// "Export incident bundle…" of the main window: asks for a directory, takes the console from
/// the open tab or fetches it (a failed fetch is recorded in the bundle), writes the bundle off
/// the GUI thread (core writeBundle), audits it and reports where it is. One export at a time.
class BundleExporter : public QObject
{
    Q_OBJECT
public:
    using DirectoryChooser = std::function<QString()>;

    BundleExporter(QMainWindow *window, WorkspaceModel *model, ConsoleArea *consoles);
    /// Drops an export still fetching; waits for one being written (the files are whole).
    ~BundleExporter() override;

    /// The session (and its recorder) the next export reads; an export still fetching the
    /// console of the previous session is cancelled.
    void setSession(Session *session, StatusRecorder *recorder);
    void setDirectoryChooser(DirectoryChooser chooser);
    bool isExporting() const { return m_bundle != nullptr; }
    QProgressDialog *progress() const;
    QMessageBox *report() const { return m_report; }

    void exportBundle(const QString &workspaceId, const QString &label);
    void cancel();

Q_SIGNALS:
    /// An export started or ended (the export action is off meanwhile).
    void exportingChanged();
    void exported(const QString &workspaceId, const QString &directory, const QStringList &files,
                  const QString &error, const QString &consoleError);

private:
    struct BundleExport;
    void showMessage(const QString &text, int timeoutMs = 0);
    void writeInBackground(const QString &consoleText, const QByteArray &consoleRaw, bool merge,
                           const QString &consoleError);
    void finish(const QString &directory, const QStringList &files, const QString &error,
                const QString &consoleError);

    QMainWindow *m_window;
    WorkspaceModel *m_model;
    ConsoleArea *m_consoles;
    Session *m_session = nullptr;
    QPointer<StatusRecorder> m_recorder;
    std::unique_ptr<BundleExport> m_bundle; ///< the export in progress
    QPointer<QThread> m_thread; ///< writing a bundle; waited for on destruction
    DirectoryChooser m_chooser;
    QPointer<QMessageBox> m_report;
};

} // namespace cpc::ui
