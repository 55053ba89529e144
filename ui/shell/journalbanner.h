#pragma once

#include "statestore.h"

#include "warningbanner.h"

#include <functional>

class QAction;
class QLabel;
class QToolButton;
class QTreeWidget;

namespace cpc::ui {

/// The notice shown when earlier provisions have an unknown outcome (the console stopped, or
/// the answer was lost, between the request and the record). Folded, it is one line: how many,
/// which workspaces by name, Show, and Reconcile / Clear bound to the main window's actions (so
/// read-only mode disables Reconcile in one place). Shown, it explains and lists each entry
/// with its idempotency key, start time and what is known.
class JournalBanner : public WarningBanner
{
    Q_OBJECT
public:
    explicit JournalBanner(QWidget *parent = nullptr);

    void setActions(QAction *reconcile, QAction *clear);
    /// How a workspace ID is named (the list's name); the ID itself without one.
    void setNameResolver(std::function<QString(const QString &)> nameOf);
    void setExpanded(bool expanded);
    bool isExpanded() const;
    /// The one-line summary (rich text).
    QString summary() const;
    void setEntries(const QList<JournalEntry> &entries);
    QList<JournalEntry> entries() const { return m_entries; }
    /// The selected entries, or all of them when none is selected.
    QList<JournalEntry> selectedEntries() const;
    void markResult(qint64 entryId, const QString &message);
    void removeEntry(qint64 entryId);
    QTreeWidget *list() const { return m_list; }

Q_SIGNALS:
    void selectionChanged();

private:
    QString nameOf(const QString &workspaceId) const;

    QLabel *m_title;
    QLabel *m_explanation;
    QToolButton *m_show;
    QWidget *m_details;
    std::function<QString(const QString &)> m_nameOf;
    QTreeWidget *m_list;
    QWidget *m_buttons;
    QList<JournalEntry> m_entries;
};

} // namespace cpc::ui
