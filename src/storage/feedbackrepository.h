#pragma once

#include "feedback.h"
#include "statementcache.h"

#include <QList>
#include <QSqlDatabase>

#include <optional>

class Database;

// Customers' ratings of their tickets: the current one of each ticket and every one given.
// Throws StorageError.
class FeedbackRepository final
{
public:
    explicit FeedbackRepository(const Database &database);
    Q_DISABLE_COPY_MOVE(FeedbackRepository)

    // Makes the rating the ticket's current one and adds it to its history, in one transaction.
    // Null for an unknown ticket; otherwise whether it replaced an earlier rating. The feedback
    // must be valid, with its time set.
    std::optional<bool> record(const Feedback &feedback);
    std::optional<Feedback> current(qint64 ticketId);
    // Oldest first, the current one last.
    QList<Feedback> history(qint64 ticketId);

private:
    const Database &m_database;
    QSqlDatabase m_db;
    StatementCache m_statements;
};
