#pragma once

#include "statuspresentation.h"

#include <QWidget>

namespace cpc::ui {

/// A status badge as a widget (details pane, dialogs): the same drawing as in the list.
class BadgeWidget : public QWidget
{
public:
    explicit BadgeWidget(QWidget *parent = nullptr);

    void setBadge(const Badge &badge);
    const Badge &badge() const { return m_badge; }
    QSize sizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    Badge m_badge;
};

} // namespace cpc::ui
