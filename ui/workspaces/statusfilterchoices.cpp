#include "statusfilterchoices.h"

#include "workspacemodel.h"

#include <QComboBox>

namespace cpc::ui {

namespace {

/// The live state a choice stands for (WorkspaceModel::LiveFilter), beside the database status
/// the other choices keep in Qt::UserRole.
constexpr int kLiveRole = Qt::UserRole + 1;

using LiveFilter = WorkspaceModel::LiveFilter;

QString liveWords(LiveFilter f)
{
    // Shape and word, as in the status bar's counts.
    switch (f) {
    case LiveFilter::Running:
        return StatusFilterChoices::tr("Live: ● running");
    case LiveFilter::NotRunning:
        return StatusFilterChoices::tr("Live: ■ not running");
    case LiveFilter::Unknown:
        return StatusFilterChoices::tr("Live: ? unknown");
    case LiveFilter::NotChecked:
        return StatusFilterChoices::tr("Live: ◌ not checked");
    case LiveFilter::Any:
        break;
    }
    return {};
}

LiveFilter liveChoice(const QComboBox *box, int index)
{
    const QVariant v = box->itemData(index, kLiveRole);
    return v.isValid() ? LiveFilter(v.toInt()) : LiveFilter::Any;
}

} // namespace

void StatusFilterChoices::addLiveChoices(QComboBox *box)
{
    box->insertSeparator(box->count());
    for (const LiveFilter f : { LiveFilter::Running, LiveFilter::NotRunning, LiveFilter::Unknown,
                                LiveFilter::NotChecked }) {
        box->addItem(liveWords(f));
        box->setItemData(box->count() - 1, int(f), kLiveRole);
        box->setItemData(box->count() - 1,
                         tr("Workspaces whose live status, from the control plane's latest "
                            "answer, is this one"),
                         Qt::ToolTipRole);
    }
}

void StatusFilterChoices::apply(const QComboBox *box, int index, WorkspaceModel *model)
{
    const LiveFilter live = liveChoice(box, index);
    const QString status = box->itemData(index).toString();
    // Off first, then on: the rows go through one filter at a time, never an empty mix.
    if (live == LiveFilter::Any) {
        model->setLiveFilter(LiveFilter::Any);
        model->setStatusFilter(status.isEmpty() ? QStringList() : QStringList { status });
    } else {
        model->setStatusFilter({});
        model->setLiveFilter(live);
    }
}

void StatusFilterChoices::showCounts(QComboBox *box, const WorkspaceModel &model)
{
    const QHash<QString, int> db = model.statusCounts();
    const QHash<RunState, int> live = model.liveCounts();
    const int total = model.totalCount();
    const int checked = live.value(RunState::Running) + live.value(RunState::NotRunning)
        + live.value(RunState::Unknown);
    for (int i = 1; i < box->count(); ++i) {
        const LiveFilter f = liveChoice(box, i);
        const QString status = box->itemData(i).toString();
        int count = 0;
        switch (f) {
        case LiveFilter::Any:
            if (status.isEmpty())
                continue; // the separator
            box->setItemText(i, QStringLiteral("%1 (%2)").arg(status).arg(db.value(status)));
            continue;
        case LiveFilter::Running:
            count = live.value(RunState::Running);
            break;
        case LiveFilter::NotRunning:
            count = live.value(RunState::NotRunning);
            break;
        case LiveFilter::Unknown:
            count = live.value(RunState::Unknown);
            break;
        case LiveFilter::NotChecked:
            count = std::max(0, total - checked);
            break;
        }
        box->setItemText(i, QStringLiteral("%1 (%2)").arg(liveWords(f)).arg(count));
    }
    box->setItemText(0, tr("All statuses (%1)").arg(total));
}

} // namespace cpc::ui
