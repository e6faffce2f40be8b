#include "ticketquery.h"
#include "urlqueryreader.h"

#include <QTest>

using namespace Qt::StringLiterals;

namespace {

QStringList errorFields(const FieldErrors &errors)
{
    QStringList fields;
    for (const FieldError &error : errors)
        fields.append(error.field);
    return fields;
}

Validated<TicketQuery> parse(const QString &query)
{
    return TicketQuery::fromUrlQuery(QUrlQuery(query));
}

} // namespace

class TestTicketQuery : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void defaults();
    void validParameters_data();
    void validParameters();
    void validCursor();
    void searchIsTrimmed_data();
    void searchIsTrimmed();
    void invalidParameters_data();
    void invalidParameters();
    void errorMessagesAreSet();
};

void TestTicketQuery::defaults()
{
    const Validated<TicketQuery> result = TicketQuery::fromUrlQuery(QUrlQuery());
    QVERIFY(result.isValid());
    QCOMPARE(result.value.limit, 50);
    QCOMPARE(result.value.limit, TicketQuery::kDefaultLimit);
    QVERIFY(!result.value.category);
    QVERIFY(!result.value.status);
    QVERIFY(result.value.search.isEmpty());
    QVERIFY(!result.value.after);
}

void TestTicketQuery::validParameters_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<std::optional<Category>>("category");
    QTest::addColumn<std::optional<TicketStatus>>("status");
    QTest::addColumn<QString>("search");
    QTest::addColumn<int>("limit");

    const std::optional<Category> noCategory;
    const std::optional<TicketStatus> noStatus;
    QTest::newRow("category technical")
        << u"category=technical"_s << std::optional(Category::Technical) << noStatus << QString()
        << 50;
    QTest::newRow("category billing")
        << u"category=billing"_s << std::optional(Category::Billing) << noStatus << QString() << 50;
    QTest::newRow("category general")
        << u"category=general"_s << std::optional(Category::General) << noStatus << QString() << 50;
    QTest::newRow("status open") << u"status=open"_s << noCategory
                                 << std::optional(TicketStatus::Open) << QString() << 50;
    QTest::newRow("status in_progress")
        << u"status=in_progress"_s << noCategory << std::optional(TicketStatus::InProgress)
        << QString() << 50;
    QTest::newRow("status resolved") << u"status=resolved"_s << noCategory
                                     << std::optional(TicketStatus::Resolved) << QString() << 50;
    QTest::newRow("status closed") << u"status=closed"_s << noCategory
                                   << std::optional(TicketStatus::Closed) << QString() << 50;
    QTest::newRow("q") << u"q=printer"_s << noCategory << noStatus << u"printer"_s << 50;
    QTest::newRow("q percent-encoded")
        << u"q=caf%C3%A9%20cr%C3%A8me"_s << noCategory << noStatus << u"café crème"_s << 50;
    QTest::newRow("q empty") << u"q="_s << noCategory << noStatus << QString() << 50;
    QTest::newRow("q of 200") << u"q="_s + QString(200, u'a') << noCategory << noStatus
                              << QString(200, u'a') << 50;
    QTest::newRow("limit 1") << u"limit=1"_s << noCategory << noStatus << QString() << 1;
    QTest::newRow("limit 500") << u"limit=500"_s << noCategory << noStatus << QString() << 500;
    QTest::newRow("limit 50") << u"limit=50"_s << noCategory << noStatus << QString() << 50;
    QTest::newRow("everything") << u"category=billing&status=closed&q=refund&limit=20"_s
                                << std::optional(Category::Billing)
                                << std::optional(TicketStatus::Closed) << u"refund"_s << 20;
    QTest::newRow("order does not matter")
        << u"limit=20&q=refund&status=closed&category=billing"_s << std::optional(Category::Billing)
        << std::optional(TicketStatus::Closed) << u"refund"_s << 20;
}

void TestTicketQuery::validParameters()
{
    QFETCH(QString, query);
    QFETCH(std::optional<Category>, category);
    QFETCH(std::optional<TicketStatus>, status);
    QFETCH(QString, search);
    QFETCH(int, limit);

    const Validated<TicketQuery> result = parse(query);
    QVERIFY2(result.isValid(), qPrintable(errorFields(result.errors).join(u',')));
    QCOMPARE(result.value.category, category);
    QCOMPARE(result.value.status, status);
    QCOMPARE(result.value.search, search);
    QCOMPARE(result.value.limit, limit);
    QVERIFY(!result.value.after);
}

void TestTicketQuery::validCursor()
{
    const PageCursor cursor{1'714'564'800'123, 42};
    const Validated<TicketQuery> result = parse(u"limit=10&cursor="_s + cursor.encode());
    QVERIFY2(result.isValid(), qPrintable(errorFields(result.errors).join(u',')));
    QVERIFY(result.value.after.has_value());
    QVERIFY(*result.value.after == cursor);
    QCOMPARE(result.value.limit, 10);
}

void TestTicketQuery::searchIsTrimmed_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<QString>("search");

    QTest::newRow("spaces") << u"q=%20%20printer%20jam%20%20"_s << u"printer jam"_s;
    QTest::newRow("tab and newline") << u"q=%09vpn%0A"_s << u"vpn"_s;
    QTest::newRow("only spaces") << u"q=%20%20%20"_s << QString();
    // Trimming happens before the length check, so padding cannot push a query over it.
    QTest::newRow("padded 200") << u"q=%20"_s + QString(200, u'a') + u"%20"_s << QString(200, u'a');
}

void TestTicketQuery::searchIsTrimmed()
{
    QFETCH(QString, query);
    QFETCH(QString, search);

    const Validated<TicketQuery> result = parse(query);
    QVERIFY(result.isValid());
    QCOMPARE(result.value.search, search);
}

void TestTicketQuery::invalidParameters_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<QStringList>("expectedFields");

    const QStringList category{u"category"_s};
    const QStringList status{u"status"_s};
    const QStringList limit{u"limit"_s};
    const QStringList cursor{u"cursor"_s};

    QTest::newRow("category=foo") << u"category=foo"_s << category;
    QTest::newRow("category capitalised") << u"category=Billing"_s << category;
    QTest::newRow("category empty") << u"category="_s << category;
    QTest::newRow("category unclassified") << u"category=unclassified"_s << category;
    QTest::newRow("status=bar") << u"status=bar"_s << status;
    QTest::newRow("status upper case") << u"status=OPEN"_s << status;
    QTest::newRow("status with space") << u"status=in%20progress"_s << status;
    QTest::newRow("limit=0") << u"limit=0"_s << limit;
    QTest::newRow("limit=501") << u"limit=501"_s << limit;
    QTest::newRow("limit=-1") << u"limit=-1"_s << limit;
    QTest::newRow("limit=abc") << u"limit=abc"_s << limit;
    QTest::newRow("limit empty") << u"limit="_s << limit;
    QTest::newRow("limit=1.5") << u"limit=1.5"_s << limit;
    QTest::newRow("limit=10abc") << u"limit=10abc"_s << limit;
    QTest::newRow("limit beyond int") << u"limit=99999999999"_s << limit;
    QTest::newRow("cursor=zzz") << u"cursor=zzz"_s << cursor;
    QTest::newRow("cursor empty") << u"cursor="_s << cursor;
    QTest::newRow("q of 201") << u"q="_s + QString(201, u'a') << QStringList{u"q"_s};
    QTest::newRow("unknown parameter") << u"colour=red"_s << QStringList{u"colour"_s};
    QTest::newRow("parameter name case") << u"Limit=5"_s << QStringList{u"Limit"_s};
    QTest::newRow("unknown among known")
        << u"category=billing&sort=asc&limit=5"_s << QStringList{u"sort"_s};
    QTest::newRow("repeated status") << u"status=open&status=closed"_s << status;
    QTest::newRow("repeated identical limit") << u"limit=10&limit=10"_s << limit;
    QTest::newRow("repeated q") << u"q=a&q=b"_s << QStringList{u"q"_s};
    QTest::newRow("q with NUL") << u"q=a%00b"_s << QStringList{u"q"_s};
    QTest::newRow("q with escape") << u"q=%1B%5B2J"_s << QStringList{u"q"_s};
    QTest::newRow("category with NUL") << u"category=billing%00"_s << category;
    QStringList many;
    for (int i = 0; i <= UrlQueryReader::kMaxParameters; ++i)
        many.append(u"limit=5"_s);
    QTest::newRow("too many parameters") << many.join(u'&') << QStringList{u"query"_s};
    QStringList flood;
    for (int i = 0; i < 80000; ++i)
        flood.append(u"p%1=1"_s.arg(i));
    // One error, not 80,000: the answer stays small.
    QTest::newRow("80,000 unknown parameters") << flood.join(u'&') << QStringList{u"query"_s};
    QTest::newRow("several wrong at once")
        << u"category=foo&status=bar&limit=0&cursor=zzz"_s
        << QStringList{u"category"_s, u"status"_s, u"limit"_s, u"cursor"_s};
}

void TestTicketQuery::invalidParameters()
{
    QFETCH(QString, query);
    QFETCH(QStringList, expectedFields);

    const Validated<TicketQuery> result = parse(query);
    QVERIFY(!result.isValid());
    // Which parameters are named matters to clients; the order they are listed in does not.
    QStringList actual = errorFields(result.errors);
    actual.sort();
    expectedFields.sort();
    QCOMPARE(actual, expectedFields);
}

void TestTicketQuery::errorMessagesAreSet()
{
    const Validated<TicketQuery> result = parse(u"category=foo&limit=501&colour=red"_s);
    QCOMPARE(result.errors.size(), 3);
    for (const FieldError &error : result.errors)
        QVERIFY2(!error.message.isEmpty(), qPrintable(error.field));
    // The range belongs in the message: it is all a client needs to fix the request.
    for (const FieldError &error : result.errors) {
        if (error.field == u"limit")
            QVERIFY2(error.message.contains(u"500"_s), qPrintable(error.message));
    }
}

QTEST_GUILESS_MAIN(TestTicketQuery)
#include "tst_ticketquery.moc"
