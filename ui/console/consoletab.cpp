#include "consoletab.h"

#include "consolebuffer.h"
#include "consoleviewer.h"
#include "logging.h"
#include "operations.h"
#include "termtext.h"

#include <QVBoxLayout>

namespace cpc::ui {

ConsoleTab::ConsoleTab(Operations *operations, const QString &workspaceId, const QString &name,
                       QWidget *parent)
    : QWidget(parent)
    , m_ops(operations)
    , m_workspaceId(workspaceId)
    , m_name(name)
{
    setObjectName(QStringLiteral("console:") + workspaceId);
    auto *v = new QVBoxLayout(this);
    v->setContentsMargins(0, 0, 0, 0);
    QPointer<Operations> ops(operations);
    m_viewer = new ConsoleViewer(
        [ops, workspaceId](QObject *context, ConsoleViewer::Done done) -> CallHandle {
            if (!ops) {
                done(Error::make(Error::Kind::Config,
                                 tr("console failed: no connection to the control plane")));
                return {};
            }
            qCDebug(lcUi) << "console fetch" << workspaceId;
            return ops->console(workspaceId, context, std::move(done));
        },
        this);
    m_viewer->setSuggestedFileName(QStringLiteral("console-") + workspaceId);
    m_viewer->setAccessibleName(tr("Serial console of %1").arg(title()));
    connect(m_viewer, &ConsoleViewer::fetched, this,
            [this](bool ok) { Q_EMIT fetched(m_workspaceId, ok); });
    v->addWidget(m_viewer, 1);
    setFocusProxy(m_viewer);
}

ConsoleTab::~ConsoleTab() = default;

QString ConsoleTab::title() const
{
    // Names and IDs are database text: an override in one is shown, not obeyed, whoever opened
    // the tab (sanitize() is idempotent, so a caller that escaped it already changes nothing).
    return termtext::sanitize(m_name.isEmpty() ? m_workspaceId : m_name);
}

QString ConsoleTab::text() const
{
    return m_viewer->buffer().plainText();
}

QString ConsoleTab::statusText() const
{
    const QString err = m_viewer->errorText();
    return err.isEmpty() ? m_viewer->statusText() : err;
}

bool ConsoleTab::isFetching() const
{
    return m_viewer->isFetching();
}

void ConsoleTab::refresh()
{
    m_viewer->refresh();
}

} // namespace cpc::ui
