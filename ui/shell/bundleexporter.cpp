#include "bundleexporter.h"

#include "bundle.h"
#include "consolearea.h"
#include "consolebuffer.h"
#include "consoletab.h"
#include "consoleviewer.h"
#include "logging.h"
#include "session.h"
#include "statusrecorder.h"
#include "workspacemodel.h"

#include <QDesktopServices>
#include <QDir>
#include <QElapsedTimer>
#include <QFileDialog>
#include <QJsonObject>
#include <QMainWindow>
#include <QMessageBox>
#include <QProgressDialog>
#include <QPushButton>
#include <QSettings>
#include <QStatusBar>
#include <QThread>
#include <QTimer>
#include <QUrl>

namespace cpc::ui {

namespace {

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
struct BundleExporter::BundleExport
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

BundleExporter::BundleExporter(QMainWindow *window, WorkspaceModel *model, ConsoleArea *consoles)
    : QObject(window)
    , m_window(window)
    , m_model(model)
    , m_consoles(consoles)
{
}

BundleExporter::~BundleExporter()
{
    // An export still fetching is dropped; one writing is finished (the files are whole).
    m_bundle.reset();
    if (m_thread) {
        m_thread->wait();
        delete m_thread.data();
    }
}

void BundleExporter::setSession(Session *session, StatusRecorder *recorder)
{
    // A console fetch of the old session cannot finish once it is gone (a bundle already being
    // written is finished: it needs nothing from the session).
    if (session != m_session && m_bundle && !m_bundle->writing)
        cancel();
    m_session = session;
    m_recorder = recorder;
}

void BundleExporter::setDirectoryChooser(DirectoryChooser chooser)
{
    m_chooser = std::move(chooser);
}

void BundleExporter::showMessage(const QString &text, int timeoutMs)
{
    m_window->statusBar()->showMessage(text, timeoutMs);
}

QProgressDialog *BundleExporter::progress() const
{
    return m_bundle ? m_bundle->progress.data() : nullptr;
}

void BundleExporter::exportBundle(const QString &id, const QString &label)
{
    if (m_bundle) {
        showMessage(tr("An incident bundle is already being exported"), 4000);
        return;
    }
    if (id.isEmpty() || !m_session)
        return;
    const QString key = QStringLiteral("mainwindow/bundleDirectory");
    QString chosen;
    if (m_chooser) {
        chosen = m_chooser();
    } else {
        chosen = QFileDialog::getExistingDirectory(
            m_window, tr("Export the incident bundle of %1 into").arg(label),
            QSettings().value(key, QDir::homePath()).toString());
    }
    // The dialog ran an event loop: the session may have changed, or another export started.
    if (chosen.isEmpty() || !m_session || m_bundle) {
        showMessage(tr("Incident bundle not exported"), 4000);
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
    Q_EMIT exportingChanged();

    // The console as the engineer sees it in its tab, when one is open: no second fetch.
    if (ConsoleTab *tab = m_consoles->tab(id); tab && !tab->viewer()->buffer().isEmpty()) {
        const ConsoleBuffer &buffer = tab->viewer()->buffer();
        writeInBackground(buffer.plainText(), buffer.rawText(), false, {});
        return;
    }
    Operations *ops = m_session->operations();
    if (!ops) {
        writeInBackground({}, {}, false,
                          QStringLiteral("console failed: no connection to the control "
                                         "plane"));
        return;
    }
    const QString fetching = tr("Fetching the console of %1 for the incident bundle…").arg(label);
    showMessage(fetching);
    b.elapsed.start();
    const quint64 gen = b.generation;
    // A fetch that takes a while (a slow or failing CP) shows its progress and can be cancelled.
    QTimer::singleShot(400, b.context.data(), [this, gen, fetching] {
        if (!m_bundle || m_bundle->generation != gen || m_bundle->writing)
            return;
        auto *p = new QProgressDialog(m_window);
        p->setObjectName(QStringLiteral("bundleProgress"));
        p->setWindowTitle(tr("Export incident bundle"));
        p->setLabelText(fetching);
        p->setCancelButtonText(tr("Cancel"));
        p->setRange(0, 0);
        p->setAutoClose(false);
        p->setAutoReset(false);
        p->setMinimumDuration(0);
        p->setWindowModality(Qt::NonModal); // the window stays usable meanwhile
        connect(p, &QProgressDialog::canceled, this, &BundleExporter::cancel);
        m_bundle->progress = p;
        p->show();
        auto *tick = new QTimer(m_bundle->context.data());
        tick->setInterval(1000);
        connect(tick, &QTimer::timeout, p, [this, p, fetching] {
            if (m_bundle)
                p->setLabelText(
                    tr("%1\n%2 s, the request times out after %3 s")
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
            writeInBackground(r->output, {}, true, {});
        else
            writeInBackground({}, {}, false, r.error().message);
    });
}

void BundleExporter::writeInBackground(const QString &consoleText, const QByteArray &consoleRaw,
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
    showMessage(tr("Writing the incident bundle of %1…").arg(b.label));

    // What the local files say now, read here: their connections belong to this thread.
    BundleInput in;
    if (m_session && m_session->source()) {
        const auto r = m_session->source()->get(b.workspaceId);
        if (r && r.value())
            in.row = *r.value();
    }
    if (in.row.id.isEmpty()) {
        if (const std::optional<WorkspaceRow> listed = m_model->rowById(b.workspaceId))
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
            finish(dir, written->value().value(), {}, consoleError);
        else
            finish(dir, {},
                   *written ? written->value().error().message : tr("the bundle writer stopped"),
                   consoleError);
    });
    connect(t, &QThread::finished, t, &QObject::deleteLater);
    m_thread = t;
    t->start();
}

void BundleExporter::finish(const QString &directory, const QStringList &files,
                            const QString &error, const QString &consoleError)
{
    const std::unique_ptr<BundleExport> b = std::move(m_bundle);
    Q_EMIT exportingChanged();
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

    if (m_report)
        m_report->close();
    QMessageBox *box = nullptr;
    if (error.isEmpty()) {
        showMessage(
            tr("Incident bundle of %1: %2 files in %3%4")
                .arg(b->label)
                .arg(files.size())
                .arg(where, consoleError.isEmpty() ? QString() : tr(" (without the console)")),
            15000);
        box = new QMessageBox(consoleError.isEmpty() ? QMessageBox::Information
                                                     : QMessageBox::Warning,
                              tr("Incident bundle written"),
                              tr("The incident bundle of %1 is in\n%2\n\n%3 files: %4")
                                  .arg(b->label, where)
                                  .arg(files.size())
                                  .arg(files.join(QStringLiteral(", "))),
                              QMessageBox::Close, m_window);
        box->setInformativeText(
            consoleError.isEmpty()
                ? tr("manifest.json holds the SHA-256 sum of every file. No secret "
                     "is in any of them.")
                : tr("The console could not be fetched: %1\nconsole.txt says so and "
                     "console-raw.log is empty; everything else is in the bundle.")
                      .arg(consoleError));
        QPushButton *open = box->addButton(tr("Open folder"), QMessageBox::ActionRole);
        open->setObjectName(QStringLiteral("openBundleFolder"));
        connect(open, &QPushButton::clicked, this,
                [directory] { QDesktopServices::openUrl(QUrl::fromLocalFile(directory)); });
    } else {
        showMessage(tr("Incident bundle of %1 not written: %2").arg(b->label, error), 15000);
        box = new QMessageBox(QMessageBox::Warning, tr("Incident bundle not written"),
                              tr("The incident bundle of %1 could not be written to\n%2\n\n%3")
                                  .arg(b->label, where, error),
                              QMessageBox::Close, m_window);
    }
    box->setObjectName(QStringLiteral("bundleReport"));
    box->setTextFormat(Qt::PlainText); // paths and messages are shown as they are
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setWindowModality(Qt::NonModal);
    m_report = box;
    box->show();
    Q_EMIT exported(b->workspaceId, directory, files, error, consoleError);
}

void BundleExporter::cancel()
{
    if (!m_bundle || m_bundle->writing)
        return;
    const std::unique_ptr<BundleExport> b = std::move(m_bundle);
    Q_EMIT exportingChanged();
    showMessage(tr("Incident bundle of %1 cancelled: nothing was written").arg(b->label), 6000);
    Q_EMIT exported(b->workspaceId, b->directory, {}, QStringLiteral("cancelled"), {});
}

} // namespace cpc::ui
