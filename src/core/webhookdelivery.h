#pragma once

#include <QDateTime>
#include <QString>

// One change event on its way to one webhook, with how its attempts went: what the delivery log
// shows. Delivered at least once: a receiver deduplicates on the event id.
struct WebhookDelivery
{
    enum class State {
        // Waiting for its next attempt (nextAttemptAt).
        Pending,
        // A receiver answered 2xx.
        Delivered,
        // Its attempts ran out; it is kept for the log.
        Failed,
        // Its webhook was removed before it got through.
        Cancelled,
    };

    qint64 id = 0;
    qint64 webhookId = 0;
    // The change event's position: the "webhook-id" a receiver deduplicates on.
    qint64 eventId = 0;
    QString eventType;
    qint64 ticketId = 0;
    State state = State::Pending;
    int attempts = 0;
    QDateTime createdAt;
    QDateTime nextAttemptAt;
    QDateTime lastAttemptAt;
    // The HTTP status of the last answer; 0 when there was none (refused, timed out).
    int lastStatus = 0;
    QString lastError;
    QDateTime deliveredAt;
};
