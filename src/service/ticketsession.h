#pragma once

#include "actor.h"
#include "autoresolverepository.h"
#include "changeeventrepository.h"
#include "classificationrepository.h"
#include "feedbackrepository.h"
#include "messagerepository.h"
#include "readsnapshot.h"
#include "replyprompt.h"
#include "similarreplies.h"
#include "statsrepository.h"
#include "ticketrepository.h"
#include "userrepository.h"

#include <QDateTime>
#include <QList>

#include <optional>

class TicketService;

// One thread's way to the tickets, made by TicketService::openSession(). Every call blocks on
// the database, so it belongs on a storage or API thread, never the GUI thread, and only on the
// thread that opened it (a QtSql connection belongs to one thread). Writes name their actor and
// tell the service, which wakes the classifier and announces the change. Throws StorageError.
class TicketSession final
{
public:
    ~TicketSession();
    Q_DISABLE_COPY_MOVE(TicketSession)

    struct Detail
    {
        std::optional<Ticket> ticket;
        // Oldest first; empty when the ticket is unknown.
        QList<Classification> history;
        // Who changed what, oldest first.
        QList<TicketEvent> events;
        // The conversation after the opening text, oldest first.
        QList<TicketMessage> messages;
    };

    std::optional<Ticket> find(qint64 id);
    Detail detail(qint64 id);
    TicketPage list(const TicketQuery &query);
    qint64 count(const TicketQuery &filter);
    TicketRepository::CategoryCounts countByCategory(const TicketQuery &filter);
    QList<Ticket> range(const TicketQuery &filter, TicketOrder order, qint64 offset, int limit);
    TicketRepository::CountedRange countedRange(const TicketQuery &filter, TicketOrder order,
                                                qint64 offset, int limit);
    QList<qint64> idsInRange(const TicketQuery &filter, TicketOrder order, qint64 offset,
                             int limit);
    std::optional<qint64> position(const TicketQuery &filter, TicketOrder order, qint64 ticketId);
    qint64 newestId();
    // While it lives, reads through this session see the same data: a count, the positions of
    // tickets and the rows around them agree although another writer commits meanwhile.
    [[nodiscard]] ReadSnapshot readSnapshot();
    TicketStats stats(const QDateTime &now, int days);

    // Stores a ticket at once, in its own transaction; with a category, the actor's verdict on it
    // follows (a ticket filed already sorted).
    Ticket create(const TicketDraft &draft, const Actor &actor,
                  std::optional<Category> category = std::nullopt);
    // Unknown ids are skipped; nothing changes when it throws.
    void setStatus(const QList<qint64> &ticketIds, TicketStatus status, const Actor &actor);
    // The actor's verdict: it becomes the tickets' category from now on and training data.
    void setCategory(const QList<qint64> &ticketIds, Category category, const Actor &actor);
    // Why a change was not made.
    enum class Problem { None, NotFound, Stale, UnknownAssignee, DisabledAssignee };
    // Gives the tickets to a user, or to nobody with an empty name.
    Problem assign(const QList<qint64> &ticketIds, const QString &assignee, const Actor &actor);
    struct Changed
    {
        Problem problem = Problem::None;
        // As it is now: after the change, or, when Stale, after whoever changed it first.
        std::optional<Ticket> ticket;
    };
    // All of the change or none, and with an expected version only while the ticket still has
    // it, so that two agents or integrations cannot overwrite each other unknowingly.
    Changed change(qint64 ticketId, const TicketChange &change, const Actor &actor,
                   std::optional<qint64> expectedVersion = std::nullopt);
    // Who changed what on the ticket, oldest first.
    QList<TicketEvent> history(qint64 ticketId);
    // The conversation after the customer's opening text, oldest first; empty for an unknown
    // ticket.
    QList<TicketMessage> messages(qint64 ticketId);
    // Adds the actor's message to the ticket's conversation: an agent's or integration's reply
    // or note, or a customer's message an integration relays; with a status, the ticket takes it
    // in the same transaction (a reply that resolves it). Null for an unknown ticket. The message
    // must be valid.
    std::optional<MessageRepository::Added>
    addMessage(TicketMessage message, const Actor &actor,
               std::optional<TicketStatus> status = std::nullopt,
               const std::optional<MessageRepository::IdempotencyKey> &idempotency = std::nullopt);
    // The team's public replies with this delivery status, across tickets, oldest first, after
    // the reply with id afterId: what a mail gateway has to send.
    QList<OutgoingReply> replies(DeliveryStatus delivery, qint64 afterId, int limit);
    struct DeliveryChange
    {
        // NotAReply: a note or the customer's own message, which nobody delivers.
        enum class Problem { None, NotFound, NotAReply } problem = Problem::None;
        std::optional<TicketMessage> message;
    };
    // What a reply to the ticket is drafted from, with the replies of answered tickets that read
    // like what this one's customer wrote, best first; null for an unknown ticket. Works offline.
    std::optional<DraftContext> draftContext(qint64 ticketId);
    // An AI draft of provider's model was put in front of the actor, for its acceptance rate.
    // Never throws: the draft matters more than the count, so a failure is only logged.
    void recordDraftOffer(qint64 ticketId, const QString &provider, const QString &model,
                          const Actor &actor);
    // How delivering a public reply went, as the integration that delivers it reports.
    DeliveryChange setDelivery(qint64 ticketId, qint64 messageId, DeliveryStatus status,
                               const QString &error, const Actor &actor);

    // Records the customer's rating as the actor (the survey integration) reports it: the
    // ticket's current one, kept in its history. Null for an unknown ticket; otherwise whether
    // it replaced an earlier rating. The feedback must be valid.
    std::optional<bool> rate(Feedback feedback, const Actor &actor);
    struct Ratings
    {
        std::optional<Feedback> current;
        QList<Feedback> history;
    };
    Ratings ratings(qint64 ticketId);

    // The log of committed changes (ChangeEventRepository): what GET /events tells.
    ChangeEventRepository &changeEvents() { return m_changeEvents; }

    // The categories whose new tickets the machine may answer by itself, and at what threshold.
    QList<AutoResolveRule> autoResolveRules();
    // Turns auto-resolve on for each category at its threshold (AutoResolveRule's range), or
    // off with none; all of them or none.
    void setAutoResolveRules(const QList<AutoResolveRepository::RuleChange> &changes,
                             const Actor &actor);
    void setAutoResolveRule(Category category, std::optional<double> threshold, const Actor &actor)
    {
        setAutoResolveRules({{category, threshold}}, actor);
    }
    // Answers the classified ticket by the rule of its category, as the actor: with the reply of
    // the most alike ticket the team resolved, when both the classification's confidence and the
    // likeness reach the threshold, the reply can go to another customer, and nobody has taken
    // the ticket up. The reply sent, or null.
    std::optional<TicketMessage> autoResolve(const Ticket &ticket, const AutoResolveRule &rule,
                                             const Actor &actor);
    QList<Ticket> findAll(const QList<qint64> &ids);
    // Everyone a ticket can be assigned to (the enabled ones) and who is disabled, by name.
    QList<UserAccount> users();
    // The machine's current category of each ticket becomes the actor's verdict. Tickets still
    // unclassified or already decided by a person are left alone. Returns how many were accepted.
    qint64 acceptCategories(const QList<qint64> &ticketIds, const Actor &actor);

private:
    friend class TicketService;
    explicit TicketSession(TicketService &service);

    TicketService &m_service;
    TicketRepository m_tickets;
    ClassificationRepository m_classifications;
    StatsRepository m_stats;
    UserRepository m_users;
    MessageRepository m_messages;
    FeedbackRepository m_feedback;
    ChangeEventRepository m_changeEvents;
    AutoResolveRepository m_autoResolve;

    Problem checkAssignee(const QString &assignee);
};
