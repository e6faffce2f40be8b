#include "ticketmessage.h"

#include "enumnames.h"
#include "plaintext.h"

#include <algorithm>
#include <numeric>

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

qint64 DraftOrigin::editDistance(QStringView draft, QStringView sent)
{
    // Agents mostly edit a greeting or a sentence: what both share at either end costs nothing.
    while (!draft.isEmpty() && !sent.isEmpty() && draft.front() == sent.front()) {
        draft = draft.sliced(1);
        sent = sent.sliced(1);
    }
    while (!draft.isEmpty() && !sent.isEmpty() && draft.back() == sent.back()) {
        draft.chop(1);
        sent.chop(1);
    }
    if (draft.isEmpty() || sent.isEmpty())
        return std::max(draft.size(), sent.size());
    // Past this the table costs seconds; a reply rewritten that much gets the upper bound, which
    // counts it as changed throughout, as it nearly is.
    constexpr qint64 kMaxCells = 16'000'000;
    if (qint64(draft.size()) * sent.size() > kMaxCells)
        return std::max(draft.size(), sent.size());
    // One row of the table at a time.
    QList<qint64> row(sent.size() + 1);
    std::iota(row.begin(), row.end(), 0);
    for (qsizetype i = 1; i <= draft.size(); ++i) {
        qint64 diagonal = row[0];
        row[0] = i;
        for (qsizetype j = 1; j <= sent.size(); ++j) {
            const qint64 above = row[j];
            row[j] = std::min(
                {above + 1, row[j - 1] + 1, diagonal + (draft[i - 1] == sent[j - 1] ? 0 : 1)});
            diagonal = above;
        }
    }
    return row[sent.size()];
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
