#include "ticketlabels.h"

#include "categorypalette.h"

#include <QCoreApplication>
#include <QLocale>

namespace {

QString translate(const char *text)
{
    return QCoreApplication::translate("TicketLabels", text);
}

} // namespace

QString TicketLabels::status(TicketStatus status)
{
    switch (status) {
    case TicketStatus::Open:
        return translate("Open");
    case TicketStatus::InProgress:
        return translate("In progress");
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
    case ClassificationProvider::FastText:
        return translate("fastText");
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
