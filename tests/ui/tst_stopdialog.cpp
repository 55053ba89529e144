// The stop confirmation looks like what it is (a red, destructive Stop button, grey until the
// name is typed), its empty field does not look filled in with the name, and a workspace with
// no instance on file is told there is nothing to stop.
#include "guitestmain.h"
#include "statuspresentation.h"
#include "stopdialog.h"

#include <QLineEdit>
#include <QPushButton>
#include <QTextDocument>
#include <QtTest>

using namespace cpc::ui;

namespace {

QString plain(const QString &html)
{
    QTextDocument doc;
    doc.setHtml(html);
    return doc.toPlainText().simplified();
}

} // namespace

class tst_StopDialog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void stopButtonLooksDestructive()
    {
        StopDialog dlg(QStringLiteral("7c9e6679-7425-40de-944b-e07fc1f90ae7"),
                       QStringLiteral("aisha-dev"), QStringLiteral("i-0abc123"), false, {});
        dlg.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dlg));
        QPushButton *stop = dlg.stopButton();
        QCOMPARE(stop->property("destructive").toBool(), true);
        // Grey until the name is typed (a red disabled button would look clickable)...
        QVERIFY(!stop->isEnabled());
        QVERIFY(stop->palette().color(QPalette::Disabled, QPalette::Button) != colors::error);
        // ...red once it can be pressed.
        QTest::keyClicks(dlg.confirmField(), QStringLiteral("aisha-dev"));
        QVERIFY(stop->isEnabled());
        QCOMPARE(stop->palette().color(QPalette::Active, QPalette::Button), colors::error);
        QCOMPARE(stop->palette().color(QPalette::Active, QPalette::ButtonText), QColor(Qt::white));
        // The picture shows it: across the middle of the button, the face is red (Fusion
        // paints the palette's Button colour, shaded).
        const QImage shot = stop->grab().toImage();
        int red = 0;
        for (int x = 0; x < shot.width(); ++x) {
            const QColor c = shot.pixelColor(x, shot.height() / 2);
            red += c.red() > 2 * c.green() && c.red() > 2 * c.blue() && c.red() > 60;
        }
        // (the rest of the row is the icon and the white text)
        QVERIFY2(red > shot.width() / 3,
                 qPrintable(QStringLiteral("%1 of %2 pixels red").arg(red).arg(shot.width())));
    }

    void placeholderIsNotTheName()
    {
        StopDialog dlg(QStringLiteral("ws-1"), QStringLiteral("aisha-dev"),
                       QStringLiteral("i-0abc123"), false, {});
        const QString placeholder = dlg.confirmField()->placeholderText();
        QVERIFY(!placeholder.isEmpty());
        QVERIFY2(!placeholder.contains(QStringLiteral("aisha-dev")), qPrintable(placeholder));
        QVERIFY(dlg.confirmField()->text().isEmpty());
        // An unnamed workspace is confirmed with its ID: not shown in the field either.
        StopDialog unnamed(QStringLiteral("ws-1"), QString(), QStringLiteral("i-0abc123"), false,
                           {});
        QCOMPARE(unnamed.expected(), QStringLiteral("ws-1"));
        QVERIFY(!unnamed.confirmField()->placeholderText().contains(QStringLiteral("ws-1")));
    }

    void noInstanceSaysThereIsNothingToStop()
    {
        StopDialog none(QStringLiteral("ws-1"), QStringLiteral("aisha-dev"), QString(), false, {});
        const QString text = plain(none.message());
        QVERIFY2(text.contains(QStringLiteral("There is nothing to stop: no instance is on file"))
                     && text.contains(QStringLiteral("sends nothing to the control plane")),
                 qPrintable(text));
        QVERIFY2(!text.contains(QStringLiteral("The control plane stops the instance")),
                 qPrintable(text));
        // With an instance, the message says what the control plane does.
        StopDialog one(QStringLiteral("ws-1"), QStringLiteral("aisha-dev"),
                       QStringLiteral("i-0abc123"), false, {});
        const QString withInstance = plain(one.message());
        QVERIFY2(withInstance.contains(QStringLiteral("The control plane stops the instance"))
                     && withInstance.contains(QStringLiteral("i-0abc123"))
                     && !withInstance.contains(QStringLiteral("nothing to stop")),
                 qPrintable(withInstance));
    }
};

CPC_GUI_TEST_MAIN(tst_StopDialog)

#include "tst_stopdialog.moc"
