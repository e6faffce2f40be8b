#pragma once

#include "classification.h"

#include <QList>
#include <QSqlDatabase>

// Keeps every classification of a ticket; the newest one sets the ticket's current category.
class Database;

class ClassificationRepository final
{
public:
    explicit ClassificationRepository(const Database &database);

    // Returns the new classification's id. Throws StorageError (also for an unknown ticket).
    qint64 add(const Classification &classification);
    // Oldest first.
    QList<Classification> history(qint64 ticketId);

private:
    const Database &m_database;
    QSqlDatabase m_db;
};
