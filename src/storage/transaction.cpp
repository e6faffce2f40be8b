#include "transaction.h"

#include "database.h"
#include "storageerror.h"
#include "storagelogging.h"

#include <QSqlError>
#include <QSqlQuery>

Transaction::Transaction(const Database &database)
    : m_writeLock(database.writeMutex())
    , m_db(database.connection())
{
    bool started = false;
    QString reason;
    if (database.config().isSqlite()) {
        // A deferred BEGIN that reads before it writes fails at once with SQLITE_BUSY when another
        // process wrote meanwhile; IMMEDIATE takes the write lock up front, waiting under the
        // busy timeout. QtSql's commit() and rollback() end it as usual.
        QSqlQuery begin(m_db);
        started = begin.exec(QStringLiteral("BEGIN IMMEDIATE"));
        reason = begin.lastError().text();
    } else {
        started = m_db.transaction();
        reason = m_db.lastError().text();
    }
    if (!started)
        throw StorageError(QStringLiteral("Could not start a transaction: %1").arg(reason));
    m_open = true;
}

Transaction::~Transaction()
{
    if (m_open && !m_db.rollback())
        qCWarning(lcStorage) << "Rollback failed:" << m_db.lastError().text();
}

void Transaction::commit()
{
    if (!m_db.commit())
        throw StorageError(QStringLiteral("Could not commit: %1").arg(m_db.lastError().text()));
    m_open = false;
}
