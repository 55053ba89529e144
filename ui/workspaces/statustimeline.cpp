#include "statustimeline.h"

#include "statuspresentation.h"

#include <QPainter>

#include <algorithm>

namespace cpc::ui {

StatusTimeline::StatusTimeline(QWidget *parent)
    : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    setAccessibleName(tr("Status history"));
}

void StatusTimeline::setSamples(QList<StatusSample> samples)
{
    std::stable_sort(samples.begin(), samples.end(),
                     [](const StatusSample &a, const StatusSample &b) { return a.at < b.at; });
    m_samples = std::move(samples);
    setToolTip(m_samples.isEmpty() ? QString() : lines().join(u'\n'));
    updateGeometry();
    update();
}

QStringList StatusTimeline::lines() const
{
    QStringList out;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (int i = int(m_samples.size()) - 1; i >= 0 && out.size() < kMaxLines; --i) {
        const StatusSample &s = m_samples[i];
        const QDateTime local = s.at.toLocalTime();
        const QString when = local.date() == QDate::currentDate()
            ? local.toString(QStringLiteral("HH:mm:ss"))
            : local.toString(QStringLiteral("MMM d HH:mm"));
        QString line = QStringLiteral("%1  %2").arg(when, runStateLabel(s.state));
        if (!s.detail.isEmpty())
            line += QStringLiteral("  ") + s.detail;
        Q_UNUSED(now);
        out << line;
    }
    return out;
}

int StatusTimeline::stripHeight() const
{
    return fontMetrics().height();
}

QSize StatusTimeline::sizeHint() const
{
    const int lh = fontMetrics().height() + 2;
    const int n = m_samples.isEmpty() ? 1 : std::min<int>(kMaxLines, int(m_samples.size()));
    return { 280, stripHeight() + lh + 6 + n * lh };
}

QSize StatusTimeline::minimumSizeHint() const
{
    return { 160, sizeHint().height() };
}

void StatusTimeline::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    const QPalette &pal = palette();
    const QFontMetrics fm = fontMetrics();
    const int lh = fm.height() + 2;
    const QRect strip(0, 0, width() - 1, stripHeight());

    if (m_samples.isEmpty()) {
        p.setPen(QPen(pal.color(QPalette::Mid), 1, Qt::DashLine));
        p.drawRect(strip);
        p.setPen(pal.color(QPalette::PlaceholderText));
        p.drawText(QRect(0, strip.bottom() + 4, width(), lh), Qt::AlignLeft | Qt::AlignVCenter,
                   tr("No status changes recorded yet."));
        return;
    }

    const QDateTime now = QDateTime::currentDateTimeUtc();
    const qint64 t0 = m_samples.first().at.toMSecsSinceEpoch();
    const qint64 t1 = std::max(now.toMSecsSinceEpoch(), t0 + 1000);
    const double scale = double(strip.width()) / double(t1 - t0);
    for (int i = 0; i < m_samples.size(); ++i) {
        const qint64 a = m_samples[i].at.toMSecsSinceEpoch();
        const qint64 b = i + 1 < m_samples.size() ? m_samples[i + 1].at.toMSecsSinceEpoch() : t1;
        const int x0 = strip.left() + int((a - t0) * scale);
        const int x1 = std::max(x0 + 2, strip.left() + int((b - t0) * scale));
        const QRect seg(x0, strip.top(), x1 - x0, strip.height());
        const Badge badge = badgeFor(m_samples[i].state);
        p.fillRect(seg, badge.fill);
        if (m_samples[i].state == RunState::Unknown)
            p.fillRect(seg, QBrush(Qt::white, Qt::BDiagPattern)); // not colour alone
    }
    p.setPen(pal.color(QPalette::Mid));
    p.setBrush(Qt::NoBrush);
    p.drawRect(strip);

    // Scale labels: the first sample's time on the left, "now" on the right.
    QFont small = font();
    small.setPointSizeF(std::max(6.0, small.pointSizeF() * 0.85));
    p.setFont(small);
    p.setPen(pal.color(QPalette::PlaceholderText));
    const QRect scaleRow(0, strip.bottom() + 1, width(), lh);
    p.drawText(scaleRow, Qt::AlignLeft | Qt::AlignVCenter,
               m_samples.first().at.toLocalTime().toString(QStringLiteral("MMM d HH:mm")));
    p.drawText(scaleRow, Qt::AlignRight | Qt::AlignVCenter, tr("now"));
    p.setFont(font());

    int y = scaleRow.bottom() + 4;
    const int timeW = fm.horizontalAdvance(QStringLiteral("MMM 00 00:00:00"));
    const QStringList text = lines();
    for (int i = int(m_samples.size()) - 1, n = 0; i >= 0 && n < kMaxLines; --i, ++n) {
        const StatusSample &s = m_samples[i];
        const QString &line = text[n];
        const QString when = line.section(QStringLiteral("  "), 0, 0);
        p.setPen(pal.color(QPalette::Text));
        p.drawText(QRect(0, y, timeW, lh), Qt::AlignLeft | Qt::AlignVCenter, when);
        const Badge badge = badgeFor(s.state);
        const QRect badgeRect(timeW + 4, y, width() - timeW - 4, lh);
        const int used = paintBadge(&p, badgeRect, badge, pal);
        if (!s.detail.isEmpty()) {
            p.setPen(pal.color(QPalette::PlaceholderText));
            const QRect dr(badgeRect.left() + used + 6, y, width() - badgeRect.left() - used - 6,
                           lh);
            p.drawText(dr, Qt::AlignLeft | Qt::AlignVCenter,
                       fm.elidedText(s.detail, Qt::ElideRight, dr.width()));
        }
        y += lh;
    }
}

} // namespace cpc::ui
