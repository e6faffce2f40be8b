#include "webhookscontroller.h"

#include "jsonkeys.h"
#include "ticketservice.h"
#include "urlqueryreader.h"
#include "webhookjson.h"
#include "webhookservice.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace {

std::optional<qint64> webhookId(const QString &id)
{
    bool ok = false;
    const qint64 value = id.toLongLong(&ok);
    if (ok && value > 0 && QString::number(value) == id)
        return value;
    return std::nullopt;
}

ApiError unknownWebhook(const QString &id)
{
    return ApiError::notFound(QStringLiteral("There is no webhook with id %1.").arg(id));
}

ApiError notSetUp()
{
    return ApiError::make(ApiError::Kind::Unavailable,
                          QStringLiteral("Webhooks are not set up on this node."));
}

ApiReply json(const QJsonObject &object,
              QHttpServerResponse::StatusCode status = QHttpServerResponse::StatusCode::Ok)
{
    return ApiReply{QJsonDocument(object).toJson(QJsonDocument::Compact), status, {}};
}

} // namespace

WebhooksController::WebhooksController(TicketService &tickets)
    : m_tickets(tickets)
{}

ApiResult WebhooksController::list()
{
    WebhookService *webhooks = m_tickets.webhooks();
    if (!webhooks)
        return notSetUp();
    QJsonArray items;
    for (const Webhook &webhook : webhooks->list())
        items.append(WebhookJson::toJson(webhook));
    return json({{JsonKey::items, items}});
}

ApiResult WebhooksController::add(const QJsonObject &body, const Actor &actor)
{
    WebhookService *webhooks = m_tickets.webhooks();
    if (!webhooks)
        return notSetUp();
    const Validated<Webhook> parsed = WebhookJson::fromJson(body);
    if (!parsed.isValid())
        return ApiError::validationFailed(parsed.errors);
    auto added = webhooks->add(parsed.value.url, parsed.value.eventTypes, actor);
    if (const QString *problem = std::get_if<QString>(&added))
        return ApiError::make(ApiError::Kind::Unavailable, *problem);
    const auto &created = std::get<WebhookService::Created>(added);
    return json({{QStringLiteral("webhook"), WebhookJson::toJson(created.webhook)},
                 {JsonKey::secret, created.secret}},
                QHttpServerResponse::StatusCode::Created);
}

ApiResult WebhooksController::get(const QString &id)
{
    WebhookService *webhooks = m_tickets.webhooks();
    if (!webhooks)
        return notSetUp();
    const std::optional<qint64> webhook = webhookId(id);
    const std::optional<Webhook> found = webhook ? webhooks->find(*webhook) : std::nullopt;
    if (!found)
        return unknownWebhook(id);
    return json(WebhookJson::toJson(*found));
}

ApiResult WebhooksController::remove(const QString &id, const Actor &actor)
{
    WebhookService *webhooks = m_tickets.webhooks();
    if (!webhooks)
        return notSetUp();
    const std::optional<qint64> webhook = webhookId(id);
    if (!webhook || !webhooks->remove(*webhook, actor)) {
        // Removing one already removed is a request for what is already so.
        if (const std::optional<Webhook> found = webhook ? webhooks->find(*webhook) : std::nullopt)
            return json(WebhookJson::toJson(*found));
        return unknownWebhook(id);
    }
    return json(WebhookJson::toJson(*webhooks->find(*webhook)));
}

ApiResult WebhooksController::deliveries(const QString &id, const QUrlQuery &query)
{
    WebhookService *webhooks = m_tickets.webhooks();
    if (!webhooks)
        return notSetUp();
    UrlQueryReader reader(
        query, {QStringLiteral("state"), QStringLiteral("limit"), QStringLiteral("cursor")});
    std::optional<WebhookDelivery::State> state;
    if (const std::optional<QString> text = reader.text(QStringLiteral("state"))) {
        state = WebhookJson::stateFromName(*text);
        if (!state)
            reader.addError(QStringLiteral("state"),
                            QStringLiteral("must be pending, delivered, failed or cancelled"));
    }
    const int limit =
        reader.integer(QStringLiteral("limit"), 1, kMaxPageSize).value_or(kDefaultPageSize);
    qint64 before = 0;
    if (const std::optional<QString> text = reader.text(QStringLiteral("cursor"))) {
        const std::optional<qint64> cursor = webhookId(*text);
        if (cursor)
            before = *cursor;
        else
            reader.addError(QStringLiteral("cursor"),
                            QStringLiteral("must be a next_cursor this endpoint gave"));
    }
    if (!reader.errors().isEmpty())
        return ApiError::invalidParameters(reader.errors());
    const std::optional<qint64> webhook = webhookId(id);
    if (!webhook || !webhooks->find(*webhook))
        return unknownWebhook(id);
    const QList<WebhookDelivery> page = webhooks->deliveries(*webhook, state, before, limit);
    QJsonArray items;
    for (const WebhookDelivery &delivery : page)
        items.append(WebhookJson::toJson(delivery));
    return json(
        {{JsonKey::items, items},
         {JsonKey::nextCursor,
          page.size() == limit ? QJsonValue(QString::number(page.last().id)) : QJsonValue()}});
}
