#pragma once

#include <QCoreApplication>

class QComboBox;

namespace cpc {
class WorkspaceModel;
}

namespace cpc::ui {

/// The list's status filter: the database statuses and, after a separator, the live states
/// from the poller's current answers (running, not running, unknown, not checked). One choice
/// at a time: a database status or a live state, never both.
class StatusFilterChoices
{
    Q_DECLARE_TR_FUNCTIONS(StatusFilterChoices)
public:
    /// Adds the live states after the database statuses already in `box`.
    static void addLiveChoices(QComboBox *box);
    /// Applies the choice at `index` to the model.
    static void apply(const QComboBox *box, int index, WorkspaceModel *model);
    /// Each choice with its count: database statuses and live states over every row.
    static void showCounts(QComboBox *box, const WorkspaceModel &model);
};

} // namespace cpc::ui
