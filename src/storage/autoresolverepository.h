#pragma once

#include "actor.h"
#include "autoresolverule.h"
#include "statementcache.h"
#include "ticketmessage.h"

#include <QList>
#include <QSqlDatabase>

#include <optional>
#include <utility>

class Database;

// The team's auto-resolve rules, and answering a ticket by them: the reused reply, the ticket
// resolved and the record that the machine did it, in one transaction. Throws StorageError.
class AutoResolveRepository final
{
public:
    explicit AutoResolveRepository(const Database &database);
    Q_DISABLE_COPY_MOVE(AutoResolveRepository)

    // The categories that have one, in kAllCategories order.
    QList<AutoResolveRule> rules();
    // A category's threshold (AutoResolveRule::isValidThreshold()), or none to turn
    // auto-resolve off for it.
    using RuleChange = std::pair<Category, std::optional<double>>;
    // All of them or none.
    void setRules(const QList<RuleChange> &changes, const Actor &actor);
    void setRule(Category category, std::optional<double> threshold, const Actor &actor)
    {
        setRules({{category, threshold}}, actor);
    }

    struct Answer
    {
        qint64 ticketId = 0;
        // The classification's category, which the ticket must still have.
        Category category = Category::General;
        // The classification judged, which must still be the ticket's current one.
        qint64 classificationId = 0;
        qint64 sourceTicketId = 0;
        double confidence = 0;
        double similarity = 0;
        // Fit for another customer (ReusableReply).
        QString reply;
    };
    // Sends the reply as the actor's public reply and resolves the ticket, only while nobody
    // has taken it up: still open, held by nobody, with that classification, and without a
    // public reply from the team. Null when that no longer holds, or the reply is not a valid
    // message.
    std::optional<TicketMessage> resolve(const Answer &answer, const Actor &actor);

    // The name replies sent by resolve() give as their draft's provider.
    static constexpr QLatin1String kProvider{"auto-resolve"};

private:
    void writeRule(Category category, std::optional<double> threshold, const Actor &actor);

    const Database &m_database;
    QSqlDatabase m_db;
    StatementCache m_statements;
};
