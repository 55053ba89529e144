#include "consoletab.h"

#include "icons.h"
#include "logging.h"
#include "operations.h"

#include <QDateTime>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QToolButton>
#include <QVBoxLayout>

namespace cpc::ui {

ConsoleTab::ConsoleTab(Operations *operations, const QString &workspaceId, const QString &name, QWidget *parent)
    : QWidget(parent), m_ops(operations), m_workspaceId(workspaceId), m_name(name)
{
    setObjectName(QStringLiteral("console:") + workspaceId);
    auto *v = new QVBoxLayout(this);
    v->setContentsMargins(4, 4, 4, 4);
    v->setSpacing(4);
    auto *h = new QHBoxLayout;
    m_refresh = new QToolButton(this);
    m_refresh->setText(QStringLiteral("Refresh"));
    m_refresh->setIcon(icon(QStringLiteral("refresh"), this));
    m_refresh->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_refresh->setToolTip(QStringLiteral("Fetch the console again (F5 while the console has focus)"));
    m_refresh->setObjectName(QStringLiteral("consoleRefresh"));
    connect(m_refresh, &QToolButton::clicked, this, &ConsoleTab::refresh);
    h->addWidget(m_refresh);
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("consoleStatus"));
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    h->addWidget(m_status, 1);
    v->addLayout(h);

    m_text = new QPlainTextEdit(this);
    m_text->setReadOnly(true);
    m_text->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_text->setPlaceholderText(QStringLiteral("Fetching the serial console…"));
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_text->setAccessibleName(QStringLiteral("Serial console of %1").arg(title()));
    v->addWidget(m_text, 1);
    setFocusProxy(m_text);
}

ConsoleTab::~ConsoleTab()
{
    m_call.cancel();
}

QString ConsoleTab::title() const
{
    return m_name.isEmpty() ? m_workspaceId : m_name;
}

QString ConsoleTab::text() const
{
    return m_text->toPlainText();
}

QString ConsoleTab::statusText() const
{
    return m_status->text();
}

void ConsoleTab::refresh()
{
    if (!m_ops) {
        m_status->setText(QStringLiteral("No connection to the control plane."));
        return;
    }
    m_call.cancel();
    m_status->setText(QStringLiteral("Fetching…"));
    m_refresh->setEnabled(false);
    qCDebug(lcUi) << "console fetch" << m_workspaceId;
    // `this` is the context: a tab closed before the answer gets nothing.
    m_call = m_ops->console(m_workspaceId, this, [this](const Result<ConsoleOutput> &r) { onResult(r); });
}

void ConsoleTab::onResult(const Result<ConsoleOutput> &r)
{
    m_refresh->setEnabled(true);
    const QString when = QTime::currentTime().toString(QStringLiteral("HH:mm:ss"));
    if (!r) {
        if (r.error().kind == Error::Kind::Cancelled)
            return;
        m_status->setText(QStringLiteral("⚠ %1 (at %2)").arg(r.error().message, when));
        if (m_text->document()->isEmpty())
            m_text->setPlaceholderText(QStringLiteral("The console could not be fetched:\n%1").arg(r.error().message));
        Q_EMIT fetched(m_workspaceId, false);
        return;
    }
    QScrollBar *sb = m_text->verticalScrollBar();
    const bool atEnd = sb->value() == sb->maximum();
    m_text->setPlainText(r->output);
    if (atEnd || r->output.size() < 2)
        sb->setValue(sb->maximum());
    const QString size = QLocale().formattedDataSize(r->bytes, 1, QLocale::DataSizeTraditionalFormat);
    m_status->setText(r->output.isEmpty() ? QStringLiteral("Console is empty (fetched at %1)").arg(when)
                                          : QStringLiteral("%1 fetched at %2").arg(size, when));
    if (r->output.isEmpty())
        m_text->setPlaceholderText(QStringLiteral("The instance has not written anything to its console yet."));
    Q_EMIT fetched(m_workspaceId, true);
}

} // namespace cpc::ui
