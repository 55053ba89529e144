#pragma once

#include "cpclient.h"

#include <QPointer>
#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QToolButton;

namespace cpc {
class Operations;
}

namespace cpc::ui {

/// One workspace's serial console: the text fetched through Operations::console, a Refresh
/// button and a line that says when it was fetched or why it failed. A placeholder for the
/// full console viewer (search, follow, ANSI colours), which will replace the text view.
class ConsoleTab : public QWidget
{
    Q_OBJECT
public:
    ConsoleTab(Operations *operations, const QString &workspaceId, const QString &name,
               QWidget *parent = nullptr);
    ~ConsoleTab() override;

    QString workspaceId() const { return m_workspaceId; }
    QString title() const;
    QString text() const;
    QString statusText() const;
    bool isFetching() const { return m_call.isRunning(); }
    QPlainTextEdit *textView() const { return m_text; }

public Q_SLOTS:
    void refresh();

Q_SIGNALS:
    void fetched(const QString &workspaceId, bool ok);

private:
    void onResult(const Result<ConsoleOutput> &r);

    QPointer<Operations> m_ops;
    QString m_workspaceId;
    QString m_name;
    QLabel *m_status;
    QToolButton *m_refresh;
    QPlainTextEdit *m_text;
    CallHandle m_call;
};

} // namespace cpc::ui
