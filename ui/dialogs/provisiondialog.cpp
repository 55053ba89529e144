// One dialog over 600 lines: the form, its validation and the send/outcome states share the
// same fields and the one request in flight.
#include "provisiondialog.h"

#include "enveditor.h"
#include "icons.h"
#include "logging.h"
#include "operations.h"
#include "provisionsummary.h"
#include "replacechoice.h"
#include "statuspresentation.h"
#include "termtext.h"
#include "validation.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QTextDocument>
#include <QUrl>
#include <QUuid>
#include <QVBoxLayout>

namespace cpc::ui {

namespace {

const QString kWorkspace = QStringLiteral("workspaceId");
const QString kRuntime = QStringLiteral("runtime");
const QString kPlatform = QStringLiteral("platformUrl");
const QString kEnv = QStringLiteral("env");
const QString kInstanceType = QStringLiteral("instanceType");

QString platformUrlError(const QString &text)
{
    if (text.trimmed().isEmpty())
        return QCoreApplication::translate("cpc::ui::ProvisionDialog",
                                           "the platform URL is required");
    const QUrl url(text.trimmed(), QUrl::StrictMode);
    if (!url.isValid()
        || (url.scheme() != QLatin1String("https") && url.scheme() != QLatin1String("http"))
        || url.host().isEmpty())
        return QCoreApplication::translate("cpc::ui::ProvisionDialog",
                                           "not a valid http(s) URL with a host");
    if (!url.userInfo().isEmpty())
        return QCoreApplication::translate("cpc::ui::ProvisionDialog",
                                           "must not contain a user name or password");
    return {};
}

} // namespace

ProvisionDialog::ProvisionDialog(Operations *operations, QWidget *parent)
    : QDialog(parent)
    , m_ops(operations)
{
    setObjectName(QStringLiteral("provisionDialog"));
    setWindowTitle(tr("Provision workspace compute"));
    auto *v = new QVBoxLayout(this);

    m_header = new QLabel(this);
    m_header->setObjectName(QStringLiteral("header"));
    m_header->setWordWrap(true);
    m_header->setText(
        tr("Asks the control plane for compute for a workspace. Nothing is sent until "
           "every field is valid; environment values are never logged."));
    v->addWidget(m_header);

    m_form = new QWidget(this);
    auto *form = new QFormLayout(m_form);
    form->setContentsMargins(0, 0, 0, 0);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);

    const auto errorLabel = [this](const QString &field) {
        auto *l = new QLabel(m_form);
        l->setObjectName(QStringLiteral("error:") + field);
        l->setWordWrap(true);
        QPalette p = l->palette();
        p.setColor(QPalette::WindowText, colors::error);
        l->setPalette(p);
        l->hide();
        m_errors.insert(field, l);
        return l;
    };
    const auto withError = [&](QWidget *field, const QString &name) {
        auto *box = new QWidget(m_form);
        auto *bv = new QVBoxLayout(box);
        bv->setContentsMargins(0, 0, 0, 0);
        bv->setSpacing(1);
        bv->addWidget(field);
        bv->addWidget(errorLabel(name));
        return box;
    };

    m_workspaceId = new QLineEdit(m_form);
    m_workspaceId->setObjectName(kWorkspace);
    m_workspaceId->setPlaceholderText(
        tr("UUID of the workspace, e.g. 7c9e6679-7425-40de-944b-e07fc1f90ae7"));
    form->addRow(tr("&Workspace ID:"), withError(m_workspaceId, kWorkspace));
    m_name = new QLineEdit(m_form);
    m_name->setObjectName(QStringLiteral("name"));
    m_name->setPlaceholderText(tr("only used when the workspace is not in the database yet"));
    form->addRow(tr("&Name:"), m_name);

    m_runtime = new QComboBox(m_form);
    m_runtime->setObjectName(kRuntime);
    m_runtime->setEditable(true);
    m_runtime->setInsertPolicy(QComboBox::NoInsert);
    m_runtime->lineEdit()->setPlaceholderText(tr("required, e.g. claude-code"));
    form->addRow(tr("&Runtime:"), withError(m_runtime, kRuntime));

    m_tier = new QSpinBox(m_form);
    m_tier->setObjectName(QStringLiteral("tier"));
    m_tier->setRange(0, 16);
    m_tier->setValue(1);
    form->addRow(tr("&Tier:"), m_tier);

    m_platformUrl = new QLineEdit(m_form);
    m_platformUrl->setObjectName(kPlatform);
    m_platformUrl->setPlaceholderText(QStringLiteral("https://platform.example.com"));
    form->addRow(tr("&Platform URL:"), withError(m_platformUrl, kPlatform));

    m_env = new EnvEditor(m_form);
    form->addRow(tr("&Environment:"), withError(m_env, kEnv));

    m_provider = new QComboBox(m_form);
    m_provider->setObjectName(QStringLiteral("provider"));
    m_provider->setEditable(true);
    m_provider->lineEdit()->setPlaceholderText(tr("optional (CP default)"));
    form->addRow(tr("Pro&vider:"), m_provider);
    m_instanceType = new QLineEdit(m_form);
    m_instanceType->setObjectName(kInstanceType);
    m_instanceType->setPlaceholderText(tr("optional, e.g. t3.large"));
    form->addRow(tr("Instance t&ype:"), withError(m_instanceType, kInstanceType));
    m_diskGb = new QSpinBox(m_form);
    m_diskGb->setObjectName(QStringLiteral("diskGb"));
    m_diskGb->setRange(0, 16384);
    m_diskGb->setSuffix(tr(" GB"));
    m_diskGb->setSpecialValueText(tr("CP default"));
    form->addRow(tr("&Disk size:"), m_diskGb);
    v->addWidget(m_form);

    m_progressRow = new QWidget(this);
    auto *ph = new QHBoxLayout(m_progressRow);
    ph->setContentsMargins(0, 6, 0, 0);
    m_progress = new QProgressBar(m_progressRow);
    m_progress->setRange(0, 0);
    m_progress->setTextVisible(false);
    m_progress->setMaximumWidth(160);
    ph->addWidget(m_progress);
    m_elapsed = new QLabel(m_progressRow);
    m_elapsed->setObjectName(QStringLiteral("elapsed"));
    m_elapsed->setWordWrap(true);
    ph->addWidget(m_elapsed, 1);
    // Cancel sits with the progress it stops, and exists only while there is something to stop.
    m_cancel = new QPushButton(tr("&Cancel request"), m_progressRow);
    m_cancel->setObjectName(QStringLiteral("cancelRequest"));
    m_cancel->setToolTip(QStringLiteral(
        "Stop waiting and cancel the request; the journal keeps the outcome as unknown"));
    m_cancel->setAutoDefault(false);
    ph->addWidget(m_cancel);
    m_progressRow->hide();
    v->addWidget(m_progressRow);

    m_result = new QLabel(this);
    m_result->setObjectName(QStringLiteral("result"));
    m_result->setWordWrap(true);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_result->setFrameShape(QFrame::StyledPanel);
    m_result->setAutoFillBackground(true);
    m_result->setMargin(6);
    m_result->hide();
    v->addWidget(m_result);
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("summary"));
    m_summary->setWordWrap(true);
    m_summary->setTextFormat(Qt::RichText);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_summary->setFrameShape(QFrame::StyledPanel);
    m_summary->setMargin(6);
    m_summary->hide();
    v->addWidget(m_summary);
    m_replace = new ReplaceChoice(this);
    v->addWidget(m_replace);

    m_buttons = new QDialogButtonBox(this);
    m_submit = m_buttons->addButton(tr("&Provision…"), QDialogButtonBox::AcceptRole);
    m_submit->setObjectName(QStringLiteral("provisionButton"));
    m_submit->setIcon(icon(QStringLiteral("provision"), this));
    m_submit->setToolTip(tr("Check the fields and show what will be sent; nothing is sent yet"));
    m_confirm = m_buttons->addButton(tr("&Confirm provision"), QDialogButtonBox::AcceptRole);
    m_confirm->setObjectName(QStringLiteral("confirmButton"));
    m_confirm->setIcon(icon(QStringLiteral("provision"), this));
    m_confirm->hide();
    m_edit = m_buttons->addButton(tr("&Edit"), QDialogButtonBox::ResetRole);
    m_edit->setObjectName(QStringLiteral("editButton"));
    m_edit->hide();
    m_close = m_buttons->addButton(QDialogButtonBox::Close);
    m_close->setObjectName(QStringLiteral("closeButton"));
    // Enter in a field at most shows the summary (the form's default button); on the summary
    // no button is the default, so sending takes a click, Space on Confirm or Alt+C.
    for (QPushButton *b : { m_submit, m_confirm, m_edit, m_close })
        b->setAutoDefault(false);
    m_submit->setDefault(true);
    connect(m_submit, &QPushButton::clicked, this, &ProvisionDialog::submit);
    connect(m_confirm, &QPushButton::clicked, this, &ProvisionDialog::confirm);
    connect(m_edit, &QPushButton::clicked, this, &ProvisionDialog::edit);
    connect(m_cancel, &QPushButton::clicked, this, &ProvisionDialog::cancelRequest);
    connect(m_close, &QPushButton::clicked, this, &ProvisionDialog::reject);
    v->addWidget(m_buttons);

    m_tick.setInterval(1000);
    connect(&m_tick, &QTimer::timeout, this, &ProvisionDialog::updateElapsed);
    resize(620, sizeHint().height());
}

ProvisionDialog::~ProvisionDialog()
{
    m_call.cancel();
}

void ProvisionDialog::setWorkspace(const QString &workspaceId, const QString &name)
{
    m_workspaceId->setText(workspaceId);
    m_name->setText(name);
    if (!workspaceId.isEmpty())
        m_header->setText(
            QStringLiteral(
                "Asks the control plane for compute for <b>%1</b>. Nothing is sent until "
                "every field is valid; environment values are never logged.")
                .arg(termtext::sanitize(name.isEmpty() ? workspaceId : name).toHtmlEscaped()));
}

void ProvisionDialog::prefill(const WorkspaceRow &row)
{
    setWorkspace(row.id, row.name);
    setRuntime(row.runtime);
    setTier(row.tier);
    setProvider(row.provider);
}

void ProvisionDialog::setTier(int tier)
{
    m_tier->setValue(tier);
}

void ProvisionDialog::setProvider(const QString &provider)
{
    m_provider->setCurrentText(provider);
}

void ProvisionDialog::setRuntime(const QString &runtime)
{
    m_runtime->setCurrentText(runtime);
}

void ProvisionDialog::setRuntimeSuggestions(const QStringList &runtimes)
{
    const QString current = m_runtime->currentText();
    m_runtime->clear();
    m_runtime->addItems(runtimes);
    m_runtime->setCurrentText(current);
}

void ProvisionDialog::setProviderSuggestions(const QStringList &providers)
{
    m_provider->clear();
    m_provider->addItem(QString());
    m_provider->addItems(providers);
    m_provider->setCurrentIndex(0);
}

void ProvisionDialog::setPlatformUrl(const QString &url)
{
    m_platformUrl->setText(url);
}

void ProvisionDialog::setEnvironment(const QMap<QString, QString> &env)
{
    m_env->setEnvironment(env);
}

void ProvisionDialog::setFieldError(const QString &field, const QString &message)
{
    QLabel *l = m_errors.value(field);
    if (!l)
        return;
    // A symbol and words, not colour alone.
    l->setText(message.isEmpty() ? QString() : QStringLiteral("⚠ ") + message);
    l->setVisible(!message.isEmpty());
}

QString ProvisionDialog::fieldError(const QString &field) const
{
    const QLabel *l = m_errors.value(field);
    return l && !l->isHidden() ? l->text() : QString();
}

bool ProvisionDialog::validate()
{
    bool ok = true;
    const auto check = [&](const QString &field, const QString &error) {
        setFieldError(field, error);
        ok = ok && error.isEmpty();
    };
    const VoidResult idChecked = validation::checkWorkspaceId(m_workspaceId->text().trimmed());
    // cpctl's words for cpctl's rule.
    check(kWorkspace,
          idChecked ? QString() : tr("invalid workspace ID: %1").arg(idChecked.error().message));
    check(kRuntime,
          m_runtime->currentText().trimmed().isEmpty() ? tr("the runtime is required") : QString());
    check(kPlatform, platformUrlError(m_platformUrl->text()));
    check(kEnv, m_env->error());
    const QString it = m_instanceType->text().trimmed();
    static const QRegularExpression itRe(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"));
    check(kInstanceType,
          it.isEmpty() || itRe.match(it).hasMatch() ? QString()
                                                    : tr("letters, digits, '.', '-' and '_' only"));
    if (!ok) {
        // Put the cursor where the first problem is.
        for (const QString &f : { kWorkspace, kRuntime, kPlatform, kEnv, kInstanceType }) {
            if (!fieldError(f).isEmpty()) {
                if (QWidget *w = m_form->findChild<QWidget *>(f))
                    w->setFocus();
                break;
            }
        }
    }
    return ok;
}

ProvisionRequest ProvisionDialog::request() const
{
    ProvisionRequest r;
    r.workspaceId = m_workspaceId->text().trimmed();
    r.runtime = m_runtime->currentText().trimmed();
    r.tier = m_tier->value();
    r.platformUrl = m_platformUrl->text().trimmed();
    r.env = m_env->environment();
    r.provider = m_provider->currentText().trimmed();
    r.instanceType = m_instanceType->text().trimmed();
    if (m_diskGb->value() > 0)
        r.diskGb = m_diskGb->value();
    r.idempotencyKey = m_idempotencyKey;
    return r;
}

WorkspaceRow ProvisionDialog::newRow() const
{
    WorkspaceRow row;
    row.id = m_workspaceId->text().trimmed();
    row.name = m_name->text().trimmed().isEmpty() ? row.id : m_name->text().trimmed();
    row.runtime = m_runtime->currentText().trimmed();
    row.tier = m_tier->value();
    row.provider = m_provider->currentText().trimmed();
    row.status = QStringLiteral("provisioning");
    return row;
}

void ProvisionDialog::submit()
{
    if (isRunning() || m_reviewing)
        return;
    m_result->hide();
    if (!validate())
        return;
    // What is summarised is what Confirm sends, whatever happens to the (disabled) form.
    m_reviewed = request();
    m_reviewedRow = newRow();
    const ProvisionSummary summary = ProvisionSummary::make(
        m_reviewed, m_name->text(), m_ops ? m_ops->source() : nullptr, m_nameLookup);
    m_summary->setText(summary.html());
    setReviewing(true);
}

void ProvisionDialog::edit()
{
    if (isRunning())
        return;
    m_replace->clear(); // asked about the request as it was; a changed one is asked again
    setReviewing(false);
}

void ProvisionDialog::setReviewing(bool reviewing)
{
    m_reviewing = reviewing;
    m_summary->setVisible(reviewing);
    m_submit->setVisible(!reviewing);
    m_submit->setDefault(!reviewing);
    m_confirm->setVisible(reviewing);
    m_edit->setVisible(reviewing);
    m_form->setEnabled(!reviewing && !isRunning());
    if (reviewing) {
        m_confirm->setFocus();
    } else {
        m_result->hide();
        m_confirm->setText(tr("&Confirm provision"));
        m_workspaceId->setFocus();
    }
}

QString ProvisionDialog::summaryText() const
{
    if (!m_reviewing)
        return {};
    QTextDocument doc;
    doc.setHtml(m_summary->text());
    return doc.toPlainText();
}

void ProvisionDialog::confirm()
{
    if (isRunning() || !m_reviewing)
        return;
    m_result->hide();
    if (!m_ops) {
        m_lastError = tr("No control plane session.");
        m_result->setText(QStringLiteral("✖ ") + m_lastError);
        m_result->show();
        return;
    }
    // One idempotency key per user action: trying again after a failure reuses it (the CP
    // then answers with the instance it may already have made); a changed request gets a new one.
    ProvisionRequest req = m_reviewed;
    req.idempotencyKey.clear();
    const QJsonObject described = Operations::describe(req);
    if (m_idempotencyKey.isEmpty() || described != m_keyFor) {
        m_idempotencyKey = QUuid::createUuid().toString(QUuid::WithoutBraces);
        m_keyFor = described;
    }
    req.idempotencyKey = m_idempotencyKey;
    m_lastError.clear();
    m_outcomeUnknown = false;
    m_lastInstance.clear();
    if (m_replace->isAsking() && m_replace->workspaceId() == req.workspaceId
        && !m_replace->confirmed(req.workspaceId)) {
        m_replace->checkBox()->setFocus();
        return; // the choice is on screen, unticked: nothing is sent
    }
    m_checking = true;
    m_cancelRequested = false;
    setRunning(true);
    m_call = m_replace->decide(
        m_ops, req.workspaceId, this,
        [this, req](const Result<std::optional<ProvisionOptions>> &d) {
            m_checking = false;
            if (d && *d && !m_cancelRequested) {
                send(req, **d);
                return;
            }
            setRunning(false);
            if (!d || m_cancelRequested) {
                m_lastError = !d && d.error().kind != Error::Kind::Cancelled
                    ? d.error().message
                    : tr("Cancelled: nothing was sent.");
                showResult(QStringLiteral("✖ ") + m_lastError.toHtmlEscaped(), colors::error);
            }
            closeIfAsked();
        });
}

void ProvisionDialog::send(const ProvisionRequest &req, const ProvisionOptions &options)
{
    setRunning(true);
    qCDebug(lcUi) << "provision" << req.workspaceId;
    Q_EMIT started(req.workspaceId);
    const QString ws = req.workspaceId;
    m_call = m_ops->provision(
        req, m_reviewedRow, this,
        [this, ws](const Result<ProvisionOutcome> &r) {
            onResult(r);
            Q_EMIT finished(ws, r.ok(), r ? r->instanceId : r.error().message);
        },
        options);
}

void ProvisionDialog::cancelRequest()
{
    if (!isRunning())
        return;
    m_elapsed->setText(tr("Cancelling…"));
    m_cancelRequested = m_checking; // a check without an HTTP call has no handle to cancel
    m_call.cancel();
}

void ProvisionDialog::reject()
{
    if (isRunning()) {
        // Closing must not orphan the request: cancel it, record the outcome, then close.
        m_closeWhenDone = true;
        cancelRequest();
        return;
    }
    QDialog::reject();
}

void ProvisionDialog::setRunning(bool running)
{
    m_running = running;
    m_form->setEnabled(!running && !m_reviewing);
    m_submit->setEnabled(!running);
    m_confirm->setEnabled(!running);
    m_edit->setEnabled(!running);
    m_cancel->setVisible(running);
    m_close->setEnabled(!running);
    m_progressRow->setVisible(running);
    if (running) {
        m_clock.start();
        m_tick.start();
        updateElapsed();
    } else {
        m_tick.stop();
    }
}

QString ProvisionDialog::elapsedText() const
{
    return m_elapsed->text();
}

void ProvisionDialog::updateElapsed()
{
    const qint64 s = m_clock.elapsed() / 1000;
    m_elapsed->setText(
        tr("Provisioning… %1:%2 elapsed. %3")
            .arg(s / 60)
            .arg(s % 60, 2, 10, QLatin1Char('0'))
            .arg(m_checking ? tr("First asking the control plane about the instance on file; "
                                 "nothing is sent before that.")
                            : tr("This can take several minutes; transient failures "
                                 "are retried with the same idempotency key.")));
}

void ProvisionDialog::onResult(const Result<ProvisionOutcome> &r)
{
    const qint64 secs = m_clock.elapsed() / 1000;
    setRunning(false);
    if (r) {
        m_lastInstance = r->instanceId;
        m_idempotencyKey.clear(); // the action is done; another provision is another action
        QString text = tr("✔ Provisioned %1 in %2 s: instance <b>%3</b>")
                           .arg(m_workspaceId->text().trimmed().toHtmlEscaped())
                           .arg(secs)
                           .arg(r->instanceId.toHtmlEscaped());
        if (!r->state.isEmpty())
            text += tr(", state %1").arg(r->state.toHtmlEscaped());
        if (!r->privateIp.isEmpty())
            text += tr(", private IP %1").arg(r->privateIp.toHtmlEscaped());
        if (r->attempts > 1)
            text += tr(" (after %1 attempts)").arg(r->attempts);
        if (!r->replacedInstanceId.isEmpty())
            text += tr("; it replaced %1 on file (kept in the audit log and the journal)")
                        .arg(r->replacedInstanceId.toHtmlEscaped());
        m_replace->clear();
        showResult(text + u'.', colors::running);
        m_confirm->setEnabled(false);
        m_edit->setEnabled(false);
        m_close->setDefault(true);
        m_close->setFocus();
    } else {
        const Error &e = r.error();
        m_lastError = e.message;
        m_outcomeUnknown = e.mayHaveApplied;
        const bool cancelled = e.kind == Error::Kind::Cancelled;
        // Cancelled or timed out, the request may have been acted on: the journal says "outcome
        // unknown", and so does the dialog, never "failed".
        const QString reconcile = tr("Whether the CP created an instance is unknown: the journal "
                                     "keeps the entry for Reconcile.");
        if (m_outcomeUnknown && cancelled)
            showResult(tr("⚠ Cancelled after %1 s: outcome unknown. %2").arg(secs).arg(reconcile),
                       colors::unknown);
        else if (m_outcomeUnknown)
            showResult(tr("⚠ Outcome unknown after %1 s: %2. %3")
                           .arg(secs)
                           .arg(e.message.toHtmlEscaped(), reconcile),
                       colors::unknown);
        else if (cancelled)
            showResult(tr("✖ Cancelled after %1 s: nothing was sent.").arg(secs), colors::error);
        else
            showResult(QStringLiteral("✖ %1").arg(e.message.toHtmlEscaped()), colors::error);
        m_confirm->setText(tr("&Try again"));
    }
    closeIfAsked();
}

void ProvisionDialog::showResult(const QString &html, const QColor &background)
{
    QPalette p = palette();
    p.setColor(QPalette::Window, background);
    p.setColor(QPalette::WindowText, Qt::white);
    m_result->setPalette(p);
    m_result->setText(html);
    m_result->show();
}

void ProvisionDialog::closeIfAsked()
{
    if (m_closeWhenDone) {
        m_closeWhenDone = false;
        QDialog::reject();
    }
}

QString ProvisionDialog::resultText() const
{
    return m_result->isHidden() ? QString() : m_result->text();
}

QString ProvisionDialog::errorText() const
{
    return m_lastError;
}

} // namespace cpc::ui
