#pragma once

#include <QByteArrayView>
#include <QStringView>
#include <QtGlobal>

/// The values of a `workspaces` row read from the bytes a database hands over, without a
/// QString on the common path: the rules of SqliteSource::parseTimestamp() and
/// tierFromVariant(), shared by the QVariant readers and the read loops of scan().
namespace cpc::rawparse {

/// Unix seconds to ms since the epoch; RawRow::kNoTime outside years 1 to 9999 (or NaN).
qint64 msecsFromSeconds(double secs);

/// The hand-parsed ISO-8601 shapes (date; date and time with optional fraction and zone, none
/// meaning UTC): ms since the epoch, or RawRow::kNoTime when the text is not one of them.
qint64 isoMsecs(QByteArrayView text);
qint64 isoMsecs(QStringView text);

/// A text column holding a timestamp: ISO-8601 with or without zone, unix seconds as numeric
/// text, anything else kNoTime. Exactly SqliteSource::parseTimestamp() of the same text.
qint64 timestampFromText(QByteArrayView utf8);

/// A tier held as text: the trimmed text as a whole number, else 0 (tierFromVariant()).
int tierFromText(QByteArrayView utf8);
/// A tier held as a floating-point number: truncated; 0 when it does not fit an int.
int tierFromDouble(double value);

} // namespace cpc::rawparse
