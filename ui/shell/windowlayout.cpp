#include "windowlayout.h"

#include "consolearea.h"
#include "consoletab.h"
#include "consoleview.h"
#include "consoleviewer.h"

#include <QDockWidget>
#include <QEvent>
#include <QFontDatabase>
#include <QHeaderView>
#include <QMainWindow>
#include <QScreen>
#include <QScrollBar>
#include <QSettings>
#include <QSplitter>
#include <QTableView>
#include <QTimer>

namespace cpc::ui {

namespace {
const QString kGroup = QStringLiteral("mainwindow");
constexpr QSize kPreferred(1440, 900);
constexpr int kScreenMargin = 24;
} // namespace

WindowLayout::WindowLayout(QMainWindow *window, QSplitter *listAndDetails, QTableView *table,
                           QDockWidget *consoleDock, ConsoleArea *consoles)
    : QObject(window)
    , m_window(window)
    , m_splitter(listAndDetails)
    , m_table(table)
    , m_dock(consoleDock)
    , m_consoles(consoles)
    , m_defaultHeader(table->horizontalHeader()->saveState())
{
    connect(m_consoles, &ConsoleArea::countChanged, this, [this](int count) {
        if (count == 0 && m_maximised)
            setConsoleMaximised(false); // nothing left to read: the list comes back
    });
    m_splitter->installEventFilter(this);
}

bool WindowLayout::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_splitter && event->type() == QEvent::Resize) {
        // The list lost height while the window's centre kept its own: a band appeared above
        // it (CP unreachable, journal). The console gives the rows back; a drag of the dock's
        // edge resizes the centre itself and is left as the engineer made it.
        const int central = m_window->centralWidget()->height();
        if (central == m_centralHeight && !m_maximised)
            QTimer::singleShot(0, this, &WindowLayout::ensureUsable);
        m_centralHeight = central;
    }
    return QObject::eventFilter(watched, event);
}

QRect WindowLayout::fitted(const QRect &wanted, const QRect &available)
{
    if (!available.isValid())
        return wanted;
    QRect r(wanted.topLeft(), wanted.size().boundedTo(available.size()));
    if (r.right() > available.right())
        r.moveRight(available.right());
    if (r.bottom() > available.bottom())
        r.moveBottom(available.bottom());
    if (r.left() < available.left())
        r.moveLeft(available.left());
    if (r.top() < available.top())
        r.moveTop(available.top());
    return r;
}

void WindowLayout::fitToScreen()
{
    // The frame (title bar, borders) must be on screen too: fit the frame, keep its margins.
    const QRect frame = m_window->frameGeometry();
    const QRect client = m_window->geometry();
    const QMargins margins(client.left() - frame.left(), client.top() - frame.top(),
                           frame.right() - client.right(), frame.bottom() - client.bottom());
    const QRect fittedFrame = fitted(frame, availableScreen());
    if (fittedFrame != frame)
        m_window->setGeometry(fittedFrame.marginsRemoved(margins));
}

QRect WindowLayout::availableScreen() const
{
    const QScreen *s = m_window->screen();
    return s ? s->availableGeometry() : QRect();
}

QSize WindowLayout::defaultSize() const
{
    const QRect avail = availableScreen();
    if (!avail.isValid())
        return kPreferred;
    const QSize room = avail.size() - QSize(kScreenMargin, kScreenMargin);
    return kPreferred.boundedTo(room.expandedTo(QSize(640, 480)).boundedTo(avail.size()));
}

void WindowLayout::applyDefaultGeometry()
{
    const QRect avail = availableScreen();
    QRect r(QPoint(0, 0), defaultSize());
    if (avail.isValid())
        r.moveCenter(avail.center());
    m_window->setGeometry(fitted(r, avail));
    fitToScreen();
}

void WindowLayout::restore()
{
    QSettings s;
    s.beginGroup(kGroup);
    if (s.contains(QStringLiteral("geometry"))) {
        m_window->restoreGeometry(s.value(QStringLiteral("geometry")).toByteArray());
        // Saved on a bigger screen (docked) and opened on the laptop's: the window fits.
        fitToScreen();
    } else {
        applyDefaultGeometry();
    }
    if (s.contains(QStringLiteral("state")))
        m_window->restoreState(s.value(QStringLiteral("state")).toByteArray());
    if (s.contains(QStringLiteral("splitter")))
        m_splitter->restoreState(s.value(QStringLiteral("splitter")).toByteArray());
    if (s.contains(QStringLiteral("header")))
        m_table->horizontalHeader()->restoreState(s.value(QStringLiteral("header")).toByteArray());
    s.endGroup();
    // The saved sizes are applied when the window is laid out: check them then.
    QTimer::singleShot(0, this, &WindowLayout::ensureUsable);
}

void WindowLayout::save() const
{
    QSettings s;
    s.beginGroup(kGroup);
    s.setValue(QStringLiteral("geometry"), m_window->saveGeometry());
    s.setValue(QStringLiteral("state"), m_window->saveState());
    s.setValue(QStringLiteral("splitter"), m_splitter->saveState());
    s.setValue(QStringLiteral("header"), m_table->horizontalHeader()->saveState());
    s.endGroup();
}

void WindowLayout::reset()
{
    setConsoleMaximised(false);
    m_window->showNormal();
    applyDefaultGeometry();
    m_dock->setFloating(false);
    m_window->addDockWidget(Qt::BottomDockWidgetArea, m_dock);
    m_dock->show();
    m_table->horizontalHeader()->restoreState(m_defaultHeader);
    const int w = qMax(m_splitter->width(), m_window->width());
    m_splitter->setSizes({ w * 3 / 4, w - w * 3 / 4 });
    if (m_consoles->count() > 0)
        giveConsoleTheScreen();
    else
        m_window->resizeDocks({ m_dock }, { consoleMinimumHeight() / 2 }, Qt::Vertical);
    save();
}

int WindowLayout::rowHeight() const
{
    return qMax(1, m_table->verticalHeader()->defaultSectionSize());
}

int WindowLayout::consoleLineHeight() const
{
    if (ConsoleTab *t = m_consoles->currentTab())
        return qMax(1, t->viewer()->view()->lineHeight());
    return QFontMetrics(QFontDatabase::systemFont(QFontDatabase::FixedFont)).lineSpacing();
}

int WindowLayout::listMinimumHeight() const
{
    QWidget *central = m_window->centralWidget();
    const int chrome = central->height() - m_table->viewport()->height();
    return chrome + kMinListRows * rowHeight() + 2;
}

int WindowLayout::consoleMinimumHeight() const
{
    int chrome = 110; // title, tabs, toolbar and status line of a console not yet shown
    if (ConsoleTab *t = m_consoles->currentTab(); t && t->viewer()->view()->isVisible())
        chrome = m_dock->height() - t->viewer()->view()->viewport()->height();
    return chrome + kMinConsoleLines * consoleLineHeight() + 2;
}

int WindowLayout::visibleListRows() const
{
    if (!m_table->isVisible())
        return 0;
    return m_table->viewport()->height() / rowHeight();
}

int WindowLayout::visibleConsoleLines() const
{
    ConsoleTab *t = m_consoles->currentTab();
    if (!t || !t->viewer()->view()->isVisible())
        return 0;
    return t->viewer()->view()->viewport()->height() / consoleLineHeight();
}

void WindowLayout::giveConsoleTheScreen()
{
    if (m_maximised || m_dock->isFloating())
        return;
    const int total = m_window->centralWidget()->height() + m_dock->height();
    const int dock = qMax(total - listMinimumHeight(), consoleMinimumHeight());
    m_window->resizeDocks({ m_dock }, { dock }, Qt::Vertical);
}

void WindowLayout::setConsoleMaximised(bool maximised)
{
    if (maximised == m_maximised)
        return;
    m_maximised = maximised;
    if (maximised) {
        m_dock->setFloating(false);
        m_dock->show();
        m_splitter->hide();
        // After the layout knows the list is gone; the central widget keeps only the bands
        // (PRODUCTION, CP unreachable), which stay in sight.
        QTimer::singleShot(0, this, [this] {
            if (m_maximised)
                m_window->resizeDocks({ m_dock }, { m_window->height() }, Qt::Vertical);
        });
    } else {
        m_splitter->show();
        // Laid out again first, so the list's share is measured with the list shown.
        QTimer::singleShot(0, this, &WindowLayout::giveConsoleTheScreen);
    }
    Q_EMIT consoleMaximisedChanged(maximised);
}

void WindowLayout::ensureUsable()
{
    fitToScreen(); // again now that the frame's size is known
    if (m_maximised)
        return;
    // Left to right: a details pane saved wide must not squeeze the list to a sliver.
    const QList<int> sizes = m_splitter->sizes();
    const int width = sizes.value(0) + sizes.value(1);
    if (width > 0 && sizes.value(0) < width * 2 / 5)
        m_splitter->setSizes({ width * 3 / 4, width - width * 3 / 4 });
    if (!m_dock->isVisible() || m_dock->isFloating())
        return;
    const int total = m_window->centralWidget()->height() + m_dock->height();
    const int listMin = listMinimumHeight();
    if (m_window->centralWidget()->height() < listMin) {
        // The console keeps its 12 lines if it has a tab: on a small screen it wins.
        const int consoleMin = m_consoles->count() > 0 ? consoleMinimumHeight() : 0;
        m_window->resizeDocks({ m_dock }, { qMax(total - listMin, consoleMin) }, Qt::Vertical);
    }
}

} // namespace cpc::ui
