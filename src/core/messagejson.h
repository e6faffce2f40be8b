#pragma once

#include "fielderror.h"
#include "outgoingreply.h"
#include "ticketmessage.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>

// The JSON shapes of a ticket's conversation as the HTTP API sends and receives them.
class MessageJson final
{
public:
    static QByteArray toJson(const TicketMessage &message);
    // {"request_id": id, "messages": [...]}, oldest first.
    static QByteArray toJson(qint64 ticketId, const QList<TicketMessage> &messages);

    // GET /replies: {"items": [message and its "request" (id, subject, requester,
    // thread_ref, status)], "next_cursor"}, a cursor only when more may follow.
    static QByteArray toJson(const QList<OutgoingReply> &replies, bool more);

    struct Addition
    {
        TicketMessage message;
        // The status the ticket takes with the message, when one was asked for.
        std::optional<TicketStatus> status;
    };
    // Reads what an integration adds: {"body"} and optionally "visibility" ("public", the
    // default, or "internal"), "author" ("integration", the default, for a reply it relays,
    // or "customer" for the customer's own message, which is always public), "status" (the
    // ticket's status from then on) and, for the team's message, "draft" (draftFromJson). Nothing
    // else.
    static Validated<Addition> fromJson(const QJsonObject &object);
    // The draft a message began as, as the integration that sent it reports it:
    // {"provider": "remote" or "local", "model", "edits"}, as POST /requests/{id}/draft named
    // them; fields are named "draft.provider" and so on.
    static Validated<DraftOrigin> draftFromJson(const QJsonObject &object);

    struct DeliveryReport
    {
        DeliveryStatus status = DeliveryStatus::Pending;
        QString error;
    };
    // Reads what the delivering integration reports: {"delivery": "pending", "delivered" or
    // "failed"} and, only with "failed", why in "delivery_error" (at most 500 characters).
    static Validated<DeliveryReport> deliveryFromJson(const QJsonObject &object);
};
