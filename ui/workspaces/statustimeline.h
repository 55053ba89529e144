#pragma once

#include "statestore.h"

#include <QWidget>

namespace cpc::ui {

/// The status history of one workspace: a strip from the oldest recorded sample to now, one
/// segment per state (colour plus a hatch for unknown), and the latest transitions as lines
/// with time, badge shape, state and detail.
class StatusTimeline : public QWidget
{
    Q_OBJECT

public:
    explicit StatusTimeline(QWidget *parent = nullptr);

    /// Samples in any order; the newest kMaxLines are listed.
    void setSamples(QList<StatusSample> samples);
    const QList<StatusSample> &samples() const { return m_samples; }
    /// One line per listed transition, as drawn ("12:03:10  running  …"), for tests and a11y.
    QStringList lines() const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

    static constexpr int kMaxLines = 8;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    int stripHeight() const;
    QList<StatusSample> m_samples; ///< oldest first
};

} // namespace cpc::ui
