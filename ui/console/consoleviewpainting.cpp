// What the console view draws: cell styles, runs, geometry of a position, and the painting of
// text, marker and gap rows. The rest of ConsoleView is in consoleview.cpp.
#include "consoleview_p.h"

#include "consolesearch.h"

#include <QApplication>
#include <QGlyphRun>
#include <QPaintEvent>
#include <QPainter>
#include <QScrollBar>
#include <QStyleHints>
#include <QVarLengthArray>

#include <optional>

namespace cpc::ui {

using namespace consoleview;

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
} // namespace cpc::ui
