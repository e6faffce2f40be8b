#pragma once

#include <QDateTime>
#include <QString>
#include <QStringList>
#include <QUrl>

// A receiver that an admin registered for some types of change event: each one committed after
// the registration is POSTed to its URL, signed with its secret (WebhookSignature), which the
// database keeps sealed (SecretBox) and nobody sees after the registration.
struct Webhook
{
    qint64 id = 0;
    QUrl url;
    // ChangeEvent::types() it receives, in that order.
    QStringList eventTypes;
    QString createdBy;
    QDateTime createdAt;
    // Invalid while it receives events.
    QDateTime removedAt;

    bool isLive() const { return !removedAt.isValid(); }
};
