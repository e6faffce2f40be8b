#include "messagescontroller.h"

#include "messagejson.h"
#include "requestscontroller.h"
#include "ticketsession.h"

MessagesController::MessagesController(TicketSession &tickets)
    : m_tickets(tickets)
{}

ApiResult MessagesController::list(const QString &id)
{
    const std::optional<qint64> ticketId = RequestsController::ticketId(id);
    if (!ticketId || !m_tickets.find(*ticketId))
        return RequestsController::unknownTicket(id);
    return ApiReply{MessageJson::toJson(*ticketId, m_tickets.messages(*ticketId)),
                    QHttpServerResponse::StatusCode::Ok,
                    {}};
}

ApiResult MessagesController::add(const QString &id, const QJsonObject &body, const Actor &actor)
{
    const std::optional<qint64> ticketId = RequestsController::ticketId(id);
    if (!ticketId)
        return RequestsController::unknownTicket(id);
    Validated<TicketMessage> parsed = MessageJson::fromJson(body);
    if (!parsed.isValid())
        return ApiError::validationFailed(parsed.errors);
    parsed.value.ticketId = *ticketId;
    const std::optional<TicketMessage> stored = m_tickets.addMessage(parsed.value, actor);
    if (!stored)
        return RequestsController::unknownTicket(id);
    return ApiReply{MessageJson::toJson(*stored), QHttpServerResponse::StatusCode::Created, {}};
}
