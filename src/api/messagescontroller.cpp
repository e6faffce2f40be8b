#include "messagescontroller.h"

#include "messagejson.h"
#include "requestscontroller.h"
#include "ticketsession.h"
#include "urlqueryreader.h"

#include <QJsonDocument>

MessagesController::MessagesController(TicketSession &tickets)
    : m_tickets(tickets)
{}

ApiResult MessagesController::list(const QString &id, bool withInternalNotes)
{
    const std::optional<qint64> ticketId = RequestsController::ticketId(id);
    if (!ticketId || !m_tickets.find(*ticketId))
        return RequestsController::unknownTicket(id);
    QList<TicketMessage> messages = m_tickets.messages(*ticketId);
    if (!withInternalNotes) {
        messages.removeIf([](const TicketMessage &message) {
            return message.visibility == MessageVisibility::Internal;
        });
    }
    return ApiReply{
        MessageJson::toJson(*ticketId, messages), QHttpServerResponse::StatusCode::Ok, {}};
}

ApiResult MessagesController::add(const QString &id, const QJsonObject &body,
                                  const QByteArray &idempotencyKey, const Actor &actor)
{
    const std::optional<qint64> ticketId = RequestsController::ticketId(id);
    if (!ticketId)
        return RequestsController::unknownTicket(id);
    // The same body to another ticket is another request.
    auto key = RequestsController::idempotencyKey(
        idempotencyKey, actor.name,
        QByteArray::number(*ticketId) + ' ' + QJsonDocument(body).toJson(QJsonDocument::Compact));
    if (auto *error = std::get_if<ApiError>(&key))
        return std::move(*error);
    Validated<MessageJson::Addition> parsed = MessageJson::fromJson(body);
    if (!parsed.isValid())
        return ApiError::validationFailed(parsed.errors);
    parsed.value.message.ticketId = *ticketId;
    std::optional<MessageRepository::IdempotencyKey> idempotency;
    if (const auto &given = std::get<std::optional<RequestsController::IdempotencyKey>>(key))
        idempotency = MessageRepository::IdempotencyKey{given->key, given->requestHash};
    const std::optional<MessageRepository::Added> stored =
        m_tickets.addMessage(parsed.value.message, actor, parsed.value.status, idempotency);
    if (!stored)
        return RequestsController::unknownTicket(id);
    if (stored->keyReusedWithOtherRequest)
        return ApiError::make(
            ApiError::Kind::Conflict,
            QStringLiteral("This Idempotency-Key was already used with a different request."));
    ApiReply reply{
        MessageJson::toJson(stored->message), QHttpServerResponse::StatusCode::Created, {}};
    if (stored->replayed)
        reply.headers.append({QByteArrayLiteral("Idempotent-Replayed"), QByteArrayLiteral("true")});
    return reply;
}

ApiResult MessagesController::setDelivery(const QString &id, const QString &messageId,
                                          const QJsonObject &body, const Actor &actor)
{
    const std::optional<qint64> ticketId = RequestsController::ticketId(id);
    // Ids are spelled the same way whatever they name.
    const std::optional<qint64> message = RequestsController::ticketId(messageId);
    const auto unknownMessage = [&] {
        return ApiError::notFound(
            QStringLiteral("Request %1 has no message with id %2.").arg(id, messageId));
    };
    if (!ticketId || !message)
        return unknownMessage();
    const Validated<MessageJson::DeliveryReport> report = MessageJson::deliveryFromJson(body);
    if (!report.isValid())
        return ApiError::validationFailed(report.errors);
    const TicketSession::DeliveryChange changed =
        m_tickets.setDelivery(*ticketId, *message, report.value.status, report.value.error, actor);
    switch (changed.problem) {
    case TicketSession::DeliveryChange::Problem::None:
        break;
    case TicketSession::DeliveryChange::Problem::NotFound:
        return unknownMessage();
    case TicketSession::DeliveryChange::Problem::NotAReply:
        return ApiError::make(ApiError::Kind::Conflict,
                              QStringLiteral("Message %1 is a note or the customer's own message; "
                                             "only the team's public replies are delivered.")
                                  .arg(messageId));
    }
    if (!changed.message)
        return unknownMessage();
    return ApiReply{MessageJson::toJson(*changed.message), QHttpServerResponse::StatusCode::Ok, {}};
}

ApiResult MessagesController::listReplies(const QUrlQuery &query)
{
    UrlQueryReader reader(
        query, {QStringLiteral("delivery"), QStringLiteral("limit"), QStringLiteral("cursor")});
    DeliveryStatus delivery = DeliveryStatus::Pending;
    if (const std::optional<QString> text = reader.text(QStringLiteral("delivery"))) {
        if (const std::optional<DeliveryStatus> named = deliveryStatusFromName(*text))
            delivery = *named;
        else
            reader.addError(QStringLiteral("delivery"),
                            QStringLiteral("must be pending, delivered or failed"));
    }
    const int limit =
        reader.integer(QStringLiteral("limit"), 1, kMaxPageSize).value_or(kDefaultPageSize);
    qint64 after = 0;
    if (const std::optional<QString> text = reader.text(QStringLiteral("cursor"))) {
        if (const std::optional<qint64> cursor = RequestsController::ticketId(*text))
            after = *cursor;
        else
            reader.addError(QStringLiteral("cursor"),
                            QStringLiteral("must be a next_cursor this endpoint gave"));
    }
    if (!reader.errors().isEmpty())
        return ApiError::invalidParameters(reader.errors());
    const QList<OutgoingReply> page = m_tickets.replies(delivery, after, limit);
    return ApiReply{
        MessageJson::toJson(page, page.size() == limit), QHttpServerResponse::StatusCode::Ok, {}};
}
