#include "messagescontroller.h"

#include "messagejson.h"
#include "requestscontroller.h"
#include "ticketsession.h"

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

ApiResult MessagesController::add(const QString &id, const QJsonObject &body, const Actor &actor)
{
    const std::optional<qint64> ticketId = RequestsController::ticketId(id);
    if (!ticketId)
        return RequestsController::unknownTicket(id);
    Validated<MessageJson::Addition> parsed = MessageJson::fromJson(body);
    if (!parsed.isValid())
        return ApiError::validationFailed(parsed.errors);
    parsed.value.message.ticketId = *ticketId;
    const std::optional<MessageRepository::Added> stored =
        m_tickets.addMessage(parsed.value.message, actor, parsed.value.status);
    if (!stored)
        return RequestsController::unknownTicket(id);
    return ApiReply{
        MessageJson::toJson(stored->message), QHttpServerResponse::StatusCode::Created, {}};
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
