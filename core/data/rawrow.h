#pragma once

#include <QByteArrayView>

#include <array>
#include <functional>
#include <limits>

namespace cpc {

/// One row of the `workspaces` table as the database handed it over, before any QString is made:
/// what the read loop gives a consumer that keeps rows compactly (the list model) or writes
/// them straight out (cpctl list). Valid only during the sink call that receives it.
struct RawRow
{
    /// The text columns, in WorkspaceRow's order.
    enum Text {
        Id,
        Name,
        Role,
        Status,
        Runtime,
        InstanceId,
        Url,
        LastSampleError,
        Provider,
        TextCount
    };
    enum Time { LastHeartbeatAt, CreatedAt, UpdatedAt, TimeCount };
    static constexpr qint64 kNoTime = std::numeric_limits<qint64>::min();

    std::array<QByteArrayView, TextCount> text; ///< UTF-8; NULL and empty are both empty
    std::array<qint64, TimeCount> msecs {}; ///< ms since the epoch (UTC); kNoTime for NULL or junk
    int tier = 0; ///< tierFromVariant()'s rules: NULL and junk are 0
};

/// Receives each row as it is read; returning false stops the read (the consumer was cancelled).
using RawRowSink = std::function<bool(const RawRow &)>;

} // namespace cpc
