#pragma once

// Shared by consoleview.cpp (layout, scrolling, selection, input) and consoleviewpainting.cpp
// (what is drawn): the character grid's constants and the laid-out line. Not a public header.
#include "consoleview.h"

#include <QColor>

#include <algorithm>
#include <vector>

namespace cpc::ui {

namespace consoleview {

constexpr int TabWidth = 8;
constexpr int GutterPad = 8; ///< px between the gutter and the text
constexpr int FlashMs = 1600;

enum FontFlag : quint8 {
    FontBold = 0x1,
    FontItalic = 0x2,
    FontUnderline = 0x4,
    FontStrike = 0x8,
};

inline QColor mix(const QColor &a, const QColor &b, qreal t)
{
    return QColor::fromRgbF(float(a.redF() * (1 - t) + b.redF() * t),
                            float(a.greenF() * (1 - t) + b.greenF() * t),
                            float(a.blueF() * (1 - t) + b.blueF() * t));
}

inline bool isWordChar(QChar c)
{
    return c.isLetterOrNumber() || c == u'_' || c == u'-' || c == u'.' || c == u'/' || c == u':'
        || c == u'@';
}

} // namespace consoleview

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

} // namespace cpc::ui
