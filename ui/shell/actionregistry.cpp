#include "actionregistry.h"

#include "colorscheme.h"
#include "icons.h"
#include "shortcutsdialog.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QMainWindow>
#include <QMenu>
#include <QMenuBar>
#include <QToolBar>

namespace cpc::ui {

ActionRegistry::ActionRegistry(QMainWindow *window, QWidget *table, QAction *toggleConsoles)
    : QObject(window)
    , m_window(window)
{
    QAction *filter = make(QStringLiteral("filter"), tr("&Filter"), QStringLiteral("filter"),
                           { QKeySequence(Qt::CTRL | Qt::Key_F) },
                           tr("Filter the list by name, ID, instance, runtime or status (when "
                              "the console is the pane in use: find in it)"));
    alias(filter, QStringLiteral("filterSlash"), { QKeySequence(Qt::Key_Slash) }, m_window);

    QAction *refresh = make(QStringLiteral("refresh"), tr("&Refresh"), QStringLiteral("refresh"),
                            { QKeySequence(Qt::Key_F5), QKeySequence(Qt::CTRL | Qt::Key_R) },
                            tr("Reload the workspaces and ask the CP for every shown status now "
                               "(in a console: fetch it again)"));

    QAction *console = make(QStringLiteral("console"), tr("Open &console"),
                            QStringLiteral("console"), { QKeySequence(Qt::CTRL | Qt::Key_O) },
                            tr("Read the serial console of the selected workspace"));
    alias(console, QStringLiteral("consoleEnter"),
          { QKeySequence(Qt::Key_Return), QKeySequence(Qt::Key_Enter) }, table);

    QAction *quickOpen
        = make(QStringLiteral("quickOpen"), tr("&Quick open…"), QStringLiteral("console"),
               { QKeySequence(Qt::CTRL | Qt::Key_K) },
               tr("Type part of a workspace's name, ID or instance ID; Enter opens its console"));
    quickOpen->setIconText(tr("Quick open"));

    QAction *check = make(QStringLiteral("checkNow"), tr("Check status &now"),
                          QStringLiteral("refresh"), { QKeySequence(Qt::SHIFT | Qt::Key_F5) },
                          tr("Ask the CP for the selected workspace's status now"));

    QAction *pin = make(QStringLiteral("pin"), tr("&Pin"), QStringLiteral("pin"),
                        { QKeySequence(Qt::CTRL | Qt::Key_P) },
                        tr("Pin or unpin: pinned workspaces are polled even off screen and "
                           "notify on every change"));
    pin->setCheckable(true);

    QAction *copyIid
        = make(QStringLiteral("copyInstanceId"), tr("Copy &instance ID"), QStringLiteral("copy"),
               { QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C) },
               tr("Copy the selected workspace's instance ID"));

    QAction *bundle
        = make(QStringLiteral("exportBundle"), tr("&Export incident bundle…"),
               QStringLiteral("bundle"), { QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E) },
               tr("Write the selected workspace's row, status history, audit entries and "
                  "console (as shown and raw) with SHA-256 sums into a directory; "
                  "local files only, no secret"));
    bundle->setIconText(tr("Export bundle"));

    QAction *provision
        = make(QStringLiteral("provision"), tr("Pro&vision…"), QStringLiteral("provision"),
               { QKeySequence(Qt::CTRL | Qt::Key_N) }, tr("Provision compute for a workspace"));
    provision->setProperty("cpcMutating", true);

    QAction *stop = make(QStringLiteral("stop"), tr("&Stop…"), QStringLiteral("stop"),
                         { QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S) },
                         tr("Stop the selected workspace's compute (asks first)"));
    stop->setProperty("cpcMutating", true);
    alias(stop, QStringLiteral("stopDelete"), { QKeySequence(Qt::Key_Delete) }, table);
    const QString inList = tr("In the list");
    for (const char *name : { "consoleEnter", "stopDelete" })
        m_actions.value(QLatin1String(name))->setProperty("cpcPlace", inList);
    QAction *rowMenu = makeIn(table, inList, QStringLiteral("rowMenu"), tr("Row menu"),
                              { QKeySequence(Qt::SHIFT | Qt::Key_F10), QKeySequence(Qt::Key_Menu) },
                              tr("Open the selected row's menu"));
    QAction *lastRow = makeIn(table, inList, QStringLiteral("lastRow"), tr("Last row"),
                              { QKeySequence(Qt::Key_End) }, tr("Go to the last row of the list"));
    QAction *firstRow
        = makeIn(table, inList, QStringLiteral("firstRow"), tr("First row"),
                 { QKeySequence(Qt::Key_Home) }, tr("Go to the first row of the list"));
    Q_UNUSED(rowMenu);
    Q_UNUSED(lastRow);
    Q_UNUSED(firstRow);

    QAction *reconcile
        = make(QStringLiteral("reconcile"), tr("Reconcile &journal"), QStringLiteral("reconcile"),
               { QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_J) },
               tr("Ask the CP about provisions whose outcome is unknown (same "
                  "idempotency key, never a second instance)"));
    reconcile->setProperty("cpcMutating", true);

    QAction *clearJournal = new QAction(tr("Clear entry"), m_window);
    clearJournal->setObjectName(QStringLiteral("clearJournal"));
    clearJournal->setToolTip(tr("Close the selected journal entries without asking the CP"));
    clearJournal->setProperty("cpcIcon", QStringLiteral("close"));
    m_actions.insert(clearJournal->objectName(), clearJournal);

    QAction *readOnly
        = make(QStringLiteral("readOnly"), tr("Read-&only mode"), QStringLiteral("lock"),
               { QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_L) },
               tr("Turn every write (provision, stop, reconcile) off, or on again "
                  "after a confirmation"));
    readOnly->setCheckable(true);

    QAction *profiles
        = make(QStringLiteral("profiles"), tr("P&rofiles…"), QStringLiteral("profile"),
               { QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_P) },
               tr("Create, edit, delete or switch profiles"));

    QAction *focusList
        = make(QStringLiteral("focusList"), tr("Go to the list"), QString(),
               { QKeySequence(Qt::CTRL | Qt::Key_1) }, tr("Move the focus to the workspace list"));
    QAction *focusDetails
        = make(QStringLiteral("focusDetails"), tr("Go to the details"), QString(),
               { QKeySequence(Qt::CTRL | Qt::Key_2) }, tr("Move the focus to the details pane"));
    QAction *focusConsole = make(QStringLiteral("focusConsole"), tr("Go to the console"), QString(),
                                 { QKeySequence(Qt::CTRL | Qt::Key_3) },
                                 tr("Move the focus to the open console's text"));
    QAction *maximise = make(QStringLiteral("maximiseConsole"), tr("&Maximise console"), QString(),
                             { QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_M) },
                             tr("Give the console the whole window, or give the list and "
                                "details back (also: double-click the console's tab)"));
    maximise->setCheckable(true);
    QAction *resetLayout = new QAction(tr("Reset &layout"), m_window);
    resetLayout->setObjectName(QStringLiteral("resetLayout"));
    resetLayout->setStatusTip(tr("Window size, panes, columns and console dock as on the first "
                                 "start"));
    m_actions.insert(resetLayout->objectName(), resetLayout);
    // F3 and Ctrl+J have no meaning on the list: they reach the open console from anywhere.
    // The help lists them with the console's own keys.
    for (const auto &[name, key] :
         { std::pair { "consoleFindNext", QKeySequence(Qt::Key_F3) },
           std::pair { "consoleFindPrevious", QKeySequence(Qt::SHIFT | Qt::Key_F3) },
           std::pair { "consoleJumpList", QKeySequence(Qt::CTRL | Qt::Key_J) } }) {
        auto *a = new QAction(m_window);
        a->setObjectName(QLatin1String(name));
        a->setShortcut(key);
        m_window->addAction(a);
        m_actions.insert(a->objectName(), a);
    }
    QAction *closeConsole
        = make(QStringLiteral("closeConsole"), tr("Close console tab"), QStringLiteral("close"),
               { QKeySequence(Qt::CTRL | Qt::Key_W) }, tr("Close the current console tab"));

    QAction *help = make(QStringLiteral("help"), tr("&Keyboard shortcuts"), QStringLiteral("help"),
                         { QKeySequence(Qt::Key_F1) }, tr("List every key of the console"));
    alias(help, QStringLiteral("helpQuestion"), { QKeySequence(Qt::Key_Question) }, m_window);

    QAction *quit
        = make(QStringLiteral("quit"), tr("&Quit"), QString(),
               { QKeySequence(Qt::CTRL | Qt::Key_Q) }, tr("Quit CP Console (the layout is saved)"));

    // Menus: every action is reachable with the mouse and shows its key.
    QMenu *file = m_window->menuBar()->addMenu(tr("&File"));
    file->addAction(profiles);
    file->addAction(readOnly);
    file->addSeparator();
    file->addAction(quit);
    QMenu *ws = m_window->menuBar()->addMenu(tr("&Workspace"));
    for (QAction *a : { quickOpen, console, check, pin, copyIid })
        ws->addAction(a);
    ws->addAction(bundle);
    ws->addSeparator();
    ws->addAction(provision);
    ws->addAction(stop);
    ws->addSeparator();
    ws->addAction(reconcile);
    QMenu *view = m_window->menuBar()->addMenu(tr("&View"));
    for (QAction *a : { filter, refresh, focusList, focusDetails, focusConsole, closeConsole })
        view->addAction(a);
    view->addSeparator();
    view->addAction(toggleConsoles);
    view->addAction(maximise);
    view->addAction(resetLayout);
    view->addSeparator();
    addColorSchemeMenu(view);
    QMenu *helpMenu = m_window->menuBar()->addMenu(tr("&Help"));
    helpMenu->addAction(help);

    auto *tb = new QToolBar(tr("Actions"), m_window);
    tb->setObjectName(QStringLiteral("mainToolbar"));
    tb->setMovable(false);
    tb->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    tb->setIconSize(QSize(18, 18));
    for (QAction *a : { refresh, quickOpen, console, pin })
        tb->addAction(a);
    tb->addSeparator();
    tb->addAction(provision);
    tb->addAction(stop);
    tb->addSeparator();
    tb->addAction(readOnly);
    tb->addAction(profiles);
    tb->addAction(help);
    m_window->addToolBar(Qt::TopToolBarArea, tb);
}

QAction *ActionRegistry::make(const QString &objectName, const QString &text,
                              const QString &iconName, const QList<QKeySequence> &keys,
                              const QString &statusTip)
{
    auto *a = new QAction(text, m_window);
    a->setObjectName(objectName);
    a->setShortcuts(keys);
    a->setStatusTip(statusTip);
    a->setProperty("cpcIcon", iconName);
    a->setProperty("cpcTip", statusTip);
    const QString keyText = ShortcutsDialog::keysOf(a);
    a->setToolTip(keyText.isEmpty() ? statusTip
                                    : QStringLiteral("%1 (%2)").arg(statusTip, keyText));
    m_window->addAction(a); // window-wide shortcuts work wherever the focus is in this window
    m_actions.insert(objectName, a);
    m_keyboardActions << a;
    return a;
}

QAction *ActionRegistry::makeIn(QWidget *scope, const QString &place, const QString &objectName,
                                const QString &text, const QList<QKeySequence> &keys,
                                const QString &statusTip)
{
    auto *a = new QAction(text, scope);
    a->setObjectName(objectName);
    a->setShortcuts(keys);
    a->setShortcutContext(Qt::WidgetShortcut);
    a->setStatusTip(statusTip);
    a->setProperty("cpcTip", statusTip);
    a->setProperty("cpcPlace", place);
    scope->addAction(a);
    m_actions.insert(objectName, a);
    m_keyboardActions << a;
    return a;
}

void ActionRegistry::addColorSchemeMenu(QMenu *view)
{
    QMenu *menu = view->addMenu(tr("Colour &scheme"));
    auto *group = new QActionGroup(menu);
    const ColorScheme current = currentColorScheme();
    for (const auto &[scheme, name, text] :
         { std::tuple { ColorScheme::System, "schemeSystem", tr("&System") },
           std::tuple { ColorScheme::Light, "schemeLight", tr("&Light") },
           std::tuple { ColorScheme::Dark, "schemeDark", tr("&Dark") } }) {
        QAction *a = menu->addAction(text);
        a->setObjectName(QLatin1String(name));
        a->setCheckable(true);
        a->setChecked(scheme == current);
        group->addAction(a);
        m_actions.insert(a->objectName(), a);
        connect(a, &QAction::triggered, this, [s = scheme] {
            applyColorScheme(*qApp, s);
            saveColorScheme(s); // the next start uses it unless --color-scheme says otherwise
        });
    }
}

QAction *ActionRegistry::alias(QAction *of, const QString &objectName,
                               const QList<QKeySequence> &keys, QWidget *scope)
{
    auto *alias = new QAction(of->text(), scope);
    alias->setObjectName(objectName);
    alias->setShortcuts(keys);
    alias->setShortcutContext(scope == m_window ? Qt::WindowShortcut : Qt::WidgetShortcut);
    scope->addAction(alias);
    connect(alias, &QAction::triggered, of, &QAction::trigger);
    // An alias follows its action: disabled with it, for the same reason.
    connect(of, &QAction::changed, alias, [alias, of] {
        alias->setEnabled(of->isEnabled());
        alias->setToolTip(of->toolTip());
    });
    alias->setProperty("cpcMutating", of->property("cpcMutating"));
    QList<QObject *> aliases = of->property("cpcAliases").value<QList<QObject *>>();
    aliases << alias;
    of->setProperty("cpcAliases", QVariant::fromValue(aliases));
    m_actions.insert(objectName, alias);
    const QString keyText = ShortcutsDialog::keysOf(of);
    of->setToolTip(QStringLiteral("%1 (%2)").arg(of->property("cpcTip").toString(), keyText));
    return alias;
}

QList<QAction *> ActionRegistry::mutatingActions() const
{
    QList<QAction *> out;
    for (QAction *a : std::as_const(m_actions)) {
        if (a->property("cpcMutating").toBool())
            out << a;
    }
    return out;
}

void ActionRegistry::applyIcons()
{
    for (QAction *a : std::as_const(m_actions)) {
        const QString name = a->property("cpcIcon").toString();
        if (!name.isEmpty())
            a->setIcon(icon(name, m_window));
    }
}

} // namespace cpc::ui
