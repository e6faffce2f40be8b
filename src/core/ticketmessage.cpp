#include "ticketmessage.h"

#include "enumnames.h"
#include "plaintext.h"

namespace {

const EnumNameTable<MessageAuthor, 3> kAuthorNames{{
    {MessageAuthor::Customer, QLatin1String("customer")},
    {MessageAuthor::Agent, QLatin1String("agent")},
    {MessageAuthor::Integration, QLatin1String("integration")},
}};

const EnumNameTable<MessageVisibility, 2> kVisibilityNames{{
    {MessageVisibility::Public, QLatin1String("public")},
    {MessageVisibility::Internal, QLatin1String("internal")},
}};

const EnumNameTable<DeliveryStatus, 3> kDeliveryNames{{
    {DeliveryStatus::Pending, QLatin1String("pending")},
    {DeliveryStatus::Delivered, QLatin1String("delivered")},
    {DeliveryStatus::Failed, QLatin1String("failed")},
}};

} // namespace

QLatin1String messageAuthorName(MessageAuthor author)
{
    return enumName(kAuthorNames, author);
}

std::optional<MessageAuthor> messageAuthorFromName(QStringView name)
{
    return enumFromName(kAuthorNames, name);
}

QLatin1String messageVisibilityName(MessageVisibility visibility)
{
    return enumName(kVisibilityNames, visibility);
}

std::optional<MessageVisibility> messageVisibilityFromName(QStringView name)
{
    return enumFromName(kVisibilityNames, name);
}

QLatin1String deliveryStatusName(DeliveryStatus status)
{
    return enumName(kDeliveryNames, status);
}

std::optional<DeliveryStatus> deliveryStatusFromName(QStringView name)
{
    return enumFromName(kDeliveryNames, name);
}

std::optional<TicketStatus> TicketMessage::statusAfter(TicketStatus current,
                                                       std::optional<TicketStatus> requested) const
{
    if (author == MessageAuthor::Customer && !requested &&
        (current == TicketStatus::Waiting || current == TicketStatus::Resolved))
        requested = TicketStatus::Open;
    if (requested == current)
        return std::nullopt;
    return requested;
}

FieldErrors TicketMessage::validate() const
{
    if (const QString problem = PlainText::problemWith(body, kMaxBodyLength); !problem.isEmpty())
        return {{QStringLiteral("body"), problem}};
    return {};
}
