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

void Migrator::ensureVersionTable()
{
    QSqlQuery query(m_db);
    if (!query.exec(QStringLiteral("CREATE TABLE IF NOT EXISTS schema_migrations ("
                                   "version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
                                   "applied_at BIGINT NOT NULL)")))
        throw StorageError(
            QStringLiteral("Could not create schema_migrations: %1").arg(query.lastError().text()));
}

int Migrator::currentVersion()
{
    ensureVersionTable();
    QSqlQuery query(m_db);
    if (!query.exec(QStringLiteral("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")) ||
        !query.next())
        throw StorageError(
            QStringLiteral("Could not read the schema version: %1").arg(query.lastError().text()));
    return query.value(0).toInt();
}

void Migrator::migrate()
{
    const int current = currentVersion();
    if (current > latestKnownVersion()) {
        throw StorageError(
            QStringLiteral("The database schema is version %1, newer than this program knows (%2). "
                           "Use a newer Support Console with this database.")
                .arg(current)
                .arg(latestKnownVersion()));
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
