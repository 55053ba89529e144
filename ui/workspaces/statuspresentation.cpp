#include "statuspresentation.h"

#include <QCoreApplication>

#include <QFontMetrics>
#include <QPainter>
#include <QPainterPath>
#include <QPalette>

namespace cpc::ui {

Badge badgeFor(RunState state)
{
    switch (state) {
    case RunState::Running:
        return { Badge::Shape::Running, runStateLabel(state), colors::running, Qt::white };
    case RunState::NotRunning:
        return { Badge::Shape::Stopped, runStateLabel(state), colors::stopped, Qt::white };
    case RunState::Unknown:
        return { Badge::Shape::Unknown, runStateLabel(state), colors::unknown, Qt::white };
    }
    return {};
}

Badge badgeFor(const LiveStatus &s, bool hasInstance)
{
    if (s.busy) {
        const QString label = s.busyLabel.isEmpty()
            ? QCoreApplication::translate("StatusPresentation", "working")
            : s.busyLabel;
        // A teammate's marker carries its own ellipsis: "stopping… by alice".
        return { Badge::Shape::Busy, label.contains(QChar(0x2026)) ? label : label + QChar(0x2026),
                 colors::busy, Qt::white };
    }
    if (!s.checked)
        return { Badge::Shape::Unchecked,
                 QCoreApplication::translate("StatusPresentation", "checking") + QChar(0x2026),
                 {},
                 {} };
    if (s.state == RunState::NotRunning && !hasInstance)
        return { Badge::Shape::NoInstance,
                 QCoreApplication::translate("StatusPresentation", "not running"),
                 {},
                 {} };
    return badgeFor(s.state);
}

bool isStarting(const LiveStatus &s, bool hasInstance, const QString &dbStatus)
{
    // Only a definite "not running" of an instance: unknown stays unknown, and a busy row
    // says what the console is doing.
    if (s.busy || !s.checked || s.state != RunState::NotRunning || !hasInstance)
        return false;
    static const QStringList comingUp { QStringLiteral("pending"), QStringLiteral("starting"),
                                        QStringLiteral("provisioning"), QStringLiteral("booting") };
    if (!s.cpState.isEmpty())
        return comingUp.contains(s.cpState.toLower());
    return comingUp.contains(dbStatus.toLower());
}

Badge badgeFor(const LiveStatus &s, bool hasInstance, const QString &dbStatus)
{
    if (isStarting(s, hasInstance, dbStatus))
        return { Badge::Shape::Starting,
                 QCoreApplication::translate("StatusPresentation", "starting") + QChar(0x2026),
                 colors::starting, Qt::white };
    return badgeFor(s, hasInstance);
}

QString shortAge(const QDateTime &since, const QDateTime &now)
{
    const qint64 s = std::max<qint64>(0, since.secsTo(now));
    if (s < 1)
        return QCoreApplication::translate("StatusPresentation", "now");
    if (s < 60)
        return QCoreApplication::translate("StatusPresentation", "%1 s").arg(s);
    if (s < 3600)
        return QCoreApplication::translate("StatusPresentation", "%1 min").arg(s / 60);
    if (s < 86400) {
        const qint64 m = (s % 3600) / 60;
        return m
            ? QCoreApplication::translate("StatusPresentation", "%1 h %2 min").arg(s / 3600).arg(m)
            : QCoreApplication::translate("StatusPresentation", "%1 h").arg(s / 3600);
    }
    return QCoreApplication::translate("StatusPresentation", "%1 d").arg(s / 86400);
}

QString agoText(const QDateTime &since, const QDateTime &now)
{
    if (!since.isValid())
        return QCoreApplication::translate("StatusPresentation", "never");
    const QString a = shortAge(since, now);
    return a == QCoreApplication::translate("StatusPresentation", "now")
        ? QCoreApplication::translate("StatusPresentation", "just now")
        : a + QCoreApplication::translate("StatusPresentation", " ago");
}

QString liveDetailText(const LiveStatus &s, bool hasInstance, const QDateTime &now)
{
    if (s.busy)
        return {};
    if (!s.checked)
        return hasInstance
            ? QString()
            : QCoreApplication::translate("StatusPresentation", "no instance on file");
    if (s.state == RunState::Unknown) {
        QString t = s.reason.isEmpty()
            ? QCoreApplication::translate("StatusPresentation", "no answer")
            : s.reason;
        // The last definite answer and its age; with none, the reason alone (the tooltip and
        // the details pane say "never confirmed").
        if (s.confirmedAt.isValid())
            t += QCoreApplication::translate("StatusPresentation", " · last %1 %2")
                     .arg(runStateLabel(s.lastKnown), agoText(s.confirmedAt, now));
        return t;
    }
    if (!hasInstance && s.state == RunState::NotRunning)
        return QCoreApplication::translate("StatusPresentation", "no instance on file");
    // "pending", "stopping", "failed" say more than "not running" alone.
    if (s.state == RunState::NotRunning && !s.cpState.isEmpty())
        return QStringLiteral("%1 · %2").arg(s.cpState, agoText(s.confirmedAt, now));
    return agoText(s.confirmedAt, now);
}

QString liveSentence(const LiveStatus &s, bool hasInstance, const QDateTime &now)
{
    if (s.busy)
        return QCoreApplication::translate("StatusPresentation",
                                           "%1: waiting for the control plane to answer")
            .arg(badgeFor(s, hasInstance).text);
    if (!s.checked)
        return hasInstance ? QCoreApplication::translate(
                   "StatusPresentation",
                   "Not checked yet: the status is being asked from the control plane.")
                           : QCoreApplication::translate(
                               "StatusPresentation",
                               "No instance ID on file: nothing is running for this workspace.");
    if (s.state == RunState::Unknown) {
        QString t = QCoreApplication::translate("StatusPresentation", "Unknown: %1 (asked %2).")
                        .arg(s.reason.isEmpty() ? QCoreApplication::translate("StatusPresentation",
                                                                              "no usable answer")
                                                : s.reason,
                             agoText(s.checkedAt, now));
        if (s.confirmedAt.isValid())
            t += QCoreApplication::translate("StatusPresentation", " Last confirmed %1 %2.")
                     .arg(runStateLabel(s.lastKnown), agoText(s.confirmedAt, now));
        else
            t += QCoreApplication::translate("StatusPresentation",
                                             " Never confirmed since the console started.");
        return t;
    }
    QString t
        = QCoreApplication::translate("StatusPresentation", "%1, confirmed by the control plane %2")
              .arg(runStateLabel(s.state), agoText(s.confirmedAt, now));
    t[0] = t[0].toUpper();
    if (!s.cpState.isEmpty() && s.cpState != QLatin1String("running"))
        t += QCoreApplication::translate("StatusPresentation", " (CP state \"%1\")").arg(s.cpState);
    if (!hasInstance && s.state == RunState::NotRunning)
        t = QCoreApplication::translate("StatusPresentation",
                                        "Not running: no instance ID on file");
    return t + u'.';
}

namespace {
constexpr int kPadX = 6;
constexpr int kGap = 4;
} // namespace

int badgeWidth(const QFontMetrics &fm, const Badge &badge)
{
    const int h = fm.height();
    return kPadX + h + kGap + fm.horizontalAdvance(badge.text) + kPadX;
}

void paintBadgeShape(QPainter *p, const QRectF &r, Badge::Shape shape, const QColor &fg,
                     const QColor &bg)
{
    p->save();
    p->setRenderHint(QPainter::Antialiasing);
    const qreal pen = std::max<qreal>(1.2, r.width() / 9);
    const QRectF c = r.adjusted(pen / 2, pen / 2, -pen / 2, -pen / 2);
    switch (shape) {
    case Badge::Shape::Running: {
        p->setPen(Qt::NoPen);
        p->setBrush(fg);
        p->drawEllipse(c);
        QPainterPath tick;
        tick.moveTo(c.left() + c.width() * 0.27, c.top() + c.height() * 0.52);
        tick.lineTo(c.left() + c.width() * 0.44, c.top() + c.height() * 0.69);
        tick.lineTo(c.left() + c.width() * 0.74, c.top() + c.height() * 0.34);
        p->setPen(QPen(bg, pen, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
        p->setBrush(Qt::NoBrush);
        p->drawPath(tick);
        break;
    }
    case Badge::Shape::Stopped: {
        p->setPen(Qt::NoPen);
        p->setBrush(fg);
        const QRectF sq
            = c.adjusted(c.width() * 0.1, c.height() * 0.1, -c.width() * 0.1, -c.height() * 0.1);
        p->drawRoundedRect(sq, 1.5, 1.5);
        break;
    }
    case Badge::Shape::NoInstance: {
        p->setPen(QPen(fg, pen));
        p->setBrush(Qt::NoBrush);
        const QRectF sq = c.adjusted(c.width() * 0.12, c.height() * 0.12, -c.width() * 0.12,
                                     -c.height() * 0.12);
        p->drawRoundedRect(sq, 1.5, 1.5);
        break;
    }
    case Badge::Shape::Unknown: {
        p->setPen(Qt::NoPen);
        p->setBrush(fg);
        p->drawEllipse(c);
        QFont f = p->font();
        f.setBold(true);
        f.setPixelSize(std::max(6, int(c.height() * 0.8)));
        p->setFont(f);
        p->setPen(bg);
        p->drawText(c, Qt::AlignCenter, QStringLiteral("?"));
        break;
    }
    case Badge::Shape::Busy: {
        p->setPen(Qt::NoPen);
        p->setBrush(fg);
        p->drawEllipse(c);
        p->setBrush(bg);
        const qreal d = c.width() * 0.16;
        for (int i = -1; i <= 1; ++i)
            p->drawEllipse(QPointF(c.center().x() + i * c.width() * 0.25, c.center().y()), d / 1.2,
                           d / 1.2);
        break;
    }
    case Badge::Shape::Starting: {
        p->setPen(QPen(fg, pen));
        p->setBrush(Qt::NoBrush);
        p->drawEllipse(c);
        // The lower half filled, as a level rising: distinct from the square of "not running".
        p->setPen(Qt::NoPen);
        p->setBrush(fg);
        p->drawChord(c.adjusted(pen, pen, -pen, -pen), 180 * 16, 180 * 16);
        break;
    }
    case Badge::Shape::Unchecked: {
        QPen dotted(fg, pen, Qt::DotLine);
        p->setPen(dotted);
        p->setBrush(Qt::NoBrush);
        p->drawEllipse(c);
        break;
    }
    }
    p->restore();
}

int paintBadge(QPainter *p, const QRect &rect, const Badge &badge, const QPalette &pal)
{
    const QFontMetrics fm = p->fontMetrics();
    const int h = std::min(rect.height() - 2, fm.height() + 4);
    const int w = std::min(rect.width(), badgeWidth(fm, badge));
    const QRect box(rect.left(), rect.top() + (rect.height() - h) / 2, w, h);
    const QColor text = badge.textColor.isValid() ? badge.textColor : pal.color(QPalette::Text);

    p->save();
    p->setRenderHint(QPainter::Antialiasing);
    if (badge.fill.isValid()) {
        p->setPen(Qt::NoPen);
        p->setBrush(badge.fill);
    } else {
        p->setPen(QPen(pal.color(QPalette::Mid), 1));
        p->setBrush(Qt::NoBrush);
    }
    p->drawRoundedRect(QRectF(box).adjusted(0.5, 0.5, -0.5, -0.5), h / 2.0, h / 2.0);
    const int icon = h - 6;
    const QRectF iconRect(box.left() + kPadX - 1, box.top() + 3, icon, icon);
    const QColor iconBg = badge.fill.isValid() ? badge.fill : pal.color(QPalette::Base);
    paintBadgeShape(p, iconRect, badge.shape, text, iconBg);
    p->setPen(text);
    const QRect textRect(int(iconRect.right()) + kGap, box.top(),
                         box.right() - int(iconRect.right()) - kGap - kPadX + 2, box.height());
    p->drawText(textRect, Qt::AlignVCenter | Qt::AlignLeft,
                fm.elidedText(badge.text, Qt::ElideRight, textRect.width()));
    p->restore();
    return w;
}

} // namespace cpc::ui
