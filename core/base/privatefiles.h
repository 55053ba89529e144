#pragma once

#include "result.h"

#include <QString>

namespace cpc::files {

/// Creates `dir` and every missing folder above it with mode 0700, whatever the umask. Folders
/// that exist keep their mode. Kind::Database on failure; Kind::Config when a part of the path
/// exists and is not a folder.
VoidResult makePrivateDirectory(const QString &dir);

/// Makes a file of ours 0600 (the settings file an earlier version left 0644): only a regular
/// file, not a link, owned by this user; anything else is left as it is. Never creates.
void tightenOwnFile(const QString &path);

/// Creates `path` empty with mode 0600 (and its missing folders 0700) when it does not exist;
/// an existing file is left alone. For files other code then writes (QSettings, a bundle).
VoidResult createPrivateFile(const QString &path);

/// Before a database file is opened (`what` names it in messages: "the local state"):
///   - a path that exists and is not a regular file (a FIFO, a device, a folder) is refused
///     with Kind::Config before anything opens it: opening a FIFO blocks forever, and writing
///     to or changing the mode of a device reaches the whole machine;
///   - a missing file is created 0600, its missing folders 0700; returns true;
///   - an existing file keeps its mode (the user chose it), with a warning on cpc.db when
///     other users can read it; returns false.
/// The console's own data folder (userDataDirectory()) is also closed to 0700 when an earlier
/// version left it open, which covers the databases in it.
Result<bool> prepareDatabaseFile(const QString &path, const QString &what);

} // namespace cpc::files
