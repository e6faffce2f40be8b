#include "messagejson.h"

#include "jsonkeys.h"
#include "jsonwriter.h"
#include "plaintext.h"
#include "timestamps.h"

namespace {

void write(JsonWriter &writer, const TicketMessage &message)
{
    writer.beginObject();
    writer.key(JsonKey::id);
    writer.value(message.id);
    writer.key(JsonKey::author);
    writer.beginObject();
    writer.key(JsonKey::kind);
    writer.value(messageAuthorName(message.author));
    writer.key(JsonKey::name);
    writer.value(message.authorName);
    writer.endObject();
    writer.key(JsonKey::visibility);
    writer.value(messageVisibilityName(message.visibility));
    writer.key(JsonKey::body);
    writer.value(message.body);
    writer.key(JsonKey::delivery);
    if (message.delivery)
        writer.value(deliveryStatusName(*message.delivery));
    else
        writer.null();
    if (!message.deliveryError.isEmpty()) {
        writer.key(JsonKey::deliveryError);
        writer.value(message.deliveryError);
    }
    if (message.draft) {
        writer.key(JsonKey::draft);
        writer.beginObject();
        writer.key(JsonKey::provider);
        writer.value(message.draft->provider);
        writer.key(JsonKey::model);
        writer.value(message.draft->model);
        writer.key(JsonKey::edits);
        writer.value(message.draft->edits);
        writer.endObject();
    }
    writer.key(JsonKey::createdAt);
    writer.value(Timestamps::toIso(message.createdAt));
    writer.endObject();
}

} // namespace

QByteArray MessageJson::toJson(const TicketMessage &message)
{
    JsonWriter writer;
    write(writer, message);
    return writer.take();
}

QByteArray MessageJson::toJson(qint64 ticketId, const QList<TicketMessage> &messages)
{
    JsonWriter writer;
    writer.beginObject();
    writer.key(JsonKey::requestId);
    writer.value(ticketId);
    writer.key(JsonKey::messages);
    writer.beginArray();
    for (const TicketMessage &message : messages)
        write(writer, message);
    writer.endArray();
    writer.endObject();
    return writer.take();
}

Validated<MessageJson::Addition> MessageJson::fromJson(const QJsonObject &object)
{
    FieldErrors errors;
    for (auto it = object.begin(); it != object.end(); ++it) {
        const QString key = it.key();
        if (key != JsonKey::body && key != JsonKey::visibility && key != JsonKey::author &&
            key != JsonKey::status)
            errors.append({key, QStringLiteral("is not a known field")});
        else if (!it.value().isString())
            errors.append({key, QStringLiteral("must be a string")});
    }
    TicketMessage message;
    message.author = MessageAuthor::Integration;
    if (const QJsonValue author = object.value(JsonKey::author); author.isString()) {
        const std::optional<MessageAuthor> parsed = messageAuthorFromName(author.toString());
        if (parsed && *parsed != MessageAuthor::Agent)
            message.author = *parsed;
        else
            errors.append({JsonKey::author, QStringLiteral("must be integration or customer")});
    }
    if (const QJsonValue visibility = object.value(JsonKey::visibility); visibility.isString()) {
        const std::optional<MessageVisibility> parsed =
            messageVisibilityFromName(visibility.toString());
        if (!parsed) {
            errors.append({JsonKey::visibility, QStringLiteral("must be public or internal")});
        } else if (*parsed == MessageVisibility::Internal &&
                   message.author == MessageAuthor::Customer) {
            errors.append({JsonKey::visibility,
                           QStringLiteral("must be public for the customer's own message")});
        } else {
            message.visibility = *parsed;
        }
    }
    if (!object.contains(JsonKey::body)) {
        errors.append({JsonKey::body, QStringLiteral("is required")});
    } else if (object.value(JsonKey::body).isString()) {
        message.body = object.value(JsonKey::body).toString();
        errors.append(message.validate());
    }
    std::optional<TicketStatus> status;
    if (const QJsonValue name = object.value(JsonKey::status); name.isString()) {
        status = ticketStatusFromName(name.toString());
        if (!status)
            errors.append({JsonKey::status, ticketStatusChoices()});
    }
    return {{message, status}, errors};
}

Validated<MessageJson::DeliveryReport> MessageJson::deliveryFromJson(const QJsonObject &object)
{
    constexpr qsizetype kMaxErrorLength = 500;
    FieldErrors errors;
    for (auto it = object.begin(); it != object.end(); ++it) {
        const QString key = it.key();
        if (key != JsonKey::delivery && key != JsonKey::deliveryError)
            errors.append({key, QStringLiteral("is not a known field")});
        else if (!it.value().isString())
            errors.append({key, QStringLiteral("must be a string")});
    }
    DeliveryReport report;
    const QJsonValue delivery = object.value(JsonKey::delivery);
    if (delivery.isUndefined()) {
        errors.append({JsonKey::delivery, QStringLiteral("is required")});
    } else if (delivery.isString()) {
        if (const std::optional<DeliveryStatus> status =
                deliveryStatusFromName(delivery.toString()))
            report.status = *status;
        else
            errors.append(
                {JsonKey::delivery, QStringLiteral("must be pending, delivered or failed")});
    }
    if (const QJsonValue error = object.value(JsonKey::deliveryError); error.isString()) {
        report.error = error.toString();
        if (report.status != DeliveryStatus::Failed) {
            errors.append(
                {JsonKey::deliveryError, QStringLiteral("is only for a failed delivery")});
        } else if (const QString problem = PlainText::problemWith(report.error, kMaxErrorLength);
                   !problem.isEmpty()) {
            errors.append({JsonKey::deliveryError, problem});
        }
    }
    return {report, errors};
}
