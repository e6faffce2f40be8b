#pragma once

#include "apierror.h"

class ClassificationService;
class Database;

// /health: whether the service can reach its database, and how classification is doing: the
// queue and each AI provider's state.
class HealthController final
{
public:
    HealthController(const Database &database, const ClassificationService *classification);

    ApiResult get();

private:
    QJsonValue classificationJson() const;

    const Database &m_database;
    const ClassificationService *m_classification;
};
