#include "modeband.h"

#include "session.h"
#include "statuspresentation.h"

#include <QHBoxLayout>
#include <QLabel>

namespace cpc::ui {

ModeBand::ModeBand(QWidget *parent)
    : QFrame(parent)
{
    setObjectName(QStringLiteral("modeBand"));
    setAutoFillBackground(true);
    auto *h = new QHBoxLayout(this);
    h->setContentsMargins(10, 3, 10, 3);
    m_label = new QLabel(this);
    m_label->setObjectName(QStringLiteral("modeBandText"));
    QFont f = m_label->font();
    f.setBold(true);
    m_label->setFont(f);
    h->addWidget(m_label, 1);
    m_readOnly = new QLabel(tr("  READ-ONLY  "), this);
    m_readOnly->setObjectName(QStringLiteral("modeBandReadOnly"));
    m_readOnly->setFont(f);
    m_readOnly->setAutoFillBackground(true);
    QPalette rp = m_readOnly->palette();
    rp.setColor(QPalette::Window, colors::readOnly);
    rp.setColor(QPalette::WindowText, Qt::black);
    m_readOnly->setPalette(rp);
    m_readOnly->setFrameShape(QFrame::Box);
    h->addWidget(m_readOnly);
    hide();
}

void ModeBand::setMode(bool production, bool demo, const QString &profile, const QString &detail,
                       bool readOnly, const QString &readOnlyWhy)
{
    QPalette p = palette();
    QString text;
    if (production) {
        text = tr("PRODUCTION — %1").arg(profile.isEmpty() ? tr("(environment)") : profile);
        p.setColor(QPalette::Window, colors::production);
        p.setColor(QPalette::WindowText, Qt::white);
    } else if (demo) {
        text = tr("DEMO — ") + detail;
        p.setColor(QPalette::Window, colors::demo);
        p.setColor(QPalette::WindowText, Qt::white);
    } else if (readOnly) {
        text = tr("Writes are off: ") + readOnlyWhy;
        p = QPalette();
        p.setColor(QPalette::Window, colors::warning);
        p.setColor(QPalette::WindowText, Qt::black);
    }
    if (production && !detail.isEmpty())
        text += QStringLiteral("  ·  ") + detail;
    setPalette(p);
    m_label->setText(text);
    m_readOnly->setVisible(readOnly);
    m_readOnly->setToolTip(readOnlyWhy);
    setVisible(production || demo || readOnly);
}

QString ModeBand::text() const
{
    return m_label->text() + (showsReadOnly() ? QStringLiteral(" READ-ONLY") : QString());
}

bool ModeBand::showsReadOnly() const
{
    return !m_readOnly->isHidden();
}

void ModeBand::showSession(const Session *session, int workspaceCount)
{
    if (!session) {
        setMode(false, false, {}, {}, false, {});
        return;
    }
    Operations *ops = session->operations();
    const bool ro = ops && ops->session().readOnly;
    QString detail;
    if (session->isDemo()) {
        detail = tr("built-in CP simulator at %1 with %2 generated workspaces; nothing "
                    "real is touched")
                     .arg(session->config().baseUrl.toString())
                     .arg(workspaceCount);
    } else if (session->isProduction()) {
        detail = tr("org %1 · %2").arg(session->config().orgId, session->config().baseUrl.host());
    }
    setMode(session->isProduction(), session->isDemo(), session->profileName(), detail, ro,
            ro ? ops->writesRefusedReason() : QString());
}

} // namespace cpc::ui
