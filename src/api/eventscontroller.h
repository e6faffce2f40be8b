#pragma once

#include "apierror.h"
#include "scope.h"

#include <QByteArray>
#include <QUrlQuery>

class EventHub;

// GET /events: the committed changes to tickets as server-sent events (EventHub), from the
// position after the Last-Event-ID header a reconnecting client sends, or the `after`
// parameter, or from now.
class EventsController final
{
public:
    explicit EventsController(EventHub &hub);

    ApiResult subscribe(const QUrlQuery &query, const QByteArray &lastEventId, Scopes scopes);

private:
    EventHub &m_hub;
};
