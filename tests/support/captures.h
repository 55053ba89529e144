#pragma once

#include <QByteArray>
#include <QString>

namespace cpc::test {

/// A real serial-console capture from tests/data/console/ (see its README), as raw bytes. A
/// missing capture ends the run: every check on it would be meaningless.
QByteArray consoleCapture(const QString &name);

} // namespace cpc::test
