#pragma once

#include <QByteArrayView>
#include <QString>
#include <QStringView>

/// The text handling under ConsoleBuffer's merge: where a new fetch overlaps the previous one,
/// and UTF-8 decoding that counts invalid sequences.
namespace cpc::consoletext {

/// The length of the longest suffix of prev that is a prefix of next, or -1 when there is none
/// the search can see (see the note on the anchor in consoletext.cpp).
qsizetype overlapOf(QStringView prev, QStringView next);
qsizetype overlapOf(QByteArrayView prev, QByteArrayView next);
/// Whether next occurs entirely inside prev (a stale or repeated poll).
bool isInside(QStringView prev, QStringView next);
bool isInside(QByteArrayView prev, QByteArrayView next);
/// Decodes UTF-8, appending to out; returns the bytes consumed (details in consoletext.cpp).
qsizetype decodeUtf8(const uchar *s, qsizetype n, QString &out, qint64 &invalid, bool atEnd);
/// The UTF-8 length of s, in bytes.
int utf8Length(QStringView s);

} // namespace cpc::consoletext
