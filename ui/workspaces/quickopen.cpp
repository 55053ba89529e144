#include "quickopen.h"

#include "termtext.h"
#include "workspacemodel.h"

#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QVBoxLayout>

namespace cpc::ui {

QuickOpen::QuickOpen(const WorkspaceModel *model, QWidget *parent)
    : QDialog(parent)
    , m_model(model)
{
    setObjectName(QStringLiteral("quickOpen"));
    setWindowTitle(tr("Open a console"));
    auto *v = new QVBoxLayout(this);
    m_edit = new QLineEdit(this);
    m_edit->setObjectName(QStringLiteral("quickOpenEdit"));
    m_edit->setPlaceholderText(tr("Name, ID or instance ID — Enter opens its console"));
    m_edit->setAccessibleName(tr("Workspace to open"));
    v->addWidget(m_edit);
    m_results = new QListWidget(this);
    m_results->setObjectName(QStringLiteral("quickOpenResults"));
    m_results->setUniformItemSizes(true);
    m_results->setTextElideMode(Qt::ElideMiddle); // name first, status last: both stay
    m_results->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_results->setFocusPolicy(Qt::NoFocus); // the keys stay in the edit; ↑/↓ move the choice
    v->addWidget(m_results, 1);
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("quickOpenSummary"));
    m_summary->setForegroundRole(QPalette::PlaceholderText);
    v->addWidget(m_summary);
    connect(m_edit, &QLineEdit::textChanged, this, &QuickOpen::search);
    connect(m_results, &QListWidget::itemActivated, this, [this] { accept(); });
    connect(m_edit, &QLineEdit::returnPressed, this, &QuickOpen::accept);
    m_edit->installEventFilter(this);
    search({});
    resize(640, 380);
}

QString QuickOpen::summary() const
{
    return m_summary->text();
}

void QuickOpen::search(const QString &text)
{
    m_results->clear();
    if (text.trimmed().isEmpty()) {
        m_summary->setText(tr("%n workspace(s) listed: type part of a name, ID or instance ID",
                              nullptr, m_model->totalCount()));
        return;
    }
    const QStringList ids = m_model->search(text, kMaxShown);
    for (const QString &id : ids) {
        const std::optional<WorkspaceRow> r = m_model->rowById(id);
        if (!r)
            continue;
        const QString name = termtext::sanitize(r->name.isEmpty() ? r->id : r->name);
        QStringList facts { termtext::sanitize(r->id) };
        if (!r->instanceId.isEmpty())
            facts << termtext::sanitize(r->instanceId);
        facts << termtext::sanitize(r->status);
        auto *item = new QListWidgetItem(QStringLiteral("%1 — %2").arg(name, facts.join(u" · ")));
        item->setData(Qt::UserRole, id);
        m_results->addItem(item);
    }
    if (m_results->count() > 0)
        m_results->setCurrentRow(0);
    if (ids.isEmpty())
        m_summary->setText(tr("No workspace matches “%1”").arg(termtext::sanitize(text)));
    else if (ids.size() >= kMaxShown)
        m_summary->setText(tr("The first %1 matches: type more to narrow").arg(kMaxShown));
    else
        m_summary->setText(
            tr("%n match(es): Enter opens the console of the first", nullptr, int(ids.size())));
}

bool QuickOpen::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_edit && event->type() == QEvent::KeyPress) {
        const int key = static_cast<QKeyEvent *>(event)->key();
        const int n = m_results->count();
        if ((key == Qt::Key_Down || key == Qt::Key_Up) && n > 0) {
            const int step = key == Qt::Key_Down ? 1 : -1;
            m_results->setCurrentRow(qBound(0, m_results->currentRow() + step, n - 1));
            return true;
        }
    }
    return QDialog::eventFilter(watched, event);
}

void QuickOpen::accept()
{
    const QListWidgetItem *item = m_results->currentItem();
    if (!item)
        return; // nothing matches: Enter keeps the dialog open with its "no match" line
    const QString id = item->data(Qt::UserRole).toString();
    QDialog::accept();
    Q_EMIT chosen(id);
}

} // namespace cpc::ui
