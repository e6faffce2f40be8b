#pragma once

#include "apierror.h"

#include <QJsonObject>

struct Actor;
class TicketService;
class TicketSession;

// POST /requests/{id}/draft: a reply drafted for the ticket, to be edited and sent by whoever
// asked, streamed as server-sent events (DraftStream). The remote model writes it when one is
// configured and the ticket may leave the machine; otherwise it is the replies of the most
// similar answered tickets. Every draft offered counts for its provider's acceptance rate.
class DraftsController final
{
public:
    DraftsController(TicketSession &tickets, const TicketService &service);

    // The body is an empty JSON object.
    ApiResult draft(const QString &id, const QJsonObject &body, const Actor &actor);

private:
    TicketSession &m_tickets;
    const TicketService &m_service;
};
