#pragma once

#include "apierror.h"

#include <QJsonObject>
#include <QUrlQuery>

struct Actor;
class TicketService;

// /webhooks: an admin's integrations that receive change events by POST, and the log of what
// was delivered to each. The signing secret is in the answer that registers a webhook, and in
// no other.
class WebhooksController final
{
public:
    // While the ticket service has no webhook service, every call answers that webhooks are
    // not set up on this node.
    explicit WebhooksController(TicketService &tickets);

    ApiResult list();
    // 201 with {"webhook": {...}, "secret": "whsec_..."}.
    ApiResult add(const QJsonObject &body, const Actor &actor);
    ApiResult get(const QString &id);
    // 200 with the webhook as it is now, removed; its pending deliveries are cancelled.
    ApiResult remove(const QString &id, const Actor &actor);
    // ?state=pending|delivered|failed|cancelled, ?limit=1..500 (default 100), ?cursor= from the
    // last page's next_cursor: newest first.
    ApiResult deliveries(const QString &id, const QUrlQuery &query);

    static constexpr int kDefaultPageSize = 100;
    static constexpr int kMaxPageSize = 500;

private:
    TicketService &m_tickets;
};
