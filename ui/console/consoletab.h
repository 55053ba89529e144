#pragma once

#include "cpclient.h"

#include <QPointer>
#include <QWidget>

namespace cpc {
class Operations;
}

namespace cpc::ui {

class ConsoleViewer;

/// One workspace's serial console in the console area: a ConsoleViewer fed by
/// Operations::console (find, follow, colours, jump list, auto-refresh live in the viewer).
class ConsoleTab : public QWidget
{
    Q_OBJECT
public:
    ConsoleTab(Operations *operations, const QString &workspaceId, const QString &name,
               QWidget *parent = nullptr);
    ~ConsoleTab() override;

    QString workspaceId() const { return m_workspaceId; }
    QString title() const;
    /// The console as shown (escapes interpreted).
    QString text() const;
    /// When it was fetched, or why the last fetch failed.
    QString statusText() const;
    bool isFetching() const;
    ConsoleViewer *viewer() const { return m_viewer; }

public Q_SLOTS:
    void refresh();

Q_SIGNALS:
    void fetched(const QString &workspaceId, bool ok);

private:
    QPointer<Operations> m_ops;
    QString m_workspaceId;
    QString m_name;
    ConsoleViewer *m_viewer;
};

} // namespace cpc::ui
