#pragma once

#include "apierror.h"

#include <QDateTime>
#include <QUrlQuery>

class StatsRepository;

// /stats: tickets per category per day over the past N days, with the agents' corrections, the
// machine's confidence over those days and the open backlog's age.
class StatsController final
{
public:
    explicit StatsController(StatsRepository &stats);

    ApiResult get(const QUrlQuery &query, const QDateTime &now);

private:
    StatsRepository &m_stats;
};
