#pragma once

#include "statementcache.h"
#include "ticketstats.h"

#include <QDateTime>
#include <QSqlDatabase>

class Database;

// Reads the statistics a manager asks for through one thread's connection, from the counts the
// schema's triggers keep and from indexed ranges, so no answer scans the tickets table.
// Throws StorageError.
class StatsRepository final
{
public:
    explicit StatsRepository(const Database &database);
    Q_DISABLE_COPY_MOVE(StatsRepository)

    // The window ends on now's UTC day; the backlog's ages are taken at now.
    TicketStats stats(const QDateTime &now, int days);

private:
    void addDailyCounts(TicketStats &stats, qint64 firstDay, qint64 lastDay);
    void addCorrections(TicketStats &stats, qint64 fromMs, qint64 untilMs);
    void addConfidence(TicketStats &stats, qint64 firstDay, qint64 lastDay);
    void addBacklog(TicketStats &stats, qint64 nowMs);
    qint64 openCreatedBetween(qint64 fromMs, qint64 untilMs);

    QSqlDatabase m_db;
    StatementCache m_statements;
};
