#include "feedbackcontroller.h"

#include "feedbackjson.h"
#include "requestscontroller.h"
#include "ticketsession.h"

FeedbackController::FeedbackController(TicketSession &tickets)
    : m_tickets(tickets)
{}

ApiResult FeedbackController::get(const QString &id)
{
    const std::optional<qint64> ticketId = RequestsController::ticketId(id);
    if (!ticketId || !m_tickets.find(*ticketId))
        return RequestsController::unknownTicket(id);
    const TicketSession::Ratings ratings = m_tickets.ratings(*ticketId);
    return ApiReply{FeedbackJson::toJson(*ticketId, ratings.current, ratings.history),
                    QHttpServerResponse::StatusCode::Ok,
                    {}};
}

ApiResult FeedbackController::record(const QString &id, const QJsonObject &body, const Actor &actor)
{
    const std::optional<qint64> ticketId = RequestsController::ticketId(id);
    if (!ticketId)
        return RequestsController::unknownTicket(id);
    Validated<Feedback> parsed = FeedbackJson::fromJson(body);
    if (!parsed.isValid())
        return ApiError::validationFailed(parsed.errors);
    parsed.value.ticketId = *ticketId;
    const std::optional<bool> replaced = m_tickets.rate(parsed.value, actor);
    if (!replaced)
        return RequestsController::unknownTicket(id);
    const TicketSession::Ratings ratings = m_tickets.ratings(*ticketId);
    return ApiReply{FeedbackJson::toJson(*ticketId, ratings.current, ratings.history),
                    *replaced ? QHttpServerResponse::StatusCode::Ok
                              : QHttpServerResponse::StatusCode::Created,
                    {}};
}
