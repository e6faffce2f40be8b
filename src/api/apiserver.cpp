#include "apiserver.h"

#include "apilogging.h"
#include "database.h"
#include "healthcontroller.h"
#include "requestscontroller.h"
#include "statscontroller.h"
#include "storageerror.h"
#include "ticketrepository.h"

#include <QElapsedTimer>
#include <QFile>
#include <QHttpServer>
#include <QJsonDocument>
#include <QMetaEnum>
#include <QTcpServer>

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
    return mediaType == "application/json";
}

// HTML forms and many clients write a space in the query as '+'; QUrlQuery leaves it alone.
QUrlQuery formQuery(const QHttpServerRequest &request)
{
    QString raw = request.url().query(QUrl::FullyEncoded);
    raw.replace(u'+', QLatin1String("%20"));
    return QUrlQuery(raw);
}

} // namespace

const QList<ApiServer::Endpoint> &ApiServer::endpoints()
{
    static const QList<Endpoint> table{
        {Method::Post, QLatin1String("/requests"), &ApiServer::createRequest},
        {Method::Get, QLatin1String("/requests"), &ApiServer::listRequests},
        {Method::Get, QLatin1String("/requests/{id}"), &ApiServer::getRequest},
        {Method::Get, QLatin1String("/stats"), &ApiServer::getStats},
        {Method::Get, QLatin1String("/health"), &ApiServer::getHealth},
        {Method::Get, QLatin1String("/openapi.json"), &ApiServer::getOpenApi},
    };
    return table;
}

QList<ApiServer::Route> ApiServer::routes()
{
    QList<Route> result;
    for (const Endpoint &endpoint : endpoints())
        result.append({endpoint.method, endpoint.path});
    return result;
}

ApiServer::ApiServer(const Database &database, QObject *parent)
    : QObject(parent)
    , m_database(database)
    , m_http(new QHttpServer(this))
{
    QStringList registered;
    for (const Endpoint &endpoint : endpoints()) {
        const QLatin1String path = endpoint.path;
        if (registered.contains(path))
            continue;
        registered.append(path);
        if (path.contains(QLatin1String("{id}"))) {
            QString pattern = path;
            pattern.replace(QLatin1String("{id}"), QLatin1String("<arg>"));
            m_http->route(pattern, Method::AnyKnown,
                          [this, path](const QString &argument, const QHttpServerRequest &request) {
                              return serve(request, path, argument);
                          });
        } else {
            m_http->route(path, Method::AnyKnown, [this, path](const QHttpServerRequest &request) {
                return serve(request, path, QString());
            });
        }
    }
    m_http->setMissingHandler(
        [this](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
            QElapsedTimer timer;
            timer.start();
            const ApiError error = ApiError::notFound(
                QStringLiteral("There is no resource at %1.").arg(request.url().path()));
            const QHttpServerResponse response = error.toResponse();
            responder.write(
                response.data(),
                {{QByteArrayLiteral("Content-Type"), response.mimeType()},
                 {QByteArrayLiteral("X-Content-Type-Options"), QByteArrayLiteral("nosniff")}},
                response.statusCode());
            logRequest(request, int(response.statusCode()), response.data().size(),
                       timer.nsecsElapsed());
        });

    QFile document(QStringLiteral(":/api/openapi.json"));
    if (document.open(QIODevice::ReadOnly))
        m_openApi = document.readAll();
}

ApiServer::~ApiServer()
{
    // Repositories hold prepared statements on this thread's connection: drop them first.
    m_requests.reset();
    m_stats.reset();
    m_tickets.reset();
    m_database.closeThreadConnection();
}

bool ApiServer::serve(qintptr listeningSocket)
{
    try {
        m_tickets = std::make_unique<TicketRepository>(m_database);
    } catch (const StorageError &error) {
        m_errorString = error.message();
        return false;
    }
    m_requests = std::make_unique<RequestsController>(*m_tickets);
    m_stats = std::make_unique<StatsController>(*m_tickets);
    m_health = std::make_unique<HealthController>(m_database);

    auto *tcpServer = new QTcpServer(this);
    if (!tcpServer->setSocketDescriptor(listeningSocket)) {
        m_errorString = tcpServer->errorString();
        return false;
    }
    m_http->bind(tcpServer);
    return true;
}

QHttpServerResponse ApiServer::serve(const QHttpServerRequest &request, QLatin1String path,
                                     const QString &pathArgument)
{
    QElapsedTimer timer;
    timer.start();
    ApiResult result = dispatch(request, path, pathArgument);

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
    logRequest(request, int(response.statusCode()), response.data().size(), timer.nsecsElapsed());
    return response;
}

ApiResult ApiServer::dispatch(const QHttpServerRequest &request, QLatin1String path,
                              const QString &pathArgument)
{
    // Checks that hold for every endpoint come before any handler runs.
    if (request.body().size() > kMaxBodyBytes) {
        return ApiError{
            ApiError::Kind::PayloadTooLarge,
            QStringLiteral("The request body is larger than %1 KiB.").arg(kMaxBodyBytes / 1024),
            {},
            {}};
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
                        allowed};
    }

    Call call{request, pathArgument, {}};
    if (request.method() == Method::Post) {
        if (!isJsonContentType(request.value(QByteArrayLiteral("Content-Type")))) {
            return ApiError{ApiError::Kind::UnsupportedMediaType,
                            QStringLiteral("Send the body as application/json."),
                            {},
                            {}};
        }
        QJsonParseError parseError;
        const QJsonDocument document = QJsonDocument::fromJson(request.body(), &parseError);
        if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
            const QString reason = parseError.error != QJsonParseError::NoError
                                       ? QStringLiteral("%1 at offset %2")
                                             .arg(parseError.errorString())
                                             .arg(parseError.offset)
                                       : QStringLiteral("the body must be a JSON object");
            return ApiError{ApiError::Kind::MalformedJson,
                            QStringLiteral("The body is not valid JSON: %1.").arg(reason),
                            {},
                            {}};
        }
        call.json = document.object();
    }

    try {
        return (this->*endpoint->handler)(call);
    } catch (const StorageError &error) {
        // The reason goes to the log, never to the client.
        qCWarning(lcApi) << "Request failed:" << error.message();
        return ApiError::internal();
    }
}

void ApiServer::logRequest(const QHttpServerRequest &request, int status, qsizetype bytes,
                           qint64 nsecs)
{
    qCInfo(lcApiRequests).noquote()
        << request.remoteAddress().toString() << methodToken(request.method())
        << request.url().path(QUrl::FullyEncoded) +
               (request.url().hasQuery() ? u'?' + request.url().query(QUrl::FullyEncoded)
                                         : QString())
        << status << QStringLiteral("%1B %2ms").arg(bytes).arg(double(nsecs) / 1e6, 0, 'f', 2);
}

ApiResult ApiServer::createRequest(const Call &call)
{
    return m_requests->create(call.json, call.request.value(QByteArrayLiteral("Idempotency-Key")));
}

ApiResult ApiServer::getRequest(const Call &call)
{
    return m_requests->get(call.pathArgument);
}

ApiResult ApiServer::listRequests(const Call &call)
{
    return m_requests->list(formQuery(call.request));
}

ApiResult ApiServer::getStats(const Call &call)
{
    return m_stats->get(formQuery(call.request), QDateTime::currentDateTimeUtc().date());
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
