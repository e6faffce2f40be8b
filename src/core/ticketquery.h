#pragma once

#include "category.h"
#include "fielderror.h"
#include "pagecursor.h"
#include "ticket.h"

#include <QUrlQuery>

#include <optional>

// A filtered, newest-first page request over tickets; shared by the API and the window.
struct TicketQuery
{
    static constexpr int kDefaultLimit = 50;
    static constexpr int kMaxLimit = 500;

    std::optional<Category> category;
    std::optional<TicketStatus> status;
    std::optional<bool> needsReview;
    QString search;
    // Tickets one user holds; an empty name: tickets nobody holds. Never set by the API.
    std::optional<QString> assignee;
    // Tickets this user may take up: theirs and nobody's, leaving out what others hold. Never
    // set by the API.
    std::optional<QString> availableTo;
    // Only tickets up to this id: rows the window showed at its last refresh, not ones that
    // arrived since. Never set by the API.
    std::optional<qint64> upToId;
    int limit = kDefaultLimit;
    std::optional<PageCursor> after;

    static Validated<TicketQuery> fromUrlQuery(const QUrlQuery &query);
};

struct TicketPage
{
    QList<Ticket> items;
    qint64 total = 0;
    int limit = TicketQuery::kDefaultLimit;
    std::optional<PageCursor> next;
};
