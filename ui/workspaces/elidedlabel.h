#pragma once

#include <QLabel>

namespace cpc::ui {

/// A one-line label for a value that must not wrap mid-string (IDs, URLs): when the pane is
/// narrower than the value it is elided in the middle, keeping both ends that tell IDs apart,
/// and the whole value is in the tooltip. text() stays the whole value.
class ElidedLabel : public QLabel
{
    Q_OBJECT
public:
    explicit ElidedLabel(QWidget *parent = nullptr);

    /// What is painted now (elided or whole).
    QString shownText() const;
    bool isElided() const { return shownText() != text(); }

    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;
};

} // namespace cpc::ui
