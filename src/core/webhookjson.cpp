#include "webhookjson.h"

#include "changeevent.h"
#include "enumnames.h"
#include "jsonkeys.h"
#include "timestamps.h"

#include <QCoreApplication>
#include <QJsonArray>

#include <algorithm>

namespace {

const EnumNameTable<WebhookDelivery::State, 4> kStateNames{{
    {WebhookDelivery::State::Pending, QLatin1String("pending")},
    {WebhookDelivery::State::Delivered, QLatin1String("delivered")},
    {WebhookDelivery::State::Failed, QLatin1String("failed")},
    {WebhookDelivery::State::Cancelled, QLatin1String("cancelled")},
}};

bool isLoopbackHost(const QString &host)
{
    if (host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0 ||
        host == QLatin1String("::1"))
        return true;
    const QStringList parts = host.split(u'.');
    if (parts.size() != 4 || parts.first() != QLatin1String("127"))
        return false;
    return std::all_of(parts.cbegin(), parts.cend(), [](const QString &part) {
        bool number = false;
        const int value = part.toInt(&number);
        return number && value >= 0 && value <= 255;
    });
}

QJsonValue isoOrNull(const QDateTime &at)
{
    return at.isValid() ? QJsonValue(Timestamps::toIso(at)) : QJsonValue();
}

} // namespace

QString WebhookJson::urlProblem(const QUrl &url)
{
    if (!url.isValid() || url.isRelative() || url.host().isEmpty())
        return QCoreApplication::translate("WebhookJson", "must be an absolute http or https URL");
    if (url.toString().size() > kMaxUrlLength)
        return QCoreApplication::translate("WebhookJson", "must be at most %1 characters")
            .arg(kMaxUrlLength);
    if (!url.userInfo().isEmpty())
        return QCoreApplication::translate("WebhookJson",
                                           "must not carry a user name or password; the signature "
                                           "authenticates each delivery");
    if (url.hasFragment())
        return QCoreApplication::translate("WebhookJson", "must not have a fragment");
    const QString scheme = url.scheme().toLower();
    if (scheme == QLatin1String("https"))
        return {};
    if (scheme == QLatin1String("http"))
        return isLoopbackHost(url.host())
                   ? QString()
                   : QCoreApplication::translate(
                         "WebhookJson", "must use https unless the receiver is on this machine");
    return QCoreApplication::translate("WebhookJson", "must be an absolute http or https URL");
}

QString WebhookJson::eventTypesProblem(const QStringList &types)
{
    if (types.isEmpty())
        return QCoreApplication::translate("WebhookJson", "must name at least one of %1")
            .arg(ChangeEvent::types().join(QLatin1String(", ")));
    for (const QString &type : types) {
        if (!ChangeEvent::types().contains(type))
            return QCoreApplication::translate("WebhookJson",
                                               "has the unknown type %1; the types are %2")
                .arg(type, ChangeEvent::types().join(QLatin1String(", ")));
    }
    return {};
}

Validated<Webhook> WebhookJson::fromJson(const QJsonObject &object)
{
    FieldErrors errors;
    Webhook webhook;
    webhook.eventTypes = ChangeEvent::types();
    for (auto it = object.begin(); it != object.end(); ++it) {
        const QString key = it.key();
        const QJsonValue value = it.value();
        if (key == JsonKey::url) {
            webhook.url = QUrl(value.toString(), QUrl::StrictMode);
            const QString problem =
                value.isString() ? urlProblem(webhook.url) : QStringLiteral("must be a string");
            if (!problem.isEmpty())
                errors.append({key, problem});
        } else if (key == JsonKey::events) {
            QStringList wanted;
            bool strings = value.isArray();
            for (const QJsonValue &type : value.toArray()) {
                strings = strings && type.isString();
                wanted.append(type.toString());
            }
            const QString problem = strings ? eventTypesProblem(wanted)
                                            : QStringLiteral("must be an array of event types");
            if (!problem.isEmpty())
                errors.append({key, problem});
            // Kept in the fixed order, each once.
            webhook.eventTypes.clear();
            for (const QString &type : ChangeEvent::types()) {
                if (wanted.contains(type))
                    webhook.eventTypes.append(type);
            }
        } else {
            errors.append({key, QStringLiteral("is not a known field")});
        }
    }
    if (!object.contains(JsonKey::url))
        errors.append({JsonKey::url, QStringLiteral("is required")});
    return {webhook, errors};
}

QJsonObject WebhookJson::toJson(const Webhook &webhook)
{
    return {{JsonKey::id, webhook.id},
            {JsonKey::url, webhook.url.toString()},
            {JsonKey::events, QJsonArray::fromStringList(webhook.eventTypes)},
            {JsonKey::createdBy, webhook.createdBy},
            {JsonKey::createdAt, isoOrNull(webhook.createdAt)},
            {JsonKey::removedAt, isoOrNull(webhook.removedAt)}};
}

QJsonObject WebhookJson::toJson(const WebhookDelivery &delivery)
{
    return {{JsonKey::id, delivery.id},
            {JsonKey::webhookId, delivery.webhookId},
            {JsonKey::eventId, delivery.eventId},
            {JsonKey::eventType, delivery.eventType},
            {JsonKey::ticketId, delivery.ticketId},
            {JsonKey::state, stateName(delivery.state)},
            {JsonKey::attempts, delivery.attempts},
            {JsonKey::createdAt, isoOrNull(delivery.createdAt)},
            {JsonKey::nextAttemptAt, isoOrNull(delivery.nextAttemptAt)},
            {JsonKey::lastAttemptAt, isoOrNull(delivery.lastAttemptAt)},
            {JsonKey::lastStatus,
             delivery.lastStatus != 0 ? QJsonValue(delivery.lastStatus) : QJsonValue()},
            {JsonKey::lastError,
             delivery.lastError.isEmpty() ? QJsonValue() : QJsonValue(delivery.lastError)},
            {JsonKey::deliveredAt, isoOrNull(delivery.deliveredAt)}};
}

QLatin1String WebhookJson::stateName(WebhookDelivery::State state)
{
    return enumName(kStateNames, state);
}

std::optional<WebhookDelivery::State> WebhookJson::stateFromName(QStringView name)
{
    return enumFromName(kStateNames, name);
}
