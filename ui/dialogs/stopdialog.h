#pragma once

#include <QDialog>

class QLabel;
class QLineEdit;
class QPushButton;

namespace cpc::ui {

/// The confirmation before a stop: names the workspace, its ID and its instance ID, says what
/// will happen (or that there is nothing to stop when no instance is on file), and keeps the
/// red Stop button (property "destructive") disabled until the workspace's name is typed
/// exactly (its ID when it has no name).
class StopDialog : public QDialog
{
    Q_OBJECT

public:
    StopDialog(const QString &workspaceId, const QString &name, const QString &instanceId,
               bool production, const QString &profile, QWidget *parent = nullptr);

    /// What must be typed: the name, or the ID for an unnamed workspace.
    QString expected() const { return m_expected; }
    QLineEdit *confirmField() const { return m_confirm; }
    QPushButton *stopButton() const { return m_stop; }
    QString message() const;

private:
    QString m_expected;
    QLabel *m_text;
    QLineEdit *m_confirm;
    QPushButton *m_stop;
};

} // namespace cpc::ui
