#pragma once

#include "consolebuffer.h"

#include <QStringView>

#include <optional>

namespace cpc {

/// The kind of a notable console line (kernel panic, call trace, out of memory, …), or none.
/// A line matching several patterns gets the most severe kind.
std::optional<ConsoleBuffer::Notable::Kind> classifyNotable(QStringView line);

} // namespace cpc
