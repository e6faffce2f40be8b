#pragma once

#include "apierror.h"
#include "ticketrepository.h"

#include <QUrlQuery>

#include <variant>

// /requests: submit tickets, read one, list them with filters and keyset pagination.
class RequestsController final
{
public:
    explicit RequestsController(TicketRepository &tickets);

    // Checks and stores in one call, on this thread's connection.
    ApiResult create(const QJsonObject &body, const QByteArray &idempotencyKey);
    // The same in two halves, for a writer that stores many tickets per transaction: the checks,
    // then the answer for what storing did.
    static std::variant<ApiError, TicketRepository::NewTicket>
    prepareCreate(const QJsonObject &body, const QByteArray &idempotencyKey);
    static ApiResult stored(const TicketRepository::IdempotentCreate &result);
    ApiResult get(const QString &id);
    // The ticket as it is now, for a reply that waited for its classification.
    std::optional<QByteArray> currentJson(qint64 id);
    ApiResult list(const QUrlQuery &query);

private:
    TicketRepository &m_tickets;
};
