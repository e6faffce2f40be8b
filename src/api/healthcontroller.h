#pragma once

#include "apierror.h"

class Database;

// /health: whether the service can reach its database (and, later, its AI providers).
class HealthController final
{
public:
    explicit HealthController(const Database &database);

    ApiResult get();

private:
    const Database &m_database;
};
