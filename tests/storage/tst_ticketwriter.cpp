#include "database.h"
#include "rejectingtrigger.h"
#include "storageerror.h"
#include "temporarydatabase.h"
#include "ticketrepository.h"
#include "ticketwriter.h"
#include "timestamps.h"

#include <QHash>
#include <QRegularExpression>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>

#include <algorithm>
#include <atomic>
#include <numeric>
#include <random>
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
    void textThatLooksLikeSyntaxIsStoredAsSent();
    void nodesWithOverlappingKeysCreateEachKeyOnce();
    void aBatchThatLosesADeadlockRunsAgain();

private:
    static TicketRepository::NewTicket ticket(const QString &body, const QString &key = {},
                                              const QByteArray &hash = {});
    // (day, category, status) -> tickets, once from the tickets and once from ticket_counts.
    QHash<QString, qint64> countsFromTickets();
    QHash<QString, qint64> countsFromCounters();
    QHash<QString, qint64> groups(const QString &sql);

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

QHash<QString, qint64> TestTicketWriter::groups(const QString &sql)
{
    QHash<QString, qint64> counts;
    QSqlQuery query(m_temporary->database().connection());
    if (!query.exec(sql))
        qFatal("%s", qPrintable(query.lastError().text()));
    while (query.next()) {
        if (query.value(3).toLongLong() != 0)
            counts.insert(u"%1/%2/%3"_s.arg(query.value(0).toString(), query.value(1).toString(),
                                            query.value(2).toString()),
                          query.value(3).toLongLong());
    }
    return counts;
}

QHash<QString, qint64> TestTicketWriter::countsFromTickets()
{
    return groups(u"SELECT created_at / 86400000, COALESCE(category, ''), status, COUNT(*) "
                  "FROM tickets GROUP BY 1, 2, 3"_s);
}

QHash<QString, qint64> TestTicketWriter::countsFromCounters()
{
    return groups(u"SELECT day, category, status, n FROM ticket_counts"_s);
}

// PostgreSQL receives a batch's texts as array literals: quotes, backslashes, braces, commas
// and the word NULL must come back as they were sent, in the ticket and in its key.
void TestTicketWriter::textThatLooksLikeSyntaxIsStoredAsSent()
{
    const QStringList texts = {u"say \"hi\", then {leave}"_s,
                               u"C:\\Users\\\"quoted\"\\"_s,
                               u"NULL"_s,
                               u"it's 'single' quoted; DROP TABLE tickets; --"_s,
                               u"line one\nline two\ttabbed  \\N"_s,
                               u"Grüße 👋 {\"a\":[1,2]}"_s,
                               u"$1 ? ?::text[] $$"_s};
    TicketWriter writer(m_temporary->database());
    QList<QFuture<TicketRepository::IdempotentCreate>> futures;
    for (const QString &text : texts) {
        TicketRepository::NewTicket newTicket{
            TicketDraft::fromSubjectAndBody(text, text, TicketSource::Api), text + u" key"_s,
            "hash"};
        futures.append(writer.submit(newTicket));
    }
    // Empty subject and an empty key: stored, and without a key.
    futures.append(writer.submit(
        {TicketDraft::fromSubjectAndBody(QString(), u"body"_s, TicketSource::Api), {}, {}}));
    futures.append(writer.submit(ticket(texts.first(), texts.first() + u" key"_s, "hash")));
    writer.close();

    TicketRepository tickets(m_temporary->database());
    for (qsizetype i = 0; i < texts.size(); ++i) {
        const auto result = futures.at(i).result();
        QVERIFY2(result.outcome == Outcome::Created, qPrintable(result.error));
        const std::optional<Ticket> stored = tickets.find(result.ticket->id);
        QVERIFY(stored);
        QCOMPARE(stored->subject, texts.at(i));
        QCOMPARE(stored->body, texts.at(i));
        QCOMPARE(result.ticket->body, texts.at(i));
    }
    QCOMPARE(futures.at(texts.size()).result().outcome, Outcome::Created);
    QCOMPARE(tickets.find(futures.at(texts.size()).result().ticket->id)->subject, QString());
    const auto replay = futures.last().result();
    QCOMPARE(replay.outcome, Outcome::Replayed);
    QCOMPARE(replay.ticket->id, futures.first().result().ticket->id);
    QSqlQuery keys(m_temporary->database().connection());
    QVERIFY(keys.exec(u"SELECT key FROM idempotency_keys"_s));
    QSet<QString> storedKeys;
    while (keys.next())
        storedKeys.insert(keys.value(0).toString());
    QSet<QString> sentKeys;
    for (const QString &text : texts)
        sentKeys.insert(text + u" key"_s);
    QCOMPARE(storedKeys, sentKeys);
    QCOMPARE(tickets.count(), texts.size() + 1);
}

// Nodes (a Database and a TicketWriter each) taking the same client retries at once, with
// tickets over several days so that their batches touch the same counter rows in different
// orders: each key creates one ticket, every other request with it is a replay of that ticket,
// nothing fails, and the counts behind /stats and list totals stay exact.
void TestTicketWriter::nodesWithOverlappingKeysCreateEachKeyOnce()
{
    constexpr int kNodes = 4;
    constexpr int kKeys = 300;
    constexpr int kUnkeyedPerNode = 100;
    const qint64 today = QDateTime::currentMSecsSinceEpoch();
    auto draftFor = [today](int n) {
        TicketDraft draft = TicketDraft::fromText(u"ticket %1"_s.arg(n), TicketSource::Api);
        draft.createdAt = Timestamps::fromMs(today - qint64(n % 3) * 86'400'000);
        return draft;
    };

    struct Answer
    {
        int key = -1;
        TicketRepository::IdempotentCreate result;
    };
    std::array<QList<Answer>, kNodes> answers;
    std::array<QString, kNodes> errors;
    std::atomic<int> ready{0};
    std::vector<std::thread> nodes;
    const DatabaseConfig config = m_temporary->database().config();
    for (int node = 0; node < kNodes; ++node) {
        nodes.emplace_back([&, node] {
            try {
                const Database database(config);
                std::vector<int> order(kKeys);
                std::iota(order.begin(), order.end(), 0);
                std::shuffle(order.begin(), order.end(), std::mt19937(unsigned(node)));
                QList<std::pair<int, QFuture<TicketRepository::IdempotentCreate>>> futures;
                {
                    TicketWriter writer(database);
                    ++ready;
                    while (ready.load() < kNodes)
                        std::this_thread::yield();
                    for (int i = 0; i < kKeys; ++i) {
                        const int key = order.at(std::size_t(i));
                        futures.append({key, writer.submit({draftFor(key), u"key-%1"_s.arg(key),
                                                            QByteArray::number(key)})});
                        if (i < kUnkeyedPerNode)
                            futures.append({-1, writer.submit({draftFor(i), {}, {}})});
                    }
                }
                for (auto &[key, future] : futures)
                    answers.at(std::size_t(node)).append({key, future.result()});
            } catch (const StorageError &error) {
                errors.at(std::size_t(node)) = error.message();
            }
        });
    }
    for (std::thread &thread : nodes)
        thread.join();
    for (const QString &error : errors)
        QVERIFY2(error.isEmpty(), qPrintable(error));

    QHash<int, qint64> createdByKey;
    QHash<int, QSet<qint64>> answeredByKey;
    int unkeyed = 0;
    for (const QList<Answer> &perNode : answers) {
        for (const Answer &answer : perNode) {
            const auto &result = answer.result;
            QVERIFY2(result.outcome == Outcome::Created || result.outcome == Outcome::Replayed,
                     qPrintable(u"outcome %1: %2"_s.arg(int(result.outcome)).arg(result.error)));
            QVERIFY(result.ticket);
            if (answer.key < 0) {
                QCOMPARE(result.outcome, Outcome::Created);
                ++unkeyed;
                continue;
            }
            answeredByKey[answer.key].insert(result.ticket->id);
            if (result.outcome == Outcome::Created) {
                QVERIFY2(!createdByKey.contains(answer.key),
                         qPrintable(u"key-%1 created twice"_s.arg(answer.key)));
                createdByKey.insert(answer.key, result.ticket->id);
            }
        }
    }
    QCOMPARE(unkeyed, kNodes * kUnkeyedPerNode);
    QCOMPARE(createdByKey.size(), kKeys);
    for (auto it = answeredByKey.cbegin(); it != answeredByKey.cend(); ++it)
        QCOMPARE(it.value(), QSet<qint64>{createdByKey.value(it.key())});

    TicketRepository tickets(m_temporary->database());
    const qint64 stored = kKeys + kNodes * kUnkeyedPerNode;
    QCOMPARE(tickets.count(), stored);
    QSqlQuery query(m_temporary->database().connection());
    QVERIFY(query.exec(u"SELECT COUNT(*) FROM tickets"_s) && query.next());
    QCOMPARE(query.value(0).toLongLong(), stored);
    QVERIFY(query.exec(u"SELECT COUNT(*) FROM idempotency_keys"_s) && query.next());
    QCOMPARE(query.value(0).toInt(), kKeys);
    query.finish();
    QCOMPARE(countsFromCounters(), countsFromTickets());
    QCOMPARE(tickets.list(TicketQuery{}).total, stored);
    TicketQuery open;
    open.status = TicketStatus::Open;
    QCOMPARE(tickets.list(open).total, stored);
}

// Another transaction holds the batch's idempotency key (inserted, not committed) and then
// waits for the counter row the batch's insert locked: a real deadlock, which PostgreSQL breaks
// by failing the batch's transaction. The batch runs again and stores its ticket.
void TestTicketWriter::aBatchThatLosesADeadlockRunsAgain()
{
    if (!m_temporary->isPostgres())
        QSKIP("SQLite lets one writer in at a time (BEGIN IMMEDIATE): writers cannot deadlock");
    TicketRepository tickets(m_temporary->database());
    const Ticket first = tickets.create(TicketDraft::fromText(u"first"_s, TicketSource::Api));
    const qint64 day = Timestamps::toMs(first.createdAt) / 86'400'000;

    QSqlQuery blocker(m_temporary->database().connection());
    QVERIFY(blocker.exec(u"BEGIN"_s));
    // The batch, waiting first, must be the one whose deadlock check runs and fails it.
    QVERIFY2(blocker.exec(u"SET LOCAL deadlock_timeout = '30s'"_s),
             qPrintable(blocker.lastError().text()));
    QVERIFY(blocker.exec(u"INSERT INTO idempotency_keys (key, request_hash, ticket_id, "
                         "created_at) VALUES ('contested', 'other', %1, 0)"_s.arg(first.id)));

    QTest::ignoreMessage(QtInfoMsg, QRegularExpression(u"Writing again after .*deadlock"_s));
    TicketWriter writer(m_temporary->database());
    auto contested = writer.submit(ticket(u"contested"_s, u"contested"_s, "hash"));
    // The batch has locked the counter row and waits for the key.
    auto waiting = [&blocker] {
        return blocker.exec(u"SELECT COUNT(*) FROM pg_locks WHERE NOT granted"_s) &&
               blocker.next() && blocker.value(0).toInt() > 0;
    };
    QTRY_VERIFY(waiting());
    QVERIFY2(blocker.exec(u"UPDATE ticket_counts SET n = n WHERE day = %1 AND category = '' "
                          "AND status = 'open'"_s.arg(day)),
             qPrintable(blocker.lastError().text()));
    QVERIFY(blocker.exec(u"ROLLBACK"_s));
    blocker.finish();

    const TicketRepository::IdempotentCreate result = contested.result();
    QVERIFY2(result.outcome == Outcome::Created, qPrintable(result.error));
    QCOMPARE(tickets.count(), 2);
    QCOMPARE(countsFromCounters(), countsFromTickets());
}

QTEST_GUILESS_MAIN(TestTicketWriter)
#include "tst_ticketwriter.moc"
