#pragma once

// One main window over a simulator and a generated database, for the GUI suites about the
// window itself (layout, keyboard): open it as a start would (optionally restoring the saved
// layout), close it as the engineer would (which saves the layout), open it again.
#include "guitestsupport.h"
#include "mainwindow.h"
#include "windowparts.h"
#include "workspacemodel.h"

#include <QTest>

#include <memory>

namespace cpc::test {

class WindowFixture
{
public:
    std::unique_ptr<SimEnvironment> env;
    std::unique_ptr<ui::MainWindow> win;

    bool start(int rows)
    {
        env = std::make_unique<SimEnvironment>();
        return env->start(rows);
    }

    /// A new window on the environment's session; `restore` reads the saved layout first, as
    /// cpconsole does on every start.
    bool open(bool restore = false, bool readOnly = false)
    {
        ui::SessionOptions o = env->options();
        o.readOnly = readOnly;
        win = std::make_unique<ui::MainWindow>(nullptr, o, ui::MainWindow::NotifyMode::InWindow);
        win->setSession(ui::Session::create(o, nullptr));
        if (restore)
            win->restoreLayout();
        win->show();
        win->activateWindow();
        return QTest::qWaitForWindowExposed(win.get()) && win::loaded(*win);
    }

    /// Closes the window as the engineer does (the layout is saved) and drops it.
    void close()
    {
        win->close();
        win.reset();
    }

    void reset()
    {
        win.reset();
        env.reset();
    }

    /// The first listed workspace that has an instance and is online (it has a console).
    QString runningRow() const
    {
        const WorkspaceModel *m = win::model(*win);
        for (int r = 0; r < m->rowCount(); ++r) {
            const std::optional<WorkspaceRow> row = m->rowAt(r);
            if (row && !row->instanceId.isEmpty() && row->status == QLatin1String("online"))
                return row->id;
        }
        return {};
    }
};

} // namespace cpc::test
