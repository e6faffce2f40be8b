#include "classificationrepository.h"
#include "storageerror.h"
#include "temporarydatabase.h"
#include "ticketjson.h"
#include "ticketrepository.h"
#include "timestamps.h"

#include <QElapsedTimer>
#include <QSet>
#include <QSqlQuery>
#include <QTest>

#include <future>
#include <thread>

using namespace Qt::StringLiterals;

class TestTicketRepository : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void createdTicketIsFoundAgain();
    void emptySubjectIsKept();
    void unknownIdIsNotFound();
    void listIsNewestFirst();
    void pagesCoverEveryTicketOnce_data();
    void pagesCoverEveryTicketOnce();
    void filtersCombine_data();
    void filtersCombine();
    void searchTreatsWildcardsAsText();
    void classificationSetsCategoryAndCounts();
    void idempotencyKeyReplaysAndConflicts();
    void importedContentIsStoredOnce();
    void lookupAndListReadTheSameTicket();
    void writesWaitForAnotherWriter();
    void searchFindsTextAsWritten();

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

// Another process (here: another connection on its own thread) holds SQLite's write lock for a
// moment; a write that first reads (the idempotency lookup) must wait for it, not fail at once.
void TestTicketRepository::writesWaitForAnotherWriter()
{
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

QTEST_GUILESS_MAIN(TestTicketRepository)
#include "tst_ticketrepository.moc"
