#include "setupnotice.h"

#include "session.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>

namespace cpc::ui {

SetupNotice::SetupNotice(QWidget *parent)
    : WarningBanner(QStringLiteral("setupNotice"), parent)
{
    auto *h = new QHBoxLayout(this);
    h->setContentsMargins(10, 6, 10, 6);
    m_text = makeText(QStringLiteral("setupText"));
    h->addWidget(m_text, 1);
    auto *open = new QPushButton(tr("Profiles…"), this);
    open->setPalette(parent ? parent->palette() : QPalette());
    connect(open, &QPushButton::clicked, this, &SetupNotice::profilesRequested);
    h->addWidget(open);
}

void SetupNotice::showSession(const Session *session)
{
    QStringList problems;
    if (session) {
        if (!session->configError().isEmpty())
            problems << tr("<b>Control plane not configured:</b> %1. Statuses, "
                           "consoles and actions are "
                           "unavailable.")
                            .arg(session->configError().toHtmlEscaped());
        if (!session->sourceError().isEmpty())
            problems
                << tr("<b>Workspace database:</b> %1").arg(session->sourceError().toHtmlEscaped());
        if (!session->stateError().isEmpty())
            problems << tr("<b>Local state:</b> %1").arg(session->stateError().toHtmlEscaped());
        if (!session->secretsNote().isEmpty())
            problems << tr("<b>Secrets:</b> %1").arg(session->secretsNote().toHtmlEscaped());
    }
    m_text->setText(problems.join(QStringLiteral("<br>")));
    setVisible(!problems.isEmpty());
}

} // namespace cpc::ui
