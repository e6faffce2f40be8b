#pragma once

#include "apierror.h"

#include <QDate>
#include <QUrlQuery>

class TicketRepository;

// /stats: tickets per category per day over the past N days.
class StatsController final
{
public:
    explicit StatsController(TicketRepository &tickets);

    ApiResult get(const QUrlQuery &query, QDate today);

private:
    TicketRepository &m_tickets;
};
