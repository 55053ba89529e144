#include "consoleview.h"

#include "consolesearch.h"

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

namespace {

constexpr int TabWidth = 8;
constexpr int GutterPad = 8; ///< px between the gutter and the text
constexpr int FlashMs = 1600;

enum FontFlag : quint8 {
    FontBold = 0x1,
    FontItalic = 0x2,
    FontUnderline = 0x4,
    FontStrike = 0x8,
};

QColor mix(const QColor &a, const QColor &b, qreal t)
{
    return QColor::fromRgbF(float(a.redF() * (1 - t) + b.redF() * t),
                            float(a.greenF() * (1 - t) + b.greenF() * t),
                            float(a.blueF() * (1 - t) + b.blueF() * t));
}

bool isWordChar(QChar c)
{
    return c.isLetterOrNumber() || c == u'_' || c == u'-' || c == u'.' || c == u'/' || c == u':'
        || c == u'@';
}

} // namespace

/// A line as laid out on the character grid: tabs expanded to the next multiple of 8 columns.
struct ConsoleView::DisplayLine
{
    QString text;
    std::vector<int> colOf; ///< column of each text index, plus the end; empty: identity

    int columns() const { return int(text.size()); }
    int column(int index) const
    {
        if (colOf.empty())
            return std::clamp(index, 0, columns());
        return colOf[size_t(std::clamp(index, 0, int(colOf.size()) - 1))];
    }
    int index(int column) const
    {
        if (colOf.empty())
            return std::clamp(column, 0, columns());
        return int(std::lower_bound(colOf.begin(), colOf.end(), column) - colOf.begin())
            - (column > colOf.back() ? 1 : 0);
    }
};

struct ConsoleView::Cell
{
    QRgb fg = 0;
    QRgb bg = 0;
    quint8 flags = 0;
    bool hasBg = false;
};

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
    setAccessibleName(QStringLiteral("Serial console"));
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
    m_pill->setToolTip(QStringLiteral("Scroll to the newest output and follow it (End)"));
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
        m_pill->setText(count == 1 ? QStringLiteral("↓ 1 new line")
                                   : QStringLiteral("↓ %1 new lines").arg(count));
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

// --- what is drawn --------------------------------------------------------------------------

ConsoleView::Cell ConsoleView::cellStyle(const ConsoleStyle &style) const
{
    QColor fg = m_theme.resolve(style.fg, m_theme.foreground);
    QColor bg = style.bg.isDefault() ? QColor() : m_theme.resolve(style.bg, m_theme.background);
    if (style.has(ConsoleStyle::Inverse)) {
        const QColor back = bg.isValid() ? bg : m_theme.background;
        bg = fg;
        fg = back;
    }
    if (style.has(ConsoleStyle::Dim))
        fg = mix(fg, bg.isValid() ? bg : m_theme.background, 0.45);
    Cell c;
    c.fg = fg.rgb();
    c.hasBg = bg.isValid();
    c.bg = c.hasBg ? bg.rgb() : 0;
    c.flags = quint8((style.has(ConsoleStyle::Bold) ? FontBold : 0)
                     | (style.has(ConsoleStyle::Italic) ? FontItalic : 0)
                     | (style.has(ConsoleStyle::Underline) ? FontUnderline : 0)
                     | (style.has(ConsoleStyle::Strike) ? FontStrike : 0));
    return c;
}

const QFont &ConsoleView::fontFor(quint8 flags) const
{
    return m_fonts[flags & (FontBold | FontItalic)];
}

QList<ConsoleView::Run> ConsoleView::runs(int lineNumber) const
{
    QList<Run> out;
    if (!m_buffer || lineNumber < m_buffer->firstLineNumber()
        || lineNumber > m_buffer->lastLineNumber())
        return out;
    const ConsoleLine &line = m_buffer->line(lineNumber);
    const int len = int(line.text.size());
    auto add = [&](int start, int end, const Cell &c) {
        if (end <= start)
            return;
        Run r;
        r.start = start;
        r.length = end - start;
        r.foreground = QColor::fromRgb(c.fg);
        r.background = c.hasBg ? QColor::fromRgb(c.bg) : QColor();
        r.bold = c.flags & FontBold;
        r.italic = c.flags & FontItalic;
        r.underline = c.flags & FontUnderline;
        r.strike = c.flags & FontStrike;
        out.append(r);
    };
    Cell plain;
    plain.fg = m_theme.foreground.rgb();
    if (!m_colors || line.kind != ConsoleLine::Kind::Text) {
        if (line.kind == ConsoleLine::Kind::Gap)
            plain.fg = m_theme.gap.rgb();
        add(0, len, plain);
        return out;
    }
    int pos = 0;
    for (const ConsoleSpan &s : line.spans) {
        add(pos, s.start, plain);
        add(s.start, std::min(len, s.start + s.length), cellStyle(s.style));
        pos = s.start + s.length;
    }
    add(pos, len, plain);
    return out;
}

QRect ConsoleView::lineRect(int lineNumber) const
{
    const_cast<ConsoleView *>(this)->applyPendingChanges();
    if (!m_buffer || lineNumber < m_buffer->firstLineNumber()
        || lineNumber > m_buffer->lastLineNumber())
        return {};
    const int idx = lineNumber - m_layoutFirstLine;
    const int row = m_rowStart[size_t(idx)] + (hasMarker(lineNumber) ? 1 : 0);
    const int y = (row - verticalScrollBar()->value()) * m_lineHeight;
    if (y + m_lineHeight <= 0 || y >= viewport()->height())
        return {};
    return QRect(0, y, viewport()->width(), m_lineHeight);
}

QRectF ConsoleView::textRect(const Position &pos, int length) const
{
    const QRect r = lineRect(pos.line);
    if (r.isEmpty())
        return {};
    const DisplayLine dl = displayLine(m_buffer->line(pos.line));
    int col = dl.column(pos.column);
    const int endCol = dl.column(pos.column + length);
    int y = r.top();
    if (m_wrap && m_layoutWrapCols > 0) {
        y += (col / m_layoutWrapCols) * m_lineHeight;
        col %= m_layoutWrapCols;
    }
    const qreal x = textX() + col * m_charWidth - (m_wrap ? 0 : horizontalScrollBar()->value());
    return QRectF(x, y, (endCol - dl.column(pos.column)) * m_charWidth, m_lineHeight);
}

ConsoleView::Position ConsoleView::positionAt(const QPoint &pt) const
{
    const_cast<ConsoleView *>(this)->applyPendingChanges();
    if (!m_buffer || m_buffer->isEmpty())
        return {};
    const int total = m_rowStart.back();
    const int row = verticalScrollBar()->value() + int(std::floor(qreal(pt.y()) / m_lineHeight));
    if (row < 0)
        return { m_buffer->firstLineNumber(), 0 };
    if (row >= total) {
        const int last = m_buffer->lastLineNumber();
        return { last, int(m_buffer->line(last).text.size()) };
    }
    const int idx = lineIndexAtRow(row);
    const int lineNumber = m_layoutFirstLine + idx;
    const int sub = row - m_rowStart[size_t(idx)];
    const int markerRows = hasMarker(lineNumber) ? 1 : 0;
    if (sub < markerRows)
        return { lineNumber, 0 };
    const ConsoleLine &line = m_buffer->line(lineNumber);
    if (line.kind != ConsoleLine::Kind::Text)
        return { lineNumber, pt.x() > viewport()->width() / 2 ? int(line.text.size()) : 0 };
    const DisplayLine dl = displayLine(line);
    const qreal x = pt.x() - textX() + (m_wrap ? 0 : horizontalScrollBar()->value());
    int col = std::max(0, int(std::lround(x / m_charWidth)));
    if (m_wrap)
        col = std::min(col, m_layoutWrapCols) + (sub - markerRows) * m_layoutWrapCols;
    col = std::min(col, dl.columns());
    return { lineNumber, dl.index(col) };
}

// --- painting -------------------------------------------------------------------------------

void ConsoleView::paintEvent(QPaintEvent *e)
{
    applyPendingChanges();
    QPainter p(viewport());
    const int w = viewport()->width();
    const int h = viewport()->height();
    p.fillRect(e->rect(), m_theme.background);
    const qreal tx = textX();
    const qreal gutter = tx - GutterPad / 2.0;
    p.fillRect(QRectF(0, 0, gutter, h), m_theme.gutterBackground);

    if (!m_buffer || m_buffer->isEmpty()) {
        p.setPen(m_theme.gutterForeground);
        p.setFont(QWidget::font());
        p.drawText(QRectF(tx, 0, w - tx, h), Qt::AlignCenter | Qt::TextWordWrap, m_placeholder);
        return;
    }

    const int n = m_buffer->lineCount();
    const int value = verticalScrollBar()->value();
    const int hscroll = m_wrap ? 0 : horizontalScrollBar()->value();
    int idx = lineIndexAtRow(value);
    int sub = value - m_rowStart[size_t(idx)];
    const int wc = m_layoutWrapCols;
    // Columns in view when not wrapping; a little slack on both sides for partial glyphs.
    const int viewCol0 = std::max(0, int(hscroll / m_charWidth) - 1);
    const int viewCols = int((w - tx) / m_charWidth) + 3;

    struct Number
    {
        int y;
        int line;
    };
    QVarLengthArray<Number, 128> numbers;
    p.setClipRect(QRectF(gutter, 0, w - gutter, h));
    int y = 0;
    for (; y < h && idx < n; ++idx, sub = 0) {
        const int lineNumber = m_layoutFirstLine + idx;
        const ConsoleLine &line = m_buffer->line(lineNumber);
        const int rows = rowsOfIndex(idx);
        const int markerRows = hasMarker(lineNumber) ? 1 : 0;
        std::optional<DisplayLine> dl;
        for (; sub < rows && y < h; ++sub, y += m_lineHeight) {
            if (sub < markerRows) {
                paintMarkerRow(p, y);
                continue;
            }
            const int textRow = sub - markerRows;
            if (textRow == 0)
                numbers.append({ y, lineNumber });
            if (line.kind == ConsoleLine::Kind::Gap) {
                paintGapRow(p, line, y);
                continue;
            }
            if (!dl)
                dl = displayLine(line);
            if (m_wrap) {
                const int cb = textRow * wc;
                paintTextRow(p, lineNumber, line, *dl, cb, std::min(dl->columns(), cb + wc), tx, y,
                             sub == rows - 1);
            } else {
                const int ce = std::min(dl->columns(), viewCol0 + viewCols);
                paintTextRow(p, lineNumber, line, *dl, viewCol0, ce,
                             tx - hscroll + viewCol0 * m_charWidth, y, true);
            }
        }
    }
    p.setClipping(false);
    p.setPen(m_theme.gutterForeground);
    const qreal numbersRight = gutter - GutterPad / 2.0;
    for (const Number &num : numbers) {
        const QString digits = QString::number(num.line);
        drawChars(p, 0, digits.constData(), int(digits.size()),
                  numbersRight - digits.size() * m_charWidth, num.y + m_ascent);
    }
}

void ConsoleView::paintTextRow(QPainter &p, int lineNumber, const ConsoleLine &line,
                               const DisplayLine &dl, int colBegin, int colEnd, qreal x, int y,
                               bool lastRowOfLine)
{
    const int w = viewport()->width();
    if (lineNumber == m_flashLine)
        p.fillRect(QRectF(0, y, w, m_lineHeight), m_theme.flashBackground);

    // Selection, in display columns.
    int selFrom = -1, selTo = -1;
    bool newlineSelected = false;
    if (hasSelection()) {
        const Position s = selectionStart();
        const Position e = selectionEnd();
        if (lineNumber >= s.line && lineNumber <= e.line) {
            selFrom = dl.column(lineNumber == s.line ? s.column : 0);
            selTo = lineNumber == e.line ? dl.column(e.column) : dl.columns();
            newlineSelected = lineNumber < e.line;
        }
    }

    const int count = colEnd - colBegin;
    if (count > 0) {
        Cell plain;
        plain.fg = m_theme.foreground.rgb();
        QVarLengthArray<Cell, 512> cells(count);
        std::fill(cells.begin(), cells.end(), plain);
        auto paintRange = [&](int from, int to, auto &&apply) {
            for (int c = std::max(from, colBegin), end = std::min(to, colEnd); c < end; ++c)
                apply(cells[c - colBegin]);
        };
        if (m_colors) {
            for (const ConsoleSpan &s : line.spans) {
                const int from = dl.column(s.start);
                const int to = dl.column(s.start + s.length);
                if (to <= colBegin || from >= colEnd)
                    continue;
                const Cell style = cellStyle(s.style);
                paintRange(from, to, [&](Cell &c) { c = style; });
            }
        }
        if (m_search && m_search->isActive()) {
            const auto [lo, hi] = m_search->matchesOnLine(lineNumber);
            const ConsoleSearch::Match *cur = m_search->current();
            for (const auto *m = lo; m != hi; ++m) {
                const QRgb bg = (cur && *m == *cur) ? m_theme.currentMatchBackground.rgb()
                                                    : m_theme.matchBackground.rgb();
                paintRange(dl.column(m->start), dl.column(m->start + m->length), [&](Cell &c) {
                    c.bg = bg;
                    c.hasBg = true;
                    c.fg = m_theme.matchForeground.rgb();
                });
            }
        }
        if (selFrom >= 0) {
            paintRange(selFrom, selTo, [&](Cell &c) {
                c.bg = m_theme.selectionBackground.rgb();
                c.hasBg = true;
                c.fg = m_theme.selectionForeground.rgb();
            });
        }

        // Backgrounds, merged into runs.
        for (int i = 0; i < count;) {
            if (!cells[i].hasBg) {
                ++i;
                continue;
            }
            int j = i + 1;
            while (j < count && cells[j].hasBg && cells[j].bg == cells[i].bg)
                ++j;
            p.fillRect(QRectF(x + i * m_charWidth, y, (j - i) * m_charWidth, m_lineHeight),
                       QColor::fromRgb(cells[i].bg));
            i = j;
        }
        // Text, one drawText per run of equal colour and font.
        const QChar *chars = dl.text.constData() + colBegin;
        for (int i = 0; i < count;) {
            int j = i + 1;
            while (j < count && cells[j].fg == cells[i].fg && cells[j].flags == cells[i].flags)
                ++j;
            const quint8 flags = cells[i].flags;
            bool blank = !(flags & (FontUnderline | FontStrike));
            for (int k = i; blank && k < j; ++k)
                blank = chars[k] == u' ';
            if (!blank) {
                p.setPen(QColor::fromRgb(cells[i].fg));
                drawChars(p, flags, chars + i, j - i, x + i * m_charWidth, y + m_ascent);
            }
            i = j;
        }
    }
    if (newlineSelected && lastRowOfLine) {
        // Show that the line end is part of the selection.
        const int endCol = dl.columns();
        if (endCol >= colBegin)
            p.fillRect(QRectF(x + (endCol - colBegin) * m_charWidth, y, m_charWidth, m_lineHeight),
                       m_theme.selectionBackground);
    }
}

void ConsoleView::drawChars(QPainter &p, quint8 flags, const QChar *chars, int count, qreal x,
                            qreal baseline)
{
    // Shaping every run with drawText() costs ~20 µs; a console line is a grid of single
    // characters, so glyph lookup plus grid positions give the same picture several times faster
    // (and no drift between the text and the selection / match rectangles).
    const QRawFont &raw = m_rawFonts[flags & (FontBold | FontItalic)];
    if (raw.isValid() && count <= 4096) {
        QVarLengthArray<quint32, 256> glyphs(count);
        int n = count;
        if (raw.glyphIndexesForChars(chars, count, glyphs.data(), &n) && n == count
            && std::find(glyphs.begin(), glyphs.end(), 0u) == glyphs.end()) {
            QVarLengthArray<QPointF, 256> positions(count);
            for (int k = 0; k < count; ++k)
                positions[k] = QPointF(x + k * m_charWidth, baseline);
            QGlyphRun run;
            run.setRawFont(raw);
            run.setRawData(glyphs.constData(), positions.constData(), count);
            run.setUnderline(flags & FontUnderline);
            run.setStrikeOut(flags & FontStrike);
            p.drawGlyphRun(QPointF(0, 0), run);
            return;
        }
    }
    QFont f = fontFor(flags);
    if (flags & (FontUnderline | FontStrike)) {
        f.setUnderline(flags & FontUnderline);
        f.setStrikeOut(flags & FontStrike);
    }
    p.setFont(f);
    p.drawText(QPointF(x, baseline), QString::fromRawData(chars, count));
}

void ConsoleView::paintMarkerRow(QPainter &p, int y)
{
    const int w = viewport()->width();
    const qreal tx = textX();
    p.fillRect(QRectF(tx - GutterPad / 2.0, y, w, m_lineHeight), m_theme.markerBackground);
    QFont f = m_fonts[FontBold];
    p.setFont(f);
    const QString label = QStringLiteral("— %1 —").arg(m_markerLabel);
    const qreal lw = QFontMetricsF(f).horizontalAdvance(label);
    const qreal cx = tx + (w - tx - lw) / 2;
    const qreal mid = y + m_lineHeight / 2.0;
    p.setPen(QPen(m_theme.marker, 1.5));
    p.drawLine(QPointF(tx, mid), QPointF(cx - m_charWidth, mid));
    p.drawLine(QPointF(cx + lw + m_charWidth, mid), QPointF(w - m_charWidth, mid));
    p.drawText(QPointF(cx, y + m_ascent), label);
}

void ConsoleView::paintGapRow(QPainter &p, const ConsoleLine &line, int y)
{
    const int w = viewport()->width();
    const qreal tx = textX();
    p.fillRect(QRectF(tx - GutterPad / 2.0, y, w, m_lineHeight), m_theme.gapBackground);
    const QFont &f = m_fonts[FontItalic];
    p.setFont(f);
    const qreal lw = QFontMetricsF(f).horizontalAdvance(line.text);
    const qreal cx = tx + (w - tx - lw) / 2;
    const qreal mid = y + m_lineHeight / 2.0;
    p.setPen(QPen(m_theme.gap, 1, Qt::DashLine));
    p.drawLine(QPointF(tx, mid), QPointF(cx - m_charWidth, mid));
    p.drawLine(QPointF(cx + lw + m_charWidth, mid), QPointF(w - m_charWidth, mid));
    p.setPen(m_theme.gap);
    p.drawText(QPointF(cx, y + m_ascent), line.text);
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
    QAction *copyAction = menu.addAction(QStringLiteral("Copy\tCtrl+C"), this, [this] { copy(); });
    copyAction->setEnabled(hasSelection());
    menu.addAction(QStringLiteral("Select all\tCtrl+A"), this, &ConsoleView::selectAll);
    menu.addSeparator();
    menu.addAction(QStringLiteral("Scroll to the end\tEnd"), this, &ConsoleView::scrollToBottom);
    if (!m_contextActions.isEmpty()) {
        menu.addSeparator();
        menu.addActions(m_contextActions);
    }
    menu.exec(e->globalPos());
}

} // namespace cpc::ui
