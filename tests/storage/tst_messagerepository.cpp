// The conversation on a ticket, on a real database of either kind.
#include "messagerepository.h"
#include "searchtext.h"
#include "storageerror.h"
#include "temporarydatabase.h"
#include "ticketrepository.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QTest>

using namespace Qt::StringLiterals;

class TestMessageRepository : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void threadKeepsTheOrderMessagesWereAdded();
    void onlyTheTeamsPublicRepliesAreDelivered();
    void deliveryIsRecordedOnRepliesOnly();
    void aDraftsOriginIsKept();
    void noTicketNoMessage();
    void replyCanSetTheStatus();
    void similarAnsweredTicketsComeBestFirst();
    void customerWritingAgainReopens_data();
    void customerWritingAgainReopens();
    void importedAnswerIsTheFirstAgentReply();
    void upgradeTurnsImportedAnswersIntoReplies();
    void anIdempotencyKeyStoresItsMessageOnce();

private:
    // The message as stored, with the actor the tests write as.
    static std::optional<TicketMessage> added(MessageRepository &messages,
                                              const TicketMessage &message);
    qint64 ticket(const QString &text = u"The printer is on fire"_s);
    static TicketMessage reply(qint64 ticketId, const QString &body,
                               MessageAuthor author = MessageAuthor::Agent,
                               MessageVisibility visibility = MessageVisibility::Public);

    std::unique_ptr<TemporaryDatabase> m_temporary;
};

void TestMessageRepository::init()
{
    m_temporary = std::make_unique<TemporaryDatabase>();
}

void TestMessageRepository::cleanup()
{
    m_temporary.reset();
}

std::optional<TicketMessage> TestMessageRepository::added(MessageRepository &messages,
                                                          const TicketMessage &message)
{
    const std::optional<MessageRepository::Added> stored =
        messages.add(message, Actor::user(u"alice"_s));
    return stored ? std::optional(stored->message) : std::nullopt;
}

qint64 TestMessageRepository::ticket(const QString &text)
{
    return TicketRepository(m_temporary->database())
        .create(TicketDraft::fromText(text, TicketSource::Api))
        .id;
}

TicketMessage TestMessageRepository::reply(qint64 ticketId, const QString &body,
                                           MessageAuthor author, MessageVisibility visibility)
{
    TicketMessage message;
    message.ticketId = ticketId;
    message.author = author;
    message.authorName = author == MessageAuthor::Customer ? QString() : u"alice"_s;
    message.visibility = visibility;
    message.body = body;
    return message;
}

void TestMessageRepository::threadKeepsTheOrderMessagesWereAdded()
{
    MessageRepository messages(m_temporary->database());
    const qint64 id = ticket();
    const qint64 other = ticket(u"Another one"_s);
    const QDateTime at(QDate(2026, 12, 6), QTime(9, 0), Qt::UTC);
    // The same time for all: the order is the order of adding, not of the clock.
    const QStringList bodies{u"Have you tried turning it off?"_s, u"It is still burning 🔥"_s,
                             u"Customer sounds upset; escalating.\nLine two."_s};
    const QList<MessageAuthor> authors{MessageAuthor::Agent, MessageAuthor::Customer,
                                       MessageAuthor::Agent};
    for (int i = 0; i < bodies.size(); ++i) {
        TicketMessage message =
            reply(id, bodies.at(i), authors.at(i),
                  i == 2 ? MessageVisibility::Internal : MessageVisibility::Public);
        message.createdAt = at;
        const std::optional<TicketMessage> stored = added(messages, message);
        QVERIFY(stored);
        QVERIFY(stored->id > 0);
        QCOMPARE(stored->createdAt, at);
    }
    QVERIFY(added(messages, reply(other, u"Elsewhere"_s)));

    const QList<TicketMessage> thread = messages.list(id);
    QCOMPARE(thread.size(), 3);
    for (int i = 0; i < thread.size(); ++i) {
        QCOMPARE(thread.at(i).body, bodies.at(i));
        QCOMPARE(thread.at(i).author, authors.at(i));
        QCOMPARE(thread.at(i).ticketId, id);
    }
    QCOMPARE(thread.at(1).authorName, QString());
    QCOMPARE(thread.at(2).visibility, MessageVisibility::Internal);
    QVERIFY(thread.at(0).id < thread.at(1).id && thread.at(1).id < thread.at(2).id);
    QCOMPARE(messages.list(other).size(), 1);
    QVERIFY(messages.list(other + 1000).isEmpty());
}

void TestMessageRepository::onlyTheTeamsPublicRepliesAreDelivered()
{
    MessageRepository messages(m_temporary->database());
    const qint64 id = ticket();
    TicketMessage claimsDelivered = reply(id, u"Done"_s);
    claimsDelivered.delivery = DeliveryStatus::Delivered; // not the writer's to say
    QCOMPARE(added(messages, claimsDelivered)->delivery, DeliveryStatus::Pending);
    QCOMPARE(added(messages, reply(id, u"From the CRM"_s, MessageAuthor::Integration))->delivery,
             DeliveryStatus::Pending);
    QCOMPARE(added(messages, reply(id, u"Thanks"_s, MessageAuthor::Customer))->delivery,
             std::nullopt);
    QCOMPARE(
        added(messages, reply(id, u"Note"_s, MessageAuthor::Agent, MessageVisibility::Internal))
            ->delivery,
        std::nullopt);
    const QList<TicketMessage> thread = messages.list(id);
    QCOMPARE(thread.at(0).delivery, DeliveryStatus::Pending);
    QCOMPARE(thread.at(2).delivery, std::nullopt);
    QCOMPARE(thread.at(3).delivery, std::nullopt);

    // The schema holds the rule too, whoever writes.
    QSqlQuery rogue(m_temporary->database().connection());
    QVERIFY(rogue.prepare(u"INSERT INTO ticket_messages (ticket_id, author_kind, visibility, body, "
                          "delivery, created_at) VALUES (?, 'agent', 'internal', 'x', "
                          "'pending', 0)"_s));
    rogue.addBindValue(id);
    QVERIFY(!rogue.exec());
}

void TestMessageRepository::deliveryIsRecordedOnRepliesOnly()
{
    MessageRepository messages(m_temporary->database());
    const qint64 id = ticket();
    const qint64 replyId = added(messages, reply(id, u"Done"_s))->id;
    const qint64 noteId =
        added(messages, reply(id, u"Note"_s, MessageAuthor::Agent, MessageVisibility::Internal))
            ->id;

    QVERIFY(messages.setDelivery(id, replyId, DeliveryStatus::Failed, u"mailbox full"_s));
    QCOMPARE(messages.list(id).at(0).delivery, DeliveryStatus::Failed);
    QCOMPARE(messages.list(id).at(0).deliveryError, u"mailbox full"_s);
    // A later success clears the failure's reason.
    QVERIFY(messages.setDelivery(id, replyId, DeliveryStatus::Delivered, u"ignored"_s));
    QCOMPARE(messages.list(id).at(0).delivery, DeliveryStatus::Delivered);
    QCOMPARE(messages.list(id).at(0).deliveryError, QString());

    QVERIFY(!messages.setDelivery(id, noteId, DeliveryStatus::Delivered));
    QCOMPARE(messages.list(id).at(1).delivery, std::nullopt);
    QVERIFY(!messages.setDelivery(id, replyId + 1000, DeliveryStatus::Delivered));
    // A message is reached through its own ticket only.
    const qint64 other = ticket(u"Another"_s);
    QVERIFY(!messages.setDelivery(other, replyId, DeliveryStatus::Failed));
    QCOMPARE(messages.find(id, replyId)->delivery, DeliveryStatus::Delivered);
    QCOMPARE(messages.find(other, replyId), std::nullopt);
}

void TestMessageRepository::aDraftsOriginIsKept()
{
    MessageRepository messages(m_temporary->database());
    const qint64 id = ticket();
    TicketMessage drafted = reply(id, u"Please restart the printer."_s);
    drafted.draft = DraftOrigin{u"remote"_s, u"gpt-4o-mini"_s, 17};
    added(messages, drafted);
    added(messages, reply(id, u"Written by hand"_s));
    const QList<TicketMessage> thread = messages.list(id);
    QCOMPARE(thread.at(0).draft, drafted.draft);
    QCOMPARE(thread.at(1).draft, std::nullopt);
}

void TestMessageRepository::noTicketNoMessage()
{
    MessageRepository messages(m_temporary->database());
    QVERIFY(!messages.add(reply(4242, u"Hello?"_s), Actor::user(u"alice"_s)));
    QSqlQuery count(m_temporary->database().connection());
    QVERIFY(count.exec(u"SELECT COUNT(*) FROM ticket_messages"_s) && count.next());
    QCOMPARE(count.value(0).toInt(), 0);
}

void TestMessageRepository::replyCanSetTheStatus()
{
    MessageRepository messages(m_temporary->database());
    TicketRepository tickets(m_temporary->database());
    const qint64 id = ticket();
    const qint64 versionBefore = tickets.find(id)->version;
    const std::optional<MessageRepository::Added> asked = messages.add(
        reply(id, u"Which model is it?"_s), Actor::user(u"alice"_s), TicketStatus::Waiting);
    QVERIFY(asked);
    QCOMPARE(asked->status, TicketStatus::Waiting);
    const Ticket after = *tickets.find(id);
    QCOMPARE(after.status, TicketStatus::Waiting);
    QVERIFY(after.version > versionBefore);
    // In the ticket's history as the agent's change.
    const QList<TicketEvent> history = tickets.events(id);
    QCOMPARE(history.size(), 1);
    QCOMPARE(history.first().after, u"waiting"_s);
    QCOMPARE(history.first().actor, Actor::user(u"alice"_s));

    // Asking for the status it already has changes nothing.
    QCOMPARE(
        messages.add(reply(id, u"Any news?"_s), Actor::user(u"alice"_s), TicketStatus::Waiting)
            ->status,
        std::nullopt);
    QCOMPARE(tickets.events(id).size(), 1);

    // A status change that fails takes the message with it: nothing half stored.
    QSqlQuery breakHistory(m_temporary->database().connection());
    QVERIFY(breakHistory.exec(u"ALTER TABLE ticket_events RENAME TO ticket_events_gone"_s));
    breakHistory.finish();
    QVERIFY_THROWS_EXCEPTION(StorageError,
                             messages.add(reply(id, u"Solved, I think"_s), Actor::user(u"alice"_s),
                                          TicketStatus::Resolved));
    QCOMPARE(messages.list(id).size(), 2);
    QCOMPARE(tickets.find(id)->status, TicketStatus::Waiting);
}

void TestMessageRepository::similarAnsweredTicketsComeBestFirst()
{
    MessageRepository messages(m_temporary->database());
    const qint64 close = ticket(u"Account locked after a password reset, cannot log in"_s);
    QVERIFY(added(messages, reply(close, u"I unlocked your account."_s)));
    QVERIFY(added(messages, reply(close, u"Glad it works now."_s)));
    const qint64 further = ticket(u"Password reset mail never arrives"_s);
    QVERIFY(added(messages, reply(further, u"Check the spam folder."_s)));
    const qint64 unanswered = ticket(u"Account locked, password reset failed"_s);
    const qint64 noteOnly = ticket(u"Locked account after password reset"_s);
    QVERIFY(added(messages, reply(noteOnly, u"Asked IT"_s, MessageAuthor::Agent,
                                  MessageVisibility::Internal)));
    const qint64 customerOnly = ticket(u"Account locked after password reset again"_s);
    QVERIFY(added(messages, reply(customerOnly, u"Hello?"_s, MessageAuthor::Customer)));
    const qint64 unrelated = ticket(u"Invoice charged twice"_s);
    QVERIFY(added(messages, reply(unrelated, u"Refunded."_s)));
    const qint64 answering = ticket(u"My account is locked after I reset the password"_s);
    QVERIFY(added(messages, reply(answering, u"Looking into it"_s)));

    // Every word must be there: the ticket that only shares "password reset" is not found.
    const QList<AnsweredTicket> locked =
        messages.similarAnswered({u"password"_s, u"locked"_s, u"reset"_s}, answering, 10);
    QCOMPARE(locked.size(), 1);
    QCOMPARE(locked.first().ticketId, close);
    QCOMPARE(locked.first().reply, u"I unlocked your account."_s); // the first reply
    QCOMPARE(locked.first().text, u"Account locked after a password reset, cannot log in"_s);

    const QList<AnsweredTicket> similar =
        messages.similarAnswered({u"password"_s, u"reset"_s}, answering, 10);
    QList<qint64> ids;
    for (const AnsweredTicket &ticket : similar)
        ids.append(ticket.ticketId);
    QCOMPARE(QSet<qint64>(ids.cbegin(), ids.cend()), (QSet<qint64>{close, further}));
    QVERIFY(similar.at(0).score >= similar.at(1).score);
    QVERIFY(!ids.contains(unanswered) && !ids.contains(noteOnly) && !ids.contains(customerOnly));
    QVERIFY(!ids.contains(unrelated));
    QCOMPARE(messages.similarAnswered(SearchText::words(u"locked"_s), answering, 1).size(), 1);
    QVERIFY(messages.similarAnswered({}, answering, 10).isEmpty());
}

void TestMessageRepository::customerWritingAgainReopens_data()
{
    QTest::addColumn<TicketStatus>("before");
    QTest::addColumn<TicketStatus>("after");
    QTest::newRow("waiting") << TicketStatus::Waiting << TicketStatus::Open;
    QTest::newRow("resolved") << TicketStatus::Resolved << TicketStatus::Open;
    QTest::newRow("in progress") << TicketStatus::InProgress << TicketStatus::InProgress;
    QTest::newRow("closed stays closed") << TicketStatus::Closed << TicketStatus::Closed;
}

void TestMessageRepository::customerWritingAgainReopens()
{
    QFETCH(TicketStatus, before);
    QFETCH(TicketStatus, after);
    MessageRepository messages(m_temporary->database());
    TicketRepository tickets(m_temporary->database());
    const qint64 id = ticket();
    tickets.setStatus({id}, before, Actor::user(u"alice"_s));
    QVERIFY(messages.add(reply(id, u"It broke again"_s, MessageAuthor::Customer),
                         Actor::integration(u"mail"_s)));
    QCOMPARE(tickets.find(id)->status, after);
    // A reply from the team leaves the status alone unless asked.
    QVERIFY(messages.add(reply(id, u"On it"_s), Actor::user(u"alice"_s)));
    QCOMPARE(tickets.find(id)->status, after);
}

void TestMessageRepository::importedAnswerIsTheFirstAgentReply()
{
    TicketRepository tickets(m_temporary->database());
    TicketDraft draft =
        TicketDraft::fromSubjectAndBody(u"Refund"_s, u"Charged twice"_s, TicketSource::Import);
    draft.dataset = DatasetInfo{u"Billing and Payments"_s, u"high"_s, u"en"_s,
                                u"We refunded the second charge."_s};
    QVERIFY(tickets.createImported(draft, "answered"));
    TicketDraft unanswered = draft;
    unanswered.body = u"Charged three times"_s;
    unanswered.dataset->answer.clear();
    QVERIFY(tickets.createImported(unanswered, "unanswered"));

    MessageRepository messages(m_temporary->database());
    const QList<Ticket> stored = tickets.list(TicketQuery{}).items;
    QCOMPARE(stored.size(), 2);
    for (const Ticket &ticket : stored) {
        const QList<TicketMessage> thread = messages.list(ticket.id);
        if (ticket.dataset->answer.isEmpty()) {
            QVERIFY(thread.isEmpty());
            continue;
        }
        QCOMPARE(thread.size(), 1);
        QCOMPARE(thread.first().body, u"We refunded the second charge."_s);
        QCOMPARE(thread.first().author, MessageAuthor::Agent);
        QCOMPARE(thread.first().visibility, MessageVisibility::Public);
        QCOMPARE(thread.first().delivery, DeliveryStatus::Delivered);
        QCOMPARE(thread.first().createdAt, ticket.createdAt);
    }
}

void TestMessageRepository::upgradeTurnsImportedAnswersIntoReplies()
{
    TemporaryDatabase temporary(TemporaryDatabase::Schema::Empty);
    Database &database = temporary.database();
    temporary.migrateTo(10);

    // What v0.6 stored for an imported ticket, and for one typed in.
    QSqlQuery exec(database.connection());
    QVERIFY(exec.exec(u"INSERT INTO tickets (id, body, form, source, status, created_at, "
                      "updated_at) VALUES (7, 'Charged twice', 'text', 'import', 'open', "
                      "86400000, 86400000), (8, 'Printer', 'text', 'api', 'open', 0, 0)"_s));
    QVERIFY2(exec.exec(u"INSERT INTO imported_tickets (ticket_id, import_key, queue, priority, "
                       "language, answer) VALUES (7, 'k', 'Billing and Payments', 'high', 'en', "
                       "'We refunded you.')"_s),
             qPrintable(exec.lastError().text()));
    exec.finish();

    database.migrate();
    MessageRepository messages(database);
    const QList<TicketMessage> thread = messages.list(7);
    QCOMPARE(thread.size(), 1);
    QCOMPARE(thread.first().body, u"We refunded you."_s);
    QCOMPARE(thread.first().delivery, DeliveryStatus::Delivered);
    QCOMPARE(thread.first().createdAt, QDateTime::fromMSecsSinceEpoch(86400000, Qt::UTC));
    QVERIFY(messages.list(8).isEmpty());
    // Tickets written before know nobody to answer yet.
    QVERIFY(exec.exec(u"SELECT requester, thread_ref FROM tickets WHERE id = 7"_s) && exec.next());
    QVERIFY(exec.isNull(0) && exec.isNull(1));
}

// A relay that retries after a time-out sends the same key: the message is stored once, the
// status it sets is set once, and the key with another request is refused.
void TestMessageRepository::anIdempotencyKeyStoresItsMessageOnce()
{
    const qint64 id = ticket();
    MessageRepository messages(m_temporary->database());
    const MessageRepository::IdempotencyKey key{u"relay:mail-4411"_s, "hash-a"};
    TicketMessage customer = reply(id, u"It is still broken."_s, MessageAuthor::Customer);
    const std::optional<MessageRepository::Added> first =
        messages.add(customer, Actor::integration(u"relay"_s), std::nullopt, key);
    QVERIFY(first && !first->replayed && !first->keyReusedWithOtherRequest);
    const std::optional<MessageRepository::Added> again =
        messages.add(customer, Actor::integration(u"relay"_s), std::nullopt, key);
    QVERIFY(again && again->replayed);
    QCOMPARE(again->message.id, first->message.id);
    QCOMPARE(again->message.body, u"It is still broken."_s);
    QCOMPARE(messages.list(id).size(), 1);

    const std::optional<MessageRepository::Added> other = messages.add(
        reply(id, u"Something else"_s, MessageAuthor::Customer), Actor::integration(u"relay"_s),
        std::nullopt, MessageRepository::IdempotencyKey{key.key, "hash-b"});
    QVERIFY(other && other->keyReusedWithOtherRequest && !other->replayed);
    QCOMPARE(messages.list(id).size(), 1);

    // Another key is another message; an expired key stores anew.
    QVERIFY(messages.add(customer, Actor::integration(u"relay"_s), std::nullopt,
                         MessageRepository::IdempotencyKey{u"relay:mail-4412"_s, "hash-a"}));
    QCOMPARE(messages.list(id).size(), 2);
    QSqlQuery age(m_temporary->database().connection());
    QVERIFY(age.exec(u"UPDATE message_idempotency_keys SET created_at = 0"_s));
    const std::optional<MessageRepository::Added> afterExpiry =
        messages.add(customer, Actor::integration(u"relay"_s), std::nullopt, key);
    QVERIFY(afterExpiry && !afterExpiry->replayed);
    QCOMPARE(messages.list(id).size(), 3);
    QVERIFY(TicketRepository(m_temporary->database()).forgetExpiredIdempotencyKeys() >= 1);
}

QTEST_GUILESS_MAIN(TestMessageRepository)
#include "tst_messagerepository.moc"
