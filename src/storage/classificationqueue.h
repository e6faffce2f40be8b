#pragma once

#include "classification.h"
#include "statementcache.h"

#include <QDateTime>
#include <QList>
#include <QSet>

class Database;

// The persistent queue of tickets waiting for a classification (table classification_jobs,
// filled by a trigger whenever a ticket is stored). Use it on the thread that built it.
class ClassificationQueue final
{
public:
    explicit ClassificationQueue(const Database &database);
    Q_DISABLE_COPY_MOVE(ClassificationQueue)

    struct Entry
    {
        qint64 ticketId = 0;
        // The text classifiers read (subject and body as the customer wrote them).
        QString text;
        int failedAttempts = 0;
    };
    // Up to limit jobs due at now, newest ticket first so that a live ticket is not stuck behind
    // an imported backlog; jobs in busy (being classified right now) are left out.
    QList<Entry> due(int limit, const QSet<qint64> &busy, const QDateTime &now);

    // Stores the results and removes their jobs in one transaction. A result whose job is gone
    // (another console sharing the database stored one first) is dropped, so a ticket is never
    // classified twice. Returns the ticket ids whose results were stored.
    QList<qint64> complete(const QList<Classification> &results);

    struct Failure
    {
        qint64 ticketId = 0;
        QString reason;
        // Null when no more attempts will be made.
        QDateTime retryAt;
    };
    void fail(const QList<Failure> &failures);
    // Gives jobs whose retries are used up one more attempt: a restart often follows a fixed
    // configuration (a key, a URL, a trained model). Returns how many.
    qint64 retryExhausted(const QDateTime &now);

    struct Counts
    {
        qint64 pending = 0;
        qint64 failed = 0;
    };
    Counts counts();

private:
    static void readEntries(QSqlQuery &query, int limit, const QSet<qint64> &busy,
                            QList<Entry> *entries);

    const Database &m_database;
    StatementCache m_statements;
};
