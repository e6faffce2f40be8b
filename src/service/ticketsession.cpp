#include "ticketsession.h"

#include "servicelogging.h"
#include "storageerror.h"
#include "ticketservice.h"

#include <array>

using namespace Qt::StringLiterals;

TicketSession::TicketSession(TicketService &service)
    : m_service(service)
    , m_tickets(service.database())
    , m_classifications(service.database())
    , m_stats(service.database())
    , m_users(service.database())
    , m_messages(service.database())
    , m_feedback(service.database())
    , m_changeEvents(service.database())
    , m_autoResolve(service.database())
{}

TicketSession::~TicketSession() = default;

std::optional<Ticket> TicketSession::find(qint64 id)
{
    return m_tickets.find(id);
}

TicketSession::Detail TicketSession::detail(qint64 id)
{
    Detail detail;
    detail.ticket = m_tickets.find(id);
    if (detail.ticket) {
        detail.history = m_classifications.history(id);
        detail.events = m_tickets.events(id);
        detail.messages = m_messages.list(id);
    }
    return detail;
}

TicketPage TicketSession::list(const TicketQuery &query)
{
    return m_tickets.list(query);
}

qint64 TicketSession::count(const TicketQuery &filter)
{
    return m_tickets.count(filter);
}

TicketRepository::CategoryCounts TicketSession::countByCategory(const TicketQuery &filter)
{
    return m_tickets.countByCategory(filter);
}

TicketRepository::CountedRange
TicketSession::countedRange(const TicketQuery &filter, TicketOrder order, qint64 offset, int limit)
{
    return m_tickets.countedRange(filter, order, offset, limit);
}

QList<Ticket> TicketSession::range(const TicketQuery &filter, TicketOrder order, qint64 offset,
                                   int limit)
{
    return m_tickets.range(filter, order, offset, limit);
}

QList<qint64> TicketSession::idsInRange(const TicketQuery &filter, TicketOrder order, qint64 offset,
                                        int limit)
{
    return m_tickets.idsInRange(filter, order, offset, limit);
}

std::optional<qint64> TicketSession::position(const TicketQuery &filter, TicketOrder order,
                                              qint64 ticketId)
{
    return m_tickets.position(filter, order, ticketId);
}

qint64 TicketSession::newestId()
{
    return m_tickets.newestId();
}

ReadSnapshot TicketSession::readSnapshot()
{
    return ReadSnapshot(m_service.database());
}

TicketStats TicketSession::stats(const QDateTime &now, int days)
{
    return m_stats.stats(now, days);
}

Ticket TicketSession::create(const TicketDraft &draft, const Actor &actor,
                             std::optional<Category> category)
{
    const Ticket ticket = m_tickets.create(draft);
    qCInfo(lcService).noquote() << actor.displayName() << "filed ticket" << ticket.id;
    m_service.ticketsCreated();
    if (category)
        setCategory({ticket.id}, *category, actor);
    return ticket;
}

void TicketSession::setStatus(const QList<qint64> &ticketIds, TicketStatus status,
                              const Actor &actor)
{
    if (ticketIds.isEmpty())
        return;
    m_tickets.setStatus(ticketIds, status, actor);
    qCInfo(lcService).noquote() << actor.displayName() << "set" << ticketIds.size() << "tickets to"
                                << ticketStatusName(status);
    m_service.ticketsChangedHere();
}

void TicketSession::setCategory(const QList<qint64> &ticketIds, Category category,
                                const Actor &actor)
{
    if (ticketIds.isEmpty())
        return;
    m_classifications.addVerdict(ticketIds, category, actor);
    qCInfo(lcService).noquote() << actor.displayName() << "set" << ticketIds.size() << "tickets to"
                                << categoryName(category);
    m_service.ticketsChangedHere();
}

TicketSession::Problem TicketSession::assign(const QList<qint64> &ticketIds,
                                             const QString &assignee, const Actor &actor)
{
    if (const Problem problem = checkAssignee(assignee); problem != Problem::None)
        return problem;
    if (ticketIds.isEmpty())
        return Problem::None;
    m_tickets.setAssignee(ticketIds, assignee, actor);
    qCInfo(lcService).noquote() << actor.displayName() << "assigned" << ticketIds.size()
                                << "tickets to" << (assignee.isEmpty() ? u"nobody"_s : assignee);
    m_service.ticketsChangedHere();
    return Problem::None;
}

TicketSession::Problem TicketSession::checkAssignee(const QString &assignee)
{
    if (assignee.isEmpty())
        return Problem::None;
    const std::optional<UserAccount> user = m_users.find(assignee);
    if (!user)
        return Problem::UnknownAssignee;
    return user->disabled ? Problem::DisabledAssignee : Problem::None;
}

TicketSession::Changed TicketSession::change(qint64 ticketId, const TicketChange &change,
                                             const Actor &actor,
                                             std::optional<qint64> expectedVersion)
{
    Changed result;
    if (change.assignee) {
        result.problem = checkAssignee(*change.assignee);
        if (result.problem != Problem::None)
            return result;
    }
    switch (m_tickets.change(ticketId, change, actor, expectedVersion)) {
    case TicketRepository::ChangeOutcome::NotFound:
        result.problem = Problem::NotFound;
        return result;
    case TicketRepository::ChangeOutcome::Stale:
        result.problem = Problem::Stale;
        result.ticket = m_tickets.find(ticketId);
        return result;
    case TicketRepository::ChangeOutcome::Changed:
        break;
    }
    qCInfo(lcService).noquote() << actor.displayName() << "changed ticket" << ticketId;
    m_service.ticketsChangedHere();
    result.ticket = m_tickets.find(ticketId);
    return result;
}

QList<TicketEvent> TicketSession::history(qint64 ticketId)
{
    return m_tickets.events(ticketId);
}

QList<TicketMessage> TicketSession::messages(qint64 ticketId)
{
    return m_messages.list(ticketId);
}

std::optional<MessageRepository::Added>
TicketSession::addMessage(TicketMessage message, const Actor &actor,
                          std::optional<TicketStatus> status,
                          const std::optional<MessageRepository::IdempotencyKey> &idempotency)
{
    // Who wrote it is the session's to say, not the caller's: a customer has no name here, and
    // otherwise a person is an agent and anything else an integration.
    if (message.author == MessageAuthor::Customer) {
        message.authorName.clear();
    } else {
        message.author =
            actor.kind == Actor::Kind::User ? MessageAuthor::Agent : MessageAuthor::Integration;
        message.authorName = actor.name;
    }
    std::optional<MessageRepository::Added> stored =
        m_messages.add(std::move(message), actor, status, idempotency);
    if (stored && !stored->replayed && !stored->keyReusedWithOtherRequest) {
        const TicketMessage &added = stored->message;
        qCInfo(lcService).noquote()
            << actor.displayName() << "added a" << messageVisibilityName(added.visibility)
            << messageAuthorName(added.author) << "message to ticket" << added.ticketId
            << (stored->status ? u"and set it " + ticketStatusName(*stored->status) : QString());
        m_service.ticketsChangedHere();
    }
    return stored;
}

std::optional<DraftContext> TicketSession::draftContext(qint64 ticketId)
{
    std::optional<Ticket> ticket = m_tickets.find(ticketId);
    if (!ticket)
        return std::nullopt;
    DraftContext context{std::move(*ticket), m_messages.list(ticketId), {}};
    QString customerText = context.ticket.text();
    for (const TicketMessage &message : std::as_const(context.messages)) {
        if (message.author == MessageAuthor::Customer)
            customerText += u'\n' + message.body;
    }
    context.similar = SimilarReplies::find(m_messages, customerText, ticketId);
    return context;
}

std::optional<bool> TicketSession::rate(Feedback feedback, const Actor &actor)
{
    feedback.ratedBy = actor.name;
    if (!feedback.ratedAt.isValid())
        feedback.ratedAt = QDateTime::currentDateTimeUtc();
    const std::optional<bool> replaced = m_feedback.record(feedback);
    if (replaced) {
        qCInfo(lcService).noquote() << actor.displayName() << "recorded a rating of"
                                    << feedback.rating << "for ticket" << feedback.ticketId;
        m_service.ticketsChangedHere();
    }
    return replaced;
}

QList<OutgoingReply> TicketSession::replies(DeliveryStatus delivery, qint64 afterId, int limit)
{
    return m_messages.replies(delivery, afterId, limit);
}

QList<AutoResolveRule> TicketSession::autoResolveRules()
{
    return m_autoResolve.rules();
}

void TicketSession::setAutoResolveRules(const QList<AutoResolveRepository::RuleChange> &changes,
                                        const Actor &actor)
{
    m_autoResolve.setRules(changes, actor);
    for (const auto &[category, threshold] : changes) {
        if (threshold) {
            qCInfo(lcService).noquote() << actor.displayName() << "turned auto-resolve on for"
                                        << categoryName(category) << "at" << *threshold;
        } else {
            qCInfo(lcService).noquote()
                << actor.displayName() << "turned auto-resolve off for" << categoryName(category);
        }
    }
}

std::optional<TicketMessage>
TicketSession::autoResolve(const Ticket &ticket, const AutoResolveRule &rule, const Actor &actor)
{
    // Only the machine's own category: a person's verdict means a person is on it. Never an
    // imported ticket: its customer wrote long ago, to whoever answered then.
    if (ticket.status != TicketStatus::Open || ticket.source == TicketSource::Import ||
        !ticket.classification ||
        ticket.classification->provider == ClassificationProvider::Agent ||
        ticket.classification->needsReview || ticket.classification->category != rule.category ||
        ticket.category != rule.category || ticket.classification->confidence < rule.threshold)
        return std::nullopt;
    const std::optional<ReusableAnswer> answer = SimilarReplies::closestResolved(
        m_messages, ticket.text(), ticket.id, rule.category, rule.threshold);
    if (!answer)
        return std::nullopt;
    std::optional<TicketMessage> sent = m_autoResolve.resolve(
        {ticket.id, rule.category, ticket.classification->id, answer->ticketId,
         ticket.classification->confidence, answer->similarity, answer->reply},
        actor);
    if (sent) {
        qCInfo(lcService).noquote()
            << actor.displayName() << "resolved ticket" << ticket.id << "with the reply of ticket"
            << answer->ticketId << "(" << answer->similarity << "alike)";
        m_service.ticketsChangedHere();
    }
    return sent;
}

QList<Ticket> TicketSession::findAll(const QList<qint64> &ids)
{
    return m_tickets.findAll(ids);
}

TicketSession::Ratings TicketSession::ratings(qint64 ticketId)
{
    return {m_feedback.current(ticketId), m_feedback.history(ticketId)};
}

void TicketSession::recordDraftOffer(qint64 ticketId, const QString &provider, const QString &model,
                                     const Actor &actor)
{
    try {
        m_messages.recordDraftOffer(ticketId, provider, model, actor);
    } catch (const StorageError &error) {
        qCWarning(lcService) << "Could not count the draft offered:" << error.message();
    }
}

TicketSession::DeliveryChange TicketSession::setDelivery(qint64 ticketId, qint64 messageId,
                                                         DeliveryStatus status,
                                                         const QString &error, const Actor &actor)
{
    DeliveryChange result;
    if (!m_messages.setDelivery(ticketId, messageId, status, error)) {
        const std::optional<TicketMessage> message = m_messages.find(ticketId, messageId);
        result.problem =
            message ? DeliveryChange::Problem::NotAReply : DeliveryChange::Problem::NotFound;
        return result;
    }
    result.message = m_messages.find(ticketId, messageId);
    qCInfo(lcService).noquote() << actor.displayName() << "reported reply" << messageId
                                << "of ticket" << ticketId << deliveryStatusName(status);
    m_service.ticketsChangedHere();
    return result;
}

QList<UserAccount> TicketSession::users()
{
    return m_users.list();
}

qint64 TicketSession::acceptCategories(const QList<qint64> &ticketIds, const Actor &actor)
{
    std::array<QList<qint64>, kAllCategories.size()> byCategory;
    for (const qint64 id : ticketIds) {
        const std::optional<Ticket> ticket = m_tickets.find(id);
        if (ticket && ticket->category && ticket->classification &&
            ticket->classification->provider != ClassificationProvider::Agent) {
            byCategory.at(qsizetype(*ticket->category)).append(id);
        }
    }
    qint64 accepted = 0;
    for (qsizetype i = 0; i < qsizetype(kAllCategories.size()); ++i) {
        setCategory(byCategory.at(i), kAllCategories.at(i), actor);
        accepted += byCategory.at(i).size();
    }
    return accepted;
}
