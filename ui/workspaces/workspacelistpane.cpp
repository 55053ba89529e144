#include "workspacelistpane.h"

#include "icons.h"
#include "livestatusdelegate.h"
#include "namedelegate.h"
#include "statusfilterchoices.h"
#include "termtext.h"
#include "workspacemodel.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QSettings>
#include <QTableView>
#include <QVBoxLayout>

namespace cpc::ui {

namespace {

/// Keys in the filter box that hand over to the list: ↓ and Enter go to the rows, Esc clears.
class FilterKeys : public QObject
{
public:
    FilterKeys(QLineEdit *edit, QTableView *table)
        : QObject(edit)
        , m_edit(edit)
        , m_table(table)
    {
    }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (watched != m_edit || event->type() != QEvent::KeyPress)
            return false;
        auto *ke = static_cast<QKeyEvent *>(event);
        switch (ke->key()) {
        case Qt::Key_Down:
        case Qt::Key_Return:
        case Qt::Key_Enter:
            m_table->setFocus(Qt::ShortcutFocusReason);
            if (!m_table->currentIndex().isValid() && m_table->model()->rowCount() > 0)
                m_table->setCurrentIndex(m_table->model()->index(0, 0));
            return true;
        case Qt::Key_Escape:
            if (!m_edit->text().isEmpty())
                m_edit->clear();
            else
                m_table->setFocus(Qt::ShortcutFocusReason);
            return true;
        default:
            return false;
        }
    }

private:
    QLineEdit *m_edit;
    QTableView *m_table;
};
} // namespace

WorkspaceListPane::WorkspaceListPane(WorkspaceModel *model, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
{
    m_filter = new QLineEdit(this);
    m_filter->setObjectName(QStringLiteral("filterEdit"));
    m_filter->setClearButtonEnabled(true);
    m_filter->setPlaceholderText(tr("Filter: name, ID, instance, runtime, status   (/ or Ctrl+F)"));
    m_filter->addAction(icon(QStringLiteral("filter"), this), QLineEdit::LeadingPosition);
    m_filter->setAccessibleName(tr("Filter workspaces"));
    connect(m_filter, &QLineEdit::textChanged, this, [this](const QString &t) {
        m_model->setFilterText(t);
        Q_EMIT filterChanged();
    });
    m_statusFilter = new QComboBox(this);
    m_statusFilter->setObjectName(QStringLiteral("statusFilter"));
    m_statusFilter->setToolTip(
        tr("Show only workspaces with this database status or this live status"));
    m_statusFilter->addItem(tr("All statuses"));
    for (const QString &s : knownWorkspaceStatuses()) {
        if (s != QLatin1String("removed"))
            m_statusFilter->addItem(s, s);
    }
    StatusFilterChoices::addLiveChoices(m_statusFilter);
    connect(m_statusFilter, &QComboBox::currentIndexChanged, this, [this](int i) {
        StatusFilterChoices::apply(m_statusFilter, i, m_model);
        Q_EMIT filterChanged();
    });

    auto *lv = new QVBoxLayout(this);
    lv->setContentsMargins(0, 4, 0, 0);
    lv->setSpacing(4);
    auto *filterRow = new QHBoxLayout;
    filterRow->setContentsMargins(4, 0, 4, 0);
    filterRow->addWidget(m_filter, 1);
    filterRow->addWidget(m_statusFilter);
    lv->addLayout(filterRow);
    m_table = new QTableView(this);
    lv->addWidget(m_table, 1);
    m_table->setObjectName(QStringLiteral("workspaceTable"));
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->setShowGrid(false);
    m_table->setTabKeyNavigation(false);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 10);
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->setItemDelegateForColumn(WorkspaceModel::LiveColumn, new LiveStatusDelegate(m_table));
    m_table->setItemDelegateForColumn(WorkspaceModel::NameColumn, new NameDelegate(m_table));
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(WorkspaceModel::NameColumn, Qt::AscendingOrder);
    m_table->setAccessibleName(tr("Workspaces"));
    QHeaderView *header = m_table->horizontalHeader();
    header->setSectionsMovable(true);
    header->setHighlightSections(false);
    header->setStretchLastSection(true);
    header->setContextMenuPolicy(Qt::CustomContextMenu);
    header->setToolTip(tr("Click to sort; right-click to choose columns"));
    connect(header, &QHeaderView::customContextMenuRequested, this, &WorkspaceListPane::headerMenu);
    const QFontMetrics fm = m_table->fontMetrics();
    header->resizeSection(WorkspaceModel::NameColumn,
                          fm.horizontalAdvance(QStringLiteral("payments-api-eu-west")) + 24);
    header->resizeSection(WorkspaceModel::IdColumn,
                          fm.horizontalAdvance(QStringLiteral("00000000-0000-0000")) + 12);
    header->resizeSection(WorkspaceModel::StatusColumn,
                          fm.horizontalAdvance(QStringLiteral("awaiting_agent")) + 24);
    // Wide enough for the common answers ("not running · 12 min"); longer ones (an unknown's
    // reason) are elided, whole in the tooltip, so Updated fits on a 1280 px screen.
    header->resizeSection(WorkspaceModel::LiveColumn,
                          fm.horizontalAdvance(QStringLiteral("not running · 12 min ago")) + 40);
    header->resizeSection(WorkspaceModel::InstanceColumn,
                          fm.horizontalAdvance(QStringLiteral("mol-ws-00000000000000000000")) + 12);
    header->resizeSection(WorkspaceModel::RuntimeColumn,
                          fm.horizontalAdvance(QStringLiteral("Runtime")) + 24);
    header->resizeSection(WorkspaceModel::UpdatedColumn,
                          fm.horizontalAdvance(QStringLiteral("2026-11-27 09:12")) + 16);
    header->resizeSection(WorkspaceModel::TierColumn,
                          fm.horizontalAdvance(QStringLiteral("Tier")) + 28);
    // The ID, tier and provider are in the details pane; shown in the list when chosen from the
    // header menu (remembered).
    header->setSectionHidden(WorkspaceModel::IdColumn, true);
    header->setSectionHidden(WorkspaceModel::TierColumn, true);
    header->setSectionHidden(WorkspaceModel::ProviderColumn, true);
    m_filter->installEventFilter(new FilterKeys(m_filter, m_table));

    // A filter that hides every row says so, over the list, instead of an empty table.
    m_empty = new QLabel(m_table->viewport());
    m_empty->setObjectName(QStringLiteral("listEmptyMessage"));
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);
    m_empty->setForegroundRole(QPalette::PlaceholderText);
    m_empty->hide();
    m_table->viewport()->installEventFilter(this);
    connect(m_model, &QAbstractItemModel::modelReset, this, &WorkspaceListPane::updateEmptyMessage);
    connect(m_model, &QAbstractItemModel::layoutChanged, this,
            &WorkspaceListPane::updateEmptyMessage);
    connect(m_model, &QAbstractItemModel::rowsInserted, this,
            &WorkspaceListPane::updateEmptyMessage);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this,
            &WorkspaceListPane::updateEmptyMessage);
    connect(this, &WorkspaceListPane::filterChanged, this, &WorkspaceListPane::updateEmptyMessage);
}

void WorkspaceListPane::clearStatusFilter()
{
    m_statusFilter->setCurrentIndex(0);
}

QString WorkspaceListPane::emptyMessage() const
{
    return m_empty->isVisibleTo(m_table->viewport()) ? m_empty->text() : QString();
}

void WorkspaceListPane::updateEmptyMessage()
{
    const bool hidden = m_model->visibleCount() == 0 && m_model->totalCount() > 0;
    if (!hidden) {
        m_empty->hide();
        return;
    }
    const QString text = m_filter->text().trimmed();
    QString status
        = m_statusFilter->currentIndex() > 0 ? m_statusFilter->currentData().toString() : QString();
    QString msg;
    if (!text.isEmpty() && !status.isEmpty())
        msg = tr("No %1 workspace matches “%2”.").arg(status, termtext::sanitize(text));
    else if (!text.isEmpty())
        msg = tr("No workspace matches “%1”.").arg(termtext::sanitize(text));
    else
        msg = tr("No workspace has the status %1.").arg(status);
    msg += u'\n'
        + tr("%n workspace(s) listed in all: Esc in the filter clears it.", nullptr,
             m_model->totalCount());
    m_empty->setText(msg);
    m_empty->setGeometry(m_table->viewport()->rect().adjusted(12, 12, -12, -12));
    m_empty->show();
}

bool WorkspaceListPane::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_table->viewport() && event->type() == QEvent::Resize)
        m_empty->setGeometry(m_table->viewport()->rect().adjusted(12, 12, -12, -12));
    return QWidget::eventFilter(watched, event);
}

void WorkspaceListPane::setStatusCounts(const QHash<QString, int> &, int)
{
    // The model has the counts (database and live) over every row: what the choices show.
    StatusFilterChoices::showCounts(m_statusFilter, *m_model);
}

void WorkspaceListPane::headerMenu(const QPoint &pos)
{
    QHeaderView *header = m_table->horizontalHeader();
    QMenu menu(this);
    menu.setTitle(tr("Columns"));
    for (int c = 0; c < m_model->columnCount(); ++c) {
        QAction *a
            = menu.addAction(m_model->headerData(c, Qt::Horizontal, Qt::DisplayRole).toString());
        a->setCheckable(true);
        a->setChecked(!header->isSectionHidden(c));
        // Name and Live are what the list is for.
        a->setEnabled(c != WorkspaceModel::NameColumn && c != WorkspaceModel::LiveColumn);
        connect(a, &QAction::toggled, this, [this, c](bool on) {
            m_table->horizontalHeader()->setSectionHidden(c, !on);
            QSettings().setValue(QStringLiteral("mainwindow/header"),
                                 m_table->horizontalHeader()->saveState());
            Q_EMIT columnsChanged();
        });
    }
    menu.exec(header->viewport()->mapToGlobal(pos));
}
QString workspaceLabel(const WorkspaceModel &model, const QString &workspaceId)
{
    const std::optional<WorkspaceRow> r = model.rowById(workspaceId);
    return termtext::sanitize(r && !r->name.isEmpty() ? r->name : workspaceId);
}

} // namespace cpc::ui
