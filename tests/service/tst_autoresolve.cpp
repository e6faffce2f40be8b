// Auto-resolve, on a real database of either kind: the rules, which tickets it answers and which
// it leaves to the agents, what the customer receives, the reopen it counts, and a node's
// classifier and auto-resolver together.
#include "autoresolver.h"
#include "classificationservice.h"
#include "fakellmserver.h"
#include "messagerepository.h"
#include "storageerror.h"
#include "temporarydatabase.h"
#include "testclassifications.h"
#include "ticketservice.h"
#include "ticketsession.h"
#include "userrepository.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QTest>

#include <thread>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

class TestAutoResolve : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void rulesAreOffUntilAnAdminSetsOne();
    void aVeryCloseResolvedTicketsReplyAnswersAndResolves();
    void theFirstCustomersNameNeverReachesTheNext();
    void aCustomerWritingAgainReopensAndIsCounted();
    void ticketsItMustLeaveToTheAgents_data();
    void ticketsItMustLeaveToTheAgents();
    void aReplyWithPersonalDataInItsBodyIsNotReused();
    void anAgentWhoAnsweredFirstWins();
    void anAgentsReplyCommittedWhileItWaitsWins();
    void theNodeThatClassifiesAnswers();

private:
    qint64 ticket(const QString &text, const QString &requester = {});
    // A ticket the team answered with reply and resolved.
    qint64 resolvedTicket(const QString &text, const QString &reply, const QString &requester);
    Ticket classified(qint64 ticketId, Category category, double confidence,
                      ClassificationProvider provider = ClassificationProvider::Remote);
    static AutoResolveRule rule(Category category, double threshold);
    static TicketMessage message(qint64 ticketId, const QString &body, MessageAuthor author);

    std::unique_ptr<TemporaryDatabase> m_temporary;
    std::unique_ptr<TicketService> m_service;
    std::unique_ptr<TicketSession> m_session;
    const Actor m_machine = Actor::system(u"auto-resolve"_s);
};

namespace {

const QString kDoubleCharge = u"Invoice charged twice for the March subscription, please refund "
                              "the duplicate payment on my credit card"_s;
const QString kDoubleChargeReply =
    u"Dear Anna,\n\nwe are sorry that the March invoice was charged twice. The duplicate "
    "payment has been refunded to your card and shows within five working days.\n\n"
    "Best regards,\nThe billing team"_s;

} // namespace

void TestAutoResolve::init()
{
    m_temporary = std::make_unique<TemporaryDatabase>();
    m_service = std::make_unique<TicketService>(m_temporary->database());
    m_session = m_service->openSession();
}

void TestAutoResolve::cleanup()
{
    m_session.reset();
    m_service.reset();
    m_temporary.reset();
}

qint64 TestAutoResolve::ticket(const QString &text, const QString &requester)
{
    TicketDraft draft = TicketDraft::fromText(text, TicketSource::Api);
    draft.requester = requester;
    return m_session->create(draft, Actor::integration(u"web-form"_s)).id;
}

qint64 TestAutoResolve::resolvedTicket(const QString &text, const QString &reply,
                                       const QString &requester)
{
    const qint64 id = ticket(text, requester);
    TestClassifications::add(m_temporary->database(), id, Category::Billing,
                             ClassificationProvider::Agent, 1.0);
    const auto added = m_session->addMessage(message(id, reply, MessageAuthor::Agent),
                                             Actor::user(u"bob"_s), TicketStatus::Resolved);
    Q_ASSERT(added && added->status == TicketStatus::Resolved);
    return id;
}

Ticket TestAutoResolve::classified(qint64 ticketId, Category category, double confidence,
                                   ClassificationProvider provider)
{
    TestClassifications::add(m_temporary->database(), ticketId, category, provider, confidence);
    return m_session->find(ticketId).value();
}

AutoResolveRule TestAutoResolve::rule(Category category, double threshold)
{
    AutoResolveRule rule;
    rule.category = category;
    rule.threshold = threshold;
    return rule;
}

TicketMessage TestAutoResolve::message(qint64 ticketId, const QString &body, MessageAuthor author)
{
    TicketMessage message;
    message.ticketId = ticketId;
    message.author = author;
    message.authorName = author == MessageAuthor::Customer ? QString() : u"bob"_s;
    message.visibility = MessageVisibility::Public;
    message.body = body;
    return message;
}

void TestAutoResolve::rulesAreOffUntilAnAdminSetsOne()
{
    QVERIFY(m_session->autoResolveRules().isEmpty());
    m_session->setAutoResolveRule(Category::Technical, 0.95, Actor::user(u"admin"_s));
    m_session->setAutoResolveRule(Category::Billing, 0.8, Actor::user(u"admin"_s));
    m_session->setAutoResolveRule(Category::Billing, 0.85, Actor::user(u"carol"_s));
    const QList<AutoResolveRule> rules = m_session->autoResolveRules();
    QCOMPARE(rules.size(), 2);
    QCOMPARE(rules.at(0).category, Category::Technical);
    QCOMPARE(rules.at(1).category, Category::Billing);
    QCOMPARE(rules.at(1).threshold, 0.85);
    QCOMPARE(rules.at(1).updatedBy, u"user:carol"_s);
    QVERIFY(rules.at(1).updatedAt.isValid());

    m_session->setAutoResolveRule(Category::Technical, std::nullopt, Actor::user(u"admin"_s));
    QCOMPARE(m_session->autoResolveRules().size(), 1);

    // The schema refuses what the edge would: a threshold under AutoResolveRule's lowest.
    QSqlQuery direct(m_temporary->database().connection());
    QVERIFY(!direct.exec(u"INSERT INTO auto_resolve_rules VALUES ('general', 0.2, 'x', 0)"_s));

    const TicketStats stats = m_session->stats(QDateTime::currentDateTimeUtc(), 7);
    QCOMPARE(stats.autoResolve[std::size_t(Category::Billing)].threshold, 0.85);
    QVERIFY(!stats.autoResolve[std::size_t(Category::Technical)].threshold);
}

void TestAutoResolve::aVeryCloseResolvedTicketsReplyAnswersAndResolves()
{
    const qint64 source =
        resolvedTicket(kDoubleCharge, kDoubleChargeReply, u"anna.schmidt@example.com"_s);
    const qint64 id = ticket(kDoubleCharge + u"."_s, u"jo@example.org"_s);
    const Ticket unanswered = classified(id, Category::Billing, 0.95);

    const std::optional<TicketMessage> sent =
        m_session->autoResolve(unanswered, rule(Category::Billing, 0.8), m_machine);
    QVERIFY(sent);
    QCOMPARE(sent->author, MessageAuthor::Agent);
    QCOMPARE(sent->authorName, u"auto-resolve"_s);
    QCOMPARE(sent->visibility, MessageVisibility::Public);
    // The mail gateway delivers it like any other reply.
    QCOMPARE(sent->delivery, DeliveryStatus::Pending);
    QVERIFY(sent->draft);
    QCOMPARE(sent->draft->provider, u"auto-resolve"_s);
    QVERIFY(sent->body.contains(u"The duplicate payment has been refunded"_s));

    const TicketSession::Detail detail = m_session->detail(id);
    QCOMPARE(detail.ticket->status, TicketStatus::Resolved);
    QCOMPARE(detail.messages.size(), 1);
    QCOMPARE(detail.messages.first().body, sent->body);
    QCOMPARE(detail.events.last().actor, m_machine);

    QSqlQuery recorded(m_temporary->database().connection());
    QVERIFY(recorded.exec(u"SELECT source_ticket_id, category, confidence, similarity "
                          "FROM auto_resolutions WHERE ticket_id = %1"_s.arg(id)));
    QVERIFY(recorded.next());
    QCOMPARE(recorded.value(0).toLongLong(), source);
    QCOMPARE(recorded.value(1).toString(), u"billing"_s);
    QCOMPARE(recorded.value(2).toDouble(), 0.95);
    QVERIFY(recorded.value(3).toDouble() >= 0.8);

    const TicketStats stats = m_session->stats(QDateTime::currentDateTimeUtc(), 7);
    QCOMPARE(stats.autoResolve[std::size_t(Category::Billing)].resolved, 1);
    QCOMPARE(stats.autoResolve[std::size_t(Category::Billing)].reopened, 0);
    // Two billing tickets came in the window; one was answered by the machine.
    QCOMPARE(stats.autoResolveRate(Category::Billing), 0.5);
    QCOMPARE(stats.allAutoResolve().reopenRate(), 0.0);
    // Not a draft someone was offered: the acceptance rates stay the agents'.
    for (const TicketStats::DraftUse &use : stats.drafts)
        QVERIFY(use.provider != u"auto-resolve"_s);

    // Once resolved, it is not answered again.
    QVERIFY(!m_session->autoResolve(m_session->find(id).value(), rule(Category::Billing, 0.8),
                                    m_machine));
}

void TestAutoResolve::theFirstCustomersNameNeverReachesTheNext()
{
    resolvedTicket(kDoubleCharge + u"\n\nBest regards,\nAnna Schmidt"_s,
                   kDoubleChargeReply + u"\nPS: Anna, your card ending 4242 is fine."_s,
                   u"customer-4711"_s);
    // Her name in the body cannot be taken out without a person reading it: not reused.
    const qint64 id = ticket(kDoubleCharge);
    QVERIFY(!m_session->autoResolve(classified(id, Category::Billing, 0.99),
                                    rule(Category::Billing, 0.8), m_machine));

    // Named in the salutation and again in the body, with nothing else to tell the name by.
    resolvedTicket(kDoubleCharge,
                   u"Hi Anna,\n\nthe duplicate payment was refunded. Anna, if it does not show "
                   "within five days, reply here."_s,
                   u"customer-4711"_s);
    QVERIFY(!m_session->autoResolve(classified(id, Category::Billing, 0.99),
                                    rule(Category::Billing, 0.8), m_machine));

    // Named only in the salutation: reused, addressed to nobody in particular.
    resolvedTicket(kDoubleCharge, kDoubleChargeReply, u"anna.schmidt@example.com"_s);
    const std::optional<TicketMessage> sent = m_session->autoResolve(
        classified(id, Category::Billing, 0.99), rule(Category::Billing, 0.8), m_machine);
    QVERIFY(sent);
    QVERIFY2(!sent->body.contains(u"Anna"_s, Qt::CaseInsensitive), qPrintable(sent->body));
    QVERIFY2(sent->body.startsWith(u"Dear customer,"_s), qPrintable(sent->body));
    QVERIFY(!sent->body.contains(u'<'));
}

void TestAutoResolve::aCustomerWritingAgainReopensAndIsCounted()
{
    resolvedTicket(kDoubleCharge, kDoubleChargeReply, u"anna.schmidt@example.com"_s);
    const qint64 id = ticket(kDoubleCharge);
    QVERIFY(m_session->autoResolve(classified(id, Category::Billing, 0.95),
                                   rule(Category::Billing, 0.8), m_machine));

    const auto reopened = m_session->addMessage(
        message(id, u"That did not help, I was charged again."_s, MessageAuthor::Customer),
        Actor::integration(u"mail-gateway"_s));
    QVERIFY(reopened);
    QCOMPARE(reopened->status, TicketStatus::Open);
    // A second message counts the same ticket once.
    m_session->setStatus({id}, TicketStatus::Resolved, Actor::user(u"bob"_s));
    m_session->addMessage(message(id, u"Still wrong."_s, MessageAuthor::Customer),
                          Actor::integration(u"mail-gateway"_s));

    // A customer whose thanks the gateway relays as closing the ticket did not reopen it.
    const qint64 thanked = ticket(kDoubleCharge);
    QVERIFY(m_session->autoResolve(classified(thanked, Category::Billing, 0.95),
                                   rule(Category::Billing, 0.8), m_machine));
    QCOMPARE(m_session
                 ->addMessage(message(thanked, u"Thanks, all good."_s, MessageAuthor::Customer),
                              Actor::integration(u"mail-gateway"_s), TicketStatus::Closed)
                 ->status,
             TicketStatus::Closed);

    const TicketStats stats = m_session->stats(QDateTime::currentDateTimeUtc(), 7);
    const TicketStats::AutoResolution billing = stats.autoResolve[std::size_t(Category::Billing)];
    QCOMPARE(billing.resolved, 2);
    QCOMPARE(billing.reopened, 1);
    QCOMPARE(billing.reopenRate(), 0.5);
    const QJsonObject json = stats.toJson().value(u"auto_resolve"_s).toObject();
    QCOMPARE(json.value(u"resolved"_s).toInteger(), 2);
    QCOMPARE(json.value(u"reopen_rate"_s).toDouble(), 0.5);
    QCOMPARE(json.value(u"by_category"_s)
                 .toObject()
                 .value(u"billing"_s)
                 .toObject()
                 .value(u"reopened"_s)
                 .toInteger(),
             1);
}

void TestAutoResolve::ticketsItMustLeaveToTheAgents_data()
{
    QTest::addColumn<QString>("situation");
    QTest::newRow("unsure classification") << u"unsure"_s;
    QTest::newRow("another category's rule") << u"category"_s;
    QTest::newRow("a person's verdict") << u"verdict"_s;
    QTest::newRow("only somewhat alike") << u"alike"_s;
    QTest::newRow("the match was never resolved") << u"unresolved"_s;
    QTest::newRow("the match was itself auto-resolved") << u"auto"_s;
    QTest::newRow("someone holds the ticket") << u"assigned"_s;
    QTest::newRow("an agent replied already") << u"replied"_s;
    QTest::newRow("the match's first reply was not the answer") << u"followed up"_s;
    QTest::newRow("an imported ticket") << u"imported"_s;
}

void TestAutoResolve::ticketsItMustLeaveToTheAgents()
{
    QFETCH(QString, situation);
    const AutoResolveRule billing = rule(Category::Billing, 0.8);
    if (situation == u"unresolved") {
        const qint64 open = ticket(kDoubleCharge);
        TestClassifications::add(m_temporary->database(), open, Category::Billing,
                                 ClassificationProvider::Agent, 1.0);
        m_session->addMessage(message(open, kDoubleChargeReply, MessageAuthor::Agent),
                              Actor::user(u"bob"_s), TicketStatus::Waiting);
    } else if (situation == u"auto") {
        const qint64 first = ticket(kDoubleCharge);
        const qint64 source = resolvedTicket(kDoubleCharge, kDoubleChargeReply, u"a@example.com"_s);
        QVERIFY(
            m_session->autoResolve(classified(first, Category::Billing, 0.95), billing, m_machine));
        // Only the auto-resolved one is left to match.
        m_session->setStatus({source}, TicketStatus::Open, Actor::user(u"bob"_s));
    } else if (situation == u"followed up") {
        const qint64 source = resolvedTicket(
            kDoubleCharge, u"Could you send us a screenshot of the invoice?"_s, u"a@example.com"_s);
        m_session->addMessage(message(source, u"Here it is."_s, MessageAuthor::Customer),
                              Actor::integration(u"mail-gateway"_s));
        m_session->addMessage(message(source, kDoubleChargeReply, MessageAuthor::Agent),
                              Actor::user(u"bob"_s), TicketStatus::Resolved);
    } else {
        resolvedTicket(kDoubleCharge, kDoubleChargeReply, u"anna.schmidt@example.com"_s);
    }

    QString text = kDoubleCharge;
    if (situation == u"alike")
        text = u"Refund the duplicate payment of my invoice, and also my password reset link "
               "expired and the mobile app crashes on start"_s;
    qint64 id = 0;
    if (situation == u"imported") {
        TicketDraft draft = TicketDraft::fromText(text, TicketSource::Import);
        id = m_session->create(draft, Actor::system(u"import"_s)).id;
    } else {
        id = ticket(text);
    }
    double confidence = 0.95;
    Category category = Category::Billing;
    ClassificationProvider provider = ClassificationProvider::Remote;
    if (situation == u"unsure")
        confidence = 0.7;
    if (situation == u"category")
        category = Category::Technical;
    if (situation == u"verdict")
        provider = ClassificationProvider::Agent;
    if (situation == u"assigned") {
        UserAccount bob;
        bob.name = u"bob"_s;
        bob.createdBy = u"system:tests"_s;
        QVERIFY(UserRepository(m_temporary->database()).add(bob));
        QCOMPARE(m_session->assign({id}, u"bob"_s, Actor::user(u"bob"_s)),
                 TicketSession::Problem::None);
    }
    if (situation == u"replied") {
        QVERIFY(m_session->addMessage(message(id, u"Looking into it."_s, MessageAuthor::Agent),
                                      Actor::user(u"bob"_s)));
    }
    const Ticket waiting = classified(id, category, confidence, provider);

    QVERIFY(!m_session->autoResolve(waiting, billing, m_machine));
    QCOMPARE(m_session->find(id)->status, TicketStatus::Open);
    QCOMPARE(m_session->stats(QDateTime::currentDateTimeUtc(), 7).allAutoResolve().resolved,
             situation == u"auto" ? 1 : 0);
}

void TestAutoResolve::aReplyWithPersonalDataInItsBodyIsNotReused()
{
    resolvedTicket(kDoubleCharge,
                   u"Hello,\n\nplease call our billing line at +49 30 1234 5678 about the refund "
                   "of the duplicate payment."_s,
                   u"anna.schmidt@example.com"_s);
    const qint64 id = ticket(kDoubleCharge);
    QVERIFY(!m_session->autoResolve(classified(id, Category::Billing, 0.99),
                                    rule(Category::Billing, 0.8), m_machine));
    QCOMPARE(m_session->find(id)->status, TicketStatus::Open);
    // Offered to an agent, it comes with the number taken out.
    const std::optional<DraftContext> context = m_session->draftContext(id);
    QVERIFY(context && !context->similar.isEmpty());
    QVERIFY(!context->similar.first().reply.contains(u"1234"_s));
}

void TestAutoResolve::anAgentWhoAnsweredFirstWins()
{
    resolvedTicket(kDoubleCharge, kDoubleChargeReply, u"anna.schmidt@example.com"_s);
    const qint64 id = ticket(kDoubleCharge);
    const Ticket read = classified(id, Category::Billing, 0.95);
    // The agent's reply commits after the auto-resolver read the ticket, before it answers.
    m_session->addMessage(message(id, u"On it."_s, MessageAuthor::Agent), Actor::user(u"bob"_s));
    QVERIFY(!m_session->autoResolve(read, rule(Category::Billing, 0.8), m_machine));
    const QList<TicketMessage> thread = m_session->messages(id);
    QCOMPARE(thread.size(), 1);
    QCOMPARE(thread.first().body, u"On it."_s);
    QCOMPARE(m_session->find(id)->status, TicketStatus::Open);
}

void TestAutoResolve::anAgentsReplyCommittedWhileItWaitsWins()
{
    resolvedTicket(kDoubleCharge, kDoubleChargeReply, u"anna.schmidt@example.com"_s);
    const qint64 id = ticket(kDoubleCharge);
    const Ticket read = classified(id, Category::Billing, 0.95);
    // The agent's reply is written and holds the ticket, uncommitted, while auto-resolve tries:
    // on PostgreSQL it waits for the row, on SQLite for the writer's lock.
    QSqlDatabase agent = m_temporary->database().connection();
    QVERIFY(agent.transaction());
    QSqlQuery hold(agent);
    QVERIFY(hold.prepare(MessageRepository::insertStatement()));
    TicketMessage onIt = message(id, u"On it."_s, MessageAuthor::Agent);
    onIt.delivery = DeliveryStatus::Pending;
    onIt.createdAt = QDateTime::currentDateTimeUtc();
    MessageRepository::bindInsert(hold, onIt);
    QVERIFY2(hold.exec(), qPrintable(hold.lastError().text()));
    QVERIFY(hold.exec(u"UPDATE tickets SET updated_at = updated_at WHERE id = %1"_s.arg(id)));

    std::optional<TicketMessage> sent;
    bool failed = false;
    std::thread machine([&] {
        {
            std::unique_ptr<TicketSession> session = m_service->openSession();
            try {
                sent = session->autoResolve(read, rule(Category::Billing, 0.8), m_machine);
            } catch (const StorageError &) {
                failed = true;
            }
        }
        m_temporary->database().closeThreadConnection();
    });
    QTest::qWait(300);
    QVERIFY(agent.commit());
    machine.join();

    QVERIFY(!failed);
    QVERIFY(!sent);
    QCOMPARE(m_session->messages(id).size(), 1);
    QCOMPARE(m_session->find(id)->status, TicketStatus::Open);
}

void TestAutoResolve::theNodeThatClassifiesAnswers()
{
    resolvedTicket(kDoubleCharge, kDoubleChargeReply, u"anna.schmidt@example.com"_s);
    m_session->setAutoResolveRule(Category::Billing, 0.9, Actor::user(u"admin"_s));

    FakeLlmServer llm;
    Prediction sure;
    sure.category = Category::Billing;
    sure.confidence = 0.97;
    sure.summary = u"Charged twice"_s;
    llm.setDefaultBehaviour(FakeLlmServer::Behaviour::correct(sure));
    ClassificationOptions options;
    options.order = {ClassificationProvider::Remote, ClassificationProvider::Rules};
    options.llm.baseUrl = llm.baseUrl();
    options.llm.model = u"test-model"_s;
    options.llm.timeout = 10s;
    options.reviewThreshold = 0.5;
    options.idlePollInterval = 200ms;
    ClassificationService classification(m_temporary->database(), options);
    TicketService service(m_temporary->database(), &classification);
    AutoResolver resolver(service);
    resolver.start();
    classification.start();

    std::unique_ptr<TicketSession> session = service.openSession();
    const qint64 answered = session
                                ->create(TicketDraft::fromText(kDoubleCharge, TicketSource::Api),
                                         Actor::integration(u"web-form"_s))
                                .id;
    const qint64 unlike = session
                              ->create(TicketDraft::fromText(u"The printer on floor three jams "
                                                             "on every page"_s,
                                                             TicketSource::Api),
                                       Actor::integration(u"web-form"_s))
                              .id;
    classification.wake();
    QTRY_COMPARE_WITH_TIMEOUT(session->find(answered)->status, TicketStatus::Resolved, 10000);
    QCOMPARE(session->messages(answered).size(), 1);
    // Both came in one batch: once one is answered, the other was looked at and left.
    QVERIFY(session->find(unlike)->classification.has_value());
    QCOMPARE(session->find(unlike)->status, TicketStatus::Open);
    QVERIFY(session->messages(unlike).isEmpty());

    classification.stop();
    resolver.stop();
    session.reset();
}

QTEST_GUILESS_MAIN(TestAutoResolve)
#include "tst_autoresolve.moc"
