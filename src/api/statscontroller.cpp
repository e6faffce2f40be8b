#include "statscontroller.h"

#include "ticketrepository.h"

StatsController::StatsController(TicketRepository &tickets)
    : m_tickets(tickets)
{}

ApiResult StatsController::get(const QUrlQuery &query, QDate today)
{
    const Validated<int> days = TicketStats::daysFromUrlQuery(query);
    if (!days.isValid())
        return ApiError::invalidParameters(days.errors);
    return ApiReply::json(m_tickets.stats(today, days.value).toJson());
}
