#pragma once

#include <QFrame>

class QLabel;

namespace cpc::ui {

/// What every warning banner of the console shares (the CP banner, the journal banner, the
/// setup notice, the provision dialog's replace choice): a panel in the warning colour with
/// black text, legible on light and dark palettes, hidden until there is something to say.
/// Each banner lays out its own rows with the parts made here.
class WarningBanner : public QFrame
{
    Q_OBJECT
public:
    WarningBanner(const QString &objectName, QWidget *parent);

    /// The warning icon, in the banner's colours.
    QLabel *makeIcon();
    /// A word-wrapped message the engineer can select and copy.
    QLabel *makeText(const QString &objectName,
                     Qt::TextInteractionFlags flags = Qt::TextSelectableByMouse);
};

} // namespace cpc::ui
