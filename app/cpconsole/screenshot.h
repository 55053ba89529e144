#pragma once

#include <QString>

namespace cpc::ui {

class MainWindow;

struct ScreenshotOptions
{
    QString file; ///< PNG to write
    /// What to grab: "" (the main window), "provision", "stop", "profiles", "help".
    QString dialog;
    int quitAfterMs = 0; ///< 0: quit right after the grab
    int settleMs = 2500; ///< at most this long for the first status sweep and console fetch
};

/// For scripted screenshots (and packaging smoke tests): once the window has painted, selects
/// a workspace, opens its console, waits for the first status answers (or settleMs), grabs the
/// window or the named dialog into a PNG and quits the application. Writes an error to stderr
/// and exits with 1 when the file cannot be written.
void scheduleScreenshot(MainWindow *window, const ScreenshotOptions &options);

/// --quit-after without --screenshot: quit after `ms` milliseconds.
void scheduleQuit(int ms);

/// Once the list has loaded: paints the list, prints "cpconsole: N workspaces loaded and
/// painted in X ms" (from the process start) on stderr and quits; exit 1 when the load failed.
void quitWhenLoaded(MainWindow *window);

} // namespace cpc::ui
