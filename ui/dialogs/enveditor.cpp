#include "enveditor.h"

#include "icons.h"
#include "maskeddelegate.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QRegularExpression>
#include <QSet>
#include <QTableWidget>
#include <QToolButton>
#include <QVBoxLayout>

namespace cpc::ui {

EnvEditor::EnvEditor(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("envEditor"));
    auto *ev = new QVBoxLayout(this);
    ev->setContentsMargins(0, 0, 0, 0);
    ev->setSpacing(2);
    m_table = new QTableWidget(0, 2, this);
    m_table->setObjectName(QStringLiteral("env"));
    m_table->setHorizontalHeaderLabels({ tr("Name"), tr("Value") });
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Interactive);
    m_table->setColumnWidth(0, 200);
    m_table->verticalHeader()->hide();
    m_table->setMinimumHeight(110);
    m_delegate = new MaskedDelegate(m_table);
    m_table->setItemDelegateForColumn(1, m_delegate);
    ev->addWidget(m_table);
    auto *eh = new QHBoxLayout;
    auto *add = new QToolButton(this);
    add->setText(tr("Add variable"));
    add->setIcon(icon(QStringLiteral("add"), this));
    add->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    add->setObjectName(QStringLiteral("envAdd"));
    connect(add, &QToolButton::clicked, this, [this] {
        addRow();
        m_table->setCurrentCell(m_table->rowCount() - 1, 0);
        m_table->editItem(m_table->item(m_table->rowCount() - 1, 0));
    });
    auto *remove = new QToolButton(this);
    remove->setText(tr("Remove"));
    remove->setIcon(icon(QStringLiteral("remove"), this));
    remove->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    remove->setObjectName(QStringLiteral("envRemove"));
    connect(remove, &QToolButton::clicked, this, [this] {
        if (m_table->currentRow() >= 0)
            m_table->removeRow(m_table->currentRow());
    });
    m_showValues = new QCheckBox(tr("&Show values"), this);
    m_showValues->setObjectName(QStringLiteral("showValues"));
    m_showValues->setToolTip(tr("Values are hidden by default: they often hold tokens. "
                                "They are sent to the CP but never logged or audited."));
    connect(m_showValues, &QCheckBox::toggled, this, [this](bool show) {
        m_delegate->setMasked(!show);
        m_table->viewport()->update();
    });
    eh->addWidget(add);
    eh->addWidget(remove);
    eh->addStretch(1);
    eh->addWidget(m_showValues);
    ev->addLayout(eh);
    addRow();
}

void EnvEditor::setEnvironment(const QMap<QString, QString> &env)
{
    m_table->setRowCount(0);
    for (auto it = env.cbegin(); it != env.cend(); ++it)
        addRow(it.key(), it.value());
    addRow();
}

void EnvEditor::addRow(const QString &key, const QString &value)
{
    const int r = m_table->rowCount();
    m_table->insertRow(r);
    m_table->setItem(r, 0, new QTableWidgetItem(key));
    m_table->setItem(r, 1, new QTableWidgetItem(value));
}

QMap<QString, QString> EnvEditor::environment() const
{
    QMap<QString, QString> env;
    for (int row = 0; row < m_table->rowCount(); ++row) {
        const QString key
            = m_table->item(row, 0) ? m_table->item(row, 0)->text().trimmed() : QString();
        if (!key.isEmpty())
            env.insert(key, m_table->item(row, 1) ? m_table->item(row, 1)->text() : QString());
    }
    return env;
}

QString EnvEditor::error() const
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]*$"));
    QSet<QString> seen;
    for (int r = 0; r < m_table->rowCount(); ++r) {
        const QString key = m_table->item(r, 0) ? m_table->item(r, 0)->text().trimmed() : QString();
        const QString value = m_table->item(r, 1) ? m_table->item(r, 1)->text() : QString();
        if (key.isEmpty() && value.isEmpty())
            continue;
        QString error;
        if (key.isEmpty())
            error = tr("a variable with a value needs a name");
        else if (key.size() > 256 || !re.match(key).hasMatch())
            error = tr("\"%1\" is not a valid name (letters, digits and _, not starting with a "
                       "digit)")
                        .arg(key.left(40));
        else if (seen.contains(key))
            error = tr("\"%1\" is given twice").arg(key);
        if (!error.isEmpty())
            return tr("row %1: %2").arg(r + 1).arg(error);
        seen.insert(key);
    }
    return {};
}

} // namespace cpc::ui
