#include "testclassifications.h"

#include "classificationrepository.h"

qint64 TestClassifications::add(const Database &database, qint64 ticketId, Category category,
                                ClassificationProvider provider, double confidence)
{
    Classification classification;
    classification.ticketId = ticketId;
    classification.category = category;
    classification.provider = provider;
    classification.confidence = confidence;
    classification.model = QStringLiteral("test");
    return ClassificationRepository(database).add(classification);
}
