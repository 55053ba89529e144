#pragma once

#include "statestore.h"

#include "warningbanner.h"

class QAction;
class QLabel;
class QTreeWidget;

namespace cpc::ui {

/// The notice shown when earlier provisions have an unknown outcome (the console stopped, or
/// the answer was lost, between the request and the record): one line per journal entry with
/// workspace, idempotency key, start time and what is known, and Reconcile / Clear buttons
/// bound to the main window's actions (so read-only mode disables Reconcile in one place).
class JournalBanner : public WarningBanner
{
    Q_OBJECT
public:
    explicit JournalBanner(QWidget *parent = nullptr);

    void setActions(QAction *reconcile, QAction *clear);
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
    QLabel *m_title;
    QTreeWidget *m_list;
    QWidget *m_buttons;
    QList<JournalEntry> m_entries;
};

} // namespace cpc::ui
