#pragma once

#include <QStringList>
#include <QWidget>

namespace cpc::ui {

/// The details pane's team activity: one line per entry ("10:02:13  alice@laptop-3  stop ok"),
/// newest first, each on one line and elided at the pane's width (the tooltip has them whole),
/// so a long host or error never reflows the pane. Text from teammates' machines is painted as
/// plain text.
class TeamActivityList : public QWidget
{
    Q_OBJECT
public:
    explicit TeamActivityList(QWidget *parent = nullptr);

    void setLines(const QStringList &lines);
    const QStringList &lines() const { return m_lines; }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    QStringList m_lines;
};

} // namespace cpc::ui
