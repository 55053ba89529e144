#include "visiblerowtracker.h"

#include "workspacemodel.h"

#include <QEvent>
#include <QHeaderView>
#include <QPointer>
#include <QScrollBar>
#include <QTableView>

namespace cpc::ui {

VisibleRowTracker::VisibleRowTracker(QTableView *view, WorkspaceModel *model, QObject *parent)
    : QObject(parent)
    , m_view(view)
    , m_model(model)
{
    // Scrolling with a held key moves many rows a second; poll where the view settles.
    m_debounce.setSingleShot(true);
    m_debounce.setInterval(150);
    connect(&m_debounce, &QTimer::timeout, this, &VisibleRowTracker::updateNow);
    view->viewport()->installEventFilter(this);
    connect(view->verticalScrollBar(), &QScrollBar::valueChanged, this,
            &VisibleRowTracker::schedule);
    connect(view->verticalScrollBar(), &QScrollBar::rangeChanged, this,
            &VisibleRowTracker::schedule);
    // A reset or an insert changes the rows loaded; filtering and sorting (layoutChanged) only
    // which are shown.
    const auto listChanged = [this] {
        m_listDirty = true;
        schedule();
    };
    connect(model, &QAbstractItemModel::modelReset, this, listChanged);
    connect(model, &QAbstractItemModel::layoutChanged, this, &VisibleRowTracker::schedule);
    connect(model, &QAbstractItemModel::rowsInserted, this, listChanged);
    connect(model, &QAbstractItemModel::rowsRemoved, this, listChanged);
    connect(model, &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex &tl, const QModelIndex &br) {
                // An instance ID changed (provision, stop, sync) on a row that is polled.
                if (tl.column() <= WorkspaceModel::InstanceColumn
                    && br.column() >= WorkspaceModel::InstanceColumn)
                    schedule();
            });
}

bool VisibleRowTracker::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() == QEvent::Resize || event->type() == QEvent::Show
        || event->type() == QEvent::Hide)
        schedule();
    return QObject::eventFilter(watched, event);
}

void VisibleRowTracker::setPoller(StatusPoller *poller)
{
    m_poller = poller;
    m_targets.clear();
    m_listDirty = true;
    schedule();
}

void VisibleRowTracker::schedule()
{
    if (!m_debounce.isActive())
        m_debounce.start();
}

void VisibleRowTracker::updateNow()
{
    m_debounce.stop();
    if (!m_view)
        return;
    if (m_listDirty && m_poller) {
        m_listDirty = false;
        // The sweep reads the model's rows as it comes to them: a million rows are not copied.
        const QPointer<WorkspaceModel> model(m_model);
        m_poller->setListedRows({ [model] { return model ? model->totalCount() : 0; },
                                  [model](int i) {
                                      if (!model || i >= model->totalCount())
                                          return StatusPoller::Target {};
                                      return StatusPoller::Target { model->table().id(i),
                                                                    model->table().instanceId(i) };
                                  } });
    }
    QList<StatusPoller::Target> targets;
    const int rows = m_model->rowCount();
    if (rows > 0 && m_view->isVisible()) {
        int first = m_view->rowAt(0);
        int last = m_view->rowAt(m_view->viewport()->height() - 1);
        if (first < 0)
            first = 0;
        if (last < 0)
            last = rows - 1; // the rows end above the bottom of the viewport
        // One row of margin each side, so a row half in view is fresh when scrolled to.
        first = std::max(0, first - 1);
        last = std::min(rows - 1, last + 1);
        targets.reserve(last - first + 1);
        for (int r = first; r <= last; ++r) {
            if (const std::optional<WorkspaceRow> row = m_model->rowAt(r))
                targets.append({ row->id, row->instanceId });
        }
    }
    bool same = targets.size() == m_targets.size();
    for (int i = 0; same && i < targets.size(); ++i)
        same = targets[i].workspaceId == m_targets[i].workspaceId
            && targets[i].instanceId == m_targets[i].instanceId;
    if (same)
        return;
    m_targets = targets;
    if (m_poller)
        m_poller->setVisible(m_targets);
    Q_EMIT targetsChanged(int(m_targets.size()));
}

} // namespace cpc::ui
