#pragma once

#include "databaseconfig.h"

#include <QString>

#include <variant>

// Reads where the tickets live: a SQLite file path, or a PostgreSQL connection string as libpq
// itself reads it (postgresql:// URI or keyword=value pairs).
class DatabaseLocation final
{
public:
    DatabaseLocation() = delete;

    // Whether text is meant for PostgreSQL: it starts with postgresql:// or postgres://, or
    // with a keyword=value pair. Anything else is a SQLite file path.
    static bool isConnectionString(const QString &text);
    // The configuration text selects, or an error message for the user.
    static std::variant<DatabaseConfig, QString> parse(const QString &text);
    // Whether text carries a password, which on a command line any local user can read.
    static bool containsPassword(const QString &text);
    // For logs and messages: the SQLite path, or a postgresql:// URI with passwords as ***.
    static QString redacted(const DatabaseConfig &config);
};
