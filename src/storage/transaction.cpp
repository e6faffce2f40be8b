#include "transaction.h"

#include "database.h"
#include "storageerror.h"
#include "storagelogging.h"

#include <QSqlError>

Transaction::Transaction(const Database &database)
    : m_writeLock(database.writeMutex())
    , m_db(database.connection())
{
    database.dialect().beginWrite(m_db);
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
