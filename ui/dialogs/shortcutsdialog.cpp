#include "shortcutsdialog.h"

#include <QAction>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QMap>
#include <QTableWidget>
#include <QVBoxLayout>

namespace cpc::ui {

namespace {
constexpr int kPlaceRole = Qt::UserRole + 1;
constexpr int kHeaderRole = Qt::UserRole + 2;

QString keysText(const QList<QKeySequence> &seqs)
{
    QStringList keys;
    for (const QKeySequence &k : seqs) {
        const QString s = k.toString(QKeySequence::NativeText);
        if (!s.isEmpty() && !keys.contains(s))
            keys << s;
    }
    return keys.join(QStringLiteral(", "));
}

QString plainText(const QAction *a)
{
    QString text = a->text();
    text.remove(u'&');
    text.remove(QChar(0x2026));
    text.remove(QStringLiteral("..."));
    return text;
}

QString whatOf(const QAction *a)
{
    // What it does, not whether it is available right now (cpcTip is the plain description).
    QString what = a->property("cpcTip").toString();
    if (what.isEmpty())
        what = a->statusTip().isEmpty() ? a->toolTip() : a->statusTip();
    return what;
}
} // namespace

QString ShortcutsDialog::anywhere()
{
    return tr("Anywhere in the window");
}

QString ShortcutsDialog::keysOf(const QAction *action)
{
    const auto aliases = action->property("cpcAliases").value<QList<QObject *>>();
    QList<QKeySequence> seqs = action->shortcuts();
    for (QObject *o : aliases) {
        if (auto *a = qobject_cast<QAction *>(o))
            seqs = a->shortcuts() + seqs;
    }
    return keysText(seqs);
}

ShortcutsDialog::ShortcutsDialog(const QList<QAction *> &actions, const QList<KeyBinding> &more,
                                 QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Keyboard shortcuts"));
    setObjectName(QStringLiteral("shortcutsDialog"));
    auto *v = new QVBoxLayout(this);
    auto *intro = new QLabel(tr("Every action of the console has a key, listed by where it works. "
                                "Disabled actions say why in their tooltip, and when their key "
                                "is pressed."),
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

    // Place → rows, the window's own first, then the narrower places in the order met.
    QStringList order { anywhere() };
    QMap<QString, QList<KeyBinding>> byPlace;
    const auto add = [&](const KeyBinding &b) {
        if (b.keys.isEmpty() || b.text.isEmpty())
            return;
        if (!order.contains(b.place))
            order << b.place;
        byPlace[b.place].append(b);
    };
    for (QAction *a : actions) {
        const QString place = a->property("cpcPlace").toString();
        QList<QKeySequence> keys = a->shortcuts();
        // Aliases that work in a narrower place (Enter on the list) are listed there.
        const auto aliases = a->property("cpcAliases").value<QList<QObject *>>();
        for (QObject *o : aliases) {
            auto *alias = qobject_cast<QAction *>(o);
            if (!alias)
                continue;
            const QString aliasPlace = alias->property("cpcPlace").toString();
            if (aliasPlace.isEmpty())
                keys = alias->shortcuts() + keys;
            else
                add({ aliasPlace, plainText(a), alias->shortcuts(), whatOf(a) });
        }
        add({ place.isEmpty() ? anywhere() : place, plainText(a), keys, whatOf(a) });
    }
    for (const KeyBinding &b : more)
        add(b);
    for (const QString &place : std::as_const(order)) {
        if (!byPlace.contains(place))
            continue;
        addPlace(place);
        for (const KeyBinding &b : byPlace.value(place))
            addRow(place, b.text, keysText(b.keys), b.what);
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

void ShortcutsDialog::addPlace(const QString &place)
{
    const int r = m_table->rowCount();
    m_table->insertRow(r);
    auto *item = new QTableWidgetItem(place);
    QFont f = item->font();
    f.setBold(true);
    item->setFont(f);
    item->setData(kHeaderRole, true);
    item->setFlags(Qt::ItemIsEnabled);
    m_table->setItem(r, 0, item);
    m_table->setSpan(r, 0, 1, 3);
}

void ShortcutsDialog::addRow(const QString &place, const QString &text, const QString &keys,
                             const QString &what)
{
    const int r = m_table->rowCount();
    m_table->insertRow(r);
    auto *name = new QTableWidgetItem(text);
    name->setData(kPlaceRole, place);
    m_table->setItem(r, 0, name);
    auto *k = new QTableWidgetItem(keys);
    QFont f = k->font();
    f.setBold(true);
    k->setFont(f);
    m_table->setItem(r, 1, k);
    auto *whatItem = new QTableWidgetItem(what);
    whatItem->setToolTip(what);
    m_table->setItem(r, 2, whatItem);
}

QList<QPair<QString, QString>> ShortcutsDialog::rows() const
{
    QList<QPair<QString, QString>> out;
    for (int r = 0; r < m_table->rowCount(); ++r) {
        if (m_table->item(r, 0)->data(kHeaderRole).toBool())
            continue;
        out.append({ m_table->item(r, 0)->text(), m_table->item(r, 1)->text() });
    }
    return out;
}

QStringList ShortcutsDialog::places() const
{
    QStringList out;
    for (int r = 0; r < m_table->rowCount(); ++r) {
        if (m_table->item(r, 0)->data(kHeaderRole).toBool())
            out << m_table->item(r, 0)->text();
    }
    return out;
}

QList<QPair<QString, QString>> ShortcutsDialog::rowsIn(const QString &place) const
{
    QList<QPair<QString, QString>> out;
    for (int r = 0; r < m_table->rowCount(); ++r) {
        const QTableWidgetItem *it = m_table->item(r, 0);
        if (!it->data(kHeaderRole).toBool() && it->data(kPlaceRole).toString() == place)
            out.append({ it->text(), m_table->item(r, 1)->text() });
    }
    return out;
}

} // namespace cpc::ui
