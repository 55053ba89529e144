#include "notifier.h"

#include "cpc_version.h"
#include "icons.h"
#include "logging.h"

#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDBusMessage>
#include <QDBusPendingCallWatcher>
#include <QDBusPendingReply>
#include <QDBusReply>
#include <QEvent>
#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QMainWindow>
#include <QStatusBar>
#include <QSystemTrayIcon>
#include <QToolButton>

namespace cpc::ui {

namespace {
constexpr int kNoticeMs = 10'000;
constexpr int kHistory = 50;
// A notification is a glance: longer messages (a stop's 512-byte excerpt) are cut, after
// redaction, so that the cut cannot leave the start of a credential behind.
constexpr int kTitleChars = 120;
constexpr int kMessageChars = 300;
} // namespace

namespace {
const QString kService = QStringLiteral("org.freedesktop.Notifications");
const QString kPath = QStringLiteral("/org/freedesktop/Notifications");
} // namespace

bool Notifier::desktopNotificationsAvailable()
{
    QDBusConnection bus = QDBusConnection::sessionBus();
    if (!bus.isConnected() || !bus.interface())
        return false;
    const QDBusConnectionInterface *iface = bus.interface();
    if (iface->isServiceRegistered(kService).value())
        return true;
    // Most servers are started on demand by the bus.
    const QDBusReply<QStringList> activatable = iface->activatableServiceNames();
    return activatable.isValid() && activatable.value().contains(kService);
}

Notifier::Notifier(QWidget *window, Mode mode)
    : QObject(window)
    , m_window(window)
{
    if (mode == Mode::Auto) {
        if (desktopNotificationsAvailable())
            mode = Mode::Desktop;
        else if (QSystemTrayIcon::isSystemTrayAvailable())
            mode = Mode::Tray;
        else
            mode = Mode::InWindow;
    }
    m_mode = mode;
    qCDebug(lcUi) << "notifications:"
                  << (mode == Mode::Desktop    ? "desktop"
                          : mode == Mode::Tray ? "tray"
                                               : "in window");
    if (mode == Mode::Tray) {
        m_tray = new QSystemTrayIcon(appIcon(), this);
        m_tray->setToolTip(tr("CP Console"));
        m_tray->show();
        return;
    }
    m_hide.setSingleShot(true);
    m_hide.setInterval(kNoticeMs);
    window->installEventFilter(this);
}

void Notifier::ensureNotice()
{
    if (m_notice || !m_window)
        return;
    QWidget *window = m_window;
    m_notice = new QFrame(window);
    m_notice->setObjectName(QStringLiteral("notice"));
    m_notice->setFrameShape(QFrame::StyledPanel);
    m_notice->setFrameShadow(QFrame::Raised);
    m_notice->setAutoFillBackground(true);
    m_notice->setBackgroundRole(QPalette::ToolTipBase);
    m_notice->setForegroundRole(QPalette::ToolTipText);
    auto *h = new QHBoxLayout(m_notice);
    h->setContentsMargins(10, 8, 4, 8);
    m_noticeText = new QLabel(m_notice);
    m_noticeText->setWordWrap(true);
    m_noticeText->setForegroundRole(QPalette::ToolTipText);
    m_noticeText->setObjectName(QStringLiteral("noticeText"));
    h->addWidget(m_noticeText, 1);
    auto *close = new QToolButton(m_notice);
    close->setAutoRaise(true);
    close->setIcon(icon(QStringLiteral("close"), m_notice));
    close->setToolTip(tr("Dismiss"));
    connect(close, &QToolButton::clicked, m_notice, &QWidget::hide);
    h->addWidget(close, 0, Qt::AlignTop);
    m_notice->hide();
    connect(&m_hide, &QTimer::timeout, m_notice, &QWidget::hide);
}

Notifier::~Notifier() = default;

void Notifier::notify(const QString &rawTitle, const QString &rawMessage)
{
    // Callers pass redacted text; this is the last place before a desktop server, a tray
    // balloon or the window, so it redacts again rather than trust every caller.
    const QString title = redaction::redactAndShorten(rawTitle, kTitleChars);
    const QString message = redaction::redactAndShorten(rawMessage, kMessageChars);
    qCDebug(lcUi).noquote() << "notify:" << title << message;
    m_history << title + QStringLiteral(": ") + message;
    while (m_history.size() > kHistory)
        m_history.removeFirst();
    switch (m_mode) {
    case Mode::Tray:
        m_tray->showMessage(title, message, QSystemTrayIcon::Information, kNoticeMs);
        return;
    case Mode::Desktop:
        sendDesktop(title, message);
        return;
    case Mode::Auto:
    case Mode::InWindow:
        showInWindow(title, message);
        return;
    }
}

void Notifier::sendDesktop(const QString &title, const QString &message)
{
    // The Desktop Notifications Specification, version 1.2: Notify(app_name, replaces_id,
    // app_icon, summary, body, actions, hints, expire_timeout). Bodies may be read as markup,
    // so names are escaped.
    QDBusMessage call = QDBusMessage::createMethodCall(kService, kPath, kService, tr("Notify"));
    QVariantMap hints;
    hints.insert(QStringLiteral("desktop-entry"), QString::fromLatin1(CPC_APP_ID));
    hints.insert(QStringLiteral("urgency"), QVariant::fromValue(uchar(1))); // normal
    call << tr("CP Console") << uint(0) << QString::fromLatin1(CPC_APP_ID) << title
         << message.toHtmlEscaped() << QStringList() << hints << int(kNoticeMs);
    QDBusPendingCallWatcher *watcher
        = new QDBusPendingCallWatcher(QDBusConnection::sessionBus().asyncCall(call, 5000), this);
    connect(watcher, &QDBusPendingCallWatcher::finished, this,
            [this, title, message](QDBusPendingCallWatcher *w) {
                w->deleteLater();
                const QDBusPendingReply<uint> reply = *w;
                if (!reply.isError())
                    return;
                const QString error
                    = reply.error().name() + QStringLiteral(": ") + reply.error().message();
                qCWarning(lcUi).noquote() << "desktop notification failed:" << error;
                Q_EMIT desktopNotificationFailed(error);
                showInWindow(title, message);
            });
}

void Notifier::showInWindow(const QString &title, const QString &message)
{
    ensureNotice();
    if (!m_notice)
        return;
    m_noticeText->setText(
        QStringLiteral("<b>%1</b><br>%2").arg(title.toHtmlEscaped(), message.toHtmlEscaped()));
    m_notice->adjustSize();
    place();
    m_notice->show();
    m_notice->raise();
    m_hide.start();
}

void Notifier::place()
{
    if (!m_window || !m_notice)
        return;
    const int w = std::min(420, m_window->width() - 20);
    m_notice->setFixedWidth(std::max(200, w));
    m_notice->adjustSize();
    int bottom = m_window->height() - 10;
    if (auto *mw = qobject_cast<QMainWindow *>(m_window.data()); mw && mw->statusBar()->isVisible())
        bottom -= mw->statusBar()->height();
    m_notice->move(m_window->width() - m_notice->width() - 10, bottom - m_notice->height());
}

bool Notifier::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_window && event->type() == QEvent::Resize && m_notice && m_notice->isVisible())
        place();
    return QObject::eventFilter(watched, event);
}

} // namespace cpc::ui
