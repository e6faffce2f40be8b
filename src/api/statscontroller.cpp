#include "statscontroller.h"

#include "statsrepository.h"

StatsController::StatsController(StatsRepository &stats)
    : m_stats(stats)
{}

ApiResult StatsController::get(const QUrlQuery &query, const QDateTime &now)
{
    const Validated<int> days = TicketStats::daysFromUrlQuery(query);
    if (!days.isValid())
        return ApiError::invalidParameters(days.errors);
    return ApiReply::json(m_stats.stats(now, days.value).toJson());
}
