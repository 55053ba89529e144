#include "sqltest.h"

#include "workspacesource.h"

#include <QDebug>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>

namespace cpc::test {

bool sqlExec(const QString &connection, const QString &sql, const QVariantList &values)
{
    QSqlQuery q(QSqlDatabase::database(connection, false));
    bool ok = false;
    if (values.isEmpty()) {
        ok = q.exec(sql);
    } else if (q.prepare(sql)) {
        for (const QVariant &v : values)
            q.addBindValue(v);
        ok = q.exec();
    }
    if (!ok)
        qWarning() << sql << q.lastError().text();
    return ok;
}

QVariant sqlValue(const QString &connection, const QString &sql, const QVariantList &values)
{
    QSqlQuery q(QSqlDatabase::database(connection, false));
    q.prepare(sql);
    for (const QVariant &v : values)
        q.addBindValue(v);
    if (!q.exec() || !q.next())
        return QStringLiteral("<no value: %1>").arg(q.lastError().text());
    return q.value(0);
}

QString quoteIdent(const QString &name)
{
    return u'"' + QString(name).replace(u'"', QStringLiteral("\"\"")) + u'"';
}

std::optional<WorkspaceRow> workspaceRow(const QString &dbUrl, const QString &id)
{
    auto src = WorkspaceSource::open(dbUrl);
    if (!src)
        return std::nullopt;
    auto r = src.value()->get(id);
    return r ? r.value() : std::nullopt;
}

} // namespace cpc::test
