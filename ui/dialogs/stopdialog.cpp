#include "stopdialog.h"

#include "icons.h"
#include "statuspresentation.h"
#include "termtext.h"

#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QStyle>
#include <QVBoxLayout>

namespace cpc::ui {

StopDialog::StopDialog(const QString &workspaceId, const QString &name, const QString &instanceId,
                       bool production, const QString &profile, QWidget *parent)
    : QDialog(parent)
    // The name as shown, controls and bidi overrides escaped: what the engineer reads is what
    // they type.
    , m_expected(termtext::sanitize(name.isEmpty() ? workspaceId : name))
{
    setObjectName(QStringLiteral("stopDialog"));
    setWindowTitle(tr("Stop %1?").arg(m_expected));
    auto *v = new QVBoxLayout(this);

    if (production) {
        auto *band = new QLabel(tr("PRODUCTION — %1").arg(profile), this);
        band->setObjectName(QStringLiteral("stopProductionBand"));
        band->setAutoFillBackground(true);
        QPalette p = band->palette();
        p.setColor(QPalette::Window, colors::production);
        p.setColor(QPalette::WindowText, Qt::white);
        band->setPalette(p);
        band->setMargin(6);
        QFont f = band->font();
        f.setBold(true);
        band->setFont(f);
        v->addWidget(band);
    }

    m_text = new QLabel(this);
    m_text->setObjectName(QStringLiteral("stopMessage"));
    m_text->setWordWrap(true);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    const QString iid = instanceId.isEmpty()
        ? tr("<i>none on file</i>")
        : QStringLiteral("<b>%1</b>").arg(termtext::sanitize(instanceId).toHtmlEscaped());
    // The instance is looked up again when the stop runs: one recorded meanwhile is stopped.
    const QString what = instanceId.isEmpty()
        ? tr("<p>There is nothing to stop: no instance is on file for this workspace. "
             "Confirming sends nothing to the control plane and changes nothing (an instance "
             "recorded before you confirm would be stopped).</p>")
        : tr("<p>The control plane stops the instance. The row is marked offline only "
             "after the control plane confirms; if it refuses, nothing changes.</p>");
    m_text->setText(
        tr("<p>Stop the compute of workspace <b>%1</b>?</p>"
           "<table cellspacing=4>"
           "<tr><td>Workspace ID</td><td><tt>%2</tt></td></tr>"
           "<tr><td>Instance ID</td><td>%3</td></tr></table>")
            .arg(m_expected.toHtmlEscaped(), termtext::sanitize(workspaceId).toHtmlEscaped(), iid)
        + what);
    auto *row = new QHBoxLayout;
    auto *warning = new QLabel(this);
    warning->setObjectName(QStringLiteral("stopWarningIcon"));
    const int size = style()->pixelMetric(QStyle::PM_MessageBoxIconSize, nullptr, this);
    warning->setPixmap(style()->standardIcon(QStyle::SP_MessageBoxWarning).pixmap(size, size));
    warning->setAlignment(Qt::AlignTop);
    row->addWidget(warning);
    row->addWidget(m_text, 1);
    v->addLayout(row);

    auto *prompt
        = new QLabel(tr("Type <b>%1</b> to confirm:").arg(m_expected.toHtmlEscaped()), this);
    prompt->setWordWrap(true);
    v->addWidget(prompt);
    m_confirm = new QLineEdit(this);
    m_confirm->setObjectName(QStringLiteral("confirmName"));
    // Not the name itself: a placeholder that reads like the answer looks filled in.
    m_confirm->setPlaceholderText(tr("type the name shown above"));
    m_confirm->setAccessibleName(tr("Workspace name to confirm the stop"));
    prompt->setBuddy(m_confirm);
    v->addWidget(m_confirm);

    auto *buttons = new QDialogButtonBox(this);
    m_stop = buttons->addButton(tr("&Stop workspace"), QDialogButtonBox::AcceptRole);
    m_stop->setObjectName(QStringLiteral("stopButton"));
    m_stop->setIcon(icon(QStringLiteral("stop"), this));
    m_stop->setEnabled(false);
    m_stop->setToolTip(tr("Type the workspace name exactly to enable"));
    // It ends running work: the button looks dangerous (red, in every style that honours the
    // palette), and says so to whoever reads properties (styles, tests, accessibility tools).
    m_stop->setProperty("destructive", true);
    // Disabled (name not typed yet) it keeps the style's grey: red would look clickable.
    QPalette danger = m_stop->palette();
    for (const auto group : { QPalette::Active, QPalette::Inactive }) {
        danger.setColor(group, QPalette::Button, colors::error);
        danger.setColor(group, QPalette::ButtonText, Qt::white);
    }
    m_stop->setPalette(danger);
    auto *cancel = buttons->addButton(QDialogButtonBox::Cancel);
    // Enter stops only once the name matches; before that it does nothing (not even cancel,
    // so a typo does not throw the typed text away).
    cancel->setAutoDefault(false);
    m_stop->setAutoDefault(false);
    connect(m_confirm, &QLineEdit::textChanged, this, [this](const QString &t) {
        const bool match = t == m_expected;
        m_stop->setEnabled(match);
        m_stop->setDefault(match);
    });
    // Enter in the field stops once the name matches, and does nothing before.
    connect(m_confirm, &QLineEdit::returnPressed, this, [this] {
        if (m_confirm->text() == m_expected)
            accept();
    });
    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        if (m_confirm->text() == m_expected)
            accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    v->addWidget(buttons);
    m_confirm->setFocus();
    setMinimumWidth(480);
}

QString StopDialog::message() const
{
    return m_text->text();
}

} // namespace cpc::ui
