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
/// changed state, an action finished). In order of preference:
///  - a desktop notification (org.freedesktop.Notifications on the session bus: GNOME, KDE,
///    dunst, mako… all serve it), so it shows even when the window is hidden;
///  - the system tray's balloon, where there is a tray but no notification server;
///  - a non-modal notice inside the window that fades after a while.
/// A desktop notification that the server refuses (or a server that went away) is shown in
/// the window instead: a notification is never lost silently.
class Notifier : public QObject
{
    Q_OBJECT
public:
    enum class Mode { Auto, Desktop, Tray, InWindow };
    explicit Notifier(QWidget *window, Mode mode = Mode::Auto);
    ~Notifier() override;

    void notify(const QString &title, const QString &message);
    Mode mode() const { return m_mode; }
    bool usesTray() const { return m_mode == Mode::Tray; }
    bool usesDesktop() const { return m_mode == Mode::Desktop; }
    /// True when a notification server answers on the session bus.
    static bool desktopNotificationsAvailable();
    /// The in-window notice (created on first use outside tray mode), for tests.
    QFrame *notice() const { return m_notice; }
    QString lastMessage() const { return m_history.isEmpty() ? QString() : m_history.last(); }
    const QStringList &history() const { return m_history; }

Q_SIGNALS:
    /// A desktop notification was refused or could not be delivered; it went to the window.
    void desktopNotificationFailed(const QString &error);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void showInWindow(const QString &title, const QString &message);
    void sendDesktop(const QString &title, const QString &message);
    void ensureNotice();
    void place();

    QPointer<QWidget> m_window;
    Mode m_mode = Mode::InWindow;
    QSystemTrayIcon *m_tray = nullptr;
    QFrame *m_notice = nullptr;
    QLabel *m_noticeText = nullptr;
    QTimer m_hide;
    QStringList m_history;
};

} // namespace cpc::ui
