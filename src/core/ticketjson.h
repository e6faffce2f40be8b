#pragma once

#include "fielderror.h"
#include "ticket.h"
#include "ticketdraft.h"
#include "ticketquery.h"

#include <QByteArray>
#include <QJsonObject>

class JsonWriter;

// The JSON shapes of tickets as the HTTP API sends and receives them. Output is written as
// UTF-8 bytes directly, since it is on the path of every ticket the API serves.
class TicketJson final
{
public:
    static QByteArray toJson(const Ticket &ticket);
    static QByteArray toJson(const TicketPage &page);
    static void write(JsonWriter &writer, const Ticket &ticket);
    static void write(JsonWriter &writer, const std::optional<Classification> &classification);

    // Reads a submission: exactly one of {"text"} or {"subject", "body"}, and nothing else.
    static Validated<TicketDraft> draftFromJson(const QJsonObject &object, TicketSource source);
};
