#include "messagejson.h"

#include "jsonkeys.h"
#include "jsonwriter.h"
#include "plaintext.h"
#include "timestamps.h"

#include <cmath>

namespace {

void writeFields(JsonWriter &writer, const TicketMessage &message)
{
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
}

void write(JsonWriter &writer, const TicketMessage &message)
{
    writer.beginObject();
    writeFields(writer, message);
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

QByteArray MessageJson::toJson(const QList<OutgoingReply> &replies, bool more)
{
    JsonWriter writer;
    writer.beginObject();
    writer.key(JsonKey::items);
    writer.beginArray();
    for (const OutgoingReply &reply : replies) {
        writer.beginObject();
        writeFields(writer, reply.message);
        writer.key(JsonKey::request);
        writer.beginObject();
        writer.key(JsonKey::id);
        writer.value(reply.message.ticketId);
        writer.key(JsonKey::subject);
        writer.value(reply.subject);
        writer.key(JsonKey::requester);
        writer.value(reply.requester);
        writer.key(JsonKey::threadRef);
        writer.value(reply.threadRef);
        writer.key(JsonKey::status);
        writer.value(ticketStatusName(reply.status));
        writer.endObject();
        writer.endObject();
    }
    writer.endArray();
    writer.key(JsonKey::nextCursor);
    if (more && !replies.isEmpty())
        writer.value(QString::number(replies.last().message.id));
    else
        writer.null();
    writer.endObject();
    return writer.take();
}

Validated<DraftOrigin> MessageJson::draftFromJson(const QJsonObject &object)
{
    constexpr qsizetype kMaxNameLength = 200;
    constexpr qint64 kMaxEdits = TicketMessage::kMaxBodyLength * 2;
    FieldErrors errors;
    const QString field = QString(JsonKey::draft) + u'.';
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (it.key() != JsonKey::provider && it.key() != JsonKey::model &&
            it.key() != JsonKey::edits)
            errors.append({field + it.key(), QStringLiteral("is not a known field")});
    }
    DraftOrigin origin;
    const QJsonValue provider = object.value(JsonKey::provider);
    if (provider != QJsonValue(DraftOrigin::kRemoteProvider) &&
        provider != QJsonValue(DraftOrigin::kLocalProvider))
        errors.append({field + JsonKey::provider, QStringLiteral("must be remote or local")});
    else
        origin.provider = provider.toString();
    const QJsonValue model = object.value(JsonKey::model);
    if (!model.isString() || model.toString().isEmpty() || model.toString().size() > kMaxNameLength)
        errors.append({field + JsonKey::model,
                       QStringLiteral("must be the drafting model's name, at most %1 characters")
                           .arg(kMaxNameLength)});
    else
        origin.model = model.toString();
    const QJsonValue edits = object.value(JsonKey::edits);
    const double count = edits.toDouble(-1);
    if (!edits.isDouble() || count < 0 || count > double(kMaxEdits) || count != std::floor(count))
        errors.append({field + JsonKey::edits,
                       QStringLiteral("must be a whole number from 0 to %1").arg(kMaxEdits)});
    else
        origin.edits = qint64(count);
    return {origin, errors};
}

Validated<MessageJson::Addition> MessageJson::fromJson(const QJsonObject &object)
{
    FieldErrors errors;
    for (auto it = object.begin(); it != object.end(); ++it) {
        const QString key = it.key();
        if (key != JsonKey::body && key != JsonKey::visibility && key != JsonKey::author &&
            key != JsonKey::status && key != JsonKey::draft)
            errors.append({key, QStringLiteral("is not a known field")});
        else if (key == JsonKey::draft ? !it.value().isObject() : !it.value().isString())
            errors.append({key, key == JsonKey::draft ? QStringLiteral("must be an object")
                                                      : QStringLiteral("must be a string")});
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
    if (const QJsonValue draft = object.value(JsonKey::draft); draft.isObject()) {
        if (message.author == MessageAuthor::Customer)
            errors.append({JsonKey::draft, QStringLiteral("is for the team's messages only")});
        else if (Validated<DraftOrigin> origin = draftFromJson(draft.toObject()); origin.isValid())
            message.draft = origin.value;
        else
            errors.append(origin.errors);
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
