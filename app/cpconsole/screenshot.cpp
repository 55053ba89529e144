#include "screenshot.h"

#include "consolearea.h"
#include "consoletab.h"
#include "mainwindow.h"
#include "profiledialog.h"
#include "provisiondialog.h"
#include "quickopen.h"
#include "shortcutsdialog.h"
#include "statuspoller.h"
#include "stopdialog.h"
#include "workspacemodel.h"

#include <array>
#include <functional>
#include <unistd.h>

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QFile>
#include <QLineEdit>
#include <QPixmap>
#include <QPointer>
#include <QScreen>
#include <QTableView>
#include <QTableWidget>
#include <QTimer>

#include <cstdio>

namespace cpc::ui {

namespace {

void save(QWidget *w, const QString &file)
{
    const QPixmap pm = w->grab();
    if (pm.isNull() || !pm.save(file, "PNG")) {
        std::fprintf(stderr, "cpconsole: could not write the screenshot %s\n", qPrintable(file));
        QCoreApplication::exit(1);
        return;
    }
    std::fprintf(stdout, "cpconsole: screenshot written to %s (%dx%d)\n", qPrintable(file),
                 pm.width(), pm.height());
    std::fflush(stdout);
}

/// A row worth showing: running (has an instance), a few rows down so the list shows context.
QString showcaseRow(MainWindow *w)
{
    const auto *table = w->findChild<QTableView *>(QStringLiteral("workspaceTable"));
    const auto *m = qobject_cast<const WorkspaceModel *>(table->model());
    for (int r = 2; r < m->rowCount(); ++r) {
        const std::optional<WorkspaceRow> row = m->rowAt(r);
        if (row && !row->instanceId.isEmpty() && row->status == QLatin1String("online"))
            return row->id;
    }
    return m->rowCount() > 0 ? m->rowAt(0)->id : QString();
}

void grabDialog(MainWindow *w, const ScreenshotOptions &o)
{
    QWidget *dlg = nullptr;
    if (o.dialog == QLatin1String("provision")) {
        ProvisionDialog *p = w->openProvisionDialog();
        if (p) {
            // A realistic, valid request: what an engineer would have typed.
            p->setPlatformUrl(QStringLiteral("https://platform.example.com"));
            p->setEnvironment(
                { { QStringLiteral("LOG_LEVEL"), QStringLiteral("debug") },
                  { QStringLiteral("OPENAI_API_KEY"), QStringLiteral("sk-demo-not-a-real-key") } });
            if (auto *it = p->findChild<QLineEdit *>(QStringLiteral("instanceType")))
                it->setText(QStringLiteral("t3.large"));
        }
        dlg = p;
    } else if (o.dialog == QLatin1String("stop")) {
        StopDialog *s = w->requestStop();
        dlg = s;
        if (s)
            s->confirmField()->setText(
                s->expected().left(std::max<qsizetype>(1, s->expected().size() - 3)));
    } else if (o.dialog == QLatin1String("profiles")) {
        dlg = w->showProfiles();
    } else if (o.dialog == QLatin1String("help")) {
        dlg = w->showShortcuts();
    } else if (o.dialog == QLatin1String("quickopen")) {
        QuickOpen *q = w->showQuickOpen();
        q->edit()->setText(QStringLiteral("pay"));
        dlg = q;
    }
    if (!dlg) {
        std::fprintf(stderr, "cpconsole: cannot open the '%s' dialog for a screenshot\n",
                     qPrintable(o.dialog));
        QCoreApplication::exit(1);
        return;
    }
    QPointer<QWidget> guard(dlg);
    QTimer::singleShot(400, qApp, [guard, o] {
        if (guard)
            save(guard, o.file);
        if (o.quitAfterMs <= 0)
            QCoreApplication::quit();
    });
}

/// When this process started, from /proc/self/stat (ms since the epoch; now when unknown).
qint64 processStartMs()
{
    QFile stat(QStringLiteral("/proc/self/stat"));
    QFile uptime(QStringLiteral("/proc/uptime"));
    if (!stat.open(QIODevice::ReadOnly) || !uptime.open(QIODevice::ReadOnly))
        return QDateTime::currentMSecsSinceEpoch();
    const QByteArray line = stat.readAll();
    // Field 22 (starttime, in clock ticks since boot) counts from after the command's ')'.
    const QList<QByteArray> fields = line.mid(line.lastIndexOf(')') + 2).split(' ');
    const double startSecs = fields.value(19).toDouble() / double(sysconf(_SC_CLK_TCK));
    const double upSecs = uptime.readAll().split(' ').value(0).toDouble();
    return QDateTime::currentMSecsSinceEpoch() - qint64((upSecs - startSecs) * 1000.0);
}

/// Runs `f` once the list has finished loading (or failed to), on a later event-loop turn.
void whenLoaded(MainWindow *window, const std::function<void()> &f)
{
    if (!window->isLoading()) {
        QTimer::singleShot(0, window, f);
        return;
    }
    auto connections = std::make_shared<std::array<QMetaObject::Connection, 2>>();
    const auto once = [connections, window, f] {
        for (const QMetaObject::Connection &c : *connections)
            QObject::disconnect(c);
        QTimer::singleShot(0, window, f);
    };
    (*connections)[0] = QObject::connect(window, &MainWindow::rowsLoaded, window, once);
    (*connections)[1] = QObject::connect(window, &MainWindow::loadFailed, window, once);
}

} // namespace

void scheduleScreenshot(MainWindow *window, const ScreenshotOptions &options)
{
    QPointer<MainWindow> w(window);
    // The whole screen, as a laptop user maximises it (the docs' screen is 1366x768).
    if (const QScreen *screen = window->screen())
        window->setGeometry(screen->availableGeometry());
    // After the list has loaded (scripts and the docs want the whole list, not its first
    // batch) and the event loop has run once with the window shown.
    whenLoaded(window, [w, options] {
        if (!w)
            return;
        const QString id = showcaseRow(w);
        if (!id.isEmpty()) {
            w->selectWorkspace(id);
            if (options.dialog.isEmpty())
                w->openConsole();
        }
        w->findChild<QTableView *>(QStringLiteral("workspaceTable"))->setFocus();
        auto done = std::make_shared<bool>(false);
        const auto shoot = [w, options, done] {
            if (*done || !w)
                return;
            *done = true;
            if (options.dialog.isEmpty()) {
                save(w, options.file);
                if (options.quitAfterMs <= 0)
                    QCoreApplication::quit();
            } else {
                grabDialog(w, options);
            }
        };
        if (w->session() && w->session()->poller()) {
            QObject::connect(w->session()->poller(), &StatusPoller::sweepCompleted, w, [shoot] {
                QTimer::singleShot(700, qApp, shoot); // let the console answer too
            });
        }
        QTimer::singleShot(options.settleMs, w, shoot);
    });
    if (options.quitAfterMs > 0)
        scheduleQuit(options.quitAfterMs);
}

void quitWhenLoaded(MainWindow *window)
{
    QObject::connect(window, &MainWindow::loadFailed, window, [](const QString &message) {
        std::fprintf(stderr, "cpconsole: the list did not load: %s\n", qPrintable(message));
        QCoreApplication::exit(1);
    });
    whenLoaded(window, [window] {
        auto *table = window->findChild<QTableView *>(QStringLiteral("workspaceTable"));
        table->viewport()->repaint(); // the rows in view, painted now
        const qint64 ms = QDateTime::currentMSecsSinceEpoch() - processStartMs();
        std::fprintf(stderr, "cpconsole: %d workspaces loaded and painted in %lld ms\n",
                     table->model()->rowCount(), static_cast<long long>(ms));
        QCoreApplication::quit();
    });
}

void scheduleQuit(int ms)
{
    QTimer::singleShot(ms, qApp, &QCoreApplication::quit);
}

} // namespace cpc::ui
