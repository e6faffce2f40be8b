#pragma once

#include "actor.h"

#include <QDateTime>
#include <QLatin1String>
#include <QString>
#include <QStringView>

#include <optional>

// One change a person or an integration made to a ticket: its status, its category (a verdict,
// also one that confirms the category) or who holds it.
struct TicketEvent
{
    enum class Field { Status, Category, Assignee };

    qint64 id = 0;
    qint64 ticketId = 0;
    Field field = Field::Status;
    // The values' names; none: no category, nobody assigned.
    std::optional<QString> before;
    std::optional<QString> after;
    Actor actor;
    QDateTime at;
};

QLatin1String ticketEventFieldName(TicketEvent::Field field);
std::optional<TicketEvent::Field> ticketEventFieldFromName(QStringView name);
