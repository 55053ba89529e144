#include "consolefindbar.h"

#include "icons.h"

#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QToolButton>

namespace cpc::ui {

ConsoleFindBar::ConsoleFindBar(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("consoleFindBar"));
    auto *h = new QHBoxLayout(this);
    h->setContentsMargins(4, 2, 4, 2);
    h->setSpacing(4);

    m_edit = new QLineEdit(this);
    m_edit->setObjectName(QStringLiteral("consoleFindField"));
    m_edit->setPlaceholderText(tr("Find in console"));
    m_edit->setClearButtonEnabled(true);
    m_edit->setAccessibleName(tr("Find in console"));
    m_edit->installEventFilter(this);
    m_edit->setMinimumWidth(220);
    h->addWidget(m_edit, 2);

    auto toggle = [this](const QString &text, const QString &name, const QString &tip) {
        auto *b = new QToolButton(this);
        b->setText(text);
        b->setObjectName(name);
        b->setCheckable(true);
        b->setToolTip(tip);
        b->setAccessibleName(tip);
        b->setFocusPolicy(Qt::TabFocus);
        connect(b, &QToolButton::toggled, this, &ConsoleFindBar::queryChanged);
        return b;
    };
    m_case = toggle(tr("Aa"), QStringLiteral("consoleFindCase"), tr("Match case"));
    m_regex = toggle(QStringLiteral(".*"), QStringLiteral("consoleFindRegex"),
                     tr("Regular expression"));
    h->addWidget(m_case);
    h->addWidget(m_regex);

    auto button = [this](const QString &text, const QString &tip) {
        auto *b = new QToolButton(this);
        b->setText(text);
        b->setToolTip(tip);
        b->setAccessibleName(tip);
        b->setFocusPolicy(Qt::TabFocus);
        return b;
    };
    m_prev = button(QStringLiteral("▲"), tr("Previous match (Shift+Enter, Shift+F3)"));
    m_next = button(QStringLiteral("▼"), tr("Next match (Enter, F3)"));
    connect(m_prev, &QToolButton::clicked, this, &ConsoleFindBar::previousRequested);
    connect(m_next, &QToolButton::clicked, this, &ConsoleFindBar::nextRequested);
    h->addWidget(m_prev);
    h->addWidget(m_next);

    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("consoleFindStatus"));
    m_status->setMinimumWidth(90);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    h->addWidget(m_status, 3);

    m_close = new QToolButton(this);
    m_close->setIcon(icon(QStringLiteral("close"), this));
    m_close->setText(tr("Close"));
    m_close->setToolTip(tr("Close the find bar (Esc)"));
    m_close->setAutoRaise(true);
    m_close->setFocusPolicy(Qt::TabFocus);
    connect(m_close, &QToolButton::clicked, this, &ConsoleFindBar::closeRequested);
    h->addWidget(m_close);

    connect(m_edit, &QLineEdit::textChanged, this, &ConsoleFindBar::queryChanged);
    setFocusProxy(m_edit);
}

QString ConsoleFindBar::text() const
{
    return m_edit->text();
}

void ConsoleFindBar::setText(const QString &text)
{
    m_edit->setText(text);
}

bool ConsoleFindBar::caseSensitive() const
{
    return m_case->isChecked();
}

void ConsoleFindBar::setCaseSensitive(bool on)
{
    m_case->setChecked(on);
}

bool ConsoleFindBar::isRegex() const
{
    return m_regex->isChecked();
}

void ConsoleFindBar::setRegex(bool on)
{
    m_regex->setChecked(on);
}

void ConsoleFindBar::focusQuery()
{
    m_edit->setFocus(Qt::ShortcutFocusReason);
    m_edit->selectAll();
}

void ConsoleFindBar::showResult(int current, int total, bool capped)
{
    m_error = false;
    const QString more = capped ? QStringLiteral("+") : QString();
    if (total == 0)
        m_status->setText(tr("No matches"));
    else if (current < 0)
        m_status->setText(tr("%1%2 matches").arg(total).arg(more));
    else
        m_status->setText(tr("%1 of %2%3").arg(current + 1).arg(total).arg(more));
    setStatusError(false);
    setFieldState(total == 0);
    m_prev->setEnabled(total > 0);
    m_next->setEnabled(total > 0);
}

void ConsoleFindBar::showError(const QString &message)
{
    m_error = true;
    m_status->setText(tr("Invalid regular expression: %1").arg(message));
    setStatusError(true);
    setFieldState(true);
    m_prev->setEnabled(false);
    m_next->setEnabled(false);
}

void ConsoleFindBar::showIdle()
{
    m_error = false;
    m_status->clear();
    setStatusError(false);
    setFieldState(false);
    m_prev->setEnabled(false);
    m_next->setEnabled(false);
}

QString ConsoleFindBar::statusText() const
{
    return m_status->text();
}

void ConsoleFindBar::setStatusError(bool error)
{
    // Style sheets re-polish on every set; only touch them when the state changes.
    if (m_statusError == error)
        return;
    m_statusError = error;
    m_status->setStyleSheet(error ? QStringLiteral("color: #d0312d;") : QString());
}

void ConsoleFindBar::setFieldState(bool bad)
{
    if (m_fieldBad == bad)
        return;
    m_fieldBad = bad;
    m_edit->setStyleSheet(
        bad ? QStringLiteral("QLineEdit { border: 1px solid #d0312d; border-radius: 2px;"
                             " padding: 1px; }")
            : QString());
}

bool ConsoleFindBar::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_edit && event->type() == QEvent::KeyPress) {
        auto *ke = static_cast<QKeyEvent *>(event);
        switch (ke->key()) {
        case Qt::Key_Return:
        case Qt::Key_Enter:
            if (ke->modifiers() & Qt::ShiftModifier)
                Q_EMIT previousRequested();
            else
                Q_EMIT nextRequested();
            return true;
        case Qt::Key_Escape:
            Q_EMIT closeRequested();
            return true;
        default:
            break;
        }
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace cpc::ui
