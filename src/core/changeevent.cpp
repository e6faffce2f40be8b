#include "changeevent.h"

#include "jsonkeys.h"
#include "timestamps.h"

const QStringList &ChangeEvent::types()
{
    // What the schema's triggers write (sql/*/0015_change_events.sql).
    static const QStringList names{
        QStringLiteral("ticket.created"), QStringLiteral("ticket.classified"),
        QStringLiteral("ticket.updated"), QStringLiteral("ticket.replied"),
        QStringLiteral("ticket.rated")};
    return names;
}

QJsonObject ChangeEvent::toJson() const
{
    QJsonObject json = data;
    json.insert(JsonKey::id, position);
    json.insert(JsonKey::type, type);
    json.insert(JsonKey::ticketId, ticketId);
    json.insert(JsonKey::at, Timestamps::toIso(at));
    return json;
}
