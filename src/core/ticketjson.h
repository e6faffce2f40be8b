#pragma once

#include "fielderror.h"
#include "ticket.h"
#include "ticketchange.h"
#include "ticketdraft.h"
#include "ticketevent.h"
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

    // Reads a submission: exactly one of {"text"} or {"subject", "body"}, and nothing else.
    static Validated<TicketDraft> draftFromJson(const QJsonObject &object, TicketSource source);
    // Reads a change: any of "status", "category" and "assignee" (a name, or null).
    static Validated<TicketChange> changeFromJson(const QJsonObject &object);
    // Who changed what and when, oldest first, after when and how the ticket came in.
    static QByteArray historyToJson(const Ticket &ticket, const QList<TicketEvent> &events);

private:
    // Always an object with a "status"; the result's fields once there is one, the reason
    // and the next retry while it is failing.
    static void writeClassification(JsonWriter &writer, const Ticket &ticket);
};
