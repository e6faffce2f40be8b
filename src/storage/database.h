#pragma once

#include "databaseconfig.h"
#include "sqldialect.h"

#include <QRecursiveMutex>
#include <QSqlDatabase>

#include <memory>

// The ticket database shared by every thread of the program. QtSql connections may only be used
// by the thread that opened them, so each thread gets its own, opened on first use.
class Database final
{
public:
    // Throws StorageError when storage has no dialect for the config's driver.
    explicit Database(DatabaseConfig config);
    Q_DISABLE_COPY_MOVE(Database)

    // Opens the calling thread's connection and brings the schema up to date.
    // Throws StorageError with a message fit for the user.
    void migrate() const;

    // The calling thread's connection, opened if needed. Throws StorageError if it cannot open.
    QSqlDatabase connection() const;
    // Call before a thread that used connection() ends.
    void closeThreadConnection() const;
    // Whether the calling thread's connection broke: after a StorageError, its owner then
    // drops its repositories and closes it, and the next connection() opens a new one.
    bool isThreadConnectionLost() const;

    // The applied schema version; doubles as a liveness check. Throws StorageError.
    int schemaVersion() const;

    const DatabaseConfig &config() const { return m_config; }
    // Chosen once from the config's driver.
    const SqlDialect &dialect() const { return *m_dialect; }

    // Where this process's writers queue, when the dialect wants them to
    // (SqlDialect::serialisesWriters()); null otherwise. Recursive, so a nested write
    // transaction fails in the database with an error, not a deadlock.
    QRecursiveMutex *writeMutex() const
    {
        return m_dialect->serialisesWriters() ? &m_writeMutex : nullptr;
    }

private:
    QString threadConnectionName() const;

    DatabaseConfig m_config;
    std::unique_ptr<const SqlDialect> m_dialect;
    QString m_connectionPrefix;
    mutable QRecursiveMutex m_writeMutex;
};
