#include "requestscontroller.h"

#include "storageerror.h"
#include "ticketjson.h"
#include "ticketsession.h"

#include <QCryptographicHash>
#include <QJsonDocument>

static constexpr qsizetype kMaxIdempotencyKeyLength = 255;

static bool isValidIdempotencyKey(const QByteArray &key)
{
    if (key.isEmpty() || key.size() > kMaxIdempotencyKeyLength)
        return false;
    return std::all_of(key.begin(), key.end(), [](char c) { return c > 0x20 && c < 0x7f; });
}

static ApiReply created(const Ticket &ticket)
{
    const QByteArray location = "/requests/" + QByteArray::number(ticket.id);
    return {TicketJson::toJson(ticket),
            QHttpServerResponse::StatusCode::Created,
            {{QByteArrayLiteral("Location"), location}},
            ticket.classificationState() == ClassificationState::Pending ? ticket.id : 0};
}

RequestsController::RequestsController(TicketSession &tickets)
    : m_tickets(tickets)
{}

std::variant<ApiError, TicketRepository::NewTicket>
RequestsController::prepareCreate(const QJsonObject &body, const QByteArray &idempotencyKey,
                                  const QString &keyOwner)
{
    if (!idempotencyKey.isNull() && !isValidIdempotencyKey(idempotencyKey)) {
        return ApiError::invalidParameters(
            {{QStringLiteral("Idempotency-Key"),
              QStringLiteral("must be 1 to %1 printable ASCII characters")
                  .arg(kMaxIdempotencyKeyLength)}});
    }
    const Validated<TicketDraft> draft = TicketJson::draftFromJson(body, TicketSource::Api);
    if (!draft.isValid())
        return ApiError::validationFailed(draft.errors);
    TicketRepository::NewTicket ticket{draft.value, {}, {}};
    if (!idempotencyKey.isNull()) {
        // Keys are the sender's own: another token's identical key is another request. Token
        // names hold no colon, so no two owners' keys can meet.
        ticket.idempotencyKey = keyOwner + u':' + QString::fromLatin1(idempotencyKey);
        // Hash the parsed request, not its bytes, so whitespace or key order does not matter.
        ticket.requestHash =
            QCryptographicHash::hash(QJsonDocument(body).toJson(QJsonDocument::Compact),
                                     QCryptographicHash::Sha256)
                .toHex();
    }
    return ticket;
}

ApiResult RequestsController::stored(const TicketRepository::IdempotentCreate &result)
{
    using Outcome = TicketRepository::IdempotentCreate::Outcome;
    if ((result.outcome == Outcome::Created || result.outcome == Outcome::Replayed) &&
        !result.ticket) {
        throw StorageError(QStringLiteral("The stored ticket could not be read back."));
    }
    switch (result.outcome) {
    case Outcome::Created:
        return created(*result.ticket);
    case Outcome::Replayed: {
        ApiReply reply = created(*result.ticket);
        reply.headers.append({QByteArrayLiteral("Idempotent-Replayed"), QByteArrayLiteral("true")});
        return reply;
    }
    case Outcome::KeyReusedWithOtherRequest:
        return ApiError::make(
            ApiError::Kind::Conflict,
            QStringLiteral("This Idempotency-Key was already used with a different request."));
    case Outcome::Failed:
        throw StorageError(result.error);
    case Outcome::Refused:
        return ApiError::make(
            ApiError::Kind::Unavailable,
            QStringLiteral("The server is stopping; send the request again shortly."));
    }
    Q_UNREACHABLE();
    return ApiError::internal();
}

ApiResult RequestsController::get(const QString &id)
{
    bool ok = false;
    const qint64 ticketId = id.toLongLong(&ok);
    std::optional<Ticket> ticket;
    // Only the canonical spelling names a ticket: "+1" or " 1" would make two URLs for one.
    if (ok && ticketId > 0 && QString::number(ticketId) == id)
        ticket = m_tickets.find(ticketId);
    if (!ticket)
        return ApiError::notFound(QStringLiteral("There is no request with id %1.").arg(id));
    return ApiReply{TicketJson::toJson(*ticket), QHttpServerResponse::StatusCode::Ok, {}};
}

ApiResult RequestsController::list(const QUrlQuery &urlQuery)
{
    const Validated<TicketQuery> query = TicketQuery::fromUrlQuery(urlQuery);
    if (!query.isValid())
        return ApiError::invalidParameters(query.errors);
    return ApiReply{
        TicketJson::toJson(m_tickets.list(query.value)), QHttpServerResponse::StatusCode::Ok, {}};
}

std::optional<QByteArray> RequestsController::currentJson(qint64 id)
{
    const std::optional<Ticket> ticket = m_tickets.find(id);
    if (!ticket)
        return std::nullopt;
    return TicketJson::toJson(*ticket);
}
