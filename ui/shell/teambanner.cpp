#include "teambanner.h"

#include "termtext.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>

namespace cpc::ui {

TeamBanner::TeamBanner(QWidget *parent)
    : WarningBanner(QStringLiteral("teamBanner"), parent)
{
    auto *h = new QHBoxLayout(this);
    h->setContentsMargins(10, 6, 10, 6);
    h->addWidget(makeIcon());
    m_text = makeText(QStringLiteral("teamBannerText"));
    h->addWidget(m_text, 1);
    m_retry = new QPushButton(tr("Retry now"), this);
    m_retry->setObjectName(QStringLiteral("teamRetryNow"));
    m_retry->setToolTip(tr("Try the team database again now"));
    m_retry->setPalette(parent ? parent->palette() : QPalette());
    connect(m_retry, &QPushButton::clicked, this, &TeamBanner::retryRequested);
    h->addWidget(m_retry);
}

void TeamBanner::setUnreachable(const QString &problem, int unshared)
{
    if (isHidden() || !m_since.isValid())
        m_since = QDateTime::currentDateTimeUtc();
    // Calm: nothing is lost, the work goes on; only the teammates do not see it yet.
    const QString pending = unshared == 0 ? tr("nothing waiting to be shared")
        : unshared == 1                   ? tr("1 entry not yet shared")
                                          : tr("%1 entries not yet shared").arg(unshared);
    m_text->setText(tr("<b>Team state unreachable</b> since %1 — working locally, %2. They are "
                       "uploaded when the team database answers again.")
                        .arg(m_since.toLocalTime().toString(QStringLiteral("HH:mm:ss")), pending));
    const QString why = termtext::sanitize(problem);
    m_text->setToolTip(why);
    setToolTip(why);
    show();
}

void TeamBanner::setShared()
{
    m_since = {};
    hide();
}

QString TeamBanner::text() const
{
    return m_text->text();
}

} // namespace cpc::ui
