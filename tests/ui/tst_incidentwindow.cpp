// The window on a laptop screen during an incident: it fits the screen, an open console gets
// most of the height and can take all of it, a saved layout never comes back crushed, View ▸
// Reset layout, nothing clipped in the details pane or the list's columns, and the journal
// notice takes one line. Run at 1366x768 and 1280x720 (CPC_TEST_SCREEN, see CMakeLists.txt).
#include "consolearea.h"
#include "consoletab.h"
#include "consoleview.h"
#include "consoleviewer.h"
#include "cpbanner.h"
#include "detailspane.h"
#include "guitestmain.h"
#include "journalbanner.h"
#include "statestore.h"
#include "windowfixture.h"
#include "windowlayout.h"

#include <QAbstractButton>
#include <QDockWidget>
#include <QHeaderView>
#include <QJsonObject>
#include <QLabel>
#include <QScreen>
#include <QScrollArea>
#include <QScrollBar>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QTabBar>
#include <QTabWidget>
#include <QTableView>
#include <QToolButton>
#include <QTreeWidget>
#include <QUuid>
#include <QtTest>

using namespace cpc;
using namespace cpc::ui;
using namespace cpc::test;

class tst_IncidentWindow : public QObject
{
    Q_OBJECT

    WindowFixture m_f;

    WindowLayout *layout() const { return m_f.win->findChild<WindowLayout *>(); }
    QDockWidget *dock() const
    {
        return m_f.win->findChild<QDockWidget *>(QStringLiteral("consoleDock"));
    }
    QRect available() const { return m_f.win->screen()->availableGeometry(); }

    bool openConsoleOfRunningRow()
    {
        const QString id = m_f.runningRow();
        if (id.isEmpty() || !m_f.win->selectWorkspace(id))
            return false;
        win::action(*m_f.win, QStringLiteral("console"))->trigger();
        return QTest::qWaitFor([this] { return layout()->visibleConsoleLines() > 0; }, 5000);
    }

private Q_SLOTS:
    void initTestCase()
    {
        const QSize screen = GuiTestApp::screenSize();
        qInfo("screen %dx%d", screen.width(), screen.height());
    }

    void init()
    {
        QSettings().clear(); // every case starts as a first start unless it saves a layout
        QVERIFY(m_f.start(40));
    }

    void cleanup() { m_f.reset(); }

    void firstStartFitsTheScreen()
    {
        QVERIFY(m_f.open(true));
        const QRect avail = available();
        QVERIFY2(avail.contains(m_f.win->frameGeometry()),
                 qPrintable(QStringLiteral("window %1x%2 on a %3x%4 screen")
                                .arg(m_f.win->width())
                                .arg(m_f.win->height())
                                .arg(avail.width())
                                .arg(avail.height())));
        // The status bar (counts, read-only marker, CP) is on screen.
        QStatusBar *sb = m_f.win->statusBar();
        QVERIFY(sb->isVisible());
        QVERIFY(avail.contains(QRect(sb->mapToGlobal(QPoint(0, 0)), sb->size())));
    }

    void restoredGeometryIsClampedToTheScreen()
    {
        // Saved while docked to a big monitor, far to the right.
        QVERIFY(m_f.open(true));
        m_f.win->setGeometry(QRect(1800, 900, 2400, 1300));
        QTRY_COMPARE(m_f.win->width(), 2400); // positive control: the window really was that big
        m_f.close();
        QVERIFY(m_f.open(true));
        QVERIFY2(available().contains(m_f.win->frameGeometry()),
                 qPrintable(QStringLiteral("%1,%2 %3x%4 on %5,%6 %7x%8")
                                .arg(m_f.win->x())
                                .arg(m_f.win->y())
                                .arg(m_f.win->width())
                                .arg(m_f.win->height())
                                .arg(available().x())
                                .arg(available().y())
                                .arg(available().width())
                                .arg(available().height())));
    }

    void openConsoleGetsMostOfTheHeight()
    {
        QVERIFY(m_f.open(true));
        QVERIFY(openConsoleOfRunningRow());
        QTRY_VERIFY(layout()->visibleConsoleLines() >= WindowLayout::kMinConsoleLines);
        QVERIFY2(dock()->height() > m_f.win->centralWidget()->height(),
                 qPrintable(QStringLiteral("console %1 px, list and details %2 px")
                                .arg(dock()->height())
                                .arg(m_f.win->centralWidget()->height())));
        QVERIFY(layout()->visibleListRows() >= WindowLayout::kMinListRows);
        qInfo("console lines %d, list rows %d", layout()->visibleConsoleLines(),
              layout()->visibleListRows());
        // The engineer came to read: the keys are in the console's text.
        ConsoleTab *tab = win::consoles(*m_f.win)->currentTab();
        QTRY_VERIFY(tab->viewer()->view()->hasFocus());
    }

    void aBandAboveTheListDoesNotCrushIt()
    {
        QVERIFY(m_f.open(true));
        QVERIFY(openConsoleOfRunningRow());
        QTRY_VERIFY(layout()->visibleListRows() >= WindowLayout::kMinListRows);
        // The CP goes away: its banner takes a band of the window's centre.
        m_f.env->sim->close();
        QTRY_VERIFY_WITH_TIMEOUT(win::cpBanner(*m_f.win)->isVisible(), 15'000);
        QTRY_VERIFY2(layout()->visibleListRows() >= WindowLayout::kMinListRows,
                     qPrintable(QString::number(layout()->visibleListRows())));
        QVERIFY(layout()->visibleConsoleLines() >= WindowLayout::kMinConsoleLines);
    }

    void maximiseToggleGivesTheConsoleTheWholeWindow()
    {
        QVERIFY(m_f.open(true));
        QVERIFY(openConsoleOfRunningRow());
        QTRY_VERIFY(layout()->visibleConsoleLines() >= WindowLayout::kMinConsoleLines);
        const int before = layout()->visibleConsoleLines();
        QAction *maximise = win::action(*m_f.win, QStringLiteral("maximiseConsole"));
        QVERIFY(!maximise->shortcut().isEmpty());
        maximise->trigger();
        QTRY_VERIFY(!win::table(*m_f.win)->isVisible());
        QTRY_VERIFY(layout()->visibleConsoleLines() >= before + 8);
        qInfo("console lines %d → %d maximised", before, layout()->visibleConsoleLines());

        // Double-click on the tab gives the list back.
        QTabBar *tabs = win::consoles(*m_f.win)->tabWidget()->tabBar();
        QTest::mouseDClick(tabs, Qt::LeftButton, {}, tabs->tabRect(0).center());
        QTRY_VERIFY(win::table(*m_f.win)->isVisible());
        QVERIFY(!maximise->isChecked());
        QTRY_VERIFY(layout()->visibleListRows() >= WindowLayout::kMinListRows);
        QTRY_VERIFY(layout()->visibleConsoleLines() >= WindowLayout::kMinConsoleLines);

        // And back again by double-click.
        QTest::mouseDClick(tabs, Qt::LeftButton, {}, tabs->tabRect(0).center());
        QTRY_VERIFY(!win::table(*m_f.win)->isVisible());
        QVERIFY(maximise->isChecked());
    }

    void crushedLayoutComesBackUsable()
    {
        QVERIFY(m_f.open(true));
        QVERIFY(openConsoleOfRunningRow());
        // The engineer drags the console over almost all of the list, and quits.
        m_f.win->resizeDocks({ dock() }, { m_f.win->height() }, Qt::Vertical);
        QTRY_VERIFY(layout()->visibleListRows() < 3); // positive control: it was crushed
        m_f.close();

        QVERIFY(m_f.open(true));
        QTRY_VERIFY2(layout()->visibleListRows() >= WindowLayout::kMinListRows,
                     qPrintable(QString::number(layout()->visibleListRows())));
        QVERIFY(openConsoleOfRunningRow());
        QTRY_VERIFY(layout()->visibleConsoleLines() >= WindowLayout::kMinConsoleLines);
        QVERIFY(layout()->visibleListRows() >= WindowLayout::kMinListRows);
    }

    void resetLayoutGoesBackToTheDefaults()
    {
        QVERIFY(m_f.open(true));
        QHeaderView *header = win::table(*m_f.win)->horizontalHeader();
        const int liveWidth = header->sectionSize(WorkspaceModel::LiveColumn);
        auto *splitter = m_f.win->findChild<QSplitter *>(QStringLiteral("mainSplitter"));
        header->resizeSection(WorkspaceModel::LiveColumn, 700);
        splitter->setSizes({ 150, 2000 });
        dock()->setFloating(true);
        QTRY_VERIFY(splitter->sizes().value(0) < splitter->width() / 4);

        QAction *reset = win::action(*m_f.win, QStringLiteral("resetLayout"));
        QVERIFY(reset);
        reset->trigger();
        QCOMPARE(header->sectionSize(WorkspaceModel::LiveColumn), liveWidth);
        QVERIFY(!dock()->isFloating());
        QTRY_VERIFY(splitter->sizes().value(0) > splitter->width() / 2);
        QVERIFY(available().contains(m_f.win->frameGeometry()));
        QTRY_VERIFY(layout()->visibleListRows() >= WindowLayout::kMinListRows);
    }

    void nothingClippedInTheDetailsPane()
    {
        QVERIFY(m_f.open(true));
        m_f.win->setGeometry(available()); // as large as the laptop allows
        const QString id = m_f.runningRow();
        QVERIFY(m_f.win->selectWorkspace(id));
        DetailsPane *details = win::details(*m_f.win);
        QTRY_VERIFY(details->findChild<QLabel *>(QStringLiteral("field:Instance ID"))->isVisible());
        QTRY_VERIFY(
            !details->findChild<QLabel *>(QStringLiteral("liveSentence"))->text().isEmpty());
        QCoreApplication::processEvents();
        const auto *viewport = details->findChild<QScrollArea *>()->viewport();
        const int right = viewport->width();
        QStringList clipped;
        for (QWidget *w : details->findChildren<QWidget *>()) {
            if (!w->isVisibleTo(details)
                || !(qobject_cast<QLabel *>(w) || qobject_cast<QAbstractButton *>(w)))
                continue;
            const QRect r(w->mapTo(viewport, QPoint(0, 0)), w->size());
            if (r.right() > right)
                clipped << QStringLiteral("%1 ends at %2 of %3")
                               .arg(w->objectName())
                               .arg(r.right())
                               .arg(right);
            if (auto *b = qobject_cast<QToolButton *>(w); b && b->width() < b->sizeHint().width())
                clipped << QStringLiteral("%1 is %2 px of %3")
                               .arg(b->objectName())
                               .arg(b->width())
                               .arg(b->sizeHint().width());
        }
        QVERIFY2(clipped.isEmpty(), qPrintable(clipped.join(u'\n')));
        // The IDs are whole or elided on one line, never wrapped mid-string.
        auto *instance = details->findChild<QLabel *>(QStringLiteral("field:Instance ID"));
        QVERIFY(!instance->wordWrap());
        QVERIFY2(instance->height() < 2 * instance->fontMetrics().lineSpacing(),
                 qPrintable(QString::number(instance->height())));
    }

    void listColumnsFitTheList()
    {
        QVERIFY(m_f.open(true));
        m_f.win->setGeometry(available());
        QTableView *table = win::table(*m_f.win);
        QTRY_VERIFY(table->viewport()->width() > 0);
        QCoreApplication::processEvents();
        QHeaderView *header = table->horizontalHeader();
        int sum = 0;
        for (int c = 0; c < header->count(); ++c) {
            if (!header->isSectionHidden(c) && header->logicalIndex(header->count() - 1) != c)
                sum += header->sectionSize(c);
        }
        const int updated = header->sectionSize(WorkspaceModel::UpdatedColumn);
        const int updatedText
            = table->fontMetrics().horizontalAdvance(QStringLiteral("2026-11-27 09:12"));
        QVERIFY2(sum + updatedText <= table->viewport()->width(),
                 qPrintable(QStringLiteral("columns %1 px + Updated %2 px in a list of %3 px")
                                .arg(sum)
                                .arg(updatedText)
                                .arg(table->viewport()->width())));
        QVERIFY(updated >= updatedText);
        QCOMPARE(table->horizontalScrollBar()->maximum(), 0);
    }

    void journalNoticeIsOneLineWithNames()
    {
        const WorkspaceRow a = m_f.env->rows.at(0), b = m_f.env->rows.at(1);
        {
            auto state = StateStore::open(m_f.env->statePath());
            QVERIFY(state);
            for (const WorkspaceRow &r : { a, b }) {
                const QJsonObject req { { QStringLiteral("workspace_id"), r.id },
                                        { QStringLiteral("runtime"), QStringLiteral("python") },
                                        { QStringLiteral("tier"), 1 } };
                QVERIFY(state.value()->journalBegin(r.id, QUuid::createUuid().toString(), req));
            }
        }
        QVERIFY(m_f.open(true));
        JournalBanner *banner = win::journalBanner(*m_f.win);
        QTRY_VERIFY(banner->isVisible());
        const QString summary = banner->summary();
        QVERIFY2(summary.contains(a.name) && summary.contains(b.name), qPrintable(summary));
        QVERIFY2(!summary.contains(a.id), qPrintable(summary));
        const int lineHeight = banner->fontMetrics().height();
        QVERIFY2(
            banner->height() <= 3 * lineHeight,
            qPrintable(
                QStringLiteral("%1 px for a line of %2 px").arg(banner->height()).arg(lineHeight)));
        QVERIFY(!banner->list()->isVisible());

        auto *show = banner->findChild<QToolButton *>(QStringLiteral("journalShow"));
        QVERIFY(show);
        show->click();
        QTRY_VERIFY(banner->list()->isVisible());
        QCOMPARE(banner->list()->topLevelItemCount(), 2);
        QCOMPARE(banner->list()->topLevelItem(0)->toolTip(0).size(), a.id.size());
        show->click();
        QTRY_VERIFY(!banner->list()->isVisible());
    }
};

CPC_GUI_TEST_MAIN(tst_IncidentWindow)
#include "tst_incidentwindow.moc"
