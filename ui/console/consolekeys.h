#pragma once

#include <QKeySequence>
#include <QList>
#include <QString>

class QKeyEvent;

namespace cpc::ui {

/// A key that works in a place narrower than the window, for the keyboard help.
struct KeyBinding
{
    QString place; ///< where it works: "In a console", "In the console text", …
    QString text; ///< what it is called
    QList<QKeySequence> keys;
    QString what; ///< what it does
};

/// The console viewer's own keys: one table that ConsoleViewer dispatches from and the
/// keyboard help lists, so the two cannot drift.
enum class ConsoleCommand {
    Find,
    FindNext,
    FindPrevious,
    CloseFind,
    Refresh,
    Save,
    JumpList,
    Wrap,
    Colors,
    None,
};

struct ConsoleKey
{
    ConsoleCommand command;
    KeyBinding binding;
};

/// Every key of the viewer (and of its text: copy, select all, scrolling), in help order.
const QList<ConsoleKey> &consoleKeys();
/// The viewer command a key press means (None for keys the viewer leaves to others).
ConsoleCommand consoleCommandFor(const QKeyEvent *event);

} // namespace cpc::ui
