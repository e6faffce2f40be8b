#include "ticket.h"

#include "enumnames.h"

#include <QStringList>

namespace {

const EnumNameTable<TicketStatus, 5> kStatusNames{{
    {TicketStatus::Open, QLatin1String("open")},
    {TicketStatus::InProgress, QLatin1String("in_progress")},
    {TicketStatus::Waiting, QLatin1String("waiting")},
    {TicketStatus::Resolved, QLatin1String("resolved")},
    {TicketStatus::Closed, QLatin1String("closed")},
}};

const EnumNameTable<TicketSource, 3> kSourceNames{{
    {TicketSource::Api, QLatin1String("api")},
    {TicketSource::Gui, QLatin1String("gui")},
    {TicketSource::Import, QLatin1String("import")},
}};

const EnumNameTable<TicketForm, 2> kFormNames{{
    {TicketForm::Text, QLatin1String("text")},
    {TicketForm::SubjectBody, QLatin1String("subject_body")},
}};

} // namespace

QString ticketStatusChoices()
{
    QStringList names;
    for (const TicketStatus status : kAllTicketStatuses)
        names.append(ticketStatusName(status));
    return QStringLiteral("must be one of ") + names.join(QStringLiteral(", "));
}

QLatin1String ticketStatusName(TicketStatus status)
{
    return enumName(kStatusNames, status);
}

std::optional<TicketStatus> ticketStatusFromName(QStringView name)
{
    return enumFromName(kStatusNames, name);
}

QLatin1String ticketSourceName(TicketSource source)
{
    return enumName(kSourceNames, source);
}

std::optional<TicketSource> ticketSourceFromName(QStringView name)
{
    return enumFromName(kSourceNames, name);
}

QLatin1String ticketFormName(TicketForm form)
{
    return enumName(kFormNames, form);
}

std::optional<TicketForm> ticketFormFromName(QStringView name)
{
    return enumFromName(kFormNames, name);
}

QString ticketText(TicketForm form, const QString &subject, const QString &body)
{
    if (form == TicketForm::Text || subject.isEmpty())
        return body;
    return subject + QLatin1String("\n\n") + body;
}
