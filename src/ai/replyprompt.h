#pragma once

#include "similarreplies.h"
#include "ticket.h"
#include "ticketmessage.h"

#include <QByteArray>
#include <QList>
#include <QString>

// What a reply is drafted from: the ticket, its conversation so far, and how the team answered
// tickets that read alike.
struct DraftContext
{
    Ticket ticket;
    QList<TicketMessage> messages;
    QList<ReplySuggestion> similar;
};

// The request that asks a remote model to draft a reply: everything in it redacted as a ticket
// sent for classification is, internal notes left out, and each part cut to a length that keeps
// the first words quick to come.
class ReplyPrompt final
{
public:
    ReplyPrompt() = delete;

    static constexpr qsizetype kMaxPartLength = 4000;

    static QString systemPrompt();
    static QString userMessage(const DraftContext &context);
    static QByteArray request(const QString &model, const DraftContext &context);
};
