#include "rejectingtrigger.h"
#include "storageerror.h"
#include "temporarydatabase.h"
#include "ticketrepository.h"
#include "ticketwriter.h"

#include <QSet>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>

#include <thread>

using namespace Qt::StringLiterals;

using Outcome = TicketRepository::IdempotentCreate::Outcome;

class TestTicketWriter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void ticketsFromManyThreadsAreEachStoredOnce();
    void idempotencyHoldsWithinABatch();
    void oneFailingTicketFailsAlone();
    void closeStoresWhatWasSubmittedAndRefusesMore();

private:
    static TicketRepository::NewTicket ticket(const QString &body, const QString &key = {},
                                              const QByteArray &hash = {});

    std::unique_ptr<TemporaryDatabase> m_temporary;
};

void TestTicketWriter::init()
{
    m_temporary = std::make_unique<TemporaryDatabase>();
}

void TestTicketWriter::cleanup()
{
    m_temporary.reset();
}

TicketRepository::NewTicket TestTicketWriter::ticket(const QString &body, const QString &key,
                                                     const QByteArray &hash)
{
    return {TicketDraft::fromText(body, TicketSource::Api), key, hash};
}

void TestTicketWriter::ticketsFromManyThreadsAreEachStoredOnce()
{
    TicketWriter writer(m_temporary->database());
    constexpr int kThreads = 4;
    constexpr int kPerThread = 150;
    std::array<QList<QFuture<TicketRepository::IdempotentCreate>>, kThreads> futures;
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&writer, &futures, t] {
            for (int i = 0; i < kPerThread; ++i)
                futures[t].append(writer.submit(ticket(u"thread %1 ticket %2"_s.arg(t).arg(i))));
        });
    }
    for (std::thread &thread : threads)
        thread.join();
    QSet<qint64> ids;
    for (auto &perThread : futures) {
        for (QFuture<TicketRepository::IdempotentCreate> &future : perThread) {
            const TicketRepository::IdempotentCreate result = future.result();
            QVERIFY2(result.outcome == Outcome::Created, qPrintable(result.error));
            ids.insert(result.ticket->id);
        }
    }
    QCOMPARE(ids.size(), kThreads * kPerThread);
    // Committed, and seen by another connection: a future finishes only after the commit.
    TicketRepository tickets(m_temporary->database());
    QCOMPARE(tickets.count(), kThreads * kPerThread);
    QCOMPARE(tickets.find(*ids.cbegin())->body.startsWith(u"thread "_s), true);
}

void TestTicketWriter::idempotencyHoldsWithinABatch()
{
    TicketWriter writer(m_temporary->database());
    auto first = writer.submit(ticket(u"once"_s, u"key-1"_s, "hash-a"));
    auto retry = writer.submit(ticket(u"once"_s, u"key-1"_s, "hash-a"));
    auto other = writer.submit(ticket(u"other"_s, u"key-1"_s, "hash-b"));
    QCOMPARE(first.result().outcome, Outcome::Created);
    QCOMPARE(retry.result().outcome, Outcome::Replayed);
    QCOMPARE(retry.result().ticket->id, first.result().ticket->id);
    QCOMPARE(other.result().outcome, Outcome::KeyReusedWithOtherRequest);
    QCOMPARE(TicketRepository(m_temporary->database()).count(), 1);
}

void TestTicketWriter::oneFailingTicketFailsAlone()
{
    QString error;
    QVERIFY2(
        RejectingTrigger::install(m_temporary->database(), u"reject me"_s, u"rejected"_s, &error),
        qPrintable(error));
    TicketRepository tickets(m_temporary->database());
    const QList<TicketRepository::IdempotentCreate> results = tickets.createAll(
        {ticket(u"before"_s), ticket(u"reject me"_s, u"key-r"_s, "h"), ticket(u"after"_s)});
    QCOMPARE(results.size(), 3);
    QCOMPARE(results.at(0).outcome, Outcome::Created);
    QCOMPARE(results.at(1).outcome, Outcome::Failed);
    QVERIFY(results.at(1).error.contains(u"rejected"_s));
    QCOMPARE(results.at(2).outcome, Outcome::Created);
    QCOMPARE(tickets.count(), 2);
    // Nothing of the failed one stays behind, not even its idempotency key.
    QSqlQuery keys(m_temporary->database().connection());
    QVERIFY(keys.exec(u"SELECT COUNT(*) FROM idempotency_keys"_s) && keys.next());
    QCOMPARE(keys.value(0).toInt(), 0);
}

void TestTicketWriter::closeStoresWhatWasSubmittedAndRefusesMore()
{
    TicketWriter writer(m_temporary->database());
    QList<QFuture<TicketRepository::IdempotentCreate>> submitted;
    for (int i = 0; i < 50; ++i)
        submitted.append(writer.submit(ticket(u"t%1"_s.arg(i))));
    writer.close();
    for (const auto &future : submitted)
        QVERIFY(future.isFinished());
    QCOMPARE(TicketRepository(m_temporary->database()).count(), 50);
    const auto refused = writer.submit(ticket(u"late"_s)).result();
    QCOMPARE(refused.outcome, Outcome::Refused);
    QVERIFY(!refused.ticket);
    QCOMPARE(TicketRepository(m_temporary->database()).count(), 50);
}

QTEST_GUILESS_MAIN(TestTicketWriter)
#include "tst_ticketwriter.moc"
