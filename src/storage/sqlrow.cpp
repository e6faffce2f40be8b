#include "sqlrow.h"

#include "timestamps.h"

#include <QVariant>

Classification SqlRow::classification(const QSqlQuery &row, int firstColumn, qint64 ticketId)
{
    Classification classification;
    classification.id = row.value(firstColumn).toLongLong();
    classification.ticketId = ticketId;
    classification.category =
        categoryFromName(row.value(firstColumn + 1).toString()).value_or(Category::General);
    classification.confidence = row.value(firstColumn + 2).toDouble();
    classification.summary = row.value(firstColumn + 3).toString();
    classification.model = row.value(firstColumn + 4).toString();
    classification.processingMs = row.value(firstColumn + 5).toLongLong();
    classification.createdAt = Timestamps::fromMs(row.value(firstColumn + 6).toLongLong());
    return classification;
}
