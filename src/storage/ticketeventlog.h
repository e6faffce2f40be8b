#pragma once

#include "actor.h"
#include "ticketevent.h"

#include <QSqlQuery>
#include <QString>

#include <optional>

// The SQL that records a change in ticket_events, shared by every write that changes a ticket.
// Run it just before the change, in the same transaction: it reads the value being replaced
// from the ticket itself, so the history cannot disagree with what was there.
class TicketEventLog final
{
public:
    // Binds: the new value, the actor's kind and name, the time, the ticket id, and unless
    // evenIfUnchanged the new value again, to leave out tickets that already hold it.
    static QString recordSql(TicketEvent::Field field, bool evenIfUnchanged = false);
    static void bind(QSqlQuery &query, qint64 ticketId, const std::optional<QString> &after,
                     const Actor &actor, qint64 atMs, bool evenIfUnchanged = false);

    // The history's select list; append the condition and order.
    static QString selectSql();
    static TicketEvent event(const QSqlQuery &query);
};
