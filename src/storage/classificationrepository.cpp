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

QString ClassificationRepository::insertSql(int rows)
{
    QString sql = QStringLiteral(
        "INSERT INTO classifications (ticket_id, category, confidence, priority, summary, "
        "provider, model, model_version, fallback, attempts, needs_review, processing_ms, "
        "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    sql += QStringLiteral(", (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)").repeated(rows - 1);
    return sql;
}

void ClassificationRepository::bind(QSqlQuery &query, const Classification &classification, int row)
{
    constexpr int kColumns = 13;
    const int first = row * kColumns;
    query.bindValue(first + 0, classification.ticketId);
    query.bindValue(first + 1, QString(categoryName(classification.category)));
    query.bindValue(first + 2, classification.confidence);
    query.bindValue(first + 3, QString(priorityName(classification.priority)));
    query.bindValue(first + 4, SqlRow::text(classification.summary));
    query.bindValue(first + 5, QString(classificationProviderName(classification.provider)));
    query.bindValue(first + 6, SqlRow::text(classification.model));
    query.bindValue(first + 7, SqlRow::text(classification.modelVersion));
    query.bindValue(first + 8, classification.fallback ? 1 : 0);
    query.bindValue(first + 9, classification.attempts);
    query.bindValue(first + 10, classification.needsReview ? 1 : 0);
    query.bindValue(first + 11, classification.processingMs);
    query.bindValue(first + 12, classification.createdAt.isValid()
                                    ? Timestamps::toMs(classification.createdAt)
                                    : QDateTime::currentMSecsSinceEpoch());
}

void ClassificationRepository::bindArrays(QSqlQuery &query,
                                          const QList<const Classification *> &classifications,
                                          QString (*array)(const QStringList &values))
{
    constexpr int kColumns = 13;
    std::array<QStringList, kColumns> columns;
    for (QStringList &column : columns)
        column.reserve(classifications.size());
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (const Classification *classification : classifications) {
        columns[0].append(QString::number(classification->ticketId));
        columns[1].append(QString(categoryName(classification->category)));
        // 17 significant digits read back as the same double.
        columns[2].append(QString::number(classification->confidence, 'g', 17));
        columns[3].append(QString(priorityName(classification->priority)));
        columns[4].append(classification->summary);
        columns[5].append(QString(classificationProviderName(classification->provider)));
        columns[6].append(classification->model);
        columns[7].append(classification->modelVersion);
        columns[8].append(classification->fallback ? QStringLiteral("1") : QStringLiteral("0"));
        columns[9].append(QString::number(classification->attempts));
        columns[10].append(classification->needsReview ? QStringLiteral("1") : QStringLiteral("0"));
        columns[11].append(QString::number(classification->processingMs));
        columns[12].append(QString::number(classification->createdAt.isValid()
                                               ? Timestamps::toMs(classification->createdAt)
                                               : now));
    }
    for (int column = 0; column < kColumns; ++column)
        query.bindValue(column, array(columns[std::size_t(column)]));
}

qint64 ClassificationRepository::add(const Classification &classification)
{
    // Prepared before the transaction begins, so that on a failure the transaction is rolled
    // back before the statement is freed: PostgreSQL refuses to free it in an aborted one.
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    query.prepare(insertSql());
    Transaction transaction(m_database);
    bind(query, classification);
    if (!query.exec())
        throw StorageError(
            QStringLiteral("Could not store the classification: %1").arg(query.lastError().text()));
    const qint64 id = query.lastInsertId().toLongLong();
    query.finish();
    transaction.commit();
    return id;
}

void ClassificationRepository::addAgentVerdict(const QList<qint64> &ticketIds, Category category,
                                               const QString &agent)
{
    // Declared before the transaction for the reason add() gives.
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    query.prepare(QStringLiteral(
        "INSERT INTO classifications (ticket_id, category, confidence, priority, summary, "
        "provider, model, model_version, fallback, attempts, needs_review, processing_ms, "
        "created_at) "
        "SELECT t.id, ?, 1.0, COALESCE(c.priority, 'medium'), COALESCE(c.summary, ''), 'agent', "
        "?, '', 0, 0, 0, 0, ? FROM tickets t LEFT JOIN classifications c "
        "ON c.id = t.classification_id WHERE t.id = ?"));
    Transaction transaction(m_database);
    const QString name = categoryName(category);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (const qint64 ticketId : ticketIds) {
        query.bindValue(0, name);
        query.bindValue(1, SqlRow::text(agent));
        query.bindValue(2, now);
        query.bindValue(3, ticketId);
        if (!query.exec())
            throw StorageError(QStringLiteral("Could not store the agent's category: %1")
                                   .arg(query.lastError().text()));
    }
    query.finish();
    transaction.commit();
}

QList<Classification> ClassificationRepository::history(qint64 ticketId)
{
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    query.prepare(SqlRow::selectClassifications() +
                  QStringLiteral("WHERE ticket_id = ? ORDER BY id"));
    query.addBindValue(ticketId);
    if (!query.exec())
        throw StorageError(
            QStringLiteral("Could not read classifications: %1").arg(query.lastError().text()));
    QList<Classification> result;
    while (query.next())
        result.append(SqlRow::classification(QueryColumns(query), 0, ticketId));
    return result;
}
