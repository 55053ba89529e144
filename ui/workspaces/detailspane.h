#pragma once

#include "statestore.h"
#include "workspace.h"

#include <QWidget>

class QAction;
class QFormLayout;
class QLabel;
class QStackedWidget;
class QToolButton;

namespace cpc::ui {

class BadgeWidget;
class ErrorDisclosure;
class StatusTimeline;
class TeamActivityList;

/// Everything about the selected workspace: its live status in words, every field of its row,
/// the instance ID with a copy button, the status history as a timeline, the last error (of
/// the row and of the last action taken here) and the actions, as buttons bound to the main
/// window's QActions so they are enabled, disabled and explained in one place.
class DetailsPane : public QWidget
{
    Q_OBJECT
public:
    explicit DetailsPane(QWidget *parent = nullptr);

    void setActions(const QList<QAction *> &actions);
    /// nullptr: the placeholder ("select a workspace").
    void showWorkspace(const std::optional<WorkspaceRow> &row, const LiveStatus &live, bool pinned);
    void updateLive(const LiveStatus &live);
    void setHistory(const QList<StatusSample> &samples);
    /// Team state: the workspace's recent activity by everyone, newest first (operations in
    /// flight, then the audit log). `team` false hides the section (a local state file).
    void setTeamActivity(bool team, const QStringList &lines);
    QStringList teamActivity() const;
    /// The last action's failure, shown until the next action or dismissed; empty hides it.
    /// `details`: the longer text behind the message (Error::details), behind a "Details"
    /// disclosure.
    void setActionError(const QString &message, const QString &details = {});
    QString actionError() const;
    /// Re-renders ages ("12 s ago") without touching anything else.
    void refreshAges();

    QString workspaceId() const { return m_row.id; }
    bool hasWorkspace() const { return !m_row.id.isEmpty(); }
    /// The value shown for a field label ("Instance ID"), for tests.
    QString fieldText(const QString &label) const;
    StatusTimeline *timeline() const { return m_timeline; }
    BadgeWidget *badge() const { return m_badge; }
    QString liveText() const;

Q_SIGNALS:
    void copied(const QString &what, const QString &value);
    void actionErrorDismissed();

protected:
    void changeEvent(QEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    QLabel *addField(const QString &label, bool copyable = false);
    void copy(const QString &what, const QString &value);
    void applyIcons();

    QStackedWidget *m_stack;
    QLabel *m_title;
    QLabel *m_subtitle;
    BadgeWidget *m_badge;
    QLabel *m_liveSentence;
    QWidget *m_errorBox;
    QLabel *m_errorText;
    ErrorDisclosure *m_errorDetails;
    QToolButton *m_errorClose;
    QWidget *m_actionsRow;
    QList<QWidget *> m_actionButtons;
    int m_actionColumns = 0;
    /// Two buttons per row where both fit whole, else one: no button is ever cut.
    void layoutActions();
    QFormLayout *m_form;
    QHash<QString, QLabel *> m_fields;
    QList<QToolButton *> m_copyButtons;
    QLabel *m_rowErrorLabel;
    StatusTimeline *m_timeline;
    QLabel *m_teamTitle;
    TeamActivityList *m_teamActivity;

    WorkspaceRow m_row;
    LiveStatus m_live;
    bool m_pinned = false;
};

} // namespace cpc::ui
