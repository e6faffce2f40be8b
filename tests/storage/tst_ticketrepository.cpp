#include "classificationrepository.h"
#include "storageerror.h"
#include "temporarydatabase.h"
#include "ticketjson.h"
#include "ticketrepository.h"
#include "timestamps.h"
#include "userrepository.h"

#include <QElapsedTimer>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>

#include <array>
#include <atomic>
#include <future>
#include <thread>
#include <vector>

using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(TicketQuery)

class TestTicketRepository : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void createdTicketIsFoundAgain();
    void emptySubjectIsKept();
    void whomToAnswerIsKept();
    void unknownIdIsNotFound();
    void listIsNewestFirst();
    void pagesCoverEveryTicketOnce_data();
    void pagesCoverEveryTicketOnce();
    void filtersCombine_data();
    void filtersCombine();
    void searchTreatsWildcardsAsText();
    void classificationSetsCategoryAndCounts();
    void idempotencyKeyReplaysAndConflicts();
    void sameKeyFromManyConnectionsAtOnceCreatesOnce();
    void importedContentIsStoredOnce();
    void lookupAndListReadTheSameTicket();
    void writesWaitForAnotherWriter();
    void searchFindsTextAsWritten();
    void searchMatchesWordsFromTheirStart();
    void frequentSearchGivesTheSameRows();
    void countsPerCategoryEqualCountsOfEachFilter_data();
    void countsPerCategoryEqualCountsOfEachFilter();
    void countedRangeEqualsCountAndRange_data();
    void countedRangeEqualsCountAndRange();
    void rangeAndPositionAgreeInEveryOrder_data();
    void rangeAndPositionAgreeInEveryOrder();
    void positionIsNothingOnceTheTicketLeavesTheFilter();
    void statusChangesForManyTickets();
    void waitingForTheCustomerIsAStatus();
    void upgradeAllowsWaitingOnConnectionsOpenedBefore();
    void agentVerdictBecomesTheCategory();
    void holderFiltersFindWhoseTicketsTheyAre();
    void dataVersionSeesOtherConnectionsCommit();

private:
    Ticket add(const QString &subject, const QString &body, qint64 createdAtMs = 0);
    void classify(qint64 ticketId, Category category);

    std::unique_ptr<TemporaryDatabase> m_temporary;
    std::unique_ptr<TicketRepository> m_tickets;
};

void TestTicketRepository::init()
{
    m_temporary = std::make_unique<TemporaryDatabase>();
    m_tickets = std::make_unique<TicketRepository>(m_temporary->database());
    UserRepository users(m_temporary->database());
    for (const QString &name : {u"alice"_s, u"bob"_s}) {
        UserAccount user;
        user.name = name;
        user.createdBy = u"system:tests"_s;
        QVERIFY(users.add(user));
    }
}

void TestTicketRepository::cleanup()
{
    m_tickets.reset();
    m_temporary.reset();
}

Ticket TestTicketRepository::add(const QString &subject, const QString &body, qint64 createdAtMs)
{
    TicketDraft draft = TicketDraft::fromSubjectAndBody(subject, body, TicketSource::Api);
    if (createdAtMs)
        draft.createdAt = Timestamps::fromMs(createdAtMs);
    return m_tickets->create(draft);
}

void TestTicketRepository::classify(qint64 ticketId, Category category)
{
    Classification classification;
    classification.ticketId = ticketId;
    classification.category = category;
    classification.confidence = 0.9;
    classification.model = u"test"_s;
    ClassificationRepository(m_temporary->database()).add(classification);
}

void TestTicketRepository::createdTicketIsFoundAgain()
{
    const TicketDraft draft =
        TicketDraft::fromText(u"Mein Drucker 🖨 druckt nicht"_s, TicketSource::Gui);
    const Ticket created = m_tickets->create(draft);
    QVERIFY(created.id > 0);
    QCOMPARE(created.status, TicketStatus::Open);

    const std::optional<Ticket> found = m_tickets->find(created.id);
    QVERIFY(found);
    QCOMPARE(found->body, draft.body);
    QCOMPARE(found->form, TicketForm::Text);
    QCOMPARE(found->source, TicketSource::Gui);
    QCOMPARE(found->createdAt, created.createdAt);
    QCOMPARE(found->createdAt.timeSpec(), Qt::UTC);
    QVERIFY(!found->category);
    QVERIFY(!found->classification);
    QVERIFY(!found->dataset);
}

void TestTicketRepository::emptySubjectIsKept()
{
    const Ticket created = add(QString(), u"Body only"_s);
    const std::optional<Ticket> found = m_tickets->find(created.id);
    QVERIFY(found);
    QVERIFY(found->subject.isEmpty());
    QCOMPARE(found->text(), u"Body only"_s);
}

void TestTicketRepository::whomToAnswerIsKept()
{
    TicketDraft answerable = TicketDraft::fromText(u"Where is my parcel?"_s, TicketSource::Api);
    answerable.requester = u"ann@example.com"_s;
    answerable.threadRef = u"<a1@mail.example.com>"_s;
    const TicketDraft anonymous = TicketDraft::fromText(u"No address"_s, TicketSource::Api);
    const Ticket single = m_tickets->create(answerable);
    // The batch path is its own SQL on PostgreSQL.
    const QList<TicketRepository::IdempotentCreate> batch =
        m_tickets->createAll({{answerable, {}, {}}, {anonymous, {}, {}}});
    QCOMPARE(batch.size(), 2);
    QVERIFY(batch.at(0).ticket && batch.at(1).ticket);

    for (const qint64 id : {single.id, batch.at(0).ticket->id}) {
        const std::optional<Ticket> found = m_tickets->find(id);
        QVERIFY(found);
        QCOMPARE(found->requester, answerable.requester);
        QCOMPARE(found->threadRef, answerable.threadRef);
    }
    QCOMPARE(batch.at(0).ticket->requester, answerable.requester);
    const std::optional<Ticket> unknown = m_tickets->find(batch.at(1).ticket->id);
    QVERIFY(unknown);
    QVERIFY(unknown->requester.isEmpty());
    QVERIFY(unknown->threadRef.isEmpty());
    // Not known is NULL, not an empty text that a relay might take for an address.
    QSqlQuery nulls(m_temporary->database().connection());
    QVERIFY(nulls.exec(u"SELECT COUNT(*) FROM tickets WHERE requester IS NULL "
                       "AND thread_ref IS NULL"_s));
    QVERIFY(nulls.next());
    QCOMPARE(nulls.value(0).toLongLong(), 1);
}

void TestTicketRepository::unknownIdIsNotFound()
{
    QVERIFY(!m_tickets->find(424242));
}

void TestTicketRepository::listIsNewestFirst()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const Ticket old = add(u"old"_s, u"b"_s, now - 3 * Timestamps::kMsPerDay);
    const Ticket newest = add(u"newest"_s, u"b"_s, now);
    const Ticket middle = add(u"middle"_s, u"b"_s, now - Timestamps::kMsPerDay);
    const TicketPage page = m_tickets->list(TicketQuery{});
    QCOMPARE(page.items.size(), 3);
    QCOMPARE(page.items.at(0).id, newest.id);
    QCOMPARE(page.items.at(1).id, middle.id);
    QCOMPARE(page.items.at(2).id, old.id);
    QCOMPARE(page.total, 3);
    QVERIFY(!page.next);
}

void TestTicketRepository::pagesCoverEveryTicketOnce_data()
{
    QTest::addColumn<int>("tickets");
    QTest::addColumn<int>("limit");
    QTest::addColumn<bool>("sameInstant");

    QTest::newRow("exact pages") << 20 << 5 << false;
    QTest::newRow("last page short") << 23 << 5 << false;
    QTest::newRow("ties on created_at") << 17 << 4 << true;
    QTest::newRow("one page") << 3 << 50 << false;
}

void TestTicketRepository::pagesCoverEveryTicketOnce()
{
    QFETCH(int, tickets);
    QFETCH(int, limit);
    QFETCH(bool, sameInstant);

    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (int i = 0; i < tickets; ++i)
        add(u"t%1"_s.arg(i), u"body"_s, sameInstant ? now : now - i * 60000);

    QSet<qint64> seen;
    TicketQuery query;
    query.limit = limit;
    int pages = 0;
    for (;;) {
        const TicketPage page = m_tickets->list(query);
        QCOMPARE(page.total, tickets);
        ++pages;
        for (const Ticket &ticket : page.items)
            QVERIFY2(!seen.contains(ticket.id), "a ticket appeared on two pages");
        for (const Ticket &ticket : page.items)
            seen.insert(ticket.id);
        if (!page.next)
            break;
        QCOMPARE(page.items.size(), limit);
        query.after = page.next;
        QVERIFY(pages <= tickets);
    }
    QCOMPARE(seen.size(), tickets);
    QCOMPARE(pages, (tickets + limit - 1) / limit);
}

void TestTicketRepository::filtersCombine_data()
{
    QTest::addColumn<std::optional<Category>>("category");
    QTest::addColumn<std::optional<TicketStatus>>("status");
    QTest::addColumn<QString>("search");
    QTest::addColumn<QStringList>("subjects");

    const std::optional<Category> anyCategory;
    const std::optional<TicketStatus> anyStatus;
    QTest::newRow("everything") << anyCategory << anyStatus << QString()
                                << QStringList{u"unclassified"_s, u"printer"_s, u"refund"_s,
                                               u"Invoice"_s};
    QTest::newRow("billing") << std::optional(Category::Billing) << anyStatus << QString()
                             << QStringList{u"refund"_s, u"Invoice"_s};
    QTest::newRow("technical") << std::optional(Category::Technical) << anyStatus << QString()
                               << QStringList{u"printer"_s};
    QTest::newRow("general is empty")
        << std::optional(Category::General) << anyStatus << QString() << QStringList{};
    QTest::newRow("search is case-insensitive")
        << anyCategory << anyStatus << u"INVOICE"_s << QStringList{u"Invoice"_s};
    QTest::newRow("search reads the body")
        << anyCategory << anyStatus << u"paper jam"_s << QStringList{u"printer"_s};
    QTest::newRow("category and search")
        << std::optional(Category::Billing) << anyStatus << u"money"_s << QStringList{u"refund"_s};
    QTest::newRow("status open") << anyCategory << std::optional(TicketStatus::Open) << QString()
                                 << QStringList{u"unclassified"_s, u"printer"_s, u"refund"_s,
                                                u"Invoice"_s};
    QTest::newRow("status closed")
        << anyCategory << std::optional(TicketStatus::Closed) << QString() << QStringList{};
}

void TestTicketRepository::filtersCombine()
{
    QFETCH(std::optional<Category>, category);
    QFETCH(std::optional<TicketStatus>, status);
    QFETCH(QString, search);
    QFETCH(QStringList, subjects);

    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    classify(add(u"Invoice"_s, u"Invoice 7 is wrong"_s, now - 4000).id, Category::Billing);
    classify(add(u"refund"_s, u"I want my money back"_s, now - 3000).id, Category::Billing);
    classify(add(u"printer"_s, u"Paper jam in tray 2"_s, now - 2000).id, Category::Technical);
    add(u"unclassified"_s, u"Nothing yet"_s, now - 1000);

    TicketQuery query;
    query.category = category;
    query.status = status;
    query.search = search;
    const TicketPage page = m_tickets->list(query);
    QStringList found;
    for (const Ticket &ticket : page.items)
        found.append(ticket.subject);
    QCOMPARE(found, subjects);
    QCOMPARE(page.total, subjects.size());
}

void TestTicketRepository::searchTreatsWildcardsAsText()
{
    add(u"discount"_s, u"Can I get 100% off?"_s);
    add(u"other"_s, u"I paid 100 dollars"_s);
    add(u"underscore"_s, u"file_name broken"_s);
    add(u"no underscore"_s, u"filexname broken"_s);

    TicketQuery query;
    query.search = u"100%"_s;
    QCOMPARE(m_tickets->list(query).total, 1);
    query.search = u"file_name"_s;
    const TicketPage page = m_tickets->list(query);
    QCOMPARE(page.total, 1);
    QCOMPARE(page.items.first().subject, u"underscore"_s);
}

void TestTicketRepository::classificationSetsCategoryAndCounts()
{
    const Ticket ticket = add(u"Login"_s, u"Cannot log in"_s);
    TicketQuery technical;
    technical.category = Category::Technical;
    QCOMPARE(m_tickets->list(technical).total, 0);

    classify(ticket.id, Category::Technical);
    QCOMPARE(m_tickets->find(ticket.id)->category, Category::Technical);
    QCOMPARE(m_tickets->find(ticket.id)->classification->model, u"test"_s);
    QCOMPARE(m_tickets->list(technical).total, 1);

    // A later classification replaces the current category and moves the count with it.
    classify(ticket.id, Category::Billing);
    QCOMPARE(m_tickets->find(ticket.id)->category, Category::Billing);
    QCOMPARE(m_tickets->list(technical).total, 0);
    TicketQuery billing;
    billing.category = Category::Billing;
    QCOMPARE(m_tickets->list(billing).total, 1);
    QCOMPARE(m_tickets->count(), 1);
}

void TestTicketRepository::idempotencyKeyReplaysAndConflicts()
{
    using Outcome = TicketRepository::IdempotentCreate::Outcome;
    const TicketDraft draft = TicketDraft::fromText(u"Charged twice"_s, TicketSource::Api);
    const auto first = m_tickets->create(draft, u"key-1"_s, "hash-a");
    QCOMPARE(first.outcome, Outcome::Created);
    const auto again = m_tickets->create(draft, u"key-1"_s, "hash-a");
    QCOMPARE(again.outcome, Outcome::Replayed);
    QCOMPARE(again.ticket->id, first.ticket->id);
    const auto conflict = m_tickets->create(draft, u"key-1"_s, "hash-b");
    QCOMPARE(conflict.outcome, Outcome::KeyReusedWithOtherRequest);
    QVERIFY(!conflict.ticket);
    QCOMPARE(m_tickets->count(), 1);
    QCOMPARE(m_tickets->create(draft, u"key-2"_s, "hash-a").outcome, Outcome::Created);
    QCOMPARE(m_tickets->count(), 2);
}

void TestTicketRepository::importedContentIsStoredOnce()
{
    TicketDraft draft = TicketDraft::fromSubjectAndBody(u"s"_s, u"b"_s, TicketSource::Import);
    draft.dataset = DatasetInfo{u"IT Support"_s, u"high"_s, u"en"_s, u"answer"_s};
    QVERIFY(m_tickets->createImported(draft, "k1"));
    QVERIFY(!m_tickets->createImported(draft, "k1"));
    QCOMPARE(m_tickets->count(), 1);
    const TicketPage page = m_tickets->list(TicketQuery{});
    QCOMPARE(page.items.first().dataset, draft.dataset);
    QCOMPARE(page.items.first().source, TicketSource::Import);
}

// find() reads through SQLite's own API, list() through QtSql: both must see the same ticket.
void TestTicketRepository::lookupAndListReadTheSameTicket()
{
    TicketDraft draft = TicketDraft::fromSubjectAndBody(u"Grüße"_s, u"Line one\nLine \"two\" 👋"_s,
                                                        TicketSource::Import);
    draft.dataset =
        DatasetInfo{u"Billing and Payments"_s, u"high"_s, u"en"_s, u"We refunded you."_s};
    QVERIFY(m_tickets->createImported(draft, "same-ticket"));
    const qint64 id = m_tickets->list(TicketQuery{}).items.first().id;
    classify(id, Category::Billing);
    add(QString(), u"plain, unclassified"_s);

    for (const Ticket &listed : m_tickets->list(TicketQuery{}).items) {
        const std::optional<Ticket> found = m_tickets->find(listed.id);
        QVERIFY(found);
        QCOMPARE(TicketJson::toJson(*found), TicketJson::toJson(listed));
    }
    QVERIFY(m_tickets->find(id)->classification);
    QCOMPARE(m_tickets->find(id)->dataset->answer, u"We refunded you."_s);
}

// Nodes retrying one request at once, each on its own connection: one ticket, every other
// answer a replay of it, never a failure.
void TestTicketRepository::sameKeyFromManyConnectionsAtOnceCreatesOnce()
{
    constexpr int kWriters = 8;
    std::array<std::optional<TicketRepository::IdempotentCreate>, kWriters> results;
    std::array<QString, kWriters> errors;
    std::atomic<int> ready{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < kWriters; ++i) {
        threads.emplace_back([&, i] {
            const Database database(m_temporary->database().config());
            try {
                TicketRepository tickets(database);
                ++ready;
                while (ready.load() < kWriters)
                    std::this_thread::yield();
                results.at(std::size_t(i)) = tickets.create(
                    TicketDraft::fromText(u"retried"_s, TicketSource::Api), u"same-key"_s, "hash");
            } catch (const StorageError &error) {
                errors.at(std::size_t(i)) = error.message();
            }
            database.closeThreadConnection();
        });
    }
    for (std::thread &thread : threads)
        thread.join();
    for (const QString &error : errors)
        QVERIFY2(error.isEmpty(), qPrintable(error));
    int created = 0;
    for (const auto &result : results) {
        QVERIFY(result && result->ticket);
        QCOMPARE(result->ticket->id, results.front()->ticket->id);
        if (result->outcome == TicketRepository::IdempotentCreate::Outcome::Created)
            ++created;
        else
            QCOMPARE(result->outcome, TicketRepository::IdempotentCreate::Outcome::Replayed);
    }
    QCOMPARE(created, 1);
    QCOMPARE(m_tickets->count(), 1);
}

// Another process (here: another connection on its own thread) holds SQLite's write lock for a
// moment; a write that first reads (the idempotency lookup) must wait for it, not fail at once.
void TestTicketRepository::writesWaitForAnotherWriter()
{
    if (m_temporary->isPostgres())
        QSKIP("SQLite's database-wide write lock (BEGIN IMMEDIATE, busy timeout): PostgreSQL "
              "writers take row locks and do not wait for each other");
    std::promise<void> locked;
    std::future<void> lockHeld = locked.get_future();
    const QString path = m_temporary->path();
    std::thread otherWriter([&locked, path] {
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"other-writer"_s);
            db.setDatabaseName(path);
            db.open();
            QSqlQuery query(db);
            query.exec(u"BEGIN IMMEDIATE"_s);
            query.exec(
                u"INSERT INTO tickets (subject, body, form, source, status, created_at, "
                "updated_at) VALUES ('', 'other process', 'text', 'import', 'open', 1, 1)"_s);
            locked.set_value();
            std::this_thread::sleep_for(std::chrono::milliseconds(300));
            query.exec(u"COMMIT"_s);
            db.close();
        }
        QSqlDatabase::removeDatabase(u"other-writer"_s);
    });
    lockHeld.wait();
    QElapsedTimer timer;
    timer.start();
    const auto created = m_tickets->create(
        TicketDraft::fromText(u"retry-safe"_s, TicketSource::Api), u"key-under-lock"_s, "hash");
    const qint64 waited = timer.elapsed();
    otherWriter.join();
    QCOMPARE(created.outcome, TicketRepository::IdempotentCreate::Outcome::Created);
    QVERIFY2(waited >= 100, qPrintable(QString::number(waited)));
    QCOMPARE(m_tickets->count(), 2);
}

// SQLite folds only ASCII case; what matters is that text copied out of a ticket finds it.
void TestTicketRepository::searchFindsTextAsWritten()
{
    add(u"Über Rechnung"_s, u"Bitte die ÄNDERUNG prüfen"_s);
    add(u"other"_s, u"nothing here"_s);
    for (const QString &search : {u"Über"_s, u"ÄNDERUNG"_s, u"prüfen"_s, u"rechnung"_s}) {
        TicketQuery query;
        query.search = search;
        QVERIFY2(m_tickets->list(query).total == 1, qPrintable(search));
    }
}

// The full-text index: every word, in any order, as the start of a word; case and accents fold.
void TestTicketRepository::searchMatchesWordsFromTheirStart()
{
    add(u"Refunds pending"_s, u"The invoice from March was paid twice"_s);
    add(u"Uber ride"_s, u"unrelated"_s);
    add(u"Printer"_s, u"paper jam in tray 2"_s);
    const auto total = [this](const QString &search) {
        TicketQuery query;
        query.search = search;
        return m_tickets->list(query).total;
    };
    QCOMPARE(total(u"refund"_s), 1);
    QCOMPARE(total(u"twice invoice"_s), 1);
    QCOMPARE(total(u"über"_s), 1);
    QCOMPARE(total(u"fund"_s), 0);
    QCOMPARE(total(u"printer toner"_s), 0);
    QCOMPARE(total(u"twice\tinvoice"_s), 1);
    // Punctuation makes its own word exact, not the whole search.
    add(u"Promise"_s, u"You promised a 100% refund"_s);
    QCOMPARE(total(u"refund 100%"_s), 1);
    QCOMPARE(total(u"100% refunds"_s), 0);
    // A quote is text to find, not query syntax.
    QCOMPARE(total(u"\"jam"_s), 0);
    QCOMPARE(total(u"jam\""_s), 0);
    // Ranges and counts with other filters use the same index.
    TicketQuery query;
    query.search = u"pa"_s;
    query.status = TicketStatus::Open;
    QCOMPARE(m_tickets->count(query), 2);
    QCOMPARE(m_tickets->range(query, TicketOrder{}, 0, 10).size(), 2);
}

// Past 2,000 matches the query walks the date index instead of the matches; same answers.
void TestTicketRepository::frequentSearchGivesTheSameRows()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QList<qint64> common;
    for (int i = 0; i < 3100; ++i) {
        const bool isCommon = i % 3 != 0;
        const Ticket ticket = add(u"t%1"_s.arg(i), isCommon ? u"printer jammed"_s : u"other"_s,
                                  now - qint64(i % 97) * 60000);
        if (isCommon)
            common.append(ticket.id);
    }
    QVERIFY(common.size() > 2000);
    TicketQuery query;
    query.search = u"printer"_s;
    QCOMPARE(m_tickets->count(query), common.size());
    // Build the expected order in C++: newest first, ties by id.
    QList<Ticket> expected;
    for (const qint64 id : std::as_const(common))
        expected.append(*m_tickets->find(id));
    std::sort(expected.begin(), expected.end(), [](const Ticket &a, const Ticket &b) {
        return std::pair(a.createdAt, a.id) > std::pair(b.createdAt, b.id);
    });
    const QList<qint64> page = m_tickets->idsInRange(query, TicketOrder{}, 700, 50);
    QCOMPARE(page.size(), 50);
    for (qsizetype i = 0; i < page.size(); ++i)
        QCOMPARE(page.at(i), expected.at(700 + i).id);
    QCOMPARE(m_tickets->position(query, TicketOrder{}, expected.at(1000).id),
             std::optional<qint64>(1000));
    QCOMPARE(m_tickets->countByCategory(query).all, common.size());
}

void TestTicketRepository::countsPerCategoryEqualCountsOfEachFilter_data()
{
    QTest::addColumn<TicketQuery>("filter");
    QTest::newRow("everything") << TicketQuery{};
    TicketQuery open;
    open.status = TicketStatus::Open;
    QTest::newRow("open") << open;
    TicketQuery review;
    review.needsReview = true;
    QTest::newRow("needs review") << review;
    TicketQuery search;
    search.search = u"invoice"_s;
    QTest::newRow("search") << search;
    search.status = TicketStatus::Resolved;
    QTest::newRow("search resolved") << search;
}

// The window's category buttons: one grouped query must say what four counts would.
void TestTicketRepository::countsPerCategoryEqualCountsOfEachFilter()
{
    QFETCH(TicketQuery, filter);
    for (int i = 0; i < 20; ++i) {
        const Ticket ticket = add(u"t%1"_s.arg(i), i % 2 ? u"invoice"_s : u"printer"_s);
        if (i % 5 == 4)
            continue;
        Classification classification;
        classification.ticketId = ticket.id;
        classification.category = kAllCategories.at(i % 3);
        classification.confidence = i % 4 == 0 ? 0.3 : 0.9;
        classification.needsReview = classification.confidence < 0.6;
        ClassificationRepository(m_temporary->database()).add(classification);
        if (i % 3 == 1)
            m_tickets->setStatus({ticket.id}, TicketStatus::Resolved, Actor::user(u"alice"_s));
    }
    const TicketRepository::CategoryCounts counts = m_tickets->countByCategory(filter);
    QCOMPARE(counts.all, m_tickets->count(filter));
    for (qsizetype i = 0; i < qsizetype(kAllCategories.size()); ++i) {
        TicketQuery one = filter;
        one.category = kAllCategories.at(i);
        QCOMPARE(counts.perCategory.at(i), m_tickets->count(one));
    }
    QVERIFY(counts.all > 0);
}

void TestTicketRepository::countedRangeEqualsCountAndRange_data()
{
    countsPerCategoryEqualCountsOfEachFilter_data();
    TicketQuery nothing;
    nothing.search = u"nowhere"_s;
    QTest::newRow("search without matches") << nothing;
    TicketQuery billing;
    billing.search = u"invoice"_s;
    billing.category = Category::Billing;
    QTest::newRow("search in a category") << billing;
}

// The window's first page and row count in one call: the same as asking for each, at every
// offset, including past the last match.
void TestTicketRepository::countedRangeEqualsCountAndRange()
{
    QFETCH(TicketQuery, filter);
    ClassificationRepository classifications(m_temporary->database());
    for (int i = 0; i < 30; ++i) {
        const Ticket ticket = add(u"t%1"_s.arg(i), i % 3 ? u"invoice due"_s : u"printer jam"_s);
        Classification classification;
        classification.ticketId = ticket.id;
        classification.category = kAllCategories.at(i % 3);
        classification.confidence = i % 4 == 0 ? 0.3 : 0.9;
        classification.needsReview = classification.confidence < 0.6;
        classifications.add(classification);
        if (i % 4 == 1)
            m_tickets->setStatus({ticket.id}, TicketStatus::Resolved, Actor::user(u"alice"_s));
    }
    const TicketOrder order{TicketOrder::Key::Subject, Qt::AscendingOrder};
    const qint64 total = m_tickets->count(filter);
    for (const qint64 offset : {qint64(0), qint64(4), total, total + 10}) {
        const TicketRepository::CountedRange counted =
            m_tickets->countedRange(filter, order, offset, 4);
        QCOMPARE(counted.count, total);
        QList<qint64> expected;
        for (const Ticket &ticket : m_tickets->range(filter, order, offset, 4))
            expected.append(ticket.id);
        QList<qint64> ids;
        for (const Ticket &ticket : counted.tickets)
            ids.append(ticket.id);
        QCOMPARE(ids, expected);
    }
}

void TestTicketRepository::rangeAndPositionAgreeInEveryOrder_data()
{
    QTest::addColumn<TicketOrder::Key>("key");
    QTest::addColumn<Qt::SortOrder>("direction");
    const QList<std::pair<const char *, TicketOrder::Key>> keys{
        {"id", TicketOrder::Key::Id},
        {"received", TicketOrder::Key::Received},
        {"subject", TicketOrder::Key::Subject},
        {"category", TicketOrder::Key::Category},
        {"confidence", TicketOrder::Key::Confidence},
        {"priority", TicketOrder::Key::Priority},
        {"status", TicketOrder::Key::Status},
        {"assignee", TicketOrder::Key::Assignee},
        {"needs review", TicketOrder::Key::NeedsReview},
    };
    for (const auto &[name, key] : keys) {
        QTest::addRow("%s ascending", name) << key << Qt::AscendingOrder;
        QTest::addRow("%s descending", name) << key << Qt::DescendingOrder;
    }
}

// Whatever the order, pages read at any offset tile the full list, the full list is sorted by
// the key, and position() finds each ticket where range() put it, unclassified ones included.
void TestTicketRepository::rangeAndPositionAgreeInEveryOrder()
{
    QFETCH(TicketOrder::Key, key);
    QFETCH(Qt::SortOrder, direction);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    ClassificationRepository classifications(m_temporary->database());
    for (int i = 0; i < 23; ++i) {
        // Equal timestamps in pairs, so ties must break on id.
        const Ticket ticket = add(QString(QChar(u'a' + i % 5)) + QString::number(i), u"body"_s,
                                  now - (i / 2) * 60000);
        if (i % 4 == 3)
            continue; // unclassified: NULL category, confidence and priority
        Classification classification;
        classification.ticketId = ticket.id;
        classification.category = kAllCategories.at(i % 3);
        classification.confidence = (i % 6) / 6.0;
        classification.priority = kAllPriorities.at(i % 3);
        classification.needsReview = i % 2 == 0;
        classifications.add(classification);
        if (i % 5 == 0)
            m_tickets->setStatus({ticket.id}, TicketStatus::Resolved, Actor::user(u"alice"_s));
        if (i % 3 > 0) {
            m_tickets->setAssignee({ticket.id}, i % 3 == 1 ? u"alice"_s : u"bob"_s,
                                   Actor::user(u"alice"_s));
        }
    }
    const TicketOrder order{key, direction};
    const TicketQuery all;
    const QList<Ticket> full = m_tickets->range(all, order, 0, 100);
    QCOMPARE(full.size(), 23);

    QList<Ticket> paged;
    for (int offset = 0; offset < 23; offset += 7)
        paged += m_tickets->range(all, order, offset, 7);
    QCOMPARE(paged.size(), full.size());
    for (qsizetype i = 0; i < full.size(); ++i) {
        QCOMPARE(paged.at(i).id, full.at(i).id);
        QCOMPARE(m_tickets->position(all, order, full.at(i).id), std::optional<qint64>(i));
    }

    const auto sortValue = [key](const Ticket &t) -> QVariant {
        switch (key) {
        case TicketOrder::Key::Id:
            return t.id;
        case TicketOrder::Key::Received:
            return Timestamps::toMs(t.createdAt);
        case TicketOrder::Key::Subject:
            return t.subject.toLower();
        case TicketOrder::Key::Category:
            return t.category ? QVariant(QString(categoryName(*t.category))) : QVariant();
        case TicketOrder::Key::Confidence:
            return t.classification ? QVariant(t.classification->confidence) : QVariant();
        case TicketOrder::Key::Priority:
            return t.classification ? QVariant(int(t.classification->priority)) : QVariant();
        case TicketOrder::Key::Status:
            return int(t.status);
        case TicketOrder::Key::Assignee:
            return t.assignee.isNull() ? u""_s : t.assignee;
        case TicketOrder::Key::NeedsReview:
            return int(t.needsReview);
        }
        return {};
    };
    for (qsizetype i = 1; i < full.size(); ++i) {
        QVariant a = sortValue(full.at(i - 1));
        QVariant b = sortValue(full.at(i));
        if (direction == Qt::DescendingOrder)
            std::swap(a, b);
        // NULL sorts below every value.
        const bool inOrder = a.isNull() || (!b.isNull() && QVariant::compare(a, b) <= 0);
        QVERIFY2(inOrder, qPrintable(u"rows %1 and %2"_s.arg(i - 1).arg(i)));
    }
}

void TestTicketRepository::positionIsNothingOnceTheTicketLeavesTheFilter()
{
    const Ticket ticket = add(u"s"_s, u"b"_s);
    TicketQuery openOnly;
    openOnly.status = TicketStatus::Open;
    const TicketOrder order;
    QCOMPARE(m_tickets->position(openOnly, order, ticket.id), std::optional<qint64>(0));
    m_tickets->setStatus({ticket.id}, TicketStatus::Closed, Actor::user(u"alice"_s));
    QCOMPARE(m_tickets->position(openOnly, order, ticket.id), std::nullopt);
    QCOMPARE(m_tickets->position(openOnly, order, 999999), std::nullopt);
}

void TestTicketRepository::statusChangesForManyTickets()
{
    const Ticket a = add(u"a"_s, u"b"_s);
    const Ticket b = add(u"b"_s, u"b"_s);
    const Ticket untouched = add(u"c"_s, u"b"_s);
    m_tickets->setStatus({a.id, b.id, 424242}, TicketStatus::InProgress, Actor::user(u"alice"_s));
    QCOMPARE(m_tickets->find(a.id)->status, TicketStatus::InProgress);
    QCOMPARE(m_tickets->find(b.id)->status, TicketStatus::InProgress);
    QCOMPARE(m_tickets->find(untouched.id)->status, TicketStatus::Open);
    TicketQuery inProgress;
    inProgress.status = TicketStatus::InProgress;
    QCOMPARE(m_tickets->count(inProgress), 2);
}

void TestTicketRepository::waitingForTheCustomerIsAStatus()
{
    const Ticket asked = add(u"Printer"_s, u"Which model is it?"_s);
    const Ticket resolved = add(u"Refund"_s, u"Done"_s);
    const Ticket working = add(u"Login"_s, u"Locked out"_s);
    m_tickets->setStatus({asked.id}, TicketStatus::Waiting, Actor::user(u"alice"_s));
    m_tickets->setStatus({resolved.id}, TicketStatus::Resolved, Actor::user(u"alice"_s));
    m_tickets->setStatus({working.id}, TicketStatus::InProgress, Actor::user(u"alice"_s));
    QCOMPARE(m_tickets->find(asked.id)->status, TicketStatus::Waiting);

    TicketQuery waiting;
    waiting.status = TicketStatus::Waiting;
    QCOMPARE(m_tickets->count(waiting), 1);
    // Sorted by status, it comes after the team's own work and before what is done.
    const QList<Ticket> byStatus =
        m_tickets->range({}, {TicketOrder::Key::Status, Qt::AscendingOrder}, 0, 10);
    QCOMPARE(byStatus.size(), 3);
    QCOMPARE(byStatus.at(0).id, working.id);
    QCOMPARE(byStatus.at(1).id, asked.id);
    QCOMPARE(byStatus.at(2).id, resolved.id);
}

// SQLite keeps a parsed schema per connection; a window that was open while another process
// migrated must take the new status too.
void TestTicketRepository::upgradeAllowsWaitingOnConnectionsOpenedBefore()
{
    TemporaryDatabase temporary(TemporaryDatabase::Schema::Empty);
    temporary.migrateTo(11);
    QSqlQuery insert(temporary.database().connection());
    QVERIFY(insert.exec(u"INSERT INTO tickets (id, body, form, source, status, created_at, "
                        "updated_at) VALUES (5, 'Printer', 'text', 'api', 'open', 0, 0)"_s));
    insert.finish();
    std::optional<QSqlDatabase> before;
    if (!temporary.isPostgres()) {
        before = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"opened-before"_s);
        before->setDatabaseName(temporary.path());
        QVERIFY(before->open());
        QSqlQuery read(*before);
        QVERIFY(read.exec(u"SELECT status FROM tickets"_s) && read.next());
    }

    temporary.database().migrate();
    TicketRepository tickets(temporary.database());
    tickets.setStatus({5}, TicketStatus::Waiting, Actor::user(u"system:tests"_s));
    QCOMPARE(tickets.find(5)->status, TicketStatus::Waiting);
    if (before) {
        {
            QSqlQuery update(*before);
            QVERIFY2(update.exec(u"UPDATE tickets SET status = 'waiting' WHERE id = 5"_s),
                     qPrintable(update.lastError().text()));
            QVERIFY(!update.exec(u"UPDATE tickets SET status = 'later' WHERE id = 5"_s));
        }
        before->close();
        before.reset();
        QSqlDatabase::removeDatabase(u"opened-before"_s);
    }
    // Still refused: any other value.
    QSqlQuery refused(temporary.database().connection());
    QVERIFY(!refused.exec(u"UPDATE tickets SET status = 'pending' WHERE id = 5"_s));
}

void TestTicketRepository::agentVerdictBecomesTheCategory()
{
    const Ticket ticket = add(u"Invoice charged twice"_s, u"Please refund"_s);
    ClassificationRepository classifications(m_temporary->database());
    Classification machine;
    machine.ticketId = ticket.id;
    machine.category = Category::Technical;
    machine.confidence = 0.4;
    machine.priority = Priority::High;
    machine.summary = u"Customer was charged twice."_s;
    machine.needsReview = true;
    classifications.add(machine);
    QVERIFY(m_tickets->find(ticket.id)->needsReview);

    classifications.addVerdict({ticket.id}, Category::Billing, Actor::user(u"alice"_s));
    const std::optional<Ticket> corrected = m_tickets->find(ticket.id);
    QCOMPARE(corrected->category, Category::Billing);
    QVERIFY(!corrected->needsReview);
    QCOMPARE(corrected->classification->provider, ClassificationProvider::Agent);
    QCOMPARE(corrected->classification->model, u"alice"_s);
    QCOMPARE(corrected->classification->priority, Priority::High);
    QCOMPARE(corrected->classification->summary, machine.summary);

    // A later machine result is history, not the category.
    machine.category = Category::General;
    classifications.add(machine);
    QCOMPARE(m_tickets->find(ticket.id)->category, Category::Billing);
    QCOMPARE(classifications.history(ticket.id).size(), 3);
}

// The window's "Mine", "Unassigned" and review-queue filters, in every query the table makes.
void TestTicketRepository::holderFiltersFindWhoseTicketsTheyAre()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const Ticket alices = add(u"alice's"_s, u"invoice"_s, now - 4000);
    const Ticket bobs = add(u"bob's"_s, u"invoice"_s, now - 3000);
    const Ticket nobodys = add(u"nobody's"_s, u"invoice"_s, now - 2000);
    const Ticket given = add(u"given back"_s, u"printer"_s, now - 1000);
    for (const Ticket &ticket : {alices, bobs, nobodys, given})
        classify(ticket.id, Category::Billing);
    const Actor alice = Actor::user(u"alice"_s);
    m_tickets->setAssignee({alices.id, given.id}, u"alice"_s, alice);
    m_tickets->setAssignee({bobs.id}, u"bob"_s, alice);
    m_tickets->setAssignee({given.id}, QString(), alice);

    const auto subjects = [this](const TicketQuery &query) {
        QStringList found;
        for (const Ticket &ticket : m_tickets->list(query).items)
            found.append(ticket.subject);
        QStringList ranged;
        for (const Ticket &ticket : m_tickets->range(query, TicketOrder{}, 0, 10))
            ranged.append(ticket.subject);
        // The table reads through range() and counts per category; the API through list().
        const qint64 count = m_tickets->count(query);
        const TicketRepository::CategoryCounts counts = m_tickets->countByCategory(query);
        return found == ranged && count == found.size() && counts.all == count &&
                       counts.perCategory.at(qsizetype(Category::Billing)) == count
                   ? found
                   : QStringList{u"inconsistent"_s};
    };
    TicketQuery mine;
    mine.assignee = u"alice"_s;
    QCOMPARE(subjects(mine), QStringList{u"alice's"_s});
    TicketQuery nobody;
    nobody.assignee = QString();
    QCOMPARE(subjects(nobody), (QStringList{u"given back"_s, u"nobody's"_s}));
    TicketQuery available;
    available.availableTo = u"alice"_s;
    QCOMPARE(subjects(available), (QStringList{u"given back"_s, u"nobody's"_s, u"alice's"_s}));
    available.search = u"invoice"_s;
    QCOMPARE(subjects(available), (QStringList{u"nobody's"_s, u"alice's"_s}));
    TicketQuery bobsView;
    bobsView.availableTo = u"bob"_s;
    bobsView.status = TicketStatus::Open;
    QCOMPARE(subjects(bobsView), (QStringList{u"given back"_s, u"nobody's"_s, u"bob's"_s}));
}

void TestTicketRepository::dataVersionSeesOtherConnectionsCommit()
{
    StatementCache statements(m_temporary->database().connection());
    if (!m_temporary->database().dialect().writeVersion(statements)) {
        // No change token to poll (PostgreSQL): every answer must read as a change, even two
        // within the same millisecond.
        const qint64 first = m_tickets->dataVersion();
        QVERIFY(m_tickets->dataVersion() != first);
        return;
    }
    const qint64 before = m_tickets->dataVersion();
    add(u"own"_s, u"write"_s);
    QCOMPARE(m_tickets->dataVersion(), before); // its own commits are already visible to it
    std::thread other([this] {
        {
            TicketRepository(m_temporary->database())
                .create(TicketDraft::fromText(u"from another connection"_s, TicketSource::Api));
        }
        m_temporary->database().closeThreadConnection();
    });
    other.join();
    QVERIFY(m_tickets->dataVersion() != before);
}

QTEST_GUILESS_MAIN(TestTicketRepository)
#include "tst_ticketrepository.moc"
