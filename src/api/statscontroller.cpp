#include "statscontroller.h"

#include "ticketsession.h"

StatsController::StatsController(TicketSession &tickets)
    : m_tickets(tickets)
{}

ApiResult StatsController::get(const QUrlQuery &query, const QDateTime &now)
{
    const Validated<int> days = TicketStats::daysFromUrlQuery(query);
    if (!days.isValid())
        return ApiError::invalidParameters(days.errors);
    return ApiReply::json(m_tickets.stats(now, days.value).toJson());
}
