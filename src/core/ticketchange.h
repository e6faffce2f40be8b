#pragma once

#include "category.h"
#include "ticket.h"

#include <QString>

#include <optional>

// What an agent or an integration asks to change on one ticket; absent fields stay as they are.
struct TicketChange
{
    std::optional<TicketStatus> status;
    // A verdict by whoever makes the change.
    std::optional<Category> category;
    // A user's name, or an empty string to unassign.
    std::optional<QString> assignee;

    bool isEmpty() const { return !status && !category && !assignee; }
};
