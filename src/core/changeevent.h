#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QString>
#include <QStringList>

// One committed change to a ticket, as GET /events tells it: created, classified, updated (a
// status, category or assignee), replied to (any message added) or rated. Positions follow the
// order in which the changes committed, so a reader that has seen one has seen all before it.
struct ChangeEvent
{
    // How long events are kept for clients to resume from.
    static constexpr int kRetentionDays = 7;

    qint64 position = 0;
    QString type;
    qint64 ticketId = 0;
    // An internal note's: only for those who may read notes.
    bool internal = false;
    // What changed; its keys depend on the type.
    QJsonObject data;
    // When it was written, by the database's clock, within the change's transaction: for a
    // long transaction a little before its commit, so times need not grow with positions.
    QDateTime at;

    // Every type there is, in a fixed order: "ticket.created", "ticket.classified",
    // "ticket.updated", "ticket.replied", "ticket.rated".
    static const QStringList &types();

    // {"id", "type", "ticket_id", "at", and the data's keys}, as each event's data line.
    QJsonObject toJson() const;
};
