#include "changeevent.h"

#include "jsonkeys.h"
#include "timestamps.h"

QJsonObject ChangeEvent::toJson() const
{
    QJsonObject json = data;
    json.insert(JsonKey::id, position);
    json.insert(JsonKey::type, type);
    json.insert(JsonKey::ticketId, ticketId);
    json.insert(JsonKey::at, Timestamps::toIso(at));
    return json;
}
