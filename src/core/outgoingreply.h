#pragma once

#include "ticket.h"
#include "ticketmessage.h"

// A public reply of the team with what a delivering integration needs to send it: whom to
// answer and the thread it continues, from its ticket.
struct OutgoingReply
{
    TicketMessage message;
    QString subject;
    QString requester;
    QString threadRef;
    TicketStatus status = TicketStatus::Open;
};
