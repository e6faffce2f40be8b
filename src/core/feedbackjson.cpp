#include "feedbackjson.h"

#include "jsonkeys.h"
#include "jsonwriter.h"
#include "timestamps.h"

#include <cmath>

namespace {

void write(JsonWriter &writer, const Feedback &feedback)
{
    writer.beginObject();
    writer.key(JsonKey::rating);
    writer.value(qint64(feedback.rating));
    writer.key(JsonKey::comment);
    writer.value(feedback.comment);
    writer.key(JsonKey::resolved);
    writer.boolean(feedback.resolved);
    writer.key(JsonKey::ratedBy);
    writer.value(feedback.ratedBy);
    writer.key(JsonKey::ratedAt);
    writer.value(Timestamps::toIso(feedback.ratedAt));
    writer.endObject();
}

} // namespace

Validated<Feedback> FeedbackJson::fromJson(const QJsonObject &object)
{
    FieldErrors errors;
    Feedback feedback;
    for (auto it = object.begin(); it != object.end(); ++it) {
        const QString key = it.key();
        const QJsonValue value = it.value();
        if (key == JsonKey::rating) {
            const double number = value.toDouble(-1);
            if (!value.isDouble() || number != std::floor(number) ||
                number < Feedback::kMinRating || number > Feedback::kMaxRating)
                errors.append({key, QStringLiteral("must be a whole number from %1 to %2")
                                        .arg(Feedback::kMinRating)
                                        .arg(Feedback::kMaxRating)});
            else
                feedback.rating = int(number);
        } else if (key == JsonKey::resolved) {
            if (value.isBool())
                feedback.resolved = value.toBool();
            else
                errors.append({key, QStringLiteral("must be true or false")});
        } else if (key == JsonKey::comment) {
            if (value.isString())
                feedback.comment = value.toString();
            else
                errors.append({key, QStringLiteral("must be a string")});
        } else {
            errors.append({key, QStringLiteral("is not a known field")});
        }
    }
    if (!object.contains(JsonKey::rating))
        errors.append({JsonKey::rating, QStringLiteral("is required")});
    if (!object.contains(JsonKey::resolved))
        errors.append({JsonKey::resolved, QStringLiteral("is required")});
    if (errors.isEmpty())
        errors = feedback.validate();
    return {feedback, errors};
}

QByteArray FeedbackJson::toJson(qint64 ticketId, const std::optional<Feedback> &current,
                                const QList<Feedback> &history)
{
    JsonWriter writer;
    writer.beginObject();
    writer.key(JsonKey::requestId);
    writer.value(ticketId);
    writer.key(JsonKey::current);
    if (current)
        write(writer, *current);
    else
        writer.null();
    writer.key(JsonKey::history);
    writer.beginArray();
    for (const Feedback &feedback : history)
        write(writer, feedback);
    writer.endArray();
    writer.endObject();
    return writer.take();
}
