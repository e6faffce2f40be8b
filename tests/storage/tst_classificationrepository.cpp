#include "classificationrepository.h"
#include "storageerror.h"
#include "temporarydatabase.h"
#include "ticketrepository.h"
#include "transaction.h"

#include <QTest>

using namespace Qt::StringLiterals;

class TestClassificationRepository : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void historyKeepsEveryVerdictInOrder();
    void latestVerdictIsTheTicketsCategory();
    void nestedWriteIsAnErrorNotADeadlock();
    void invalidVerdictsAreRefused_data();
    void invalidVerdictsAreRefused();

private:
    Classification verdict(Category category, double confidence, const QString &model) const;

    std::unique_ptr<TemporaryDatabase> m_temporary;
    qint64 m_ticketId = 0;
};

void TestClassificationRepository::init()
{
    m_temporary = std::make_unique<TemporaryDatabase>();
    TicketRepository tickets(m_temporary->database());
    m_ticketId =
        tickets.create(TicketDraft::fromText(u"My card was charged twice"_s, TicketSource::Api)).id;
}

void TestClassificationRepository::cleanup()
{
    m_temporary.reset();
}

Classification TestClassificationRepository::verdict(Category category, double confidence,
                                                     const QString &model) const
{
    Classification classification;
    classification.ticketId = m_ticketId;
    classification.category = category;
    classification.confidence = confidence;
    classification.summary = u"Customer was charged twice."_s;
    classification.model = model;
    classification.processingMs = 12;
    return classification;
}

void TestClassificationRepository::historyKeepsEveryVerdictInOrder()
{
    ClassificationRepository repository(m_temporary->database());
    const qint64 first = repository.add(verdict(Category::General, 0.4, u"rules"_s));
    const qint64 second = repository.add(verdict(Category::Billing, 0.93, u"fasttext"_s));
    QVERIFY(second > first);

    const QList<Classification> history = repository.history(m_ticketId);
    QCOMPARE(history.size(), 2);
    QCOMPARE(history.at(0).model, u"rules"_s);
    QCOMPARE(history.at(0).category, Category::General);
    QCOMPARE(history.at(1).model, u"fasttext"_s);
    QCOMPARE(history.at(1).confidence, 0.93);
    QCOMPARE(history.at(1).processingMs, 12);
    QCOMPARE(history.at(1).summary, u"Customer was charged twice."_s);
    QVERIFY(history.at(1).createdAt.isValid());
    QVERIFY(repository.history(m_ticketId + 1).isEmpty());
}

void TestClassificationRepository::latestVerdictIsTheTicketsCategory()
{
    ClassificationRepository repository(m_temporary->database());
    TicketRepository tickets(m_temporary->database());
    repository.add(verdict(Category::Technical, 0.5, u"rules"_s));
    repository.add(verdict(Category::Billing, 0.8, u"fasttext"_s));
    const std::optional<Ticket> ticket = tickets.find(m_ticketId);
    QVERIFY(ticket);
    QCOMPARE(ticket->category, Category::Billing);
    QVERIFY(ticket->classification);
    QCOMPARE(ticket->classification->model, u"fasttext"_s);
    QCOMPARE(ticket->classification->confidence, 0.8);
}

void TestClassificationRepository::nestedWriteIsAnErrorNotADeadlock()
{
    Transaction outer(m_temporary->database());
    ClassificationRepository repository(m_temporary->database());
    QVERIFY_THROWS_EXCEPTION(StorageError, repository.add(verdict(Category::Billing, 0.9, u"x"_s)));
}

void TestClassificationRepository::invalidVerdictsAreRefused_data()
{
    QTest::addColumn<qint64>("ticketOffset");
    QTest::addColumn<double>("confidence");

    QTest::newRow("unknown ticket") << qint64(1000) << 0.5;
    QTest::newRow("confidence above one") << qint64(0) << 1.5;
    QTest::newRow("negative confidence") << qint64(0) << -0.1;
}

void TestClassificationRepository::invalidVerdictsAreRefused()
{
    QFETCH(qint64, ticketOffset);
    QFETCH(double, confidence);
    ClassificationRepository repository(m_temporary->database());
    Classification classification = verdict(Category::Billing, confidence, u"x"_s);
    classification.ticketId += ticketOffset;
    QVERIFY_THROWS_EXCEPTION(StorageError, repository.add(classification));
    QVERIFY(repository.history(m_ticketId).isEmpty());
    TicketRepository tickets(m_temporary->database());
    QVERIFY(!tickets.find(m_ticketId)->category);
}

QTEST_GUILESS_MAIN(TestClassificationRepository)
#include "tst_classificationrepository.moc"
