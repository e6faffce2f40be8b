#pragma once

#include "fielderror.h"
#include "ticket.h"

#include <QDateTime>
#include <QString>

#include <optional>

// Who said something on a ticket after the customer opened it.
enum class MessageAuthor { Customer, Agent, Integration };
// A public reply reaches the customer; an internal note stays with the team.
enum class MessageVisibility { Public, Internal };
// How delivering a public reply went, as the integration that delivers it reports. The product
// sends no e-mail itself.
enum class DeliveryStatus { Pending, Delivered, Failed };

QLatin1String messageAuthorName(MessageAuthor author);
std::optional<MessageAuthor> messageAuthorFromName(QStringView name);
QLatin1String messageVisibilityName(MessageVisibility visibility);
std::optional<MessageVisibility> messageVisibilityFromName(QStringView name);
QLatin1String deliveryStatusName(DeliveryStatus status);
std::optional<DeliveryStatus> deliveryStatusFromName(QStringView name);

// Where a reply that began as an AI draft came from, and how much the agent changed it.
struct DraftOrigin
{
    // Where drafts come from: a remote model, or the replies of similar answered tickets.
    static constexpr QLatin1String kRemoteProvider{"remote"};
    static constexpr QLatin1String kLocalProvider{"local"};
    static constexpr QLatin1String kLocalModel{"similar-tickets"};

    QString provider;
    QString model;
    // Characters inserted, deleted or replaced between the draft and the reply sent.
    qint64 edits = 0;

    // The Levenshtein distance in UTF-16 code units. Quadratic in what differs between the
    // common start and end, so call it off the GUI thread; where that is over 4,000 characters
    // each, the longer length instead, an upper bound.
    static qint64 editDistance(QStringView draft, QStringView sent);

    friend bool operator==(const DraftOrigin &, const DraftOrigin &) = default;
};

// One message of a ticket's conversation, after the customer's opening text (the ticket itself).
struct TicketMessage
{
    static constexpr int kMaxBodyLength = 20000;

    qint64 id = 0;
    qint64 ticketId = 0;
    MessageAuthor author = MessageAuthor::Agent;
    // The user or integration token that wrote it; empty for the customer.
    QString authorName;
    MessageVisibility visibility = MessageVisibility::Public;
    // Plain text, as written.
    QString body;
    // Only for a public reply from the team: the customer's own messages and internal notes are
    // not delivered.
    std::optional<DeliveryStatus> delivery;
    QString deliveryError;
    std::optional<DraftOrigin> draft;
    QDateTime createdAt;

    // Whether a message of this author and visibility is delivered to the customer.
    static bool isDelivered(MessageAuthor author, MessageVisibility visibility)
    {
        return visibility == MessageVisibility::Public && author != MessageAuthor::Customer;
    }

    // The ticket's status once this message is added, where it was `current` and the sender asked
    // for `requested` (a reply that resolves the ticket or waits for the customer). A customer
    // who writes again reopens a ticket that waited for them or was resolved; a closed ticket
    // stays closed.
    std::optional<TicketStatus> statusAfter(TicketStatus current,
                                            std::optional<TicketStatus> requested) const;

    // The body as the edge accepts it: plain, readable text of at most kMaxBodyLength
    // characters. Errors name the field "body".
    FieldErrors validate() const;

    friend bool operator==(const TicketMessage &, const TicketMessage &) = default;
};
