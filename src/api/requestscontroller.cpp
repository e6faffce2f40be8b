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
            {{QByteArrayLiteral("Location"), location},
             {QByteArrayLiteral("ETag"), RequestsController::entityTag(ticket)}},
            ticket.classificationState() == ClassificationState::Pending ? ticket.id : 0};
}

std::optional<qint64> RequestsController::ticketId(const QString &id)
{
    bool ok = false;
    const qint64 value = id.toLongLong(&ok);
    if (ok && value > 0 && QString::number(value) == id)
        return value;
    return std::nullopt;
}

ApiError RequestsController::unknownTicket(const QString &id)
{
    return ApiError::notFound(QStringLiteral("There is no request with id %1.").arg(id));
}

QByteArray RequestsController::entityTag(const Ticket &ticket)
{
    return '"' + QByteArray::number(ticket.version) + '"';
}

ApiReply RequestsController::ticketReply(const Ticket &ticket)
{
    return ApiReply{TicketJson::toJson(ticket),
                    QHttpServerResponse::StatusCode::Ok,
                    {{QByteArrayLiteral("ETag"), entityTag(ticket)}}};
}

std::variant<std::optional<qint64>, ApiError>
RequestsController::expectedVersion(const QByteArray &ifMatch)
{
    if (ifMatch.isNull())
        return std::optional<qint64>();
    const QByteArray trimmed = ifMatch.trimmed();
    // "Any current representation": the ticket must exist, whatever its version.
    if (trimmed == "*")
        return std::optional<qint64>();
    // Strong comparison (RFC 9110, 13.1.1): a weak tag never matches, which a version no
    // ticket has says. A client names the one version it read; a list is refused as unclear.
    if (trimmed.startsWith("W/\""))
        return std::optional<qint64>(0);
    bool ok = false;
    qint64 version = 0;
    if (trimmed.size() > 2 && trimmed.startsWith('"') && trimmed.endsWith('"'))
        version = trimmed.mid(1, trimmed.size() - 2).toLongLong(&ok);
    if (!ok || version < 1) {
        return ApiError::invalidParameters(
            {{QStringLiteral("If-Match"),
              QStringLiteral("must be the ETag of the ticket as last read, such as \"3\"")}});
    }
    return std::optional<qint64>(version);
}

ApiResult RequestsController::change(const QString &id, const QJsonObject &body,
                                     const QByteArray &ifMatch, const Actor &actor)
{
    const std::optional<qint64> ticket = ticketId(id);
    if (!ticket)
        return unknownTicket(id);
    auto expected = expectedVersion(ifMatch);
    if (auto *error = std::get_if<ApiError>(&expected))
        return std::move(*error);
    const Validated<TicketChange> parsed = TicketJson::changeFromJson(body);
    if (!parsed.isValid())
        return ApiError::validationFailed(parsed.errors);

    const TicketSession::Changed changed =
        m_tickets.change(*ticket, parsed.value, actor, std::get<std::optional<qint64>>(expected));
    switch (changed.problem) {
    case TicketSession::Problem::None:
        break;
    case TicketSession::Problem::NotFound:
        return unknownTicket(id);
    case TicketSession::Problem::Stale: {
        ApiError error = ApiError::make(
            ApiError::Kind::PreconditionFailed,
            QStringLiteral("Someone changed the ticket since you read it; read it again and "
                           "decide on what it says now."));
        if (changed.ticket)
            error.headers.append({QByteArrayLiteral("ETag"), entityTag(*changed.ticket)});
        return error;
    }
    case TicketSession::Problem::UnknownAssignee:
        return ApiError::validationFailed(
            {{QStringLiteral("assignee"), QStringLiteral("is not a user")}});
    case TicketSession::Problem::DisabledAssignee:
        return ApiError::validationFailed(
            {{QStringLiteral("assignee"), QStringLiteral("is a disabled user")}});
    }
    if (!changed.ticket)
        return unknownTicket(id);
    return ticketReply(*changed.ticket);
}

ApiResult RequestsController::history(const QString &id)
{
    const std::optional<qint64> ticketIdValue = ticketId(id);
    std::optional<Ticket> ticket;
    if (ticketIdValue)
        ticket = m_tickets.find(*ticketIdValue);
    if (!ticket)
        return unknownTicket(id);
    return ApiReply{TicketJson::historyToJson(*ticket, m_tickets.history(ticket->id)),
                    QHttpServerResponse::StatusCode::Ok,
                    {}};
}

RequestsController::RequestsController(TicketSession &tickets)
    : m_tickets(tickets)
{}

std::variant<ApiError, TicketRepository::NewTicket>
RequestsController::prepareCreate(const QJsonObject &body, const QByteArray &idempotencyKeyHeader,
                                  const QString &keyOwner)
{
    // Hash the parsed request, not its bytes, so whitespace or key order does not matter.
    auto key = idempotencyKey(idempotencyKeyHeader, keyOwner,
                              QJsonDocument(body).toJson(QJsonDocument::Compact));
    if (auto *error = std::get_if<ApiError>(&key))
        return std::move(*error);
    const Validated<TicketDraft> draft = TicketJson::draftFromJson(body, TicketSource::Api);
    if (!draft.isValid())
        return ApiError::validationFailed(draft.errors);
    TicketRepository::NewTicket ticket{draft.value, {}, {}};
    if (const auto &given = std::get<std::optional<IdempotencyKey>>(key)) {
        ticket.idempotencyKey = given->key;
        ticket.requestHash = given->requestHash;
    }
    return ticket;
}

std::variant<ApiError, std::optional<RequestsController::IdempotencyKey>>
RequestsController::idempotencyKey(const QByteArray &header, const QString &keyOwner,
                                   const QByteArray &request)
{
    if (header.isNull())
        return std::nullopt;
    if (!isValidIdempotencyKey(header)) {
        return ApiError::invalidParameters(
            {{QStringLiteral("Idempotency-Key"),
              QStringLiteral("must be 1 to %1 printable ASCII characters")
                  .arg(kMaxIdempotencyKeyLength)}});
    }
    // Keys are the sender's own: another token's identical key is another request. Token names
    // hold no colon, so no two owners' keys can meet.
    return IdempotencyKey{keyOwner + u':' + QString::fromLatin1(header),
                          QCryptographicHash::hash(request, QCryptographicHash::Sha256).toHex()};
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
    std::optional<Ticket> ticket;
    if (const std::optional<qint64> value = ticketId(id))
        ticket = m_tickets.find(*value);
    if (!ticket)
        return unknownTicket(id);
    return ticketReply(*ticket);
}

ApiResult RequestsController::list(const QUrlQuery &urlQuery)
{
    const Validated<TicketQuery> query = TicketQuery::fromUrlQuery(urlQuery);
    if (!query.isValid())
        return ApiError::invalidParameters(query.errors);
    return ApiReply{
        TicketJson::toJson(m_tickets.list(query.value)), QHttpServerResponse::StatusCode::Ok, {}};
}

std::optional<Ticket> RequestsController::current(qint64 id)
{
    return m_tickets.find(id);
}
