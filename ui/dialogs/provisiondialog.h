#pragma once

#include "provisionsummary.h"

#include "cpclient.h"
#include "operations.h"
#include "workspace.h"

#include <QDialog>
#include <QElapsedTimer>
#include <QJsonObject>
#include <QPointer>
#include <QTimer>

#include <optional>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;

namespace cpc::ui {

class EnvEditor;
class ReplaceChoice;

/// Provisions compute for a workspace: runtime, tier, platform URL, environment (values masked
/// unless shown), optional provider, instance type and disk size. Everything is validated
/// before anything is sent, with the reason beside the field; then a summary of what is about to
/// happen ("Provision aisha-dev: tier 2, gcp, python", with warnings: a new row, a name that is
/// taken, a tier or provider other than the row's) waits for an explicit Confirm. Enter in a
/// field never sends: at most it shows the summary. An instance already on file is
/// checked with the CP first: running (or unknown), it is replaced only when the engineer ticks
/// "Replace the running instance i-…". While the request runs (it may take minutes, with
/// retries) the dialog shows the elapsed time and a Cancel button; the instance ID or the error
/// stays in the dialog until it is closed.
class ProvisionDialog : public QDialog
{
    Q_OBJECT
public:
    explicit ProvisionDialog(Operations *operations, QWidget *parent = nullptr);
    ~ProvisionDialog() override;

    void setWorkspace(const QString &workspaceId, const QString &name);
    /// A re-provision keeps what the workspace is: its ID, name, runtime, tier and provider.
    void prefill(const WorkspaceRow &row);
    /// How the summary finds workspaces named like a new row (the window's list, in memory).
    void setNameLookup(ProvisionSummary::NameLookup lookup) { m_nameLookup = std::move(lookup); }
    void setRuntimeSuggestions(const QStringList &runtimes);
    void setRuntime(const QString &runtime);
    void setProviderSuggestions(const QStringList &providers);
    void setPlatformUrl(const QString &url);
    void setTier(int tier);
    void setProvider(const QString &provider);
    void setEnvironment(const QMap<QString, QString> &env);

    /// Checks every field and shows the reasons; true when the request may be sent.
    bool validate();
    ProvisionRequest request() const;
    WorkspaceRow newRow() const;
    bool isRunning() const { return m_call.isRunning() || m_running; }
    QString resultText() const;
    QString errorText() const; ///< the failed call's message ("" unless it failed)
    /// The last provision failed in a way that may have created an instance (cancelled, timed
    /// out, its answer lost): the journal says "outcome unknown", and so must the window.
    bool outcomeUnknown() const { return m_outcomeUnknown; }
    QString
    fieldError(const QString &field) const; ///< "workspaceId", "runtime", "platformUrl", "env"
    QString elapsedText() const;
    ReplaceChoice *replaceChoice() const { return m_replace; }
    /// The summary waiting for Confirm ("" while the form is being filled in).
    QString summaryText() const;

public Q_SLOTS:
    /// Checks the form and shows the summary; nothing is sent.
    void submit();
    /// Sends what the summary shows.
    void confirm();
    /// Back from the summary to the form.
    void edit();
    void cancelRequest();
    void reject() override;

Q_SIGNALS:
    void started(const QString &workspaceId);
    void finished(const QString &workspaceId, bool ok, const QString &instanceIdOrError);

private:
    void send(const ProvisionRequest &request, const ProvisionOptions &options);
    void onResult(const Result<ProvisionOutcome> &r);
    void closeIfAsked();
    void showResult(const QString &html, const QColor &background);
    void setRunning(bool running);
    void setReviewing(bool reviewing);
    void setFieldError(const QString &field, const QString &message);
    void updateElapsed();

    QPointer<Operations> m_ops;
    QLabel *m_header;
    QLineEdit *m_workspaceId;
    QLineEdit *m_name;
    QComboBox *m_runtime;
    QSpinBox *m_tier;
    QLineEdit *m_platformUrl;
    EnvEditor *m_env;
    QComboBox *m_provider;
    QLineEdit *m_instanceType;
    QSpinBox *m_diskGb;
    QHash<QString, QLabel *> m_errors;
    QWidget *m_form;
    QWidget *m_progressRow;
    QProgressBar *m_progress;
    QLabel *m_elapsed;
    QLabel *m_result;
    ReplaceChoice *m_replace;
    QDialogButtonBox *m_buttons;
    QPushButton *m_submit;
    QPushButton *m_cancel;
    QPushButton *m_close;
    QLabel *m_summary;
    QPushButton *m_confirm;
    QPushButton *m_edit;
    bool m_reviewing = false;
    ProvisionRequest m_reviewed; ///< what the summary shows and Confirm sends
    WorkspaceRow m_reviewedRow;

    CallHandle m_call;
    bool m_running = false;
    bool m_closeWhenDone = false;
    bool m_checking = false; ///< asking the CP about the instance on file, nothing sent yet
    bool m_cancelRequested = false; ///< cancelled while checking: send nothing
    QElapsedTimer m_clock;
    QTimer m_tick;
    QString m_idempotencyKey;
    QJsonObject m_keyFor; ///< the request the key was made for: a changed request gets a new key
    QString m_lastError;
    bool m_outcomeUnknown = false;
    QString m_lastInstance;
    ProvisionSummary::NameLookup m_nameLookup;
};

} // namespace cpc::ui
