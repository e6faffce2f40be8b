#pragma once

#include "apierror.h"
#include "ticketrepository.h"
#include "ticketsession.h"

#include <QUrlQuery>

#include <variant>

// /requests: submit tickets, read one, list them with filters and keyset pagination.
class RequestsController final
{
public:
    explicit RequestsController(TicketSession &tickets);

    // A new ticket in two halves, for the service's group commit: the checks, then the answer
    // for what storing did. The key is stored as the key owner's own.
    static std::variant<ApiError, TicketRepository::NewTicket>
    prepareCreate(const QJsonObject &body, const QByteArray &idempotencyKey,
                  const QString &keyOwner);
    static ApiResult stored(const TicketRepository::IdempotentCreate &result);
    ApiResult get(const QString &id);
    // The ticket as it is now, for a reply that waited for its classification.
    std::optional<QByteArray> currentJson(qint64 id);
    ApiResult list(const QUrlQuery &query);

private:
    TicketSession &m_tickets;
};
