#include "draftscontroller.h"

#include "draftstream.h"
#include "replydrafter.h"
#include "requestscontroller.h"
#include "ticketservice.h"
#include "ticketsession.h"

DraftsController::DraftsController(TicketSession &tickets, const TicketService &service)
    : m_tickets(tickets)
    , m_service(service)
{}

ApiResult DraftsController::draft(const QString &id, const QJsonObject &body, const Actor &actor)
{
    const std::optional<qint64> ticketId = RequestsController::ticketId(id);
    if (!ticketId)
        return RequestsController::unknownTicket(id);
    // The body is an empty object for now; options a later version adds must not be ignored
    // by this one.
    FieldErrors errors;
    for (auto field = body.constBegin(); field != body.constEnd(); ++field)
        errors.append({field.key(), QStringLiteral("is not a known field")});
    if (!errors.isEmpty())
        return ApiError::validationFailed(errors);
    std::optional<DraftContext> context = m_tickets.draftContext(*ticketId);
    if (!context)
        return RequestsController::unknownTicket(id);
    QList<ReplySuggestion> similar = context->similar;
    std::optional<ReplyDrafter::RemoteDraft> remote;
    if (ReplyDrafter *drafter = m_service.drafter())
        remote = drafter->draftRemotely(std::move(*context));
    if (remote)
        m_tickets.recordDraftOffer(*ticketId, DraftOrigin::kRemoteProvider, remote->model, actor);
    else if (!similar.isEmpty())
        m_tickets.recordDraftOffer(*ticketId, DraftOrigin::kLocalProvider, DraftOrigin::kLocalModel,
                                   actor);

    return ApiReply::eventStream([remote = std::move(remote), similar = std::move(similar)](
                                     HttpStream &&stream, QObject *parent) mutable {
        new DraftStream(std::move(stream), std::move(remote), std::move(similar), parent);
    });
}
