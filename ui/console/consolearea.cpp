#include "consolearea.h"

#include "consoletab.h"
#include "consoleview.h"
#include "consoleviewer.h"
#include "operations.h"
#include "termtext.h"

#include <QLabel>
#include <QStackedWidget>
#include <QTabBar>
#include <QTabWidget>
#include <QVBoxLayout>

namespace cpc::ui {

ConsoleArea::ConsoleArea(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("consoleArea"));
    auto *v = new QVBoxLayout(this);
    v->setContentsMargins(0, 0, 0, 0);
    m_stack = new QStackedWidget(this);
    auto *empty
        = new QLabel(tr("No console open. Select a workspace and press <b>Enter</b> "
                        "(or <b>Ctrl+O</b>, or double-click it) to read its serial console."),
                     m_stack);
    empty->setAlignment(Qt::AlignCenter);
    empty->setWordWrap(true);
    empty->setForegroundRole(QPalette::PlaceholderText);
    m_stack->addWidget(empty);
    m_tabs = new QTabWidget(m_stack);
    m_tabs->setTabsClosable(true);
    m_tabs->setMovable(true);
    m_tabs->setDocumentMode(true);
    m_tabs->setObjectName(QStringLiteral("consoleTabs"));
    connect(m_tabs, &QTabWidget::tabCloseRequested, this, &ConsoleArea::closeTab);
    connect(m_tabs->tabBar(), &QTabBar::tabBarDoubleClicked, this, [this](int index) {
        if (index >= 0)
            Q_EMIT maximiseToggleRequested();
    });
    m_stack->addWidget(m_tabs);
    v->addWidget(m_stack);
    setFocusProxy(m_tabs);
}

void ConsoleArea::setOperations(Operations *operations)
{
    // Consoles belong to one session (profile): a new one starts with no tabs.
    closeAll();
    m_ops = operations;
}

ConsoleTab *ConsoleArea::tab(const QString &workspaceId) const
{
    for (int i = 0; i < m_tabs->count(); ++i) {
        auto *t = qobject_cast<ConsoleTab *>(m_tabs->widget(i));
        if (t && t->workspaceId() == workspaceId)
            return t;
    }
    return nullptr;
}

ConsoleTab *ConsoleArea::currentTab() const
{
    return qobject_cast<ConsoleTab *>(m_tabs->currentWidget());
}

int ConsoleArea::count() const
{
    return m_tabs->count();
}

ConsoleTab *ConsoleArea::open(const QString &workspaceId, const QString &name)
{
    ConsoleTab *t = tab(workspaceId);
    if (!t) {
        t = new ConsoleTab(m_ops, workspaceId, name, m_tabs);
        const int i = m_tabs->addTab(t, t->title());
        m_tabs->setTabToolTip(
            i, QStringLiteral("%1 (%2)").arg(t->title(), termtext::sanitize(workspaceId)));
        t->refresh();
        Q_EMIT countChanged(m_tabs->count());
    } else {
        t->refresh();
    }
    m_stack->setCurrentWidget(m_tabs);
    m_tabs->setCurrentWidget(t);
    return t;
}

void ConsoleArea::closeTab(int index)
{
    QWidget *w = m_tabs->widget(index);
    if (!w)
        return;
    m_tabs->removeTab(index);
    w->deleteLater();
    if (m_tabs->count() == 0)
        m_stack->setCurrentIndex(0);
    Q_EMIT countChanged(m_tabs->count());
}

void ConsoleArea::closeCurrent()
{
    if (m_tabs->currentIndex() >= 0)
        closeTab(m_tabs->currentIndex());
}

void ConsoleArea::closeAll()
{
    while (m_tabs->count() > 0)
        closeTab(0);
}

void ConsoleArea::focusText()
{
    if (ConsoleTab *t = currentTab())
        t->viewer()->view()->setFocus(Qt::ShortcutFocusReason);
    else
        setFocus(Qt::ShortcutFocusReason);
}

void ConsoleArea::refreshCurrent()
{
    if (ConsoleTab *t = currentTab())
        t->refresh();
}

} // namespace cpc::ui
