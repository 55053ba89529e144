#include "consolekeys.h"

#include <QCoreApplication>
#include <QKeyEvent>

namespace cpc::ui {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("cpc::ui::ConsoleKeys", text);
}
} // namespace

const QList<ConsoleKey> &consoleKeys()
{
    static const QList<ConsoleKey> keys = [] {
        const QString console = tr("In a console");
        const QString text = tr("In the console text");
        using K = QKeySequence;
        return QList<ConsoleKey> {
            { ConsoleCommand::Find,
              { console,
                tr("Find in the console"),
                { K(Qt::CTRL | Qt::Key_F), K(Qt::Key_Slash) },
                tr("Open the find bar (Enter / Shift+Enter: next / previous match)") } },
            { ConsoleCommand::FindNext,
              { console, tr("Next match"), { K(Qt::Key_F3) }, tr("Go to the next match") } },
            { ConsoleCommand::FindPrevious,
              { console,
                tr("Previous match"),
                { K(Qt::SHIFT | Qt::Key_F3) },
                tr("Go to the previous match") } },
            { ConsoleCommand::CloseFind,
              { console,
                tr("Close the find bar"),
                { K(Qt::Key_Escape) },
                tr("Hide the find bar and its highlights") } },
            { ConsoleCommand::Refresh,
              { console,
                tr("Fetch the console again"),
                { K(Qt::Key_F5) },
                tr("Ask the CP for the console now") } },
            { ConsoleCommand::Save,
              { console,
                tr("Save the console"),
                { K(Qt::CTRL | Qt::Key_S) },
                tr("Save the text as shown to a file") } },
            { ConsoleCommand::JumpList,
              { console,
                tr("Notable lines"),
                { K(Qt::CTRL | Qt::Key_J) },
                tr("Show the jump list (panics, call traces, failed units) and go to it") } },
            { ConsoleCommand::Wrap,
              { console,
                tr("Wrap lines"),
                { K(Qt::ALT | Qt::Key_Z) },
                tr("Wrap long lines at the window's edge, or scroll sideways") } },
            { ConsoleCommand::Colors,
              { console,
                tr("Colours"),
                { K(Qt::ALT | Qt::Key_C) },
                tr("Show the console's ANSI colours, or plain text") } },
            { ConsoleCommand::None,
              { text, tr("Copy"), { K(QKeySequence::Copy) }, tr("Copy the selected text") } },
            { ConsoleCommand::None,
              { text,
                tr("Select all"),
                { K(QKeySequence::SelectAll) },
                tr("Select the whole console") } },
            { ConsoleCommand::None,
              { text,
                tr("Scroll"),
                { K(Qt::Key_Up), K(Qt::Key_Down), K(Qt::Key_PageUp), K(Qt::Key_PageDown) },
                tr("Scroll by a line or a page") } },
            { ConsoleCommand::None,
              { text, tr("Top"), { K(Qt::Key_Home) }, tr("Go to the first line") } },
            { ConsoleCommand::None,
              { text,
                tr("Bottom and follow"),
                { K(Qt::Key_End) },
                tr("Go to the last line and follow new output") } },
        };
    }();
    return keys;
}

ConsoleCommand consoleCommandFor(const QKeyEvent *event)
{
    const QKeySequence pressed(event->keyCombination().toCombined() & ~Qt::KeypadModifier);
    for (const ConsoleKey &k : consoleKeys()) {
        if (k.command == ConsoleCommand::None)
            continue;
        for (const QKeySequence &s : k.binding.keys) {
            if (s == pressed)
                return k.command;
        }
    }
    return ConsoleCommand::None;
}

} // namespace cpc::ui
