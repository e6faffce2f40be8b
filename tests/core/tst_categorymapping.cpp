#include "category.h"
#include "categorymapping.h"

#include <QSet>
#include <QTest>

using namespace Qt::StringLiterals;

// Found by ADL, so a failing QCOMPARE prints the category instead of "<unknown>".
char *toString(const std::optional<Category> &category)
{
    return qstrdup(category ? categoryName(*category).data() : "nullopt");
}

class TestCategoryMapping : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void categoryForQueue_data();
    void categoryForQueue();
    void tableHoldsEachDatasetQueueOnce();
    void everyCategoryIsReachable();
    void categoryNameRoundTrip_data();
    void categoryNameRoundTrip();
    void categoryFromNameRejects_data();
    void categoryFromNameRejects();
};

void TestCategoryMapping::categoryForQueue_data()
{
    QTest::addColumn<QString>("queue");
    QTest::addColumn<std::optional<Category>>("expected");

    // The ten queues of the published dataset, mapped as the dataset README documents.
    QTest::newRow("Technical Support")
        << u"Technical Support"_s << std::optional(Category::Technical);
    QTest::newRow("IT Support") << u"IT Support"_s << std::optional(Category::Technical);
    QTest::newRow("Billing and Payments")
        << u"Billing and Payments"_s << std::optional(Category::Billing);
    QTest::newRow("Customer Service") << u"Customer Service"_s << std::optional(Category::General);
    QTest::newRow("Product Support") << u"Product Support"_s << std::optional(Category::General);
    QTest::newRow("Service Outages and Maintenance")
        << u"Service Outages and Maintenance"_s << std::optional(Category::Technical);
    QTest::newRow("Returns and Exchanges")
        << u"Returns and Exchanges"_s << std::optional(Category::Billing);
    QTest::newRow("Sales and Pre-Sales")
        << u"Sales and Pre-Sales"_s << std::optional(Category::General);
    QTest::newRow("Human Resources") << u"Human Resources"_s << std::optional(Category::General);
    QTest::newRow("General Inquiry") << u"General Inquiry"_s << std::optional(Category::General);

    QTest::newRow("lower case") << u"technical support"_s << std::optional(Category::Technical);
    QTest::newRow("upper case") << u"BILLING AND PAYMENTS"_s << std::optional(Category::Billing);
    QTest::newRow("mixed case") << u"sALES aND pRE-sALES"_s << std::optional(Category::General);
    QTest::newRow("surrounding spaces")
        << u"  IT Support  "_s << std::optional(Category::Technical);
    QTest::newRow("tabs and newline")
        << u"\tReturns and Exchanges\r\n"_s << std::optional(Category::Billing);

    const std::optional<Category> none;
    QTest::newRow("unknown queue") << u"Marketing"_s << none;
    QTest::newRow("empty") << QString() << none;
    QTest::newRow("only spaces") << u"   "_s << none;
    QTest::newRow("prefix of a queue") << u"Technical"_s << none;
    QTest::newRow("queue plus extra word") << u"IT Support Team"_s << none;
    QTest::newRow("inner space doubled") << u"Technical  Support"_s << none;
    QTest::newRow("category name is not a queue") << u"billing"_s << none;
}

void TestCategoryMapping::categoryForQueue()
{
    QFETCH(QString, queue);
    QFETCH(std::optional<Category>, expected);

    QCOMPARE(CategoryMapping::categoryForQueue(queue), expected);
}

void TestCategoryMapping::tableHoldsEachDatasetQueueOnce()
{
    const auto &table = CategoryMapping::table();
    QCOMPARE(table.size(), std::size_t(10));

    QSet<QString> queues;
    for (const CategoryMapping::Entry &entry : table) {
        const QString queue = entry.queue;
        QVERIFY2(!queues.contains(queue.toLower()), qPrintable(queue));
        queues.insert(queue.toLower());
        // The lookup and the table must never disagree, or the GUI would list a wrong mapping.
        QCOMPARE(CategoryMapping::categoryForQueue(queue), std::optional(entry.category));
    }
}

void TestCategoryMapping::everyCategoryIsReachable()
{
    QSet<int> reached;
    for (const CategoryMapping::Entry &entry : CategoryMapping::table())
        reached.insert(int(entry.category));
    for (Category category : kAllCategories)
        QVERIFY2(reached.contains(int(category)), categoryName(category).data());
}

void TestCategoryMapping::categoryNameRoundTrip_data()
{
    QTest::addColumn<Category>("category");
    QTest::addColumn<QString>("name");

    QTest::newRow("technical") << Category::Technical << u"technical"_s;
    QTest::newRow("billing") << Category::Billing << u"billing"_s;
    QTest::newRow("general") << Category::General << u"general"_s;
}

void TestCategoryMapping::categoryNameRoundTrip()
{
    QFETCH(Category, category);
    QFETCH(QString, name);

    QCOMPARE(QString(categoryName(category)), name);
    QCOMPARE(categoryFromName(name), std::optional(category));
}

void TestCategoryMapping::categoryFromNameRejects_data()
{
    QTest::addColumn<QString>("name");

    // Wire names are exact: clients that send "Technical" should learn it, not be guessed at.
    QTest::newRow("capitalised") << u"Technical"_s;
    QTest::newRow("upper case") << u"BILLING"_s;
    QTest::newRow("empty") << QString();
    QTest::newRow("leading space") << u" general"_s;
    QTest::newRow("trailing space") << u"general "_s;
    QTest::newRow("prefix") << u"tech"_s;
    QTest::newRow("unclassified") << u"unclassified"_s;
    QTest::newRow("queue name") << u"Billing and Payments"_s;
}

void TestCategoryMapping::categoryFromNameRejects()
{
    QFETCH(QString, name);

    QCOMPARE(categoryFromName(name), std::optional<Category>());
}

QTEST_GUILESS_MAIN(TestCategoryMapping)
#include "tst_categorymapping.moc"
