#pragma once

#include "fielderror.h"

#include <QFlags>
#include <QLatin1String>
#include <QStringView>

#include <array>
#include <optional>

// What an integration token lets its holder do through the API.
enum class Scope : unsigned {
    TicketsRead = 1,
    TicketsWrite = 2,
    StatsRead = 4,
    // Add to a ticket's conversation (a customer's message, a reply) and report a reply's
    // delivery: what a mail gateway needs, without changing categories or statuses.
    RepliesWrite = 8,
    // Record the customer's rating of how their ticket was handled: what a survey tool needs.
    FeedbackWrite = 16,
    // Follow changes to tickets as they happen (GET /events): what a CRM that mirrors tickets
    // needs instead of polling.
    EventsRead = 32,
    // Register and remove webhooks and read their delivery log: an admin's credential for
    // setting up integrations, never needed by the integrations themselves.
    WebhooksManage = 64,
};
Q_DECLARE_FLAGS(Scopes, Scope)
Q_DECLARE_OPERATORS_FOR_FLAGS(Scopes)

inline constexpr std::array<Scope, 7> kAllScopes{
    Scope::TicketsRead,   Scope::TicketsWrite, Scope::StatsRead,     Scope::RepliesWrite,
    Scope::FeedbackWrite, Scope::EventsRead,   Scope::WebhooksManage};

// "tickets:read"
QLatin1String scopeName(Scope scope);
std::optional<Scope> scopeFromName(QStringView name);
// Names separated by commas or spaces, as a user types them; an unknown or missing name is an
// error for the field "scopes".
Validated<Scopes> parseScopes(QStringView text);
// Space-separated, in a fixed order: how scopes are stored and shown.
QString scopesText(Scopes scopes);
