#pragma once

#include <QObject>
#include <QRect>

class QDockWidget;
class QMainWindow;
class QSplitter;
class QTableView;

namespace cpc::ui {

class ConsoleArea;

/// Where the window's space goes, for an incident on a laptop screen: the window fits the
/// screen it is on (first start and every restore: laptops dock and undock), an open console
/// gets most of the height and can take the whole window and back, and a restored layout
/// keeps a usable list (6 rows) and console (12 lines). Saved under "mainwindow/" in
/// QSettings; View ▸ Reset layout goes back to the defaults.
class WindowLayout : public QObject
{
    Q_OBJECT
public:
    static constexpr int kMinListRows = 6;
    static constexpr int kMinConsoleLines = 12;

    WindowLayout(QMainWindow *window, QSplitter *listAndDetails, QTableView *table,
                 QDockWidget *consoleDock, ConsoleArea *consoles);

    /// `wanted` moved and shrunk (never grown) to lie inside `available`.
    static QRect fitted(const QRect &wanted, const QRect &available);
    /// 1440x900 where it fits, else the screen's available area less a margin.
    QSize defaultSize() const;

    void restore();
    void save() const;
    /// The default geometry, splitter, columns and console dock.
    void reset();

    /// A console was opened: the dock takes most of the height, the list keeps its rows.
    void giveConsoleTheScreen();
    /// The console takes the whole window (the list and details hide) or gives it back.
    void setConsoleMaximised(bool maximised);
    bool isConsoleMaximised() const { return m_maximised; }

    /// How many whole list rows and console lines the window shows now (tests, the note).
    int visibleListRows() const;
    int visibleConsoleLines() const;

Q_SIGNALS:
    void consoleMaximisedChanged(bool maximised);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    QRect availableScreen() const;
    /// Moves and shrinks the window so that its frame lies on the available screen.
    void fitToScreen();
    int rowHeight() const;
    int consoleLineHeight() const;
    /// The height the central widget needs for kMinListRows rows.
    int listMinimumHeight() const;
    /// The dock height that shows kMinConsoleLines lines.
    int consoleMinimumHeight() const;
    void ensureUsable();
    void applyDefaultGeometry();

    QMainWindow *m_window;
    QSplitter *m_splitter;
    QTableView *m_table;
    QDockWidget *m_dock;
    ConsoleArea *m_consoles;
    QByteArray m_defaultHeader;
    bool m_maximised = false;
    int m_centralHeight = -1; ///< the window's centre at the list's last resize
};

} // namespace cpc::ui
