#pragma once

// Shared by the files that implement StateStore (statestore.cpp: file, migrations, audit,
// status history, settings; statejournal.cpp: the journal and the operation locks).
#include "statestore.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>

namespace cpc {

struct StateStore::Private
{
    QString path;
    QString connectionName;
    QString session; ///< one per open: a Pending entry of another session was interrupted
    int version = 0;

    QSqlDatabase db() const { return QSqlDatabase::database(connectionName, false); }
    Error error(const QString &what, const QSqlError &e) const;
    VoidResult migrate();
    JournalEntry readJournal(const QSqlQuery &q) const;
    /// Whether the process that wrote a Pending entry still runs (so the entry is in flight).
    bool holderRunning(const JournalEntry &e, const QString &entrySession) const;
};

namespace statedetail {
QString iso(const QDateTime &at);
QDateTime fromIso(const QVariant &v);
QVariant nullable(const QString &s);
/// The request as stored: secrets and env values replaced, the rest through the redactor.
QString toJson(const QJsonObject &object);
QJsonObject fromJson(const QVariant &v);
/// Sessions of StateStore objects open in this process: a Pending entry written by this
/// process under a session that is closed was abandoned.
void registerSession(const QString &session);
void unregisterSession(const QString &session);
bool isSessionOpen(const QString &session);
} // namespace statedetail

} // namespace cpc
