// Over 600 lines as one widget: layout, scrolling, follow mode, selection and input share the
// grid geometry and scroll anchor; what is drawn is in consoleviewpainting.cpp.
#include "consoleview.h"

#include "consolesearch.h"
#include "consoleview_p.h"

#include <QApplication>
#include <QClipboard>
#include <QContextMenuEvent>
#include <QFontDatabase>
#include <QGlyphRun>
#include <QKeyEvent>
#include <QMenu>
#include <QPainter>
#include <QScrollBar>
#include <QStyleHints>
#include <QToolButton>
#include <QVarLengthArray>

#include <algorithm>
#include <cmath>
#include <optional>

namespace cpc::ui {

using namespace consoleview;

ConsoleView::ConsoleView(QWidget *parent)
    : QAbstractScrollArea(parent)
{
    setObjectName(QStringLiteral("consoleView"));
    setFocusPolicy(Qt::StrongFocus);
    setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOn);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    viewport()->setCursor(Qt::IBeamCursor);
    viewport()->setAutoFillBackground(false);
    viewport()->setAttribute(Qt::WA_OpaquePaintEvent);
    setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    setAccessibleName(tr("Serial console"));
    m_theme = ConsoleTheme::fromPalette(palette());
    updateMetrics();

    m_flashTimer.setSingleShot(true);
    m_flashTimer.setInterval(FlashMs);
    connect(&m_flashTimer, &QTimer::timeout, this, [this] {
        m_flashLine = 0;
        viewport()->update();
    });
    m_autoScroll.setInterval(50);
    connect(&m_autoScroll, &QTimer::timeout, this, &ConsoleView::autoScrollStep);

    m_pill = new QToolButton(viewport());
    m_pill->setObjectName(QStringLiteral("newLinesPill"));
    m_pill->setFocusPolicy(Qt::NoFocus);
    m_pill->setCursor(Qt::PointingHandCursor);
    m_pill->setToolTip(tr("Scroll to the newest output and follow it (End)"));
    m_pill->setStyleSheet(QStringLiteral(
        "QToolButton#newLinesPill { background: palette(highlight); color: "
        "palette(highlighted-text);"
        " border: none; border-radius: 11px; padding: 3px 12px; font-weight: bold; }"));
    m_pill->hide();
    connect(m_pill, &QToolButton::clicked, this, &ConsoleView::scrollToBottom);
}

ConsoleView::~ConsoleView() = default;

void ConsoleView::setBuffer(const ConsoleBuffer *buffer)
{
    m_buffer = buffer;
    m_selAnchor = m_selCursor = {};
    bufferChanged();
}

void ConsoleView::setSearch(const ConsoleSearch *search)
{
    m_search = search;
    viewport()->update();
}

void ConsoleView::bufferChanged(int firstChangedLine)
{
    m_colsValidUpTo = firstChangedLine <= 0 ? 0 : std::min(m_colsValidUpTo, firstChangedLine - 1);
    m_dirty = true;
    viewport()->update();
}

void ConsoleView::searchChanged()
{
    viewport()->update();
}

void ConsoleView::setPlaceholderText(const QString &text)
{
    m_placeholder = text;
    viewport()->update();
}

void ConsoleView::setWrap(bool wrap)
{
    if (m_wrap == wrap)
        return;
    applyPendingChanges();
    m_wrap = wrap;
    setHorizontalScrollBarPolicy(wrap ? Qt::ScrollBarAlwaysOff : Qt::ScrollBarAsNeeded);
    m_dirty = true;
    applyPendingChanges();
    viewport()->update();
}

void ConsoleView::setColorsEnabled(bool enabled)
{
    m_colors = enabled;
    viewport()->update();
}

// --- metrics and layout ---------------------------------------------------------------------

void ConsoleView::updateMetrics()
{
    const QFont base = font();
    for (int i = 0; i < 4; ++i) {
        m_fonts[i] = base;
        m_fonts[i].setBold(i & FontBold);
        m_fonts[i].setItalic(i & FontItalic);
        m_rawFonts[i] = QRawFont::fromFont(m_fonts[i]);
    }
    const QFontMetricsF fm(base);
    // A whole-pixel cell, as terminals use: glyphs then sit on pixel boundaries, so the raster
    // engine draws one cached bitmap per glyph instead of sub-pixel variants, and the text, the
    // selection and the match rectangles line up exactly.
    m_charWidth = std::max<qreal>(1.0, std::round(fm.horizontalAdvance(QString(80, u'M')) / 80.0));
    m_lineHeight = std::max(1, int(std::ceil(fm.lineSpacing())));
    m_ascent = int(std::ceil(fm.ascent()));
    horizontalScrollBar()->setSingleStep(int(std::ceil(m_charWidth)) * 4);
    m_dirty = true;
}

int ConsoleView::textColumns(const ConsoleLine &line) const
{
    if (!line.text.contains(u'\t'))
        return int(line.text.size());
    int col = 0;
    for (QChar c : line.text)
        col += c == u'\t' ? TabWidth - col % TabWidth : 1;
    return col;
}

ConsoleView::DisplayLine ConsoleView::displayLine(const ConsoleLine &line) const
{
    DisplayLine dl;
    if (!line.text.contains(u'\t')) {
        dl.text = line.text;
        return dl;
    }
    dl.colOf.reserve(size_t(line.text.size()) + 1);
    int col = 0;
    for (QChar c : line.text) {
        dl.colOf.push_back(col);
        if (c == u'\t') {
            const int n = TabWidth - col % TabWidth;
            dl.text.append(QString(n, u' '));
            col += n;
        } else {
            dl.text.append(c);
            ++col;
        }
    }
    dl.colOf.push_back(col);
    return dl;
}

qreal ConsoleView::textX() const
{
    int digits = 4;
    if (m_buffer)
        digits = std::max(digits, int(QString::number(m_buffer->lastLineNumber()).size()));
    return std::ceil((digits + 1) * m_charWidth) + GutterPad;
}

int ConsoleView::wrapColumns() const
{
    const qreal avail = viewport()->width() - textX() - m_charWidth;
    return std::max(8, int(avail / m_charWidth));
}

void ConsoleView::rebuildLayout()
{
    const int n = m_buffer ? m_buffer->lineCount() : 0;
    const int first = m_buffer ? m_buffer->firstLineNumber() : 1;
    if (m_markerLine > 0 && (n == 0 || m_markerLine < first || m_markerLine > first + n - 1))
        m_markerLine = 0;
    // Column counts: drop those of dropped lines, measure only new or changed lines.
    if (n == 0 || m_colsValidUpTo < first) {
        m_cols.clear();
        m_colsFirstLine = first;
        m_colsValidUpTo = first - 1;
    } else {
        const int drop = std::min(first - m_colsFirstLine, int(m_cols.size()));
        m_cols.erase(m_cols.begin(), m_cols.begin() + std::max(0, drop));
        m_colsFirstLine = first;
    }
    m_cols.resize(size_t(std::max(0, std::min(m_colsValidUpTo - first + 1, n))));
    for (int i = int(m_cols.size()); i < n; ++i) {
        const ConsoleLine &line = m_buffer->line(first + i);
        m_cols.push_back(line.kind == ConsoleLine::Kind::Text ? textColumns(line) : -1);
    }
    m_colsValidUpTo = first + n - 1;

    m_rowStart.resize(size_t(n) + 1);
    m_layoutFirstLine = first;
    const int wc = wrapColumns();
    m_layoutWrapCols = wc;
    int maxCols = 0;
    int row = 0;
    for (int i = 0; i < n; ++i) {
        m_rowStart[size_t(i)] = row;
        const int cols = m_cols[size_t(i)];
        int rows = 1;
        if (cols >= 0) { // a gap line (-1) is always one row
            maxCols = std::max(maxCols, cols);
            if (m_wrap)
                rows = std::max(1, (cols + wc - 1) / wc);
        }
        if (first + i == m_markerLine)
            ++rows;
        row += rows;
    }
    m_rowStart[size_t(n)] = row;
    m_maxColumns = maxCols;
    m_dirty = false;
}

int ConsoleView::lineIndexAtRow(int row) const
{
    // m_rowStart is sorted; the line is the last whose first row is <= row.
    const auto it = std::upper_bound(m_rowStart.begin(), m_rowStart.end() - 1, row);
    return std::max(0, int(it - m_rowStart.begin()) - 1);
}

int ConsoleView::visibleRowCount() const
{
    return std::max(1, viewport()->height() / m_lineHeight);
}

void ConsoleView::updateScrollBars()
{
    m_settingScroll = true;
    const int total = m_rowStart.back();
    const int vis = visibleRowCount();
    verticalScrollBar()->setRange(0, std::max(0, total - vis));
    verticalScrollBar()->setPageStep(vis);
    verticalScrollBar()->setSingleStep(1);
    if (m_wrap) {
        horizontalScrollBar()->setRange(0, 0);
    } else {
        const qreal needed = textX() + (m_maxColumns + 1) * m_charWidth;
        horizontalScrollBar()->setRange(0,
                                        std::max(0, int(std::ceil(needed)) - viewport()->width()));
        horizontalScrollBar()->setPageStep(std::max(1, viewport()->width() - int(textX())));
    }
    m_settingScroll = false;
}

void ConsoleView::applyPendingChanges()
{
    if (!m_dirty)
        return;
    rebuildLayout();
    updateScrollBars();
    applyAnchor();
    markSeenIfAtBottom();
    updatePill();
}

void ConsoleView::applyAnchor()
{
    QScrollBar *vsb = verticalScrollBar();
    if (m_following || !m_buffer || m_buffer->isEmpty()) {
        setScrollValue(vsb->maximum());
        return;
    }
    const int first = m_buffer->firstLineNumber();
    int line = m_anchorLine;
    int sub = m_anchorSubRow;
    if (line < first) {
        line = first;
        sub = 0;
    }
    line = std::min(line, m_buffer->lastLineNumber());
    const int idx = line - first;
    setScrollValue(m_rowStart[size_t(idx)] + std::min(sub, rowsOfIndex(idx) - 1));
    // Clamped to the end (the window grew, the text shrank): the reader now sees the bottom.
    if (vsb->value() >= vsb->maximum())
        setFollowing(true);
}

void ConsoleView::setScrollValue(int value)
{
    QScrollBar *vsb = verticalScrollBar();
    m_settingScroll = true;
    vsb->setValue(value);
    m_settingScroll = false;
    // Re-derive the anchor from what the scroll bar accepted.
    if (m_buffer && !m_buffer->isEmpty()) {
        const int idx = lineIndexAtRow(vsb->value());
        m_anchorLine = m_layoutFirstLine + idx;
        m_anchorSubRow = vsb->value() - m_rowStart[size_t(idx)];
    }
    viewport()->update();
}

void ConsoleView::scrollContentsBy(int dx, int dy)
{
    Q_UNUSED(dx);
    viewport()->update();
    if (dy != 0 && !m_settingScroll)
        onUserScroll();
}

void ConsoleView::onUserScroll()
{
    // Even with a layout pending, the scroll bar and m_rowStart still describe the same old
    // layout, and the anchor is an absolute line: the next layout puts the reader right there.
    QScrollBar *vsb = verticalScrollBar();
    if (m_buffer && !m_buffer->isEmpty()) {
        const int idx = lineIndexAtRow(vsb->value());
        m_anchorLine = m_layoutFirstLine + idx;
        m_anchorSubRow = vsb->value() - m_rowStart[size_t(idx)];
    }
    setFollowing(vsb->value() >= vsb->maximum());
    markSeenIfAtBottom();
    updatePill();
}

void ConsoleView::setFollowing(bool following)
{
    if (m_following == following)
        return;
    m_following = following;
    Q_EMIT followingChanged(following);
}

void ConsoleView::markSeenIfAtBottom()
{
    if (m_following && m_buffer && isVisible())
        m_seenLast = m_buffer->lastLineNumber();
}

int ConsoleView::newLineCount() const
{
    const_cast<ConsoleView *>(this)->applyPendingChanges();
    if (m_following || !m_buffer || m_buffer->isEmpty())
        return 0;
    return std::clamp(m_buffer->lastLineNumber() - m_seenLast, 0, m_buffer->lineCount());
}

bool ConsoleView::isNewLinesPillVisible() const
{
    const_cast<ConsoleView *>(this)->applyPendingChanges();
    return m_pill->isVisible();
}

void ConsoleView::updatePill()
{
    const int count = newLineCount();
    if (count > 0) {
        m_pill->setText(count == 1 ? tr("↓ 1 new line") : tr("↓ %1 new lines").arg(count));
        placePill();
    }
    m_pill->setVisible(count > 0);
    if (count != m_lastPillCount) {
        m_lastPillCount = count;
        Q_EMIT newLineCountChanged(count);
    }
}

void ConsoleView::placePill()
{
    m_pill->adjustSize();
    const QSize s = m_pill->size();
    m_pill->move((viewport()->width() - s.width()) / 2, viewport()->height() - s.height() - 12);
}

bool ConsoleView::isFollowing() const
{
    const_cast<ConsoleView *>(this)->applyPendingChanges();
    return m_following;
}

void ConsoleView::scrollToBottom()
{
    applyPendingChanges();
    setFollowing(true);
    setScrollValue(verticalScrollBar()->maximum());
    markSeenIfAtBottom();
    updatePill();
}

void ConsoleView::jumpToLine(int lineNumber)
{
    applyPendingChanges();
    if (!m_buffer || m_buffer->isEmpty())
        return;
    lineNumber = std::clamp(lineNumber, m_buffer->firstLineNumber(), m_buffer->lastLineNumber());
    const int idx = lineNumber - m_layoutFirstLine;
    const int row = m_rowStart[size_t(idx)];
    setScrollValue(std::max(0, row - visibleRowCount() / 4));
    horizontalScrollBar()->setValue(0);
    setFollowing(verticalScrollBar()->value() >= verticalScrollBar()->maximum());
    markSeenIfAtBottom();
    updatePill();
    m_flashLine = lineNumber;
    m_flashTimer.start();
}

void ConsoleView::ensureVisible(const Position &pos, int length)
{
    applyPendingChanges();
    if (!m_buffer || pos.line < m_buffer->firstLineNumber()
        || pos.line > m_buffer->lastLineNumber())
        return;
    const ConsoleLine &line = m_buffer->line(pos.line);
    const DisplayLine dl = displayLine(line);
    const int col = dl.column(pos.column);
    const int endCol = dl.column(pos.column + length);
    const int idx = pos.line - m_layoutFirstLine;
    const int markerRows = hasMarker(pos.line) ? 1 : 0;
    const int textRow = m_wrap ? col / std::max(1, m_layoutWrapCols) : 0;
    const int row = m_rowStart[size_t(idx)] + markerRows + textRow;
    QScrollBar *vsb = verticalScrollBar();
    const int vis = visibleRowCount();
    if (row < vsb->value() || row >= vsb->value() + vis)
        setScrollValue(std::max(0, row - vis / 2));
    if (!m_wrap) {
        QScrollBar *hsb = horizontalScrollBar();
        const qreal area = viewport()->width() - textX();
        const qreal x0 = col * m_charWidth;
        const qreal x1 = endCol * m_charWidth;
        if (x0 < hsb->value() || x1 > hsb->value() + area)
            hsb->setValue(int(std::max<qreal>(0, x0 - area / 3)));
    }
    setFollowing(vsb->value() >= vsb->maximum());
    markSeenIfAtBottom();
    updatePill();
}

int ConsoleView::topLineNumber() const
{
    const_cast<ConsoleView *>(this)->applyPendingChanges();
    if (!m_buffer || m_buffer->isEmpty())
        return 0;
    return m_layoutFirstLine + lineIndexAtRow(verticalScrollBar()->value());
}

int ConsoleView::bottomLineNumber() const
{
    const_cast<ConsoleView *>(this)->applyPendingChanges();
    if (!m_buffer || m_buffer->isEmpty())
        return 0;
    const int rowsInView = (viewport()->height() + m_lineHeight - 1) / m_lineHeight;
    const int row = std::min(verticalScrollBar()->value() + rowsInView - 1, m_rowStart.back() - 1);
    return m_layoutFirstLine + lineIndexAtRow(row);
}

int ConsoleView::scrollValue() const
{
    const_cast<ConsoleView *>(this)->applyPendingChanges();
    return verticalScrollBar()->value();
}

void ConsoleView::setNewTextMarker(int lineNumber, const QString &label)
{
    if (m_markerLine == lineNumber && m_markerLabel == label)
        return;
    m_markerLine = lineNumber;
    m_markerLabel = label;
    m_dirty = true;
    viewport()->update();
}

int ConsoleView::newTextMarkerLine() const
{
    const_cast<ConsoleView *>(this)->applyPendingChanges();
    return m_markerLine;
}

// --- selection ------------------------------------------------------------------------------

ConsoleView::Position ConsoleView::selectionStart() const
{
    return std::min(m_selAnchor, m_selCursor);
}

ConsoleView::Position ConsoleView::selectionEnd() const
{
    return std::max(m_selAnchor, m_selCursor);
}

void ConsoleView::setSelection(const Position &anchor, const Position &cursor)
{
    m_selAnchor = anchor;
    m_selCursor = cursor;
    viewport()->update();
    Q_EMIT selectionChanged();
}

void ConsoleView::selectAll()
{
    if (!m_buffer || m_buffer->isEmpty())
        return;
    const int last = m_buffer->lastLineNumber();
    setSelection({ m_buffer->firstLineNumber(), 0 },
                 { last, int(m_buffer->line(last).text.size()) });
}

void ConsoleView::clearSelection()
{
    if (hasSelection())
        setSelection({}, {});
}

ConsoleView::Position ConsoleView::clampPosition(Position pos) const
{
    if (!m_buffer || m_buffer->isEmpty())
        return {};
    if (pos.line < m_buffer->firstLineNumber())
        return { m_buffer->firstLineNumber(), 0 };
    if (pos.line > m_buffer->lastLineNumber()) {
        const int last = m_buffer->lastLineNumber();
        return { last, int(m_buffer->line(last).text.size()) };
    }
    pos.column = std::clamp(pos.column, 0, int(m_buffer->line(pos.line).text.size()));
    return pos;
}

QString ConsoleView::selectedText() const
{
    if (!hasSelection() || !m_buffer || m_buffer->isEmpty())
        return {};
    const Position s = clampPosition(selectionStart());
    const Position e = clampPosition(selectionEnd());
    QString out;
    for (int n = s.line; n <= e.line; ++n) {
        const QString &text = m_buffer->line(n).text;
        const int from = n == s.line ? s.column : 0;
        const int to = n == e.line ? e.column : int(text.size());
        out += QStringView(text).mid(from, std::max(0, to - from));
        if (n < e.line)
            out += u'\n';
    }
    return out;
}

bool ConsoleView::copy() const
{
    const QString text = selectedText();
    if (text.isEmpty())
        return false;
    QGuiApplication::clipboard()->setText(text);
    return true;
}

// --- events ---------------------------------------------------------------------------------

bool ConsoleView::event(QEvent *e)
{
    if (e->type() == QEvent::ShortcutOverride) {
        // Copy and select-all act on the console while it has focus, whatever the window binds.
        auto *ke = static_cast<QKeyEvent *>(e);
        if (ke->matches(QKeySequence::Copy) || ke->matches(QKeySequence::SelectAll)) {
            e->accept();
            return true;
        }
    }
    return QAbstractScrollArea::event(e);
}

void ConsoleView::resizeEvent(QResizeEvent *e)
{
    QAbstractScrollArea::resizeEvent(e);
    m_dirty = true;
    applyPendingChanges();
    placePill();
}

void ConsoleView::showEvent(QShowEvent *e)
{
    QAbstractScrollArea::showEvent(e);
    applyPendingChanges();
    markSeenIfAtBottom();
    updatePill();
}

void ConsoleView::changeEvent(QEvent *e)
{
    QAbstractScrollArea::changeEvent(e);
    if (e->type() == QEvent::FontChange) {
        updateMetrics();
        viewport()->update();
    } else if (e->type() == QEvent::PaletteChange || e->type() == QEvent::StyleChange) {
        m_theme = ConsoleTheme::fromPalette(palette());
        viewport()->update();
    }
}

void ConsoleView::keyPressEvent(QKeyEvent *e)
{
    if (e->matches(QKeySequence::Copy)) {
        copy();
        e->accept();
        return;
    }
    if (e->matches(QKeySequence::SelectAll)) {
        selectAll();
        e->accept();
        return;
    }
    QScrollBar *vsb = verticalScrollBar();
    switch (e->key()) {
    case Qt::Key_Up:
        vsb->triggerAction(QAbstractSlider::SliderSingleStepSub);
        break;
    case Qt::Key_Down:
        vsb->triggerAction(QAbstractSlider::SliderSingleStepAdd);
        break;
    case Qt::Key_PageUp:
        vsb->triggerAction(QAbstractSlider::SliderPageStepSub);
        break;
    case Qt::Key_PageDown:
        vsb->triggerAction(QAbstractSlider::SliderPageStepAdd);
        break;
    case Qt::Key_Home:
        vsb->setValue(0);
        horizontalScrollBar()->setValue(0);
        break;
    case Qt::Key_End:
        scrollToBottom();
        break;
    default:
        QAbstractScrollArea::keyPressEvent(e);
        return;
    }
    e->accept();
}

void ConsoleView::mousePressEvent(QMouseEvent *e)
{
    if (e->button() != Qt::LeftButton) {
        QAbstractScrollArea::mousePressEvent(e);
        return;
    }
    setFocus(Qt::MouseFocusReason);
    const Position pos = positionAt(e->position().toPoint());
    if (e->modifiers() & Qt::ShiftModifier)
        m_selCursor = pos;
    else
        m_selAnchor = m_selCursor = pos;
    m_selecting = true;
    m_lastMousePos = e->position().toPoint();
    viewport()->update();
    Q_EMIT selectionChanged();
}

void ConsoleView::mouseMoveEvent(QMouseEvent *e)
{
    if (!m_selecting)
        return;
    m_lastMousePos = e->position().toPoint();
    m_selCursor = positionAt(m_lastMousePos);
    const bool outside = m_lastMousePos.y() < 0 || m_lastMousePos.y() >= viewport()->height();
    if (outside && !m_autoScroll.isActive())
        m_autoScroll.start();
    else if (!outside)
        m_autoScroll.stop();
    viewport()->update();
    Q_EMIT selectionChanged();
}

void ConsoleView::mouseReleaseEvent(QMouseEvent *e)
{
    if (e->button() != Qt::LeftButton)
        return;
    m_selecting = false;
    m_autoScroll.stop();
    if (hasSelection() && QGuiApplication::clipboard()->supportsSelection())
        QGuiApplication::clipboard()->setText(selectedText(), QClipboard::Selection);
}

void ConsoleView::mouseDoubleClickEvent(QMouseEvent *e)
{
    if (e->button() != Qt::LeftButton || !m_buffer || m_buffer->isEmpty())
        return;
    const Position pos = positionAt(e->position().toPoint());
    const QString &text = m_buffer->line(pos.line).text;
    int from = std::min(pos.column, int(text.size()));
    int to = from;
    while (from > 0 && isWordChar(text[from - 1]))
        --from;
    while (to < text.size() && isWordChar(text[to]))
        ++to;
    if (from == to) // not on a word: the whole line
        from = 0, to = int(text.size());
    setSelection({ pos.line, from }, { pos.line, to });
    m_selecting = false;
}

void ConsoleView::autoScrollStep()
{
    QScrollBar *vsb = verticalScrollBar();
    const int h = viewport()->height();
    const int y = m_lastMousePos.y();
    const int step = 1 + std::abs(y < 0 ? y : y - h) / m_lineHeight;
    vsb->setValue(vsb->value() + (y < 0 ? -step : step));
    m_selCursor = positionAt(QPoint(m_lastMousePos.x(), std::clamp(y, 0, h - 1)));
    viewport()->update();
    Q_EMIT selectionChanged();
}

void ConsoleView::contextMenuEvent(QContextMenuEvent *e)
{
    QMenu menu(this);
    QAction *copyAction = menu.addAction(tr("Copy\tCtrl+C"), this, [this] { copy(); });
    copyAction->setEnabled(hasSelection());
    menu.addAction(tr("Select all\tCtrl+A"), this, &ConsoleView::selectAll);
    menu.addSeparator();
    menu.addAction(tr("Scroll to the end\tEnd"), this, &ConsoleView::scrollToBottom);
    if (!m_contextActions.isEmpty()) {
        menu.addSeparator();
        menu.addActions(m_contextActions);
    }
    menu.exec(e->globalPos());
}

} // namespace cpc::ui
