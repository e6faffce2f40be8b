#include "databaseconfig.h"

#include <QDir>
#include <QStandardPaths>

DatabaseConfig DatabaseConfig::sqlite(const QString &filePath)
{
    DatabaseConfig config;
    config.databaseName = filePath;
    return config;
}

QString DatabaseConfig::defaultSqlitePath()
{
    const QString folder = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    QDir().mkpath(folder);
    return QDir(folder).filePath(QStringLiteral("support-console.db"));
}
