#include "database.h"

#include "migrator.h"
#include "storageerror.h"
#include "storagelogging.h"

#include <QAtomicInteger>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>

static QAtomicInteger<quint32> s_instanceCounter;

Database::Database(DatabaseConfig config)
    : m_config(std::move(config))
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
    if (m_config.isSqlite())
        db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=10000"));
    if (!db.open()) {
        const QString reason = db.lastError().text();
        db = QSqlDatabase();
        QSqlDatabase::removeDatabase(name);
        throw StorageError(QStringLiteral("Could not open the database %1: %2")
                               .arg(m_config.databaseName, reason));
    }
    configure(db);
    qCDebug(lcStorage) << "Opened connection" << name;
    return db;
}

void Database::configure(QSqlDatabase &db) const
{
    if (!m_config.isSqlite())
        return;
    // WAL lets the API, the window and the classifier read while one of them writes.
    // synchronous=NORMAL keeps every committed ticket through a crash or kill of the program;
    // only a power cut can lose the last commits, a trade SQLite documents for WAL mode.
    const QStringList pragmas{
        QStringLiteral("PRAGMA journal_mode = WAL"),
        QStringLiteral("PRAGMA synchronous = NORMAL"),
        QStringLiteral("PRAGMA foreign_keys = ON"),
        QStringLiteral("PRAGMA temp_store = MEMORY"),
        QStringLiteral("PRAGMA cache_size = -32768"),
        QStringLiteral("PRAGMA mmap_size = %1").arg(std::max<qint64>(0, m_config.memoryMapBytes)),
    };
    QSqlQuery query(db);
    for (const QString &pragma : pragmas) {
        if (!query.exec(pragma))
            throw StorageError(QStringLiteral("Could not configure the database (%1): %2")
                                   .arg(pragma, query.lastError().text()));
    }
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
