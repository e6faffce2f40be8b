#include "migrator.h"

#include "database.h"
#include "sqlscript.h"
#include "storageerror.h"
#include "storagelogging.h"
#include "transaction.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QSqlError>
#include <QSqlQuery>

Migrator::Migrator(const Database &database, const QString &resourceRoot)
    : m_database(database)
    , m_db(database.connection())
{
    const QString dialect = database.dialect().migrationsFolder();
    static const QRegularExpression fileName(QStringLiteral("^(\\d{4})_(\\w+)\\.sql$"));
    const QDir folder(resourceRoot + u'/' + dialect);
    for (const QString &entry : folder.entryList({QStringLiteral("*.sql")}, QDir::Files)) {
        const QRegularExpressionMatch match = fileName.match(entry);
        if (match.hasMatch())
            m_migrations[match.captured(1).toInt()] = {match.captured(2), folder.filePath(entry)};
    }
    if (m_migrations.empty())
        throw StorageError(QStringLiteral("No schema migrations for the %1 dialect").arg(dialect));
}

int Migrator::latestKnownVersion() const
{
    return m_migrations.rbegin()->first;
}

bool Migrator::hasVersionTable() const
{
    // Looked up rather than left to IF NOT EXISTS, which has PostgreSQL print a notice on every
    // start of every node.
    return m_db.tables().contains(QStringLiteral("schema_migrations"));
}

void Migrator::ensureVersionTable()
{
    if (hasVersionTable())
        return;
    QSqlQuery query(m_db);
    if (!query.exec(QStringLiteral("CREATE TABLE IF NOT EXISTS schema_migrations ("
                                   "version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
                                   "applied_at BIGINT NOT NULL)")))
        throw StorageError(
            QStringLiteral("Could not create schema_migrations: %1").arg(query.lastError().text()));
}

int Migrator::currentVersion()
{
    // A new database, which the first migration will set up under the lock.
    if (!hasVersionTable())
        return 0;
    QSqlQuery query(m_db);
    if (!query.exec(QStringLiteral("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")) ||
        !query.next())
        throw StorageError(
            QStringLiteral("Could not read the schema version: %1").arg(query.lastError().text()));
    return query.value(0).toInt();
}

std::set<int> Migrator::appliedVersions()
{
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    if (!query.exec(QStringLiteral("SELECT version FROM schema_migrations")))
        throw StorageError(QStringLiteral("Could not read the applied schema versions: %1")
                               .arg(query.lastError().text()));
    std::set<int> versions;
    while (query.next())
        versions.insert(query.value(0).toInt());
    return versions;
}

void Migrator::migrate()
{
    const SqlDialect &dialect = m_database.dialect();
    dialect.lockForMigration(m_db);
    const auto unlock = qScopeGuard([&] {
        try {
            dialect.unlockAfterMigration(m_db);
        } catch (const StorageError &error) {
            // The lock goes with the connection at the latest.
            qCWarning(lcStorage).noquote() << error.message();
        }
    });
    // Under the lock: two PostgreSQL sessions running CREATE TABLE IF NOT EXISTS at once can
    // both find no table, and then one fails on the system catalog's unique index.
    ensureVersionTable();
    // Read after taking the lock: another node may have migrated while this one waited.
    const std::set<int> applied = appliedVersions();
    const int current = applied.empty() ? 0 : *applied.rbegin();
    if (current > latestKnownVersion()) {
        throw StorageError(
            QStringLiteral("The database schema is version %1, newer than this program knows (%2). "
                           "Use a newer Support Console with this database.")
                .arg(current)
                .arg(latestKnownVersion()));
    }
    // Migrations run in order, so a known one missing below the newest applied one means the
    // database was changed by hand or by a broken program; applying only the later ones
    // would build on a schema that is not there. The files are the reference, not 1..N, so
    // that a number both dialects skip is no gap.
    for (const auto &[version, migration] : m_migrations) {
        if (version < current && !applied.contains(version)) {
            throw StorageError(
                QStringLiteral("The database schema lacks migration %1 (%2), though later ones "
                               "up to version %3 are applied. Restore the database from a "
                               "backup or apply migration %1 by hand.")
                    .arg(version)
                    .arg(migration.name)
                    .arg(current));
        }
    }
    for (const auto &[version, migration] : m_migrations) {
        if (version > current)
            apply(version, migration);
    }
}

void Migrator::apply(int version, const Migration &migration)
{
    QFile file(migration.path);
    if (!file.open(QIODevice::ReadOnly))
        throw StorageError(QStringLiteral("Could not read migration %1").arg(migration.path));
    const QStringList statements = SqlScript::split(QString::fromUtf8(file.readAll()));

    // Before the transaction: on a failure it is rolled back before the query is freed.
    QSqlQuery query(m_db);
    Transaction transaction(m_database);
    // Where no lock spans the whole migration (SQLite), another process may have applied
    // this one after the versions were read; inside the write transaction that is certain.
    query.prepare(QStringLiteral("SELECT 1 FROM schema_migrations WHERE version = ?"));
    query.addBindValue(version);
    if (!query.exec())
        throw StorageError(QStringLiteral("Could not read the applied schema versions: %1")
                               .arg(query.lastError().text()));
    const bool appliedMeanwhile = query.next();
    query.finish();
    if (appliedMeanwhile)
        return;
    for (const QString &statement : statements) {
        if (!query.exec(statement)) {
            throw StorageError(QStringLiteral("Migration %1 (%2) failed: %3")
                                   .arg(version)
                                   .arg(migration.name, query.lastError().text()));
        }
    }
    query.prepare(QStringLiteral(
        "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)"));
    query.addBindValue(version);
    query.addBindValue(migration.name);
    query.addBindValue(QDateTime::currentMSecsSinceEpoch());
    if (!query.exec())
        throw StorageError(QStringLiteral("Could not record migration %1: %2")
                               .arg(version)
                               .arg(query.lastError().text()));
    transaction.commit();
    qCInfo(lcStorage) << "Applied schema migration" << version << migration.name;
}
