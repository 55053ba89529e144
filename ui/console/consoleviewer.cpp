// One widget over 600 lines: the toolbar, fetch loop, find, jump list and saving all work on one
// fetched buffer and its follow/refresh state; apart they would pass that state around.
#include "consoleviewer.h"

#include "consolefindbar.h"
#include "consolekeys.h"
#include "consolesearch.h"
#include "consoleview.h"
#include "icons.h"
#include "logging.h"

#include <QAction>
#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QListWidget>
#include <QLocale>
#include <QMenu>
#include <QMessageBox>
#include <QPointer>
#include <QSaveFile>
#include <QSettings>
#include <QSplitter>
#include <QStandardPaths>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

namespace cpc::ui {

namespace {

constexpr int BatchMs = 10;
constexpr int BatchCapMs = 40;
constexpr int AutoIntervals[] = { 0, 2000, 5000, 10000, 30000 };
const char SettingsGroup[] = "consoleViewer";

QString clock(const QDateTime &t)
{
    return t.toString(QStringLiteral("HH:mm:ss"));
}

bool isErrorKind(ConsoleBuffer::Notable::Kind k)
{
    using K = ConsoleBuffer::Notable::Kind;
    return k == K::KernelPanic || k == K::CallTrace || k == K::OutOfMemory || k == K::Segfault
        || k == K::FailedUnit;
}

} // namespace

ConsoleViewer::ConsoleViewer(Fetcher fetch, QWidget *parent)
    : QWidget(parent)
    , m_buffer(std::make_unique<ConsoleBuffer>())
    , m_search(std::make_unique<ConsoleSearch>())
    , m_fetch(std::move(fetch))
{
    setObjectName(QStringLiteral("consoleViewer"));
    buildUi();

    m_batchTimer.setSingleShot(true);
    m_batchTimer.setInterval(BatchMs);
    m_batchCapTimer.setSingleShot(true);
    m_batchCapTimer.setInterval(BatchCapMs);
    connect(&m_batchTimer, &QTimer::timeout, this, &ConsoleViewer::flushPendingUpdates);
    connect(&m_batchCapTimer, &QTimer::timeout, this, &ConsoleViewer::flushPendingUpdates);
    connect(&m_autoTimer, &QTimer::timeout, this, [this] {
        // A hidden tab does not poll the CP; it catches up when shown (showEvent).
        if (isVisible())
            refresh();
    });

    loadSettings();
    updateFindStatus();
    updateBanner();
    updateStatus();
}

ConsoleViewer::~ConsoleViewer()
{
    m_closing = true;
    m_call.cancel();
}

void ConsoleViewer::buildUi()
{
    auto *v = new QVBoxLayout(this);
    v->setContentsMargins(0, 0, 0, 0);
    v->setSpacing(3);

    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(4, 2, 4, 0);
    bar->setSpacing(4);
    auto tool = [this](const QString &text, const QString &name, const QString &tip,
                       const QString &iconName = {}) {
        auto *b = new QToolButton(this);
        b->setText(text);
        b->setObjectName(name);
        b->setToolTip(tip);
        b->setAccessibleName(text);
        b->setAutoRaise(true);
        if (!iconName.isEmpty()) {
            b->setIcon(icon(iconName, this));
            b->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
        }
        return b;
    };

    m_refreshButton = tool(tr("Refresh"), QStringLiteral("consoleRefresh"),
                           tr("Fetch the console now (F5)"), QStringLiteral("refresh"));
    connect(m_refreshButton, &QToolButton::clicked, this, &ConsoleViewer::refresh);
    bar->addWidget(m_refreshButton);

    auto *autoLabel = new QLabel(tr("Auto:"), this);
    bar->addWidget(autoLabel);
    m_autoCombo = new QComboBox(this);
    m_autoCombo->setObjectName(QStringLiteral("consoleAutoRefresh"));
    m_autoCombo->setToolTip(QStringLiteral(
        "Refresh automatically. A reader who scrolled up is never moved by a refresh."));
    m_autoCombo->setAccessibleName(tr("Auto-refresh interval"));
    for (int ms : AutoIntervals)
        m_autoCombo->addItem(ms == 0 ? tr("Off") : tr("%1 s").arg(ms / 1000), ms);
    autoLabel->setBuddy(m_autoCombo);
    connect(m_autoCombo, &QComboBox::activated, this,
            [this](int index) { setAutoRefreshInterval(m_autoCombo->itemData(index).toInt()); });
    bar->addWidget(m_autoCombo);
    bar->addSpacing(8);

    m_wrapButton = tool(tr("Wrap"), QStringLiteral("consoleWrap"), tr("Wrap long lines (Alt+Z)"));
    m_wrapButton->setCheckable(true);
    connect(m_wrapButton, &QToolButton::toggled, this, &ConsoleViewer::setWrap);
    bar->addWidget(m_wrapButton);

    m_colorsButton = tool(tr("Colours"), QStringLiteral("consoleColors"),
                          tr("Show ANSI colours (Alt+C); off shows plain text"));
    m_colorsButton->setCheckable(true);
    m_colorsButton->setChecked(true);
    connect(m_colorsButton, &QToolButton::toggled, this, &ConsoleViewer::setColorsEnabled);
    bar->addWidget(m_colorsButton);

    m_findButton
        = tool(tr("Find"), QStringLiteral("consoleFind"), tr("Find in the console (Ctrl+F)"));
    connect(m_findButton, &QToolButton::clicked, this, &ConsoleViewer::openFind);
    bar->addWidget(m_findButton);

    m_jumpButton = tool(tr("Notable lines"), QStringLiteral("consoleJumpToggle"),
                        tr("Show the notable lines: kernel panic, call trace, out of memory, "
                           "segfault, failed units, reboots, gaps (Ctrl+J)"),
                        QStringLiteral("warning"));
    m_jumpButton->setCheckable(true);
    connect(m_jumpButton, &QToolButton::clicked, this, [this](bool on) {
        m_jumpWanted = on;
        setJumpListVisible(on);
        saveSettings();
    });
    bar->addWidget(m_jumpButton);

    m_saveButton
        = tool(tr("Save"), QStringLiteral("consoleSave"),
               tr("Save the console as shown (Ctrl+S); the menu also saves the raw fetch"));
    m_saveButton->setPopupMode(QToolButton::MenuButtonPopup);
    auto *saveMenu = new QMenu(m_saveButton);
    saveMenu->addAction(tr("Save as shown…\tCtrl+S"), this,
                        [this] { saveInteractively(SaveMode::Shown); });
    saveMenu->addAction(tr("Save raw fetch (with escape codes)…"), this,
                        [this] { saveInteractively(SaveMode::Raw); });
    m_saveButton->setMenu(saveMenu);
    connect(m_saveButton, &QToolButton::clicked, this,
            [this] { saveInteractively(SaveMode::Shown); });
    bar->addWidget(m_saveButton);

    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("consoleStatus"));
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status->setForegroundRole(QPalette::PlaceholderText);
    // It takes the rest of the row and its text changes on every fetch: an ignored size hint
    // keeps those changes from re-laying out the window.
    m_status->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_status->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    bar->addWidget(m_status, 1);
    v->addLayout(bar);

    auto strip = [this](const QString &name, const QString &iconName, const QString &rgb,
                        QLabel **label) {
        auto *f = new QFrame(this);
        f->setObjectName(name);
        f->setStyleSheet(
            QStringLiteral("QFrame#%1 { background: rgba(%2, 38); border: 1px solid rgba(%2, 150);"
                           " border-radius: 3px; }")
                .arg(name, rgb));
        auto *h = new QHBoxLayout(f);
        h->setContentsMargins(6, 3, 6, 3);
        auto *ic = new QLabel(f);
        ic->setPixmap(icon(iconName, this).pixmap(16, 16));
        h->addWidget(ic);
        *label = new QLabel(f);
        // One line: a word-wrapped label re-measures its height on every text change.
        (*label)->setWordWrap(false);
        (*label)->setTextInteractionFlags(Qt::TextSelectableByMouse);
        h->addWidget(*label, 1);
        f->hide();
        return f;
    };
    m_banner = strip(QStringLiteral("consoleBanner"), QStringLiteral("warning"),
                     QStringLiteral("230, 160, 0"), &m_bannerLabel);
    m_errorStrip = strip(QStringLiteral("consoleError"), QStringLiteral("error"),
                         QStringLiteral("208, 49, 45"), &m_errorLabel);
    auto *retry = new QToolButton(m_errorStrip);
    retry->setText(tr("Retry"));
    retry->setToolTip(tr("Fetch the console again (F5)"));
    connect(retry, &QToolButton::clicked, this, &ConsoleViewer::refresh);
    m_errorStrip->layout()->addWidget(retry);
    auto *stripBox = new QVBoxLayout;
    stripBox->setContentsMargins(4, 0, 4, 0);
    stripBox->setSpacing(3);
    stripBox->addWidget(m_errorStrip);
    stripBox->addWidget(m_banner);
    v->addLayout(stripBox);

    m_splitter = new QSplitter(Qt::Horizontal, this);
    m_splitter->setChildrenCollapsible(false);
    m_view = new ConsoleView(m_splitter);
    m_view->setBuffer(m_buffer.get());
    m_view->setSearch(m_search.get());
    m_view->setPlaceholderText(tr("No console fetched yet."));
    connect(m_view, &ConsoleView::followingChanged, this, &ConsoleViewer::followingChanged);
    m_splitter->addWidget(m_view);

    m_jump = new QListWidget(m_splitter);
    m_jump->setObjectName(QStringLiteral("consoleJumpList"));
    m_jump->setAccessibleName(tr("Notable lines"));
    m_jump->setToolTip(tr("Click a line to jump there (Ctrl+J focuses this list)"));
    m_jump->setWordWrap(false);
    m_jump->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_jump->setTextElideMode(Qt::ElideRight);
    m_jump->setUniformItemSizes(true);
    connect(m_jump, &QListWidget::itemClicked, this,
            [this](QListWidgetItem *item) { jumpToNotable(m_jump->row(item)); });
    connect(m_jump, &QListWidget::itemActivated, this,
            [this](QListWidgetItem *item) { jumpToNotable(m_jump->row(item)); });
    m_splitter->addWidget(m_jump);
    m_splitter->setStretchFactor(0, 1);
    m_splitter->setStretchFactor(1, 0);
    m_splitter->setSizes({ 900, 280 });
    m_jump->hide();
    v->addWidget(m_splitter, 1);

    m_findBar = new ConsoleFindBar(this);
    m_findBar->hide();
    connect(m_findBar, &ConsoleFindBar::queryChanged, this, &ConsoleViewer::onQueryChanged);
    connect(m_findBar, &ConsoleFindBar::nextRequested, this, &ConsoleViewer::findNext);
    connect(m_findBar, &ConsoleFindBar::previousRequested, this, &ConsoleViewer::findPrevious);
    connect(m_findBar, &ConsoleFindBar::closeRequested, this, &ConsoleViewer::closeFind);
    v->addWidget(m_findBar);

    auto *findAction = new QAction(tr("Find…\tCtrl+F"), this);
    connect(findAction, &QAction::triggered, this, &ConsoleViewer::openFind);
    auto *saveAction = new QAction(tr("Save as shown…\tCtrl+S"), this);
    connect(saveAction, &QAction::triggered, this, [this] { saveInteractively(SaveMode::Shown); });
    m_view->setContextActions({ findAction, saveAction });

    setFocusProxy(m_view);
}

void ConsoleViewer::setFetcher(Fetcher fetch)
{
    m_call.cancel();
    m_fetching = false;
    m_fetch = std::move(fetch);
    updateStatus();
}

void ConsoleViewer::setSuggestedFileName(const QString &baseName)
{
    m_suggestedName = baseName;
}

// --- fetching -------------------------------------------------------------------------------

void ConsoleViewer::refresh()
{
    if (!m_fetch) {
        m_status->setText(tr("No console source"));
        return;
    }
    if (m_fetching)
        return; // one fetch at a time; a slow CP is not asked twice
    m_fetching = true;
    m_lastAttempt = QDateTime::currentDateTime();
    updateStatus();
    qCDebug(lcUi) << "console viewer: fetch";
    QPointer<ConsoleViewer> self(this);
    m_call = m_fetch(this, [self](const Result<ConsoleOutput> &r) {
        if (!self || self->m_closing)
            return;
        self->m_fetching = false;
        self->applyFetch(r);
    });
}

void ConsoleViewer::applyFetch(const Result<ConsoleOutput> &r)
{
    const QDateTime now = QDateTime::currentDateTime();
    if (!r) {
        if (r.error().kind == Error::Kind::Cancelled) {
            updateStatus();
            return;
        }
        const QString message = r.error().message;
        m_errorLabel->setText(
            m_lastSuccess.isValid()
                ? tr("%1 — showing the text from %2").arg(message, clock(m_lastSuccess))
                : tr("%1 — nothing has been fetched yet").arg(message));
        m_errorStrip->show();
        if (m_buffer->isEmpty())
            m_view->setPlaceholderText(tr("The console could not be fetched.\n%1").arg(message));
        qCDebug(lcUi) << "console viewer: fetch failed:" << message;
        updateStatus();
        Q_EMIT fetched(false);
        return;
    }

    m_errorStrip->hide();
    const int lastBefore = m_buffer->lastLineNumber();
    const bool firstText = m_buffer->isEmpty();
    // The reader has seen everything fetched so far: the marker moves to what this fetch adds.
    const bool caughtUp = m_view->seenLastLine() >= lastBefore;
    const ConsoleBuffer::MergeResult mr = m_buffer->merge(r->output);
    if (mr.inputTruncated)
        m_inputSkipped += mr.inputSkipped;
    if (!mr.unchanged && mr.firstNewLine > 0) {
        if (!firstText && caughtUp && m_lastSuccess.isValid())
            m_view->setNewTextMarker(mr.firstNewLine, tr("new since %1").arg(clock(m_lastSuccess)));
        m_pendingFirstChanged = m_pendingFirstChanged > 0
            ? std::min(m_pendingFirstChanged, mr.firstNewLine)
            : mr.firstNewLine;
        m_view->bufferChanged(mr.firstNewLine);
    }
    if (mr.droppedBytes > 0 || mr.gap)
        m_pendingFirstChanged
            = m_pendingFirstChanged > 0 ? m_pendingFirstChanged : m_buffer->firstLineNumber();
    m_lastSuccess = now;
    m_lastBytes = r->bytes;
    if (m_buffer->isEmpty())
        m_view->setPlaceholderText(tr("The instance has not written anything to its console yet."));
    scheduleUpdate();
    Q_EMIT fetched(true);
}

void ConsoleViewer::scheduleUpdate()
{
    m_batchTimer.start();
    if (!m_batchCapTimer.isActive())
        m_batchCapTimer.start();
    updateStatus();
}

void ConsoleViewer::flushPendingUpdates()
{
    m_batchTimer.stop();
    m_batchCapTimer.stop();
    m_view->applyPendingChanges();
    if (m_pendingFirstChanged > 0 || m_pendingReset) {
        if (m_search->isActive()) {
            if (m_pendingReset)
                m_search->rebuild(*m_buffer, m_view->topLineNumber());
            else
                m_search->update(*m_buffer, m_pendingFirstChanged);
            m_view->searchChanged();
        }
        updateFindStatus();
        updateJumpList();
        updateBanner();
    }
    m_pendingFirstChanged = 0;
    m_pendingReset = false;
    updateStatus();
}

void ConsoleViewer::clear()
{
    m_buffer->clear();
    m_inputSkipped = 0;
    m_lastSuccess = {};
    m_view->setNewTextMarker(0, {});
    m_view->clearSelection();
    m_view->bufferChanged();
    m_view->setPlaceholderText(tr("No console fetched yet."));
    m_pendingReset = true;
    flushPendingUpdates();
}

// --- settings -------------------------------------------------------------------------------

void ConsoleViewer::setAutoRefreshInterval(int ms)
{
    ms = std::max(0, ms);
    m_autoMs = ms;
    const int idx = m_autoCombo->findData(ms);
    if (idx >= 0)
        m_autoCombo->setCurrentIndex(idx);
    if (ms > 0)
        m_autoTimer.start(ms);
    else
        m_autoTimer.stop();
    saveSettings();
    updateStatus();
}

void ConsoleViewer::setWrap(bool wrap)
{
    if (m_wrapButton->isChecked() != wrap) {
        m_wrapButton->setChecked(wrap); // comes back here through toggled
        return;
    }
    m_view->setWrap(wrap);
    saveSettings();
}

bool ConsoleViewer::wrap() const
{
    return m_view->wrap();
}

void ConsoleViewer::setColorsEnabled(bool enabled)
{
    if (m_colorsButton->isChecked() != enabled) {
        m_colorsButton->setChecked(enabled);
        return;
    }
    m_view->setColorsEnabled(enabled);
    saveSettings();
}

bool ConsoleViewer::colorsEnabled() const
{
    return m_view->colorsEnabled();
}

void ConsoleViewer::loadSettings()
{
    QSettings s;
    s.beginGroup(QLatin1String(SettingsGroup));
    const bool wrap = s.value(QStringLiteral("wrap"), false).toBool();
    const bool colors = s.value(QStringLiteral("colors"), true).toBool();
    const int autoMs = s.value(QStringLiteral("autoRefreshMs"), 0).toInt();
    m_jumpWanted = s.value(QStringLiteral("notableLines"), true).toBool();
    s.endGroup();
    const QSignalBlocker b1(m_wrapButton);
    const QSignalBlocker b2(m_colorsButton);
    m_wrapButton->setChecked(wrap);
    m_colorsButton->setChecked(colors);
    m_view->setWrap(wrap);
    m_view->setColorsEnabled(colors);
    m_autoMs = std::max(0, autoMs);
    const int idx = m_autoCombo->findData(m_autoMs);
    m_autoCombo->setCurrentIndex(idx >= 0 ? idx : 0);
    if (m_autoMs > 0)
        m_autoTimer.start(m_autoMs);
}

void ConsoleViewer::saveSettings() const
{
    QSettings s;
    s.beginGroup(QLatin1String(SettingsGroup));
    s.setValue(QStringLiteral("wrap"), m_view->wrap());
    s.setValue(QStringLiteral("colors"), m_view->colorsEnabled());
    s.setValue(QStringLiteral("autoRefreshMs"), m_autoMs);
    s.setValue(QStringLiteral("notableLines"), m_jumpWanted);
    s.endGroup();
}

// --- find -----------------------------------------------------------------------------------

void ConsoleViewer::openFind()
{
    const bool wasHidden = m_findBar->isHidden();
    m_findBar->show();
    const QString sel = m_view->selectedText();
    if (!sel.isEmpty() && !sel.contains(u'\n') && sel.size() <= 200)
        m_findBar->setText(sel);
    m_findBar->focusQuery();
    if (wasHidden)
        onQueryChanged();
}

void ConsoleViewer::closeFind()
{
    m_findBar->hide();
    m_search->setQuery({}, false, false);
    m_view->searchChanged();
    m_view->setFocus(Qt::OtherFocusReason);
}

void ConsoleViewer::onQueryChanged()
{
    if (m_findBar->isHidden())
        return;
    flushPendingUpdates();
    const bool ok
        = m_search->setQuery(m_findBar->text(), m_findBar->caseSensitive(), m_findBar->isRegex());
    if (ok)
        m_search->rebuild(*m_buffer, m_view->topLineNumber());
    updateFindStatus();
    showCurrentMatch();
}

void ConsoleViewer::findNext()
{
    if (m_findBar->isHidden()) {
        openFind();
        if (m_findBar->text().isEmpty())
            return;
    }
    flushPendingUpdates();
    m_search->next();
    updateFindStatus();
    showCurrentMatch();
}

void ConsoleViewer::findPrevious()
{
    if (m_findBar->isHidden()) {
        openFind();
        if (m_findBar->text().isEmpty())
            return;
    }
    flushPendingUpdates();
    m_search->previous();
    updateFindStatus();
    showCurrentMatch();
}

void ConsoleViewer::showCurrentMatch()
{
    if (const ConsoleSearch::Match *m = m_search->current())
        m_view->ensureVisible({ m->line, m->start }, m->length);
    m_view->searchChanged();
}

void ConsoleViewer::updateFindStatus()
{
    if (m_findBar->isHidden())
        return;
    if (!m_search->errorString().isEmpty())
        m_findBar->showError(m_search->errorString());
    else if (!m_search->isActive())
        m_findBar->showIdle();
    else
        m_findBar->showResult(m_search->currentIndex(), m_search->count(), m_search->isCapped());
}

int ConsoleViewer::matchCount() const
{
    return m_search->count();
}

int ConsoleViewer::currentMatchIndex() const
{
    return m_search->currentIndex();
}

// --- jump list, banner, status ----------------------------------------------------------------

void ConsoleViewer::updateJumpList()
{
    const QList<ConsoleBuffer::Notable> notables = m_buffer->notables();
    if (notables == m_notables)
        return;
    // Incremental: the cap drops entries from the front and fetches add them at the back, so
    // keep the items both lists share instead of rebuilding the list on every refresh.
    qsizetype dropped = 0;
    while (dropped < m_notables.size() && m_notables[dropped].line < m_buffer->firstLineNumber())
        ++dropped;
    for (qsizetype i = 0; i < dropped; ++i)
        delete m_jump->takeItem(0);
    m_notables.remove(0, dropped);
    qsizetype same = 0;
    while (same < m_notables.size() && same < notables.size() && m_notables[same] == notables[same])
        ++same;
    while (m_jump->count() > same)
        delete m_jump->takeItem(m_jump->count() - 1);
    const QIcon errorIcon = icon(QStringLiteral("error"), this);
    const QIcon warningIcon = icon(QStringLiteral("warning"), this);
    for (qsizetype i = same; i < notables.size(); ++i) {
        const ConsoleBuffer::Notable &n = notables[i];
        const QString text = n.text.size() > 120 ? n.text.left(119) + u'…' : n.text;
        auto *item = new QListWidgetItem(QStringLiteral("%1  %2").arg(n.line).arg(text));
        item->setToolTip(tr("%1 (line %2)\n%3")
                             .arg(ConsoleBuffer::notableKindName(n.kind))
                             .arg(n.line)
                             .arg(n.text));
        item->setData(Qt::UserRole, n.line);
        item->setIcon(isErrorKind(n.kind) ? errorIcon : warningIcon);
        m_jump->addItem(item);
    }
    m_notables = notables;
    m_jumpButton->setText(tr("Notable lines (%1)").arg(m_notables.size()));
    setJumpListVisible(m_jumpWanted);
}

void ConsoleViewer::setJumpListVisible(bool visible)
{
    const QSignalBlocker block(m_jumpButton);
    m_jumpButton->setChecked(visible);
    // An empty list takes no room; the button still shows "(0)".
    m_jump->setVisible(visible && !m_notables.isEmpty());
}

bool ConsoleViewer::isJumpListVisible() const
{
    return m_jump->isVisibleTo(const_cast<ConsoleViewer *>(this));
}

void ConsoleViewer::jumpToNotable(int index)
{
    if (index < 0 || index >= m_notables.size())
        return;
    flushPendingUpdates();
    m_view->jumpToLine(m_notables[index].line);
}

void ConsoleViewer::updateBanner()
{
    const qint64 dropped = m_buffer->droppedBytes() + m_inputSkipped;
    if (dropped <= 0) {
        m_banner->hide();
        return;
    }
    const qint64 kib = (dropped + 1023) / 1024;
    m_bannerLabel->setText(
        tr("%1 KiB of older output dropped — the viewer keeps the newest %2 KiB. "
           "Save keeps what is shown.")
            .arg(kib)
            .arg(m_buffer->capBytes() / 1024));
    m_banner->show();
}

QString ConsoleViewer::bannerText() const
{
    return m_banner->isVisibleTo(const_cast<ConsoleViewer *>(this)) ? m_bannerLabel->text()
                                                                    : QString();
}

QString ConsoleViewer::errorText() const
{
    return m_errorStrip->isVisibleTo(const_cast<ConsoleViewer *>(this)) ? m_errorLabel->text()
                                                                        : QString();
}

void ConsoleViewer::updateStatus()
{
    QStringList parts;
    if (m_fetching)
        parts << tr("Fetching…");
    if (!m_buffer->isEmpty()) {
        parts << QLocale().formattedDataSize(m_buffer->storedBytes(), 1,
                                             QLocale::DataSizeIecFormat);
        parts << tr("lines %1–%2").arg(m_buffer->firstLineNumber()).arg(m_buffer->lastLineNumber());
    }
    if (m_lastSuccess.isValid())
        parts << tr("fetched %1").arg(clock(m_lastSuccess));
    if (m_autoMs > 0)
        parts << tr("auto every %1 s").arg(m_autoMs / 1000);
    const QString text = parts.join(QStringLiteral(" · "));
    if (m_status->text() != text)
        m_status->setText(text);
}

QString ConsoleViewer::statusText() const
{
    return m_status->text();
}

// --- saving ---------------------------------------------------------------------------------

bool ConsoleViewer::saveToFile(const QString &path, SaveMode mode, QString *error) const
{
    // A console may hold what a boot script printed (tokens, internal addresses): a new file
    // is 0600 whatever the umask. A file the engineer chose to overwrite keeps its mode
    // (QSaveFile carries it over).
    const bool created = !QFileInfo::exists(path);
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly)
        || (created && !f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner))) {
        if (error)
            *error = f.errorString();
        return false;
    }
    f.write(mode == SaveMode::Raw ? m_buffer->rawText() : m_buffer->plainText().toUtf8());
    if (!f.commit()) {
        if (error)
            *error = f.errorString();
        return false;
    }
    return true;
}

void ConsoleViewer::saveInteractively(SaveMode mode)
{
    QString dir = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    if (dir.isEmpty())
        dir = QDir::homePath();
    const QString base = (m_suggestedName.isEmpty() ? QStringLiteral("console") : m_suggestedName)
        + QDateTime::currentDateTime().toString(QStringLiteral("-yyyyMMdd-HHmmss"))
        + (mode == SaveMode::Raw ? QStringLiteral("-raw.log") : QStringLiteral(".log"));
    const QString path = QFileDialog::getSaveFileName(
        this, mode == SaveMode::Raw ? tr("Save raw console fetch") : tr("Save console"),
        QDir(dir).filePath(base), tr("Logs (*.log *.txt);;All files (*)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!saveToFile(path, mode, &error))
        QMessageBox::warning(
            this, tr("Save console"),
            tr("Could not save %1:\n%2").arg(QDir::toNativeSeparators(path), error));
}

// --- state for tests ------------------------------------------------------------------------

bool ConsoleViewer::isFollowing() const
{
    return m_view->isFollowing();
}

int ConsoleViewer::topLineNumber() const
{
    return m_view->topLineNumber();
}

int ConsoleViewer::scrollValue() const
{
    return m_view->scrollValue();
}

bool ConsoleViewer::isNewLinesPillVisible() const
{
    return m_view->isNewLinesPillVisible();
}

int ConsoleViewer::newLineCount() const
{
    return m_view->newLineCount();
}

// --- keyboard -------------------------------------------------------------------------------

namespace {
/// The viewer command of a key: the table's keys, and the platform's standard ones.
ConsoleCommand commandOf(const QKeyEvent *e)
{
    const ConsoleCommand c = consoleCommandFor(e);
    if (c != ConsoleCommand::None)
        return c;
    if (e->matches(QKeySequence::Find))
        return ConsoleCommand::Find;
    if (e->matches(QKeySequence::FindPrevious))
        return ConsoleCommand::FindPrevious;
    if (e->matches(QKeySequence::FindNext))
        return ConsoleCommand::FindNext;
    if (e->matches(QKeySequence::Refresh))
        return ConsoleCommand::Refresh;
    if (e->matches(QKeySequence::Save))
        return ConsoleCommand::Save;
    return ConsoleCommand::None;
}
} // namespace

bool ConsoleViewer::isViewerShortcut(const QKeyEvent *e)
{
    const ConsoleCommand c = commandOf(e);
    return c != ConsoleCommand::None && c != ConsoleCommand::CloseFind;
}

bool ConsoleViewer::event(QEvent *e)
{
    if (e->type() == QEvent::ShortcutOverride) {
        auto *ke = static_cast<QKeyEvent *>(e);
        // Claim our keys while the focus is in the viewer, so the window's shortcuts (which may
        // use the same keys for other things) do not fire or become ambiguous here.
        if (isViewerShortcut(ke) || (ke->key() == Qt::Key_Escape && m_findBar->isVisible())) {
            e->accept();
            return true;
        }
    }
    return QWidget::event(e);
}

void ConsoleViewer::keyPressEvent(QKeyEvent *e)
{
    switch (commandOf(e)) {
    case ConsoleCommand::Find:
        openFind();
        break;
    case ConsoleCommand::FindNext:
        findNext();
        break;
    case ConsoleCommand::FindPrevious:
        findPrevious();
        break;
    case ConsoleCommand::Refresh:
        refresh();
        break;
    case ConsoleCommand::Save:
        saveInteractively(SaveMode::Shown);
        break;
    case ConsoleCommand::JumpList:
        openJumpList();
        break;
    case ConsoleCommand::Wrap:
        setWrap(!wrap());
        break;
    case ConsoleCommand::Colors:
        setColorsEnabled(!colorsEnabled());
        break;
    case ConsoleCommand::CloseFind:
        if (m_findBar->isVisible()) {
            closeFind();
            break;
        }
        [[fallthrough]];
    case ConsoleCommand::None:
        QWidget::keyPressEvent(e);
        return;
    }
    e->accept();
}

void ConsoleViewer::openJumpList()
{
    m_jumpWanted = true;
    setJumpListVisible(true);
    saveSettings();
    m_jump->setFocus(Qt::ShortcutFocusReason);
    if (m_jump->currentRow() < 0 && m_jump->count() > 0)
        m_jump->setCurrentRow(0);
}

void ConsoleViewer::showEvent(QShowEvent *e)
{
    QWidget::showEvent(e);
    // Catch up on polls skipped while hidden.
    if (m_autoMs > 0 && m_fetch
        && (!m_lastAttempt.isValid()
            || m_lastAttempt.msecsTo(QDateTime::currentDateTime()) >= m_autoMs))
        refresh();
}

} // namespace cpc::ui
