#pragma once

#include "apierror.h"

#include <QJsonObject>

struct Actor;
class TicketSession;

// /requests/{id}/feedback: the customer's rating of a ticket, recorded by the integration that
// asked them, and read back with its history.
class FeedbackController final
{
public:
    explicit FeedbackController(TicketSession &tickets);

    ApiResult get(const QString &id);
    // 201 for a ticket's first rating, 200 for one that replaces it.
    ApiResult record(const QString &id, const QJsonObject &body, const Actor &actor);

private:
    TicketSession &m_tickets;
};
