#pragma once

#include "fielderror.h"
#include "httpresponse.h"
#include "httpstream.h"
#include "ticketrepository.h"

#include <QFuture>
#include <QHttpServerResponse>
#include <QJsonObject>
#include <QStringList>

#include <chrono>
#include <functional>
#include <optional>
#include <variant>

// Everything an API handler can answer with besides success; toResponse() is the one place
// that maps error kinds to HTTP statuses and the JSON envelope
// {"error": {"code", "message", "details"}}.
struct ApiError
{
    enum class Kind {
        MalformedJson,
        InvalidParameter,
        NotFound,
        MethodNotAllowed,
        Conflict,
        PayloadTooLarge,
        UnsupportedMediaType,
        ValidationFailed,
        Internal,
        Unavailable,
        Unauthorized,
        Forbidden,
        MisdirectedRequest,
        PreconditionFailed,
        TooManyRequests,
        // Refused by the connection before any handler saw the request.
        BadRequest,
        RequestTimeout,
        UriTooLong,
        HeaderFieldsTooLarge,
        NotImplemented,
        VersionNotSupported,
    };

    Kind kind = Kind::Internal;
    QString message;
    QJsonObject details;
    QStringList allowedMethods;
    QList<std::pair<QByteArray, QByteArray>> headers;
    // Answer no sooner than this: a refused credential is slowed down.
    std::chrono::milliseconds delay{0};

    static ApiError make(Kind kind, const QString &message);
    static ApiError invalidParameters(const FieldErrors &errors);
    static ApiError validationFailed(const FieldErrors &errors);
    static ApiError notFound(const QString &message);
    static ApiError internal();
    // For a status the connection refused a request with.
    static ApiError forStatus(int status, const QString &message);

    QHttpServerResponse::StatusCode status() const;
    QLatin1String code() const;
    HttpResponse toResponse() const;
};

// A successful answer: a serialised JSON body, its status and any extra headers.
struct ApiReply
{
    QByteArray body;
    QHttpServerResponse::StatusCode status = QHttpServerResponse::StatusCode::Ok;
    QList<std::pair<QByteArray, QByteArray>> headers;
    // The ticket this reply shows while its classification is still pending, so that a client
    // that sent "Prefer: wait" can be answered once it is done.
    qint64 pendingClassification = 0;
    // Set instead of a body while the service stores the ticket; the answer follows its commit.
    std::optional<QFuture<TicketRepository::IdempotentCreate>> storing = {};
    // Set instead of a body for an answer written as it comes (an event stream, whose headers
    // name its type): called on the server's thread once the head is out, with a parent for
    // whatever writes it.
    std::function<void(HttpStream &&, QObject *parent)> stream = {};

    // A server-sent event stream that `write` fills once the head is out (see `stream`).
    static ApiReply eventStream(std::function<void(HttpStream &&, QObject *parent)> write);
    static ApiReply
    json(const QJsonObject &object,
         QHttpServerResponse::StatusCode status = QHttpServerResponse::StatusCode::Ok);
};

using ApiResult = std::variant<ApiReply, ApiError>;
