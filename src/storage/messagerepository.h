#pragma once

#include "actor.h"
#include "answeredticket.h"
#include "outgoingreply.h"
#include "statementcache.h"
#include "ticketmessage.h"

#include <QList>
#include <QSqlDatabase>
#include <QSqlQuery>

#include <optional>

class Database;

// The conversation on tickets: messages after the customer's opening text, in the order they
// were added. Throws StorageError.
class MessageRepository final
{
public:
    explicit MessageRepository(const Database &database);
    Q_DISABLE_COPY_MOVE(MessageRepository)

    QList<TicketMessage> list(qint64 ticketId);
    struct Added
    {
        TicketMessage message;
        // Set when the ticket's status changed with the message (TicketMessage::statusAfter).
        std::optional<TicketStatus> status;
        // The idempotency key had stored this message before; nothing was added now.
        bool replayed = false;
        // The idempotency key was used before with another request; nothing was added.
        bool keyReusedWithOtherRequest = false;
    };
    // A sender's key for one request (its owner's name and the key), with a hash of the request:
    // the same key and hash within TicketRepository::kIdempotencyKeyLifetimeMs answer with the
    // first message instead of storing another.
    struct IdempotencyKey
    {
        QString key;
        QByteArray requestHash;
    };
    // Stores the message after the ticket's others, filling in its id and, when null, its time,
    // and in the same transaction the status it leads to, recorded as the actor's change.
    // A public reply from the team starts pending; any other message has no delivery. Null when
    // there is no such ticket. The message must be valid (validate()).
    std::optional<Added> add(TicketMessage message, const Actor &actor,
                             std::optional<TicketStatus> requestedStatus = std::nullopt,
                             const std::optional<IdempotencyKey> &idempotency = std::nullopt);
    // One message of the ticket, or null.
    std::optional<TicketMessage> find(qint64 ticketId, qint64 messageId);
    // Records how delivering a public reply went; error only for a failure. False when there is
    // no such reply on the ticket: no message of that id, a note, or a customer's message.
    bool setDelivery(qint64 ticketId, qint64 messageId, DeliveryStatus status,
                     const QString &error = QString());

    // The team's public replies with this delivery status, across tickets, oldest first, after
    // the reply with id afterId.
    QList<OutgoingReply> replies(DeliveryStatus delivery, qint64 afterId, int limit);

    // An AI draft was put in front of the actor, for the acceptance rate of its provider.
    void recordDraftOffer(qint64 ticketId, const QString &provider, const QString &model,
                          const Actor &offeredTo);

    // Up to `candidates` tickets the full-text index finds with all of the words (SearchText
    // words), best match first, that the team has answered publicly, leaving out one ticket (the
    // one being answered). Only the best few matches are looked at, so a search whose best
    // matches were never answered may find fewer.
    QList<AnsweredTicket> similarAnswered(const QStringList &words, qint64 excludedTicketId,
                                          int candidates);

    // The statement add() stores a message with, for a writer that keeps its own prepared
    // statements (the importer), and how it binds one.
    static const QString &insertStatement();
    static void bindInsert(QSqlQuery &query, const TicketMessage &message);

private:
    // Inside add()'s transaction: a customer who writes after an auto-resolve reopened it.
    void markReopened(qint64 ticketId, qint64 nowMs);

    const Database &m_database;
    QSqlDatabase m_db;
    StatementCache m_statements;
};
