#pragma once

#include "apierror.h"

#include <QUrlQuery>

class TicketRepository;

// /requests: submit tickets, read one, list them with filters and keyset pagination.
class RequestsController final
{
public:
    explicit RequestsController(TicketRepository &tickets);

    ApiResult create(const QJsonObject &body, const QByteArray &idempotencyKey);
    ApiResult get(const QString &id);
    // The ticket as it is now, for a reply that waited for its classification.
    std::optional<QByteArray> currentJson(qint64 id);
    ApiResult list(const QUrlQuery &query);

private:
    TicketRepository &m_tickets;
};
