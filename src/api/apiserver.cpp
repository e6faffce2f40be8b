#include "apiserver.h"

#include "apiguard.h"
#include "apilogging.h"
#include "classificationservice.h"
#include "database.h"
#include "draftscontroller.h"
#include "eventhub.h"
#include "eventscontroller.h"
#include "feedbackcontroller.h"
#include "healthcontroller.h"
#include "jsonkeys.h"
#include "messagescontroller.h"
#include "requestscontroller.h"
#include "statscontroller.h"
#include "storageerror.h"
#include "ticketservice.h"
#include "ticketsession.h"
#include "urlqueryreader.h"
#include "webhookscontroller.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMetaEnum>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

using Method = QHttpServerRequest::Method;
using StatusCode = QHttpServerResponse::StatusCode;

namespace {

QString methodToken(Method method)
{
    return QString::fromLatin1(QMetaEnum::fromType<Method>().valueToKey(int(method))).toUpper();
}

// RFC 9110's methods by their case-sensitive names; the other methods HTTP defines elsewhere
// (WebDAV's, say) are Unknown here, and answered 405 like any this API does not take.
Method methodFromToken(QByteArrayView token)
{
    static const std::pair<QByteArrayView, Method> kMethods[] = {
        {"GET", Method::Get},         {"HEAD", Method::Head},     {"POST", Method::Post},
        {"PUT", Method::Put},         {"DELETE", Method::Delete}, {"PATCH", Method::Patch},
        {"OPTIONS", Method::Options}, {"TRACE", Method::Trace},   {"CONNECT", Method::Connect},
    };
    for (const auto &[name, method] : kMethods) {
        if (token == name)
            return method;
    }
    return Method::Unknown;
}

bool isJsonContentType(const QByteArray &contentType)
{
    const QByteArray mediaType = contentType.split(';').first().trimmed().toLower();
    // A PATCH body is a JSON merge patch (RFC 7396): null unassigns, absent keeps.
    return mediaType == "application/json" || mediaType == "application/merge-patch+json";
}

// RFC 8259 allows no raw control character in a JSON string, and outside strings only white
// space; Qt's parser takes them inside strings, so they are looked for first. The offset, or -1.
qsizetype rawControlCharacter(const QByteArray &json)
{
    bool inString = false;
    bool escaped = false;
    for (qsizetype i = 0; i < json.size(); ++i) {
        const char c = json.at(i);
        if (static_cast<unsigned char>(c) < 0x20 &&
            (inString || (c != '\t' && c != '\n' && c != '\r'))) {
            return i;
        }
        if (escaped)
            escaped = false;
        else if (inString && c == '\\')
            escaped = true;
        else if (c == '"')
            inString = !inString;
    }
    return -1;
}

// What a body that is valid JSON but no object holds, in a client's words; empty when it is no
// valid JSON at all. Qt parses only an object or an array whole, so a lone value is read as the
// one element of an array around it.
QString nonObjectJson(const QByteArray &body)
{
    const QJsonDocument wrapped = QJsonDocument::fromJson('[' + body + ']');
    if (!wrapped.isArray() || wrapped.array().size() != 1)
        return {};
    switch (wrapped.array().first().type()) {
    case QJsonValue::Array:
        return QStringLiteral("an array");
    case QJsonValue::Bool:
        return QStringLiteral("a boolean");
    case QJsonValue::Double:
        return QStringLiteral("a number");
    case QJsonValue::String:
        return QStringLiteral("a string");
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Object:
    case QJsonValue::Undefined:
        break;
    }
    return {};
}

// What customers wrote is not the log's business: a search's text is replaced by "...",
// however its name is written ("q", "%71"). The pairs stay in their order.
QByteArray redactedQuery(QByteArrayView query)
{
    QByteArray redacted;
    redacted.reserve(query.size());
    qsizetype start = 0;
    while (start <= query.size()) {
        qsizetype end = query.indexOf('&', start);
        if (end < 0)
            end = query.size();
        const QByteArrayView pair = query.sliced(start, end - start);
        const qsizetype equals = pair.indexOf('=');
        const QByteArrayView name = equals < 0 ? pair : pair.first(equals);
        if (start > 0)
            redacted += '&';
        if (QByteArray::fromPercentEncoding(name.toByteArray()) == "q") {
            redacted += name;
            redacted += "=...";
        } else {
            redacted += pair;
        }
        start = end + 1;
    }
    return redacted;
}

// HTML forms and many clients write a space in the query as '+'; QUrlQuery leaves it alone.
QUrlQuery formQuery(const HttpRequest &request)
{
    const QByteArray whole = request.query();
    QByteArrayView query = whole;
    // UrlQueryReader refuses a query of more pairs than any endpoint reads, whole. Parsing only
    // one pair past that keeps a URL of 80,000 of them from costing 80,000 strings.
    // QUrlQuery skips empty pairs ("a&&b"), so only pairs with something in them count.
    qsizetype pairs = 0;
    qsizetype pairStart = 0;
    for (qsizetype i = 0; i <= query.size(); ++i) {
        if (i < query.size() && query[i] != '&')
            continue;
        if (i > pairStart && ++pairs > UrlQueryReader::kMaxParameters + 1) {
            query = query.first(pairStart);
            break;
        }
        pairStart = i + 1;
    }
    QString raw = QString::fromLatin1(query);
    raw.replace(u'+', QLatin1String("%20"));
    return QUrlQuery(raw);
}

// RFC 7240: "Prefer: wait=10", possibly among other preferences ("respond-async, wait=10"),
// possibly over several header lines.
std::optional<int> preferredWaitSeconds(const HttpRequest &request)
{
    const QByteArray prefer = request.headerValues("Prefer").join(',');
    for (const QByteArray &preference : prefer.split(',')) {
        // RFC 7240 allows spaces around "=" and a quoted value: wait = "5".
        const QList<QByteArray> nameAndValue = preference.split(';').first().split('=');
        if (nameAndValue.size() != 2 || nameAndValue.first().trimmed().toLower() != "wait")
            continue;
        QByteArray value = nameAndValue.last().trimmed();
        if (value.size() >= 2 && value.startsWith('"') && value.endsWith('"'))
            value = value.mid(1, value.size() - 2);
        bool ok = false;
        const int seconds = value.toInt(&ok);
        if (ok && seconds >= 0)
            return std::min(seconds, ApiServer::kMaxWaitSeconds);
    }
    return std::nullopt;
}

// "/requests/7" as {"requests", "7"}; "/" as {""}.
QList<QByteArrayView> pathSegments(QByteArrayView path)
{
    QList<QByteArrayView> segments;
    qsizetype start = 1;
    for (qsizetype i = 1; i <= path.size(); ++i) {
        if (i == path.size() || path.at(i) == '/') {
            segments.append(path.sliced(start, i - start));
            start = i + 1;
        }
    }
    return segments;
}

// The endpoint path a request's path is for, and its arguments ({id}, then {message}), matched
// segment by segment on the path as sent: "%2f" inside a segment is part of it, not a
// separator, and "/requests/" or "//requests" are other paths.
std::optional<std::pair<QLatin1String, QStringList>>
matchRoute(QByteArrayView path, const QList<QLatin1String> &patterns)
{
    const QList<QByteArrayView> segments = pathSegments(path);
    for (const QLatin1String &pattern : patterns) {
        const QList<QByteArrayView> wanted =
            pathSegments(QByteArrayView(pattern.data(), pattern.size()));
        if (wanted.size() != segments.size())
            continue;
        QStringList arguments;
        bool matches = true;
        for (qsizetype i = 0; i < wanted.size() && matches; ++i) {
            if (wanted.at(i).startsWith('{') && !segments.at(i).isEmpty())
                arguments.append(QUrl::fromPercentEncoding(segments.at(i).toByteArray()));
            else if (wanted.at(i).startsWith('{'))
                matches = false;
            else
                matches = wanted.at(i) == segments.at(i);
        }
        if (matches)
            return std::pair{pattern, arguments};
    }
    return std::nullopt;
}

} // namespace

const QList<ApiServer::Endpoint> &ApiServer::endpoints()
{
    static const QList<Endpoint> table{
        {Method::Post, QLatin1String("/requests"), &ApiServer::createRequest, Scope::TicketsWrite},
        {Method::Get, QLatin1String("/requests"), &ApiServer::listRequests, Scope::TicketsRead},
        {Method::Get, QLatin1String("/requests/{id}"), &ApiServer::getRequest, Scope::TicketsRead},
        {Method::Patch, QLatin1String("/requests/{id}"), &ApiServer::changeRequest,
         Scope::TicketsWrite},
        {Method::Get, QLatin1String("/requests/{id}/history"), &ApiServer::getRequestHistory,
         Scope::TicketsRead},
        {Method::Get, QLatin1String("/requests/{id}/messages"), &ApiServer::listMessages,
         Scope::TicketsRead},
        {Method::Post, QLatin1String("/requests/{id}/messages"), &ApiServer::addMessage,
         Scope::RepliesWrite},
        {Method::Patch, QLatin1String("/requests/{id}/messages/{message}"),
         &ApiServer::setMessageDelivery, Scope::RepliesWrite},
        {Method::Get, QLatin1String("/replies"), &ApiServer::listReplies, Scope::RepliesWrite},
        {Method::Post, QLatin1String("/requests/{id}/draft"), &ApiServer::draftReply,
         Scope::RepliesWrite},
        {Method::Get, QLatin1String("/requests/{id}/feedback"), &ApiServer::getFeedback,
         Scope::TicketsRead},
        {Method::Post, QLatin1String("/requests/{id}/feedback"), &ApiServer::recordFeedback,
         Scope::FeedbackWrite},
        {Method::Get, QLatin1String("/stats"), &ApiServer::getStats, Scope::StatsRead},
        {Method::Get, QLatin1String("/events"), &ApiServer::getEvents, Scope::EventsRead},
        {Method::Get, QLatin1String("/webhooks"), &ApiServer::listWebhooks, Scope::WebhooksManage},
        {Method::Post, QLatin1String("/webhooks"), &ApiServer::addWebhook, Scope::WebhooksManage},
        {Method::Get, QLatin1String("/webhooks/{id}"), &ApiServer::getWebhook,
         Scope::WebhooksManage},
        {Method::Delete, QLatin1String("/webhooks/{id}"), &ApiServer::removeWebhook,
         Scope::WebhooksManage},
        {Method::Get, QLatin1String("/webhooks/{id}/deliveries"), &ApiServer::listWebhookDeliveries,
         Scope::WebhooksManage},
        {Method::Get, QLatin1String("/health"), &ApiServer::getHealth, std::nullopt},
        {Method::Get, QLatin1String("/health/detail"), &ApiServer::getHealthDetail,
         Scope::StatsRead},
        {Method::Get, QLatin1String("/openapi.json"), &ApiServer::getOpenApi, std::nullopt},
    };
    return table;
}

QList<ApiServer::Route> ApiServer::routes()
{
    QList<Route> result;
    for (const Endpoint &endpoint : endpoints())
        result.append({endpoint.method, endpoint.path, endpoint.scope});
    return result;
}

ApiServer::ApiServer(TicketService &tickets, std::shared_ptr<ApiGuard> guard, QObject *parent)
    : QObject(parent)
    , m_tickets(tickets)
    , m_guard(std::move(guard))
{
    if (ClassificationService *classification = m_tickets.classification()) {
        connect(classification, &ClassificationService::classificationsStored, this,
                &ApiServer::answerWaiters);
        connect(classification, &ClassificationService::classificationsFailed, this,
                &ApiServer::answerWaiters);
    }
    QFile document(QStringLiteral(":/api/openapi.json"));
    if (document.open(QIODevice::ReadOnly))
        m_openApi = document.readAll();
}

ApiServer::~ApiServer()
{
    closeSession();
}

void ApiServer::setConnectionLimits(std::shared_ptr<ConnectionLimiter> limiter,
                                    const HttpRequestParser::Limits &framing,
                                    const HttpConnection::Timeouts &timeouts)
{
    m_connections = std::move(limiter);
    m_limits = framing;
    m_timeouts = timeouts;
}

bool ApiServer::serve(qintptr listeningSocket, std::shared_ptr<BalancedTcpServer::Ring> ring)
{
    try {
        openSession();
    } catch (const StorageError &error) {
        m_errorString = error.message();
        return false;
    }
    m_health = std::make_unique<HealthController>(m_tickets.database(), m_tickets.classification());

    auto *tcpServer = new BalancedTcpServer(std::move(ring), this);
    if (!tcpServer->setSocketDescriptor(listeningSocket)) {
        m_errorString = tcpServer->errorString();
        return false;
    }
    // A TLS connection is pending once its handshake is done; a plain one at once.
    const auto takePending = [this, tcpServer] {
        while (QTcpSocket *socket = tcpServer->nextPendingConnection())
            accept(socket);
    };
    connect(tcpServer, &QTcpServer::pendingConnectionAvailable, this, takePending);
    connect(tcpServer, &QTcpServer::newConnection, this, takePending);
    return true;
}

void ApiServer::accept(QTcpSocket *socket)
{
    auto *connection = new HttpConnection(
        socket, m_limits, m_timeouts,
        [this](HttpRequest &&request, HttpResponder &&responder) {
            serve(std::move(request), std::move(responder));
        },
        [](int status, const QString &message) {
            return toResponse(ApiError::forStatus(status, message));
        },
        this);
    if (!m_connections)
        return;
    const QHostAddress peer = socket->peerAddress();
    auto admitted = m_connections->admit(peer, !m_guard->isTrustedProxy(peer));
    if (const auto *refusal = std::get_if<ConnectionLimiter::Refusal>(&admitted)) {
        qCDebug(lcApi).noquote() << "Refused a connection from" << peer.toString() << ":"
                                 << refusal->message;
        connection->refuseAtOnce(refusal->status, refusal->message);
        return;
    }
    // The limiter too, for the slot to return to: connections outlive this server's members.
    struct Held
    {
        std::shared_ptr<ConnectionLimiter> limiter;
        ConnectionLimiter::Slot slot;
    };
    connection->keepUntilClosed(std::make_shared<Held>(
        Held{m_connections, std::get<ConnectionLimiter::Slot>(std::move(admitted))}));
}

HttpResponse ApiServer::toResponse(ApiResult &&result)
{
    HttpResponse response;
    if (auto *error = std::get_if<ApiError>(&result)) {
        response = error->toResponse();
    } else {
        auto &reply = std::get<ApiReply>(result);
        response.status = int(reply.status);
        // A stream's headers name its own type.
        if (reply.status != StatusCode::NoContent && !reply.stream) {
            response.headers.append(
                {QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json")});
            response.body = std::move(reply.body);
        }
        response.headers.append(reply.headers);
    }
    // Ticket text is user input: a browser must never guess it is HTML.
    response.headers.append(
        {QByteArrayLiteral("X-Content-Type-Options"), QByteArrayLiteral("nosniff")});
    return response;
}

void ApiServer::serve(HttpRequest &&request, HttpResponder &&responder)
{
    QElapsedTimer timer;
    timer.start();
    // The request line is built only when someone reads it: this runs for every request.
    const QByteArray line = m_accessLog ? requestLine(request) : QByteArray();
    static const QList<QLatin1String> patterns = [] {
        QList<QLatin1String> paths;
        for (const Endpoint &endpoint : endpoints()) {
            if (!paths.contains(endpoint.path))
                paths.append(endpoint.path);
        }
        return paths;
    }();
    const auto route = matchRoute(request.path(), patterns);
    if (!route) {
        const ApiError error = m_guard->admit(request, m_guard->clientAddress(request))
                                   .value_or(ApiError::notFound(
                                       QStringLiteral("There is no resource at %1.")
                                           .arg(QString::fromLatin1(request.path().left(200)))));
        respond(error, std::nullopt, std::move(responder), line, timer);
        return;
    }
    ApiResult result = dispatch(request, route->first, route->second);
    addCorsHeaders(request, result);
    const std::optional<int> waitSeconds = methodFromToken(request.method) == Method::Post
                                               ? preferredWaitSeconds(request)
                                               : std::nullopt;
    auto *reply = std::get_if<ApiReply>(&result);
    if (!reply || !reply->storing) {
        respond(std::move(result), waitSeconds, std::move(responder), line, timer);
        return;
    }
    // The ticket is in the writer's next batch: answer once it is committed, on this thread.
    auto waiting = std::make_shared<HttpResponder>(std::move(responder));
    // What the edge added (rate limits, CORS) belongs to the answer whatever storing says.
    reply->storing->then(
        this, [this, waiting, waitSeconds, line, timer, edgeHeaders = std::move(reply->headers)](
                  const TicketRepository::IdempotentCreate &created) {
            ApiResult stored;
            try {
                stored = RequestsController::stored(created);
            } catch (const StorageError &error) {
                qCWarning(lcApi) << "Request failed:" << error.message();
                stored = ApiError::internal();
            }
            if (auto *storedReply = std::get_if<ApiReply>(&stored))
                storedReply->headers.append(edgeHeaders);
            else
                std::get<ApiError>(stored).headers.append(edgeHeaders);
            // A client that left has nobody to answer; its ticket is stored.
            if (waiting->isGone())
                return;
            respond(std::move(stored), waitSeconds, std::move(*waiting), line, timer);
        });
}

void ApiServer::respond(ApiResult &&result, std::optional<int> waitSeconds,
                        HttpResponder &&responder, const QByteArray &requestLine,
                        const QElapsedTimer &timer)
{
    if (auto *error = std::get_if<ApiError>(&result); error && error->delay.count() > 0) {
        const std::chrono::milliseconds delay = std::exchange(error->delay, {});
        auto delayed = std::make_shared<HttpResponder>(std::move(responder));
        QTimer::singleShot(
            delay, this, [this, delayed, error = std::move(*error), requestLine, timer]() mutable {
                if (delayed->isGone())
                    return;
                respond(std::move(error), std::nullopt, std::move(*delayed), requestLine, timer);
            });
        return;
    }
    auto *reply = std::get_if<ApiReply>(&result);
    if (reply && reply->pendingClassification != 0 && waitSeconds && m_tickets.classification()) {
        reply->headers.append(
            {QByteArrayLiteral("Preference-Applied"), "wait=" + QByteArray::number(*waitSeconds)});
        if (*waitSeconds > 0) {
            const qint64 ticketId = reply->pendingClassification;
            auto waiter = std::make_shared<Waiter>(
                Waiter{std::move(responder), std::move(*reply), requestLine, timer});
            m_waiters.insert(ticketId, waiter);
            QTimer::singleShot(std::chrono::seconds(*waitSeconds), this,
                               [this, ticketId, weak = std::weak_ptr(waiter)] {
                                   if (const std::shared_ptr<Waiter> waiting = weak.lock())
                                       answerWaiter(ticketId, waiting);
                               });
            return;
        }
    }
    if (reply && reply->stream) {
        HttpResponse head = toResponse(std::move(result));
        const auto writeBody = std::exchange(reply->stream, {});
        logRequest(requestLine, head, timer);
        // Even to a client that has gone: the writer lets go of what it holds for it.
        writeBody(responder.startStream(std::move(head)), this);
        return;
    }
    HttpResponse response = toResponse(std::move(result));
    logRequest(requestLine, response, timer);
    responder.respond(std::move(response));
}

void ApiServer::answerAllWaiters()
{
    const QList<qint64> ticketIds = m_waiters.uniqueKeys();
    answerWaiters(ticketIds);
}

void ApiServer::answerWaiters(const QList<qint64> &ticketIds)
{
    // Every API thread hears about every stored result; most have nobody waiting.
    if (m_waiters.isEmpty())
        return;
    for (qint64 ticketId : ticketIds) {
        const QList<std::shared_ptr<Waiter>> waiters = m_waiters.values(ticketId);
        for (const std::shared_ptr<Waiter> &waiter : waiters)
            answerWaiter(ticketId, waiter);
    }
}

void ApiServer::answerWaiter(qint64 ticketId, const std::shared_ptr<Waiter> &waiter)
{
    m_waiters.remove(ticketId, waiter);
    // The client gave up and its connection is gone.
    if (waiter->responder.isGone())
        return;
    ApiReply reply = std::move(waiter->reply);
    try {
        if (!m_session)
            openSession();
        if (const std::optional<Ticket> current = m_requests->current(ticketId)) {
            const ApiReply now = RequestsController::ticketReply(*current);
            reply.body = now.body;
            // The classification changed the ticket's version, and so its ETag.
            for (auto &[name, value] : reply.headers) {
                if (name == "ETag")
                    value = RequestsController::entityTag(*current);
            }
        }
    } catch (const StorageError &error) {
        // The ticket is stored; answering with it as submitted beats failing the request.
        qCWarning(lcApi) << "Could not re-read ticket" << ticketId << error.message();
    }
    HttpResponse response = toResponse(std::move(reply));
    logRequest(waiter->requestLine, response, waiter->timer);
    waiter->responder.respond(std::move(response));
}

void ApiServer::addCorsHeaders(const HttpRequest &request, ApiResult &result) const
{
    const CorsPolicy &cors = m_guard->cors();
    if (cors.isEmpty())
        return;
    const QByteArray origin = request.header("Origin");
    if (origin.isEmpty())
        return;
    auto &headers = std::holds_alternative<ApiReply>(result) ? std::get<ApiReply>(result).headers
                                                             : std::get<ApiError>(result).headers;
    QByteArray allowed;
    for (const auto &[name, value] : std::as_const(headers)) {
        if (name == "Allow")
            allowed = value;
    }
    // A preflight is the OPTIONS answer, which lists the path's methods in Allow.
    headers.append(methodFromToken(request.method) == Method::Options && !allowed.isEmpty()
                       ? cors.preflightHeaders(origin, allowed)
                       : cors.responseHeaders(origin));
}

ApiResult ApiServer::dispatch(const HttpRequest &request, QLatin1String path,
                              const QStringList &pathArguments)
{
    // Checks that hold for every endpoint come before any handler runs.
    const QHostAddress client = m_guard->clientAddress(request);
    if (std::optional<ApiError> refused = m_guard->admit(request, client))
        return *std::move(refused);

    const Method method = methodFromToken(request.method);
    // HEAD is GET without the body, which the connection leaves out.
    const Method served = method == Method::Head ? Method::Get : method;
    const Endpoint *endpoint = nullptr;
    for (const Endpoint &candidate : endpoints()) {
        if (candidate.path == path && candidate.method == served)
            endpoint = &candidate;
    }
    if (!endpoint) {
        QStringList allowed;
        for (const Endpoint &candidate : endpoints()) {
            if (candidate.path != path)
                continue;
            allowed.append(methodToken(candidate.method));
            if (candidate.method == Method::Get)
                allowed.append(QStringLiteral("HEAD"));
        }
        allowed.append(QStringLiteral("OPTIONS"));
        if (method == Method::Options) {
            return ApiReply{
                {},
                StatusCode::NoContent,
                {{QByteArrayLiteral("Allow"), allowed.join(QLatin1String(", ")).toLatin1()}}};
        }
        return ApiError{ApiError::Kind::MethodNotAllowed,
                        QStringLiteral("%1 is not allowed on %2; use %3.")
                            .arg(QString::fromLatin1(request.method), QString(path),
                                 allowed.join(QLatin1String(", "))),
                        {},
                        allowed,
                        {},
                        {}};
    }

    Call call{request,
              pathArguments.value(0),
              pathArguments.value(1),
              {},
              Actor::system(QStringLiteral("anonymous")),
              {}};
    QList<std::pair<QByteArray, QByteArray>> rateLimitHeaders;
    if (endpoint->scope) {
        try {
            auto authorized = m_guard->authorize(request, client, *endpoint->scope);
            if (auto *error = std::get_if<ApiError>(&authorized))
                return std::move(*error);
            auto &[actor, scopes, headers] = std::get<ApiGuard::Authorized>(authorized);
            call.actor = std::move(actor);
            call.scopes = scopes;
            rateLimitHeaders = std::move(headers);
        } catch (const StorageError &error) {
            qCWarning(lcApi) << "Could not check a token:" << error.message();
            // Fail closed: a credential that cannot be checked is not accepted.
            return ApiError::make(ApiError::Kind::Unavailable,
                                  QStringLiteral("Credentials cannot be checked right now; try "
                                                 "again shortly."));
        }
    }
    if (method == Method::Post || method == Method::Patch) {
        if (!isJsonContentType(request.header("Content-Type"))) {
            return ApiError::make(ApiError::Kind::UnsupportedMediaType,
                                  QStringLiteral("Send the body as application/json."));
        }
        if (const qsizetype offset = rawControlCharacter(request.body); offset >= 0) {
            return ApiError::make(ApiError::Kind::MalformedJson,
                                  QStringLiteral("The body is not valid JSON: a raw control "
                                                 "character at offset %1; write it escaped, as "
                                                 "\\u%2.")
                                      .arg(offset)
                                      .arg(int(request.body.at(offset)), 4, 16, QLatin1Char('0')));
        }
        QJsonParseError parseError;
        const QJsonDocument document = QJsonDocument::fromJson(request.body, &parseError);
        if (document.isObject()) {
            call.json = document.object();
        } else if (const QString held = nonObjectJson(request.body); !held.isEmpty()) {
            return ApiError::make(
                ApiError::Kind::ValidationFailed,
                QStringLiteral("The body must be a JSON object, not %1.").arg(held));
        } else {
            return ApiError::make(ApiError::Kind::MalformedJson,
                                  QStringLiteral("The body is not valid JSON: %1 at offset %2.")
                                      .arg(parseError.errorString())
                                      .arg(parseError.offset));
        }
    }

    // A server that dropped this thread's connection (a restart, a failover) costs the request
    // that noticed it one more try on a new connection; reads are safe to repeat.
    for (int attempt = 1;; ++attempt) {
        try {
            if (!m_session)
                openSession();
            ApiResult result = (this->*endpoint->handler)(call);
            if (auto *reply = std::get_if<ApiReply>(&result))
                reply->headers.append(rateLimitHeaders);
            return result;
        } catch (const StorageError &error) {
            // The reason goes to the log, never to the client.
            qCWarning(lcApi) << "Request failed:" << error.message();
            if (m_session && !m_tickets.database().isThreadConnectionLost())
                return ApiError::internal();
            closeSession();
            if (attempt == 2 || served != Method::Get)
                return ApiError::make(
                    ApiError::Kind::Unavailable,
                    QStringLiteral("The database is unreachable; try again shortly."));
        }
    }
}

void ApiServer::openSession()
{
    m_session = m_tickets.openSession();
    m_requests = std::make_unique<RequestsController>(*m_session);
    m_messages = std::make_unique<MessagesController>(*m_session);
    m_feedback = std::make_unique<FeedbackController>(*m_session);
    m_drafts = std::make_unique<DraftsController>(*m_session, m_tickets);
    m_eventHub = std::make_unique<EventHub>(m_tickets, *m_session);
    m_events = std::make_unique<EventsController>(*m_eventHub);
    m_stats = std::make_unique<StatsController>(*m_session);
    m_webhooks = std::make_unique<WebhooksController>(m_tickets);
}

void ApiServer::closeSession()
{
    m_requests.reset();
    m_messages.reset();
    m_feedback.reset();
    m_drafts.reset();
    m_events.reset();
    m_eventHub.reset();
    m_stats.reset();
    m_webhooks.reset();
    m_session.reset();
    m_tickets.database().closeThreadConnection();
}

QByteArray ApiServer::requestLine(const HttpRequest &request) const
{
    // The same few clients send request after request: their address is written out once.
    thread_local QHostAddress lastClient;
    thread_local QByteArray lastClientText;
    if (const QHostAddress client = m_guard->clientAddress(request); client != lastClient) {
        lastClient = client;
        lastClientText = client.toString().toLatin1();
    }
    QByteArray line = lastClientText + ' ' + request.method + ' ' + request.path();
    // A URL can be configured up to a megabyte; a log line that long helps nobody read the log.
    constexpr qsizetype kLongestLine = 2048;
    const QByteArray query = request.query();
    if (!query.isEmpty())
        line +=
            '?' + redactedQuery(QByteArrayView(query).first(std::min(query.size(), kLongestLine)));
    if (line.size() > kLongestLine) {
        line.truncate(kLongestLine);
        line += "...";
    }
    return line;
}

void ApiServer::logRequest(const QByteArray &requestLine, const HttpResponse &response,
                           const QElapsedTimer &timer)
{
    if (m_requestCounter)
        m_requestCounter->fetch_add(1, std::memory_order_relaxed);
    if (!m_accessLog)
        return;
    // Milliseconds with two decimals, from whole hundredths: no floating-point formatting.
    const qint64 hundredths = timer.nsecsElapsed() / 10'000;
    const int fraction = int(hundredths % 100);
    const QByteArray line = requestLine + ' ' + QByteArray::number(response.status) + ' ' +
                            QByteArray::number(response.body.size()) + "B " +
                            QByteArray::number(hundredths / 100) + '.' + char('0' + fraction / 10) +
                            char('0' + fraction % 10) + "ms";
    m_accessLog->append(line);
}

ApiResult ApiServer::createRequest(const Call &call)
{
    const QByteArray idempotencyKey = call.request.header("Idempotency-Key");
    auto prepared = RequestsController::prepareCreate(call.json, idempotencyKey, call.actor.name);
    if (auto *error = std::get_if<ApiError>(&prepared))
        return std::move(*error);
    ApiReply reply;
    reply.storing =
        m_tickets.submit(std::move(std::get<TicketRepository::NewTicket>(prepared)), call.actor);
    return reply;
}

ApiResult ApiServer::getRequest(const Call &call)
{
    return m_requests->get(call.pathArgument);
}

ApiResult ApiServer::changeRequest(const Call &call)
{
    return m_requests->change(call.pathArgument, call.json, call.request.header("If-Match"),
                              call.actor);
}

ApiResult ApiServer::getRequestHistory(const Call &call)
{
    return m_requests->history(call.pathArgument);
}

ApiResult ApiServer::listMessages(const Call &call)
{
    // Internal notes are the team's: a token that may only read tickets (a customer portal, a
    // dashboard) sees what the customer sees.
    return m_messages->list(call.pathArgument, call.scopes.testFlag(Scope::RepliesWrite));
}

ApiResult ApiServer::addMessage(const Call &call)
{
    // Relaying mail must not be a way around the scope that changes tickets.
    if (call.json.contains(JsonKey::status) && !call.scopes.testFlag(Scope::TicketsWrite))
        return ApiGuard::lacksScope(call.actor.name, Scope::TicketsWrite);
    return m_messages->add(call.pathArgument, call.json, call.request.header("Idempotency-Key"),
                           call.actor);
}

ApiResult ApiServer::setMessageDelivery(const Call &call)
{
    return m_messages->setDelivery(call.pathArgument, call.messageArgument, call.json, call.actor);
}

ApiResult ApiServer::listReplies(const Call &call)
{
    // The replies come with whom they answer, which is reading tickets.
    if (!call.scopes.testFlag(Scope::TicketsRead))
        return ApiGuard::lacksScope(call.actor.name, Scope::TicketsRead);
    return m_messages->listReplies(formQuery(call.request));
}

ApiResult ApiServer::draftReply(const Call &call)
{
    // A draft shows the ticket and the replies of others like it.
    if (!call.scopes.testFlag(Scope::TicketsRead))
        return ApiGuard::lacksScope(call.actor.name, Scope::TicketsRead);
    return m_drafts->draft(call.pathArgument, call.json, call.actor);
}

ApiResult ApiServer::getFeedback(const Call &call)
{
    return m_feedback->get(call.pathArgument);
}

ApiResult ApiServer::recordFeedback(const Call &call)
{
    return m_feedback->record(call.pathArgument, call.json, call.actor);
}

ApiResult ApiServer::listRequests(const Call &call)
{
    return m_requests->list(formQuery(call.request));
}

ApiResult ApiServer::getEvents(const Call &call)
{
    return m_events->subscribe(formQuery(call.request), call.request.header("Last-Event-ID"),
                               call.scopes);
}

ApiResult ApiServer::listWebhooks(const Call &)
{
    return m_webhooks->list();
}

ApiResult ApiServer::addWebhook(const Call &call)
{
    return m_webhooks->add(call.json, call.actor);
}

ApiResult ApiServer::getWebhook(const Call &call)
{
    return m_webhooks->get(call.pathArgument);
}

ApiResult ApiServer::removeWebhook(const Call &call)
{
    return m_webhooks->remove(call.pathArgument, call.actor);
}

ApiResult ApiServer::listWebhookDeliveries(const Call &call)
{
    return m_webhooks->deliveries(call.pathArgument, formQuery(call.request));
}

ApiResult ApiServer::getStats(const Call &call)
{
    return m_stats->get(formQuery(call.request), QDateTime::currentDateTimeUtc());
}

ApiResult ApiServer::getHealth(const Call &)
{
    return m_health->get();
}

ApiResult ApiServer::getHealthDetail(const Call &)
{
    return m_health->detail();
}

ApiResult ApiServer::getOpenApi(const Call &)
{
    if (m_openApi.isEmpty())
        return ApiError::internal();
    return ApiReply{m_openApi, StatusCode::Ok, {}};
}
