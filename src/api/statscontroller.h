#pragma once

#include "apierror.h"

#include <QDateTime>
#include <QUrlQuery>

class TicketSession;

// /stats: tickets per category per day over the past N days, with the agents' corrections, the
// machine's confidence over those days and the open backlog's age.
class StatsController final
{
public:
    explicit StatsController(TicketSession &tickets);

    ApiResult get(const QUrlQuery &query, const QDateTime &now);

private:
    TicketSession &m_tickets;
};
