#include "classificationservice.h"
#include "temporarydatabase.h"
#include "testclassifications.h"
#include "ticketrepository.h"
#include "ticketservice.h"
#include "ticketsession.h"

#include <QSignalSpy>
#include <QSqlQuery>
#include <QTest>

#include <thread>

using namespace Qt::StringLiterals;

class TestTicketService : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void sessionWritesAreAnnounced();
    void verdictsAreRecordedAsTheirActor();
    void acceptingTakesTheMachinesCategoryOnly();
    void newTicketWithACategoryIsFiledSorted();
    void submittedTicketsAreCommittedAndClassified();
    void closedIntakeRefusesAndOpenIntakeTakes();
    void writesOfAnotherConnectionAreNoticed();
    void manyWritesBecomeFewAnnouncementsAndTheLastIsKept();
    void aDroppedConnectionIsReportedAndRecovered();

private:
    qint64 addTicket(const QString &text);

    std::unique_ptr<TemporaryDatabase> m_temporary;
    std::unique_ptr<TicketService> m_service;
    std::unique_ptr<TicketSession> m_session;
};

void TestTicketService::init()
{
    m_temporary = std::make_unique<TemporaryDatabase>();
    m_service = std::make_unique<TicketService>(m_temporary->database());
    m_session = m_service->openSession();
}

void TestTicketService::cleanup()
{
    m_session.reset();
    m_service.reset();
    m_temporary.reset();
}

qint64 TestTicketService::addTicket(const QString &text)
{
    return m_session
        ->create(TicketDraft::fromText(text, TicketSource::Api), Actor::system(u"test"_s))
        .id;
}

void TestTicketService::sessionWritesAreAnnounced()
{
    QSignalSpy changed(m_service.get(), &TicketService::ticketsChanged);
    const qint64 id = addTicket(u"Printer on fire"_s);
    QTRY_COMPARE(changed.size(), 1);

    m_session->setStatus({id}, TicketStatus::Resolved, Actor::user(u"alice"_s));
    QTRY_COMPARE(changed.size(), 2);
    QCOMPARE(m_session->find(id)->status, TicketStatus::Resolved);

    // Nothing to change is no write and no announcement.
    m_session->setStatus({}, TicketStatus::Closed, Actor::user(u"alice"_s));
    QTest::qWait(3 * TicketService::kAnnounceIntervalMs);
    QCOMPARE(changed.size(), 2);
}

void TestTicketService::verdictsAreRecordedAsTheirActor()
{
    const qint64 id = addTicket(u"Refund my invoice"_s);
    m_session->setCategory({id}, Category::Billing, Actor::user(u"alice"_s));

    const TicketSession::Detail detail = m_session->detail(id);
    QVERIFY(detail.ticket);
    QCOMPARE(detail.ticket->category, Category::Billing);
    QCOMPARE(detail.history.size(), 1);
    QCOMPARE(detail.history.last().provider, ClassificationProvider::Agent);
    QCOMPARE(detail.history.last().model, u"alice"_s);
    // The detail carries who did it, for the pane that shows it.
    QCOMPARE(detail.events.size(), 1);
    QCOMPARE(detail.events.last().field, TicketEvent::Field::Category);
    QCOMPARE(detail.events.last().after, u"billing"_s);
    QCOMPARE(detail.events.last().actor, Actor::user(u"alice"_s));
}

void TestTicketService::acceptingTakesTheMachinesCategoryOnly()
{
    const qint64 classified = addTicket(u"VPN drops"_s);
    const qint64 unclassified = addTicket(u"Hello"_s);
    const qint64 decided = addTicket(u"Invoice"_s);
    TestClassifications::add(m_temporary->database(), classified, Category::Technical,
                             ClassificationProvider::Rules, 0.4);
    TestClassifications::add(m_temporary->database(), decided, Category::General,
                             ClassificationProvider::Rules, 0.4);
    m_session->setCategory({decided}, Category::Billing, Actor::user(u"bob"_s));

    const qint64 accepted =
        m_session->acceptCategories({classified, unclassified, decided}, Actor::user(u"alice"_s));
    QCOMPARE(accepted, 1);
    const TicketSession::Detail detail = m_session->detail(classified);
    QCOMPARE(detail.history.last().provider, ClassificationProvider::Agent);
    QCOMPARE(detail.history.last().model, u"alice"_s);
    QCOMPARE(detail.ticket->category, Category::Technical);
    QVERIFY(m_session->detail(unclassified).history.isEmpty());
    // Bob's verdict stands: accepting is not a second opinion on a person's decision.
    QCOMPARE(m_session->detail(decided).history.last().model, u"bob"_s);
    QCOMPARE(m_session->find(decided)->category, Category::Billing);
}

void TestTicketService::newTicketWithACategoryIsFiledSorted()
{
    const Ticket ticket = m_session->create(
        TicketDraft::fromSubjectAndBody(u"Charged twice"_s, u"Please refund"_s, TicketSource::Gui),
        Actor::user(u"alice"_s), Category::Billing);
    const TicketSession::Detail detail = m_session->detail(ticket.id);
    QCOMPARE(detail.ticket->source, TicketSource::Gui);
    QCOMPARE(detail.ticket->category, Category::Billing);
    QCOMPARE(detail.history.last().model, u"alice"_s);
}

void TestTicketService::submittedTicketsAreCommittedAndClassified()
{
    // The service wakes the classifier after the commit; nothing else tells it.
    ClassificationOptions options;
    options.order = {ClassificationProvider::Rules};
    ClassificationService classification(m_temporary->database(), options);
    classification.start();
    TicketService service(m_temporary->database(), &classification);
    QSignalSpy changed(&service, &TicketService::ticketsChanged);
    QSignalSpy classified(&classification, &ClassificationService::classificationsStored);
    service.openIntake();

    QFuture<TicketRepository::IdempotentCreate> stored = service.submit(
        {TicketDraft::fromText(u"My laptop does not boot after the update"_s, TicketSource::Api),
         {},
         {}},
        Actor::integration(u"api"_s));
    stored.waitForFinished();
    QCOMPARE(stored.result().outcome, TicketRepository::IdempotentCreate::Outcome::Created);
    const qint64 id = stored.result().ticket->id;
    QTRY_VERIFY(!changed.isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(m_session->find(id)->category.has_value(), 10000);
    QVERIFY(!classified.isEmpty());
    service.closeIntake();
    classification.stop();
}

void TestTicketService::closedIntakeRefusesAndOpenIntakeTakes()
{
    const TicketRepository::NewTicket ticket{
        TicketDraft::fromText(u"Hello"_s, TicketSource::Api), {}, {}};
    QFuture<TicketRepository::IdempotentCreate> refused =
        m_service->submit(ticket, Actor::integration(u"api"_s));
    refused.waitForFinished();
    QCOMPARE(refused.result().outcome, TicketRepository::IdempotentCreate::Outcome::Refused);
    QCOMPARE(m_session->newestId(), 0);

    m_service->openIntake();
    QFuture<TicketRepository::IdempotentCreate> taken =
        m_service->submit(ticket, Actor::integration(u"api"_s));
    m_service->closeIntake();
    // Closing waited for it.
    QVERIFY(taken.isFinished());
    QCOMPARE(taken.result().outcome, TicketRepository::IdempotentCreate::Outcome::Created);
    QCOMPARE(m_session->newestId(), taken.result().ticket->id);
}

void TestTicketService::writesOfAnotherConnectionAreNoticed()
{
    QSignalSpy changed(m_service.get(), &TicketService::ticketsChanged);
    m_service->watchForChanges(50);
    // The first look counts as a change: a window's first read may have raced a write.
    QTRY_VERIFY(!changed.isEmpty());
    QTest::qWait(200);
    changed.clear();

    // Another program on the same database: its own connection and no service.
    const Database other(m_temporary->database().config());
    std::thread writer([&other] {
        TicketRepository(other).create(
            TicketDraft::fromText(u"From elsewhere"_s, TicketSource::Api));
        other.closeThreadConnection();
    });
    writer.join();
    QTRY_VERIFY(!changed.isEmpty());
}

void TestTicketService::manyWritesBecomeFewAnnouncementsAndTheLastIsKept()
{
    const qint64 id = addTicket(u"Busy ticket"_s);
    QTest::qWait(3 * TicketService::kAnnounceIntervalMs);
    // The ticket's status as each announcement found it.
    QList<TicketStatus> seen;
    connect(m_service.get(), &TicketService::ticketsChanged, this,
            [&] { seen.append(m_session->find(id)->status); });

    std::atomic_bool done = false;
    std::thread writer([&] {
        std::unique_ptr<TicketSession> session = m_service->openSession();
        const Actor alice = Actor::user(u"alice"_s);
        for (int i = 0; i < 100; ++i) {
            session->setStatus({id}, i % 2 ? TicketStatus::Open : TicketStatus::InProgress, alice);
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        session->setStatus({id}, TicketStatus::Resolved, alice);
        session.reset();
        m_temporary->database().closeThreadConnection();
        done = true;
    });
    while (!done)
        QTest::qWait(20);
    writer.join();
    // The last write is always announced, however close behind the one before it came.
    QTRY_VERIFY(!seen.isEmpty() && seen.last() == TicketStatus::Resolved);
    // About half a second of writes: one announcement per interval, not one per write.
    QVERIFY2(seen.size() >= 2 && seen.size() <= 12, qPrintable(QString::number(seen.size())));
}

void TestTicketService::aDroppedConnectionIsReportedAndRecovered()
{
    if (!m_temporary->isPostgres())
        QSKIP("A SQLite file has no server connection to lose");
    QSignalSpy changed(m_service.get(), &TicketService::ticketsChanged);
    QSignalSpy availability(m_service.get(), &TicketService::databaseAvailabilityChanged);
    m_service->watchForChanges(50);
    QTRY_VERIFY(!changed.isEmpty());
    QTest::qWait(200);
    changed.clear();

    // The server ends every other connection to this database, as a restart or a network
    // failure would: the monitor's among them.
    QSqlQuery kill(m_temporary->database().connection());
    QVERIFY(kill.exec(u"SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                      "WHERE datname = current_database() AND pid <> pg_backend_pid()"_s));
    QTRY_VERIFY(!availability.isEmpty());
    QCOMPARE(availability.first().at(0).toBool(), false);
    QVERIFY(!availability.first().at(1).toString().isEmpty());
    // It reconnects by itself and says so; a refresh follows, since notifications sent while it
    // was away were lost.
    QTRY_COMPARE(availability.size(), 2);
    QCOMPARE(availability.last().at(0).toBool(), true);
    QTRY_VERIFY(!changed.isEmpty());

    // And it listens again.
    changed.clear();
    addTicket(u"After the outage"_s);
    QTRY_VERIFY(!changed.isEmpty());
}

QTEST_GUILESS_MAIN(TestTicketService)
#include "tst_ticketservice.moc"
