#pragma once

#include <QDateTime>
#include <QFrame>

class QLabel;
class QPushButton;

namespace cpc::ui {

/// The banner across the top when the control plane itself cannot be reached: says so, why,
/// since when, that every status now shows as unknown with its last confirmed state, and
/// offers "Retry now".
class CpBanner : public QFrame
{
    Q_OBJECT
public:
    explicit CpBanner(QWidget *parent = nullptr);

    void setUnreachable(const QString &reason);
    void setReachable();
    void setRetrying();
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
    QDateTime m_since;
    bool m_retrying = false;
};

} // namespace cpc::ui
