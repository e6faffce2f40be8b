#pragma once

#include "classification.h"
#include "statementcache.h"

#include <QDateTime>
#include <QList>
#include <QSet>
#include <QVariantList>

#include <chrono>

class Database;

// The persistent queue of tickets waiting for a classification (table classification_jobs,
// filled by a trigger whenever a ticket is stored), shared by every node on the database: a node
// leases the jobs it takes, so each ticket is classified by one node. Use it on the thread that
// built it.
class ClassificationQueue final
{
public:
    static constexpr std::chrono::milliseconds kDefaultLeaseDuration{60'000};

    // leaseOwner names this node in the jobs it leases: it must differ from every other node's
    // and stay the same while the node holds jobs (newLeaseOwner()).
    explicit ClassificationQueue(const Database &database, QString leaseOwner = newLeaseOwner(),
                                 std::chrono::milliseconds leaseDuration = kDefaultLeaseDuration);
    Q_DISABLE_COPY_MOVE(ClassificationQueue)

    // Host name, process id and a random part: unique among the nodes sharing a database, and
    // readable in the table for whoever looks for the node holding a job.
    static QString newLeaseOwner();
    const QString &leaseOwner() const { return m_leaseOwner; }
    std::chrono::milliseconds leaseDuration() const { return m_leaseDuration; }

    struct Entry
    {
        qint64 ticketId = 0;
        // The text classifiers read (subject and body as the customer wrote them).
        QString text;
        int failedAttempts = 0;
    };
    // Leases up to limit jobs due at now to this owner until now + the lease duration, and
    // returns them: new jobs newest ticket first, so that a live ticket is not stuck behind an
    // imported backlog, then due retries, the longest due first. Jobs under a lease that has not
    // expired at now are left out, this owner's included; an expired lease is taken over.
    QList<Entry> claim(int limit, const QDateTime &now);
    // Extends this owner's leases on these jobs to now + the lease duration. Returns the ids
    // whose lease it no longer holds: expired and taken over by another node, or the job is gone.
    QList<qint64> renew(const QList<qint64> &ticketIds, const QDateTime &now);
    // Gives up this owner's leases on jobs it will not finish, so that another node (or this
    // one, restarted) takes them at once instead of after the lease expires.
    void release(const QList<qint64> &ticketIds);

    // Stores the results and removes their jobs in one transaction, for the jobs this owner
    // holds. Any other result is dropped: its lease expired and another node took the job over
    // (or stored a result already), so storing it too would classify the ticket twice.
    // Returns the ticket ids whose results were stored.
    QList<qint64> complete(const QList<Classification> &results);

    struct Failure
    {
        qint64 ticketId = 0;
        QString reason;
        // Null when no more attempts will be made.
        QDateTime retryAt;
    };
    // Records the failures of the jobs this owner holds and releases them; like complete(), it
    // drops the rest. Returns the ticket ids whose failures were recorded.
    QList<qint64> fail(const QList<Failure> &failures);
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
    // complete()'s one transaction.
    QList<qint64> store(const QList<Classification> &results);
    // Runs statement, which ends in "ticket_id IN " and takes the leading values and then this
    // node as the lease owner, over ticketIds; answers the ids it touched, those this node holds.
    QSet<qint64> heldJobs(const QString &statement, const QVariantList &leading,
                          const QList<qint64> &ticketIds, const char *what);
    QString claimSql(const QString &dueCondition, const QString &order) const;
    static void readClaimed(QSqlQuery &query, QList<Entry> *entries);

    const Database &m_database;
    StatementCache m_statements;
    const QString m_leaseOwner;
    const std::chrono::milliseconds m_leaseDuration;
};
