// The window by keyboard, as the engineer who was just paged uses it: launch to a named
// workspace's console in three actions (Ctrl+K, part of the name, Enter), / to the filter
// without typing it, the console's keys where the console is the pane in use, End and Shift+F10
// on the list, a grouped F1 generated from the real actions, write keys that say why they are
// off in read-only mode, and the colour scheme from the View menu.
#include "captures.h"
#include "colorscheme.h"
#include "consolearea.h"
#include "consolefindbar.h"
#include "consoletab.h"
#include "consoleview.h"
#include "consoleviewer.h"
#include "guitestmain.h"
#include "quickopen.h"
#include "shortcutsdialog.h"
#include "windowfixture.h"
#include "workspacelistpane.h"

#include <QApplication>
#include <QLineEdit>
#include <QListWidget>
#include <QMenu>
#include <QSettings>
#include <QStatusBar>
#include <QTableView>
#include <QToolTip>
#include <QtTest>

using namespace cpc;
using namespace cpc::ui;
using namespace cpc::test;

class tst_KeyboardWalk : public QObject
{
    Q_OBJECT

    WindowFixture m_f;
    int m_actions = 0; ///< keyboard actions of the engineer in the current case

    QWidget *focus() const
    {
        return QApplication::focusWidget() ? QApplication::focusWidget() : m_f.win.get();
    }
    /// One key press, where the focus is: one keyboard action.
    void press(int key, Qt::KeyboardModifiers mods = Qt::NoModifier)
    {
        ++m_actions;
        QTest::keyClick(focus(), Qt::Key(key), mods);
    }
    /// Typing a word where the focus is: one keyboard action.
    void type(const QString &text)
    {
        ++m_actions;
        QTest::keyClicks(focus(), text);
    }
    WorkspaceListPane *listPane() const { return m_f.win->findChild<WorkspaceListPane *>(); }
    ConsoleViewer *currentViewer() const
    {
        ConsoleTab *t = win::consoles(*m_f.win)->currentTab();
        return t ? t->viewer() : nullptr;
    }
    bool openConsoleOf(const QString &id)
    {
        if (!m_f.win->selectWorkspace(id))
            return false;
        win::action(*m_f.win, QStringLiteral("console"))->trigger();
        return QTest::qWaitFor(
            [&] { return currentViewer() && currentViewer()->view()->hasFocus(); }, 5000);
    }

private Q_SLOTS:
    void init()
    {
        QSettings().clear();
        m_actions = 0;
        QVERIFY(m_f.start(400));
    }

    void cleanup() { m_f.reset(); }

    void launchToANamedConsoleInThreeActions()
    {
        QVERIFY(m_f.open(true));
        // A workspace far down the list, by a part of its name.
        const WorkspaceModel *model = win::model(*m_f.win);
        const std::optional<WorkspaceRow> target = model->rowAt(model->rowCount() - 3);
        QVERIFY(target);
        const QString part = target->name.mid(0, target->name.size() - 1);
        QTRY_VERIFY(QApplication::focusWidget() == win::table(*m_f.win));

        press(Qt::Key_K, Qt::ControlModifier);
        QuickOpen *quick = nullptr;
        QTRY_VERIFY((quick = m_f.win->findChild<QuickOpen *>()) && quick->edit()->hasFocus());
        type(target->id.left(0) + part);
        QVERIFY(quick->results()->count() >= 1);
        // The name's own prefix comes first; type on until it is the one.
        QCOMPARE(quick->results()->currentItem()->data(Qt::UserRole).toString().isEmpty(), false);
        const QString first = quick->results()->currentItem()->data(Qt::UserRole).toString();
        press(Qt::Key_Return);

        QTRY_VERIFY(currentViewer());
        QCOMPARE(win::consoles(*m_f.win)->currentTab()->workspaceId(), first);
        QVERIFY(model->rowById(first)->name.startsWith(part));
        QTRY_VERIFY2(currentViewer()->view()->hasFocus(),
                     qPrintable(QStringLiteral("focus: %1 in %2")
                                    .arg(QApplication::focusWidget()
                                             ? QApplication::focusWidget()->objectName()
                                             : QStringLiteral("none"))
                                    .arg(QApplication::activeWindow()
                                             ? QApplication::activeWindow()->objectName()
                                             : QStringLiteral("no window"))));
        QVERIFY2(m_actions <= 3, qPrintable(QString::number(m_actions)));
        qInfo("launch to console: %d keyboard actions", m_actions);
    }

    void quickOpenFindsByInstanceIdAndSaysWhenNothingMatches()
    {
        QVERIFY(m_f.open(true));
        const QString id = m_f.runningRow();
        const std::optional<WorkspaceRow> row = win::model(*m_f.win)->rowById(id);
        // The list's own filter hides the row: quick-open still finds and opens it.
        win::filterEdit(*m_f.win)->setText(QStringLiteral("no-such-workspace-zz"));
        QTRY_COMPARE(win::model(*m_f.win)->rowCount(), 0);
        QuickOpen *quick = m_f.win->showQuickOpen();
        QTest::keyClicks(quick->edit(), QStringLiteral("zzzz-nothing"));
        QVERIFY2(quick->summary().contains(QStringLiteral("No workspace matches")),
                 qPrintable(quick->summary()));
        QTest::keyClick(quick->edit(), Qt::Key_Return);
        QVERIFY(quick->isVisible()); // Enter on nothing keeps it open, saying why
        quick->edit()->setText(row->instanceId);
        QCOMPARE(quick->results()->count(), 1);
        QTest::keyClick(quick->edit(), Qt::Key_Return);
        QTRY_VERIFY(currentViewer());
        QCOMPARE(win::consoles(*m_f.win)->currentTab()->workspaceId(), id);
    }

    void slashGoesToTheFilterWithoutTypingIt()
    {
        QVERIFY(m_f.open(true));
        QTRY_VERIFY(QApplication::focusWidget() == win::table(*m_f.win));
        press(Qt::Key_Slash);
        QTRY_VERIFY(win::filterEdit(*m_f.win)->hasFocus());
        QCOMPARE(win::filterEdit(*m_f.win)->text(), QString());
        QVERIFY(listPane()->emptyMessage().isEmpty());
        type(QStringLiteral("zz-no-such"));
        QTRY_COMPARE(win::model(*m_f.win)->rowCount(), 0);
        QTRY_VERIFY2(listPane()->emptyMessage().contains(QStringLiteral("No workspace matches")),
                     qPrintable(listPane()->emptyMessage()));
        press(Qt::Key_Escape);
        QTRY_VERIFY(listPane()->emptyMessage().isEmpty());
    }

    void consoleKeysActWhereTheConsoleIsInUse()
    {
        QVERIFY(m_f.open(true));
        QVERIFY(openConsoleOf(m_f.runningRow()));
        ConsoleViewer *viewer = currentViewer();
        // The tab bar has the focus (clicked): Ctrl+F finds in the console, not the list.
        win::consoles(*m_f.win)->tabWidget()->tabBar()->setFocus();
        QTRY_VERIFY(win::consoles(*m_f.win)->tabWidget()->tabBar()->hasFocus());
        press(Qt::Key_F, Qt::ControlModifier);
        QTRY_VERIFY(viewer->findBar()->isVisible());
        QVERIFY(!win::filterEdit(*m_f.win)->hasFocus());
        press(Qt::Key_Escape);
        QTRY_VERIFY(!viewer->findBar()->isVisible());

        // Ctrl+J from the tab bar goes to the jump list: a console with a kernel panic in it.
        ConsoleOutput panic;
        panic.output = QString::fromUtf8(consoleCapture(QStringLiteral("panic-no-rootfs.log")));
        viewer->setAutoRefreshInterval(0);
        viewer->applyFetch(panic);
        viewer->flushPendingUpdates();
        QVERIFY(!viewer->notablesShown().isEmpty());
        win::consoles(*m_f.win)->tabWidget()->tabBar()->setFocus();
        press(Qt::Key_J, Qt::ControlModifier);
        QTRY_VERIFY(viewer->jumpList()->hasFocus());

        // Ctrl+1: the list is the pane in use, Ctrl+F filters it.
        press(Qt::Key_1, Qt::ControlModifier);
        QTRY_VERIFY(win::table(*m_f.win)->hasFocus());
        press(Qt::Key_F, Qt::ControlModifier);
        QTRY_VERIFY(win::filterEdit(*m_f.win)->hasFocus());

        // Ctrl+3: the console's text, not its tab bar.
        press(Qt::Key_3, Qt::ControlModifier);
        QTRY_VERIFY(viewer->view()->hasFocus());
        // / in the console's text finds in it, as in less.
        press(Qt::Key_Slash);
        QTRY_VERIFY(viewer->findBar()->isVisible());
    }

    void endHomeAndTheRowMenuOnTheList()
    {
        QVERIFY(m_f.open(true));
        QTableView *table = win::table(*m_f.win);
        QTRY_VERIFY(table->hasFocus());
        press(Qt::Key_Down);
        press(Qt::Key_End);
        QTRY_COMPARE(table->currentIndex().row(), win::model(*m_f.win)->rowCount() - 1);
        press(Qt::Key_Home);
        QTRY_COMPARE(table->currentIndex().row(), 0);

        QString menuText;
        QTimer::singleShot(0, this, [&] {
            QTRY_VERIFY(qobject_cast<QMenu *>(QApplication::activePopupWidget()));
            auto *menu = qobject_cast<QMenu *>(QApplication::activePopupWidget());
            for (QAction *a : menu->actions())
                menuText += a->text() + u'|';
            menu->close();
        });
        press(Qt::Key_F10, Qt::ShiftModifier);
        QTRY_VERIFY2(menuText.contains(QStringLiteral("console")), qPrintable(menuText));
    }

    void helpListsEveryKeyByPlace()
    {
        QVERIFY(m_f.open(true));
        press(Qt::Key_F1);
        ShortcutsDialog *help = nullptr;
        QTRY_VERIFY((help = win::shortcutsDialog(*m_f.win)));
        const QStringList places = help->places();
        QVERIFY2(places.size() >= 3, qPrintable(places.join(u',')));
        QCOMPARE(places.first(), ShortcutsDialog::anywhere());
        const auto rowsOf = [&](const QString &place) {
            QHash<QString, QString> out;
            for (const auto &[text, keys] : help->rowsIn(place))
                out.insert(text, keys);
            return out;
        };
        const auto list = rowsOf(QStringLiteral("In the list"));
        QVERIFY(list.value(QStringLiteral("Last row")).contains(QStringLiteral("End")));
        QVERIFY(list.value(QStringLiteral("Row menu")).contains(QStringLiteral("Shift+F10")));
        QVERIFY(list.value(QStringLiteral("Open console")).contains(QStringLiteral("Return")));
        const auto console = rowsOf(QStringLiteral("In a console"));
        QVERIFY(console.value(QStringLiteral("Find in the console"))
                    .contains(QStringLiteral("Ctrl+F")));
        QVERIFY(console.value(QStringLiteral("Next match")).contains(QStringLiteral("F3")));
        QVERIFY(console.value(QStringLiteral("Notable lines")).contains(QStringLiteral("Ctrl+J")));
        const auto anywhere = rowsOf(ShortcutsDialog::anywhere());
        QVERIFY(anywhere.value(QStringLiteral("Quick open")).contains(QStringLiteral("Ctrl+K")));
        // Within one place a key means one thing.
        for (const QString &place : places) {
            QHash<QString, QString> byKey;
            for (const auto &[text, keys] : help->rowsIn(place)) {
                for (const QString &k : keys.split(QStringLiteral(", "))) {
                    QVERIFY2(!byKey.contains(k),
                             qPrintable(QStringLiteral("%1: %2 is both %3 and %4")
                                            .arg(place, k, byKey.value(k), text)));
                    byKey.insert(k, text);
                }
            }
        }
        // Every window action with a key is listed.
        for (QAction *a : m_f.win->actions()) {
            if (a->shortcut().isEmpty() || a->text().isEmpty())
                continue;
            const QString text = QString(a->text()).remove(u'&').remove(QChar(0x2026));
            QVERIFY2(anywhere.contains(text), qPrintable(text));
        }
        // "Quit" quits the program; it does not say it closes the console.
        QVERIFY(!win::action(*m_f.win, QStringLiteral("quit"))
                     ->property("cpcTip")
                     .toString()
                     .contains(QStringLiteral("Close the console")));
    }

    void readOnlyWriteKeysSayWhy()
    {
        QVERIFY(m_f.open(true, true));
        QTableView *table = win::table(*m_f.win);
        QTRY_VERIFY(table->hasFocus());
        press(Qt::Key_Down);
        QTRY_VERIFY(table->currentIndex().isValid());
        QVERIFY(!win::action(*m_f.win, QStringLiteral("stop"))->isEnabled());
        press(Qt::Key_Delete);
        QTRY_VERIFY(QToolTip::isVisible());
        QVERIFY2(QToolTip::text().contains(QStringLiteral("read-only"), Qt::CaseInsensitive),
                 qPrintable(QToolTip::text()));
        QVERIFY(m_f.win->statusBar()->currentMessage().contains(QStringLiteral("Stop")));
        QToolTip::hideText();
        press(Qt::Key_N, Qt::ControlModifier);
        QTRY_VERIFY(QToolTip::isVisible());
        QVERIFY2(QToolTip::text().startsWith(QStringLiteral("Provision is unavailable")),
                 qPrintable(QToolTip::text()));
        QVERIFY(!m_f.win->findChild<QDialog *>(QStringLiteral("provisionDialog")));
    }

    void colourSchemeFromTheViewMenuIsRemembered()
    {
        QVERIFY(m_f.open(true));
        const QPalette before = qApp->palette();
        win::action(*m_f.win, QStringLiteral("schemeDark"))->trigger();
        QVERIFY(qApp->palette().color(QPalette::Window).lightness() < 100);
        QCOMPARE(savedColorScheme(), ColorScheme::Dark);
        QCOMPARE(QSettings().value(QStringLiteral("view/colorScheme")).toString(),
                 QStringLiteral("dark"));
        win::action(*m_f.win, QStringLiteral("schemeLight"))->trigger();
        QVERIFY(qApp->palette().color(QPalette::Window).lightness() > 150);
        win::action(*m_f.win, QStringLiteral("schemeSystem"))->trigger();
        QCOMPARE(qApp->palette().color(QPalette::Window), before.color(QPalette::Window));
        QCOMPARE(savedColorScheme(), ColorScheme::System);
        // A new window shows the remembered choice checked.
        m_f.close();
        saveColorScheme(ColorScheme::Dark);
        applyColorScheme(*qApp, ColorScheme::Dark);
        QVERIFY(m_f.open(true));
        QVERIFY(win::action(*m_f.win, QStringLiteral("schemeDark"))->isChecked());
        applyColorScheme(*qApp, ColorScheme::System);
    }
};

CPC_GUI_TEST_MAIN(tst_KeyboardWalk)
#include "tst_keyboardwalk.moc"
