#include "modeltrainingrepository.h"

#include "database.h"
#include "statementcache.h"
#include "timestamps.h"

#include <QSqlQuery>

using namespace Qt::StringLiterals;

ModelTrainingRepository::ModelTrainingRepository(const Database &database)
    : m_db(database.connection())
{}

bool ModelTrainingRepository::claim(const QString &owner, const QDateTime &now,
                                    const QDateTime &until)
{
    // One statement: the row lock (PostgreSQL) or the write lock (SQLite) makes two nodes'
    // claims one after the other, and the second finds the lease taken.
    QSqlQuery query(m_db);
    query.prepare(
        u"UPDATE model_training SET lease_owner = ?, lease_until = ?"
        " WHERE id = 1 AND (lease_owner IS NULL OR lease_owner = ? OR lease_until < ?)"_s);
    query.addBindValue(owner);
    query.addBindValue(Timestamps::toMs(until));
    query.addBindValue(owner);
    query.addBindValue(Timestamps::toMs(now));
    StatementCache::exec(query, "take the training lease");
    return query.numRowsAffected() == 1;
}

void ModelTrainingRepository::release(const QString &owner, qint64 trainedThrough,
                                      const QDateTime &finishedAt)
{
    QSqlQuery query(m_db);
    query.prepare(u"UPDATE model_training SET lease_owner = NULL, lease_until = NULL,"
                  " trained_through = CASE WHEN ? > 0 THEN ? ELSE trained_through END,"
                  " finished_at = CASE WHEN ? > 0 THEN ? ELSE finished_at END"
                  " WHERE id = 1 AND lease_owner = ?"_s);
    query.addBindValue(trainedThrough);
    query.addBindValue(trainedThrough);
    query.addBindValue(trainedThrough);
    query.addBindValue(Timestamps::toMs(finishedAt));
    query.addBindValue(owner);
    StatementCache::exec(query, "give up the training lease");
}

ModelTrainingRepository::Verdicts ModelTrainingRepository::verdicts()
{
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    query.prepare(u"SELECT COUNT(c.id), COALESCE(MAX(c.id), 0) FROM classifications c"
                  " WHERE c.provider = 'agent'"
                  // As TrainingExampleReader: an integration's verdict teaches nothing.
                  " AND COALESCE(c.actor_kind, '') <> 'integration'"
                  " AND c.id > (SELECT trained_through FROM model_training WHERE id = 1)"_s);
    StatementCache::exec(query, "count the verdicts since the last training");
    Verdicts verdicts;
    if (query.next()) {
        verdicts.newSinceTraining = query.value(0).toLongLong();
        verdicts.newestId = query.value(1).toLongLong();
    }
    return verdicts;
}
