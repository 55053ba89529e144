#include "cpbanner.h"

#include "icons.h"
#include "statuspresentation.h"
#include "termtext.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>

namespace cpc::ui {

CpBanner::CpBanner(QWidget *parent)
    : WarningBanner(QStringLiteral("cpBanner"), parent)
{
    auto *h = new QHBoxLayout(this);
    h->setContentsMargins(10, 6, 10, 6);
    m_icon = makeIcon();
    h->addWidget(m_icon);
    m_text = makeText(QStringLiteral("cpBannerText"));
    h->addWidget(m_text, 1);
    m_retry = new QPushButton(tr("Retry now"), this);
    m_retry->setObjectName(QStringLiteral("retryNow"));
    m_retry->setToolTip(
        tr("Ask the control plane about every polled workspace now, ignoring backoff"));
    // The button keeps the application palette so it looks like every other button.
    m_retry->setPalette(parent ? parent->palette() : QPalette());
    connect(m_retry, &QPushButton::clicked, this, [this] {
        m_retrying = true;
        updateText();
        Q_EMIT retryRequested();
    });
    h->addWidget(m_retry);
}

void CpBanner::setUnreachable(const QString &reason, bool answered)
{
    if (isHidden() || !m_since.isValid())
        m_since = QDateTime::currentDateTimeUtc();
    m_reason = reason;
    m_answered = answered;
    m_retrying = false;
    updateText();
    show();
}

void CpBanner::setReachable()
{
    m_since = {};
    m_retrying = false;
    hide();
}

void CpBanner::setRetrying(bool retrying)
{
    if (m_retrying == retrying)
        return;
    m_retrying = retrying;
    if (!isHidden())
        updateText();
}

void CpBanner::refreshAge()
{
    if (!isHidden())
        updateText();
}

void CpBanner::updateText()
{
    const QString headline
        = m_answered ? tr("Control plane answering with errors") : tr("Control plane unreachable");
    QString t = tr("<b>%1</b> since %2 (%3): %4. "
                   "Statuses show as <b>unknown</b> with the last confirmed state.")
                    .arg(headline, m_since.toLocalTime().toString(QStringLiteral("HH:mm:ss")),
                         agoText(m_since, QDateTime::currentDateTimeUtc()),
                         termtext::sanitize(m_reason).toHtmlEscaped());
    if (m_retrying)
        t += tr(" <i>Retrying…</i>");
    m_text->setText(t);
}

QString CpBanner::text() const
{
    return m_text->text();
}

} // namespace cpc::ui
