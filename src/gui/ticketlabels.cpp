#include "ticketlabels.h"

#include "categorypalette.h"

#include <QCoreApplication>
#include <QLocale>

namespace {

QString translate(const char *text)
{
    return QCoreApplication::translate("TicketLabels", text);
}

// A stored value's label; a name this version does not know is shown as stored.
QString valueLabel(TicketEvent::Field field, const QString &value)
{
    switch (field) {
    case TicketEvent::Field::Status:
        if (const auto status = ticketStatusFromName(value))
            return TicketLabels::status(*status);
        break;
    case TicketEvent::Field::Category:
        if (const auto category = categoryFromName(value))
            return CategoryPalette::displayName(*category);
        break;
    case TicketEvent::Field::Assignee:
        break;
    }
    return value;
}

} // namespace

QString TicketLabels::status(TicketStatus status)
{
    switch (status) {
    case TicketStatus::Open:
        return translate("Open");
    case TicketStatus::InProgress:
        return translate("In progress");
    case TicketStatus::Waiting:
        return translate("Waiting for customer");
    case TicketStatus::Resolved:
        return translate("Resolved");
    case TicketStatus::Closed:
        return translate("Closed");
    }
    return {};
}

QString TicketLabels::priority(Priority priority)
{
    switch (priority) {
    case Priority::Low:
        return translate("Low");
    case Priority::Medium:
        return translate("Medium");
    case Priority::High:
        return translate("High");
    }
    return {};
}

QString TicketLabels::provider(ClassificationProvider provider)
{
    switch (provider) {
    case ClassificationProvider::Remote:
        return translate("Remote LLM");
    case ClassificationProvider::Learned:
        return translate("Learned model");
    case ClassificationProvider::Rules:
        return translate("Rules");
    case ClassificationProvider::Agent:
        return translate("Agent");
    }
    return {};
}

QString TicketLabels::category(const Ticket &ticket)
{
    if (ticket.category)
        return CategoryPalette::displayName(*ticket.category);
    return ticket.classificationState() == ClassificationState::Failed ? translate("Not classified")
                                                                       : translate("Classifying…");
}

QString TicketLabels::confidence(double confidence)
{
    return QLocale().toString(confidence * 100.0, 'f', 0) + QStringLiteral(" %");
}

QString TicketLabels::headline(const Ticket &ticket)
{
    constexpr qsizetype kMaxHeadline = 160;
    QStringView text = ticket.form == TicketForm::SubjectBody && !ticket.subject.isEmpty()
                           ? QStringView(ticket.subject)
                           : QStringView(ticket.body).trimmed();
    if (const qsizetype lineEnd = text.indexOf(u'\n'); lineEnd >= 0)
        text = text.left(lineEnd);
    if (text.size() > kMaxHeadline)
        return text.left(kMaxHeadline).toString() + u'…';
    return text.toString();
}

QString TicketLabels::received(const QDateTime &when)
{
    // Minutes are enough to tell tickets apart in a list; seconds only widen the column.
    const QDateTime local = when.toLocalTime();
    const QLocale locale;
    return locale.toString(local.date(), QLocale::ShortFormat) + u' ' +
           locale.toString(local.time(), QStringLiteral("HH:mm"));
}

QString TicketLabels::change(const TicketEvent &event)
{
    const QString before = event.before ? valueLabel(event.field, *event.before) : QString();
    const QString after = event.after ? valueLabel(event.field, *event.after) : QString();
    switch (event.field) {
    case TicketEvent::Field::Status:
        return translate("Status: %1 → %2").arg(before, after);
    case TicketEvent::Field::Category:
        if (!event.before)
            return translate("Category: %1").arg(after);
        if (event.before == event.after)
            return translate("Confirmed category %1").arg(after);
        return translate("Category: %1 → %2").arg(before, after);
    case TicketEvent::Field::Assignee:
        if (!event.after)
            return translate("Unassigned from %1").arg(before);
        if (!event.before)
            return translate("Assigned to %1").arg(after);
        return translate("Assigned to %1 (was %2)").arg(after, before);
    }
    return {};
}
