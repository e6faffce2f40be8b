#pragma once

#include <QSqlDatabase>
#include <QString>

class Database;

#include <map>
#include <set>

// Brings a database schema up to date from the numbered .sql files compiled into the program
// (":/sql/<dialect>/NNNN_name.sql"), one transaction per file, recorded in schema_migrations.
class Migrator final
{
public:
    explicit Migrator(const Database &database,
                      const QString &resourceRoot = QStringLiteral(":/sql"));

    // Throws StorageError; a database newer than the program is an error, never a downgrade,
    // and so is one that lacks a migration below its newest applied one. Safe to run from
    // many processes at once on one database.
    void migrate();

    int latestKnownVersion() const;
    int currentVersion();

private:
    struct Migration
    {
        QString name;
        QString path;
    };

    bool hasVersionTable() const;
    void ensureVersionTable();
    std::set<int> appliedVersions();
    void apply(int version, const Migration &migration);

    const Database &m_database;
    QSqlDatabase m_db;
    std::map<int, Migration> m_migrations;
};
