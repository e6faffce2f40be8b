#include "apiserver.h"

#include "apiguard.h"
#include "apilogging.h"
#include "classificationservice.h"
#include "database.h"
#include "healthcontroller.h"
#include "requestscontroller.h"
#include "statscontroller.h"
#include "storageerror.h"
#include "ticketservice.h"
#include "ticketsession.h"

#include <QElapsedTimer>
#include <QFile>
#include <QHttpServer>
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

bool isJsonContentType(const QByteArray &contentType)
{
    const QByteArray mediaType = contentType.split(';').first().trimmed().toLower();
    // A PATCH body is a JSON merge patch (RFC 7396): null unassigns, absent keeps.
    return mediaType == "application/json" || mediaType == "application/merge-patch+json";
}

// A header's value: null when the request has none, empty (not null) when it has an empty one,
// which for some headers is an error rather than an absence.
QByteArray headerValue(const QHttpServerRequest &request, QByteArrayView name)
{
    for (const auto &[headerName, value] : request.headers()) {
        if (headerName.compare(name, Qt::CaseInsensitive) == 0)
            return value.isNull() ? QByteArray("") : value;
    }
    return {};
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

// HTML forms and many clients write a space in the query as '+'; QUrlQuery leaves it alone.
QUrlQuery formQuery(const QHttpServerRequest &request)
{
    QString raw = request.url().query(QUrl::FullyEncoded);
    raw.replace(u'+', QLatin1String("%20"));
    return QUrlQuery(raw);
}

// RFC 7240: "Prefer: wait=10", possibly among other preferences ("respond-async, wait=10").
std::optional<int> preferredWaitSeconds(const QHttpServerRequest &request)
{
    const QByteArray prefer = request.value(QByteArrayLiteral("Prefer"));
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
        {Method::Get, QLatin1String("/stats"), &ApiServer::getStats, Scope::StatsRead},
        {Method::Get, QLatin1String("/health"), &ApiServer::getHealth, std::nullopt},
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
    , m_http(new QHttpServer(this))
{
    if (ClassificationService *classification = m_tickets.classification()) {
        connect(classification, &ClassificationService::classificationsStored, this,
                &ApiServer::answerWaiters);
        connect(classification, &ClassificationService::classificationsFailed, this,
                &ApiServer::answerWaiters);
    }
    QStringList registered;
    for (const Endpoint &endpoint : endpoints()) {
        const QLatin1String path = endpoint.path;
        if (registered.contains(path))
            continue;
        registered.append(path);
        // Every answer goes through a responder, so that one may follow later: a commit, a
        // classification, or the delay of a refused credential.
        if (path.contains(QLatin1String("{id}"))) {
            QString pattern = path;
            pattern.replace(QLatin1String("{id}"), QLatin1String("<arg>"));
            m_http->route(pattern, Method::AnyKnown,
                          [this, path](const QString &argument, const QHttpServerRequest &request,
                                       QHttpServerResponder &&responder) {
                              serve(request, path, argument, std::move(responder));
                          });
        } else {
            m_http->route(
                path, Method::AnyKnown,
                [this, path](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
                    serve(request, path, QString(), std::move(responder));
                });
        }
    }
    m_http->setMissingHandler(
        [this](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
            QElapsedTimer timer;
            timer.start();
            const ApiError error =
                m_guard->admit(request, m_guard->clientAddress(request))
                    .value_or(ApiError::notFound(
                        QStringLiteral("There is no resource at %1.").arg(request.url().path())));
            const QHttpServerResponse response = error.toResponse();
            responder.write(
                response.data(),
                {{QByteArrayLiteral("Content-Type"), response.mimeType()},
                 {QByteArrayLiteral("X-Content-Type-Options"), QByteArrayLiteral("nosniff")}},
                response.statusCode());
            logRequest(request, response, timer);
        });

    QFile document(QStringLiteral(":/api/openapi.json"));
    if (document.open(QIODevice::ReadOnly))
        m_openApi = document.readAll();
}

ApiServer::~ApiServer()
{
    closeSession();
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
    m_http->bind(tcpServer);
    return true;
}

QHttpServerResponse ApiServer::toResponse(ApiResult &&result)
{
    QHttpServerResponse response(StatusCode::NoContent);
    if (auto *error = std::get_if<ApiError>(&result)) {
        response = error->toResponse();
    } else {
        auto &reply = std::get<ApiReply>(result);
        if (reply.status != StatusCode::NoContent)
            response = QHttpServerResponse(QByteArrayLiteral("application/json"),
                                           std::move(reply.body), reply.status);
        for (auto &[name, value] : reply.headers)
            response.setHeader(name, value);
    }
    // Ticket text is user input: a browser must never guess it is HTML.
    response.setHeader(QByteArrayLiteral("X-Content-Type-Options"), QByteArrayLiteral("nosniff"));
    return response;
}

void ApiServer::serve(const QHttpServerRequest &request, QLatin1String path,
                      const QString &pathArgument, QHttpServerResponder &&responder)
{
    QElapsedTimer timer;
    timer.start();
    ApiResult result = dispatch(request, path, pathArgument);
    addCorsHeaders(request, result);
    const std::optional<int> waitSeconds =
        request.method() == Method::Post ? preferredWaitSeconds(request) : std::nullopt;
    // The request is gone once this returns; a later answer logs this line instead.
    const QString line = lcApiRequests().isInfoEnabled() ? requestLine(request) : QString();
    auto *reply = std::get_if<ApiReply>(&result);
    if (!reply || !reply->storing) {
        respond(std::move(result), waitSeconds, std::move(responder), line, timer);
        return;
    }
    // The ticket is in the writer's next batch: answer once it is committed, on this thread.
    auto waiting = std::make_shared<QHttpServerResponder>(std::move(responder));
    const QPointer<QTcpSocket> socket = waiting->socket();
    // What the edge added (rate limits, CORS) belongs to the answer whatever storing says.
    reply->storing->then(this, [this, waiting, socket, waitSeconds, line, timer,
                                edgeHeaders = std::move(reply->headers)](
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
        // A client that left has no socket to answer on; its ticket is stored.
        if (!socket)
            return;
        respond(std::move(stored), waitSeconds, std::move(*waiting), line, timer);
        socket->flush();
    });
}

void ApiServer::respond(ApiResult &&result, std::optional<int> waitSeconds,
                        QHttpServerResponder &&responder, const QString &requestLine,
                        const QElapsedTimer &timer)
{
    if (auto *error = std::get_if<ApiError>(&result); error && error->delay.count() > 0) {
        const std::chrono::milliseconds delay = std::exchange(error->delay, {});
        auto delayed = std::make_shared<QHttpServerResponder>(std::move(responder));
        QTimer::singleShot(delay, this,
                           [this, delayed, socket = QPointer<QTcpSocket>(delayed->socket()),
                            error = std::move(*error), requestLine, timer]() mutable {
                               if (!socket)
                                   return;
                               respond(std::move(error), std::nullopt, std::move(*delayed),
                                       requestLine, timer);
                               socket->flush();
                           });
        return;
    }
    auto *reply = std::get_if<ApiReply>(&result);
    if (reply && reply->pendingClassification != 0 && waitSeconds && m_tickets.classification()) {
        reply->headers.append(
            {QByteArrayLiteral("Preference-Applied"), "wait=" + QByteArray::number(*waitSeconds)});
        if (*waitSeconds > 0) {
            const qint64 ticketId = reply->pendingClassification;
            QTcpSocket *socket = responder.socket();
            auto waiter = std::make_shared<Waiter>(
                Waiter{std::move(responder), socket, std::move(*reply), requestLine, timer});
            m_waiters.insert(ticketId, waiter);
            QTimer::singleShot(std::chrono::seconds(*waitSeconds), this,
                               [this, ticketId, weak = std::weak_ptr(waiter)] {
                                   if (const std::shared_ptr<Waiter> waiting = weak.lock())
                                       answerWaiter(ticketId, waiting);
                               });
            return;
        }
    }
    const QHttpServerResponse response = toResponse(std::move(result));
    logRequest(requestLine, response, timer);
    response.write(std::move(responder));
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
    // The client gave up and its connection is gone; so is the responder's socket.
    if (!waiter->socket)
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
    const QHttpServerResponse response = toResponse(std::move(reply));
    logRequest(waiter->requestLine, response, waiter->timer);
    response.write(std::move(waiter->responder));
    waiter->socket->flush();
}

void ApiServer::addCorsHeaders(const QHttpServerRequest &request, ApiResult &result) const
{
    const CorsPolicy &cors = m_guard->cors();
    if (cors.isEmpty())
        return;
    const QByteArray origin = request.value(QByteArrayLiteral("Origin"));
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
    headers.append(request.method() == Method::Options && !allowed.isEmpty()
                       ? cors.preflightHeaders(origin, allowed)
                       : cors.responseHeaders(origin));
}

ApiResult ApiServer::dispatch(const QHttpServerRequest &request, QLatin1String path,
                              const QString &pathArgument)
{
    // Checks that hold for every endpoint come before any handler runs.
    const QHostAddress client = m_guard->clientAddress(request);
    if (std::optional<ApiError> refused = m_guard->admit(request, client))
        return *std::move(refused);
    if (request.body().size() > kMaxBodyBytes) {
        return ApiError::make(
            ApiError::Kind::PayloadTooLarge,
            QStringLiteral("The request body is larger than %1 KiB.").arg(kMaxBodyBytes / 1024));
    }

    const Endpoint *endpoint = nullptr;
    for (const Endpoint &candidate : endpoints()) {
        if (candidate.path == path && candidate.method == request.method())
            endpoint = &candidate;
    }
    if (!endpoint) {
        QStringList allowed;
        for (const Endpoint &candidate : endpoints()) {
            if (candidate.path == path)
                allowed.append(methodToken(candidate.method));
        }
        allowed.append(QStringLiteral("OPTIONS"));
        if (request.method() == Method::Options) {
            return ApiReply{
                {},
                StatusCode::NoContent,
                {{QByteArrayLiteral("Allow"), allowed.join(QLatin1String(", ")).toLatin1()}}};
        }
        return ApiError{ApiError::Kind::MethodNotAllowed,
                        QStringLiteral("%1 is not allowed on %2; use %3.")
                            .arg(methodToken(request.method()), QString(path),
                                 allowed.join(QLatin1String(", "))),
                        {},
                        allowed,
                        {},
                        {}};
    }

    Call call{request, pathArgument, {}, Actor::system(QStringLiteral("anonymous"))};
    QList<std::pair<QByteArray, QByteArray>> rateLimitHeaders;
    if (endpoint->scope) {
        try {
            auto authorized = m_guard->authorize(request, client, *endpoint->scope);
            if (auto *error = std::get_if<ApiError>(&authorized))
                return std::move(*error);
            auto &[actor, headers] = std::get<ApiGuard::Authorized>(authorized);
            call.actor = std::move(actor);
            rateLimitHeaders = std::move(headers);
        } catch (const StorageError &error) {
            qCWarning(lcApi) << "Could not check a token:" << error.message();
            // Fail closed: a credential that cannot be checked is not accepted.
            return ApiError::make(ApiError::Kind::Unavailable,
                                  QStringLiteral("Credentials cannot be checked right now; try "
                                                 "again shortly."));
        }
    }
    if (request.method() == Method::Post || request.method() == Method::Patch) {
        if (!isJsonContentType(request.value(QByteArrayLiteral("Content-Type")))) {
            return ApiError::make(ApiError::Kind::UnsupportedMediaType,
                                  QStringLiteral("Send the body as application/json."));
        }
        if (const qsizetype offset = rawControlCharacter(request.body()); offset >= 0) {
            return ApiError::make(
                ApiError::Kind::MalformedJson,
                QStringLiteral("The body is not valid JSON: a raw control "
                               "character at offset %1; write it escaped, as "
                               "\\u%2.")
                    .arg(offset)
                    .arg(int(request.body().at(offset)), 4, 16, QLatin1Char('0')));
        }
        QJsonParseError parseError;
        const QJsonDocument document = QJsonDocument::fromJson(request.body(), &parseError);
        if (document.isObject()) {
            call.json = document.object();
        } else if (const QString held = nonObjectJson(request.body()); !held.isEmpty()) {
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
            if (attempt == 2 || request.method() != Method::Get)
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
    m_stats = std::make_unique<StatsController>(*m_session);
}

void ApiServer::closeSession()
{
    m_requests.reset();
    m_stats.reset();
    m_session.reset();
    m_tickets.database().closeThreadConnection();
}

QString ApiServer::requestLine(const QHttpServerRequest &request) const
{
    const QUrl &url = request.url();
    QString query = url.query(QUrl::FullyEncoded);
    // What customers wrote is not the log's business: search text stays out of it.
    if (QUrlQuery parameters(query); parameters.hasQueryItem(QStringLiteral("q"))) {
        parameters.removeAllQueryItems(QStringLiteral("q"));
        parameters.addQueryItem(QStringLiteral("q"), QStringLiteral("..."));
        query = parameters.query(QUrl::FullyEncoded);
    }
    return m_guard->clientAddress(request).toString() + u' ' + methodToken(request.method()) +
           u' ' + url.path(QUrl::FullyEncoded) + (query.isEmpty() ? QString() : u'?' + query);
}

void ApiServer::logRequest(const QHttpServerRequest &request, const QHttpServerResponse &response,
                           const QElapsedTimer &timer)
{
    // The request line is built only when someone reads it: this runs for every request.
    logRequest(lcApiRequests().isInfoEnabled() ? requestLine(request) : QString(), response, timer);
}

void ApiServer::logRequest(const QString &requestLine, const QHttpServerResponse &response,
                           const QElapsedTimer &timer)
{
    if (m_requestCounter)
        m_requestCounter->fetch_add(1, std::memory_order_relaxed);
    qCInfo(lcApiRequests).noquote() << requestLine << int(response.statusCode())
                                    << QStringLiteral("%1B %2ms")
                                           .arg(response.data().size())
                                           .arg(double(timer.nsecsElapsed()) / 1e6, 0, 'f', 2);
}

ApiResult ApiServer::createRequest(const Call &call)
{
    const QByteArray idempotencyKey = headerValue(call.request, "Idempotency-Key");
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
    return m_requests->change(call.pathArgument, call.json,
                              call.request.value(QByteArrayLiteral("If-Match")), call.actor);
}

ApiResult ApiServer::getRequestHistory(const Call &call)
{
    return m_requests->history(call.pathArgument);
}

ApiResult ApiServer::listRequests(const Call &call)
{
    return m_requests->list(formQuery(call.request));
}

ApiResult ApiServer::getStats(const Call &call)
{
    return m_stats->get(formQuery(call.request), QDateTime::currentDateTimeUtc());
}

ApiResult ApiServer::getHealth(const Call &)
{
    return m_health->get();
}

ApiResult ApiServer::getOpenApi(const Call &)
{
    if (m_openApi.isEmpty())
        return ApiError::internal();
    return ApiReply{m_openApi, StatusCode::Ok, {}};
}
