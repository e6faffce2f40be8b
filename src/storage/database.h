#pragma once

#include "databaseconfig.h"

#include <QRecursiveMutex>
#include <QSqlDatabase>

// The ticket database shared by every thread of the program. QtSql connections may only be used
// by the thread that opened them, so each thread gets its own, opened on first use.
class Database final
{
public:
    explicit Database(DatabaseConfig config);
    Q_DISABLE_COPY_MOVE(Database)

    // Opens the calling thread's connection and brings the schema up to date.
    // Throws StorageError with a message fit for the user.
    void migrate() const;

    // The calling thread's connection, opened if needed. Throws StorageError if it cannot open.
    QSqlDatabase connection() const;
    // Call before a thread that used connection() ends.
    void closeThreadConnection() const;

    // The applied schema version; doubles as a liveness check. Throws StorageError.
    int schemaVersion() const;

    const DatabaseConfig &config() const { return m_config; }

    // SQLite allows one writer at a time. Writers of this process queue here instead of in
    // SQLite's busy handler, which sleeps for milliseconds; other processes still use that.
    // Recursive, so a nested write transaction fails in SQLite with an error, not a deadlock.
    QRecursiveMutex *writeMutex() const { return m_config.isSqlite() ? &m_writeMutex : nullptr; }

private:
    QString threadConnectionName() const;
    void configure(QSqlDatabase &db) const;

    DatabaseConfig m_config;
    QString m_connectionPrefix;
    mutable QRecursiveMutex m_writeMutex;
};
