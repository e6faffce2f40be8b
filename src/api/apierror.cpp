#include "apierror.h"

#include "jsonkeys.h"

#include <QJsonDocument>

using StatusCode = QHttpServerResponse::StatusCode;

static QJsonObject fieldsObject(const FieldErrors &errors)
{
    QJsonObject fields;
    for (const FieldError &error : errors) {
        // Several problems with one field read as one sentence.
        const QString previous = fields.value(error.field).toString();
        fields.insert(error.field, previous.isEmpty()
                                       ? error.message
                                       : previous + QLatin1String("; ") + error.message);
    }
    return fields;
}

ApiError ApiError::make(Kind kind, const QString &message)
{
    return {kind, message, {}, {}, {}, {}};
}

ApiError ApiError::invalidParameters(const FieldErrors &errors)
{
    QStringList names;
    for (const FieldError &error : errors) {
        if (!names.contains(error.field))
            names.append(error.field);
    }
    return {Kind::InvalidParameter,
            QStringLiteral("Invalid query parameter(s): %1.").arg(names.join(QLatin1String(", "))),
            {{JsonKey::fields, fieldsObject(errors)}},
            {},
            {},
            {}};
}

ApiError ApiError::validationFailed(const FieldErrors &errors)
{
    return {Kind::ValidationFailed,
            QStringLiteral("The request has invalid fields."),
            {{JsonKey::fields, fieldsObject(errors)}},
            {},
            {},
            {}};
}

ApiError ApiError::notFound(const QString &message)
{
    return make(Kind::NotFound, message);
}

ApiError ApiError::internal()
{
    return make(Kind::Internal, QStringLiteral("The server failed to handle the request."));
}

QHttpServerResponse::StatusCode ApiError::status() const
{
    switch (kind) {
    case Kind::MalformedJson:
    case Kind::InvalidParameter:
        return StatusCode::BadRequest;
    case Kind::NotFound:
        return StatusCode::NotFound;
    case Kind::MethodNotAllowed:
        return StatusCode::MethodNotAllowed;
    case Kind::Conflict:
        return StatusCode::Conflict;
    case Kind::PayloadTooLarge:
        return StatusCode::PayloadTooLarge;
    case Kind::UnsupportedMediaType:
        return StatusCode::UnsupportedMediaType;
    case Kind::ValidationFailed:
        return StatusCode::UnprocessableEntity;
    case Kind::Internal:
        return StatusCode::InternalServerError;
    case Kind::Unavailable:
        return StatusCode::ServiceUnavailable;
    case Kind::Unauthorized:
        return StatusCode::Unauthorized;
    case Kind::Forbidden:
        return StatusCode::Forbidden;
    case Kind::MisdirectedRequest:
        return StatusCode::MisdirectedRequest;
    case Kind::PreconditionFailed:
        return StatusCode::PreconditionFailed;
    case Kind::TooManyRequests:
        return StatusCode::TooManyRequests;
    case Kind::BadRequest:
        return StatusCode::BadRequest;
    case Kind::RequestTimeout:
        return StatusCode::RequestTimeout;
    case Kind::UriTooLong:
        return StatusCode::UriTooLong;
    case Kind::HeaderFieldsTooLarge:
        return StatusCode::RequestHeaderFieldsTooLarge;
    case Kind::NotImplemented:
        return StatusCode::NotImplemented;
    case Kind::VersionNotSupported:
        return StatusCode::HttpVersionNotSupported;
    }
    Q_UNREACHABLE();
    return StatusCode::InternalServerError;
}

QLatin1String ApiError::code() const
{
    switch (kind) {
    case Kind::MalformedJson:
        return QLatin1String("malformed_json");
    case Kind::InvalidParameter:
        return QLatin1String("invalid_parameter");
    case Kind::NotFound:
        return QLatin1String("not_found");
    case Kind::MethodNotAllowed:
        return QLatin1String("method_not_allowed");
    case Kind::Conflict:
        return QLatin1String("conflict");
    case Kind::PayloadTooLarge:
        return QLatin1String("payload_too_large");
    case Kind::UnsupportedMediaType:
        return QLatin1String("unsupported_media_type");
    case Kind::ValidationFailed:
        return QLatin1String("validation_failed");
    case Kind::Internal:
        return QLatin1String("internal_error");
    case Kind::Unavailable:
        return QLatin1String("unavailable");
    case Kind::Unauthorized:
        return QLatin1String("unauthorized");
    case Kind::Forbidden:
        return QLatin1String("forbidden");
    case Kind::MisdirectedRequest:
        return QLatin1String("misdirected_request");
    case Kind::PreconditionFailed:
        return QLatin1String("precondition_failed");
    case Kind::TooManyRequests:
        return QLatin1String("too_many_requests");
    case Kind::BadRequest:
        return QLatin1String("bad_request");
    case Kind::RequestTimeout:
        return QLatin1String("request_timeout");
    case Kind::UriTooLong:
        return QLatin1String("uri_too_long");
    case Kind::HeaderFieldsTooLarge:
        return QLatin1String("header_fields_too_large");
    case Kind::NotImplemented:
        return QLatin1String("not_implemented");
    case Kind::VersionNotSupported:
        return QLatin1String("http_version_not_supported");
    }
    Q_UNREACHABLE();
    return QLatin1String();
}

HttpResponse ApiError::toResponse() const
{
    const QJsonObject envelope{{JsonKey::error, QJsonObject{{JsonKey::code, code()},
                                                            {JsonKey::message, message},
                                                            {JsonKey::details, details}}}};
    HttpResponse response{
        int(status()),
        {{QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json")}},
        QJsonDocument(envelope).toJson(QJsonDocument::Compact)};
    if (!allowedMethods.isEmpty()) {
        response.headers.append(
            {QByteArrayLiteral("Allow"), allowedMethods.join(QLatin1String(", ")).toLatin1()});
    }
    response.headers.append(headers);
    return response;
}

ApiError ApiError::forStatus(int status, const QString &message)
{
    switch (status) {
    case 408:
        return make(Kind::RequestTimeout, message);
    case 413:
        return make(Kind::PayloadTooLarge, message);
    case 414:
        return make(Kind::UriTooLong, message);
    case 429:
        return make(Kind::TooManyRequests, message);
    case 431:
        return make(Kind::HeaderFieldsTooLarge, message);
    case 500:
        return make(Kind::Internal, message);
    case 501:
        return make(Kind::NotImplemented, message);
    case 503:
        return make(Kind::Unavailable, message);
    case 505:
        return make(Kind::VersionNotSupported, message);
    default:
        return make(Kind::BadRequest, message);
    }
}

ApiReply ApiReply::eventStream(std::function<void(HttpStream &&, QObject *parent)> write)
{
    ApiReply reply;
    // Proxies must pass each event on as it comes, and nobody may keep what was streamed.
    reply.headers = {
        {QByteArrayLiteral("Content-Type"), QByteArrayLiteral("text/event-stream; charset=utf-8")},
        {QByteArrayLiteral("Cache-Control"), QByteArrayLiteral("no-store")},
        {QByteArrayLiteral("X-Accel-Buffering"), QByteArrayLiteral("no")},
    };
    reply.stream = std::move(write);
    return reply;
}

ApiReply ApiReply::json(const QJsonObject &object, QHttpServerResponse::StatusCode status)
{
    return {QJsonDocument(object).toJson(QJsonDocument::Compact), status, {}};
}
