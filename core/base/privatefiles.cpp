#include "privatefiles.h"

#include "dburl.h"
#include "logging.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStringList>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace cpc::files {

namespace {

QByteArray native(const QString &path)
{
    return QFile::encodeName(path);
}

QString errnoText(int error)
{
    return QString::fromLocal8Bit(std::strerror(error));
}

QString octal(mode_t mode)
{
    return QStringLiteral("0%1").arg(uint(mode & 07777), 3, 8, QChar(u'0'));
}

QString absolute(const QString &path)
{
    return QDir::cleanPath(QFileInfo(path).absoluteFilePath());
}

/// "a FIFO (named pipe)", "a character device", …: what a path is when it is not a file.
QString typeName(mode_t mode)
{
    if (S_ISFIFO(mode))
        return QStringLiteral("a FIFO (named pipe)");
    if (S_ISCHR(mode))
        return QStringLiteral("a character device");
    if (S_ISBLK(mode))
        return QStringLiteral("a block device");
    if (S_ISSOCK(mode))
        return QStringLiteral("a socket");
    if (S_ISDIR(mode))
        return QStringLiteral("a directory");
    return QStringLiteral("not a file");
}

/// Sets the exact mode of something this process just created: umask only takes bits away,
/// and a umask like 0277 would even leave the owner without write access.
void setExactMode(int fd, mode_t mode)
{
    if (::fchmod(fd, mode) != 0)
        qCWarning(lcDb).noquote() << "cannot set mode" << octal(mode) << ":" << errnoText(errno);
}

/// Folders and files opened by path here never follow a link in the last component: the
/// mode change must land on what was created or checked, not on what a link points to.
bool chmodDirectory(const QString &dir, mode_t mode)
{
    const int fd = ::open(native(dir).constData(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return false;
    setExactMode(fd, mode);
    ::close(fd);
    return true;
}

/// The console's own data folder, which an earlier version created 0755: close it. Only a
/// real folder of this user; a link or someone else's folder is left alone.
void closeDataFolder(const QString &dir)
{
    if (absolute(dir) != absolute(userDataDirectory()))
        return;
    struct stat st
    {
    };
    if (::lstat(native(dir).constData(), &st) != 0 || !S_ISDIR(st.st_mode)
        || st.st_uid != ::geteuid() || (st.st_mode & 077) == 0)
        return;
    if (chmodDirectory(dir, 0700))
        qCInfo(lcDb).noquote() << "closed the data folder" << dir << "to 0700 (it was"
                               << octal(st.st_mode) + u')';
}

/// Warns when other users can read an existing file the user named: its mode is theirs to
/// choose, but they should know. A file in a folder others cannot enter is not readable.
void warnWhenOthersCanRead(const QString &path, const QString &what, mode_t mode)
{
    struct stat dir
    {
    };
    if (::stat(native(QFileInfo(path).absolutePath()).constData(), &dir) != 0)
        return;
    const bool group = (mode & S_IRGRP) && (dir.st_mode & S_IXGRP);
    const bool others = (mode & S_IROTH) && (dir.st_mode & S_IXOTH);
    if (group || others)
        qCWarning(lcDb).noquote() << QStringLiteral("warning: %1 (%2) can be read by other users "
                                                    "(mode %3); chmod 600 it to keep it private")
                                         .arg(path, what, octal(mode));
}

} // namespace

VoidResult makePrivateDirectory(const QString &dirIn)
{
    const QString dir = absolute(dirIn);
    QStringList missing;
    QString at = dir;
    while (true) {
        struct stat st
        {
        };
        if (::stat(native(at).constData(), &st) == 0) {
            if (!S_ISDIR(st.st_mode))
                return Error::make(Error::Kind::Config,
                                   QStringLiteral("cannot create the folder %1: %2 is %3")
                                       .arg(dir, at, typeName(st.st_mode)));
            break;
        }
        if (errno != ENOENT)
            return Error::make(Error::Kind::Database,
                               QStringLiteral("cannot create the folder %1: %2: %3")
                                   .arg(dir, at, errnoText(errno)));
        missing.prepend(at);
        const QString parent = QFileInfo(at).absolutePath();
        if (parent == at)
            break;
        at = parent;
    }
    for (const QString &part : std::as_const(missing)) {
        if (::mkdir(native(part).constData(), 0700) != 0) {
            if (errno == EEXIST && QFileInfo(part).isDir())
                continue; // made by someone else meanwhile: theirs, not ours to change
            return Error::make(
                Error::Kind::Database,
                QStringLiteral("cannot create the folder %1: %2").arg(part, errnoText(errno)));
        }
        chmodDirectory(part, 0700);
    }
    return Ok {};
}

void tightenOwnFile(const QString &path)
{
    struct stat st
    {
    };
    if (::lstat(native(path).constData(), &st) != 0 || !S_ISREG(st.st_mode)
        || st.st_uid != ::geteuid() || (st.st_mode & 077) == 0)
        return;
    const int fd = ::open(native(path).constData(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return;
    struct stat opened
    {
    };
    // The same regular file that was checked, not something swapped in since.
    if (::fstat(fd, &opened) == 0 && opened.st_dev == st.st_dev && opened.st_ino == st.st_ino
        && S_ISREG(opened.st_mode)) {
        setExactMode(fd, 0600);
        qCInfo(lcDb).noquote() << "closed" << path << "to 0600 (it was" << octal(st.st_mode) + u')';
    }
    ::close(fd);
}

VoidResult createPrivateFile(const QString &path)
{
    if (const VoidResult dir = makePrivateDirectory(QFileInfo(path).absolutePath()); !dir)
        return dir;
    const int fd = ::open(native(path).constData(),
                          O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) {
        if (errno == EEXIST)
            return Ok {};
        return Error::make(Error::Kind::Database,
                           QStringLiteral("cannot create %1: %2").arg(path, errnoText(errno)));
    }
    setExactMode(fd, 0600);
    ::close(fd);
    return Ok {};
}

Result<bool> prepareDatabaseFile(const QString &path, const QString &what)
{
    const QString folder = QFileInfo(path).absolutePath();
    closeDataFolder(folder);
    // Twice at most: a file that appears between the check and the create is checked again.
    for (int attempt = 0; attempt < 2; ++attempt) {
        struct stat st
        {
        };
        if (::stat(native(path).constData(), &st) == 0) {
            if (!S_ISREG(st.st_mode))
                return Error::make(Error::Kind::Config,
                                   QStringLiteral("%1 is %2, not a regular file: refusing to use "
                                                  "it for %3")
                                       .arg(path, typeName(st.st_mode), what));
            warnWhenOthersCanRead(path, what, st.st_mode);
            return false;
        }
        if (errno != ENOENT)
            return Error::make(
                Error::Kind::Database,
                QStringLiteral("cannot use %1 for %2: %3").arg(path, what, errnoText(errno)));
        if (const VoidResult dir = makePrivateDirectory(folder); !dir)
            return dir.error();
        const int fd = ::open(native(path).constData(),
                              O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd >= 0) {
            setExactMode(fd, 0600);
            ::close(fd);
            return true;
        }
        if (errno != EEXIST)
            return Error::make(
                Error::Kind::Database,
                QStringLiteral("cannot create %1 for %2: %3").arg(path, what, errnoText(errno)));
        struct stat link
        {
        };
        if (::lstat(native(path).constData(), &link) == 0 && S_ISLNK(link.st_mode)
            && ::stat(native(path).constData(), &st) != 0)
            return Error::make(Error::Kind::Config,
                               QStringLiteral("%1 is a symbolic link to nothing: refusing to use "
                                              "it for %2")
                                   .arg(path, what));
    }
    return Error::make(
        Error::Kind::Database,
        QStringLiteral("cannot create %1 for %2: it keeps changing").arg(path, what));
}

} // namespace cpc::files
