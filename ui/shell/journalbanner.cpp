#include "journalbanner.h"

#include "icons.h"
#include "statuspresentation.h"

#include <QAction>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QToolButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace cpc::ui {

namespace {
constexpr int kWorkspaceIdRole = Qt::UserRole + 1;
} // namespace

JournalBanner::JournalBanner(QWidget *parent)
    : WarningBanner(QStringLiteral("journalBanner"), parent)
{
    auto *v = new QVBoxLayout(this);
    v->setContentsMargins(10, 4, 10, 4);
    v->setSpacing(4);
    // One line while folded: what happened to which workspaces, Show, and the two actions.
    auto *top = new QHBoxLayout;
    top->addWidget(makeIcon(), 0, Qt::AlignVCenter);
    m_title = makeText(QStringLiteral("journalBannerText"), Qt::NoTextInteraction);
    m_title->setWordWrap(false);
    m_title->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    top->addWidget(m_title, 1);
    m_show = new QToolButton(this);
    m_show->setObjectName(QStringLiteral("journalShow"));
    m_show->setCheckable(true);
    m_show->setText(tr("Show"));
    m_show->setPalette(parent ? parent->palette() : QPalette());
    connect(m_show, &QToolButton::toggled, this, &JournalBanner::setExpanded);
    top->addWidget(m_show);
    m_buttons = new QWidget(this);
    auto *h = new QHBoxLayout(m_buttons);
    h->setContentsMargins(0, 0, 0, 0);
    top->addWidget(m_buttons);
    v->addLayout(top);

    m_details = new QWidget(this);
    m_details->setObjectName(QStringLiteral("journalDetails"));
    auto *dv = new QVBoxLayout(m_details);
    dv->setContentsMargins(0, 0, 0, 0);
    m_explanation = makeText(QStringLiteral("journalBannerDetails"), Qt::NoTextInteraction);
    dv->addWidget(m_explanation);
    m_list = new QTreeWidget(m_details);
    m_list->setObjectName(QStringLiteral("journalList"));
    m_list->setHeaderLabels(
        { tr("Workspace"), tr("Idempotency key"), tr("Started"), tr("What is known") });
    m_list->setRootIsDecorated(false);
    m_list->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_list->setPalette(parent ? parent->palette() : QPalette()); // the list keeps normal colours
    m_list->setMaximumHeight(130);
    m_list->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_list->header()->setStretchLastSection(true);
    connect(m_list, &QTreeWidget::itemSelectionChanged, this, &JournalBanner::selectionChanged);
    dv->addWidget(m_list);
    v->addWidget(m_details);
    m_details->hide();
}

void JournalBanner::setActions(QAction *reconcile, QAction *clear)
{
    auto *h = static_cast<QHBoxLayout *>(m_buttons->layout());
    for (QAction *a : { reconcile, clear }) {
        auto *b = new QToolButton(m_buttons);
        b->setDefaultAction(a);
        b->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
        b->setPalette(parentWidget() ? parentWidget()->palette() : QPalette());
        b->setObjectName(QStringLiteral("journalButton:") + a->objectName());
        h->addWidget(b);
    }
}

void JournalBanner::setNameResolver(std::function<QString(const QString &)> nameOf)
{
    m_nameOf = std::move(nameOf);
    setEntries(m_entries);
}

void JournalBanner::setExpanded(bool expanded)
{
    m_details->setVisible(expanded);
    m_show->setChecked(expanded);
    m_show->setText(expanded ? tr("Hide") : tr("Show"));
}

bool JournalBanner::isExpanded() const
{
    return m_details->isVisibleTo(this);
}

QString JournalBanner::summary() const
{
    return m_title->text();
}

QString JournalBanner::nameOf(const QString &workspaceId) const
{
    return m_nameOf ? m_nameOf(workspaceId) : workspaceId;
}

void JournalBanner::setEntries(const QList<JournalEntry> &entries)
{
    m_entries = entries;
    m_list->clear();
    QStringList unknownNames, movedOnNames;
    for (const JournalEntry &e : entries) {
        auto *item = new QTreeWidgetItem(m_list);
        item->setText(0, nameOf(e.workspaceId));
        item->setToolTip(0, e.workspaceId);
        item->setText(1, e.idempotencyKey);
        item->setText(2, e.startedAt.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")));
        item->setText(3, e.detail.isEmpty() ? tr("provision outcome unknown") : e.detail);
        item->setData(0, Qt::UserRole, e.id);
        item->setData(0, kWorkspaceIdRole, e.workspaceId);
        (e.outcome == JournalEntry::Outcome::MovedOn ? movedOnNames : unknownNames)
            << nameOf(e.workspaceId).toHtmlEscaped();
    }
    // Each kind of entry is named for what happened: a provision that returned after its row
    // moved on is not an unknown outcome, its instance is known and needs a decision.
    const auto names = [](const QStringList &all) {
        constexpr int kShown = 3;
        QString out = all.mid(0, kShown).join(QStringLiteral(", "));
        if (all.size() > kShown)
            out += tr(" and %1 more").arg(all.size() - kShown);
        return out;
    };
    const qsizetype unknown = unknownNames.size();
    const qsizetype movedOn = movedOnNames.size();
    QStringList line, parts;
    if (unknown > 0) {
        line << (unknown == 1
                     ? tr("<b>1 provision request with an unknown outcome</b>")
                     : tr("<b>%1 provision requests with an unknown outcome</b>").arg(unknown))
                + QStringLiteral(": ") + names(unknownNames);
        parts << tr("The console stopped (or lost the answer) between sending and recording, so "
                    "an instance may exist that no row names.");
    }
    if (movedOn > 0) {
        line << (movedOn == 1 ? tr("<b>1 provision whose row moved on</b>")
                              : tr("<b>%1 provisions whose row moved on</b>").arg(movedOn))
                + QStringLiteral(": ") + names(movedOnNames);
        parts << tr("A provision whose row moved on while the request was out: the CP created an "
                    "instance, the row names another one, and nothing was overwritten. Decide "
                    "which instance to keep (both IDs are under \"What is known\").");
    }
    parts << tr("<b>Reconcile</b> asks the control plane again with the same idempotency key "
                "(no second instance) and records what it learns; <b>Clear</b> closes the entry "
                "without asking.");
    m_title->setText(line.join(QStringLiteral(" · ")));
    m_title->setToolTip(line.join(QStringLiteral("<br>")));
    m_explanation->setText(parts.join(u' '));
    setVisible(!entries.isEmpty());
}

QList<JournalEntry> JournalBanner::selectedEntries() const
{
    QSet<qint64> ids;
    for (const QTreeWidgetItem *item : m_list->selectedItems())
        ids.insert(item->data(0, Qt::UserRole).toLongLong());
    if (ids.isEmpty())
        return m_entries;
    QList<JournalEntry> out;
    for (const JournalEntry &e : m_entries) {
        if (ids.contains(e.id))
            out << e;
    }
    return out;
}

void JournalBanner::markResult(qint64 entryId, const QString &message)
{
    for (int i = 0; i < m_list->topLevelItemCount(); ++i) {
        QTreeWidgetItem *item = m_list->topLevelItem(i);
        if (item->data(0, Qt::UserRole).toLongLong() == entryId) {
            item->setText(3, message);
            item->setToolTip(3, message);
        }
    }
}

void JournalBanner::removeEntry(qint64 entryId)
{
    QList<JournalEntry> rest;
    for (const JournalEntry &e : std::as_const(m_entries)) {
        if (e.id != entryId)
            rest << e;
    }
    setEntries(rest);
}

} // namespace cpc::ui
