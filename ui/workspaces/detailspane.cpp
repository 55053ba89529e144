#include "detailspane.h"

#include "badgewidget.h"
#include "elidedlabel.h"
#include "errordisclosure.h"
#include "icons.h"
#include "statuspresentation.h"
#include "statustimeline.h"
#include "teamactivitylist.h"
#include "termtext.h"

#include <QAction>
#include <QClipboard>
#include <QEvent>
#include <QFormLayout>
#include <QGridLayout>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QScrollArea>
#include <QStackedWidget>
#include <QStyle>
#include <QToolButton>
#include <QVBoxLayout>

namespace cpc::ui {

namespace {

const QString kId = QStringLiteral(QT_TRANSLATE_NOOP("cpc::ui::DetailsPane", "ID"));
const QString kInstance = QStringLiteral(QT_TRANSLATE_NOOP("cpc::ui::DetailsPane", "Instance ID"));
const QString kStatus
    = QStringLiteral(QT_TRANSLATE_NOOP("cpc::ui::DetailsPane", "Status (database)"));
const QString kRuntime = QStringLiteral(QT_TRANSLATE_NOOP("cpc::ui::DetailsPane", "Runtime"));
const QString kTier = QStringLiteral(QT_TRANSLATE_NOOP("cpc::ui::DetailsPane", "Tier"));
const QString kProvider = QStringLiteral(QT_TRANSLATE_NOOP("cpc::ui::DetailsPane", "Provider"));
const QString kRole = QStringLiteral(QT_TRANSLATE_NOOP("cpc::ui::DetailsPane", "Role"));
const QString kUrl = QStringLiteral(QT_TRANSLATE_NOOP("cpc::ui::DetailsPane", "URL"));
const QString kHeartbeat
    = QStringLiteral(QT_TRANSLATE_NOOP("cpc::ui::DetailsPane", "Last heartbeat"));
const QString kCreated = QStringLiteral(QT_TRANSLATE_NOOP("cpc::ui::DetailsPane", "Created"));
const QString kUpdated = QStringLiteral(QT_TRANSLATE_NOOP("cpc::ui::DetailsPane", "Updated"));
const QString kCpState = QStringLiteral(QT_TRANSLATE_NOOP("cpc::ui::DetailsPane", "CP state"));
const QString kLastError
    = QStringLiteral(QT_TRANSLATE_NOOP("cpc::ui::DetailsPane", "Last sample error"));

QString timeText(const QDateTime &t, const QDateTime &now)
{
    if (!t.isValid())
        return QStringLiteral("—");
    return QStringLiteral("%1  (%2)")
        .arg(t.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")), agoText(t, now));
}

QString orDash(const QString &s)
{
    return s.isEmpty() ? QStringLiteral("—") : s;
}

} // namespace

DetailsPane::DetailsPane(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("detailsPane"));
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    m_stack = new QStackedWidget(this);
    outer->addWidget(m_stack);

    auto *placeholder
        = new QLabel(tr("<p><b>No workspace selected</b></p>"
                        "<p>Select a row to see its fields, live status and history.<br>"
                        "<b>↑ ↓</b> move &nbsp; <b>Enter</b> open console &nbsp; <b>/</b> filter "
                        "&nbsp; <b>F1</b> all keys</p>"),
                     m_stack);
    placeholder->setAlignment(Qt::AlignCenter);
    placeholder->setWordWrap(true);
    placeholder->setForegroundRole(QPalette::PlaceholderText);
    placeholder->setObjectName(QStringLiteral("detailsPlaceholder"));
    m_stack->addWidget(placeholder);

    auto *scroll = new QScrollArea(m_stack);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    // Everything wraps to the pane's width; a sideways scroll bar would hide the copy buttons.
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    auto *content = new QWidget(scroll);
    auto *v = new QVBoxLayout(content);
    v->setContentsMargins(10, 8, 10, 8);
    v->setSpacing(6);

    m_title = new QLabel(content);
    QFont tf = m_title->font();
    tf.setPointSizeF(tf.pointSizeF() * 1.35);
    tf.setBold(true);
    m_title->setFont(tf);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_title->setWordWrap(true);
    v->addWidget(m_title);
    m_subtitle = new ElidedLabel(content);
    m_subtitle->setForegroundRole(QPalette::PlaceholderText);
    m_subtitle->setTextInteractionFlags(Qt::TextSelectableByMouse);
    v->addWidget(m_subtitle);

    auto *liveRow = new QHBoxLayout;
    m_badge = new BadgeWidget(content);
    m_badge->setObjectName(QStringLiteral("detailsBadge"));
    liveRow->addWidget(m_badge, 0, Qt::AlignTop);
    m_liveSentence = new QLabel(content);
    m_liveSentence->setWordWrap(true);
    m_liveSentence->setObjectName(QStringLiteral("liveSentence"));
    liveRow->addWidget(m_liveSentence, 1);
    v->addLayout(liveRow);

    // The last action's failure: a framed box with an icon and words, not colour alone.
    m_errorBox = new QFrame(content);
    m_errorBox->setObjectName(QStringLiteral("actionError"));
    static_cast<QFrame *>(m_errorBox)->setFrameShape(QFrame::StyledPanel);
    m_errorBox->setAutoFillBackground(true);
    QPalette ep = m_errorBox->palette();
    ep.setColor(QPalette::Window, colors::error);
    ep.setColor(QPalette::WindowText, Qt::white);
    ep.setColor(QPalette::ButtonText, Qt::white);
    m_errorBox->setPalette(ep);
    auto *eh = new QHBoxLayout(m_errorBox);
    eh->setContentsMargins(8, 6, 4, 6);
    auto *eIcon = new QLabel(m_errorBox);
    eIcon->setPixmap(icon(QStringLiteral("error"), ep).pixmap(18, 18));
    eh->addWidget(eIcon, 0, Qt::AlignTop);
    m_errorText = new QLabel(m_errorBox);
    // Plain text: a failed stop quotes the CP's error page, whose markup must not be rendered.
    m_errorText->setTextFormat(Qt::PlainText);
    m_errorText->setWordWrap(true);
    m_errorText->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    auto *ev = new QVBoxLayout;
    ev->setSpacing(2);
    ev->addWidget(m_errorText);
    m_errorDetails = new ErrorDisclosure(m_errorBox);
    ev->addWidget(m_errorDetails);
    eh->addLayout(ev, 1);
    m_errorClose = new QToolButton(m_errorBox);
    m_errorClose->setAutoRaise(true);
    m_errorClose->setIcon(icon(QStringLiteral("close"), ep));
    m_errorClose->setToolTip(tr("Dismiss"));
    connect(m_errorClose, &QToolButton::clicked, this, [this] {
        setActionError({});
        Q_EMIT actionErrorDismissed();
    });
    eh->addWidget(m_errorClose, 0, Qt::AlignTop);
    m_errorBox->hide();
    v->addWidget(m_errorBox);

    m_actionsRow = new QWidget(content);
    auto *ah = new QGridLayout(m_actionsRow);
    ah->setContentsMargins(0, 2, 0, 2);
    ah->setSpacing(4);
    v->addWidget(m_actionsRow);

    m_form = new QFormLayout;
    m_form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_form->setLabelAlignment(Qt::AlignRight | Qt::AlignTop);
    m_form->setHorizontalSpacing(10);
    m_form->setVerticalSpacing(3);
    v->addLayout(m_form);
    addField(kId, true);
    addField(kInstance, true);
    addField(kStatus);
    addField(kCpState);
    addField(kRuntime);
    addField(kTier);
    addField(kProvider);
    addField(kRole);
    addField(kUrl, true);
    addField(kHeartbeat);
    addField(kCreated);
    addField(kUpdated);
    m_rowErrorLabel = addField(kLastError);

    auto *histTitle = new QLabel(tr("<b>Status history</b>"), content);
    v->addSpacing(4);
    v->addWidget(histTitle);
    m_timeline = new StatusTimeline(content);
    m_timeline->setObjectName(QStringLiteral("statusTimeline"));
    v->addWidget(m_timeline);

    m_teamTitle = new QLabel(tr("<b>Team activity</b>"), content);
    m_teamTitle->hide();
    v->addSpacing(4);
    v->addWidget(m_teamTitle);
    m_teamActivity = new TeamActivityList(content);
    m_teamActivity->setObjectName(QStringLiteral("teamActivity"));
    m_teamActivity->hide();
    v->addWidget(m_teamActivity);
    v->addStretch(1);

    scroll->setWidget(content);
    m_stack->addWidget(scroll);
    m_stack->setCurrentIndex(0);
    applyIcons();
}

QLabel *DetailsPane::addField(const QString &label, bool copyable)
{
    // A copyable value is an ID or a URL: one line, elided in the middle, never wrapped
    // mid-string; the copy button takes it whole.
    QLabel *value = copyable ? new ElidedLabel(this) : new QLabel(this);
    value->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    value->setWordWrap(!copyable);
    value->setTextFormat(Qt::PlainText);
    value->setObjectName(QStringLiteral("field:") + label);
    m_fields.insert(label, value);
    // The label is the field's key (object names, lookups); what is shown is its translation.
    const QString shown = tr(label.toUtf8().constData());
    if (!copyable) {
        m_form->addRow(shown + u':', value);
        return value;
    }
    auto *row = new QWidget(this);
    auto *h = new QHBoxLayout(row);
    h->setContentsMargins(0, 0, 0, 0);
    h->setSpacing(4);
    h->addWidget(value, 1);
    auto *copyButton = new QToolButton(row);
    copyButton->setAutoRaise(true);
    copyButton->setObjectName(QStringLiteral("copy:") + label);
    copyButton->setToolTip(tr("Copy the %1 to the clipboard").arg(shown));
    copyButton->setAccessibleName(tr("Copy %1").arg(shown));
    m_copyButtons << copyButton;
    connect(copyButton, &QToolButton::clicked, this, [this, shown, value] {
        if (value->property("cpcValue").toString().isEmpty())
            return;
        copy(shown, value->property("cpcValue").toString());
    });
    h->addWidget(copyButton, 0, Qt::AlignTop);
    m_form->addRow(shown + u':', row);
    return value;
}

void DetailsPane::applyIcons()
{
    for (QToolButton *b : std::as_const(m_copyButtons))
        b->setIcon(icon(QStringLiteral("copy"), this));
}

void DetailsPane::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        applyIcons();
    QWidget::changeEvent(event);
}

void DetailsPane::copy(const QString &what, const QString &value)
{
    QGuiApplication::clipboard()->setText(value);
    Q_EMIT copied(what, value);
}

void DetailsPane::setActions(const QList<QAction *> &actions)
{
    for (QAction *a : actions) {
        auto *b = new QToolButton(m_actionsRow);
        b->setDefaultAction(a);
        b->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
        b->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
        b->setObjectName(QStringLiteral("detailsAction:") + a->objectName());
        m_actionButtons << b;
    }
    m_actionColumns = 0;
    layoutActions();
}

void DetailsPane::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    layoutActions();
}

void DetailsPane::layoutActions()
{
    auto *grid = static_cast<QGridLayout *>(m_actionsRow->layout());
    int widest = 0;
    for (QWidget *b : std::as_const(m_actionButtons))
        widest = qMax(widest, b->sizeHint().width());
    // The room the content has: the pane less the scroll area's margins and scroll bar.
    const int room = width() - 20 - style()->pixelMetric(QStyle::PM_ScrollBarExtent);
    const int columns = 2 * widest + grid->spacing() <= room ? 2 : 1;
    if (columns == m_actionColumns)
        return;
    m_actionColumns = columns;
    for (QWidget *b : std::as_const(m_actionButtons))
        grid->removeWidget(b);
    for (int i = 0; i < m_actionButtons.size(); ++i)
        grid->addWidget(m_actionButtons.at(i), i / columns, i % columns);
}

void DetailsPane::showWorkspace(const std::optional<WorkspaceRow> &row, const LiveStatus &live,
                                bool pinned)
{
    if (!row) {
        if (!m_row.id.isEmpty())
            setActionError({});
        m_row = {};
        m_stack->setCurrentIndex(0);
        return;
    }
    if (row->id != m_row.id) {
        setActionError({});
        m_timeline->setSamples({});
    }
    m_row = *row;
    m_pinned = pinned;
    // Every value is data from the database: controls and bidi overrides are shown escaped.
    m_title->setText((pinned ? QString(QChar(0x2605)) + u' ' : QString())
                     + termtext::sanitize(orDash(row->name)));
    m_title->setToolTip(pinned ? tr("Pinned: polled even when scrolled out of view") : QString());
    m_subtitle->setText(termtext::sanitize(row->id));
    const auto set
        = [this](const QString &label, const QString &text, const QString &copyValue = {}) {
              QLabel *l = m_fields.value(label);
              l->setText(label == kLastError ? termtext::sanitizeMultiline(text)
                                             : termtext::sanitize(text));
              l->setProperty("cpcValue", copyValue);
          };
    set(kId, row->id, row->id);
    set(kInstance,
        row->instanceId.isEmpty() ? tr("none on file (nothing to stop)") : row->instanceId,
        row->instanceId);
    set(kStatus, orDash(row->status));
    set(kRuntime, orDash(row->runtime));
    set(kTier, QString::number(row->tier));
    set(kProvider, orDash(row->provider));
    set(kRole, orDash(row->role));
    set(kUrl, orDash(row->url), row->url);
    set(kLastError, row->lastSampleError.isEmpty() ? QStringLiteral("none") : row->lastSampleError);
    for (QToolButton *b : std::as_const(m_copyButtons)) {
        const QString label = b->objectName().mid(5);
        b->setEnabled(!m_fields.value(label)->property("cpcValue").toString().isEmpty());
    }
    m_rowErrorLabel->setForegroundRole(row->lastSampleError.isEmpty() ? QPalette::PlaceholderText
                                                                      : QPalette::WindowText);
    updateLive(live);
    m_stack->setCurrentIndex(1);
}

void DetailsPane::updateLive(const LiveStatus &live)
{
    m_live = live;
    const bool hasInstance = !m_row.instanceId.isEmpty();
    m_badge->setBadge(badgeFor(live, hasInstance, m_row.status)); // "starting…" as in the list
    m_fields.value(kCpState)->setText(live.checked && !live.cpState.isEmpty()
                                          ? termtext::sanitize(live.cpState)
                                          : QStringLiteral("—"));
    refreshAges();
}

void DetailsPane::refreshAges()
{
    if (m_row.id.isEmpty())
        return;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    m_liveSentence->setText(liveSentence(m_live, !m_row.instanceId.isEmpty(), now));
    m_fields.value(kHeartbeat)->setText(timeText(m_row.lastHeartbeatAt, now));
    m_fields.value(kCreated)->setText(timeText(m_row.createdAt, now));
    m_fields.value(kUpdated)->setText(timeText(m_row.updatedAt, now));
}

QString DetailsPane::liveText() const
{
    return m_badge->badge().text + QStringLiteral(" — ") + m_liveSentence->text();
}

void DetailsPane::setHistory(const QList<StatusSample> &samples)
{
    m_timeline->setSamples(samples);
}

void DetailsPane::setTeamActivity(bool team, const QStringList &lines)
{
    m_teamTitle->setVisible(team);
    m_teamActivity->setVisible(team);
    m_teamActivity->setLines(team ? lines : QStringList());
}

QStringList DetailsPane::teamActivity() const
{
    return m_teamActivity->lines();
}

void DetailsPane::setActionError(const QString &message, const QString &details)
{
    m_errorText->setText(termtext::sanitizeMultiline(message));
    m_errorDetails->setDetails(message.isEmpty() ? QString() : details, message);
    m_errorBox->setVisible(!message.isEmpty());
}

QString DetailsPane::actionError() const
{
    return m_errorBox->isHidden() ? QString() : m_errorText->text();
}

QString DetailsPane::fieldText(const QString &label) const
{
    const QLabel *l = m_fields.value(label);
    return l ? l->text() : QString();
}

} // namespace cpc::ui
