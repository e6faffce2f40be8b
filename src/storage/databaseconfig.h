#pragma once

#include <QString>

// Where the tickets live. SQLite needs only a file path; server databases need the rest.
struct DatabaseConfig
{
    QString driver = QStringLiteral("QSQLITE");
    QString databaseName;
    QString host;
    int port = -1;
    QString userName;
    QString password;
    // Further libpq options for QSqlDatabase::setConnectOptions(): key='value' pairs joined by
    // ';', values quoted as libpq wants (sslmode, connect_timeout...). The dialect adds its
    // defaults for the keys left out (SqlDialect::connectOptions()).
    QString connectOptions;
    // SQLite reads through a memory map of up to this many bytes: a copy and a system call less
    // per page for a server, but every page read stays in the process's resident memory, so the
    // desktop window turns it off.
    qint64 memoryMapBytes = qint64(1) << 30;

    static DatabaseConfig sqlite(const QString &filePath);
    // The per-user data folder, created if needed.
    static QString defaultSqlitePath();
};
