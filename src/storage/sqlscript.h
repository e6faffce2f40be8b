#pragma once

#include <QStringList>

// Splits a migration file into statements, since QtSql executes one statement per call.
// Understands quotes, comments, PostgreSQL dollar quoting and SQLite trigger bodies.
class SqlScript final
{
public:
    static QStringList split(const QString &script);
};
