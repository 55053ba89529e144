// "Export incident bundle…" in the main window, under the offscreen platform, against the real
// CP simulator on loopback and a real SQLite database: the bundle an engineer hands over after
// an incident — row, status history, audit, console as shown and raw, a manifest whose SHA-256
// sums match — with no secret in it, also when the CP fails the console, from an open console
// tab, with a slow CP (progress, cancel) and in read-only mode.
#include "appinfo.h"
#include "consolearea.h"
#include "consoletab.h"
#include "consoleviewer.h"
#include "detailspane.h"
#include "guitestmain.h"
#include "guitestsupport.h"
#include "mainwindow.h"
#include "shortcutsdialog.h"
#include "statestore.h"
#include "windowparts.h"
#include "workspacemodel.h"

#include <QAction>
#include <QApplication>
#include <QCryptographicHash>
#include <QDirIterator>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QMessageBox>
#include <QProgressDialog>
#include <QPushButton>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTableView>
#include <QToolButton>
#include <QtTest>

using namespace cpc;
using namespace cpc::ui;
using namespace cpc::test;

namespace {

const QStringList kBundleFiles { QStringLiteral("workspace.json"),
                                 QStringLiteral("status-history.json"),
                                 QStringLiteral("audit.json"), QStringLiteral("console.txt"),
                                 QStringLiteral("console-raw.log") };

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QJsonObject readObject(const QString &path)
{
    return QJsonDocument::fromJson(readAll(path)).object();
}

} // namespace

class tst_BundleExport : public QObject
{
    Q_OBJECT

    std::unique_ptr<SimEnvironment> m_env;
    std::unique_ptr<MainWindow> m_win;
    std::unique_ptr<QTemporaryDir> m_out;
    WorkspaceRow m_row; ///< the workspace exported; its row carries the secrets

    bool open(const SessionOptions &o)
    {
        m_win = std::make_unique<MainWindow>(nullptr, o, MainWindow::NotifyMode::InWindow);
        m_win->setSession(Session::create(o, nullptr));
        m_win->show();
        m_win->activateWindow();
        return QTest::qWaitForWindowExposed(m_win.get()) && win::loaded(*m_win);
    }

    QAction *bundleAction() const { return win::action(*m_win, QStringLiteral("exportBundle")); }

    /// Selects the workspace and waits for its first status answer (so that the bundle has a
    /// live status and a status history).
    bool selectChecked(const QString &id)
    {
        if (!m_win->selectWorkspace(id))
            return false;
        win::table(*m_win)->setFocus();
        return QTest::qWaitFor([&] { return win::model(*m_win)->liveStatus(id).checked; }, 10'000);
    }

    /// Presses Ctrl+Shift+E with the chooser answering `dir`; returns the bundleExported
    /// arguments once the export ended.
    QList<QVariant> exportInto(const QString &dir, int timeoutMs = 20'000)
    {
        m_win->setBundleDirectoryChooser([dir] { return dir; });
        // Window shortcuts need the window active (a report box of an earlier export was).
        m_win->activateWindow();
        if (!QTest::qWaitForWindowActive(m_win.get()))
            return {};
        QSignalSpy spy(m_win.get(), &MainWindow::bundleExported);
        QTest::keyClick(win::table(*m_win), Qt::Key_E, Qt::ControlModifier | Qt::ShiftModifier);
        if (!spy.wait(timeoutMs) && spy.isEmpty())
            return {};
        return spy.takeFirst();
    }

    /// Every file is there, the manifest's sizes and SHA-256 sums match them, the row file names
    /// the workspace, and no secret of the session (nor of the row) is in any file.
    void verifyBundle(const QString &dir, const QString &workspaceId)
    {
        const QDir d(dir);
        for (const QString &f : kBundleFiles + QStringList { QStringLiteral("manifest.json") })
            QVERIFY2(QFileInfo::exists(d.filePath(f)), qPrintable(f));
        const QJsonObject manifest = readObject(d.filePath(QStringLiteral("manifest.json")));
        QCOMPARE(manifest.value(QStringLiteral("format")).toString(),
                 QStringLiteral("cpconsole-incident-bundle/1"));
        QCOMPARE(manifest.value(QStringLiteral("workspace_id")).toString(), workspaceId);
        QCOMPARE(manifest.value(QStringLiteral("org_id")).toString(),
                 QStringLiteral("org-gui-test"));
        const QJsonArray files = manifest.value(QStringLiteral("files")).toArray();
        QStringList names;
        for (const QJsonValue v : files) {
            const QJsonObject f = v.toObject();
            const QString name = f.value(QStringLiteral("name")).toString();
            names << name;
            const QByteArray data = readAll(d.filePath(name));
            QCOMPARE(qint64(data.size()), f.value(QStringLiteral("bytes")).toInteger());
            QCOMPARE(f.value(QStringLiteral("sha256")).toString(),
                     QString::fromLatin1(
                         QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex()));
        }
        QCOMPARE(names, kBundleFiles);

        const QJsonObject ws = readObject(d.filePath(QStringLiteral("workspace.json")));
        QCOMPARE(ws.value(QStringLiteral("id")).toString(), workspaceId);
        QCOMPARE(ws.value(QStringLiteral("name")).toString(), m_row.name);
        QCOMPARE(ws.value(QStringLiteral("instance_id")).toString(), m_row.instanceId);

        int checked = 0;
        QDirIterator it(dir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString path = it.next();
            const QByteArray data = readAll(path);
            for (const QString &secret : { kGuiShared, kGuiAdmin, kGuiApiKey })
                QVERIFY2(!data.contains(secret.toUtf8()),
                         qPrintable(QStringLiteral("%1 holds a secret").arg(path)));
            ++checked;
        }
        QCOMPARE(checked, 6);
    }

    QString fileText(const QString &dir, const QString &name) const
    {
        return QString::fromUtf8(readAll(QDir(dir).filePath(name)));
    }

private Q_SLOTS:
    void init()
    {
        m_env = std::make_unique<SimEnvironment>();
        QVERIFY(m_env->start(40));
        m_out = std::make_unique<QTemporaryDir>();
        QVERIFY(m_out->isValid());
        // A CP that echoed the credentials into the row's last error and an audit detail: the
        // bundle must carry neither.
        m_row = m_env->runningRow(0);
        QVERIFY(!m_row.id.isEmpty());
        m_row.lastSampleError = QStringLiteral("probe echoed Authorization: Bearer %1, "
                                               "X-Molecule-Admin-Token: %2, key %3")
                                    .arg(kGuiShared, kGuiAdmin, kGuiApiKey);
        auto src = WorkspaceSource::open(m_env->dbUrl());
        QVERIFY(src && src.value()->upsertRows({ m_row }));
        auto state = StateStore::open(m_env->statePath());
        QVERIFY(state);
        AuditEntry a;
        a.workspaceId = m_row.id;
        a.action = QStringLiteral("stop");
        a.result = QStringLiteral("error");
        a.detail = QStringLiteral("stop failed (500): upstream saw %1").arg(kGuiShared);
        QVERIFY(state.value()->appendAudit(a));
    }

    void cleanup()
    {
        m_win.reset();
        m_env.reset();
        m_out.reset();
    }

    void keyIsListedAndUnique()
    {
        QVERIFY(open(m_env->options()));
        QAction *a = bundleAction();
        QVERIFY(a);
        QCOMPARE(a->shortcut(), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));
        QVERIFY(!a->property("cpcMutating").toBool());
        // Nothing selected: nothing to export, and the tooltip names the key.
        win::table(*m_win)->clearSelection();
        win::table(*m_win)->setCurrentIndex({});
        QVERIFY(!a->isEnabled());
        QVERIFY(a->toolTip().contains(QStringLiteral("Ctrl+Shift+E")));
        QVERIFY(m_win->selectWorkspace(m_row.id));
        QVERIFY(a->isEnabled());
        QVERIFY(win::details(*m_win)
                    ->findChild<QToolButton *>(QStringLiteral("detailsAction:exportBundle"))
                    ->isEnabled());

        // No other key of the window does the same.
        QHash<QKeySequence, QString> seen;
        for (QAction *k : m_win->findChildren<QAction *>()) {
            if (k->shortcutContext() != Qt::WindowShortcut)
                continue;
            for (const QKeySequence &s : k->shortcuts()) {
                QVERIFY2(!seen.contains(s) || seen.value(s) == k->objectName(),
                         qPrintable(QStringLiteral("%1 is bound to %2 and %3")
                                        .arg(s.toString(), seen.value(s), k->objectName())));
                seen.insert(s, k->objectName());
            }
        }

        // F1 lists it.
        m_win->showShortcuts();
        QVERIFY(win::shortcutsDialog(*m_win));
        bool listed = false;
        for (const auto &r : win::shortcutsDialog(*m_win)->rows())
            listed = listed
                || (r.first == QStringLiteral("Export incident bundle")
                    && r.second == QStringLiteral("Ctrl+Shift+E"));
        QVERIFY(listed);
        win::shortcutsDialog(*m_win)->close();

        // A cancelled directory choice exports nothing.
        m_win->setBundleDirectoryChooser([] { return QString(); });
        QSignalSpy spy(m_win.get(), &MainWindow::bundleExported);
        a->trigger();
        QVERIFY(!m_win->isExportingBundle());
        QCOMPARE(spy.count(), 0);
        QVERIFY(a->isEnabled());
    }

    void bundleOfTheSelectedWorkspace()
    {
        QVERIFY(open(m_env->options()));
        QVERIFY(selectChecked(m_row.id));
        const QList<QVariant> args = exportInto(m_out->path());
        QCOMPARE(args.size(), 5);
        QCOMPARE(args.at(0).toString(), m_row.id);
        const QString dir = args.at(1).toString();
        QCOMPARE(QDir(dir).canonicalPath(), QDir(m_out->path()).canonicalPath()); // was empty
        QCOMPARE(args.at(2).toStringList().size(), 6);
        QCOMPARE(args.at(3).toString(), QString());
        QCOMPARE(args.at(4).toString(), QString());
        verifyBundle(dir, m_row.id);

        // The secrets the row and the audit held were replaced, the rest kept.
        const QString ws = fileText(dir, QStringLiteral("workspace.json"));
        QVERIFY(ws.contains(QStringLiteral("probe echoed")));
        QVERIFY(ws.contains(QStringLiteral("[redacted]")));
        const QJsonObject live = readObject(QDir(dir).filePath(QStringLiteral("workspace.json")))
                                     .value(QStringLiteral("live_status"))
                                     .toObject();
        QVERIFY(!live.value(QStringLiteral("state")).toString().isEmpty());
        const QString audit = fileText(dir, QStringLiteral("audit.json"));
        QVERIFY(audit.contains(QStringLiteral("upstream saw [redacted]")));
        QVERIFY(!QJsonDocument::fromJson(
                     readAll(QDir(dir).filePath(QStringLiteral("status-history.json"))))
                     .array()
                     .isEmpty());

        // The console, as shown (escapes interpreted) and as the CP sent it (escapes kept).
        const QByteArray shown = readAll(QDir(dir).filePath(QStringLiteral("console.txt")));
        const QByteArray raw = readAll(QDir(dir).filePath(QStringLiteral("console-raw.log")));
        QVERIFY(!shown.isEmpty());
        QVERIFY(!raw.isEmpty());
        QVERIFY(!shown.startsWith("(no console"));
        QVERIFY(raw.contains("\033["));
        QVERIFY(!shown.contains('\033'));
        QVERIFY(raw != shown);

        // Reported where the engineer looks; audited; ready for the next one.
        QMessageBox *box = win::bundleReport(*m_win);
        QVERIFY(box && box->isVisible());
        QCOMPARE(box->icon(), QMessageBox::Information);
        QVERIFY(box->text().contains(QDir::toNativeSeparators(dir)));
        QVERIFY(box->text().contains(QStringLiteral("6 files")));
        QVERIFY(box->findChild<QPushButton *>(QStringLiteral("openBundleFolder")));
        QVERIFY(m_win->statusBar()->currentMessage().contains(QDir::toNativeSeparators(dir)));
        QVERIFY(m_win->statusBar()->currentMessage().contains(QStringLiteral("6 files")));
        auto state = StateStore::open(m_env->statePath());
        const auto entries = state.value()->audit(m_row.id).value();
        QVERIFY(std::any_of(entries.cbegin(), entries.cend(), [](const AuditEntry &e) {
            return e.action == QLatin1String("bundle") && e.result == QLatin1String("ok")
                && e.detail == QLatin1String("6 files");
        }));
        QVERIFY(bundleAction()->isEnabled());
        QVERIFY(!m_win->isExportingBundle());
    }

    void busyDirectoryGetsItsOwnSubdirectory()
    {
        QVERIFY(open(m_env->options()));
        QVERIFY(selectChecked(m_row.id));
        QFile notes(QDir(m_out->path()).filePath(QStringLiteral("notes.txt")));
        QVERIFY(notes.open(QIODevice::WriteOnly));
        notes.write("the engineer's own notes\n");
        notes.close();

        const QList<QVariant> first = exportInto(m_out->path());
        QCOMPARE(first.size(), 5);
        QCOMPARE(first.at(3).toString(), QString());
        const QString dir1 = first.at(1).toString();
        QCOMPARE(QFileInfo(dir1).dir().canonicalPath(), QDir(m_out->path()).canonicalPath());
        QVERIFY(QFileInfo(dir1).fileName().startsWith(QStringLiteral("incident-") + m_row.id));
        verifyBundle(dir1, m_row.id);
        win::bundleReport(*m_win)->close();

        // Again into the same place: a second directory, the first one untouched.
        const QByteArray manifest1 = readAll(QDir(dir1).filePath(QStringLiteral("manifest.json")));
        const QList<QVariant> second = exportInto(m_out->path());
        QCOMPARE(second.size(), 5);
        const QString dir2 = second.at(1).toString();
        QVERIFY(dir2 != dir1);
        verifyBundle(dir2, m_row.id);
        QCOMPARE(readAll(QDir(dir1).filePath(QStringLiteral("manifest.json"))), manifest1);
        QCOMPARE(readAll(notes.fileName()), QByteArray("the engineer's own notes\n"));
    }

    void openConsoleTabIsBundledAsShown()
    {
        QVERIFY(open(m_env->options()));
        QVERIFY(selectChecked(m_row.id));
        m_win->openConsole();
        ConsoleTab *tab = win::consoles(*m_win)->tab(m_row.id);
        QVERIFY(tab);
        QTRY_VERIFY_WITH_TIMEOUT(!tab->text().isEmpty() && !tab->isFetching(), 10'000);
        // The CP fails from now on: the bundle takes what the tab shows, without a new fetch.
        QVERIFY(m_env->sim->setFaults(QStringLiteral("console.5xx")));
        const QString shown = tab->text();
        const QByteArray raw = tab->viewer()->buffer().rawText();
        const QList<QVariant> args = exportInto(m_out->path());
        QCOMPARE(args.size(), 5);
        QCOMPARE(args.at(4).toString(), QString());
        const QString dir = args.at(1).toString();
        verifyBundle(dir, m_row.id);
        QCOMPARE(fileText(dir, QStringLiteral("console.txt")), shown);
        QCOMPARE(readAll(QDir(dir).filePath(QStringLiteral("console-raw.log"))), raw);
    }

    void faultedConsoleStillWritesTheBundle()
    {
        QVERIFY(open(m_env->options()));
        QVERIFY(selectChecked(m_row.id));
        QVERIFY(m_env->sim->setFaults(QStringLiteral("console.5xx")));
        const QList<QVariant> args = exportInto(m_out->path());
        QCOMPARE(args.size(), 5);
        const QString dir = args.at(1).toString();
        QCOMPARE(args.at(3).toString(), QString()); // written
        const QString consoleError = args.at(4).toString();
        QVERIFY2(consoleError.startsWith(QStringLiteral("console failed (5")),
                 qPrintable(consoleError));
        verifyBundle(dir, m_row.id);
        const QString shown = fileText(dir, QStringLiteral("console.txt"));
        QVERIFY2(shown.startsWith(QStringLiteral("(no console: console failed (5")),
                 qPrintable(shown));
        QVERIFY(readAll(QDir(dir).filePath(QStringLiteral("console-raw.log"))).isEmpty());

        QMessageBox *box = win::bundleReport(*m_win);
        QVERIFY(box && box->isVisible());
        QCOMPARE(box->icon(), QMessageBox::Warning);
        QVERIFY(box->text().contains(QStringLiteral("6 files")));
        QVERIFY(box->informativeText().contains(QStringLiteral("could not be fetched")));
        QVERIFY(box->informativeText().contains(consoleError));
        QVERIFY(
            m_win->statusBar()->currentMessage().contains(QStringLiteral("without the console")));
        auto state = StateStore::open(m_env->statePath());
        const auto entries = state.value()->audit(m_row.id).value();
        QVERIFY(std::any_of(entries.cbegin(), entries.cend(), [](const AuditEntry &e) {
            return e.action == QLatin1String("bundle") && e.result == QLatin1String("ok")
                && e.detail.contains(QLatin1String("without the console"));
        }));
    }

    void slowConsoleShowsProgressAndCancels()
    {
        QVERIFY(open(m_env->options()));
        QVERIFY(selectChecked(m_row.id));

        // Slow, but it answers: a progress dialog while waiting, then the whole bundle.
        QVERIFY(m_env->sim->setFaults(QStringLiteral("console.latency=1500")));
        m_win->setBundleDirectoryChooser([this] { return m_out->path(); });
        QSignalSpy spy(m_win.get(), &MainWindow::bundleExported);
        bundleAction()->trigger();
        QVERIFY(m_win->isExportingBundle());
        QVERIFY(!bundleAction()->isEnabled()); // one export at a time
        QTRY_VERIFY_WITH_TIMEOUT(
            win::bundleProgress(*m_win) && win::bundleProgress(*m_win)->isVisible(), 5000);
        QVERIFY(win::bundleProgress(*m_win)->labelText().contains(m_row.name));
        QVERIFY(m_win->statusBar()->currentMessage().contains(QStringLiteral("Fetching")));
        QVERIFY(spy.wait(20'000));
        QCOMPARE(spy.first().at(3).toString(), QString());
        QCOMPARE(spy.first().at(4).toString(), QString());
        QVERIFY(!win::bundleProgress(*m_win));
        verifyBundle(spy.first().at(1).toString(), m_row.id);
        win::bundleReport(*m_win)->close();

        // Too slow for the engineer: Cancel writes nothing and frees the action.
        QVERIFY(m_env->sim->setFaults(QStringLiteral("console.latency=2500")));
        QTemporaryDir other;
        m_win->setBundleDirectoryChooser([&other] { return other.path(); });
        spy.clear();
        const qint64 asked = m_env->sim->requestCount(QStringLiteral("console"));
        bundleAction()->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(
            win::bundleProgress(*m_win) && win::bundleProgress(*m_win)->isVisible(), 5000);
        QTRY_COMPARE(m_env->sim->requestCount(QStringLiteral("console")), asked + 1);
        win::bundleProgress(*m_win)->findChild<QPushButton *>()->click();
        QCOMPARE(spy.count(), 1);
        QCOMPARE(spy.first().at(3).toString(), QStringLiteral("cancelled"));
        QVERIFY(spy.first().at(2).toStringList().isEmpty());
        QVERIFY(!m_win->isExportingBundle());
        QVERIFY(bundleAction()->isEnabled());
        QVERIFY(m_win->statusBar()->currentMessage().contains(QStringLiteral("cancelled")));
        // The CP answers the cancelled fetch after its latency. An export started now waits as
        // long, so once it is written the cancelled answer has come and gone.
        QTemporaryDir later;
        m_win->setBundleDirectoryChooser([&later] { return later.path(); });
        spy.clear();
        bundleAction()->trigger();
        QVERIFY(spy.wait(20'000));
        QCOMPARE(spy.first().at(3).toString(), QString());
        QCOMPARE(m_env->sim->requestCount(QStringLiteral("console")), asked + 2);
        verifyBundle(spy.first().at(1).toString(), m_row.id);
        win::bundleReport(*m_win)->close();
        QVERIFY(QDir(other.path()).isEmpty(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden));
    }

    void readOnlyModeKeepsTheAction()
    {
        SessionOptions o = m_env->options();
        o.readOnly = true;
        QVERIFY(open(o));
        QVERIFY(selectChecked(m_row.id));
        QVERIFY(win::readOnlyLabel(*m_win)->isVisible());
        QVERIFY(!win::action(*m_win, QStringLiteral("stop"))->isEnabled());
        QVERIFY(!win::mutatingActions(*m_win).contains(bundleAction()));
        QVERIFY(bundleAction()->isEnabled());
        QVERIFY(win::details(*m_win)
                    ->findChild<QToolButton *>(QStringLiteral("detailsAction:exportBundle"))
                    ->isEnabled());
        const QList<QVariant> args = exportInto(m_out->path());
        QCOMPARE(args.size(), 5);
        QCOMPARE(args.at(3).toString(), QString());
        verifyBundle(args.at(1).toString(), m_row.id);
        // Nothing outside the bundle changed: the row is as it was.
        QCOMPARE(m_env->row(m_row.id)->instanceId, m_row.instanceId);
        QCOMPARE(m_env->row(m_row.id)->status, m_row.status);
    }
};

CPC_GUI_TEST_MAIN(tst_BundleExport)

#include "tst_bundleexport.moc"
