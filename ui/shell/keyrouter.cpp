#include "keyrouter.h"

#include "consolearea.h"

#include <QAbstractItemView>
#include <QAction>
#include <QApplication>
#include <QKeyEvent>
#include <QMainWindow>
#include <QStatusBar>
#include <QToolTip>

namespace cpc::ui {

KeyRouter::KeyRouter(QMainWindow *window, QWidget *listSide, ConsoleArea *consoles)
    : QObject(window)
    , m_window(window)
    , m_listSide(listSide)
    , m_consoles(consoles)
{
    connect(qApp, &QApplication::focusChanged, this, &KeyRouter::onFocusChanged);
    qApp->installEventFilter(this);
}

KeyRouter::~KeyRouter()
{
    qApp->removeEventFilter(this);
}

bool KeyRouter::consoleInUse() const
{
    return m_last == Pane::Console && m_consoles->currentTab() != nullptr;
}

void KeyRouter::setGuardedActions(const QList<QAction *> &actions)
{
    m_guarded.clear();
    for (QAction *a : actions)
        m_guarded.append(a);
}

void KeyRouter::onFocusChanged(QWidget *, QWidget *now)
{
    if (!now)
        return;
    if (m_consoles->isAncestorOf(now) || now == m_consoles)
        m_last = Pane::Console;
    else if (m_listSide->isAncestorOf(now) || now == m_listSide)
        m_last = Pane::List;
}

QAction *KeyRouter::refusedActionFor(const QKeyEvent *event, QWidget *focus) const
{
    const QKeySequence pressed(event->keyCombination());
    for (const QPointer<QAction> &a : m_guarded) {
        if (!a || a->isEnabled())
            continue;
        QList<QKeySequence> keys = a->shortcuts();
        // Aliases (Del on the list) count where they work: on the widget that holds them.
        const auto aliases = a->property("cpcAliases").value<QList<QObject *>>();
        for (QObject *o : aliases) {
            auto *alias = qobject_cast<QAction *>(o);
            auto *scope = alias ? qobject_cast<QWidget *>(alias->parent()) : nullptr;
            if (alias && scope && (scope == m_window || scope == focus))
                keys += alias->shortcuts();
        }
        for (const QKeySequence &k : std::as_const(keys)) {
            if (k == pressed)
                return a;
        }
    }
    return nullptr;
}

bool KeyRouter::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() != QEvent::KeyPress)
        return false;
    auto *w = qobject_cast<QWidget *>(watched);
    // Only the focus widget's own delivery, in this window: each key is judged once.
    if (!w || w != QApplication::focusWidget() || w->window() != m_window)
        return false;
    auto *ke = static_cast<QKeyEvent *>(event);
    QAction *a = refusedActionFor(ke, w);
    if (!a)
        return false;
    sayWhy(a, w);
    return true;
}

void KeyRouter::sayWhy(QAction *action, QWidget *focus)
{
    // cpcWhyOff: the reason the window gave when it turned the action off.
    const QString reason = action->property("cpcWhyOff").toString();
    const QString text = action->text().remove(u'&').remove(QChar(0x2026));
    const QString why = reason.isEmpty() ? tr("%1 is unavailable").arg(text)
                                         : tr("%1 is unavailable: %2").arg(text, reason);
    // Beside what the engineer is looking at: the current row of the list, or the widget.
    QPoint at = focus->rect().center();
    if (auto *view = qobject_cast<QAbstractItemView *>(focus)) {
        const QRect r = view->visualRect(view->currentIndex());
        if (r.isValid())
            at = view->viewport()->mapTo(view, r.bottomLeft() + QPoint(24, 0));
    }
    QToolTip::showText(focus->mapToGlobal(at), why, focus);
    m_window->statusBar()->showMessage(why, 8000);
    Q_EMIT refused(action, why);
}

} // namespace cpc::ui
