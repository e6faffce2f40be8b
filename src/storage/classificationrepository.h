#pragma once

#include "classification.h"

#include <QList>
#include <QSqlDatabase>

// Keeps every classification of a ticket; the newest one sets the ticket's current category.
class ClassificationRepository final
{
public:
    explicit ClassificationRepository(QSqlDatabase db);

    // Returns the new classification's id. Throws StorageError (also for an unknown ticket).
    qint64 add(const Classification &classification);
    // Oldest first.
    QList<Classification> history(qint64 ticketId);

private:
    QSqlDatabase m_db;
};
