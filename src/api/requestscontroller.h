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
    // The Idempotency-Key header as the key owner's own, with the hash of the request it came
    // with (what identifies it: the parsed body, and for a message its ticket); nothing without
    // the header, an error for a malformed key.
    struct IdempotencyKey
    {
        QString key;
        QByteArray requestHash;
    };
    static std::variant<ApiError, std::optional<IdempotencyKey>>
    idempotencyKey(const QByteArray &header, const QString &keyOwner, const QByteArray &request);
    ApiResult get(const QString &id);
    // The ticket as it is now, for a reply that waited for its classification.
    std::optional<Ticket> current(qint64 id);
    // PATCH: the actor's change, only while the ticket still has the version If-Match names.
    ApiResult change(const QString &id, const QJsonObject &body, const QByteArray &ifMatch,
                     const Actor &actor);
    ApiResult history(const QString &id);
    ApiResult list(const QUrlQuery &query);

    // The canonical spelling of a ticket id in a path, or nothing: "+1" or " 1" would make two
    // URLs for one ticket.
    static std::optional<qint64> ticketId(const QString &id);
    static ApiError unknownTicket(const QString &id);

    // The ticket's strong ETag, "<version>".
    static QByteArray entityTag(const Ticket &ticket);
    static ApiReply ticketReply(const Ticket &ticket);

private:
    // From If-Match: the version the client read, or none when it sent none or "*".
    static std::variant<std::optional<qint64>, ApiError> expectedVersion(const QByteArray &ifMatch);

    TicketSession &m_tickets;
};
