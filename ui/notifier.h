#pragma once

#include <QObject>
#include <QPointer>
#include <QStringList>
#include <QTimer>

class QFrame;
class QLabel;
class QSystemTrayIcon;
class QWidget;

namespace cpc::ui {

/// Tells the engineer about things that happen while they look elsewhere (a pinned workspace
/// changed state, an action finished): a desktop notification through the system tray when
/// there is one, and otherwise a non-modal notice inside the window that fades after a while.
class Notifier : public QObject
{
    Q_OBJECT
public:
    enum class Mode { Auto, Tray, InWindow };
    explicit Notifier(QWidget *window, Mode mode = Mode::Auto);
    ~Notifier() override;

    void notify(const QString &title, const QString &message);
    bool usesTray() const { return m_tray != nullptr; }
    /// The in-window notice (nullptr in tray mode), for tests.
    QFrame *notice() const { return m_notice; }
    QString lastMessage() const { return m_history.isEmpty() ? QString() : m_history.last(); }
    const QStringList &history() const { return m_history; }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void place();

    QPointer<QWidget> m_window;
    QSystemTrayIcon *m_tray = nullptr;
    QFrame *m_notice = nullptr;
    QLabel *m_noticeText = nullptr;
    QTimer m_hide;
    QStringList m_history;
};

} // namespace cpc::ui
