#pragma once

#include "warningbanner.h"

#include <QDateTime>

class QLabel;
class QPushButton;

namespace cpc::ui {

/// The banner across the top while the team state cannot be reached: the console works on
/// its local outbox, says how many entries are not yet shared and that they are uploaded when
/// the team database answers again, gives the reason as a tooltip, and offers "Retry now".
/// Hidden while the team database answers (the status bar says "team state: shared" then).
class TeamBanner : public WarningBanner
{
    Q_OBJECT
public:
    explicit TeamBanner(QWidget *parent = nullptr);

    /// `unshared`: entries written locally and not uploaded yet.
    void setUnreachable(const QString &problem, int unshared);
    void setShared();
    QString text() const;

Q_SIGNALS:
    void retryRequested();

private:
    QLabel *m_text;
    QPushButton *m_retry;
    QDateTime m_since;
};

} // namespace cpc::ui
