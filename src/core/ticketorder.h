#pragma once

#include <Qt>

// How the window sorts tickets: by one column, ties broken by id in the same direction, so every
// ticket has one position.
struct TicketOrder
{
    enum class Key {
        Id,
        Received,
        Subject,
        Category,
        Confidence,
        Priority,
        Status,
        Assignee,
        NeedsReview
    };

    Key key = Key::Received;
    Qt::SortOrder direction = Qt::DescendingOrder;

    friend bool operator==(const TicketOrder &, const TicketOrder &) = default;
};
