// The schema versions of the state stores: the local SQLite file (and the team outbox, which
// is one), and the team schema `cpconsole` on PostgreSQL.
#include "statestore_p.h"

#include "logging.h"

namespace cpc {

using namespace statedetail;

namespace {

// Each step takes the file from version N to N + 1, in order. Never edit a released step: add
// one. v1 was the first layout; v2 added the per-open session to the journal (an entry left
// Pending by another session is "outcome unknown") and the lookup indexes; v3 added settings;
// v4 added the audit host, and to the journal the operation kind, the holder of the entry (the
// per-workspace operation lock) and the instance IDs a compare-and-set found; v5 added what
// team state needs of a local file: entry UUIDs, the program, whether an entry was shared, and
// the ends of team entries that came while the team database was away.
const QStringList kMigrations[] = {
    {
        QStringLiteral("CREATE TABLE audit (id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT "
                       "NULL, user TEXT, profile TEXT, org_id TEXT, workspace_id TEXT, action "
                       "TEXT NOT NULL, request TEXT, result TEXT, detail TEXT)"),
        QStringLiteral("CREATE TABLE journal (id INTEGER PRIMARY KEY AUTOINCREMENT, started_at "
                       "TEXT NOT NULL, finished_at TEXT, workspace_id TEXT NOT NULL, "
                       "idempotency_key TEXT, request TEXT, outcome TEXT NOT NULL, "
                       "instance_id TEXT, detail TEXT)"),
        QStringLiteral("CREATE TABLE status_history (id INTEGER PRIMARY KEY AUTOINCREMENT, at "
                       "TEXT NOT NULL, workspace_id TEXT NOT NULL, state TEXT NOT NULL, "
                       "cp_state TEXT, detail TEXT)"),
    },
    {
        QStringLiteral("ALTER TABLE journal ADD COLUMN session TEXT"),
        QStringLiteral("CREATE INDEX audit_workspace ON audit (workspace_id, id)"),
        QStringLiteral("CREATE INDEX journal_outcome ON journal (outcome)"),
        QStringLiteral("CREATE INDEX status_workspace ON status_history (workspace_id, at)"),
    },
    {
        QStringLiteral("CREATE TABLE settings (key TEXT PRIMARY KEY NOT NULL, value TEXT)"),
    },
    {
        QStringLiteral("ALTER TABLE audit ADD COLUMN host TEXT"),
        QStringLiteral("ALTER TABLE journal ADD COLUMN kind TEXT"),
        QStringLiteral("ALTER TABLE journal ADD COLUMN holder_user TEXT"),
        QStringLiteral("ALTER TABLE journal ADD COLUMN holder_host TEXT"),
        QStringLiteral("ALTER TABLE journal ADD COLUMN holder_pid INTEGER"),
        QStringLiteral("ALTER TABLE journal ADD COLUMN holder_start TEXT"),
        QStringLiteral("ALTER TABLE journal ADD COLUMN holder_profile TEXT"),
        QStringLiteral("ALTER TABLE journal ADD COLUMN replaced_instance_id TEXT"),
        QStringLiteral("ALTER TABLE journal ADD COLUMN moved_on_to TEXT"),
        QStringLiteral("CREATE INDEX journal_workspace ON journal (workspace_id, outcome)"),
    },
    {
        QStringLiteral("ALTER TABLE audit ADD COLUMN uuid TEXT"),
        QStringLiteral("ALTER TABLE audit ADD COLUMN program TEXT"),
        QStringLiteral("ALTER TABLE audit ADD COLUMN shared INTEGER NOT NULL DEFAULT 1"),
        QStringLiteral("ALTER TABLE journal ADD COLUMN uuid TEXT"),
        QStringLiteral("ALTER TABLE journal ADD COLUMN holder_program TEXT"),
        QStringLiteral("ALTER TABLE journal ADD COLUMN shared INTEGER NOT NULL DEFAULT 1"),
        QStringLiteral("ALTER TABLE journal ADD COLUMN lease_expires TEXT"),
        QStringLiteral("CREATE UNIQUE INDEX audit_uuid ON audit (uuid)"),
        QStringLiteral("CREATE UNIQUE INDEX journal_uuid ON journal (uuid)"),
        QStringLiteral("CREATE TABLE journal_finish (uuid TEXT PRIMARY KEY NOT NULL, finished_at "
                       "TEXT, outcome TEXT NOT NULL, instance_id TEXT, detail TEXT, "
                       "replaced_instance_id TEXT, moved_on_to TEXT)"),
    },
};
constexpr int kLatestVersion = int(std::size(kMigrations));

// The team schema. Same rule: never edit a released step. The application's engineers are
// members of the role cpconsole_app, which may read everything, append to the audit log (never
// change or remove an entry: no UPDATE, no DELETE), and write the journal, the status history
// and their own settings. Who wrote an entry (db_user) and when the server took it (shared_at)
// are the server's: cpconsole_app may not insert those columns, so they cannot be forged.
const QList<QStringList> kTeamMigrations = {
    {
        // A concurrent migration in another database of the cluster may create it first.
        QStringLiteral("DO $$ BEGIN CREATE ROLE cpconsole_app NOLOGIN; EXCEPTION WHEN "
                       "duplicate_object OR unique_violation THEN NULL; END $$"),
        QStringLiteral("CREATE TABLE cpconsole.audit (id bigint GENERATED ALWAYS AS IDENTITY "
                       "PRIMARY KEY, uuid uuid NOT NULL UNIQUE, at timestamptz NOT NULL, "
                       "db_user text NOT NULL DEFAULT session_user, \"user\" text, host text, "
                       "program text, profile text, org_id text, workspace_id text, action text "
                       "NOT NULL, request text, result text, detail text, shared_at timestamptz "
                       "NOT NULL DEFAULT now())"),
        QStringLiteral("CREATE INDEX audit_workspace ON cpconsole.audit (workspace_id, id)"),
        QStringLiteral("CREATE TABLE cpconsole.journal (id bigint GENERATED ALWAYS AS IDENTITY "
                       "PRIMARY KEY, uuid uuid NOT NULL UNIQUE, started_at timestamptz NOT NULL, "
                       "finished_at timestamptz, workspace_id text NOT NULL, idempotency_key "
                       "text, request text, outcome text NOT NULL, instance_id text, detail "
                       "text, session text, kind text, db_user text NOT NULL DEFAULT "
                       "session_user, holder_user text, holder_host text, holder_pid bigint, "
                       "holder_start text, holder_profile text, holder_program text, "
                       "lease_expires timestamptz, replaced_instance_id text, moved_on_to text, "
                       "shared_at timestamptz NOT NULL DEFAULT now())"),
        QStringLiteral("CREATE INDEX journal_workspace ON cpconsole.journal (workspace_id, "
                       "outcome)"),
        QStringLiteral("CREATE INDEX journal_outcome ON cpconsole.journal (outcome)"),
        QStringLiteral("CREATE TABLE cpconsole.status_history (id bigint GENERATED ALWAYS AS "
                       "IDENTITY PRIMARY KEY, at timestamptz NOT NULL, workspace_id text NOT "
                       "NULL, state text NOT NULL, cp_state text, detail text, db_user text NOT "
                       "NULL DEFAULT session_user)"),
        QStringLiteral("CREATE INDEX status_workspace ON cpconsole.status_history (workspace_id, "
                       "at)"),
        QStringLiteral("CREATE TABLE cpconsole.settings (db_user text NOT NULL DEFAULT "
                       "session_user, key text NOT NULL, value text, PRIMARY KEY (db_user, key))"),
        // Every change of the audit log and the journal is announced to the listening consoles.
        QStringLiteral("CREATE FUNCTION cpconsole.announce() RETURNS trigger LANGUAGE plpgsql AS "
                       "$$ BEGIN PERFORM pg_notify('cpconsole_events', json_build_object('table', "
                       "TG_TABLE_NAME, 'id', NEW.id, 'workspace', NEW.workspace_id)::text); "
                       "RETURN NEW; END $$"),
        QStringLiteral("CREATE TRIGGER audit_announce AFTER INSERT ON cpconsole.audit FOR EACH "
                       "ROW EXECUTE FUNCTION cpconsole.announce()"),
        QStringLiteral("CREATE TRIGGER journal_announce AFTER INSERT OR UPDATE ON "
                       "cpconsole.journal FOR EACH ROW EXECUTE FUNCTION cpconsole.announce()"),
        QStringLiteral("GRANT USAGE ON SCHEMA cpconsole TO cpconsole_app"),
        QStringLiteral("GRANT SELECT ON cpconsole.schema_version TO cpconsole_app"),
        // The audit log is append-only for the application: INSERT and SELECT, nothing else.
        QStringLiteral("GRANT SELECT ON cpconsole.audit TO cpconsole_app"),
        QStringLiteral("GRANT INSERT (uuid, at, \"user\", host, program, profile, org_id, "
                       "workspace_id, action, request, result, detail) ON cpconsole.audit TO "
                       "cpconsole_app"),
        QStringLiteral("GRANT SELECT ON cpconsole.journal TO cpconsole_app"),
        QStringLiteral("GRANT INSERT (uuid, started_at, finished_at, workspace_id, "
                       "idempotency_key, request, outcome, instance_id, detail, session, kind, "
                       "holder_user, holder_host, holder_pid, holder_start, holder_profile, "
                       "holder_program, lease_expires, replaced_instance_id, moved_on_to) ON "
                       "cpconsole.journal TO cpconsole_app"),
        QStringLiteral("GRANT UPDATE (finished_at, outcome, instance_id, detail, session, "
                       "holder_user, holder_host, holder_pid, holder_start, holder_profile, "
                       "holder_program, lease_expires, replaced_instance_id, moved_on_to) ON "
                       "cpconsole.journal TO cpconsole_app"),
        QStringLiteral("GRANT SELECT ON cpconsole.status_history TO cpconsole_app"),
        QStringLiteral("GRANT INSERT (at, workspace_id, state, cp_state, detail) ON "
                       "cpconsole.status_history TO cpconsole_app"),
        QStringLiteral("GRANT SELECT, INSERT (key, value), UPDATE (value) ON cpconsole.settings "
                       "TO cpconsole_app"),
    },
};

} // namespace

namespace statedetail {

const QList<QStringList> &teamMigrations()
{
    return kTeamMigrations;
}

Result<int> teamVersion(QSqlDatabase db)
{
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("SELECT to_regclass('cpconsole.schema_version') IS NOT NULL"))
        || !q.next())
        return Error::make(Error::Kind::Database, q.lastError().databaseText());
    if (!q.value(0).toBool())
        return 0;
    if (!q.exec(QStringLiteral("SELECT coalesce(max(version), 0) FROM cpconsole.schema_version"))
        || !q.next())
        return Error::make(Error::Kind::Database, q.lastError().databaseText());
    return q.value(0).toInt();
}

} // namespace statedetail

VoidResult StateStore::Private::migrate()
{
    QSqlQuery q(db());
    if (!q.exec(QStringLiteral("PRAGMA user_version")) || !q.next())
        return error(QStringLiteral("cannot read the local state"), q.lastError());
    version = q.value(0).toInt();
    q.finish();
    if (version > kLatestVersion)
        return Error::make(Error::Kind::Database,
                           QStringLiteral("%1 was written by a newer CP Console (state schema "
                                          "version %2; this version knows up to %3): update CP "
                                          "Console, or set CPCONSOLE_STATE to another file")
                               .arg(path)
                               .arg(version)
                               .arg(kLatestVersion));
    while (version < kLatestVersion) {
        QSqlDatabase database = db();
        if (!database.transaction())
            return error(QStringLiteral("cannot migrate the local state"), database.lastError());
        for (const QString &statement : kMigrations[version]) {
            if (!q.exec(statement)) {
                const Error e = error(
                    QStringLiteral("cannot migrate the local state to version %1").arg(version + 1),
                    q.lastError());
                database.rollback();
                return e;
            }
        }
        // PRAGMA takes no bound value; the number is ours.
        if (!q.exec(QStringLiteral("PRAGMA user_version = %1").arg(version + 1))) {
            const Error e = error(QStringLiteral("cannot migrate the local state"), q.lastError());
            database.rollback();
            return e;
        }
        if (!database.commit())
            return error(QStringLiteral("cannot migrate the local state"), database.lastError());
        ++version;
        qCInfo(lcDb).noquote() << "local state" << path << "migrated to version" << version;
    }
    return Ok {};
}

int StateStore::latestTeamVersion()
{
    return int(kTeamMigrations.size());
}

Result<StateStore::Migration> StateStore::migrateTeam(const QString &url)
{
    const auto parsed = DbUrl::parse(url);
    if (!parsed)
        return parsed.error();
    const QString name = newConnectionName();
    const auto cleanup = [&] {
        {
            QSqlDatabase db = QSqlDatabase::database(name, false);
            if (db.isOpen())
                db.close();
        }
        QSqlDatabase::removeDatabase(name);
    };
    if (const VoidResult opened = openPostgres(name, *parsed, QStringLiteral("the team state"));
        !opened) {
        cleanup();
        return opened.error();
    }
    Migration m;
    const auto fail = [&](const QString &what, const QSqlError &e) {
        const QString text
            = parsed->scrub(e.databaseText().isEmpty() ? e.driverText() : e.databaseText());
        Error err = Error::make(Error::Kind::Database,
                                QStringLiteral("%1 (%2): %3").arg(what, parsed->display(), text));
        QSqlQuery(QSqlDatabase::database(name, false)).exec(QStringLiteral("ROLLBACK"));
        return err;
    };
    Result<Migration> result = [&]() -> Result<Migration> {
        QSqlDatabase db = QSqlDatabase::database(name, false);
        QSqlQuery q(db);
        const QString what = QStringLiteral("cannot migrate the team state");
        // One migration at a time; the lock goes with the transaction.
        if (!q.exec(QStringLiteral("BEGIN"))
            || !q.exec(QStringLiteral("SELECT pg_advisory_xact_lock(hashtext('cpconsole "
                                      "migrations'))"))
            || !q.exec(QStringLiteral("CREATE SCHEMA IF NOT EXISTS cpconsole"))
            || !q.exec(QStringLiteral("CREATE TABLE IF NOT EXISTS cpconsole.schema_version "
                                      "(version integer NOT NULL, migrated_at timestamptz NOT "
                                      "NULL DEFAULT now(), migrated_by text NOT NULL DEFAULT "
                                      "session_user)")))
            return fail(what, q.lastError());
        const auto found = teamVersion(db);
        if (!found)
            return fail(what, q.lastError());
        m.from = m.to = *found;
        if (m.from > latestTeamVersion()) {
            QSqlQuery(db).exec(QStringLiteral("ROLLBACK"));
            return Error::make(Error::Kind::Database,
                               QStringLiteral("the team state at %1 has schema version %2, newer "
                                              "than this CP Console knows (%3): nothing was "
                                              "changed; update CP Console")
                                   .arg(parsed->display())
                                   .arg(m.from)
                                   .arg(latestTeamVersion()));
        }
        for (; m.to < latestTeamVersion(); ++m.to) {
            for (const QString &statement : kTeamMigrations[m.to]) {
                if (!q.exec(statement))
                    return fail(QStringLiteral("%1 to version %2").arg(what).arg(m.to + 1),
                                q.lastError());
            }
            q.prepare(QStringLiteral("INSERT INTO cpconsole.schema_version (version) VALUES (?)"));
            q.addBindValue(m.to + 1);
            if (!q.exec())
                return fail(what, q.lastError());
        }
        if (!q.exec(QStringLiteral("COMMIT")))
            return fail(what, q.lastError());
        return m;
    }();
    cleanup();
    if (result && result->to != result->from)
        qCInfo(lcDb).noquote() << "team state" << parsed->display() << "migrated from version"
                               << result->from << "to" << result->to;
    return result;
}

} // namespace cpc
