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
    }
    Q_UNREACHABLE();
    return QLatin1String();
}

QHttpServerResponse ApiError::toResponse() const
{
    const QJsonObject envelope{{JsonKey::error, QJsonObject{{JsonKey::code, code()},
                                                            {JsonKey::message, message},
                                                            {JsonKey::details, details}}}};
    QHttpServerResponse response(envelope, status());
    if (!allowedMethods.isEmpty())
        response.setHeader(QByteArrayLiteral("Allow"),
                           allowedMethods.join(QLatin1String(", ")).toLatin1());
    for (const auto &[name, value] : headers)
        response.setHeader(name, value);
    return response;
}

ApiReply ApiReply::json(const QJsonObject &object, QHttpServerResponse::StatusCode status)
{
    return {QJsonDocument(object).toJson(QJsonDocument::Compact), status, {}};
}
