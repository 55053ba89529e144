#include "shortcutsdialog.h"

#include <QAction>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <QVBoxLayout>

namespace cpc::ui {

QString ShortcutsDialog::keysOf(const QAction *action)
{
    QStringList keys;
    const auto aliases = action->property("cpcAliases").value<QList<QObject *>>();
    QList<QKeySequence> seqs = action->shortcuts();
    for (QObject *o : aliases) {
        if (auto *a = qobject_cast<QAction *>(o))
            seqs = a->shortcuts() + seqs;
    }
    for (const QKeySequence &k : seqs) {
        const QString s = k.toString(QKeySequence::NativeText);
        if (!s.isEmpty() && !keys.contains(s))
            keys << s;
    }
    return keys.join(QStringLiteral(", "));
}

ShortcutsDialog::ShortcutsDialog(const QList<QAction *> &actions, QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Keyboard shortcuts"));
    setObjectName(QStringLiteral("shortcutsDialog"));
    auto *v = new QVBoxLayout(this);
    auto *intro = new QLabel(
        tr("Every action of the console has a key. Disabled actions say why in their tooltip."),
        this);
    intro->setWordWrap(true);
    v->addWidget(intro);
    m_table = new QTableWidget(this);
    m_table->setColumnCount(3);
    m_table->setHorizontalHeaderLabels({ tr("Action"), tr("Keys"), tr("What it does") });
    m_table->verticalHeader()->hide();
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setWordWrap(false);
    for (QAction *a : actions) {
        const QString keys = keysOf(a);
        if (keys.isEmpty() || a->text().isEmpty())
            continue;
        const int r = m_table->rowCount();
        m_table->insertRow(r);
        QString text = a->text();
        text.remove(u'&');
        text.remove(QChar(0x2026));
        text.remove(QStringLiteral("..."));
        m_table->setItem(r, 0, new QTableWidgetItem(text));
        auto *k = new QTableWidgetItem(keys);
        QFont f = k->font();
        f.setBold(true);
        k->setFont(f);
        m_table->setItem(r, 1, k);
        // What it does, not whether it is available right now (cpcTip is the plain description).
        QString what = a->property("cpcTip").toString();
        if (what.isEmpty())
            what = a->statusTip().isEmpty() ? a->toolTip() : a->statusTip();
        auto *whatItem = new QTableWidgetItem(what);
        whatItem->setToolTip(what);
        m_table->setItem(r, 2, whatItem);
    }
    m_table->setWordWrap(true);
    m_table->resizeColumnToContents(0);
    m_table->resizeColumnToContents(1);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    v->addWidget(m_table, 1);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    v->addWidget(buttons);
    resize(980, 600);
}

QList<QPair<QString, QString>> ShortcutsDialog::rows() const
{
    QList<QPair<QString, QString>> out;
    for (int r = 0; r < m_table->rowCount(); ++r)
        out.append({ m_table->item(r, 0)->text(), m_table->item(r, 1)->text() });
    return out;
}

} // namespace cpc::ui
