#include "ticketjson.h"

#include "jsonkeys.h"
#include "timestamps.h"

#include <QJsonArray>

static QJsonValue orNull(const std::optional<Category> &category)
{
    return category ? QJsonValue(categoryName(*category)) : QJsonValue(QJsonValue::Null);
}

QJsonValue TicketJson::toJson(const std::optional<Classification> &classification)
{
    if (!classification)
        return QJsonValue::Null;
    return QJsonObject{
        {JsonKey::category, categoryName(classification->category)},
        {JsonKey::confidence, classification->confidence},
        {JsonKey::summary, classification->summary},
        {JsonKey::model, classification->model},
        {JsonKey::processingMs, classification->processingMs},
        {JsonKey::createdAt, Timestamps::toIso(classification->createdAt)},
    };
}

QJsonObject TicketJson::toJson(const Ticket &ticket)
{
    QJsonValue dataset = QJsonValue::Null;
    if (ticket.dataset) {
        dataset = QJsonObject{
            {JsonKey::queue, ticket.dataset->queue},
            {JsonKey::priority, ticket.dataset->priority},
            {JsonKey::language, ticket.dataset->language},
            {JsonKey::answer, ticket.dataset->answer},
        };
    }
    return {
        {JsonKey::id, ticket.id},
        {JsonKey::subject, ticket.subject},
        {JsonKey::body, ticket.body},
        {JsonKey::form, ticketFormName(ticket.form)},
        {JsonKey::source, ticketSourceName(ticket.source)},
        {JsonKey::status, ticketStatusName(ticket.status)},
        {JsonKey::category, orNull(ticket.category)},
        {JsonKey::createdAt, Timestamps::toIso(ticket.createdAt)},
        {JsonKey::updatedAt, Timestamps::toIso(ticket.updatedAt)},
        {JsonKey::dataset, dataset},
        {JsonKey::classification, toJson(ticket.classification)},
    };
}

QJsonObject TicketJson::toJson(const TicketPage &page)
{
    QJsonArray items;
    for (const Ticket &ticket : page.items)
        items.append(toJson(ticket));
    return {
        {JsonKey::items, items},
        {JsonKey::total, page.total},
        {JsonKey::nextCursor, page.next ? QJsonValue(page.next->encode()) : QJsonValue::Null},
    };
}

Validated<TicketDraft> TicketJson::draftFromJson(const QJsonObject &object, TicketSource source)
{
    FieldErrors errors;
    for (auto it = object.begin(); it != object.end(); ++it) {
        const QString key = it.key();
        if (key != JsonKey::text && key != JsonKey::subject && key != JsonKey::body)
            errors.append({key, QStringLiteral("is not a known field")});
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
        formError = QStringLiteral("is required with %1").arg(hasSubject ? JsonKey::subject : JsonKey::body);
    }
    if (!formError.isEmpty()) {
        errors.append({QString(formField), formError});
        return {{}, errors};
    }

    // Report every failing field at once: type errors above, content rules below.
    TicketDraft draft = hasText
        ? TicketDraft::fromText(object.value(JsonKey::text).toString(), source)
        : TicketDraft::fromSubjectAndBody(object.value(JsonKey::subject).toString(),
                                          object.value(JsonKey::body).toString(), source);
    for (const FieldError &error : draft.validate()) {
        if (object.value(error.field).isString())
            errors.append(error);
    }
    return {draft, errors};
}
