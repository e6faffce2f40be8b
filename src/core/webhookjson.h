#pragma once

#include "fielderror.h"
#include "webhook.h"
#include "webhookdelivery.h"

#include <QJsonObject>
#include <QLatin1String>
#include <QList>

#include <optional>

// The JSON shapes of webhooks and their deliveries as the HTTP API sends and receives them, and
// the rules a webhook's registration must follow wherever it is made.
class WebhookJson final
{
public:
    static constexpr qsizetype kMaxUrlLength = 2000;

    // Reads {"url", "events": [type, ...]} (events left out: every type); nothing else.
    static Validated<Webhook> fromJson(const QJsonObject &object);
    // Why a receiver's URL is refused, or empty. Only https leaves the machine: plain http is
    // for a receiver on the same machine (loopback), so that secrets and tickets never cross a
    // network in clear.
    static QString urlProblem(const QUrl &url);
    // Why the event types are refused, or empty.
    static QString eventTypesProblem(const QStringList &types);

    static QJsonObject toJson(const Webhook &webhook);
    static QJsonObject toJson(const WebhookDelivery &delivery);
    static QLatin1String stateName(WebhookDelivery::State state);
    static std::optional<WebhookDelivery::State> stateFromName(QStringView name);
};
