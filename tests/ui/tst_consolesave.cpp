// "Save console" writes what may be sensitive output (tokens a boot script printed, internal
// addresses): a new file is private (0600) whatever the umask, as shown and raw alike; a file
// the engineer chose to overwrite keeps the mode they gave it.
#include "consoleviewer.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <sys/stat.h>

using namespace cpc;
using namespace cpc::ui;

namespace {

QFileDevice::Permissions modeOf(const QString &path)
{
    return QFile(path).permissions()
        & (QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner
           | QFileDevice::ReadGroup | QFileDevice::WriteGroup | QFileDevice::ExeGroup
           | QFileDevice::ReadOther | QFileDevice::WriteOther | QFileDevice::ExeOther);
}

constexpr QFileDevice::Permissions kPrivate = QFileDevice::ReadOwner | QFileDevice::WriteOwner;

} // namespace

class tst_ConsoleSave : public QObject
{
    Q_OBJECT

    mode_t m_umask = 0;

private Q_SLOTS:
    void init() { m_umask = ::umask(022); } // the usual umask: new files readable by all
    void cleanup() { ::umask(m_umask); }

    void newFileIsPrivate_data()
    {
        QTest::addColumn<int>("mode");
        QTest::newRow("as shown") << int(ConsoleViewer::SaveMode::Shown);
        QTest::newRow("raw") << int(ConsoleViewer::SaveMode::Raw);
    }

    void newFileIsPrivate()
    {
        QFETCH(int, mode);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        ConsoleViewer viewer;
        ConsoleOutput out;
        out.output = QStringLiteral("boot: token=abc123\n\x1b[32mready\x1b[0m\n");
        out.bytes = int(out.output.size());
        viewer.applyFetch(out);
        viewer.flushPendingUpdates();
        const QString path = dir.filePath(QStringLiteral("console.log"));
        QString error;
        QVERIFY2(viewer.saveToFile(path, ConsoleViewer::SaveMode(mode), &error), qPrintable(error));
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QVERIFY(f.readAll().contains("ready"));
        QCOMPARE(modeOf(path), kPrivate);
    }

    void overwrittenFileKeepsItsMode()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("shared.log"));
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("old\n");
        }
        const auto chosen = kPrivate | QFileDevice::ReadGroup;
        QVERIFY(QFile::setPermissions(path, chosen));
        ConsoleViewer viewer;
        ConsoleOutput out;
        out.output = QStringLiteral("new\n");
        out.bytes = 4;
        viewer.applyFetch(out);
        viewer.flushPendingUpdates();
        QVERIFY(viewer.saveToFile(path, ConsoleViewer::SaveMode::Shown));
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), QByteArray("new\n"));
        QCOMPARE(modeOf(path), chosen);
    }
};

QTEST_MAIN(tst_ConsoleSave)
#include "tst_consolesave.moc"
