#include "ticketeventlog.h"

#include "timestamps.h"

#include <QVariant>

namespace {

QString column(TicketEvent::Field field)
{
    switch (field) {
    case TicketEvent::Field::Status:
        return QStringLiteral("status");
    case TicketEvent::Field::Category:
        return QStringLiteral("category");
    case TicketEvent::Field::Assignee:
        return QStringLiteral("assignee");
    }
    return {};
}

QVariant optionalText(const std::optional<QString> &value)
{
    return value ? QVariant(*value) : QVariant(QMetaType::fromType<QString>());
}

} // namespace

QString TicketEventLog::recordSql(TicketEvent::Field field, bool evenIfUnchanged)
{
    const QString name = column(field);
    QString sql = QStringLiteral("INSERT INTO ticket_events (ticket_id, field, value_before, "
                                 "value_after, actor_kind, actor, created_at) "
                                 "SELECT id, '%1', %1, ?, ?, ?, ? FROM tickets WHERE id = ?")
                      .arg(name);
    // COALESCE rather than IS DISTINCT FROM, which SQLite spells IS NOT.
    if (!evenIfUnchanged)
        sql += QStringLiteral(" AND COALESCE(%1, '') <> COALESCE(?, '')").arg(name);
    return sql;
}

void TicketEventLog::bind(QSqlQuery &query, qint64 ticketId, const std::optional<QString> &after,
                          const Actor &actor, qint64 atMs, bool evenIfUnchanged)
{
    query.bindValue(0, optionalText(after));
    query.bindValue(1, QString(actorKindName(actor.kind)));
    query.bindValue(2, actor.name);
    query.bindValue(3, atMs);
    query.bindValue(4, ticketId);
    if (!evenIfUnchanged)
        query.bindValue(5, optionalText(after));
}

QString TicketEventLog::selectSql()
{
    return QStringLiteral("SELECT id, ticket_id, field, value_before, value_after, actor_kind, "
                          "actor, created_at FROM ticket_events ");
}

TicketEvent TicketEventLog::event(const QSqlQuery &query)
{
    TicketEvent event;
    event.id = query.value(0).toLongLong();
    event.ticketId = query.value(1).toLongLong();
    event.field =
        ticketEventFieldFromName(query.value(2).toString()).value_or(TicketEvent::Field::Status);
    if (!query.isNull(3))
        event.before = query.value(3).toString();
    if (!query.isNull(4))
        event.after = query.value(4).toString();
    event.actor.kind = actorKindFromName(query.value(5).toString()).value_or(Actor::Kind::System);
    event.actor.name = query.value(6).toString();
    event.at = Timestamps::fromMs(query.value(7).toLongLong());
    return event;
}
