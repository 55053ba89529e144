// The window shell, over 600 lines: it wires its parts (actions, writes, bundle export, pins,
// journal, list, status bar; each in its own file here) to the session and keeps the selection.
#include "mainwindow.h"

#include "actionregistry.h"
#include "bundleexporter.h"
#include "consolearea.h"
#include "consolekeys.h"
#include "consolestatusbar.h"
#include "consoletab.h"
#include "consoleviewer.h"
#include "cpbanner.h"
#include "detailspane.h"
#include "icons.h"
#include "journalbanner.h"
#include "journalreconciler.h"
#include "keyrouter.h"
#include "logging.h"
#include "modeband.h"
#include "notifier.h"
#include "pins.h"
#include "profiledialog.h"
#include "provisiondialog.h"
#include "quickopen.h"
#include "setupnotice.h"
#include "shortcutsdialog.h"
#include "statuspoller.h"
#include "statuspresentation.h"
#include "statusrecorder.h"
#include "stopdialog.h"
#include "teamactivity.h"
#include "teambanner.h"
#include "termtext.h"
#include "visiblerowtracker.h"
#include "windowlayout.h"
#include "workspacelistpane.h"
#include "workspaceloader.h"
#include "workspacemodel.h"
#include "workspacewrites.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QDockWidget>
#include <QFrame>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QScrollBar>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QTableView>
#include <QVBoxLayout>

namespace cpc::ui {

MainWindow::MainWindow(SecretStore *secrets, SessionOptions base, NotifyMode notify,
                       QWidget *parent)
    : QMainWindow(parent)
    , m_secrets(secrets)
    , m_base(std::move(base))
{
    initResources();
    setObjectName(QStringLiteral("mainWindow"));
    setWindowIcon(appIcon());
    m_model = new WorkspaceModel(this);
    m_loader = new WorkspaceLoader(this);
    connect(m_loader, &WorkspaceLoader::batchReady, this, &MainWindow::takeBatch);
    connect(m_loader, &WorkspaceLoader::progress, this, [this](qint64 loaded, qint64 expected) {
        m_statusBar->showLoading(loaded, expected, !m_loadIntoModel);
    });
    connect(m_loader, &WorkspaceLoader::counted, this, [this](qint64 expected) {
        // Room for all: no batch is copied to make room for the next.
        if (expected > 0)
            m_loadIntoModel ? m_model->reserve(expected) : m_pending.reserve(expected);
    });
    connect(m_loader, &WorkspaceLoader::finished, this, &MainWindow::loadFinished);
    m_pins = std::make_unique<Pins>(m_model);
    buildUi();
    m_layout = new WindowLayout(this, m_splitter, m_table, m_consoleDock, m_consoles);
    m_keys = new KeyRouter(this, m_splitter, m_consoles);
    buildActions();
    m_notifier = new Notifier(
        this, notify == NotifyMode::InWindow ? Notifier::Mode::InWindow : Notifier::Mode::Auto);
    m_tracker = new VisibleRowTracker(m_table, m_model, this);
    m_notifier->setObjectName(QStringLiteral("notifier"));
    buildTeam();
    m_writes = new WorkspaceWrites(this, m_model, m_notifier, m_actions);
    connect(m_writes, &WorkspaceWrites::busyChanged, this, &MainWindow::setBusy);
    connect(m_writes, &WorkspaceWrites::actionError, this, &MainWindow::setActionError);
    connect(m_writes, &WorkspaceWrites::rowChanged, this, &MainWindow::reloadRow);
    connect(m_writes, &WorkspaceWrites::provisioned, this, &MainWindow::selectWorkspace);
    connect(m_writes, &WorkspaceWrites::journalChanged, m_journalReconciler,
            &JournalReconciler::load);
    connect(m_writes, &WorkspaceWrites::writesChanged, this, [this] {
        updateWriteActions();
        updateModeBand();
    });
    m_tracker->setObjectName(QStringLiteral("rowTracker"));
    m_exporter = new BundleExporter(this, m_model, m_consoles);
    connect(m_exporter, &BundleExporter::exportingChanged, this,
            &MainWindow::updateSelectionActions);
    connect(m_exporter, &BundleExporter::exported, this, &MainWindow::bundleExported);

    m_ageTimer.setInterval(1000);
    connect(&m_ageTimer, &QTimer::timeout, this, &MainWindow::tickAges);
    m_ageTimer.start();
    // Counts change with every status answer; a sweep of thousands repaints them a few times a
    // second.
    m_countsTimer.setSingleShot(true);
    m_countsTimer.setInterval(250);
    connect(&m_countsTimer, &QTimer::timeout, this, &MainWindow::updateCounts);
    connect(m_model, &WorkspaceModel::countsChanged, this, [this] {
        if (!m_countsTimer.isActive())
            m_countsTimer.start();
    });
    updateTitle();
    resize(m_layout->defaultSize());
    // The list has the keys at launch: / and Ctrl+F go to the filter, arrows move the rows.
    m_table->setFocus(Qt::OtherFocusReason);
}

MainWindow::~MainWindow()
{
    // An export still fetching is dropped; one writing is finished (the files are whole).
    delete std::exchange(m_exporter, nullptr);
    if (m_recorder)
        m_recorder->flush();
    // The session's poller and operations deliver into this window: stop them first.
    if (m_session && m_session->poller())
        m_session->poller()->stop();
    m_consoles->closeAll();
    delete std::exchange(m_recorder, nullptr);
    m_team->setSession(nullptr); // its feed reads the session's store
    m_session.reset();
}

// --- construction --------------------------------------------------------------------------

void MainWindow::buildActions()
{
    m_actions = new ActionRegistry(this, m_table, m_consoleDock->toggleViewAction());
    buildNavigation();
    connect(action(QStringLiteral("refresh")), &QAction::triggered, this, &MainWindow::refresh);
    connect(action(QStringLiteral("console")), &QAction::triggered, this, &MainWindow::openConsole);
    connect(action(QStringLiteral("checkNow")), &QAction::triggered, this,
            &MainWindow::checkSelectedNow);
    connect(action(QStringLiteral("pin")), &QAction::triggered, this, &MainWindow::togglePinned);
    connect(action(QStringLiteral("copyInstanceId")), &QAction::triggered, this, [this] {
        const std::optional<WorkspaceRow> r = m_model->rowById(m_selectedId);
        if (!r || r->instanceId.isEmpty())
            return;
        QGuiApplication::clipboard()->setText(r->instanceId);
        statusBar()->showMessage(tr("Copied instance ID %1").arg(r->instanceId), 4000);
    });
    connect(action(QStringLiteral("exportBundle")), &QAction::triggered, this,
            &MainWindow::exportBundle);
    connect(action(QStringLiteral("provision")), &QAction::triggered, this,
            [this] { openProvisionDialog(); });
    connect(action(QStringLiteral("stop")), &QAction::triggered, this, [this] { requestStop(); });
    connect(action(QStringLiteral("reconcile")), &QAction::triggered, this,
            [this] { m_journalReconciler->reconcileSelected(false); });
    connect(action(QStringLiteral("clearJournal")), &QAction::triggered, this,
            [this] { m_journalReconciler->reconcileSelected(true); });
    connect(action(QStringLiteral("readOnly")), &QAction::triggered, this,
            &MainWindow::setReadOnlyRequested);
    connect(action(QStringLiteral("profiles")), &QAction::triggered, this,
            [this] { showProfiles(); });
    connect(action(QStringLiteral("focusList")), &QAction::triggered, this,
            [this] { m_table->setFocus(Qt::ShortcutFocusReason); });
    connect(action(QStringLiteral("focusDetails")), &QAction::triggered, this,
            [this] { m_details->setFocus(Qt::ShortcutFocusReason); });
    connect(action(QStringLiteral("closeConsole")), &QAction::triggered, m_consoles,
            &ConsoleArea::closeCurrent);
    connect(action(QStringLiteral("help")), &QAction::triggered, this, &MainWindow::showShortcuts);
    connect(action(QStringLiteral("quit")), &QAction::triggered, this, &QWidget::close);
    m_details->setActions({ action(QStringLiteral("console")), action(QStringLiteral("stop")),
                            action(QStringLiteral("pin")), action(QStringLiteral("checkNow")),
                            action(QStringLiteral("exportBundle")) });
    m_journal->setActions(action(QStringLiteral("reconcile")),
                          action(QStringLiteral("clearJournal")));
    m_keys->setGuardedActions({ action(QStringLiteral("provision")), action(QStringLiteral("stop")),
                                action(QStringLiteral("reconcile")) });
    m_actions->applyIcons();
    updateSelectionActions();
    updateWriteActions();
}

void MainWindow::buildUi()
{
    auto *central = new QWidget(this);
    auto *v = new QVBoxLayout(central);
    v->setContentsMargins(0, 0, 0, 0);
    v->setSpacing(0);

    m_modeBand = new ModeBand(central);
    v->addWidget(m_modeBand);
    m_cpBanner = new CpBanner(central);
    connect(m_cpBanner, &CpBanner::retryRequested, this, [this] {
        // Not pollNow(): the checks a hung CP holds would keep every slot until their deadline.
        if (m_session && m_session->poller())
            m_session->poller()->retryNow();
    });
    v->addWidget(m_cpBanner);
    m_teamBanner = new TeamBanner(central);
    v->addWidget(m_teamBanner);

    m_setupNotice = new SetupNotice(central);
    connect(m_setupNotice, &SetupNotice::profilesRequested, this, [this] { showProfiles(); });
    v->addWidget(m_setupNotice);

    m_journal = new JournalBanner(central);
    m_journal->setNameResolver([this](const QString &id) { return workspaceLabel(id); });
    v->addWidget(m_journal);
    m_journalReconciler = new JournalReconciler(m_journal, this);
    connect(m_journalReconciler, &JournalReconciler::entriesChanged, this,
            &MainWindow::updateWriteActions);
    connect(m_journalReconciler, &JournalReconciler::reconciled, this,
            [this](const QString &workspaceId, const QString &instanceId) {
                m_notifier->notify(tr("Reconciled %1").arg(workspaceLabel(workspaceId)),
                                   instanceId.isEmpty()
                                       ? tr("The CP reports no instance.")
                                       : tr("Instance %1 recorded.").arg(instanceId));
                reloadRow(workspaceId);
            });
    connect(m_journalReconciler, &JournalReconciler::cleared, this,
            [this](const QString &workspaceId) {
                statusBar()->showMessage(tr("Journal entry for %1 cleared").arg(workspaceId), 5000);
            });

    m_splitter = new QSplitter(Qt::Horizontal, central);
    m_splitter->setObjectName(QStringLiteral("mainSplitter"));
    m_list = new WorkspaceListPane(m_model, m_splitter);
    m_table = m_list->table();
    m_filter = m_list->filterEdit();
    connect(m_list, &WorkspaceListPane::filterChanged, this, &MainWindow::updateCounts);
    connect(m_list, &WorkspaceListPane::columnsChanged, this, [this] { m_tracker->schedule(); });
    m_table->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_table, &QTableView::customContextMenuRequested, this, &MainWindow::rowMenu);
    connect(m_table, &QTableView::doubleClicked, this,
            [this](const QModelIndex &) { openConsole(); });
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &MainWindow::onCurrentRowChanged);
    connect(m_model, &QAbstractItemModel::modelReset, this, &MainWindow::onCurrentRowChanged);
    connect(m_model, &QAbstractItemModel::layoutChanged, this, [this] {
        // Sorting or filtering moved rows: keep the selected workspace in view.
        const int r = m_model->visibleRowOf(m_selectedId);
        if (r >= 0)
            m_table->scrollTo(m_model->index(r, 0));
        else
            onCurrentRowChanged();
    });

    m_details = new DetailsPane(m_splitter);
    connect(m_details, &DetailsPane::copied, this,
            [this](const QString &what, const QString &value) {
                statusBar()->showMessage(tr("Copied %1: %2").arg(what, value), 4000);
            });
    connect(m_details, &DetailsPane::actionErrorDismissed, this,
            [this] { m_actionErrors.remove(m_selectedId); });
    m_splitter->addWidget(m_list);
    m_splitter->addWidget(m_details);
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 1);
    m_splitter->setSizes({ 1060, 380 });
    m_splitter->setChildrenCollapsible(false);
    v->addWidget(m_splitter, 1);
    setCentralWidget(central);

    m_consoles = new ConsoleArea(this);
    m_consoleDock = new QDockWidget(tr("Consoles"), this);
    m_consoleDock->setObjectName(QStringLiteral("consoleDock"));
    m_consoleDock->setWidget(m_consoles);
    m_consoleDock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable
                               | QDockWidget::DockWidgetClosable);
    addDockWidget(Qt::BottomDockWidgetArea, m_consoleDock);
    resizeDocks({ m_consoleDock }, { 230 }, Qt::Vertical);

    m_statusBar = new ConsoleStatusBar(this);
    setStatusBar(m_statusBar);
}

void MainWindow::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange && m_actions)
        m_actions->applyIcons();
    QMainWindow::changeEvent(event);
}

QAction *MainWindow::action(const QString &objectName) const
{
    return m_actions->action(objectName);
}

// --- session -------------------------------------------------------------------------------

void MainWindow::setSession(std::unique_ptr<Session> session)
{
    m_exporter->setSession(nullptr, nullptr);
    m_pins->setSession(nullptr);
    m_journalReconciler->setSession(nullptr);
    m_writes->setSession(nullptr);
    m_team->setSession(nullptr);
    if (m_session) {
        if (m_recorder)
            m_recorder->flush();
        if (m_session->poller())
            m_session->poller()->stop();
        m_tracker->setPoller(nullptr);
        m_consoles->setOperations(nullptr);
    }
    delete std::exchange(m_recorder, nullptr); // writes what it holds, on the old session's file
    std::unique_ptr<Session> old = std::move(m_session);
    m_session = std::move(session);
    old.reset();
    m_answered.clear();
    m_actionErrors.clear();
    m_ownBusy.clear();
    m_cpBanner->setReachable();
    connectSession();
    Q_EMIT sessionChanged();
}

void MainWindow::connectSession()
{
    Session *s = m_session.get();
    if (!s)
        return;
    m_recorder = new StatusRecorder(s->state(), this);
    m_exporter->setSession(s, m_recorder);
    m_pins->setSession(s);
    m_journalReconciler->setSession(s);
    m_writes->setSession(s);
    m_team->setSession(s);
    connect(m_recorder, &StatusRecorder::written, this, [this](const QStringList &ids) {
        if (ids.contains(m_selectedId))
            loadHistory(m_selectedId);
    });
    if (Operations *ops = s->operations()) {
        connect(ops, &Operations::workspaceChanged, this, &MainWindow::reloadRow);
    }
    m_consoles->setOperations(s->operations());

    m_model->setRows({}); // another database: nothing of the old one stays on screen
    reloadRows();
    if (StatusPoller *p = s->poller()) {
        connect(p, &StatusPoller::statusChanged, this, &MainWindow::onStatusChanged);
        connect(p, &StatusPoller::transition, this, &MainWindow::onTransition);
        connect(p, &StatusPoller::cpReachabilityChanged, this, &MainWindow::onReachability);
        connect(p, &StatusPoller::cpUnreachableReasonChanged, m_cpBanner,
                &CpBanner::setUnreachable);
        // A retry whose every answer failed again is over: "Retrying…" would be a lie.
        connect(p, &StatusPoller::sweepCompleted, m_cpBanner,
                [this] { m_cpBanner->setRetrying(false); });
        m_tracker->setPoller(p);
        p->start();
    }
    m_tracker->schedule();
    m_statusBar->setReadOnly(false);
    action(QStringLiteral("readOnly"))->setChecked(s->operations()->session().readOnly);
    m_journalReconciler->load();
    updateWriteActions();
    updateModeBand();
    updateTitle();
    updateSetupNotice();
    m_statusBar->showSession(*s);
}

void MainWindow::switchProfile(const QString &name)
{
    SessionOptions o = m_base;
    o.demo = false;
    o.profile = name;
    o.dbUrl.clear();
    statusBar()->showMessage(tr("Switching to profile %1…").arg(name));
    setSession(Session::create(o, m_secrets));
    statusBar()->showMessage(tr("Using profile %1").arg(name), 5000);
}

void MainWindow::reloadRow(const QString &workspaceId)
{
    if (!m_session || !m_session->source())
        return;
    const auto r = m_session->source()->get(workspaceId);
    if (!r) {
        qCWarning(lcUi).noquote() << "could not re-read workspace" << workspaceId
                                  << r.error().message;
        return;
    }
    if (!r.value())
        return;
    const WorkspaceRow &row = *r.value();
    const bool wasKnown = m_model->rowById(workspaceId).has_value();
    m_model->upsertRows({ row });
    if (StatusPoller *p = m_session->poller()) {
        p->updateInstance(workspaceId, row.instanceId);
        p->pollNow(workspaceId);
    }
    if (!wasKnown)
        updateCounts();
    if (workspaceId == m_selectedId)
        showSelectedDetails(false);
    m_tracker->schedule();
}

bool MainWindow::selectWorkspace(const QString &workspaceId)
{
    const int r = m_model->visibleRowOf(workspaceId);
    if (r < 0)
        return false;
    const QModelIndex idx = m_model->index(r, WorkspaceModel::NameColumn);
    m_table->selectionModel()->setCurrentIndex(
        idx, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_table->scrollTo(idx);
    return true;
}

// --- selection and details -----------------------------------------------------------------

void MainWindow::onCurrentRowChanged()
{
    const QModelIndex cur = m_table->selectionModel()->currentIndex();
    // The list made a row current on its own (focus at launch): the row shown in the details
    // is the highlighted one.
    if (cur.isValid() && !m_table->selectionModel()->isRowSelected(cur.row(), {}))
        m_table->selectionModel()->select(
            cur, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    const std::optional<WorkspaceRow> row
        = cur.isValid() ? m_model->rowAt(cur.row()) : std::nullopt;
    const QString id = row ? row->id : QString();
    const bool changed = id != m_selectedId;
    m_selectedId = id;
    showSelectedDetails(changed);
    updateSelectionActions();
}

void MainWindow::showSelectedDetails(bool reloadHistory)
{
    const std::optional<WorkspaceRow> row = m_model->rowById(m_selectedId);
    if (!row) {
        m_details->showWorkspace(std::nullopt, {}, false);
        return;
    }
    m_details->showWorkspace(row, m_model->liveStatus(row->id), m_model->isPinned(row->id));
    const ActionError error = m_actionErrors.value(row->id);
    m_details->setActionError(error.message, error.details);
    if (reloadHistory) {
        loadHistory(row->id);
        loadTeamActivity();
    }
}

void MainWindow::loadHistory(const QString &workspaceId)
{
    if (!m_recorder)
        return;
    m_details->setHistory(m_recorder->history(workspaceId, 50));
}

void MainWindow::updateSelectionActions()
{
    const std::optional<WorkspaceRow> row = m_model->rowById(m_selectedId);
    action(QStringLiteral("console"))->setEnabled(row.has_value());
    action(QStringLiteral("checkNow"))
        ->setEnabled(row.has_value() && m_session && m_session->poller());
    QAction *pin = action(QStringLiteral("pin"));
    pin->setEnabled(row.has_value());
    pin->setChecked(row && m_model->isPinned(row->id));
    pin->setText(pin->isChecked() ? tr("Un&pin") : tr("&Pin"));
    action(QStringLiteral("copyInstanceId"))->setEnabled(row && !row->instanceId.isEmpty());
    // Local files only: not a write, so read-only mode leaves it on.
    action(QStringLiteral("exportBundle"))
        ->setEnabled(row.has_value() && !m_exporter->isExporting());
    updateWriteActions();
}

void MainWindow::updateWriteActions()
{
    Operations *ops = m_session ? m_session->operations() : nullptr;
    QString refused;
    if (!ops)
        refused = tr("no session");
    else if (ops->writesRefused())
        refused = ops->writesRefusedReason();
    else if (!m_session->client())
        refused = tr("the control plane is not configured: ") + m_session->configError();

    const std::optional<WorkspaceRow> row = m_model->rowById(m_selectedId);
    const bool busy = row && m_model->liveStatus(row->id).busy;
    const QString teammate
        = row && m_team && !m_ownBusy.contains(row->id) ? m_team->holdSentence(row->id) : QString();
    const auto apply = [&](QAction *a, const QString &otherwise) {
        const QString why = !refused.isEmpty() ? refused : otherwise;
        a->setEnabled(why.isEmpty());
        a->setProperty("cpcWhyOff", why);
        const QString tip = a->property("cpcTip").toString();
        const QString keys = ShortcutsDialog::keysOf(a);
        a->setToolTip(why.isEmpty() ? QStringLiteral("%1 (%2)").arg(tip, keys)
                                    : tr("%1 — unavailable: %2")
                                          .arg(a->text().remove(u'&').remove(QChar(0x2026)), why));
        a->setStatusTip(why.isEmpty() ? tip : tr("Unavailable: ") + why);
    };
    apply(action(QStringLiteral("provision")), {});
    apply(action(QStringLiteral("stop")),
          !row       ? tr("select a workspace first")
              : busy ? (teammate.isEmpty() ? tr("an action is already running for it") : teammate)
                     : QString());
    apply(action(QStringLiteral("reconcile")),
          m_journal->entries().isEmpty() ? tr("no journal entry has an unknown outcome")
                                         : QString());
    const bool ro = ops && ops->session().readOnly;
    action(QStringLiteral("readOnly"))->setChecked(ro);
    m_statusBar->setReadOnly(ro, ro ? ops->writesRefusedReason() : QString());
}

void MainWindow::setBusy(const QString &workspaceId, bool busy, const QString &label)
{
    if (busy)
        m_ownBusy.insert(workspaceId, label);
    else
        m_ownBusy.remove(workspaceId);
    applyBusy(workspaceId);
}

void MainWindow::applyBusy(const QString &workspaceId)
{
    LiveStatus s = m_model->liveStatus(workspaceId);
    const auto own = m_ownBusy.constFind(workspaceId);
    const QString teammate = m_team->holdLabel(workspaceId);
    // The marker says what is in flight; the state underneath stays the CP's last answer.
    s.busy = own != m_ownBusy.cend() || !teammate.isEmpty();
    s.busyLabel = own != m_ownBusy.cend() ? *own : teammate;
    m_model->setLiveStatus(workspaceId, s);
    if (workspaceId == m_selectedId)
        m_details->updateLive(s);
    updateWriteActions();
}

void MainWindow::setActionError(const QString &workspaceId, const QString &message,
                                const QString &details)
{
    if (message.isEmpty())
        m_actionErrors.remove(workspaceId);
    else
        m_actionErrors.insert(workspaceId, { message, details });
    if (workspaceId == m_selectedId)
        m_details->setActionError(message, details);
}

QString MainWindow::workspaceLabel(const QString &workspaceId) const
{
    // In notifications and messages too, an override in a name is shown, not obeyed.
    return ui::workspaceLabel(*m_model, workspaceId);
}

// --- live status ---------------------------------------------------------------------------

void MainWindow::onStatusChanged(const QString &workspaceId, const LiveStatus &status)
{
    // The poller knows nothing of actions in flight: keep "stopping…" until the CP answers.
    const LiveStatus current = m_model->liveStatus(workspaceId);
    LiveStatus merged = status;
    merged.busy = current.busy;
    merged.busyLabel = current.busyLabel;
    m_model->setLiveStatus(workspaceId, merged);
    if (workspaceId == m_selectedId)
        m_details->updateLive(merged);
}

void MainWindow::onTransition(const QString &workspaceId, RunState from, RunState to,
                              const LiveStatus &status, bool pinned)
{
    const bool first = !m_answered.contains(workspaceId);
    m_answered.insert(workspaceId);
    StatusSample sample;
    sample.at = status.checkedAt.isValid() ? status.checkedAt : QDateTime::currentDateTimeUtc();
    sample.workspaceId = workspaceId;
    sample.state = to;
    sample.cpState = status.cpState;
    if (first)
        sample.detail = to == RunState::Unknown
            ? QStringLiteral("first check: %1").arg(status.reason)
            : QStringLiteral("first check");
    else
        sample.detail = QStringLiteral("%1 → %2").arg(runStateLabel(from), runStateLabel(to))
            + (to == RunState::Unknown && !status.reason.isEmpty()
                   ? QStringLiteral(" (%1)").arg(status.reason)
                   : QString());
    if (m_recorder) {
        m_recorder->append(sample);
        if (workspaceId == m_selectedId)
            loadHistory(workspaceId);
    }

    if (pinned && !first) {
        const std::optional<WorkspaceRow> r = m_model->rowById(workspaceId);
        const QString msg
            = liveSentence(status, r && !r->instanceId.isEmpty(), QDateTime::currentDateTimeUtc());
        m_notifier->notify(
            QStringLiteral("%1: %2 → %3")
                .arg(workspaceLabel(workspaceId), runStateLabel(from), runStateLabel(to)),
            msg);
    }
}

void MainWindow::onReachability(bool reachable, const QString &reason)
{
    if (reachable) {
        m_cpBanner->setReachable();
        statusBar()->showMessage(tr("Control plane reachable again"), 5000);
    } else {
        m_cpBanner->setUnreachable(reason);
    }
    m_statusBar->setCpReachable(reachable, m_session->cpDescription());
}

void MainWindow::tickAges()
{
    // Ages are painted from each row's timestamps: repaint the Live column, nothing else.
    const int x = m_table->columnViewportPosition(WorkspaceModel::LiveColumn);
    if (x >= 0 && !m_table->isColumnHidden(WorkspaceModel::LiveColumn)) {
        const int w = m_table->columnWidth(WorkspaceModel::LiveColumn);
        m_table->viewport()->update(QRect(x, 0, w, m_table->viewport()->height()));
    }
    m_details->refreshAges();
    m_cpBanner->refreshAge();
}

void MainWindow::updateCounts()
{
    m_statusBar->showCounts(*m_model);
    // The database statuses, with their counts, where they are chosen.
    m_list->setStatusCounts(m_model->statusCounts(), m_model->totalCount());
}

// --- bands, title, notices -----------------------------------------------------------------

void MainWindow::updateTitle()
{
    if (!m_session) {
        setWindowTitle(tr("CP Console"));
        return;
    }
    if (m_session->isDemo()) {
        setWindowTitle(tr("CP Console — DEMO"));
        return;
    }
    QString t = tr("CP Console — %1")
                    .arg(m_session->profileName().isEmpty() ? QStringLiteral("environment")
                                                            : m_session->profileName());
    // Which tenant, at a glance in the task bar: the org ID, shortened (the status bar has it
    // whole).
    if (const QString org = termtext::sanitize(m_session->config().orgId); !org.isEmpty())
        t += tr(" · org %1").arg(org.size() > 12 ? org.left(8) + QChar(0x2026) : org);
    if (m_session->isProduction())
        t += tr(" (PRODUCTION)");
    setWindowTitle(t);
}

void MainWindow::updateModeBand()
{
    m_modeBand->showSession(m_session.get(), m_model->totalCount());
}

void MainWindow::updateSetupNotice()
{
    m_setupNotice->showSession(m_session.get());
}

// --- pins ----------------------------------------------------------------------------------

void MainWindow::togglePinned()
{
    const std::optional<WorkspaceRow> row = m_model->rowById(m_selectedId);
    if (!row)
        return;
    const bool pin = !m_model->isPinned(row->id);
    m_pins->setPinned(row->id, pin);
    updateSelectionActions();
    showSelectedDetails(false);
    statusBar()->showMessage(pin ? tr("Pinned %1: polled even off screen; changes are notified")
                                       .arg(workspaceLabel(row->id))
                                 : tr("Unpinned %1").arg(workspaceLabel(row->id)),
                             5000);
}

// --- actions -------------------------------------------------------------------------------

void MainWindow::refresh()
{
    // F5 in a console refreshes that console; anywhere else the list and its statuses.
    if (QWidget *f = QApplication::focusWidget();
        f && m_consoles->isAncestorOf(f) && m_consoles->currentTab()) {
        m_consoles->refreshCurrent();
        return;
    }
    reloadRows();
    m_journalReconciler->load();
    if (m_session && m_session->poller())
        m_session->poller()->pollNow();
    statusBar()->showMessage(tr("Reloaded %1 workspaces; asking the CP for every shown status")
                                 .arg(m_model->totalCount()),
                             4000);
}

void MainWindow::checkSelectedNow()
{
    if (!m_session || !m_session->poller() || m_selectedId.isEmpty())
        return;
    m_session->poller()->pollNow(m_selectedId);
}

void MainWindow::openConsole()
{
    const std::optional<WorkspaceRow> row = m_model->rowById(m_selectedId);
    if (!row)
        return;
    m_consoleDock->show();
    m_consoleDock->raise();
    m_consoles->open(row->id, termtext::sanitize(row->name));
    m_layout->giveConsoleTheScreen();
    m_consoles->focusText(); // the engineer came to read it: arrows and / work at once
}

ProvisionDialog *MainWindow::openProvisionDialog()
{
    return m_writes->openProvisionDialog(m_selectedId);
}

StopDialog *MainWindow::requestStop()
{
    return m_writes->requestStop(m_selectedId);
}

void MainWindow::stopWorkspace(const QString &workspaceId)
{
    m_writes->stopWorkspace(workspaceId);
}

void MainWindow::setReadOnlyRequested(bool readOnly)
{
    m_writes->setReadOnlyRequested(readOnly);
}
ShortcutsDialog *MainWindow::showShortcuts()
{
    if (m_helpDialog) {
        m_helpDialog->raise();
        return m_helpDialog;
    }
    QList<KeyBinding> consoleBindings;
    for (const ConsoleKey &k : consoleKeys())
        consoleBindings << k.binding;
    auto *dlg = new ShortcutsDialog(m_actions->keyboardActions(), consoleBindings, this);
    dlg->setAttribute(Qt::WA_DeleteOnClose);
    m_helpDialog = dlg;
    dlg->open();
    return dlg;
}

ProfileDialog *MainWindow::showProfiles()
{
    if (m_profileDialog) {
        m_profileDialog->raise();
        return m_profileDialog;
    }
    auto *dlg = new ProfileDialog(
        m_base.profileSettingsFile, m_secrets, m_base.env,
        m_session && !m_session->isDemo() ? m_session->profileName() : QString(), this);
    dlg->setAttribute(Qt::WA_DeleteOnClose);
    connect(dlg, &ProfileDialog::switchRequested, this, &MainWindow::switchProfile);
    m_profileDialog = dlg;
    dlg->open();
    return dlg;
}

// --- incident bundle -----------------------------------------------------------------------

void MainWindow::setBundleDirectoryChooser(DirectoryChooser chooser)
{
    m_exporter->setDirectoryChooser(std::move(chooser));
}

bool MainWindow::isExportingBundle() const
{
    return m_exporter->isExporting();
}

void MainWindow::exportBundle()
{
    if (m_model->rowById(m_selectedId))
        m_exporter->exportBundle(m_selectedId, workspaceLabel(m_selectedId));
}

void MainWindow::cancelBundleExport()
{
    m_exporter->cancel();
}

// --- menus ---------------------------------------------------------------------------------

void MainWindow::rowMenu(const QPoint &pos)
{
    const QModelIndex idx = m_table->indexAt(pos);
    if (!idx.isValid())
        return;
    QMenu menu(this);
    for (const QString &n :
         { QStringLiteral("console"), QStringLiteral("checkNow"), QStringLiteral("pin"),
           QStringLiteral("copyInstanceId"), QStringLiteral("exportBundle") })
        menu.addAction(action(n));
    menu.addSeparator();
    menu.addAction(action(QStringLiteral("stop")));
    menu.exec(m_table->viewport()->mapToGlobal(pos));
}

// --- layout persistence --------------------------------------------------------------------

void MainWindow::restoreLayout()
{
    m_layout->restore();
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    m_layout->save();
    if (m_recorder)
        m_recorder->flush();
    QMainWindow::closeEvent(event);
}

} // namespace cpc::ui
