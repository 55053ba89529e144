#include "workspacewrites.h"

#include "actionregistry.h"
#include "ledgernotice.h"
#include "notifier.h"
#include "provisiondialog.h"
#include "session.h"
#include "statuspresentation.h"
#include "stopdialog.h"
#include "workspacelistpane.h"
#include "workspacemodel.h"

#include <QAction>
#include <QMainWindow>
#include <QMessageBox>
#include <QPushButton>
#include <QStatusBar>

namespace cpc::ui {

WorkspaceWrites::WorkspaceWrites(QMainWindow *window, WorkspaceModel *model, Notifier *notifier,
                                 ActionRegistry *actions)
    : QObject(window)
    , m_window(window)
    , m_model(model)
    , m_notifier(notifier)
    , m_actions(actions)
{
}

void WorkspaceWrites::setSession(Session *session)
{
    if (m_session && session != m_session && m_stopDialog)
        m_stopDialog->close();
    m_session = session;
    if (session)
        m_lastPlatformUrl = session->state()
            ? session->state()->setting(QStringLiteral("provision/platformUrl"))
            : QString();
}

QString WorkspaceWrites::workspaceLabel(const QString &workspaceId) const
{
    return ui::workspaceLabel(*m_model, workspaceId);
}

void WorkspaceWrites::showMessage(const QString &text, int timeoutMs)
{
    m_window->statusBar()->showMessage(text, timeoutMs);
}

ProvisionDialog *WorkspaceWrites::openProvisionDialog(const QString &selectedId)
{
    if (!m_session || !m_actions->action(QStringLiteral("provision"))->isEnabled())
        return nullptr;
    auto *dlg = new ProvisionDialog(m_session->operations(), m_window);
    dlg->setAttribute(Qt::WA_DeleteOnClose);
    QStringList runtimes { QStringLiteral("claude-code"), QStringLiteral("langgraph"),
                           QStringLiteral("crewai"), QStringLiteral("autogen"),
                           QStringLiteral("python") };
    QStringList providers;
    for (int r = 0; r < std::min(m_model->rowCount(), 5000); ++r) {
        const std::optional<WorkspaceRow> w = m_model->rowAt(r);
        if (!w->runtime.isEmpty() && !runtimes.contains(w->runtime))
            runtimes << w->runtime;
        if (!w->provider.isEmpty() && !providers.contains(w->provider))
            providers << w->provider;
    }
    dlg->setRuntimeSuggestions(runtimes);
    dlg->setProviderSuggestions(providers);
    if (const std::optional<WorkspaceRow> row = m_model->rowById(selectedId))
        dlg->prefill(*row);
    dlg->setNameLookup([model = QPointer<WorkspaceModel>(m_model)](const QString &name) {
        return model ? model->idsNamed(name) : QStringList();
    });
    dlg->setPlatformUrl(m_lastPlatformUrl);
    QPointer<ProvisionDialog> guard(dlg);
    connect(dlg, &ProvisionDialog::started, this, [this](const QString &ws) {
        if (m_model->rowById(ws))
            Q_EMIT busyChanged(ws, true, QStringLiteral("provisioning"));
        Q_EMIT actionError(ws, {});
    });
    connect(dlg, &ProvisionDialog::finished, this,
            [this, guard](const QString &ws, bool ok, const QString &detail) {
                const bool unknown = guard && guard->outcomeUnknown();
                if (m_model->rowById(ws))
                    Q_EMIT busyChanged(ws, false, {});
                if (ok) {
                    if (guard && m_session && m_session->state()) {
                        m_lastPlatformUrl = guard->request().platformUrl;
                        m_session->state()->setSetting(QStringLiteral("provision/platformUrl"),
                                                       m_lastPlatformUrl);
                    }
                    Q_EMIT rowChanged(ws);
                    Q_EMIT provisioned(ws);
                    m_notifier->notify(tr("Provisioned %1").arg(workspaceLabel(ws)),
                                       tr("Instance %1").arg(detail));
                } else {
                    // Cancelled or timed out, it is "outcome unknown", as in the journal.
                    const ProvisionFailureText text
                        = provisionFailureText(workspaceLabel(ws), detail, unknown);
                    Q_EMIT actionError(ws, text.strip);
                    showMessage(text.statusBar, unknown ? 60'000 : 30'000);
                    // A cancelled or timed-out provision leaves an unknown outcome.
                    Q_EMIT journalChanged();
                }
            });
    dlg->show();
    return dlg;
}

StopDialog *WorkspaceWrites::requestStop(const QString &selectedId)
{
    const std::optional<WorkspaceRow> row = m_model->rowById(selectedId);
    if (!row || !m_session || !m_actions->action(QStringLiteral("stop"))->isEnabled())
        return nullptr;
    if (m_stopDialog)
        m_stopDialog->close();
    auto *dlg = new StopDialog(row->id, row->name, row->instanceId, m_session->isProduction(),
                               m_session->profileName(), m_window);
    dlg->setAttribute(Qt::WA_DeleteOnClose);
    const QString id = row->id;
    connect(dlg, &QDialog::finished, this, [this] { m_stopDialog = nullptr; });
    connect(dlg, &QDialog::accepted, this, [this, id] { stopWorkspace(id); });
    m_stopDialog = dlg;
    dlg->open();
    return dlg;
}

void WorkspaceWrites::stopWorkspace(const QString &workspaceId)
{
    if (!m_session || !m_session->operations())
        return;
    const QString label = workspaceLabel(workspaceId);
    Q_EMIT actionError(workspaceId, {});
    Q_EMIT busyChanged(workspaceId, true, QStringLiteral("stopping"));
    showMessage(tr("Stopping %1…").arg(label));
    m_session->operations()->stop(
        workspaceId, this, [this, workspaceId, label](const Result<StopOutcome> &r) {
            Q_EMIT busyChanged(workspaceId, false, {});
            if (!r) {
                // The row stays as it was; the reason goes where the engineer is looking.
                // The short form ("stop failed (504): Gateway Time-out — nginx") everywhere; the
                // page's text behind the error strip's "Details".
                Q_EMIT actionError(workspaceId,
                                   tr("Stop failed — nothing was changed. ") + r.error().message,
                                   r.error().details);
                showMessage(tr("Stop of %1 failed: %2").arg(label, r.error().message), 10000);
                m_notifier->notify(tr("Stop of %1 failed").arg(label), r.error().message);
                return;
            }
            const QString what = stopOutcomeText(label, r.value());
            showMessage(what, stopOutcomeTimeoutMs(r.value()));
            if (!r->movedOnTo.isEmpty())
                m_notifier->notify(tr("Stop of %1: the row moved on").arg(label), what);
            Q_EMIT rowChanged(workspaceId);
        });
}

void WorkspaceWrites::setReadOnlyRequested(bool readOnly)
{
    if (!m_session || !m_session->operations())
        return;
    Operations *ops = m_session->operations();
    if (readOnly) {
        ops->setReadOnly(true);
        Q_EMIT writesChanged();
        return;
    }
    // Turning writes on is a decision: ask, naming the profile (and PRODUCTION).
    m_actions->action(QStringLiteral("readOnly"))->setChecked(true);
    if (m_writeConfirm)
        return;
    const QString where
        = m_session->isDemo() ? tr("the demo") : tr("profile \"%1\"").arg(m_session->profileName());
    auto *box = new QMessageBox(
        QMessageBox::Warning, tr("Turn writes on?"),
        tr("Turn writes on for %1%2?\n\nProvision, stop and reconcile will be "
           "enabled. Every action is recorded in the audit log.")
            .arg(where, m_session->isProduction() ? tr(" (PRODUCTION)") : QString()),
        QMessageBox::Cancel, m_window);
    box->setObjectName(QStringLiteral("writeConfirmation"));
    QPushButton *on = box->addButton(tr("Turn writes on"), QMessageBox::AcceptRole);
    on->setObjectName(QStringLiteral("turnWritesOn"));
    box->setDefaultButton(QMessageBox::Cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::finished, this, [this, box, on] {
        m_writeConfirm = nullptr; // deleted later; the question is over now
        if (box->clickedButton() == on && m_session && m_session->operations()) {
            m_session->operations()->setReadOnly(false);
            showMessage(tr("Writes are on"), 5000);
        }
        Q_EMIT writesChanged();
    });
    m_writeConfirm = box;
    box->open();
}

} // namespace cpc::ui
