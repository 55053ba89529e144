#pragma once

// What the GUI suites reach of the main window: its parts by object name, as a user finds
// them on screen, not through accessors the window would keep only for tests.
#include "consolearea.h"
#include "cpbanner.h"
#include "detailspane.h"
#include "journalbanner.h"
#include "mainwindow.h"
#include "modeband.h"
#include "notifier.h"
#include "profiledialog.h"
#include "shortcutsdialog.h"
#include "stopdialog.h"
#include "visiblerowtracker.h"
#include "warningbanner.h"
#include "workspacemodel.h"

#include <QAction>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QProgressDialog>
#include <QTableView>
#include <QTest>

namespace cpc::test::win {

/// The child of `window` called `name` that is still open: a closed dialog (deleted later) is
/// not found, as the user no longer sees it.
template<typename T> T *part(const QObject &window, const QString &name)
{
    const QList<T *> all = window.findChildren<T *>(name);
    for (T *t : all) {
        if constexpr (std::is_base_of_v<QDialog, T>) {
            if (t->isHidden())
                continue;
        }
        return t;
    }
    return nullptr;
}

/// Waits until the window's list has finished loading: the loader reads the database on a
/// thread of its own, so rows arrive after the window shows.
inline bool loaded(const ui::MainWindow &w)
{
    return QTest::qWaitFor([&w] { return !w.isLoading(); }, 20000);
}

inline QTableView *table(const QObject &w)
{
    return part<QTableView>(w, QStringLiteral("workspaceTable"));
}
inline WorkspaceModel *model(const QObject &w)
{
    return qobject_cast<WorkspaceModel *>(table(w)->model());
}
inline QLineEdit *filterEdit(const QObject &w)
{
    return part<QLineEdit>(w, QStringLiteral("filterEdit"));
}
inline ui::DetailsPane *details(const QObject &w)
{
    return part<ui::DetailsPane>(w, QStringLiteral("detailsPane"));
}
inline ui::ConsoleArea *consoles(const QObject &w)
{
    return part<ui::ConsoleArea>(w, QStringLiteral("consoleArea"));
}
inline ui::CpBanner *cpBanner(const QObject &w)
{
    return part<ui::CpBanner>(w, QStringLiteral("cpBanner"));
}
inline ui::ModeBand *modeBand(const QObject &w)
{
    return part<ui::ModeBand>(w, QStringLiteral("modeBand"));
}
inline ui::JournalBanner *journalBanner(const QObject &w)
{
    return part<ui::JournalBanner>(w, QStringLiteral("journalBanner"));
}
inline ui::Notifier *notifier(const QObject &w)
{
    return part<ui::Notifier>(w, QStringLiteral("notifier"));
}
inline QLabel *readOnlyLabel(const QObject &w)
{
    return part<QLabel>(w, QStringLiteral("readOnlyMarker"));
}
inline QLabel *countsLabel(const QObject &w)
{
    return part<QLabel>(w, QStringLiteral("counts"));
}
inline QFrame *setupNotice(const QObject &w)
{
    return part<ui::WarningBanner>(w, QStringLiteral("setupNotice"));
}
inline ui::VisibleRowTracker *rowTracker(const QObject &w)
{
    return part<ui::VisibleRowTracker>(w, QStringLiteral("rowTracker"));
}
inline ui::StopDialog *stopDialog(const QObject &w)
{
    return part<ui::StopDialog>(w, QStringLiteral("stopDialog"));
}
inline QMessageBox *writeConfirmation(const QObject &w)
{
    return part<QMessageBox>(w, QStringLiteral("writeConfirmation"));
}
inline ui::ProfileDialog *profileDialog(const QObject &w)
{
    return part<ui::ProfileDialog>(w, QStringLiteral("profileDialog"));
}
inline ui::ShortcutsDialog *shortcutsDialog(const QObject &w)
{
    return part<ui::ShortcutsDialog>(w, QStringLiteral("shortcutsDialog"));
}
inline QProgressDialog *bundleProgress(const QObject &w)
{
    return part<QProgressDialog>(w, QStringLiteral("bundleProgress"));
}
inline QMessageBox *bundleReport(const QObject &w)
{
    return part<QMessageBox>(w, QStringLiteral("bundleReport"));
}
inline QAction *action(const QObject &w, const QString &objectName)
{
    return w.findChild<QAction *>(objectName);
}
/// Every action that changes something outside the window (marked so for read-only mode).
inline QList<QAction *> mutatingActions(const QObject &w)
{
    QList<QAction *> out;
    for (QAction *a : w.findChildren<QAction *>()) {
        if (a->property("cpcMutating").toBool())
            out << a;
    }
    return out;
}
/// The window-wide keys: the actions the window itself holds.
inline QList<QAction *> keyboardActions(const QWidget &w)
{
    return w.actions();
}

} // namespace cpc::test::win
