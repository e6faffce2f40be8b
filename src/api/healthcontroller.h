#pragma once

#include "apierror.h"

class ClassificationService;
class Database;

// /health: whether the service can reach its database, and how classification is doing: the
// queue and each AI provider's state. /health/detail adds, for a credential, the learned model
// in use and its accuracy beside the rules'.
class HealthController final
{
public:
    HealthController(const Database &database, const ClassificationService *classification);

    ApiResult get();
    ApiResult detail();

private:
    QJsonObject body(bool *healthy) const;
    QJsonValue classificationJson() const;

    const Database &m_database;
    const ClassificationService *m_classification;
};
