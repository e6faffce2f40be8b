#pragma once

#include "database.h"

#include <QTemporaryDir>

#include <memory>

// A migrated database removed with the fixture: a SQLite file in a fresh temporary folder, or
// with SUPPORT_CONSOLE_TEST_BACKEND=postgresql a fresh database on the test PostgreSQL server.
class TemporaryDatabase final
{
public:
    enum class Backend { Sqlite, PostgreSql };
    // Empty: not even migrated, for tests of the migration itself.
    enum class Schema { Migrated, Empty };

    explicit TemporaryDatabase(Schema schema = Schema::Migrated);
    ~TemporaryDatabase();
    Q_DISABLE_COPY_MOVE(TemporaryDatabase)

    // What SUPPORT_CONSOLE_TEST_BACKEND asks for; SQLite when it is unset.
    static Backend backend();
    bool isPostgres() const { return !m_postgresName.isEmpty(); }

    Database &database() { return *m_database; }
    // What --database would take: the SQLite file, or a PostgreSQL connection URI.
    QString path() const;
    // A temporary folder for the test's other files, with either backend.
    QString folder() const { return m_dir.path(); }
    // For an Empty database: brings the schema to `version` as the program of that version
    // would, so a test can store what it stored and then migrate the rest.
    void migrateTo(int version);

private:
    void dropPostgresDatabase();

    QTemporaryDir m_dir;
    QString m_postgresName;
    std::unique_ptr<Database> m_database;
};
