#pragma once

#include "consolebuffer.h"
#include "consoletheme.h"

#include <QAbstractScrollArea>
#include <QFont>
#include <QPointer>
#include <QRawFont>
#include <QTimer>

#include <deque>
#include <vector>

class QAction;
class QToolButton;

namespace cpc::ui {

class ConsoleSearch;

/// The text area of the console viewer: paints only the visible rows straight from a
/// ConsoleBuffer (no document copy), with absolute line numbers in a gutter, ANSI colours
/// (or none), optional wrapping at the character grid, search highlights, a "new since" marker
/// row, distinct gap lines, mouse and keyboard selection with copy.
///
/// Scrolling is anchored to an absolute line, so appending or dropping lines never moves what
/// a reader who scrolled up is looking at. Follow mode is simply "the reader is at the bottom":
/// then the view sticks to the bottom as lines arrive; otherwise a floating "N new lines" pill
/// counts what arrived below and takes the reader down when clicked.
///
/// The owner merges into the buffer and then calls bufferChanged(); the row layout is rebuilt
/// lazily (on the next paint or query), so many merges cost one layout.
class ConsoleView : public QAbstractScrollArea
{
    Q_OBJECT
public:
    /// A place in the text: absolute line number and an index into the line's text.
    struct Position
    {
        int line = 0;
        int column = 0;
        friend auto operator<=>(const Position &, const Position &) = default;
    };

    /// A run of a line's text as it is drawn (before selection and search highlights).
    struct Run
    {
        int start = 0;
        int length = 0;
        QColor foreground;
        QColor background; ///< invalid: the view's background
        bool bold = false;
        bool italic = false;
        bool underline = false;
        bool strike = false;
    };

    explicit ConsoleView(QWidget *parent = nullptr);
    ~ConsoleView() override;

    /// The buffer to show; the view only reads it. May be null.
    void setBuffer(const ConsoleBuffer *buffer);
    const ConsoleBuffer *buffer() const { return m_buffer; }
    /// The search whose matches are highlighted; may be null.
    void setSearch(const ConsoleSearch *search);
    /// Call after every merge into the buffer: lines from firstChangedLine on are new or changed
    /// (0: anything may have changed, e.g. after clear()). Lines dropped from the top need no
    /// mention.
    void bufferChanged(int firstChangedLine = 0);
    /// Call when the search's matches or current match changed.
    void searchChanged();
    /// Applies pending buffer changes now (layout, follow, pill); paints and queries do it too.
    void applyPendingChanges();

    /// Shown in the middle of the view while the buffer is empty.
    void setPlaceholderText(const QString &text);
    QString placeholderText() const { return m_placeholder; }

    void setWrap(bool wrap);
    bool wrap() const { return m_wrap; }
    void setColorsEnabled(bool enabled);
    bool colorsEnabled() const { return m_colors; }

    /// True while the reader is at the bottom: new lines keep the bottom in view.
    bool isFollowing() const;
    void scrollToBottom();
    /// Scrolls so the line is in view, a little below the top, and flashes it briefly.
    void jumpToLine(int lineNumber);
    /// Scrolls (only if needed) so that the text position is in view.
    void ensureVisible(const Position &pos, int length = 0);
    /// The first line with a row at least partly in view (0 when empty).
    int topLineNumber() const;
    /// The last line with a row at least partly in view (0 when empty).
    int bottomLineNumber() const;
    int scrollValue() const;
    int visibleRowCount() const;
    int lineHeight() const { return m_lineHeight; }
    qreal characterWidth() const { return m_charWidth; }

    /// Lines that arrived below the last line the reader saw at the bottom.
    int newLineCount() const;
    bool isNewLinesPillVisible() const;
    QToolButton *newLinesPill() const { return m_pill; }
    /// The last line the reader has seen at the bottom of a visible view.
    int seenLastLine() const { return m_seenLast; }

    /// A marker row above `lineNumber` with the label ("new since 14:02:11"); 0 removes it.
    void setNewTextMarker(int lineNumber, const QString &label);
    int newTextMarkerLine() const;
    QString newTextMarkerLabel() const { return m_markerLabel; }

    bool hasSelection() const { return m_selAnchor != m_selCursor; }
    QString selectedText() const;
    void setSelection(const Position &anchor, const Position &cursor);
    Position selectionStart() const;
    Position selectionEnd() const;
    void selectAll();
    void clearSelection();
    /// Copies the selection to the clipboard; false when there is none.
    bool copy() const;

    /// What is drawn for a line's text, in text indexes, covering the whole line.
    QList<Run> runs(int lineNumber) const;
    /// The viewport rectangle of the line's first text row; empty when not in view.
    QRect lineRect(int lineNumber) const;
    /// The viewport rectangle of a text range on its first row (for tests and tooltips).
    QRectF textRect(const Position &pos, int length) const;
    /// The text position under a viewport point.
    Position positionAt(const QPoint &viewportPos) const;
    const ConsoleTheme &theme() const { return m_theme; }
    /// Extra entries for the context menu (find, save, …); the view does not own them.
    void setContextActions(const QList<QAction *> &actions) { m_contextActions = actions; }

Q_SIGNALS:
    void followingChanged(bool following);
    void newLineCountChanged(int count);
    void selectionChanged();

protected:
    bool event(QEvent *e) override;
    void paintEvent(QPaintEvent *e) override;
    void resizeEvent(QResizeEvent *e) override;
    void showEvent(QShowEvent *e) override;
    void changeEvent(QEvent *e) override;
    void keyPressEvent(QKeyEvent *e) override;
    void mousePressEvent(QMouseEvent *e) override;
    void mouseMoveEvent(QMouseEvent *e) override;
    void mouseReleaseEvent(QMouseEvent *e) override;
    void mouseDoubleClickEvent(QMouseEvent *e) override;
    void contextMenuEvent(QContextMenuEvent *e) override;
    void scrollContentsBy(int dx, int dy) override;

private:
    struct DisplayLine;
    struct Cell;

    void updateMetrics();
    void rebuildLayout();
    void updateScrollBars();
    void applyAnchor();
    void setScrollValue(int value);
    void onUserScroll();
    void setFollowing(bool following);
    void updatePill();
    void placePill();
    void markSeenIfAtBottom();

    int lineIndexAtRow(int row) const;
    int rowsOfIndex(int index) const
    {
        return m_rowStart[size_t(index) + 1] - m_rowStart[size_t(index)];
    }
    bool hasMarker(int lineNumber) const { return m_markerLine > 0 && lineNumber == m_markerLine; }
    int textColumns(const ConsoleLine &line) const;
    int wrapColumns() const;
    qreal textX() const;
    DisplayLine displayLine(const ConsoleLine &line) const;
    Cell cellStyle(const ConsoleStyle &style) const;
    const QFont &fontFor(quint8 flags) const;

    void paintTextRow(QPainter &p, int lineNumber, const ConsoleLine &line, const DisplayLine &dl,
                      int colBegin, int colEnd, qreal x, int y, bool lastRowOfLine);
    /// Draws characters on the grid, glyphs looked up straight from the font (no shaping);
    /// falls back to drawText when the font lacks a glyph.
    void drawChars(QPainter &p, quint8 flags, const QChar *chars, int count, qreal x,
                   qreal baseline);
    void paintMarkerRow(QPainter &p, int y);
    void paintGapRow(QPainter &p, const ConsoleLine &line, int y);
    void autoScrollStep();
    Position clampPosition(Position pos) const;

    const ConsoleBuffer *m_buffer = nullptr;
    const ConsoleSearch *m_search = nullptr;
    ConsoleTheme m_theme;
    QString m_placeholder;

    QFont m_fonts[4]; ///< regular, bold, italic, bold italic
    QRawFont m_rawFonts[4];
    qreal m_charWidth = 8;
    int m_lineHeight = 16;
    int m_ascent = 12;

    bool m_wrap = false;
    bool m_colors = true;

    // Layout: m_rowStart[i] is the first visual row of line firstLineNumber() + i.
    bool m_dirty = true;
    std::vector<int> m_rowStart { 0 };
    /// Display columns of each stored line (tabs expanded), first entry for m_colsFirstLine;
    /// kept across merges so a layout only measures lines that changed.
    std::deque<int> m_cols;
    int m_colsFirstLine = 1;
    int m_colsValidUpTo = 0; ///< lines after this one must be measured again
    int m_layoutFirstLine = 1;
    int m_layoutWrapCols = 0;
    int m_maxColumns = 0;

    // Scroll anchor: the reader's top row as (absolute line, row within the line).
    int m_anchorLine = 0;
    int m_anchorSubRow = 0;
    bool m_following = true;
    bool m_settingScroll = false;
    int m_seenLast = 0;
    int m_lastPillCount = 0;

    int m_markerLine = 0;
    QString m_markerLabel;

    int m_flashLine = 0;
    QTimer m_flashTimer;

    Position m_selAnchor;
    Position m_selCursor;
    bool m_selecting = false;
    QPoint m_lastMousePos;
    QTimer m_autoScroll;

    QToolButton *m_pill = nullptr;
    QList<QAction *> m_contextActions;
};

} // namespace cpc::ui
