#include "ticketjson.h"

#include "jsonkeys.h"
#include "jsonwriter.h"
#include "timestamps.h"

void TicketJson::writeClassification(JsonWriter &writer, const Ticket &ticket)
{
    writer.beginObject();
    writer.key(JsonKey::status);
    writer.value(classificationStateName(ticket.classificationState()));
    if (const std::optional<Classification> &classification = ticket.classification) {
        writer.key(JsonKey::category);
        writer.value(categoryName(classification->category));
        writer.key(JsonKey::confidence);
        writer.value(classification->confidence);
        writer.key(JsonKey::priority);
        writer.value(priorityName(classification->priority));
        writer.key(JsonKey::summary);
        writer.value(classification->summary);
        writer.key(JsonKey::provider);
        writer.value(classificationProviderName(classification->provider));
        writer.key(JsonKey::model);
        writer.value(classification->model);
        writer.key(JsonKey::modelVersion);
        writer.value(classification->modelVersion);
        writer.key(JsonKey::fallback);
        writer.boolean(classification->fallback);
        writer.key(JsonKey::attempts);
        writer.value(qint64(classification->attempts));
        writer.key(JsonKey::processingMs);
        writer.value(classification->processingMs);
        writer.key(JsonKey::createdAt);
        writer.value(Timestamps::toIso(classification->createdAt));
    }
    if (ticket.job && ticket.job->state == ClassificationState::Failed) {
        writer.key(JsonKey::error);
        writer.value(ticket.job->lastError);
        writer.key(JsonKey::failedAttempts);
        writer.value(qint64(ticket.job->attempts));
        writer.key(JsonKey::retryAt);
        if (ticket.job->nextAttemptAt.isValid())
            writer.value(Timestamps::toIso(ticket.job->nextAttemptAt));
        else
            writer.null();
    }
    writer.endObject();
}

void TicketJson::write(JsonWriter &writer, const Ticket &ticket)
{
    writer.beginObject();
    writer.key(JsonKey::id);
    writer.value(ticket.id);
    writer.key(JsonKey::subject);
    writer.value(ticket.subject);
    writer.key(JsonKey::body);
    writer.value(ticket.body);
    writer.key(JsonKey::form);
    writer.value(ticketFormName(ticket.form));
    writer.key(JsonKey::source);
    writer.value(ticketSourceName(ticket.source));
    writer.key(JsonKey::status);
    writer.value(ticketStatusName(ticket.status));
    writer.key(JsonKey::category);
    if (ticket.category)
        writer.value(categoryName(*ticket.category));
    else
        writer.null();
    writer.key(JsonKey::createdAt);
    writer.value(Timestamps::toIso(ticket.createdAt));
    writer.key(JsonKey::updatedAt);
    writer.value(Timestamps::toIso(ticket.updatedAt));
    writer.key(JsonKey::dataset);
    if (ticket.dataset) {
        writer.beginObject();
        writer.key(JsonKey::queue);
        writer.value(ticket.dataset->queue);
        writer.key(JsonKey::priority);
        writer.value(ticket.dataset->priority);
        writer.key(JsonKey::language);
        writer.value(ticket.dataset->language);
        writer.key(JsonKey::answer);
        writer.value(ticket.dataset->answer);
        writer.endObject();
    } else {
        writer.null();
    }
    writer.key(JsonKey::needsReview);
    writer.boolean(ticket.needsReview);
    writer.key(JsonKey::assignee);
    if (ticket.assignee.isEmpty())
        writer.null();
    else
        writer.value(ticket.assignee);
    const auto textOrNull = [&writer](QLatin1String key, const QString &value) {
        writer.key(key);
        if (value.isEmpty())
            writer.null();
        else
            writer.value(value);
    };
    textOrNull(JsonKey::requester, ticket.requester);
    textOrNull(JsonKey::threadRef, ticket.threadRef);
    writer.key(JsonKey::classification);
    writeClassification(writer, ticket);
    writer.endObject();
}

QByteArray TicketJson::toJson(const Ticket &ticket)
{
    JsonWriter writer;
    write(writer, ticket);
    return writer.take();
}

QByteArray TicketJson::toJson(const TicketPage &page)
{
    JsonWriter writer;
    writer.beginObject();
    writer.key(JsonKey::items);
    writer.beginArray();
    for (const Ticket &ticket : page.items)
        write(writer, ticket);
    writer.endArray();
    writer.key(JsonKey::total);
    writer.value(page.total);
    writer.key(JsonKey::limit);
    writer.value(qint64(page.limit));
    writer.key(JsonKey::nextCursor);
    if (page.next)
        writer.value(page.next->encode());
    else
        writer.null();
    writer.endObject();
    return writer.take();
}

Validated<TicketDraft> TicketJson::draftFromJson(const QJsonObject &object, TicketSource source)
{
    FieldErrors errors;
    for (auto it = object.begin(); it != object.end(); ++it) {
        const QString key = it.key();
        if (key != JsonKey::text && key != JsonKey::subject && key != JsonKey::body &&
            key != JsonKey::requester && key != JsonKey::threadRef)
            errors.append({key, QStringLiteral("is not a known field")});
        else if (it.value().isNull() && (key == JsonKey::requester || key == JsonKey::threadRef))
            continue; // the same as leaving it out
        else if (!it.value().isString())
            errors.append({key, QStringLiteral("must be a string")});
    }

    const bool hasText = object.contains(JsonKey::text);
    const bool hasSubject = object.contains(JsonKey::subject);
    const bool hasBody = object.contains(JsonKey::body);
    QString formError;
    QLatin1String formField = JsonKey::text;
    if (hasText && (hasSubject || hasBody)) {
        formError = QStringLiteral("give either text, or subject and body, not both");
    } else if (!hasText && !hasSubject && !hasBody) {
        formError = QStringLiteral("is required (or subject and body)");
    } else if (hasSubject != hasBody) {
        formField = hasSubject ? JsonKey::body : JsonKey::subject;
        formError = QStringLiteral("is required with %1")
                        .arg(hasSubject ? JsonKey::subject : JsonKey::body);
    }
    if (!formError.isEmpty()) {
        errors.append({QString(formField), formError});
        return {{}, errors};
    }

    // Report every failing field at once: type errors above, content rules below.
    TicketDraft draft =
        hasText ? TicketDraft::fromText(object.value(JsonKey::text).toString(), source)
                : TicketDraft::fromSubjectAndBody(object.value(JsonKey::subject).toString(),
                                                  object.value(JsonKey::body).toString(), source);
    // Not null even when empty, so that validate() refuses an empty one rather than skip it.
    const auto reference = [&object](QLatin1String key) {
        const QJsonValue value = object.value(key);
        if (!value.isString())
            return QString();
        const QString text = value.toString();
        return text.isNull() ? QStringLiteral("") : text;
    };
    draft.requester = reference(JsonKey::requester);
    draft.threadRef = reference(JsonKey::threadRef);
    for (const FieldError &error : draft.validate()) {
        if (object.value(error.field).isString())
            errors.append(error);
    }
    return {draft, errors};
}

Validated<TicketChange> TicketJson::changeFromJson(const QJsonObject &object)
{
    Validated<TicketChange> result;
    FieldErrors &errors = result.errors;
    TicketChange &change = result.value;
    for (auto it = object.begin(); it != object.end(); ++it) {
        const QString key = it.key();
        const QJsonValue value = it.value();
        if (key == JsonKey::status) {
            change.status =
                value.isString() ? ticketStatusFromName(value.toString()) : std::nullopt;
            if (!change.status)
                errors.append({key, ticketStatusChoices()});
        } else if (key == JsonKey::category) {
            change.category = value.isString() ? categoryFromName(value.toString()) : std::nullopt;
            if (!change.category)
                errors.append({key, QStringLiteral("must be one of technical, billing, general")});
        } else if (key == JsonKey::assignee) {
            if (value.isNull())
                change.assignee = QString();
            else if (value.isString() && !value.toString().isEmpty())
                change.assignee = value.toString();
            else
                errors.append({key, QStringLiteral("must be a user's name, or null to unassign")});
        } else {
            errors.append({key, QStringLiteral("is not a field that can be changed")});
        }
    }
    if (object.isEmpty())
        errors.append({QStringLiteral("status"),
                       QStringLiteral("name at least one of status, category, assignee")});
    return result;
}

QByteArray TicketJson::historyToJson(const Ticket &ticket, const QList<TicketEvent> &events)
{
    JsonWriter writer;
    writer.beginObject();
    writer.key(JsonKey::id);
    writer.value(ticket.id);
    writer.key(JsonKey::source);
    writer.value(ticketSourceName(ticket.source));
    writer.key(JsonKey::createdAt);
    writer.value(Timestamps::toIso(ticket.createdAt));
    writer.key(JsonKey::events);
    writer.beginArray();
    for (const TicketEvent &event : events) {
        writer.beginObject();
        writer.key(JsonKey::at);
        writer.value(Timestamps::toIso(event.at));
        writer.key(JsonKey::actor);
        writer.beginObject();
        writer.key(JsonKey::kind);
        writer.value(actorKindName(event.actor.kind));
        writer.key(JsonKey::name);
        writer.value(event.actor.name);
        writer.endObject();
        writer.key(JsonKey::field);
        writer.value(ticketEventFieldName(event.field));
        for (const auto &[key, value] :
             {std::pair{JsonKey::from, &event.before}, std::pair{JsonKey::to, &event.after}}) {
            writer.key(key);
            if (*value)
                writer.value(**value);
            else
                writer.null();
        }
        writer.endObject();
    }
    writer.endArray();
    writer.endObject();
    return writer.take();
}
