#pragma once

#include "category.h"

#include <QString>

#include <optional>

// A ticket the team has answered, as a source for answering a similar one: what the customer
// wrote and the team's first public reply.
struct AnsweredTicket
{
    qint64 ticketId = 0;
    QString subject;
    // The customer's whole text, as classifiers read it.
    QString text;
    QString reply;
    // The full-text index's rank among the matches of one search; higher is better.
    double score = 0;
    std::optional<Category> category;
    // Whom the reply was written to (Ticket::requester).
    QString requester;
    // Resolved or closed by the team, not by auto-resolve, with nothing public said after the
    // reply: an answer people stood by, and the whole of it.
    bool resolvedByTeam = false;
};
