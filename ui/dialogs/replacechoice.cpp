#include "replacechoice.h"

#include "statuspresentation.h"

#include <QCheckBox>
#include <QLabel>
#include <QPointer>
#include <QTimer>
#include <QVBoxLayout>

namespace cpc::ui {

ReplaceChoice::ReplaceChoice(QWidget *parent)
    : WarningBanner(QStringLiteral("replaceChoice"), parent)
{
    auto *v = new QVBoxLayout(this);
    v->setContentsMargins(8, 6, 8, 6);
    m_text = makeText(QStringLiteral("replaceText"),
                      Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    v->addWidget(m_text);
    m_box = new QCheckBox(this);
    m_box->setObjectName(QStringLiteral("replaceInstance"));
    v->addWidget(m_box);
}

CallHandle
ReplaceChoice::decide(Operations *operations, const QString &workspaceId, QObject *context,
                      const CpClient::Callback<Result<std::optional<ProvisionOptions>>> &done)
{
    using Decision = Result<std::optional<ProvisionOptions>>;
    if (confirmed(workspaceId)) {
        ProvisionOptions options;
        options.decidedInstanceId = m_instanceId; // exactly the instance the engineer named
        QTimer::singleShot(0, context, [done, options] { done(Decision(options)); });
        return {};
    }
    clear();
    QPointer<ReplaceChoice> self(this);
    return operations->checkInstanceOnFile(
        workspaceId, context, [self, workspaceId, done](const Result<InstanceOnFile> &r) {
            if (!r) {
                done(r.error());
            } else if (r->status.error && r->status.error->kind == Error::Kind::Cancelled) {
                done(*r->status.error);
            } else if (!r->needsDecision()) {
                ProvisionOptions options;
                options.decidedInstanceId = r->instanceId; // none, or not running: no question
                done(Decision(options));
            } else {
                if (self) {
                    self->ask(workspaceId, r.value());
                    self->m_box->setFocus();
                }
                done(Decision(std::nullopt));
            }
        });
}

void ReplaceChoice::ask(const QString &workspaceId, const InstanceOnFile &onFile)
{
    m_workspaceId = workspaceId;
    m_instanceId = onFile.instanceId;
    const bool running = onFile.status.state == RunState::Running;
    const QString state = running
        ? tr("the control plane says it is running")
        : tr("its status is unknown (%1)")
              .arg(onFile.status.error ? unknownReason(*onFile.status.error).toHtmlEscaped()
                                       : tr("no answer"));
    // A symbol and words, not colour alone.
    m_text->setText(tr("⚠ <b>%1</b> has instance <b>%2</b> on file, and %3. Provisioning now "
                       "replaces it on file; nothing was sent. Its ID is kept in the audit log "
                       "and the journal.")
                        .arg(workspaceId.toHtmlEscaped(), m_instanceId.toHtmlEscaped(), state));
    m_box->setText(running ? tr("&Replace the running instance %1").arg(m_instanceId)
                           : tr("&Replace instance %1 (status unknown)").arg(m_instanceId));
    m_box->setChecked(false);
    show();
}

void ReplaceChoice::clear()
{
    m_workspaceId.clear();
    m_instanceId.clear();
    m_box->setChecked(false);
    hide();
}

bool ReplaceChoice::confirmed(const QString &workspaceId) const
{
    return isAsking() && workspaceId == m_workspaceId && m_box->isChecked();
}

QString ReplaceChoice::text() const
{
    return isHidden() ? QString() : m_text->text();
}

} // namespace cpc::ui
