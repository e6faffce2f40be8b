#include "ticketquery.h"

#include "ticketdraft.h"
#include "urlqueryreader.h"

Validated<TicketQuery> TicketQuery::fromUrlQuery(const QUrlQuery &urlQuery)
{
    UrlQueryReader reader(urlQuery, {QStringLiteral("category"), QStringLiteral("status"),
                                     QStringLiteral("needs_review"), QStringLiteral("q"),
                                     QStringLiteral("limit"), QStringLiteral("cursor")});
    TicketQuery query;
    if (const auto category = reader.text(QStringLiteral("category"))) {
        query.category = categoryFromName(*category);
        if (!query.category) {
            reader.addError(QStringLiteral("category"),
                            QStringLiteral("must be one of technical, billing, general"));
        }
    }
    if (const auto status = reader.text(QStringLiteral("status"))) {
        query.status = ticketStatusFromName(*status);
        if (!query.status) {
            reader.addError(QStringLiteral("status"), ticketStatusChoices());
        }
    }
    if (const auto needsReview = reader.text(QStringLiteral("needs_review"))) {
        if (*needsReview == QLatin1String("true"))
            query.needsReview = true;
        else if (*needsReview == QLatin1String("false"))
            query.needsReview = false;
        else
            reader.addError(QStringLiteral("needs_review"),
                            QStringLiteral("must be true or false"));
    }
    if (const auto search = reader.text(QStringLiteral("q"))) {
        query.search = search->trimmed();
        if (characterCount(query.search) > 200)
            reader.addError(QStringLiteral("q"), QStringLiteral("must be at most 200 characters"));
    }
    query.limit = reader.integer(QStringLiteral("limit"), 1, kMaxLimit).value_or(kDefaultLimit);
    if (const auto cursor = reader.text(QStringLiteral("cursor"))) {
        query.after = PageCursor::decode(*cursor);
        if (!query.after) {
            reader.addError(QStringLiteral("cursor"),
                            QStringLiteral("is not a cursor this server handed out"));
        }
    }
    return {query, reader.errors()};
}
