#include "errordisclosure.h"

#include "termtext.h"

#include <QFontDatabase>
#include <QPlainTextEdit>
#include <QToolButton>
#include <QVBoxLayout>

namespace cpc::ui {

ErrorDisclosure::ErrorDisclosure(QWidget *parent)
    : QWidget(parent)
{
    auto *v = new QVBoxLayout(this);
    v->setContentsMargins(0, 0, 0, 0);
    v->setSpacing(2);
    m_toggle = new QToolButton(this);
    m_toggle->setObjectName(QStringLiteral("actionErrorDetailsToggle"));
    m_toggle->setText(tr("Details"));
    // Not checkable: a checked tool button is drawn pressed in the light button colour, and the
    // white text it takes from the error strip would not be legible on it. The arrow says it.
    m_toggle->setAutoRaise(true);
    m_toggle->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_toggle->setArrowType(Qt::RightArrow);
    m_toggle->setToolTip(tr("Show the full text of the answer, without its markup"));
    v->addWidget(m_toggle, 0, Qt::AlignLeft);
    m_text = new QPlainTextEdit(this);
    m_text->setObjectName(QStringLiteral("actionErrorDetails"));
    m_text->setReadOnly(true);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_text->setMaximumHeight(140);
    m_text->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff); // the text wraps
    // The box keeps the application's colours: text on the error red would be hard to read.
    m_text->setPalette(parent ? parent->window()->palette() : QPalette());
    m_text->setAccessibleName(tr("Error details"));
    m_text->hide();
    v->addWidget(m_text);
    connect(m_toggle, &QToolButton::clicked, this, [this] { setOpen(!m_open); });
    hide();
}

void ErrorDisclosure::setDetails(const QString &details, const QString &message)
{
    m_details = details.trimmed();
    setOpen(false);
    // The core gives the text sanitized; escaping again costs nothing and keeps an override or
    // an escape sequence from any other caller out of the widget.
    m_text->setPlainText(termtext::sanitizeMultiline(m_details));
    setVisible(!m_details.isEmpty() && !message.contains(m_details));
}

void ErrorDisclosure::setOpen(bool open)
{
    m_open = open;
    m_toggle->setArrowType(open ? Qt::DownArrow : Qt::RightArrow);
    m_toggle->setAccessibleDescription(open ? tr("expanded") : tr("collapsed"));
    m_text->setVisible(open);
}

} // namespace cpc::ui
