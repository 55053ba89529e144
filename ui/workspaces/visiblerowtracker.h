#pragma once

#include "statuspoller.h"

#include <QObject>
#include <QPointer>
#include <QTimer>

class QTableView;

namespace cpc {
class WorkspaceModel;
}

namespace cpc::ui {

/// Tells the status poller which rows are on screen: the rows inside the table's viewport,
/// recomputed (debounced) when the view scrolls or resizes or the model's rows change. Those,
/// plus the pinned ones, are polled on their interval; every row of the model (filtered out
/// or not) is handed over as the list the poller's background sweep goes through at its low
/// rate.
class VisibleRowTracker : public QObject
{
    Q_OBJECT
public:
    VisibleRowTracker(QTableView *view, WorkspaceModel *model, QObject *parent = nullptr);

    void setPoller(StatusPoller *poller);
    /// The targets last sent (for tests and the status bar).
    const QList<StatusPoller::Target> &targets() const { return m_targets; }
    /// Recompute now instead of after the debounce.
    void updateNow();
    void schedule();

Q_SIGNALS:
    void targetsChanged(int count);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    QPointer<QTableView> m_view;
    WorkspaceModel *m_model;
    QPointer<StatusPoller> m_poller;
    QTimer m_debounce;
    QList<StatusPoller::Target> m_targets;
    bool m_listDirty = true; ///< the model's rows changed: hand the whole list over again
};

} // namespace cpc::ui
