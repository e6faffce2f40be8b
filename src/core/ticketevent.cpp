#include "ticketevent.h"

#include "enumnames.h"

static const EnumNameTable<TicketEvent::Field, 3> kFieldNames{{
    {TicketEvent::Field::Status, QLatin1String("status")},
    {TicketEvent::Field::Category, QLatin1String("category")},
    {TicketEvent::Field::Assignee, QLatin1String("assignee")},
}};

QLatin1String ticketEventFieldName(TicketEvent::Field field)
{
    return enumName(kFieldNames, field);
}

std::optional<TicketEvent::Field> ticketEventFieldFromName(QStringView name)
{
    return enumFromName(kFieldNames, name);
}
