#pragma once

#include "operations.h"

#include "warningbanner.h"

class QCheckBox;
class QLabel;

namespace cpc::ui {

/// The explicit choice a provision over a live instance needs: shown when the instance on file
/// runs (or its status is unknown), it names that instance and offers "Replace the running
/// instance i-…". Nothing is replaced unless the box is ticked, and only the instance named.
class ReplaceChoice : public WarningBanner
{
    Q_OBJECT
public:
    explicit ReplaceChoice(QWidget *parent = nullptr);

    /// How a provision of `workspaceId` treats the instance on file. A ticked choice for it:
    /// options at once. Otherwise the CP is asked (Operations::checkInstanceOnFile): none on
    /// file or not running, options that say so; running or unknown, the choice is shown and
    /// `done` gets no options (nothing may be sent yet). A cancelled check is Kind::Cancelled.
    CallHandle decide(Operations *operations, const QString &workspaceId, QObject *context,
                      const CpClient::Callback<Result<std::optional<ProvisionOptions>>> &done);
    /// Shows the choice for `workspaceId`, unticked.
    void ask(const QString &workspaceId, const InstanceOnFile &onFile);
    void clear();

    bool isAsking() const { return !m_instanceId.isEmpty(); }
    QString workspaceId() const { return m_workspaceId; }
    QString instanceId() const { return m_instanceId; }
    /// True when the engineer ticked the box for this workspace's instance.
    bool confirmed(const QString &workspaceId) const;
    QCheckBox *checkBox() const { return m_box; }
    QString text() const;

private:
    QLabel *m_text;
    QCheckBox *m_box;
    QString m_workspaceId;
    QString m_instanceId;
};

} // namespace cpc::ui
