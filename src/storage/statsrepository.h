#pragma once

#include "sqldialect.h"
#include "statementcache.h"
#include "ticketstats.h"

#include <QDateTime>
#include <QSqlDatabase>

#include <optional>

class Database;

// Reads the statistics a manager asks for through one thread's connection, from the counts the
// schema's triggers keep and from indexed ranges, so no answer scans the tickets table.
// Throws StorageError.
class StatsRepository final
{
public:
    explicit StatsRepository(const Database &database);
    Q_DISABLE_COPY_MOVE(StatsRepository)

    // Reading the backlog's ages costs a millisecond or two at a million tickets, the rest a
    // few hundred microseconds: while nothing is written, stats of the same window read this
    // recently are given again, with the time their ages were taken.
    static constexpr qint64 kReuseMs = 1000;

    // The window ends on now's UTC day. The backlog's ages are taken at now, or at most
    // kReuseMs earlier when nothing has been written since (backlog.asOf says when).
    TicketStats stats(const QDateTime &now, int days);

private:
    void addDailyCounts(TicketStats &stats, qint64 firstDay, qint64 lastDay);
    void addCorrections(TicketStats &stats, qint64 fromMs, qint64 untilMs);
    void addConfidence(TicketStats &stats, qint64 firstDay, qint64 lastDay);
    void addBacklog(TicketStats &stats, qint64 nowMs);
    void addSatisfaction(TicketStats &stats, qint64 fromMs, qint64 untilMs);
    void addResponseTimes(TicketStats &stats, qint64 firstDay, qint64 lastDay);
    void addDraftUse(TicketStats &stats, qint64 fromMs, qint64 untilMs);
    void addAutoResolve(TicketStats &stats, qint64 fromMs, qint64 untilMs);
    qint64 openCreatedBetween(qint64 fromMs, qint64 untilMs);

    const Database &m_database;
    const SqlDialect &m_dialect;
    QSqlDatabase m_db;
    StatementCache m_statements;
    struct LastStats
    {
        QString commitToken;
        TicketStats stats;
    };
    std::optional<LastStats> m_last;
};
