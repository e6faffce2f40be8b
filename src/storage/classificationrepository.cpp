#include "classificationrepository.h"

#include "database.h"
#include "sqlrow.h"
#include "storageerror.h"
#include "timestamps.h"
#include "transaction.h"

#include <QSqlError>
#include <QSqlQuery>

ClassificationRepository::ClassificationRepository(const Database &database)
    : m_database(database)
    , m_db(database.connection())
{}

qint64 ClassificationRepository::add(const Classification &classification)
{
    Transaction transaction(m_database);
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    query.prepare(QStringLiteral(
        "INSERT INTO classifications (ticket_id, category, confidence, summary, model, "
        "processing_ms, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)"));
    query.addBindValue(classification.ticketId);
    query.addBindValue(QString(categoryName(classification.category)));
    query.addBindValue(classification.confidence);
    query.addBindValue(SqlRow::text(classification.summary));
    query.addBindValue(SqlRow::text(classification.model));
    query.addBindValue(classification.processingMs);
    query.addBindValue(classification.createdAt.isValid()
                           ? Timestamps::toMs(classification.createdAt)
                           : QDateTime::currentMSecsSinceEpoch());
    if (!query.exec())
        throw StorageError(
            QStringLiteral("Could not store the classification: %1").arg(query.lastError().text()));
    const qint64 id = query.lastInsertId().toLongLong();
    query.finish();
    transaction.commit();
    return id;
}

QList<Classification> ClassificationRepository::history(qint64 ticketId)
{
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    query.prepare(
        QStringLiteral("SELECT id, category, confidence, summary, model, processing_ms, created_at "
                       "FROM classifications WHERE ticket_id = ? ORDER BY id"));
    query.addBindValue(ticketId);
    if (!query.exec())
        throw StorageError(
            QStringLiteral("Could not read classifications: %1").arg(query.lastError().text()));
    QList<Classification> result;
    while (query.next())
        result.append(SqlRow::classification(QueryColumns(query), 0, ticketId));
    return result;
}
