// The provision dialog asks before it sends, against the real CP simulator over loopback: it
// opens with the selected workspace's runtime, tier and provider (a re-provision must not
// resize it), Enter in a field never sends, a summary ("Provision aisha-dev: tier 2, gcp,
// python") waits for Confirm and warns about a new row named like an existing one, and an ID
// that cpctl refuses is refused with cpctl's words.
#include "guitestmain.h"
#include "guitestsupport.h"
#include "mainwindow.h"
#include "provisiondialog.h"
#include "windowparts.h"

#include <QApplication>
#include <QComboBox>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTextDocument>
#include <QUuid>
#include <QtTest>

using namespace cpc;
using namespace cpc::ui;
using namespace cpc::test;

namespace {

/// A tier-2 GCP workspace without an instance, named like one an engineer would type.
WorkspaceRow aishaDev()
{
    WorkspaceRow r;
    r.id = QStringLiteral("7c9e6679-7425-40de-944b-e07fc1f90ae7");
    r.name = QStringLiteral("aisha-dev");
    r.tier = 2;
    r.provider = QStringLiteral("gcp");
    r.runtime = QStringLiteral("python");
    r.status = QStringLiteral("offline");
    return r;
}

QString newId()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

} // namespace

class tst_ProvisionReview : public QObject
{
    Q_OBJECT

    std::unique_ptr<SimEnvironment> m_env;
    std::unique_ptr<Session> m_session;
    std::unique_ptr<ProvisionDialog> m_dlg;

    template<typename T> T *part(QWidget *in, const char *name) const
    {
        return in->findChild<T *>(QLatin1String(name));
    }
    QLabel *summary() const { return part<QLabel>(m_dlg.get(), "summary"); }
    QPushButton *button(const char *name) const { return part<QPushButton>(m_dlg.get(), name); }
    int provisions() const { return int(m_env->sim->requestCount(QStringLiteral("provision"))); }

    void openDialog()
    {
        m_session = Session::create(m_env->options(), nullptr);
        QVERIFY(m_session->operations());
        m_dlg = std::make_unique<ProvisionDialog>(m_session->operations());
        m_dlg->setRuntimeSuggestions({ QStringLiteral("python"), QStringLiteral("node") });
        m_dlg->setProviderSuggestions({ QStringLiteral("aws"), QStringLiteral("gcp") });
        m_dlg->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_dlg.get()));
    }
    void fill(const QString &id, const QString &name)
    {
        m_dlg->setWorkspace(id, name);
        part<QComboBox>(m_dlg.get(), "runtime")->setCurrentText(QStringLiteral("python"));
        m_dlg->setPlatformUrl(QStringLiteral("https://platform.example.com"));
    }
    /// The summary's text as shown (the label holds rich text).
    QString summaryShown() const
    {
        QLabel *l = summary();
        if (!l || !l->isVisible())
            return {};
        QTextDocument doc;
        doc.setHtml(l->text());
        return doc.toPlainText();
    }

private Q_SLOTS:
    void init()
    {
        m_env = std::make_unique<SimEnvironment>();
        QVERIFY(m_env->start(12));
        auto src = WorkspaceSource::open(m_env->dbUrl());
        QVERIFY(src && src.value()->upsertRows({ aishaDev() }));
    }
    void cleanup()
    {
        m_dlg.reset();
        m_session.reset();
        m_env.reset();
    }

    void opensWithTheSelectedWorkspacesTierAndProvider()
    {
        const SessionOptions o = m_env->options();
        MainWindow win(nullptr, o, MainWindow::NotifyMode::InWindow);
        win.setSession(Session::create(o, nullptr));
        win.show();
        QVERIFY(QTest::qWaitForWindowExposed(&win));
        QVERIFY(cpc::test::win::loaded(win));
        QTRY_VERIFY(win::model(win)->rowById(aishaDev().id));
        QVERIFY(win.selectWorkspace(aishaDev().id));
        ProvisionDialog *dlg = win.openProvisionDialog();
        QVERIFY(dlg);
        QCOMPARE(part<QLineEdit>(dlg, "workspaceId")->text(), aishaDev().id);
        QCOMPARE(part<QComboBox>(dlg, "runtime")->currentText(), QStringLiteral("python"));
        QCOMPARE(part<QSpinBox>(dlg, "tier")->value(), 2);
        QCOMPARE(part<QComboBox>(dlg, "provider")->currentText(), QStringLiteral("gcp"));
        QCOMPARE(dlg->request().tier, 2);
        QCOMPARE(dlg->request().provider, QStringLiteral("gcp"));
        dlg->close();
    }

    void enterInAFieldDoesNotProvision()
    {
        openDialog();
        fill(newId(), QStringLiteral("scratch"));
        QApplication::setActiveWindow(m_dlg.get());
        QVERIFY(QTest::qWaitForWindowActive(m_dlg.get()));
        QLineEdit *name = part<QLineEdit>(m_dlg.get(), "name");
        name->setFocus();
        QTRY_VERIFY(name->hasFocus());
        QTest::keyClick(name, Qt::Key_Return);
        // Enter reached the dialog (it shows the summary) and sent nothing.
        QVERIFY2(!m_dlg->isRunning(), "Enter in the name field started a provision");
        QVERIFY(summary() && summary()->isVisible());
        QCOMPARE(provisions(), 0);
        // Enter again, wherever the focus is now: still nothing.
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Return);
        QVERIFY(!m_dlg->isRunning());
        QCOMPARE(provisions(), 0);
        // Confirm sends: the one request that arrives is this one.
        button("confirmButton")->click();
        QTRY_VERIFY_WITH_TIMEOUT(m_dlg->resultText().contains(QStringLiteral("Provisioned")),
                                 10'000);
        QCOMPARE(provisions(), 1);
    }

    void summaryNamesWhatIsSentBeforeAnythingIs()
    {
        openDialog();
        fill(aishaDev().id, aishaDev().name);
        part<QSpinBox>(m_dlg.get(), "tier")->setValue(2);
        part<QComboBox>(m_dlg.get(), "provider")->setCurrentText(QStringLiteral("gcp"));
        button("provisionButton")->click();
        QVERIFY(!m_dlg->isRunning());
        QCOMPARE(provisions(), 0);
        const QString shown = summaryShown();
        QVERIFY2(shown.contains(QStringLiteral("Provision aisha-dev: tier 2, gcp, python")),
                 qPrintable(shown));
        // A re-provision as the row is: no warning.
        QVERIFY2(!shown.contains(QStringLiteral("⚠")), qPrintable(shown));
        QVERIFY(!part<QLineEdit>(m_dlg.get(), "workspaceId")->isEnabled());

        // Back to the form, tier 1: the summary says the row is tier 2.
        button("editButton")->click();
        QVERIFY(part<QLineEdit>(m_dlg.get(), "workspaceId")->isEnabled());
        QVERIFY(summaryShown().isEmpty());
        part<QSpinBox>(m_dlg.get(), "tier")->setValue(1);
        button("provisionButton")->click();
        QVERIFY2(summaryShown().contains(QStringLiteral("Provision aisha-dev: tier 1, gcp, python"))
                     && summaryShown().contains(QStringLiteral(
                         "⚠ The workspace is tier 2 on file; this provisions tier 1.")),
                 qPrintable(summaryShown()));
        QCOMPARE(provisions(), 0);

        // Confirmed, what was summarised arrives.
        part<QSpinBox>(m_dlg.get(), "tier")->setValue(2); // disabled: the summary is what is sent
        button("confirmButton")->click();
        QTRY_VERIFY_WITH_TIMEOUT(!m_env->sim->latestInstanceId(aishaDev().id).isEmpty(), 10'000);
        QCOMPARE(provisions(), 1);
        QTRY_VERIFY(m_session->state()->audit(aishaDev().id)
                    && !m_session->state()->audit(aishaDev().id)->isEmpty());
        const QJsonObject sent = m_session->state()->audit(aishaDev().id)->first().request;
        QCOMPARE(sent.value(QStringLiteral("tier")).toInt(), 1);
        QCOMPARE(sent.value(QStringLiteral("provider")).toString(), QStringLiteral("gcp"));
    }

    void idRefusedByCpctlIsRefusedInItsWords_data()
    {
        QTest::addColumn<QString>("id");
        QTest::addColumn<QString>("message");
        const QString chars = QStringLiteral("invalid workspace ID: workspace ID contains a "
                                             "character that is not allowed (only letters, "
                                             "digits, '-', '_', '.', ':')");
        QTest::newRow("a name with a space") << "aisha dev" << chars;
        QTest::newRow("traversal") << "../aisha-dev"
                                   << "invalid workspace ID: workspace ID must start with a "
                                      "letter or digit";
        QTest::newRow("query") << "aisha?dev" << chars;
        QTest::newRow("dots") << "aisha..dev"
                              << "invalid workspace ID: workspace ID must not contain '..'";
    }

    void idRefusedByCpctlIsRefusedInItsWords()
    {
        QFETCH(QString, id);
        QFETCH(QString, message);
        openDialog();
        fill(id, QString());
        button("provisionButton")->click();
        QCOMPARE(m_dlg->fieldError(QStringLiteral("workspaceId")), QStringLiteral("⚠ ") + message);
        QVERIFY(summaryShown().isEmpty());
        QVERIFY(!m_dlg->isRunning());
        QCOMPARE(provisions(), 0);
    }

    void newRowNamedLikeAnExistingOneWarns_data()
    {
        QTest::addColumn<QString>("id");
        QTest::addColumn<QString>("name");
        // The name typed where the ID goes (a valid ID, not a UUID) makes a row named like it.
        QTest::newRow("name as the ID") << "aisha-dev"
                                        << "";
        QTest::newRow("a new UUID, the same name") << newId() << "Aisha-Dev";
    }

    void newRowNamedLikeAnExistingOneWarns()
    {
        QFETCH(QString, id);
        QFETCH(QString, name);
        openDialog();
        fill(id, name);
        button("provisionButton")->click();
        const QString shown = summaryShown();
        QVERIFY2(shown.contains(QStringLiteral("⚠ No workspace has the ID %1 in the database: a "
                                               "new row named %2 is added.")
                                    .arg(id, name.isEmpty() ? id : name)),
                 qPrintable(shown));
        QVERIFY2(shown.contains(QStringLiteral("(ID %1): this would be a second row with that "
                                               "name")
                                    .arg(aishaDev().id)),
                 qPrintable(shown));
        QCOMPARE(provisions(), 0);
        // A new name: the new row is announced, no name clash.
        button("editButton")->click();
        fill(newId(), QStringLiteral("brand-new-name"));
        button("provisionButton")->click();
        QVERIFY2(summaryShown().contains(QStringLiteral("a new row named brand-new-name"))
                     && !summaryShown().contains(QStringLiteral("second row")),
                 qPrintable(summaryShown()));
    }
};

CPC_GUI_TEST_MAIN(tst_ProvisionReview)

#include "tst_provisionreview.moc"
