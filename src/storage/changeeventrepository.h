#pragma once

#include "changeevent.h"
#include "statementcache.h"

#include <QList>
#include <QSqlDatabase>

class Database;

// The log of committed changes that GET /events tells, which the schema's triggers write with
// every change. Read in commit order (SqlDialect::eventPositionColumn()). Throws StorageError.
class ChangeEventRepository final
{
public:
    explicit ChangeEventRepository(const Database &database);
    Q_DISABLE_COPY_MOVE(ChangeEventRepository)

    // Up to limit events after the position, oldest first.
    QList<ChangeEvent> after(qint64 position, int limit);
    // The newest event's position; 0 when there is none.
    qint64 latestPosition();
    // The newest position removed for its age: a client that last saw an earlier one has
    // missed events.
    qint64 trimmedThrough();
    // Removes the events created before the cutoff and queued by every live webhook,
    // kTrimBatch positions per transaction, and remembers the newest position removed. Returns
    // how many went.
    static constexpr qint64 kTrimBatch = 10'000;
    qint64 trimBefore(const QDateTime &cutoff);

private:
    const Database &m_database;
    QSqlDatabase m_db;
    StatementCache m_statements;
    QString m_position;
};
