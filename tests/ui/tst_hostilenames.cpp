// The GUI shows a workspace name that carries a bidirectional override or an escape sequence
// with the control visible (`\u202e`, `\e`) instead of letting it reorder the text: in the
// table, in the details pane, in the stop confirmation (which accepts the name as shown), in
// the window's messages, in a console tab's title and in the provision dialog's heading.
#include "consolearea.h"
#include "consoletab.h"
#include "detailspane.h"
#include "guitestsupport.h"
#include "mainwindow.h"
#include "namedelegate.h"
#include "provisiondialog.h"
#include "stopdialog.h"
#include "windowparts.h"

#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QStandardItemModel>
#include <QStatusBar>
#include <QTabWidget>
#include <QtTest>

using namespace cpc;
using namespace cpc::ui;

namespace {

const QString kName = QStringLiteral("invoice") + QChar(0x202e) + QStringLiteral("fdp.exe");
const QString kShown = QStringLiteral("invoice\\u202efdp.exe");
const QString kStatus
    = QStringLiteral("online") + QChar(0x1b) + QStringLiteral("[2K") + QChar(0x2066);

bool hasControl(const QString &s)
{
    for (const QChar c : s) {
        const char16_t u = c.unicode();
        if ((u < 0x20 && u != u'\n') || (u >= 0x7f && u <= 0x9f) || (u >= 0x202a && u <= 0x202e)
            || (u >= 0x2066 && u <= 0x2069))
            return true;
    }
    return false;
}

/// The text the Name column paints.
class NameProbe : public NameDelegate
{
public:
    using NameDelegate::NameDelegate;
    QString shown(const QModelIndex &index) const
    {
        QStyleOptionViewItem option;
        initStyleOption(&option, index);
        return option.text;
    }
};

} // namespace

class tst_HostileNames : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void tableNameColumn()
    {
        QStandardItemModel model;
        model.appendRow(new QStandardItem(kName));
        model.appendRow(new QStandardItem(QStringLiteral("Рабочее место 工作区 🚀")));
        NameProbe delegate;
        const QString hostile = delegate.shown(model.index(0, 0));
        QVERIFY2(!hasControl(hostile), qPrintable(hostile));
        QCOMPARE(hostile, kShown);
        // Printable text in any script is left alone.
        QCOMPARE(delegate.shown(model.index(1, 0)), QStringLiteral("Рабочее место 工作区 🚀"));
    }

    void detailsPane()
    {
        WorkspaceRow row;
        row.id = QStringLiteral("ws-hostile");
        row.name = kName;
        row.status = kStatus;
        row.runtime = QStringLiteral("py") + QChar(0x202e) + QStringLiteral("thon");
        row.lastSampleError
            = QStringLiteral("line one ") + QChar(0x202e) + QStringLiteral("x\nline two");
        DetailsPane pane;
        pane.resize(500, 700);
        pane.show();
        pane.showWorkspace(row, {}, false);
        QStringList texts;
        bool titleShown = false;
        for (const QLabel *l : pane.findChildren<QLabel *>()) {
            QVERIFY2(!hasControl(l->text()), qPrintable(l->objectName() + u' ' + l->text()));
            titleShown = titleShown || l->text() == kShown;
        }
        QVERIFY(titleShown);
        QCOMPARE(pane.fieldText(QStringLiteral("Status (database)")),
                 QStringLiteral("online\\e[2K\\u2066"));
        QCOMPARE(pane.fieldText(QStringLiteral("Runtime")), QStringLiteral("py\\u202ethon"));
        // A multi-line error keeps its lines; the override in it is shown, not obeyed.
        QCOMPARE(pane.fieldText(QStringLiteral("Last sample error")),
                 QStringLiteral("line one \\u202ex\nline two"));
    }

    void stopDialogNamesTheWorkspaceAsShown()
    {
        StopDialog dialog(QStringLiteral("ws-hostile"), kName, QStringLiteral("i-0abc"), false, {});
        QVERIFY(!hasControl(dialog.windowTitle()));
        for (const QLabel *l : dialog.findChildren<QLabel *>())
            QVERIFY2(!hasControl(l->text()), qPrintable(l->text()));
        QVERIFY(dialog.message().contains(kShown));
        auto *confirm = dialog.findChild<QLineEdit *>(QStringLiteral("confirmName"));
        auto *stop = dialog.findChild<QPushButton *>(QStringLiteral("stopButton"));
        QVERIFY(confirm && stop);
        QVERIFY(!hasControl(confirm->placeholderText()));
        confirm->setText(QStringLiteral("invoice"));
        QVERIFY(!stop->isEnabled());
        // What the engineer sees is what they type.
        confirm->setText(kShown);
        QVERIFY(stop->isEnabled());
    }

    void mainWindowMessagesAndConsoleTab()
    {
        test::SimEnvironment env;
        QVERIFY(env.start(5));
        test::isolateSettings(env.dir.path());
        WorkspaceRow hostile = env.runningRow();
        hostile.id = QStringLiteral("ws-hostile");
        hostile.name = kName;
        QVERIFY(WorkspaceSource::open(env.dbUrl()).value()->upsertRows({ hostile }));
        MainWindow win(nullptr, env.options(), MainWindow::NotifyMode::InWindow);
        win.setSession(ui::Session::create(env.options(), nullptr));
        win.show();
        QVERIFY(QTest::qWaitForWindowExposed(&win));
        QVERIFY(cpc::test::win::loaded(win));
        QTRY_VERIFY(win.selectWorkspace(hostile.id));

        win.togglePinned(); // "Pinned <name>: …" in the status bar
        const QString message = win.statusBar()->currentMessage();
        QVERIFY2(message.contains(kShown) && !hasControl(message), qPrintable(message));

        win.openConsole();
        QTabWidget *tabs = cpc::test::win::consoles(win)->tabWidget();
        QCOMPARE(tabs->count(), 1);
        QVERIFY2(tabs->tabText(0).contains(kShown) && !hasControl(tabs->tabText(0)),
                 qPrintable(tabs->tabText(0)));
    }

    void provisionDialogHeading()
    {
        ProvisionDialog dialog(nullptr);
        dialog.setWorkspace(QStringLiteral("ws-hostile"), kName);
        QVERIFY(!hasControl(dialog.windowTitle()));
        bool named = false;
        for (const QLabel *l : dialog.findChildren<QLabel *>()) {
            QVERIFY2(!hasControl(l->text()), qPrintable(l->objectName() + u' ' + l->text()));
            named = named || l->text().contains(kShown);
        }
        QVERIFY(named);
    }

    void consoleTabWhoeverOpensIt()
    {
        // The tab escapes what it is given: a caller that forgets cannot put an override in
        // the tab, its tooltip or what a screen reader says.
        ConsoleArea area;
        area.resize(600, 400);
        area.show();
        const QString hostileId = QStringLiteral("ws-") + QChar(0x202e) + QStringLiteral("evil");
        area.open(QStringLiteral("ws-hostile"), kName);
        area.open(hostileId, {});
        QTabWidget *tabs = area.tabWidget();
        QCOMPARE(tabs->count(), 2);
        QCOMPARE(tabs->tabText(0), kShown);
        QCOMPARE(tabs->tabText(1), QStringLiteral("ws-\\u202eevil"));
        for (int i = 0; i < tabs->count(); ++i) {
            QVERIFY2(!hasControl(tabs->tabText(i)), qPrintable(tabs->tabText(i)));
            QVERIFY2(!hasControl(tabs->tabToolTip(i)), qPrintable(tabs->tabToolTip(i)));
            for (const QWidget *w : tabs->widget(i)->findChildren<QWidget *>())
                QVERIFY2(!hasControl(w->accessibleName()), qPrintable(w->accessibleName()));
        }
    }
};

QTEST_MAIN(tst_HostileNames)
#include "tst_hostilenames.moc"
