#include "notifier.h"

#include "icons.h"
#include "logging.h"

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
} // namespace

Notifier::Notifier(QWidget *window, Mode mode)
    : QObject(window)
    , m_window(window)
{
    const bool tray
        = mode == Mode::Tray || (mode == Mode::Auto && QSystemTrayIcon::isSystemTrayAvailable());
    if (tray) {
        m_tray = new QSystemTrayIcon(appIcon(), this);
        m_tray->setToolTip(QStringLiteral("CP Console"));
        m_tray->show();
        return;
    }
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
    close->setToolTip(QStringLiteral("Dismiss"));
    connect(close, &QToolButton::clicked, m_notice, &QWidget::hide);
    h->addWidget(close, 0, Qt::AlignTop);
    m_notice->hide();
    m_hide.setSingleShot(true);
    m_hide.setInterval(kNoticeMs);
    connect(&m_hide, &QTimer::timeout, m_notice, &QWidget::hide);
    window->installEventFilter(this);
}

Notifier::~Notifier() = default;

void Notifier::notify(const QString &title, const QString &message)
{
    qCDebug(lcUi).noquote() << "notify:" << title << message;
    m_history << title + QStringLiteral(": ") + message;
    while (m_history.size() > kHistory)
        m_history.removeFirst();
    if (m_tray) {
        m_tray->showMessage(title, message, QSystemTrayIcon::Information, kNoticeMs);
        return;
    }
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
