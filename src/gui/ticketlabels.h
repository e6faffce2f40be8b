#pragma once

#include "ticket.h"
#include "ticketevent.h"

#include <QString>

// The words the window uses for ticket fields, translated, in one place.
class TicketLabels final
{
public:
    static QString status(TicketStatus status);
    static QString priority(Priority priority);
    static QString provider(ClassificationProvider provider);
    // The category, or what the classifier is doing when there is none yet.
    static QString category(const Ticket &ticket);
    static QString confidence(double confidence);
    // The subject, or the first line of a free-text ticket.
    static QString headline(const Ticket &ticket);
    static QString received(const QDateTime &when);
    // What one change did, in a few words: "Status: Open → Closed", "Assigned to dora".
    static QString change(const TicketEvent &event);
};
