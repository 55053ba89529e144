#pragma once

#include <QDialog>

class QLabel;
class QLineEdit;
class QListWidget;

namespace cpc {
class WorkspaceModel;
}

namespace cpc::ui {

/// Ctrl+K: type part of a workspace's name, ID or instance ID (the list filter's matching),
/// Enter opens its console. ↑/↓ choose among the first matches; Esc closes. The list's own
/// filter is left alone.
class QuickOpen : public QDialog
{
    Q_OBJECT
public:
    static constexpr int kMaxShown = 50;

    QuickOpen(const WorkspaceModel *model, QWidget *parent = nullptr);

    QLineEdit *edit() const { return m_edit; }
    QListWidget *results() const { return m_results; }
    /// "3 matches", "No workspace matches “x”", …
    QString summary() const;

Q_SIGNALS:
    /// Enter (or a click) on a match.
    void chosen(const QString &workspaceId);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void search(const QString &text);
    void accept() override;

    const WorkspaceModel *m_model;
    QLineEdit *m_edit;
    QListWidget *m_results;
    QLabel *m_summary;
};

} // namespace cpc::ui
