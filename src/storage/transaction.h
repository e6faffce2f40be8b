#pragma once

#include <QMutexLocker>
#include <QSqlDatabase>

class Database;

// A write transaction on the calling thread's connection. Rolls back unless commit() is reached,
// so an early return or exception never leaves half a write.
class Transaction final
{
public:
    explicit Transaction(const Database &database);
    ~Transaction();
    Q_DISABLE_COPY_MOVE(Transaction)

    void commit();

private:
    QMutexLocker<QRecursiveMutex> m_writeLock;
    QSqlDatabase m_db;
    bool m_open = false;
};
