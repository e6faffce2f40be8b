#include "transaction.h"

#include "database.h"
#include "sqldialect.h"
#include "storageerror.h"
#include "storagelogging.h"

#include <QRandomGenerator>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>

#include <chrono>
#include <thread>

namespace {

// The connections of this thread inside a Transaction. A nested BEGIN is an error on SQLite,
// but PostgreSQL only warns and goes on, and the inner commit() would then commit the outer
// write half done; so both refuse a nested write here, before the database is asked.
thread_local QSet<QString> t_writingConnections;

} // namespace

Transaction::Transaction(const Database &database)
    : m_writeLock(database.writeMutex())
    , m_db(database.connection())
{
    if (t_writingConnections.contains(m_db.connectionName()))
        throw StorageError(QStringLiteral(
            "Could not start a transaction: this thread's write transaction is still open"));
    database.dialect().beginWrite(m_db);
    t_writingConnections.insert(m_db.connectionName());
    m_open = true;
}

Transaction::~Transaction()
{
    if (!m_open)
        return;
    if (!m_db.rollback())
        qCWarning(lcStorage) << "Rollback failed:" << m_db.lastError().text();
    t_writingConnections.remove(m_db.connectionName());
}

void Transaction::commit()
{
    if (!m_db.commit())
        throw StorageError(QStringLiteral("Could not commit: %1").arg(m_db.lastError().text()),
                           m_db.lastError());
    t_writingConnections.remove(m_db.connectionName());
    m_open = false;
}

bool Transaction::mayRetry(const Database &database, const StorageError &error, int attempt)
{
    // Writers on other nodes touch the same counter rows and key locks; the one PostgreSQL
    // picks to break a deadlock loses only its own transaction, which then runs again whole.
    constexpr int kMaxAttempts = 5;
    if (attempt == kMaxAttempts || !database.dialect().isRetryable(error.cause()))
        return false;
    // Equal jitter over 5, 10, 20, 40 ms: long enough for the winner to commit, and two losers
    // seldom come back at the same moment.
    const int backoffMs = 5 << (attempt - 1);
    const int waitMs = backoffMs / 2 + int(QRandomGenerator::global()->bounded(backoffMs / 2 + 1));
    qCInfo(lcStorage) << "Writing again after" << waitMs << "ms:" << error.message();
    std::this_thread::sleep_for(std::chrono::milliseconds(waitMs));
    return true;
}
