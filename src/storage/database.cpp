#include "database.h"

#include "databaselocation.h"
#include "migrator.h"
#include "postgresdialect.h"
#include "sqlitedialect.h"
#include "storageerror.h"
#include "storagelogging.h"

#include <QAtomicInteger>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>

static QAtomicInteger<quint32> s_instanceCounter;

namespace {

std::unique_ptr<const SqlDialect> dialectFor(const QString &driver)
{
    if (driver == QLatin1String("QSQLITE"))
        return std::make_unique<SqliteDialect>();
    if (driver == QLatin1String("QPSQL"))
        return std::make_unique<PostgresDialect>();
    throw StorageError(QStringLiteral("The database driver %1 is not supported").arg(driver));
}

} // namespace

Database::Database(DatabaseConfig config)
    : m_config(std::move(config))
    , m_dialect(dialectFor(m_config.driver))
    , m_connectionPrefix(
          QStringLiteral("supportconsole-%1").arg(s_instanceCounter.fetchAndAddRelaxed(1)))
{}

QString Database::threadConnectionName() const
{
    return m_connectionPrefix + u'-' +
           QString::number(reinterpret_cast<quintptr>(QThread::currentThread()), 16);
}

QSqlDatabase Database::connection() const
{
    const QString name = threadConnectionName();
    QSqlDatabase db = QSqlDatabase::database(name, false);
    if (db.isValid() && db.isOpen())
        return db;
    if (!db.isValid())
        db = QSqlDatabase::addDatabase(m_config.driver, name);
    if (!db.isValid())
        throw StorageError(
            QStringLiteral("The database driver %1 is not installed").arg(m_config.driver));
    db.setDatabaseName(m_config.databaseName);
    if (!m_config.host.isEmpty())
        db.setHostName(m_config.host);
    if (m_config.port > 0)
        db.setPort(m_config.port);
    if (!m_config.userName.isEmpty())
        db.setUserName(m_config.userName);
    if (!m_config.password.isEmpty())
        db.setPassword(m_config.password);
    db.setConnectOptions(m_dialect->connectOptions(m_config));
    if (!db.open()) {
        const QString reason = db.lastError().text();
        db = QSqlDatabase();
        QSqlDatabase::removeDatabase(name);
        throw StorageError(QStringLiteral("Could not open the database %1: %2")
                               .arg(DatabaseLocation::redacted(m_config), reason));
    }
    m_dialect->configureSession(db, m_config);
    qCDebug(lcStorage) << "Opened connection" << name;
    return db;
}

bool Database::isThreadConnectionLost() const
{
    const QSqlDatabase db = QSqlDatabase::database(threadConnectionName(), false);
    return db.isValid() && m_dialect->isConnectionLost(db);
}

void Database::closeThreadConnection() const
{
    const QString name = threadConnectionName();
    {
        QSqlDatabase db = QSqlDatabase::database(name, false);
        if (!db.isValid())
            return;
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
}

void Database::migrate() const
{
    Migrator(*this).migrate();
}

int Database::schemaVersion() const
{
    return Migrator(*this).currentVersion();
}
