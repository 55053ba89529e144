#pragma once

#include "workspace.h"

#include <QColor>
#include <QDateTime>
#include <QString>

class QFontMetrics;
class QPainter;
class QPalette;
class QRect;
class QRectF;

namespace cpc::ui {

/// How a live status is shown: the same text, shape and colours in the list, the details pane,
/// the history and the notifications. Colour is never the only cue: every badge has a shape
/// and a word, and "unknown" has its own grey "?" that looks like neither running nor stopped.
struct Badge
{
    enum class Shape {
        Running, ///< filled disc with a tick
        Stopped, ///< filled square
        NoInstance, ///< hollow square
        Unknown, ///< disc with "?"
        Busy, ///< disc with an ellipsis
        Unchecked, ///< dotted ring
        Starting, ///< ring with a filled arc rising from the bottom: on its way up
    };
    Shape shape = Shape::Unchecked;
    QString text; ///< "running", "not running", "unknown", "stopping…", "checking…", "starting…"
    QColor fill; ///< invalid: no fill (outline in the palette's colours)
    QColor textColor; ///< invalid: the palette's text colour
};

Badge badgeFor(const LiveStatus &status, bool hasInstance);
/// With the row's database status: an instance that is not running yet because it is still
/// coming up (the CP says pending, or the row is provisioning and the CP names no other state)
/// is "starting…", not the "not running" of a failed or stopped one.
Badge badgeFor(const LiveStatus &status, bool hasInstance, const QString &dbStatus);
bool isStarting(const LiveStatus &status, bool hasInstance, const QString &dbStatus);
Badge badgeFor(RunState state); ///< for the history: no busy, no "no instance"

/// "now", "12 s", "3 min", "2 h 5 min", "4 d"
QString shortAge(const QDateTime &since, const QDateTime &now);
/// "12 s ago", or "never" for an invalid time.
QString agoText(const QDateTime &since, const QDateTime &now);

/// The words beside the badge in the list: "confirmed 12 s ago", or for unknown
/// "CP unreachable · last running 3 min ago".
QString liveDetailText(const LiveStatus &status, bool hasInstance, const QDateTime &now);
/// One sentence for tooltips, notifications and the details pane.
QString liveSentence(const LiveStatus &status, bool hasInstance, const QDateTime &now);

/// Paints the badge (icon + text) left-aligned in rect; returns the width used.
int paintBadge(QPainter *painter, const QRect &rect, const Badge &badge, const QPalette &palette);
/// Width the badge needs with the painter's font.
int badgeWidth(const QFontMetrics &fm, const Badge &badge);
/// Just the shape, in a square, for icons and the history timeline.
void paintBadgeShape(QPainter *painter, const QRectF &rect, Badge::Shape shape, const QColor &fg,
                     const QColor &bg);

/// Semantic colours that read on both light and dark palettes (text colour chosen with them).
namespace colors {
inline const QColor running { 0x2e, 0x7d, 0x32 };
inline const QColor stopped { 0xc6, 0x28, 0x28 };
inline const QColor unknown { 0x6b, 0x6b, 0x6b };
inline const QColor busy { 0x15, 0x65, 0xc0 };
inline const QColor starting { 0x00, 0x69, 0x7c }; ///< teal, with white text
inline const QColor production { 0xb7, 0x1c, 0x1c };
inline const QColor demo { 0x15, 0x65, 0xc0 };
inline const QColor readOnly { 0xff, 0xc1, 0x07 }; ///< with black text
inline const QColor warning { 0xff, 0xe0, 0x82 }; ///< banners, with black text
inline const QColor error { 0xc6, 0x28, 0x28 };
} // namespace colors

} // namespace cpc::ui
