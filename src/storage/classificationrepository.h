#pragma once

#include "classification.h"

#include <QList>
#include <QSqlDatabase>

class Database;

// Keeps every classification of a ticket; the newest one sets the ticket's current category
// (an agent's stays current over later machine results).
class ClassificationRepository final
{
public:
    explicit ClassificationRepository(const Database &database);

    // Returns the new classification's id. Throws StorageError (also for an unknown ticket).
    qint64 add(const Classification &classification);
    // Stores an agent's verdict on each ticket, one transaction for all: it becomes the
    // category and training data, and later machine results no longer change it. Priority and
    // summary stay the machine's. Throws StorageError (unknown tickets are skipped).
    void addAgentVerdict(const QList<qint64> &ticketIds, Category category, const QString &agent);
    // Oldest first.
    QList<Classification> history(qint64 ticketId);

    // An INSERT of rows classifications, and the binding of one of them (row 0 first).
    static QString insertSql(int rows = 1);
    static void bind(QSqlQuery &query, const Classification &classification, int row = 0);
    // Binds the classifications as an array per column, made by array(), for the dialect's
    // BatchSql::insertClassifications.
    static void bindArrays(QSqlQuery &query, const QList<const Classification *> &classifications,
                           QString (*array)(const QStringList &values));

private:
    const Database &m_database;
    QSqlDatabase m_db;
};
