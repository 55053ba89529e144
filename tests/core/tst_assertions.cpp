// The test build keeps its assertions (CPC_ASSERTS, what tests/run-all.sh builds): optimised,
// with debug info, and without NDEBUG or QT_NO_DEBUG, so an assert() or Q_ASSERT in the code
// under test, or in Qt's inline code, stops a test instead of being compiled away.
#if defined(NDEBUG) || defined(QT_NO_DEBUG)
#error "CPC_ASSERTS is on but NDEBUG or QT_NO_DEBUG is defined: this build drops its assertions"
#endif

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QtTest>

#include <cassert>
#include <sys/resource.h>

namespace {

const char kQAssertArg[] = "--fail-q-assert";
const char kAssertArg[] = "--fail-assert";

/// In the child: fail the assertion `which` names; returns only when it did not stop us.
int failAssertion(const char *which)
{
    const rlimit noCore { 0, 0 }; // an expected abort leaves no core file behind
    setrlimit(RLIMIT_CORE, &noCore);
    if (qstrcmp(which, kQAssertArg) == 0)
        Q_ASSERT(which == nullptr);
    else
        assert(which == nullptr);
    return 0;
}

} // namespace

class tst_Assertions : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void failedAssertionStops_data()
    {
        QTest::addColumn<QString>("arg");
        QTest::addColumn<QString>("message");
        QTest::newRow("Q_ASSERT") << QString::fromLatin1(kQAssertArg)
                                  << QStringLiteral("ASSERT: \"which == nullptr\"");
        QTest::newRow("assert") << QString::fromLatin1(kAssertArg)
                                << QStringLiteral("Assertion `which == nullptr' failed");
    }
    void failedAssertionStops()
    {
        QFETCH(QString, arg);
        QFETCH(QString, message);
        QProcess p;
        p.start(QCoreApplication::applicationFilePath(), { arg });
        QVERIFY(p.waitForFinished(30'000));
        const QString err = QString::fromLocal8Bit(p.readAllStandardError());
        QCOMPARE(p.exitStatus(), QProcess::CrashExit);
        QVERIFY2(err.contains(message), qPrintable(err));
    }

    /// Every translation unit of the build, not only this one: core, ui, the programs, the
    /// tests. (The compilation database lists each with its flags.)
    void noUnitIsCompiledWithoutAssertions()
    {
        QFile f(QStringLiteral(CPC_BINARY_DIR "/compile_commands.json"));
        QVERIFY2(f.open(QIODevice::ReadOnly), qPrintable(f.fileName()));
        const QJsonArray units = QJsonDocument::fromJson(f.readAll()).array();
        QVERIFY(units.size() > 50);
        int core = 0;
        for (const QJsonValue u : units) {
            const QString command = u.toObject().value(QStringLiteral("command")).toString();
            const QString file = u.toObject().value(QStringLiteral("file")).toString();
            QVERIFY2(!command.contains(QLatin1String("-DNDEBUG"))
                         && !command.contains(QLatin1String("-DQT_NO_DEBUG")),
                     qPrintable(file));
            QVERIFY2(command.contains(QLatin1String(" -O2")), qPrintable(file)); // optimised
            core += file.contains(QLatin1String("/core/")) ? 1 : 0;
        }
        QVERIFY(core > 10);
    }
};

int main(int argc, char *argv[])
{
    if (argc == 2 && (qstrcmp(argv[1], kQAssertArg) == 0 || qstrcmp(argv[1], kAssertArg) == 0))
        return failAssertion(argv[1]);
    QCoreApplication app(argc, argv);
    tst_Assertions t;
    return QTest::qExec(&t, argc, argv);
}

#include "tst_assertions.moc"
