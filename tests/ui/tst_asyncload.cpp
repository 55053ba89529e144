// The database is never read on the GUI thread: with the workspace file locked by another
// connection (a writer holding it, as a slow network database would), F5 returns at once, the
// window keeps painting and answering keys while the read waits, and the rows arrive when the
// lock goes. A first load shows its rows batch by batch and the filter applies to them as they
// come.
#include "guitestmain.h"
#include "windowfixture.h"

#include <QProgressBar>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QtTest>

using namespace cpc;
using namespace cpc::test;

namespace {

/// Another connection to the workspace file that takes its exclusive lock: every reader waits.
class FileLock
{
public:
    explicit FileLock(const QString &dbUrl)
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), kName);
        db.setDatabaseName(dbUrl.mid(int(qstrlen("sqlite:"))));
        m_ok = db.open() && QSqlQuery(db).exec(QStringLiteral("BEGIN EXCLUSIVE"));
        if (!m_ok)
            qWarning() << "could not lock:" << db.lastError().text();
    }
    ~FileLock()
    {
        release();
        QSqlDatabase::removeDatabase(kName);
    }
    bool held() const { return m_ok; }
    void release()
    {
        if (!m_ok)
            return;
        QSqlDatabase db = QSqlDatabase::database(kName);
        QSqlQuery(db).exec(QStringLiteral("COMMIT"));
        db.close();
        m_ok = false;
    }

private:
    static constexpr auto kName = "tst-file-lock";
    bool m_ok = false;
};

/// Counts the paint events a widget gets.
class PaintCounter : public QObject
{
public:
    int paints = 0;
    bool eventFilter(QObject *o, QEvent *e) override
    {
        if (e->type() == QEvent::Paint)
            ++paints;
        return QObject::eventFilter(o, e);
    }
};

} // namespace

class tst_AsyncLoad : public QObject
{
    Q_OBJECT

    WindowFixture m_f;

    QProgressBar *progress() const
    {
        return m_f.win->findChild<QProgressBar *>(QStringLiteral("loadingProgress"));
    }
    QLabel *progressText() const
    {
        return m_f.win->findChild<QLabel *>(QStringLiteral("loadingText"));
    }

private Q_SLOTS:
    void init() { QVERIFY(m_f.start(400)); }
    void cleanup() { m_f.win.reset(); }

    void refreshNeverWaitsForTheDatabase()
    {
        QVERIFY(m_f.open());
        auto *model = win::model(*m_f.win);
        const int total = model->totalCount();
        QVERIFY(total > 300);
        QVERIFY(!m_f.win->isLoading());
        QTableView *table = win::table(*m_f.win);
        table->setFocus();
        table->selectRow(0); // its name gives the filter below: it stays shown and selected
        const QString selected = model->rowAt(0)->id;

        FileLock lock(m_f.env->dbUrl());
        QVERIFY(lock.held());
        m_f.win->reloadRows(); // F5: must come back at once, with the file locked
        QVERIFY(m_f.win->isLoading());
        QVERIFY(progress()->isVisible());
        QVERIFY2(progressText()->text().startsWith(QStringLiteral("Refreshing")),
                 qPrintable(progressText()->text()));
        // The window answers while the read waits: a key into the filter is applied and the
        // list repaints, all before the lock is released.
        PaintCounter counter;
        table->viewport()->installEventFilter(&counter);
        const QString word = model->rowAt(0)->name.left(3);
        QLineEdit *filter = win::filterEdit(*m_f.win);
        filter->setFocus();
        QTest::keyClicks(filter, word);
        QTRY_VERIFY(model->visibleCount() < total);
        QTRY_VERIFY(counter.paints > 0);
        QVERIFY2(m_f.win->isLoading(), "the read must still be waiting for the lock");
        QCOMPARE(model->totalCount(), total); // the rows shown stay during a refresh

        QSignalSpy loaded(m_f.win.get(), &ui::MainWindow::rowsLoaded);
        lock.release();
        QVERIFY(loaded.wait(15000));
        QCOMPARE(loaded.first().first().toInt(), total);
        QVERIFY(!progress()->isVisible());
        QCOMPARE(model->filterText(), word);
        filter->clear();
        QTRY_COMPARE(model->visibleCount(), total);
        QCOMPARE(m_f.win->findChild<ui::DetailsPane *>()->workspaceId(), selected);
    }

    void firstLoadFillsTheListUnderTheFilter()
    {
        // The filter is typed before the rows come: it applies to them as they arrive.
        ui::SessionOptions o = m_f.env->options();
        m_f.win
            = std::make_unique<ui::MainWindow>(nullptr, o, ui::MainWindow::NotifyMode::InWindow);
        m_f.win->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_f.win.get()));
        QTest::keyClicks(win::filterEdit(*m_f.win), QStringLiteral("dev"));
        auto *model = win::model(*m_f.win);
        QTRY_COMPARE(model->filterText(), QStringLiteral("dev"));
        QSignalSpy inserted(model, &QAbstractItemModel::rowsInserted);
        QSignalSpy reset(model, &QAbstractItemModel::modelReset);
        QSignalSpy loaded(m_f.win.get(), &ui::MainWindow::rowsLoaded);
        m_f.win->setSession(ui::Session::create(o, nullptr));
        QVERIFY(m_f.win->isLoading());
        QVERIFY(loaded.wait(15000));
        int listed = 0;
        int expected = 0;
        for (const WorkspaceRow &r : m_f.env->rows) {
            if (r.status == QLatin1String("removed"))
                continue;
            ++listed;
            expected += r.name.contains(QStringLiteral("dev"), Qt::CaseInsensitive)
                || r.id.contains(QStringLiteral("dev")) || r.runtime.contains("dev")
                || r.instanceId.contains(QStringLiteral("dev"))
                || r.status.contains(QStringLiteral("dev"));
        }
        QCOMPARE(model->totalCount(), listed);
        QVERIFY(expected > 0 && expected < listed);
        QCOMPARE(model->visibleCount(), expected);
        QVERIFY2(inserted.size() >= 1 && reset.size() <= 1, "rows are inserted, not reset in");
    }
};

CPC_GUI_TEST_MAIN(tst_AsyncLoad)
#include "tst_asyncload.moc"
