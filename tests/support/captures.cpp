#include "captures.h"

#include <QFile>

namespace cpc::test {

QByteArray consoleCapture(const QString &name)
{
    QFile f(QStringLiteral(CPC_TESTDATA_DIR "/console/") + name);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("missing capture %s", qPrintable(f.fileName()));
    return f.readAll();
}

} // namespace cpc::test
