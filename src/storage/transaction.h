#pragma once

#include "storageerror.h"

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

    // Runs write, a whole transaction, again while it fails with an error the dialect calls
    // retryable (a lost deadlock, a serialisation failure), a few times with a short backoff.
    template<typename Write>
    static auto retryingConflicts(const Database &database, Write write) -> decltype(write())
    {
        for (int attempt = 1;; ++attempt) {
            try {
                return write();
            } catch (const StorageError &error) {
                if (!mayRetry(database, error, attempt))
                    throw;
            }
        }
    }

private:
    // Whether to run again after this failure; waits out the backoff when so.
    static bool mayRetry(const Database &database, const StorageError &error, int attempt);

    QMutexLocker<QRecursiveMutex> m_writeLock;
    QSqlDatabase m_db;
    bool m_open = false;
};
