#include "consolestatusbar.h"

#include "session.h"
#include "statuspresentation.h"
#include "termtext.h"
#include "workspacemodel.h"

#include <QLabel>
#include <QLocale>
#include <QProgressBar>

namespace cpc::ui {

ConsoleStatusBar::ConsoleStatusBar(QWidget *parent)
    : QStatusBar(parent)
{
    m_countsLabel = new QLabel(this);
    m_countsLabel->setObjectName(QStringLiteral("counts"));
    m_shownLabel = new QLabel(this);
    m_shownLabel->setObjectName(QStringLiteral("shown"));
    m_readOnlyLabel = new QLabel(tr(" READ-ONLY "), this);
    m_readOnlyLabel->setObjectName(QStringLiteral("readOnlyMarker"));
    m_readOnlyLabel->setAutoFillBackground(true);
    {
        QPalette p = m_readOnlyLabel->palette();
        p.setColor(QPalette::Window, colors::readOnly);
        p.setColor(QPalette::WindowText, Qt::black);
        m_readOnlyLabel->setPalette(p);
        QFont f = m_readOnlyLabel->font();
        f.setBold(true);
        m_readOnlyLabel->setFont(f);
    }
    m_readOnlyLabel->hide();
    m_teamLabel = new QLabel(this);
    m_teamLabel->setObjectName(QStringLiteral("teamStateLabel"));
    m_teamLabel->hide();
    m_cpLabel = new QLabel(this);
    m_cpLabel->setObjectName(QStringLiteral("cpLabel"));
    m_profileLabel = new QLabel(this);
    m_profileLabel->setObjectName(QStringLiteral("profileLabel"));
    m_loadingText = new QLabel(this);
    m_loadingText->setObjectName(QStringLiteral("loadingText"));
    m_loadingText->hide();
    m_loading = new QProgressBar(this);
    m_loading->setObjectName(QStringLiteral("loadingProgress"));
    m_loading->setMaximumWidth(160);
    m_loading->setTextVisible(false); // the label says it: a busy bar shows no text
    m_loading->hide();
    addWidget(m_loadingText);
    addWidget(m_loading);
    addWidget(m_countsLabel, 1);
    addPermanentWidget(m_shownLabel);
    addPermanentWidget(m_readOnlyLabel);
    addPermanentWidget(m_teamLabel);
    addPermanentWidget(m_cpLabel);
    addPermanentWidget(m_profileLabel);
}

void ConsoleStatusBar::showLoading(qint64 loaded, qint64 expected, bool refreshing)
{
    const QLocale locale;
    const QString what = refreshing ? tr("Refreshing workspaces") : tr("Loading workspaces");
    if (expected > 0) {
        // The range in thousandths: QProgressBar counts in int, a table may not fit.
        m_loading->setRange(0, 1000);
        m_loading->setValue(int(std::min<qint64>(1000, loaded * 1000 / expected)));
        m_loadingText->setText(
            tr("%1… %2 of %3").arg(what, locale.toString(loaded), locale.toString(expected)));
    } else {
        m_loading->setRange(0, 0); // busy: not counted yet, or the source could not count
        m_loadingText->setText(tr("%1… %2").arg(what, locale.toString(loaded)));
    }
    const QString tip = refreshing ? tr("The rows shown stay until the refresh is complete")
                                   : tr("Filter and sort work on the rows loaded so far");
    m_loading->setToolTip(tip);
    m_loadingText->setToolTip(tip);
    m_loadingText->show();
    m_loading->show();
}

void ConsoleStatusBar::hideLoading()
{
    m_loadingText->hide();
    m_loading->hide();
}

void ConsoleStatusBar::showCounts(const WorkspaceModel &model)
{
    const auto live = model.liveCounts();
    const int total = model.totalCount();
    const int running = live.value(RunState::Running);
    const int notRunning = live.value(RunState::NotRunning);
    const int unknown = live.value(RunState::Unknown);
    const int unchecked = std::max(0, total - running - notRunning - unknown);
    QString text = tr("%1 workspaces   ● %2 running   ■ %3 not running   ? %4 unknown")
                       .arg(total)
                       .arg(running)
                       .arg(notRunning)
                       .arg(unknown);
    if (unchecked > 0)
        text += tr("   ◌ %1 not checked").arg(unchecked);
    const auto db = model.statusCounts();
    QStringList parts;
    for (const QString &s : knownWorkspaceStatuses()) {
        if (db.value(s) > 0)
            parts << QStringLiteral("%1 %2").arg(s).arg(db.value(s));
    }
    for (auto it = db.cbegin(); it != db.cend(); ++it) {
        if (!knownWorkspaceStatuses().contains(it.key()) && it.value() > 0)
            parts << QStringLiteral("%1 %2")
                         .arg(it.key().isEmpty() ? QStringLiteral("(none)") : it.key())
                         .arg(it.value());
    }
    m_countsLabel->setText(text);
    m_countsLabel->setToolTip(tr("Live (polled on screen and pinned): running %1, not running %2, "
                                 "unknown %3, not checked %4\nDatabase status: %5")
                                  .arg(running)
                                  .arg(notRunning)
                                  .arg(unknown)
                                  .arg(unchecked)
                                  .arg(parts.join(QStringLiteral(", "))));
    const int shown = model.visibleCount();
    m_shownLabel->setText(shown == total ? tr("all %1 shown").arg(total)
                                         : tr("%1 of %2 shown").arg(shown).arg(total));
}

void ConsoleStatusBar::showSession(const Session &session)
{
    m_cpLabel->setText(tr("CP: ") + session.cpDescription());
    m_cpLabel->setToolTip(session.isDemo() ? tr("The built-in CP simulator, on loopback only")
                                           : tr("Org %1").arg(session.config().orgId));
    const QString profile
        = session.profileName().isEmpty() ? QStringLiteral("(environment)") : session.profileName();
    const QString org = termtext::sanitize(session.config().orgId);
    // The tenant in full: the window title shortens it.
    m_profileLabel->setText(session.isDemo()    ? QStringLiteral("demo")
                                : org.isEmpty() ? tr("Profile: %1 · no org ID").arg(profile)
                                                : tr("Profile: %1 · org %2").arg(profile, org));
    m_profileLabel->setToolTip(tr("Database: ") + session.sourceDescription());
}

void ConsoleStatusBar::setCpReachable(bool reachable, const QString &cpDescription)
{
    m_cpLabel->setText((reachable ? tr("CP: ") : tr("CP unreachable: ")) + cpDescription);
}

void ConsoleStatusBar::setReadOnly(bool readOnly, const QString &why)
{
    m_readOnlyLabel->setVisible(readOnly);
    m_readOnlyLabel->setToolTip(readOnly ? why : QString());
}

void ConsoleStatusBar::setTeamState(bool team, bool shared, int unshared, const QString &problem,
                                    const QString &location)
{
    m_teamLabel->setVisible(team);
    if (!team)
        return;
    QString text = shared ? tr("team state: shared") : tr("team state: unreachable");
    if (unshared > 0)
        text += tr(" · %1 not yet shared").arg(unshared);
    m_teamLabel->setText(text);
    const QString where = termtext::sanitize(location);
    m_teamLabel->setToolTip(
        shared ? tr("Every console of the team sees what this one does: %1").arg(where)
               : tr("%1\nWorking on the local state; entries are uploaded "
                    "when %2 answers again")
                     .arg(termtext::sanitize(problem), where));
}

} // namespace cpc::ui
