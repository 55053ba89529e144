#include "mainwindow.h"

#include "bundle.h"
#include "consolearea.h"
#include "consolebuffer.h"
#include "consoletab.h"
#include "consoleviewer.h"
#include "cpbanner.h"
#include "detailspane.h"
#include "icons.h"
#include "journalbanner.h"
#include "ledgernotice.h"
#include "livestatusdelegate.h"
#include "logging.h"
#include "modeband.h"
#include "namedelegate.h"
#include "notifier.h"
#include "profiledialog.h"
#include "provisiondialog.h"
#include "shortcutsdialog.h"
#include "simulator.h"
#include "statuspoller.h"
#include "statuspresentation.h"
#include "statusrecorder.h"
#include "stopdialog.h"
#include "termtext.h"
#include "visiblerowtracker.h"
#include "workspacemodel.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QComboBox>
#include <QDesktopServices>
#include <QDir>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QFileDialog>
#include <QFileInfo>
#include <QFrame>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressDialog>
#include <QPushButton>
#include <QScrollBar>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QTableView>
#include <QThread>
#include <QToolBar>
#include <QUrl>
#include <QVBoxLayout>

namespace cpc::ui {

namespace {

const QString kSettingsGroup = QStringLiteral("mainwindow");

QString pinnedKey(const Session *s)
{
    return QStringLiteral("pinned/")
        + (s && !s->profileName().isEmpty() ? s->profileName() : QStringLiteral("default"));
}

/// Keys in the filter box that hand over to the list: ↓ and Enter go to the rows, Esc clears.
class FilterKeys : public QObject
{
public:
    FilterKeys(QLineEdit *edit, QTableView *table)
        : QObject(edit)
        , m_edit(edit)
        , m_table(table)
    {
    }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (watched != m_edit || event->type() != QEvent::KeyPress)
            return false;
        auto *ke = static_cast<QKeyEvent *>(event);
        switch (ke->key()) {
        case Qt::Key_Down:
        case Qt::Key_Return:
        case Qt::Key_Enter:
            m_table->setFocus(Qt::ShortcutFocusReason);
            if (!m_table->currentIndex().isValid() && m_table->model()->rowCount() > 0)
                m_table->setCurrentIndex(m_table->model()->index(0, 0));
            return true;
        case Qt::Key_Escape:
            if (!m_edit->text().isEmpty())
                m_edit->clear();
            else
                m_table->setFocus(Qt::ShortcutFocusReason);
            return true;
        default:
            return false;
        }
    }

private:
    QLineEdit *m_edit;
    QTableView *m_table;
};

/// Where a bundle goes: the chosen directory when it is empty (or not there yet), else a new
/// "incident-<workspace>-<UTC time>" directory inside it, so nothing is ever mixed or overwritten.
QString bundleDirectory(const QString &chosen, const QString &workspaceId)
{
    const QDir dir(chosen);
    if (!dir.exists() || dir.isEmpty(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden))
        return QDir::cleanPath(chosen);
    QString safeId = workspaceId;
    for (QChar &c : safeId) {
        if (!(c.isLetterOrNumber() && c.unicode() < 128) && c != u'-' && c != u'_' && c != u'.')
            c = u'_';
    }
    const QString base
        = QStringLiteral("incident-%1-%2")
              .arg(safeId.left(80),
                   QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd-HHmmss'Z'")));
    QString name = base;
    for (int n = 2; dir.exists(name); ++n)
        name = base + u'-' + QString::number(n);
    return dir.filePath(name);
}

quint64 g_nextBundleExport = 1;

} // namespace

/// One "Export incident bundle…" from the directory choice to the report.
struct MainWindow::BundleExport
{
    quint64 generation = g_nextBundleExport++; ///< callbacks of an older export are ignored
    QString workspaceId;
    QString label;
    QString directory;
    QString profile;
    QString orgId;
    QString cpUrl;
    QPointer<QObject> context; ///< owns this export's timers and callbacks
    CallHandle call; ///< the console fetch
    QElapsedTimer elapsed;
    QPointer<QProgressDialog> progress;
    bool writing = false; ///< the writer thread runs: too late to cancel

    ~BundleExport()
    {
        call.cancel();
        if (progress) {
            progress->hide();
            progress->deleteLater();
        }
        if (context)
            context->deleteLater();
    }
};

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
    buildUi();
    buildActions();
    m_notifier = new Notifier(
        this, notify == NotifyMode::InWindow ? Notifier::Mode::InWindow : Notifier::Mode::Auto);
    m_tracker = new VisibleRowTracker(m_table, m_model, this);

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
    resize(1440, 900);
}

MainWindow::~MainWindow()
{
    // An export still fetching is dropped; one writing is finished (the files are whole).
    m_bundle.reset();
    if (m_bundleThread) {
        m_bundleThread->wait();
        delete m_bundleThread.data();
    }
    if (m_recorder)
        m_recorder->flush();
    // The session's poller and operations deliver into this window: stop them first.
    if (m_session && m_session->poller())
        m_session->poller()->stop();
    m_consoles->closeAll();
    delete std::exchange(m_recorder, nullptr);
    m_session.reset();
}

// --- construction --------------------------------------------------------------------------

QAction *MainWindow::makeAction(const QString &objectName, const QString &text,
                                const QString &iconName, const QList<QKeySequence> &keys,
                                const QString &statusTip)
{
    auto *a = new QAction(text, this);
    a->setObjectName(objectName);
    a->setShortcuts(keys);
    a->setStatusTip(statusTip);
    a->setProperty("cpcIcon", iconName);
    a->setProperty("cpcTip", statusTip);
    const QString keyText = ShortcutsDialog::keysOf(a);
    a->setToolTip(keyText.isEmpty() ? statusTip
                                    : QStringLiteral("%1 (%2)").arg(statusTip, keyText));
    addAction(a); // window-wide shortcuts work wherever the focus is in this window
    m_actions.insert(objectName, a);
    m_keyboardActions << a;
    return a;
}

QAction *MainWindow::makeAlias(QAction *of, const QString &objectName,
                               const QList<QKeySequence> &keys, QWidget *scope)
{
    auto *alias = new QAction(of->text(), scope);
    alias->setObjectName(objectName);
    alias->setShortcuts(keys);
    alias->setShortcutContext(scope == this ? Qt::WindowShortcut : Qt::WidgetShortcut);
    scope->addAction(alias);
    connect(alias, &QAction::triggered, of, &QAction::trigger);
    // An alias follows its action: disabled with it, for the same reason.
    connect(of, &QAction::changed, alias, [alias, of] {
        alias->setEnabled(of->isEnabled());
        alias->setToolTip(of->toolTip());
    });
    alias->setProperty("cpcMutating", of->property("cpcMutating"));
    QList<QObject *> aliases = of->property("cpcAliases").value<QList<QObject *>>();
    aliases << alias;
    of->setProperty("cpcAliases", QVariant::fromValue(aliases));
    m_actions.insert(objectName, alias);
    const QString keyText = ShortcutsDialog::keysOf(of);
    of->setToolTip(QStringLiteral("%1 (%2)").arg(of->property("cpcTip").toString(), keyText));
    return alias;
}

void MainWindow::buildActions()
{
    QAction *filter
        = makeAction(QStringLiteral("filter"), QStringLiteral("&Filter"), QStringLiteral("filter"),
                     { QKeySequence(Qt::CTRL | Qt::Key_F) },
                     QStringLiteral("Filter the list by name, ID, instance, runtime or status"));
    connect(filter, &QAction::triggered, this, [this] {
        m_filter->setFocus(Qt::ShortcutFocusReason);
        m_filter->selectAll();
    });
    makeAlias(filter, QStringLiteral("filterSlash"), { QKeySequence(Qt::Key_Slash) }, this);

    QAction *refresh = makeAction(
        QStringLiteral("refresh"), QStringLiteral("&Refresh"), QStringLiteral("refresh"),
        { QKeySequence(Qt::Key_F5), QKeySequence(Qt::CTRL | Qt::Key_R) },
        QStringLiteral("Reload the workspaces and ask the CP for every shown status now "
                       "(in a console: fetch it again)"));
    connect(refresh, &QAction::triggered, this, &MainWindow::refresh);

    QAction *console
        = makeAction(QStringLiteral("console"), QStringLiteral("Open &console"),
                     QStringLiteral("console"), { QKeySequence(Qt::CTRL | Qt::Key_O) },
                     QStringLiteral("Read the serial console of the selected workspace"));
    connect(console, &QAction::triggered, this, &MainWindow::openConsole);
    makeAlias(console, QStringLiteral("consoleEnter"),
              { QKeySequence(Qt::Key_Return), QKeySequence(Qt::Key_Enter) }, m_table);

    QAction *check
        = makeAction(QStringLiteral("checkNow"), QStringLiteral("Check status &now"),
                     QStringLiteral("refresh"), { QKeySequence(Qt::SHIFT | Qt::Key_F5) },
                     QStringLiteral("Ask the CP for the selected workspace's status now"));
    connect(check, &QAction::triggered, this, &MainWindow::checkSelectedNow);

    QAction *pin = makeAction(
        QStringLiteral("pin"), QStringLiteral("&Pin"), QStringLiteral("pin"),
        { QKeySequence(Qt::CTRL | Qt::Key_P) },
        QStringLiteral("Pin or unpin: pinned workspaces are polled even off screen and "
                       "notify on every change"));
    pin->setCheckable(true);
    connect(pin, &QAction::triggered, this, &MainWindow::togglePinned);

    QAction *copyIid
        = makeAction(QStringLiteral("copyInstanceId"), QStringLiteral("Copy &instance ID"),
                     QStringLiteral("copy"), { QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C) },
                     QStringLiteral("Copy the selected workspace's instance ID"));
    connect(copyIid, &QAction::triggered, this, [this] {
        const WorkspaceRow *r = m_model->rowById(m_selectedId);
        if (!r || r->instanceId.isEmpty())
            return;
        QGuiApplication::clipboard()->setText(r->instanceId);
        statusBar()->showMessage(QStringLiteral("Copied instance ID %1").arg(r->instanceId), 4000);
    });

    QAction *bundle = makeAction(
        QStringLiteral("exportBundle"), QStringLiteral("&Export incident bundle…"),
        QStringLiteral("bundle"), { QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E) },
        QStringLiteral("Write the selected workspace's row, status history, audit entries and "
                       "console (as shown and raw) with SHA-256 sums into a directory; "
                       "local files only, no secret"));
    bundle->setIconText(QStringLiteral("Export bundle"));
    connect(bundle, &QAction::triggered, this, &MainWindow::exportBundle);

    QAction *provision
        = makeAction(QStringLiteral("provision"), QStringLiteral("Pro&vision…"),
                     QStringLiteral("provision"), { QKeySequence(Qt::CTRL | Qt::Key_N) },
                     QStringLiteral("Provision compute for a workspace"));
    provision->setProperty("cpcMutating", true);
    connect(provision, &QAction::triggered, this, [this] { openProvisionDialog(); });

    QAction *stop
        = makeAction(QStringLiteral("stop"), QStringLiteral("&Stop…"), QStringLiteral("stop"),
                     { QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S) },
                     QStringLiteral("Stop the selected workspace's compute (asks first)"));
    stop->setProperty("cpcMutating", true);
    connect(stop, &QAction::triggered, this, [this] { requestStop(); });
    makeAlias(stop, QStringLiteral("stopDelete"), { QKeySequence(Qt::Key_Delete) }, m_table);

    QAction *reconcile = makeAction(
        QStringLiteral("reconcile"), QStringLiteral("Reconcile &journal"),
        QStringLiteral("reconcile"), { QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_J) },
        QStringLiteral("Ask the CP about provisions whose outcome is unknown (same "
                       "idempotency key, never a second instance)"));
    reconcile->setProperty("cpcMutating", true);
    connect(reconcile, &QAction::triggered, this, [this] { reconcileSelected(false); });

    QAction *clearJournal = new QAction(QStringLiteral("Clear entry"), this);
    clearJournal->setObjectName(QStringLiteral("clearJournal"));
    clearJournal->setToolTip(
        QStringLiteral("Close the selected journal entries without asking the CP"));
    clearJournal->setProperty("cpcIcon", QStringLiteral("close"));
    m_actions.insert(clearJournal->objectName(), clearJournal);
    connect(clearJournal, &QAction::triggered, this, [this] { reconcileSelected(true); });

    QAction *readOnly = makeAction(
        QStringLiteral("readOnly"), QStringLiteral("Read-&only mode"), QStringLiteral("lock"),
        { QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_L) },
        QStringLiteral("Turn every write (provision, stop, reconcile) off, or on again "
                       "after a confirmation"));
    readOnly->setCheckable(true);
    connect(readOnly, &QAction::triggered, this, &MainWindow::setReadOnlyRequested);

    QAction *profiles
        = makeAction(QStringLiteral("profiles"), QStringLiteral("P&rofiles…"),
                     QStringLiteral("profile"), { QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_P) },
                     QStringLiteral("Create, edit, delete or switch profiles"));
    connect(profiles, &QAction::triggered, this, [this] { showProfiles(); });

    QAction *focusList = makeAction(QStringLiteral("focusList"), QStringLiteral("Go to the list"),
                                    QString(), { QKeySequence(Qt::CTRL | Qt::Key_1) },
                                    QStringLiteral("Move the focus to the workspace list"));
    connect(focusList, &QAction::triggered, this,
            [this] { m_table->setFocus(Qt::ShortcutFocusReason); });
    QAction *focusDetails
        = makeAction(QStringLiteral("focusDetails"), QStringLiteral("Go to the details"), QString(),
                     { QKeySequence(Qt::CTRL | Qt::Key_2) },
                     QStringLiteral("Move the focus to the details pane"));
    connect(focusDetails, &QAction::triggered, this,
            [this] { m_details->setFocus(Qt::ShortcutFocusReason); });
    QAction *focusConsole
        = makeAction(QStringLiteral("focusConsole"), QStringLiteral("Go to the console"), QString(),
                     { QKeySequence(Qt::CTRL | Qt::Key_3) },
                     QStringLiteral("Move the focus to the open console"));
    connect(focusConsole, &QAction::triggered, this, [this] {
        m_consoleDock->show();
        m_consoleDock->raise();
        m_consoles->setFocus(Qt::ShortcutFocusReason);
    });
    QAction *closeConsole
        = makeAction(QStringLiteral("closeConsole"), QStringLiteral("Close console tab"),
                     QStringLiteral("close"), { QKeySequence(Qt::CTRL | Qt::Key_W) },
                     QStringLiteral("Close the current console tab"));
    connect(closeConsole, &QAction::triggered, m_consoles, &ConsoleArea::closeCurrent);

    QAction *help = makeAction(QStringLiteral("help"), QStringLiteral("&Keyboard shortcuts"),
                               QStringLiteral("help"), { QKeySequence(Qt::Key_F1) },
                               QStringLiteral("List every key of the console"));
    connect(help, &QAction::triggered, this, &MainWindow::showShortcuts);
    makeAlias(help, QStringLiteral("helpQuestion"), { QKeySequence(Qt::Key_Question) }, this);

    QAction *quit
        = makeAction(QStringLiteral("quit"), QStringLiteral("&Quit"), QString(),
                     { QKeySequence(Qt::CTRL | Qt::Key_Q) }, QStringLiteral("Close the console"));
    connect(quit, &QAction::triggered, this, &QWidget::close);

    // Menus: every action is reachable with the mouse and shows its key.
    QMenu *file = menuBar()->addMenu(QStringLiteral("&File"));
    file->addAction(profiles);
    file->addAction(readOnly);
    file->addSeparator();
    file->addAction(quit);
    QMenu *ws = menuBar()->addMenu(QStringLiteral("&Workspace"));
    for (QAction *a : { console, check, pin, copyIid })
        ws->addAction(a);
    ws->addAction(bundle);
    ws->addSeparator();
    ws->addAction(provision);
    ws->addAction(stop);
    ws->addSeparator();
    ws->addAction(reconcile);
    QMenu *view = menuBar()->addMenu(QStringLiteral("&View"));
    for (QAction *a : { filter, refresh, focusList, focusDetails, focusConsole, closeConsole })
        view->addAction(a);
    view->addSeparator();
    view->addAction(m_consoleDock->toggleViewAction());
    QMenu *helpMenu = menuBar()->addMenu(QStringLiteral("&Help"));
    helpMenu->addAction(help);

    auto *tb = new QToolBar(QStringLiteral("Actions"), this);
    tb->setObjectName(QStringLiteral("mainToolbar"));
    tb->setMovable(false);
    tb->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    tb->setIconSize(QSize(18, 18));
    for (QAction *a : { refresh, console, pin })
        tb->addAction(a);
    tb->addSeparator();
    tb->addAction(provision);
    tb->addAction(stop);
    tb->addSeparator();
    tb->addAction(readOnly);
    tb->addAction(profiles);
    tb->addAction(help);
    addToolBar(Qt::TopToolBarArea, tb);

    m_details->setActions({ console, stop, pin, check, bundle });
    m_journal->setActions(reconcile, clearJournal);
    applyIcons();
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

    m_setupNotice = new QFrame(central);
    m_setupNotice->setObjectName(QStringLiteral("setupNotice"));
    m_setupNotice->setFrameShape(QFrame::StyledPanel);
    m_setupNotice->setAutoFillBackground(true);
    {
        QPalette p = m_setupNotice->palette();
        p.setColor(QPalette::Window, colors::warning);
        p.setColor(QPalette::WindowText, Qt::black);
        m_setupNotice->setPalette(p);
        auto *h = new QHBoxLayout(m_setupNotice);
        h->setContentsMargins(10, 6, 10, 6);
        m_setupText = new QLabel(m_setupNotice);
        m_setupText->setObjectName(QStringLiteral("setupText"));
        m_setupText->setWordWrap(true);
        m_setupText->setTextInteractionFlags(Qt::TextSelectableByMouse);
        h->addWidget(m_setupText, 1);
        auto *open = new QPushButton(QStringLiteral("Profiles…"), m_setupNotice);
        open->setPalette(palette());
        connect(open, &QPushButton::clicked, this, [this] { showProfiles(); });
        h->addWidget(open);
    }
    m_setupNotice->hide();
    v->addWidget(m_setupNotice);

    m_journal = new JournalBanner(central);
    v->addWidget(m_journal);

    m_filter = new QLineEdit(this);
    m_filter->setObjectName(QStringLiteral("filterEdit"));
    m_filter->setClearButtonEnabled(true);
    m_filter->setPlaceholderText(
        QStringLiteral("Filter: name, ID, instance, runtime, status   (/ or Ctrl+F)"));
    m_filter->addAction(icon(QStringLiteral("filter"), this), QLineEdit::LeadingPosition);
    m_filter->setAccessibleName(QStringLiteral("Filter workspaces"));
    connect(m_filter, &QLineEdit::textChanged, this, [this](const QString &t) {
        m_model->setFilterText(t);
        updateCounts();
    });
    m_statusFilter = new QComboBox(this);
    m_statusFilter->setObjectName(QStringLiteral("statusFilter"));
    m_statusFilter->setToolTip(QStringLiteral("Show only workspaces with this database status"));
    m_statusFilter->addItem(QStringLiteral("All statuses"));
    for (const QString &s : knownWorkspaceStatuses()) {
        if (s != QLatin1String("removed"))
            m_statusFilter->addItem(s, s);
    }
    connect(m_statusFilter, &QComboBox::currentIndexChanged, this, [this](int i) {
        const QString s = m_statusFilter->itemData(i).toString();
        m_model->setStatusFilter(s.isEmpty() ? QStringList() : QStringList { s });
        updateCounts();
    });

    m_splitter = new QSplitter(Qt::Horizontal, central);
    m_splitter->setObjectName(QStringLiteral("mainSplitter"));
    // Left: the filter row right above the list it filters, then the list.
    auto *listPane = new QWidget(m_splitter);
    auto *lv = new QVBoxLayout(listPane);
    lv->setContentsMargins(0, 4, 0, 0);
    lv->setSpacing(4);
    auto *filterRow = new QHBoxLayout;
    filterRow->setContentsMargins(4, 0, 4, 0);
    filterRow->addWidget(m_filter, 1);
    filterRow->addWidget(m_statusFilter);
    lv->addLayout(filterRow);
    m_table = new QTableView(listPane);
    lv->addWidget(m_table, 1);
    m_table->setObjectName(QStringLiteral("workspaceTable"));
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->setShowGrid(false);
    m_table->setTabKeyNavigation(false);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 10);
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->setItemDelegateForColumn(WorkspaceModel::LiveColumn, new LiveStatusDelegate(m_table));
    m_table->setItemDelegateForColumn(WorkspaceModel::NameColumn, new NameDelegate(m_table));
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(WorkspaceModel::NameColumn, Qt::AscendingOrder);
    m_table->setAccessibleName(QStringLiteral("Workspaces"));
    QHeaderView *header = m_table->horizontalHeader();
    header->setSectionsMovable(true);
    header->setHighlightSections(false);
    header->setStretchLastSection(true);
    header->setContextMenuPolicy(Qt::CustomContextMenu);
    header->setToolTip(QStringLiteral("Click to sort; right-click to choose columns"));
    connect(header, &QHeaderView::customContextMenuRequested, this, &MainWindow::headerMenu);
    const QFontMetrics fm = m_table->fontMetrics();
    header->resizeSection(WorkspaceModel::NameColumn,
                          fm.horizontalAdvance(QStringLiteral("payments-api-eu-west")) + 24);
    header->resizeSection(WorkspaceModel::IdColumn,
                          fm.horizontalAdvance(QStringLiteral("00000000-0000-0000")) + 12);
    header->resizeSection(WorkspaceModel::StatusColumn,
                          fm.horizontalAdvance(QStringLiteral("awaiting_agent")) + 24);
    header->resizeSection(
        WorkspaceModel::LiveColumn,
        fm.horizontalAdvance(QStringLiteral("unknown  CP unreachable · last running 5 min")) + 24);
    header->resizeSection(WorkspaceModel::InstanceColumn,
                          fm.horizontalAdvance(QStringLiteral("mol-ws-00000000000000000000")) + 12);
    header->resizeSection(WorkspaceModel::RuntimeColumn,
                          fm.horizontalAdvance(QStringLiteral("Runtime")) + 24);
    header->resizeSection(WorkspaceModel::UpdatedColumn,
                          fm.horizontalAdvance(QStringLiteral("2026-11-27 09:12")) + 16);
    header->resizeSection(WorkspaceModel::TierColumn,
                          fm.horizontalAdvance(QStringLiteral("Tier")) + 28);
    // The ID, tier and provider are in the details pane; shown in the list when chosen from the
    // header menu (remembered).
    header->setSectionHidden(WorkspaceModel::IdColumn, true);
    header->setSectionHidden(WorkspaceModel::TierColumn, true);
    header->setSectionHidden(WorkspaceModel::ProviderColumn, true);
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
    m_filter->installEventFilter(new FilterKeys(m_filter, m_table));

    m_details = new DetailsPane(m_splitter);
    connect(m_details, &DetailsPane::copied, this,
            [this](const QString &what, const QString &value) {
                statusBar()->showMessage(QStringLiteral("Copied %1: %2").arg(what, value), 4000);
            });
    connect(m_details, &DetailsPane::actionErrorDismissed, this,
            [this] { m_actionErrors.remove(m_selectedId); });
    m_splitter->addWidget(listPane);
    m_splitter->addWidget(m_details);
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 1);
    m_splitter->setSizes({ 1060, 380 });
    m_splitter->setChildrenCollapsible(false);
    v->addWidget(m_splitter, 1);
    setCentralWidget(central);

    m_consoles = new ConsoleArea(this);
    m_consoleDock = new QDockWidget(QStringLiteral("Consoles"), this);
    m_consoleDock->setObjectName(QStringLiteral("consoleDock"));
    m_consoleDock->setWidget(m_consoles);
    m_consoleDock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable
                               | QDockWidget::DockWidgetClosable);
    addDockWidget(Qt::BottomDockWidgetArea, m_consoleDock);
    resizeDocks({ m_consoleDock }, { 230 }, Qt::Vertical);

    // Status bar: counts (shape + word + number), how many are shown, READ-ONLY, CP, profile.
    m_countsLabel = new QLabel(this);
    m_countsLabel->setObjectName(QStringLiteral("counts"));
    m_shownLabel = new QLabel(this);
    m_shownLabel->setObjectName(QStringLiteral("shown"));
    m_readOnlyLabel = new QLabel(QStringLiteral(" READ-ONLY "), this);
    m_readOnlyLabel->setObjectName(QStringLiteral("readOnlyMarker"));
    m_readOnlyLabel->setAutoFillBackground(true);
    {
        QPalette p = m_readOnlyLabel->palette();
        p.setColor(QPalette::Window, colors::readOnly);
        p.setColor(QPalette::WindowText, Qt::black);
        m_readOnlyLabel->setPalette(p);
        QFont f = m_readOnlyLabel->font();
        f.setBold(true);
        m_readOnlyLabel->setFont(f);
    }
    m_readOnlyLabel->hide();
    m_cpLabel = new QLabel(this);
    m_cpLabel->setObjectName(QStringLiteral("cpLabel"));
    m_profileLabel = new QLabel(this);
    m_profileLabel->setObjectName(QStringLiteral("profileLabel"));
    statusBar()->addWidget(m_countsLabel, 1);
    statusBar()->addPermanentWidget(m_shownLabel);
    statusBar()->addPermanentWidget(m_readOnlyLabel);
    statusBar()->addPermanentWidget(m_cpLabel);
    statusBar()->addPermanentWidget(m_profileLabel);
}

void MainWindow::applyIcons()
{
    for (QAction *a : std::as_const(m_actions)) {
        const QString name = a->property("cpcIcon").toString();
        if (!name.isEmpty())
            a->setIcon(icon(name, this));
    }
}

void MainWindow::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        applyIcons();
    QMainWindow::changeEvent(event);
}

QAction *MainWindow::action(const QString &objectName) const
{
    return m_actions.value(objectName);
}

QList<QAction *> MainWindow::mutatingActions() const
{
    QList<QAction *> out;
    for (QAction *a : std::as_const(m_actions)) {
        if (a->property("cpcMutating").toBool())
            out << a;
    }
    return out;
}

QList<QAction *> MainWindow::keyboardActions() const
{
    return m_keyboardActions;
}

// --- session -------------------------------------------------------------------------------

void MainWindow::setSession(std::unique_ptr<Session> session)
{
    // A console fetch of the old session cannot finish once it is gone (a bundle already being
    // written is finished: it needs nothing from the session).
    if (m_bundle && !m_bundle->writing)
        cancelBundleExport();
    if (m_session) {
        if (m_recorder)
            m_recorder->flush();
        if (m_session->poller())
            m_session->poller()->stop();
        m_tracker->setPoller(nullptr);
        m_consoles->setOperations(nullptr);
        if (m_stopDialog)
            m_stopDialog->close();
    }
    delete std::exchange(m_recorder, nullptr); // writes what it holds, on the old session's file
    std::unique_ptr<Session> old = std::move(m_session);
    m_session = std::move(session);
    old.reset();
    m_answered.clear();
    m_actionErrors.clear();
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
    connect(m_recorder, &StatusRecorder::written, this, [this](const QStringList &ids) {
        if (ids.contains(m_selectedId))
            loadHistory(m_selectedId);
    });
    if (Operations *ops = s->operations()) {
        connect(ops, &Operations::workspaceChanged, this, &MainWindow::reloadRow);
    }
    m_consoles->setOperations(s->operations());
    m_lastPlatformUrl
        = s->state() ? s->state()->setting(QStringLiteral("provision/platformUrl")) : QString();

    reloadRows();
    restorePinned();
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
    m_readOnlyLabel->setVisible(false);
    action(QStringLiteral("readOnly"))->setChecked(s->operations()->session().readOnly);
    loadJournal();
    updateWriteActions();
    updateModeBand();
    updateTitle();
    updateSetupNotice();
    m_cpLabel->setText(QStringLiteral("CP: ") + s->cpDescription());
    m_cpLabel->setToolTip(s->isDemo()
                              ? QStringLiteral("The built-in CP simulator, on loopback only")
                              : QStringLiteral("Org %1").arg(s->config().orgId));
    m_profileLabel->setText(s->isDemo() ? QStringLiteral("demo")
                                        : QStringLiteral("Profile: %1")
                                              .arg(s->profileName().isEmpty()
                                                       ? QStringLiteral("(environment)")
                                                       : s->profileName()));
    m_profileLabel->setToolTip(QStringLiteral("Database: ") + s->sourceDescription());
}

void MainWindow::switchProfile(const QString &name)
{
    SessionOptions o = m_base;
    o.demo = false;
    o.profile = name;
    o.dbUrl.clear();
    statusBar()->showMessage(QStringLiteral("Switching to profile %1…").arg(name));
    setSession(Session::create(o, m_secrets));
    statusBar()->showMessage(QStringLiteral("Using profile %1").arg(name), 5000);
}

void MainWindow::reloadRows()
{
    if (!m_session)
        return;
    const auto rows = m_session->loadRows();
    if (!rows) {
        m_model->setRows({});
        updateSetupNotice();
        return;
    }
    // A reload keeps the engineer's place: the selection and the scroll position.
    const QString keep = m_selectedId;
    const int scroll = m_table->verticalScrollBar()->value();
    m_model->setRows(QVector<WorkspaceRow>(rows->cbegin(), rows->cend()));
    restorePinned();
    // The scroll range is recomputed lazily after a reset: lay out now, or the old position is
    // clamped to the empty range and F5 jumps the list to the top.
    m_table->doItemsLayout();
    if (!keep.isEmpty()) {
        const int r = m_model->visibleRowOf(keep);
        if (r >= 0) {
            const QModelIndex idx = m_model->index(r, WorkspaceModel::NameColumn);
            // Re-selecting must not scroll: the engineer's place is the scroll position.
            const bool autoScroll = m_table->hasAutoScroll();
            m_table->setAutoScroll(false);
            m_table->selectionModel()->setCurrentIndex(
                idx, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
            m_table->setAutoScroll(autoScroll);
        }
    }
    m_table->verticalScrollBar()->setValue(scroll);
    updateCounts();
    Q_EMIT rowsLoaded(int(rows->size()));
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
    const bool wasKnown = m_model->rowById(workspaceId) != nullptr;
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
    const WorkspaceRow *row = cur.isValid() ? m_model->rowAt(cur.row()) : nullptr;
    const QString id = row ? row->id : QString();
    const bool changed = id != m_selectedId;
    m_selectedId = id;
    showSelectedDetails(changed);
    updateSelectionActions();
}

void MainWindow::showSelectedDetails(bool reloadHistory)
{
    const WorkspaceRow *row = m_model->rowById(m_selectedId);
    if (!row) {
        m_details->showWorkspace(nullptr, {}, false);
        return;
    }
    m_details->showWorkspace(row, m_model->liveStatus(row->id), m_model->isPinned(row->id));
    const ActionError error = m_actionErrors.value(row->id);
    m_details->setActionError(error.message, error.details);
    if (reloadHistory)
        loadHistory(row->id);
}

void MainWindow::loadHistory(const QString &workspaceId)
{
    if (!m_recorder)
        return;
    m_details->setHistory(m_recorder->history(workspaceId, 50));
}

void MainWindow::updateSelectionActions()
{
    const WorkspaceRow *row = m_model->rowById(m_selectedId);
    action(QStringLiteral("console"))->setEnabled(row != nullptr);
    action(QStringLiteral("checkNow"))
        ->setEnabled(row != nullptr && m_session && m_session->poller());
    QAction *pin = action(QStringLiteral("pin"));
    pin->setEnabled(row != nullptr);
    pin->setChecked(row && m_model->isPinned(row->id));
    pin->setText(pin->isChecked() ? QStringLiteral("Un&pin") : QStringLiteral("&Pin"));
    action(QStringLiteral("copyInstanceId"))->setEnabled(row && !row->instanceId.isEmpty());
    // Local files only: not a write, so read-only mode leaves it on.
    action(QStringLiteral("exportBundle"))->setEnabled(row != nullptr && !m_bundle);
    updateWriteActions();
}

void MainWindow::updateWriteActions()
{
    Operations *ops = m_session ? m_session->operations() : nullptr;
    QString refused;
    if (!ops)
        refused = QStringLiteral("no session");
    else if (ops->writesRefused())
        refused = ops->writesRefusedReason();
    else if (!m_session->client())
        refused
            = QStringLiteral("the control plane is not configured: ") + m_session->configError();

    const WorkspaceRow *row = m_model->rowById(m_selectedId);
    const bool busy = row && m_model->liveStatus(row->id).busy;
    const auto apply = [&](QAction *a, const QString &otherwise) {
        const QString why = !refused.isEmpty() ? refused : otherwise;
        a->setEnabled(why.isEmpty());
        const QString tip = a->property("cpcTip").toString();
        const QString keys = ShortcutsDialog::keysOf(a);
        a->setToolTip(why.isEmpty() ? QStringLiteral("%1 (%2)").arg(tip, keys)
                                    : QStringLiteral("%1 — unavailable: %2")
                                          .arg(a->text().remove(u'&').remove(QChar(0x2026)), why));
        a->setStatusTip(why.isEmpty() ? tip : QStringLiteral("Unavailable: ") + why);
    };
    apply(action(QStringLiteral("provision")), {});
    apply(action(QStringLiteral("stop")),
          !row       ? QStringLiteral("select a workspace first")
              : busy ? QStringLiteral("an action is already running for it")
                     : QString());
    apply(action(QStringLiteral("reconcile")),
          m_journal->entries().isEmpty() ? QStringLiteral("no journal entry has an unknown outcome")
                                         : QString());
    const bool ro = ops && ops->session().readOnly;
    action(QStringLiteral("readOnly"))->setChecked(ro);
    m_readOnlyLabel->setVisible(ro);
    m_readOnlyLabel->setToolTip(ro ? ops->writesRefusedReason() : QString());
}

void MainWindow::setBusy(const QString &workspaceId, bool busy, const QString &label)
{
    LiveStatus s = m_model->liveStatus(workspaceId);
    s.busy = busy;
    s.busyLabel = busy ? label : QString();
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
    const WorkspaceRow *r = m_model->rowById(workspaceId);
    // In notifications and messages too, an override in a name is shown, not obeyed.
    return termtext::sanitize(r && !r->name.isEmpty() ? r->name : workspaceId);
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
        const WorkspaceRow *r = m_model->rowById(workspaceId);
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
        statusBar()->showMessage(QStringLiteral("Control plane reachable again"), 5000);
    } else {
        m_cpBanner->setUnreachable(reason);
    }
    m_cpLabel->setText((reachable ? QStringLiteral("CP: ") : QStringLiteral("CP unreachable: "))
                       + m_session->cpDescription());
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
    const auto live = m_model->liveCounts();
    const int total = m_model->totalCount();
    const int running = live.value(RunState::Running);
    const int notRunning = live.value(RunState::NotRunning);
    const int unknown = live.value(RunState::Unknown);
    const int unchecked = std::max(0, total - running - notRunning - unknown);
    QString text = QStringLiteral("%1 workspaces   ● %2 running   ■ %3 not running   ? %4 unknown")
                       .arg(total)
                       .arg(running)
                       .arg(notRunning)
                       .arg(unknown);
    if (unchecked > 0)
        text += QStringLiteral("   ◌ %1 not checked").arg(unchecked);
    const auto db = m_model->statusCounts();
    QStringList parts;
    for (const QString &s : knownWorkspaceStatuses()) {
        if (db.value(s) > 0)
            parts << QStringLiteral("%1 %2").arg(s).arg(db.value(s));
    }
    for (auto it = db.cbegin(); it != db.cend(); ++it) {
        if (!knownWorkspaceStatuses().contains(it.key()) && it.value() > 0)
            parts << QStringLiteral("%1 %2")
                         .arg(it.key().isEmpty() ? QStringLiteral("(none)") : it.key())
                         .arg(it.value());
    }
    m_countsLabel->setText(text);
    m_countsLabel->setToolTip(
        QStringLiteral("Live (polled on screen and pinned): running %1, not running %2, "
                       "unknown %3, not checked %4\nDatabase status: %5")
            .arg(running)
            .arg(notRunning)
            .arg(unknown)
            .arg(unchecked)
            .arg(parts.join(QStringLiteral(", "))));
    const int shown = m_model->visibleCount();
    m_shownLabel->setText(shown == total ? QStringLiteral("all %1 shown").arg(total)
                                         : QStringLiteral("%1 of %2 shown").arg(shown).arg(total));
    // The database statuses, with their counts, where they are chosen.
    for (int i = 1; i < m_statusFilter->count(); ++i) {
        const QString s = m_statusFilter->itemData(i).toString();
        m_statusFilter->setItemText(i, QStringLiteral("%1 (%2)").arg(s).arg(db.value(s)));
    }
    m_statusFilter->setItemText(0, QStringLiteral("All statuses (%1)").arg(total));
}

// --- bands, title, notices -----------------------------------------------------------------

void MainWindow::updateTitle()
{
    if (!m_session) {
        setWindowTitle(QStringLiteral("CP Console"));
        return;
    }
    if (m_session->isDemo()) {
        setWindowTitle(QStringLiteral("CP Console — DEMO"));
        return;
    }
    QString t = QStringLiteral("CP Console — %1")
                    .arg(m_session->profileName().isEmpty() ? QStringLiteral("environment")
                                                            : m_session->profileName());
    if (m_session->isProduction())
        t += QStringLiteral(" (PRODUCTION)");
    setWindowTitle(t);
}

void MainWindow::updateModeBand()
{
    if (!m_session) {
        m_modeBand->setMode(false, false, {}, {}, false, {});
        return;
    }
    Operations *ops = m_session->operations();
    const bool ro = ops && ops->session().readOnly;
    QString detail;
    if (m_session->isDemo()) {
        detail = QStringLiteral("built-in CP simulator at %1 with %2 generated workspaces; nothing "
                                "real is touched")
                     .arg(m_session->config().baseUrl.toString())
                     .arg(m_model->totalCount());
    } else if (m_session->isProduction()) {
        detail = QStringLiteral("org %1 · %2")
                     .arg(m_session->config().orgId, m_session->config().baseUrl.host());
    }
    m_modeBand->setMode(m_session->isProduction(), m_session->isDemo(), m_session->profileName(),
                        detail, ro, ro ? ops->writesRefusedReason() : QString());
}

void MainWindow::updateSetupNotice()
{
    QStringList problems;
    if (m_session) {
        if (!m_session->configError().isEmpty())
            problems << QStringLiteral("<b>Control plane not configured:</b> %1. Statuses, "
                                       "consoles and actions are "
                                       "unavailable.")
                            .arg(m_session->configError().toHtmlEscaped());
        if (!m_session->sourceError().isEmpty())
            problems << QStringLiteral("<b>Workspace database:</b> %1")
                            .arg(m_session->sourceError().toHtmlEscaped());
        if (!m_session->stateError().isEmpty())
            problems << QStringLiteral("<b>Local state:</b> %1")
                            .arg(m_session->stateError().toHtmlEscaped());
        if (!m_session->secretsNote().isEmpty())
            problems << QStringLiteral("<b>Secrets:</b> %1")
                            .arg(m_session->secretsNote().toHtmlEscaped());
    }
    m_setupText->setText(problems.join(QStringLiteral("<br>")));
    m_setupNotice->setVisible(!problems.isEmpty());
}

void MainWindow::loadJournal()
{
    QList<JournalEntry> entries;
    if (m_session && m_session->state()) {
        const auto j = m_session->state()->unresolvedJournal();
        if (j)
            entries = j.value();
        else
            qCWarning(lcUi).noquote()
                << "could not read the provision journal:" << j.error().message;
    }
    m_journal->setEntries(entries);
    updateWriteActions();
}

void MainWindow::reconcileSelected(bool clear)
{
    if (!m_session || !m_session->operations())
        return;
    const QList<JournalEntry> entries = m_journal->selectedEntries();
    for (const JournalEntry &e : entries) {
        m_journal->markResult(
            e.id, clear ? QStringLiteral("clearing…") : QStringLiteral("asking the CP…"));
        m_session->operations()->reconcile(
            e, clear, this, [this, e, clear](const Result<JournalEntry> &r) {
                if (!r) {
                    m_journal->markResult(e.id, QStringLiteral("⚠ ") + r.error().message);
                    return;
                }
                m_journal->removeEntry(e.id);
                updateWriteActions();
                if (!clear) {
                    m_notifier->notify(
                        QStringLiteral("Reconciled %1").arg(workspaceLabel(e.workspaceId)),
                        r->instanceId.isEmpty()
                            ? QStringLiteral("The CP reports no instance.")
                            : QStringLiteral("Instance %1 recorded.").arg(r->instanceId));
                    reloadRow(e.workspaceId);
                } else {
                    statusBar()->showMessage(
                        QStringLiteral("Journal entry for %1 cleared").arg(e.workspaceId), 5000);
                }
            });
    }
}

// --- pins ----------------------------------------------------------------------------------

void MainWindow::togglePinned()
{
    const WorkspaceRow *row = m_model->rowById(m_selectedId);
    if (!row)
        return;
    const bool pin = !m_model->isPinned(row->id);
    m_model->setPinned(row->id, pin);
    if (m_session && m_session->poller())
        m_session->poller()->setPinned({ row->id, row->instanceId }, pin);
    savePinned();
    updateSelectionActions();
    showSelectedDetails(false);
    statusBar()->showMessage(
        pin ? QStringLiteral("Pinned %1: polled even off screen; changes are notified")
                  .arg(workspaceLabel(row->id))
            : QStringLiteral("Unpinned %1").arg(workspaceLabel(row->id)),
        5000);
}

void MainWindow::savePinned()
{
    if (!m_session || !m_session->state())
        return;
    // The stored set plus or minus the selected row: pins of rows hidden by a filter survive.
    const auto stored
        = m_session->state()->setting(pinnedKey(m_session.get())).split(u',', Qt::SkipEmptyParts);
    QSet<QString> set(stored.cbegin(), stored.cend());
    if (m_model->isPinned(m_selectedId))
        set.insert(m_selectedId);
    else
        set.remove(m_selectedId);
    QStringList ids(set.cbegin(), set.cend());
    ids.sort();
    m_session->state()->setSetting(pinnedKey(m_session.get()), ids.join(u','));
}

void MainWindow::restorePinned()
{
    if (!m_session || !m_session->state())
        return;
    const QStringList ids
        = m_session->state()->setting(pinnedKey(m_session.get())).split(u',', Qt::SkipEmptyParts);
    for (const QString &id : ids) {
        const WorkspaceRow *r = m_model->rowById(id);
        if (!r)
            continue;
        m_model->setPinned(id, true);
        if (m_session->poller())
            m_session->poller()->setPinned({ id, r->instanceId }, true);
    }
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
    loadJournal();
    if (m_session && m_session->poller())
        m_session->poller()->pollNow();
    statusBar()->showMessage(
        QStringLiteral("Reloaded %1 workspaces; asking the CP for every shown status")
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
    const WorkspaceRow *row = m_model->rowById(m_selectedId);
    if (!row)
        return;
    m_consoleDock->show();
    m_consoleDock->raise();
    m_consoles->open(row->id, termtext::sanitize(row->name));
}

ProvisionDialog *MainWindow::openProvisionDialog()
{
    if (!m_session || !action(QStringLiteral("provision"))->isEnabled())
        return nullptr;
    auto *dlg = new ProvisionDialog(m_session->operations(), this);
    dlg->setAttribute(Qt::WA_DeleteOnClose);
    QStringList runtimes { QStringLiteral("claude-code"), QStringLiteral("langgraph"),
                           QStringLiteral("crewai"), QStringLiteral("autogen"),
                           QStringLiteral("python") };
    QStringList providers;
    for (int r = 0; r < std::min(m_model->rowCount(), 5000); ++r) {
        const WorkspaceRow *w = m_model->rowAt(r);
        if (!w->runtime.isEmpty() && !runtimes.contains(w->runtime))
            runtimes << w->runtime;
        if (!w->provider.isEmpty() && !providers.contains(w->provider))
            providers << w->provider;
    }
    dlg->setRuntimeSuggestions(runtimes);
    dlg->setProviderSuggestions(providers);
    if (const WorkspaceRow *row = m_model->rowById(m_selectedId)) {
        dlg->setWorkspace(row->id, row->name);
        dlg->setRuntime(row->runtime);
    }
    dlg->setPlatformUrl(m_lastPlatformUrl);
    QPointer<ProvisionDialog> guard(dlg);
    connect(dlg, &ProvisionDialog::started, this, [this](const QString &ws) {
        if (m_model->rowById(ws))
            setBusy(ws, true, QStringLiteral("provisioning"));
        setActionError(ws, {});
    });
    connect(dlg, &ProvisionDialog::finished, this,
            [this, guard](const QString &ws, bool ok, const QString &detail) {
                const bool unknown = guard && guard->outcomeUnknown();
                if (m_model->rowById(ws))
                    setBusy(ws, false);
                if (ok) {
                    if (guard && m_session && m_session->state()) {
                        m_lastPlatformUrl = guard->request().platformUrl;
                        m_session->state()->setSetting(QStringLiteral("provision/platformUrl"),
                                                       m_lastPlatformUrl);
                    }
                    reloadRow(ws);
                    selectWorkspace(ws);
                    m_notifier->notify(QStringLiteral("Provisioned %1").arg(workspaceLabel(ws)),
                                       QStringLiteral("Instance %1").arg(detail));
                } else {
                    // Cancelled or timed out, it is "outcome unknown", as in the journal.
                    const ProvisionFailureText text
                        = provisionFailureText(workspaceLabel(ws), detail, unknown);
                    setActionError(ws, text.strip);
                    statusBar()->showMessage(text.statusBar, unknown ? 60'000 : 30'000);
                    loadJournal(); // a cancelled or timed-out provision leaves an unknown outcome
                }
            });
    dlg->show();
    return dlg;
}

StopDialog *MainWindow::requestStop()
{
    const WorkspaceRow *row = m_model->rowById(m_selectedId);
    if (!row || !m_session || !action(QStringLiteral("stop"))->isEnabled())
        return nullptr;
    if (m_stopDialog)
        m_stopDialog->close();
    auto *dlg = new StopDialog(row->id, row->name, row->instanceId, m_session->isProduction(),
                               m_session->profileName(), this);
    dlg->setAttribute(Qt::WA_DeleteOnClose);
    const QString id = row->id;
    connect(dlg, &QDialog::finished, this, [this] { m_stopDialog = nullptr; });
    connect(dlg, &QDialog::accepted, this, [this, id] { stopWorkspace(id); });
    m_stopDialog = dlg;
    dlg->open();
    return dlg;
}

void MainWindow::stopWorkspace(const QString &workspaceId)
{
    if (!m_session || !m_session->operations())
        return;
    const QString label = workspaceLabel(workspaceId);
    setActionError(workspaceId, {});
    setBusy(workspaceId, true, QStringLiteral("stopping"));
    statusBar()->showMessage(QStringLiteral("Stopping %1…").arg(label));
    m_session->operations()->stop(
        workspaceId, this, [this, workspaceId, label](const Result<StopOutcome> &r) {
            setBusy(workspaceId, false);
            if (!r) {
                // The row stays as it was; the reason goes where the engineer is looking.
                // The short form ("stop failed (504): Gateway Time-out — nginx") everywhere; the
                // page's text behind the error strip's "Details".
                setActionError(workspaceId,
                               QStringLiteral("Stop failed — nothing was changed. ")
                                   + r.error().message,
                               r.error().details);
                statusBar()->showMessage(
                    QStringLiteral("Stop of %1 failed: %2").arg(label, r.error().message), 10000);
                m_notifier->notify(QStringLiteral("Stop of %1 failed").arg(label),
                                   r.error().message);
                return;
            }
            const QString what = stopOutcomeText(label, r.value());
            statusBar()->showMessage(what, stopOutcomeTimeoutMs(r.value()));
            if (!r->movedOnTo.isEmpty())
                m_notifier->notify(tr("Stop of %1: the row moved on").arg(label), what);
            reloadRow(workspaceId);
        });
}

void MainWindow::setReadOnlyRequested(bool readOnly)
{
    if (!m_session || !m_session->operations())
        return;
    Operations *ops = m_session->operations();
    if (readOnly) {
        ops->setReadOnly(true);
        updateWriteActions();
        updateModeBand();
        return;
    }
    // Turning writes on is a decision: ask, naming the profile (and PRODUCTION).
    action(QStringLiteral("readOnly"))->setChecked(true);
    if (m_writeConfirm)
        return;
    const QString where = m_session->isDemo()
        ? QStringLiteral("the demo")
        : QStringLiteral("profile \"%1\"").arg(m_session->profileName());
    auto *box = new QMessageBox(
        QMessageBox::Warning, QStringLiteral("Turn writes on?"),
        QStringLiteral("Turn writes on for %1%2?\n\nProvision, stop and reconcile will be "
                       "enabled. Every action is recorded in the audit log.")
            .arg(where, m_session->isProduction() ? QStringLiteral(" (PRODUCTION)") : QString()),
        QMessageBox::Cancel, this);
    box->setObjectName(QStringLiteral("writeConfirmation"));
    QPushButton *on = box->addButton(QStringLiteral("Turn writes on"), QMessageBox::AcceptRole);
    on->setObjectName(QStringLiteral("turnWritesOn"));
    box->setDefaultButton(QMessageBox::Cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::finished, this, [this, box, on] {
        m_writeConfirm = nullptr; // deleted later; the question is over now
        if (box->clickedButton() == on && m_session && m_session->operations()) {
            m_session->operations()->setReadOnly(false);
            statusBar()->showMessage(QStringLiteral("Writes are on"), 5000);
        }
        updateWriteActions();
        updateModeBand();
    });
    m_writeConfirm = box;
    box->open();
}

void MainWindow::showShortcuts()
{
    if (m_helpDialog) {
        m_helpDialog->raise();
        return;
    }
    auto *dlg = new ShortcutsDialog(m_keyboardActions, this);
    dlg->setAttribute(Qt::WA_DeleteOnClose);
    m_helpDialog = dlg;
    dlg->open();
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
    m_bundleChooser = std::move(chooser);
}

QProgressDialog *MainWindow::bundleProgress() const
{
    return m_bundle ? m_bundle->progress.data() : nullptr;
}

void MainWindow::exportBundle()
{
    if (m_bundle) {
        statusBar()->showMessage(QStringLiteral("An incident bundle is already being exported"),
                                 4000);
        return;
    }
    const WorkspaceRow *row = m_model->rowById(m_selectedId);
    if (!row || !m_session)
        return;
    const QString id = row->id;
    const QString label = workspaceLabel(id);
    const QString key = kSettingsGroup + QStringLiteral("/bundleDirectory");
    QString chosen;
    if (m_bundleChooser) {
        chosen = m_bundleChooser();
    } else {
        chosen = QFileDialog::getExistingDirectory(
            this, QStringLiteral("Export the incident bundle of %1 into").arg(label),
            QSettings().value(key, QDir::homePath()).toString());
    }
    // The dialog ran an event loop: the session may have changed, or another export started.
    if (chosen.isEmpty() || !m_session || m_bundle) {
        statusBar()->showMessage(QStringLiteral("Incident bundle not exported"), 4000);
        return;
    }
    QSettings().setValue(key, chosen);

    m_bundle = std::make_unique<BundleExport>();
    BundleExport &b = *m_bundle;
    b.workspaceId = id;
    b.label = label;
    b.directory = bundleDirectory(chosen, id);
    b.profile = m_session->isDemo() ? QStringLiteral("demo") : m_session->profileName();
    b.orgId = m_session->config().orgId;
    b.cpUrl = m_session->config().baseUrl.toString();
    b.context = new QObject(this);
    updateSelectionActions();

    // The console as the engineer sees it in its tab, when one is open: no second fetch.
    if (ConsoleTab *tab = m_consoles->tab(id); tab && !tab->viewer()->buffer().isEmpty()) {
        const ConsoleBuffer &buffer = tab->viewer()->buffer();
        writeBundleInBackground(buffer.plainText(), buffer.rawText(), false, {});
        return;
    }
    Operations *ops = m_session->operations();
    if (!ops) {
        writeBundleInBackground({}, {}, false,
                                QStringLiteral("console failed: no connection to the control "
                                               "plane"));
        return;
    }
    const QString fetching
        = QStringLiteral("Fetching the console of %1 for the incident bundle…").arg(label);
    statusBar()->showMessage(fetching);
    b.elapsed.start();
    const quint64 gen = b.generation;
    // A fetch that takes a while (a slow or failing CP) shows its progress and can be cancelled.
    QTimer::singleShot(400, b.context.data(), [this, gen, fetching] {
        if (!m_bundle || m_bundle->generation != gen || m_bundle->writing)
            return;
        auto *p = new QProgressDialog(this);
        p->setObjectName(QStringLiteral("bundleProgress"));
        p->setWindowTitle(QStringLiteral("Export incident bundle"));
        p->setLabelText(fetching);
        p->setCancelButtonText(QStringLiteral("Cancel"));
        p->setRange(0, 0);
        p->setAutoClose(false);
        p->setAutoReset(false);
        p->setMinimumDuration(0);
        p->setWindowModality(Qt::NonModal); // the window stays usable meanwhile
        connect(p, &QProgressDialog::canceled, this, &MainWindow::cancelBundleExport);
        m_bundle->progress = p;
        p->show();
        auto *tick = new QTimer(m_bundle->context.data());
        tick->setInterval(1000);
        connect(tick, &QTimer::timeout, p, [this, p, fetching] {
            if (m_bundle)
                p->setLabelText(
                    QStringLiteral("%1\n%2 s, the request times out after %3 s")
                        .arg(fetching)
                        .arg(m_bundle->elapsed.elapsed() / 1000)
                        .arg(m_session ? m_session->config().requestTimeoutMs / 1000 : 0));
        });
        tick->start();
    });
    b.call = ops->console(id, b.context.data(), [this, gen](const Result<ConsoleOutput> &r) {
        if (!m_bundle || m_bundle->generation != gen)
            return;
        if (r)
            writeBundleInBackground(r->output, {}, true, {});
        else
            writeBundleInBackground({}, {}, false, r.error().message);
    });
}

void MainWindow::writeBundleInBackground(const QString &consoleText, const QByteArray &consoleRaw,
                                         bool merge, const QString &consoleError)
{
    if (!m_bundle)
        return;
    BundleExport &b = *m_bundle;
    b.writing = true;
    if (b.progress) {
        b.progress->hide();
        b.progress->deleteLater();
    }
    statusBar()->showMessage(QStringLiteral("Writing the incident bundle of %1…").arg(b.label));

    // What the local files say now, read here: their connections belong to this thread.
    BundleInput in;
    if (m_session && m_session->source()) {
        const auto r = m_session->source()->get(b.workspaceId);
        if (r && r.value())
            in.row = *r.value();
    }
    if (in.row.id.isEmpty()) {
        if (const WorkspaceRow *listed = m_model->rowById(b.workspaceId))
            in.row = *listed;
        else
            in.row.id = b.workspaceId;
    }
    const LiveStatus live = m_model->liveStatus(b.workspaceId);
    if (live.checked)
        in.live = live;
    StateStore *state = m_session ? m_session->state() : nullptr;
    if (m_recorder) {
        in.history = m_recorder->history(b.workspaceId, 1000); // with what is not on disk yet
    } else if (state) {
        if (const auto h = state->statusHistory(b.workspaceId, 1000))
            in.history = h.value();
    }
    if (state) {
        if (const auto a = state->audit(b.workspaceId, 1000))
            in.audit = a.value();
    }
    in.profile = b.profile;
    in.orgId = b.orgId;
    in.cpUrl = b.cpUrl;
    in.consoleError = consoleError;
    if (!merge) {
        in.consoleShown = consoleText;
        in.consoleRaw = consoleRaw;
    }

    // Interpreting 256 KiB of console, hashing and writing stay off the GUI thread.
    auto written = std::make_shared<std::optional<Result<QStringList>>>();
    const QString dir = b.directory;
    QThread *t = QThread::create([in = std::move(in), consoleText, merge, dir, written]() mutable {
        if (merge) {
            ConsoleBuffer buffer;
            buffer.merge(consoleText);
            in.consoleShown = buffer.plainText();
            in.consoleRaw = consoleText.toUtf8();
        }
        *written = writeBundle(dir, in);
    });
    t->setObjectName(QStringLiteral("cpc-bundle-writer"));
    const quint64 gen = b.generation;
    connect(t, &QThread::finished, b.context.data(), [this, gen, dir, written, consoleError] {
        if (!m_bundle || m_bundle->generation != gen)
            return;
        if (*written && written->value())
            finishBundleExport(dir, written->value().value(), {}, consoleError);
        else
            finishBundleExport(dir, {},
                               *written ? written->value().error().message
                                        : QStringLiteral("the bundle writer stopped"),
                               consoleError);
    });
    connect(t, &QThread::finished, t, &QObject::deleteLater);
    m_bundleThread = t;
    t->start();
}

void MainWindow::finishBundleExport(const QString &directory, const QStringList &files,
                                    const QString &error, const QString &consoleError)
{
    const std::unique_ptr<BundleExport> b = std::move(m_bundle);
    updateSelectionActions();
    const QString where = QDir::toNativeSeparators(directory);
    if (m_session && m_session->state()) {
        AuditEntry a;
        a.profile = b->profile;
        a.orgId = b->orgId;
        a.workspaceId = b->workspaceId;
        a.action = QStringLiteral("bundle");
        a.request = QJsonObject { { QStringLiteral("output"), directory } };
        a.result = error.isEmpty() ? QStringLiteral("ok") : QStringLiteral("error");
        a.detail = !error.isEmpty()  ? error
            : consoleError.isEmpty() ? QStringLiteral("%1 files").arg(files.size())
                                     : QStringLiteral("%1 files, without the console: %2")
                                           .arg(files.size())
                                           .arg(consoleError);
        if (const auto r = m_session->state()->appendAudit(a); !r)
            qCWarning(lcUi).noquote() << "could not audit the bundle export:" << r.error().message;
    }

    if (m_bundleReport)
        m_bundleReport->close();
    QMessageBox *box = nullptr;
    if (error.isEmpty()) {
        statusBar()->showMessage(
            QStringLiteral("Incident bundle of %1: %2 files in %3%4")
                .arg(b->label)
                .arg(files.size())
                .arg(where,
                     consoleError.isEmpty() ? QString() : QStringLiteral(" (without the console)")),
            15000);
        box = new QMessageBox(consoleError.isEmpty() ? QMessageBox::Information
                                                     : QMessageBox::Warning,
                              QStringLiteral("Incident bundle written"),
                              QStringLiteral("The incident bundle of %1 is in\n%2\n\n%3 files: %4")
                                  .arg(b->label, where)
                                  .arg(files.size())
                                  .arg(files.join(QStringLiteral(", "))),
                              QMessageBox::Close, this);
        box->setInformativeText(
            consoleError.isEmpty()
                ? QStringLiteral("manifest.json holds the SHA-256 sum of every file. No secret "
                                 "is in any of them.")
                : QStringLiteral("The console could not be fetched: %1\nconsole.txt says so and "
                                 "console-raw.log is empty; everything else is in the bundle.")
                      .arg(consoleError));
        QPushButton *open = box->addButton(QStringLiteral("Open folder"), QMessageBox::ActionRole);
        open->setObjectName(QStringLiteral("openBundleFolder"));
        connect(open, &QPushButton::clicked, this,
                [directory] { QDesktopServices::openUrl(QUrl::fromLocalFile(directory)); });
    } else {
        statusBar()->showMessage(
            QStringLiteral("Incident bundle of %1 not written: %2").arg(b->label, error), 15000);
        box = new QMessageBox(
            QMessageBox::Warning, QStringLiteral("Incident bundle not written"),
            QStringLiteral("The incident bundle of %1 could not be written to\n%2\n\n%3")
                .arg(b->label, where, error),
            QMessageBox::Close, this);
    }
    box->setObjectName(QStringLiteral("bundleReport"));
    box->setTextFormat(Qt::PlainText); // paths and messages are shown as they are
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setWindowModality(Qt::NonModal);
    m_bundleReport = box;
    box->show();
    Q_EMIT bundleExported(b->workspaceId, directory, files, error, consoleError);
}

void MainWindow::cancelBundleExport()
{
    if (!m_bundle || m_bundle->writing)
        return;
    const std::unique_ptr<BundleExport> b = std::move(m_bundle);
    updateSelectionActions();
    statusBar()->showMessage(
        QStringLiteral("Incident bundle of %1 cancelled: nothing was written").arg(b->label), 6000);
    Q_EMIT bundleExported(b->workspaceId, b->directory, {}, QStringLiteral("cancelled"), {});
}

// --- menus ---------------------------------------------------------------------------------

void MainWindow::headerMenu(const QPoint &pos)
{
    QHeaderView *header = m_table->horizontalHeader();
    QMenu menu(this);
    menu.setTitle(QStringLiteral("Columns"));
    for (int c = 0; c < m_model->columnCount(); ++c) {
        QAction *a
            = menu.addAction(m_model->headerData(c, Qt::Horizontal, Qt::DisplayRole).toString());
        a->setCheckable(true);
        a->setChecked(!header->isSectionHidden(c));
        // Name and Live are what the list is for.
        a->setEnabled(c != WorkspaceModel::NameColumn && c != WorkspaceModel::LiveColumn);
        connect(a, &QAction::toggled, this, [this, c](bool on) {
            m_table->horizontalHeader()->setSectionHidden(c, !on);
            QSettings().setValue(kSettingsGroup + QStringLiteral("/header"),
                                 m_table->horizontalHeader()->saveState());
            m_tracker->schedule();
        });
    }
    menu.exec(header->viewport()->mapToGlobal(pos));
}

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
    QSettings s;
    s.beginGroup(kSettingsGroup);
    if (s.contains(QStringLiteral("geometry")))
        restoreGeometry(s.value(QStringLiteral("geometry")).toByteArray());
    if (s.contains(QStringLiteral("state")))
        restoreState(s.value(QStringLiteral("state")).toByteArray());
    if (s.contains(QStringLiteral("splitter")))
        m_splitter->restoreState(s.value(QStringLiteral("splitter")).toByteArray());
    if (s.contains(QStringLiteral("header")))
        m_table->horizontalHeader()->restoreState(s.value(QStringLiteral("header")).toByteArray());
    s.endGroup();
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    QSettings s;
    s.beginGroup(kSettingsGroup);
    s.setValue(QStringLiteral("geometry"), saveGeometry());
    s.setValue(QStringLiteral("state"), saveState());
    s.setValue(QStringLiteral("splitter"), m_splitter->saveState());
    s.setValue(QStringLiteral("header"), m_table->horizontalHeader()->saveState());
    s.endGroup();
    if (m_recorder)
        m_recorder->flush();
    QMainWindow::closeEvent(event);
}

} // namespace cpc::ui
