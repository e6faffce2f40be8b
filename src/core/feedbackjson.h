#pragma once

#include "feedback.h"
#include "fielderror.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>

#include <optional>

// The JSON shapes of a ticket's feedback as the HTTP API sends and receives them.
class FeedbackJson final
{
public:
    // Reads {"rating": 1–5, "resolved": true|false} and optionally "comment"; nothing else.
    static Validated<Feedback> fromJson(const QJsonObject &object);
    // {"request_id", "current": {...} or null, "history": [...] oldest first}.
    static QByteArray toJson(qint64 ticketId, const std::optional<Feedback> &current,
                             const QList<Feedback> &history);
};
