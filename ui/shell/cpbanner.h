#pragma once

#include "warningbanner.h"
#include <QDateTime>

class QLabel;
class QPushButton;

namespace cpc::ui {

/// The banner across the top when the control plane itself cannot be reached: says so, why
/// (the latest error: a CP that comes back answering 404 is not "connection refused" any more),
/// since when, that every status now shows as unknown with its last confirmed state, and
/// offers "Retry now".
class CpBanner : public WarningBanner
{
    Q_OBJECT
public:
    explicit CpBanner(QWidget *parent = nullptr);

    /// `answered`: the CP answers, with errors, rather than not at all. The time since the
    /// banner appeared is kept; "Retrying…" ends.
    void setUnreachable(const QString &reason, bool answered = false);
    void setReachable();
    void setRetrying(bool retrying = true);
    bool isRetrying() const { return m_retrying; }
    QString text() const;
    QPushButton *retryButton() const { return m_retry; }
    void refreshAge();

Q_SIGNALS:
    void retryRequested();

private:
    void updateText();

    QLabel *m_icon;
    QLabel *m_text;
    QPushButton *m_retry;
    QString m_reason;
    bool m_answered = false;
    QDateTime m_since;
    bool m_retrying = false;
};

} // namespace cpc::ui
