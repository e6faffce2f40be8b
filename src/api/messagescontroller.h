#pragma once

#include "apierror.h"

#include <QJsonObject>
#include <QUrlQuery>

struct Actor;
class TicketSession;

// /requests/{id}/messages: a ticket's conversation, read by whoever may read tickets, added to
// by integrations that relay the customer's messages or the team's replies; and /replies, the
// replies a delivering integration has to send.
class MessagesController final
{
public:
    explicit MessagesController(TicketSession &tickets);

    // With internal notes only for who may write to conversations.
    ApiResult list(const QString &id, bool withInternalNotes);
    // With an Idempotency-Key, a retry of the same request answers with the first message.
    ApiResult add(const QString &id, const QJsonObject &body, const QByteArray &idempotencyKey,
                  const Actor &actor);
    // PATCH /requests/{id}/messages/{message}: how delivering a public reply went.
    ApiResult setDelivery(const QString &id, const QString &messageId, const QJsonObject &body,
                          const Actor &actor);

    // GET /replies?delivery=&limit=&cursor=: the team's public replies across tickets, oldest
    // first, pending ones unless another delivery status is asked for.
    ApiResult listReplies(const QUrlQuery &query);
    static constexpr int kDefaultPageSize = 100;
    static constexpr int kMaxPageSize = 500;

private:
    TicketSession &m_tickets;
};
