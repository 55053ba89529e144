#include "provisionsummary.h"

#include "termtext.h"
#include "workspacesource.h"

#include <QCoreApplication>

namespace cpc::ui {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("cpc::ui::ProvisionSummary", text);
}

QString shown(const QString &text)
{
    return termtext::sanitize(text);
}

} // namespace

ProvisionSummary ProvisionSummary::make(const ProvisionRequest &request, const QString &newName,
                                        WorkspaceSource *source, const NameLookup &sameNameOf)
{
    ProvisionSummary s;
    std::optional<WorkspaceRow> row;
    QString lookupError;
    if (source) {
        if (const auto got = source->get(request.workspaceId); got)
            row = got.value();
        else
            lookupError = got.error().message;
    }
    const QString name = row
        ? (row->name.isEmpty() ? row->id : row->name)
        : (newName.trimmed().isEmpty() ? request.workspaceId : newName.trimmed());
    const QString provider
        = request.provider.isEmpty() ? tr("the CP's default provider") : request.provider;
    s.headline = tr("Provision %1: tier %2, %3, %4")
                     .arg(shown(name))
                     .arg(request.tier)
                     .arg(shown(provider), shown(request.runtime));

    s.details << tr("Workspace ID: %1").arg(shown(request.workspaceId));
    s.details << tr("Platform URL: %1").arg(shown(request.platformUrl));
    if (!request.env.isEmpty())
        s.details << tr("Environment: %1 (values not shown)")
                         .arg(shown(QStringList(request.env.keys()).join(QStringLiteral(", "))));
    if (!request.instanceType.isEmpty())
        s.details << tr("Instance type: %1").arg(shown(request.instanceType));
    if (request.diskGb)
        s.details << tr("Disk: %1 GB").arg(*request.diskGb);

    if (!lookupError.isEmpty()) {
        s.warnings << tr("The database could not be asked about this workspace: %1")
                          .arg(shown(lookupError));
    } else if (row) {
        // A re-provision with other values than the row's resizes or moves the workspace.
        if (row->tier != request.tier)
            s.warnings << tr("The workspace is tier %1 on file; this provisions tier %2.")
                              .arg(row->tier)
                              .arg(request.tier);
        if (!row->provider.isEmpty() && row->provider != request.provider)
            s.warnings << tr("The workspace's provider on file is %1; this asks for %2.")
                              .arg(shown(row->provider), shown(provider));
        if (!row->runtime.isEmpty() && row->runtime != request.runtime)
            s.warnings << tr("The workspace's runtime on file is %1; this asks for %2.")
                              .arg(shown(row->runtime), shown(request.runtime));
    } else if (source) {
        s.createsRow = true;
        s.warnings << tr("No workspace has the ID %1 in the database: a new row named %2 is "
                         "added.")
                          .arg(shown(request.workspaceId), shown(name));
        // An ID typed where a name was meant makes a second row that looks like the first.
        QStringList sameName;
        if (sameNameOf) {
            for (const QString &id : sameNameOf(name))
                sameName << shown(id);
        } else if (const auto all = source->list(); all) {
            for (const WorkspaceRow &other : all.value()) {
                if (other.name.trimmed().compare(name, Qt::CaseInsensitive) == 0)
                    sameName << shown(other.id);
            }
        }
        {
            if (!sameName.isEmpty())
                s.warnings << tr("A workspace named %1 already exists (ID %2): this would be a "
                                 "second row with that name.")
                                  .arg(shown(name), sameName.mid(0, 3).join(QStringLiteral(", ")));
        }
    }
    return s;
}

QString ProvisionSummary::html() const
{
    QString h = QStringLiteral("<p><b>%1</b></p>").arg(headline.toHtmlEscaped());
    for (const QString &d : details)
        h += QStringLiteral("%1<br>").arg(d.toHtmlEscaped());
    // A symbol and words, not colour alone.
    for (const QString &w : warnings)
        h += QStringLiteral("<p>⚠ %1</p>").arg(w.toHtmlEscaped());
    return h;
}

} // namespace cpc::ui
