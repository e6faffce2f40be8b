#pragma once

#include "actor.h"
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
    // Stores a person's or an integration's verdict on each ticket, one transaction for all,
    // with an entry in its history: it becomes the category, and later machine results no
    // longer change it. A person's verdict is training data; an integration's is counted apart.
    // Priority and summary stay the machine's. Throws StorageError (unknown tickets are
    // skipped).
    void addVerdict(const QList<qint64> &ticketIds, Category category, const Actor &actor);
    // The statement behind addVerdict() for one ticket, for a caller with its own transaction.
    static QString verdictSql();
    static void bindVerdict(QSqlQuery &query, qint64 ticketId, Category category,
                            const Actor &actor, qint64 atMs);
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
