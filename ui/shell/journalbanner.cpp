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

JournalBanner::JournalBanner(QWidget *parent)
    : WarningBanner(QStringLiteral("journalBanner"), parent)
{
    auto *v = new QVBoxLayout(this);
    v->setContentsMargins(10, 6, 10, 6);
    auto *top = new QHBoxLayout;
    top->addWidget(makeIcon(), 0, Qt::AlignTop);
    m_title = makeText(QStringLiteral("journalBannerText"), Qt::LinksAccessibleByMouse);
    top->addWidget(m_title, 1);
    v->addLayout(top);

    m_list = new QTreeWidget(this);
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
    v->addWidget(m_list);

    m_buttons = new QWidget(this);
    auto *h = new QHBoxLayout(m_buttons);
    h->setContentsMargins(0, 0, 0, 0);
    h->addStretch(1);
    v->addWidget(m_buttons);
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

void JournalBanner::setEntries(const QList<JournalEntry> &entries)
{
    m_entries = entries;
    m_list->clear();
    for (const JournalEntry &e : entries) {
        auto *item = new QTreeWidgetItem(m_list);
        item->setText(0, e.workspaceId);
        item->setText(1, e.idempotencyKey);
        item->setText(2, e.startedAt.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")));
        item->setText(3, e.detail.isEmpty() ? tr("provision outcome unknown") : e.detail);
        item->setData(0, Qt::UserRole, e.id);
    }
    // Each kind of entry is named for what happened: a provision that returned after its row
    // moved on is not an unknown outcome, its instance is known and needs a decision.
    const auto movedOn = std::count_if(entries.cbegin(), entries.cend(), [](const JournalEntry &e) {
        return e.outcome == JournalEntry::Outcome::MovedOn;
    });
    const auto unknown = entries.size() - movedOn;
    QStringList parts;
    if (unknown > 0)
        parts << (unknown == 1
                      ? tr("<b>1 provision request with an unknown outcome.</b>")
                      : tr("<b>%1 provision requests with an unknown outcome.</b>").arg(unknown))
                + u' '
                + tr("The console stopped (or lost the answer) between sending and recording, so "
                     "an instance may exist that no row names.");
    if (movedOn > 0)
        parts << (movedOn == 1 ? tr("<b>1 provision whose row moved on</b>")
                               : tr("<b>%1 provisions whose row moved on</b>").arg(movedOn))
                + u' '
                + tr("while the request was out: the CP created an instance, the row names "
                     "another one, and nothing was overwritten. Decide which instance to keep "
                     "(both IDs are under \"What is known\").");
    parts << tr("<b>Reconcile</b> asks the control plane again with the same idempotency key "
                "(no second instance) and records what it learns; <b>Clear</b> closes the entry "
                "without asking.");
    m_title->setText(parts.join(u' '));
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
