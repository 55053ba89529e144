// The console viewer pictures of the README (docs/screenshots/console-viewer*.png): a boot log
// with a failed unit, colours, the marker of new text, a find in progress and the notable-lines
// list. Not a test: tests/screenshots.sh runs it, so the unit suites render no docs pictures.
//
// Usage: cpc_consolescreenshot dark|light OUT.png     (with QT_QPA_PLATFORM=offscreen)
#include "colorscheme.h"
#include "consolebuffer.h"
#include "consolefindbar.h"
#include "consoletheme.h"
#include "consoleview.h"
#include "consoleviewer.h"

#include <QApplication>
#include <QFile>
#include <QImage>
#include <QLineEdit>
#include <QSet>
#include <QSettings>
#include <QTemporaryDir>
#include <QtTest>

#include <cstdio>

using namespace cpc;
using namespace cpc::ui;

namespace {

int fail(const char *what)
{
    std::fprintf(stderr, "cpc_consolescreenshot: %s\n", what);
    return 1;
}

/// Pixels of the line's row in the jump flash colour: 0 once the flash has faded.
int flashPixels(const ConsoleView &view, int line)
{
    const QImage img = view.viewport()->grab().toImage();
    const QRect r = view.lineRect(line);
    const QRgb flash = view.theme().flashBackground.rgb() & 0xffffff;
    int n = 0;
    for (int y = std::max(0, r.top()); y <= r.bottom() && y < img.height(); ++y)
        for (int x = 0; x < img.width(); ++x)
            n += (img.pixel(x, y) & 0xffffff) == flash ? 1 : 0;
    return n;
}

int lineContaining(const ConsoleBuffer &b, const QString &needle)
{
    for (int n = b.firstLineNumber(); n <= b.lastLineNumber(); ++n)
        if (b.lineText(n).contains(needle))
            return n;
    return 0;
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    const QStringList args = QCoreApplication::arguments();
    ColorScheme scheme = ColorScheme::System;
    if (args.size() != 3 || !parseColorScheme(args.at(1), &scheme))
        return fail("usage: cpc_consolescreenshot dark|light OUT.png");
    applyColorScheme(app, scheme);

    // Default viewer settings, whatever the user's are.
    QTemporaryDir settings;
    QCoreApplication::setOrganizationName(QStringLiteral("cpc-screenshots"));
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, settings.path());
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, settings.path());

    QFile f(QStringLiteral(CPC_TESTDATA_DIR "/console/systemd-boot-failed-unit.log"));
    if (!f.open(QIODevice::ReadOnly))
        return fail("cannot read the boot log capture");
    const QString log = QString::fromUtf8(f.readAll());

    ConsoleViewer v;
    v.resize(1200, 720);
    v.show();
    if (!QTest::qWaitForWindowExposed(&v))
        return fail("the viewer was not shown");
    // Two fetches, the second with more text: the marker of what is new.
    qsizetype cut = 0;
    for (int i = 0; i < 560 && cut >= 0; ++i)
        cut = log.indexOf(u'\n', cut + 1);
    if (cut <= 0)
        return fail("the capture is too short");
    v.applyFetch(ConsoleOutput { log.left(cut + 1), int(cut + 1) });
    v.flushPendingUpdates();
    v.applyFetch(ConsoleOutput { log, int(log.toUtf8().size()) });
    v.flushPendingUpdates();
    v.openFind();
    v.findBar()->lineEdit()->setText(QStringLiteral("demo-fail"));
    v.findNext();
    const int failed = lineContaining(v.buffer(), QStringLiteral("[FAILED]"));
    if (failed <= 0 || v.matchCount() < 2 || !v.isJumpListVisible()
        || v.view()->newTextMarkerLine() <= 0)
        return fail("the viewer does not show the capture as expected");
    v.view()->jumpToLine(failed - 6);
    if (!QTest::qWaitFor([&] { return flashPixels(*v.view(), failed - 6) == 0; }, 10'000))
        return fail("the jump flash did not fade");

    const QImage img = v.grab().toImage();
    // A blank or half-painted picture has few colours; the viewer has text, gutter, highlights.
    QSet<QRgb> colours;
    for (int y = 0; y < img.height(); y += 3)
        for (int x = 0; x < img.width(); x += 3)
            colours.insert(img.pixel(x, y));
    if (colours.size() <= 50)
        return fail("the picture is nearly blank");
    if (!img.save(args.at(2), "PNG"))
        return fail("cannot write the picture");
    std::printf("%s\n", qPrintable(args.at(2)));
    return 0;
}
