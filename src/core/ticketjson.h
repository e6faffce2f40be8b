#pragma once

#include "fielderror.h"
#include "ticket.h"
#include "ticketdraft.h"
#include "ticketquery.h"

#include <QJsonObject>
#include <QJsonValue>

// The JSON shapes of tickets as the HTTP API sends and receives them.
class TicketJson final
{
public:
    static QJsonObject toJson(const Ticket &ticket);
    static QJsonValue toJson(const std::optional<Classification> &classification);
    static QJsonObject toJson(const TicketPage &page);

    // Reads a submission: exactly one of {"text"} or {"subject", "body"}, and nothing else.
    static Validated<TicketDraft> draftFromJson(const QJsonObject &object, TicketSource source);
};
