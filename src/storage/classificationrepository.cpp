#include "classificationrepository.h"

#include "database.h"
#include "sqlrow.h"
#include "storageerror.h"
#include "ticketeventlog.h"
#include "timestamps.h"
#include "transaction.h"

#include <QSqlError>
#include <QSqlQuery>

#include <array>

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

namespace {

constexpr int kColumns = 13;

// One classification's values, in the column order of insertSql().
std::array<QVariant, kColumns> columnValues(const Classification &classification, qint64 nowMs)
{
    return {
        classification.ticketId,
        QString(categoryName(classification.category)),
        classification.confidence,
        QString(priorityName(classification.priority)),
        SqlRow::text(classification.summary),
        QString(classificationProviderName(classification.provider)),
        SqlRow::text(classification.model),
        SqlRow::text(classification.modelVersion),
        classification.fallback ? 1 : 0,
        classification.attempts,
        classification.needsReview ? 1 : 0,
        classification.processingMs,
        classification.createdAt.isValid() ? Timestamps::toMs(classification.createdAt) : nowMs,
    };
}

} // namespace

void ClassificationRepository::bind(QSqlQuery &query, const Classification &classification, int row)
{
    const std::array<QVariant, kColumns> values =
        columnValues(classification, QDateTime::currentMSecsSinceEpoch());
    for (int column = 0; column < kColumns; ++column)
        query.bindValue(row * kColumns + column, values[std::size_t(column)]);
}

void ClassificationRepository::bindArrays(QSqlQuery &query,
                                          const QList<const Classification *> &classifications,
                                          QString (*array)(const QStringList &values))
{
    std::array<QStringList, kColumns> columns;
    for (QStringList &column : columns)
        column.reserve(classifications.size());
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (const Classification *classification : classifications) {
        const std::array<QVariant, kColumns> values = columnValues(*classification, now);
        // A double's text is the shortest that reads back as the same double.
        for (int column = 0; column < kColumns; ++column)
            columns[std::size_t(column)].append(values[std::size_t(column)].toString());
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

QString ClassificationRepository::verdictSql()
{
    return QStringLiteral(
        "INSERT INTO classifications (ticket_id, category, confidence, priority, summary, "
        "provider, model, model_version, fallback, attempts, needs_review, processing_ms, "
        "created_at, actor_kind) "
        "SELECT t.id, ?, 1.0, COALESCE(c.priority, 'medium'), COALESCE(c.summary, ''), 'agent', "
        "?, '', 0, 0, 0, 0, ?, ? FROM tickets t LEFT JOIN classifications c "
        "ON c.id = t.classification_id WHERE t.id = ?");
}

void ClassificationRepository::bindVerdict(QSqlQuery &query, qint64 ticketId, Category category,
                                           const Actor &actor, qint64 atMs)
{
    query.bindValue(0, QString(categoryName(category)));
    query.bindValue(1, SqlRow::text(actor.name));
    query.bindValue(2, atMs);
    // Only people and integrations give verdicts; the program's own imports are people's work
    // carried over.
    query.bindValue(3, actor.kind == Actor::Kind::Integration ? QStringLiteral("integration")
                                                              : QStringLiteral("user"));
    query.bindValue(4, ticketId);
}

void ClassificationRepository::addVerdict(const QList<qint64> &ticketIds, Category category,
                                          const Actor &actor)
{
    // Declared before the transaction for the reason add() gives.
    QSqlQuery record(m_db);
    record.prepare(TicketEventLog::recordSql(TicketEvent::Field::Category, true));
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    query.prepare(verdictSql());
    Transaction transaction(m_database);
    const QString name = categoryName(category);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (const qint64 ticketId : ticketIds) {
        TicketEventLog::bind(record, ticketId, name, actor, now, true);
        bindVerdict(query, ticketId, category, actor, now);
        if (!record.exec() || !query.exec())
            throw StorageError(QStringLiteral("Could not store the verdict: %1")
                                   .arg(record.lastError().isValid() ? record.lastError().text()
                                                                     : query.lastError().text()),
                               record.lastError().isValid() ? record.lastError()
                                                            : query.lastError());
    }
    record.finish();
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
