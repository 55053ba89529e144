// cpconsole: parses the command line and builds the objects; everything else is in cpc_ui.
#include "appinfo.h"
#include "colorscheme.h"
#include "mainwindow.h"
#include "processhardening.h"
#include "profilestore.h"
#include "screenshot.h"
#include "secretstore.h"
#include "session.h"
#include "termtext.h"

#include "cpc_version.h"

#include <QApplication>
#include <QCommandLineParser>

#include <cstdio>

namespace {

int usageError(const QString &message)
{
    std::fprintf(stderr, "cpconsole: %s\n", qPrintable(message));
    return 2;
}

struct Arguments
{
    cpc::ui::SessionOptions session;
    cpc::ui::ColorScheme scheme = cpc::ui::ColorScheme::System;
    bool schemeGiven = false; ///< else the one chosen from the View menu last time
    QString screenshot;
    QString screenshotDialog;
    bool quitWhenLoaded = false;
    int quitAfterMs = 0;
};

/// Parses the command line. Returns -1 to go on, else the exit code (help, version and usage
/// errors are handled here, before any window system is needed).
int parseArguments(const QStringList &arguments, Arguments *out)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("CP Console: the workspaces of a tenant, their live status, serial "
                       "consoles, provision and stop.\n"
                       "Configuration comes from the environment (MOLECULE_ORG_ID, "
                       "CP_PROVISION_URL, …) and saved profiles;\n"
                       "--demo needs none."));
    const QCommandLineOption help = parser.addHelpOption();
    const QCommandLineOption version = parser.addVersionOption();
    const QCommandLineOption demo(
        QStringLiteral("demo"),
        QStringLiteral("Start the built-in CP simulator on 127.0.0.1 with a generated database."));
    const QCommandLineOption demoWorkspaces(
        QStringLiteral("demo-workspaces"),
        QStringLiteral("Number of generated workspaces in demo mode (default 300)."),
        QStringLiteral("n"), QStringLiteral("300"));
    const QCommandLineOption demoFaults(
        QStringLiteral("demo-faults"),
        QStringLiteral("Faults for the demo simulator, e.g. \"status.drop=0.2\"."),
        QStringLiteral("spec"));
    const QCommandLineOption readOnly(
        QStringLiteral("read-only"),
        QStringLiteral("Start with every write (provision, stop, reconcile) off."));
    const QCommandLineOption profile(QStringLiteral("profile"),
                                     QStringLiteral("Use the saved profile <name>."),
                                     QStringLiteral("name"));
    const QCommandLineOption db(
        QStringLiteral("db"),
        QStringLiteral("Workspace database: sqlite:PATH or postgresql://user@host/db."),
        QStringLiteral("url"));
    const QCommandLineOption insecure(
        QStringLiteral("allow-insecure-http"),
        QStringLiteral("Allow a plain-http CP URL on a non-loopback host."));
    const QCommandLineOption screenshot(
        QStringLiteral("screenshot"),
        QStringLiteral("Write a PNG of the window after it has painted, then quit."),
        QStringLiteral("file"));
    const QCommandLineOption screenshotDialog(
        QStringLiteral("screenshot-dialog"),
        QStringLiteral("With --screenshot: grab this dialog instead "
                       "(provision, stop, profiles, help, quickopen)."),
        QStringLiteral("name"));
    const QCommandLineOption quitAfter(
        QStringLiteral("quit-after"),
        QStringLiteral("Quit after <ms> milliseconds (for scripts and smoke tests)."),
        QStringLiteral("ms"));
    const QCommandLineOption quitWhenLoaded(
        QStringLiteral("quit-when-loaded"),
        QStringLiteral("Quit once the workspace list is loaded and painted, printing how long "
                       "it took (for scripts and benchmarks)."));
    const QCommandLineOption colorScheme(QStringLiteral("color-scheme"),
                                         QStringLiteral("system (default), light or dark."),
                                         QStringLiteral("scheme"), QStringLiteral("system"));
    const QCommandLineOption sweepRate(
        QStringLiteral("sweep-rate"),
        QStringLiteral("Background status checks per second of the rows not in view "
                       "(default $CPCONSOLE_SWEEP_RATE, else 2; 0 turns the sweep off)."),
        QStringLiteral("n"));
    parser.addOptions({ demo, demoWorkspaces, demoFaults, readOnly, profile, db, insecure,
                        screenshot, screenshotDialog, quitAfter, quitWhenLoaded, colorScheme,
                        sweepRate });
    if (!parser.parse(arguments))
        return usageError(parser.errorText() + QStringLiteral(" (see --help)"));
    if (parser.isSet(help)) {
        std::fputs(qPrintable(parser.helpText()), stdout);
        return 0;
    }
    if (parser.isSet(version)) {
        std::printf("cpconsole %s\n", CPC_VERSION);
        return 0;
    }
    if (!parser.positionalArguments().isEmpty())
        return usageError(QStringLiteral("unexpected argument '%1' (see --help)")
                              .arg(parser.positionalArguments().first()));

    cpc::ui::SessionOptions &options = out->session;
    options.demo = parser.isSet(demo);
    bool ok = true;
    options.demoWorkspaces = parser.value(demoWorkspaces).toInt(&ok);
    if (!ok || options.demoWorkspaces < 0 || options.demoWorkspaces > 1'000'000)
        return usageError(QStringLiteral("--demo-workspaces wants a number from 0 to 1000000"));
    options.demoFaults = parser.value(demoFaults);
    options.readOnly = parser.isSet(readOnly);
    options.profile = parser.value(profile);
    options.dbUrl = parser.value(db);
    options.allowInsecureHttp = parser.isSet(insecure);
    if (options.demo && (parser.isSet(profile) || parser.isSet(db)))
        return usageError(
            QStringLiteral("--demo uses its own simulator and database; drop --profile and --db"));
    if (parser.isSet(sweepRate)) {
        options.sweepRate = parser.value(sweepRate).toDouble(&ok);
        if (!ok || options.sweepRate < 0
            || options.sweepRate > cpc::ui::SessionOptions::kMaxSweepRate)
            return usageError(QStringLiteral("--sweep-rate wants a number from 0 to 1000"));
    }
    if (parser.isSet(quitAfter)) {
        out->quitAfterMs = parser.value(quitAfter).toInt(&ok);
        if (!ok || out->quitAfterMs <= 0)
            return usageError(
                QStringLiteral("--quit-after wants a positive number of milliseconds"));
    }
    if (!cpc::ui::parseColorScheme(parser.value(colorScheme), &out->scheme))
        return usageError(QStringLiteral("--color-scheme wants system, light or dark"));
    out->schemeGiven = parser.isSet(colorScheme);
    if (parser.isSet(screenshotDialog) && !parser.isSet(screenshot))
        return usageError(QStringLiteral("--screenshot-dialog needs --screenshot FILE"));
    out->screenshot = parser.value(screenshot);
    out->quitWhenLoaded = parser.isSet(quitWhenLoaded);
    out->screenshotDialog = parser.value(screenshotDialog);
    return -1;
}

} // namespace

int main(int argc, char *argv[])
{
    cpc::hardenProcess(); // before any secret is read from the environment or the keychain
    cpc::termtext::installLogSanitizer();
    Arguments args;
    {
        // Arguments first, with no window system: --help, --version and usage errors work on
        // any terminal (and in packaging checks) without a display.
        QCoreApplication pre(argc, argv);
        cpc::ui::setApplicationIdentity(pre, QStringLiteral("cpconsole"));
        if (const int rc = parseArguments(QCoreApplication::arguments(), &args); rc >= 0)
            return rc;
    }

    QApplication app(argc, argv);
    cpc::ui::setApplicationIdentity(app, QStringLiteral("cpconsole"));
    cpc::ProfileStore::secureSettingsFile(); // before the window writes its layout there
    const bool scripted = !args.screenshot.isEmpty();
    // Screenshots use what the command line says, so they are reproducible.
    cpc::ui::applyColorScheme(
        app, args.schemeGiven || scripted ? args.scheme : cpc::ui::savedColorScheme());

    cpc::SecretStore secrets;
    cpc::ui::MainWindow window(&secrets, args.session);
    window.setSession(cpc::ui::Session::create(args.session, &secrets));
    if (!scripted)
        window.restoreLayout(); // screenshots use the default layout, so they are reproducible
    window.show();

    if (scripted) {
        cpc::ui::ScreenshotOptions so;
        so.file = args.screenshot;
        so.dialog = args.screenshotDialog;
        so.quitAfterMs = args.quitAfterMs;
        cpc::ui::scheduleScreenshot(&window, so);
    } else if (args.quitWhenLoaded) {
        cpc::ui::quitWhenLoaded(&window);
    } else if (args.quitAfterMs > 0) {
        cpc::ui::scheduleQuit(args.quitAfterMs);
    }
    return QApplication::exec();
}
