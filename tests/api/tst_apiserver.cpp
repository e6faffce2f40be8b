#include "apiserver.h"
#include "autoresolverepository.h"
#include "classificationrepository.h"
#include "messagerepository.h"
#include "openapischema.h"
#include "runningserver.h"
#include "testclassifications.h"
#include "ticketrepository.h"
#include "timestamps.h"
#include "urlqueryreader.h"

#include <QJsonArray>
#include <QMetaEnum>
#include <QSqlQuery>
#include <QTest>

#include <cmath>

using namespace Qt::StringLiterals;

using Headers = QList<std::pair<QByteArray, QByteArray>>;

class TestApiServer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void postStoresAndAnswersCreated_data();
    void postStoresAndAnswersCreated();
    void postRejectsInvalidTickets_data();
    void postRejectsInvalidTickets();
    void malformedJsonIsBadRequest_data();
    void malformedJsonIsBadRequest();
    void jsonThatIsNoObjectIsUnprocessable_data();
    void jsonThatIsNoObjectIsUnprocessable();
    void bodyMustBeJson();
    void bodyOver64KiBIsTooLarge();
    void idempotencyKeyMakesRetriesSafe();
    void invalidIdempotencyKeyIsRejected();
    void getReturnsTicketWithLatestClassification();
    void unknownTicketIsNotFound_data();
    void unknownTicketIsNotFound();
    void listFiltersAndPages();
    void listAcceptsPlusAsSpaceInSearch();
    void invalidListParametersAreNamed_data();
    void invalidListParametersAreNamed();
    void statsCountPerCategoryAndDay();
    void invalidStatsDaysAreRejected();
    void statsReportCorrectionsConfidenceAndBacklog();
    void statsMatchOpenApiSchema();
    void wrongMethodIsNotAllowed_data();
    void wrongMethodIsNotAllowed();
    void optionsListsAllowedMethods();
    void unknownPathIsJsonNotFound();
    void storageFailureIsInternalErrorWithoutDetails();
    void healthReportsDatabase();
    void openApiDocumentMatchesServedRoutes();

private:
    HttpClient &client() { return m_server->client(); }
    qint64 postText(const QString &text);
    qint64 addTicketCreatedAgo(qint64 ageMs);

    std::unique_ptr<RunningServer> m_server;
};

void TestApiServer::init()
{
    m_server = std::make_unique<RunningServer>();
    QVERIFY(m_server->isListening());
}

void TestApiServer::cleanup()
{
    m_server.reset();
}

qint64 TestApiServer::postText(const QString &text)
{
    const QByteArray body = QJsonDocument(QJsonObject{{u"text"_s, text}}).toJson();
    const HttpClient::Response response = client().postJson(u"/requests"_s, body);
    return response.status == 201 ? response.json().value(u"id"_s).toInteger() : 0;
}

qint64 TestApiServer::addTicketCreatedAgo(qint64 ageMs)
{
    TicketDraft draft = TicketDraft::fromText(u"Still waiting for an answer"_s, TicketSource::Api);
    draft.createdAt = QDateTime::currentDateTimeUtc().addMSecs(-ageMs);
    return TicketRepository(m_server->database()).create(draft).id;
}

void TestApiServer::postStoresAndAnswersCreated_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("subject");
    QTest::addColumn<QString>("ticketBody");
    QTest::addColumn<QString>("form");

    QTest::newRow("text") << QByteArray(R"({"text": "My VPN drops every hour"})") << QString()
                          << u"My VPN drops every hour"_s << u"text"_s;
    QTest::newRow("subject and body")
        << QByteArray(R"({"subject": "Refund", "body": "Charged twice"})") << u"Refund"_s
        << u"Charged twice"_s << u"subject_body"_s;
    QTest::newRow("empty subject") << QByteArray(R"({"subject": "", "body": "No subject here"})")
                                   << QString() << u"No subject here"_s << u"subject_body"_s;
    QTest::newRow("unicode and markup kept as text")
        << QByteArray(R"({"text": "Grüße 👋 <b>not bold</b>"})") << QString()
        << u"Grüße 👋 <b>not bold</b>"_s << u"text"_s;
    QTest::newRow("charset parameter")
        << QByteArray(R"({"text": "x"})") << QString() << u"x"_s << u"text"_s;
}

void TestApiServer::postStoresAndAnswersCreated()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, subject);
    QFETCH(QString, ticketBody);
    QFETCH(QString, form);

    const Headers headers{{"Content-Type", "application/json; charset=utf-8"}};
    const HttpClient::Response response = client().send("POST", u"/requests"_s, body, headers);
    QCOMPARE(response.status, 201);
    const QJsonObject ticket = response.json();
    const qint64 id = ticket.value(u"id"_s).toInteger();
    QVERIFY(id > 0);
    QCOMPARE(response.header("Location"), "/requests/" + QByteArray::number(id));
    QCOMPARE(ticket.value(u"subject"_s).toString(), subject);
    QCOMPARE(ticket.value(u"body"_s).toString(), ticketBody);
    QCOMPARE(ticket.value(u"form"_s).toString(), form);
    QCOMPARE(ticket.value(u"source"_s).toString(), u"api"_s);
    QCOMPARE(ticket.value(u"status"_s).toString(), u"open"_s);
    QVERIFY(ticket.value(u"category"_s).isNull());
    QCOMPARE(ticket.value(u"classification"_s).toObject(),
             (QJsonObject{{u"status"_s, u"pending"_s}}));
    QCOMPARE(ticket.value(u"needs_review"_s), QJsonValue(false));
    QVERIFY(ticket.value(u"created_at"_s).toString().endsWith(u'Z'));

    const HttpClient::Response stored = client().get(u"/requests/%1"_s.arg(id));
    QCOMPARE(stored.status, 200);
    QCOMPARE(stored.header("X-Content-Type-Options"), "nosniff");
    QCOMPARE(stored.json(), ticket);
}

void TestApiServer::postRejectsInvalidTickets_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QStringList>("fields");

    const QByteArray longSubject = QByteArray(201, 's');
    const QByteArray longBody = QByteArray(20001, 'b');
    QTest::newRow("blank text") << QByteArray(R"({"text": "   \n"})") << QStringList{u"text"_s};
    QTest::newRow("blank body") << QByteArray(R"({"subject": "Hi", "body": ""})")
                                << QStringList{u"body"_s};
    QTest::newRow("both forms") << QByteArray(R"({"text": "a", "subject": "b", "body": "c"})")
                                << QStringList{u"text"_s};
    QTest::newRow("no form") << QByteArray("{}") << QStringList{u"text"_s};
    QTest::newRow("subject without body")
        << QByteArray(R"({"subject": "Hi"})") << QStringList{u"body"_s};
    QTest::newRow("unknown field")
        << QByteArray(R"({"text": "a", "priority": "high"})") << QStringList{u"priority"_s};
    QTest::newRow("not a string") << QByteArray(R"({"text": 42})") << QStringList{u"text"_s};
    QTest::newRow("subject too long")
        << QByteArray(R"({"subject": ")" + longSubject + R"(", "body": "ok"})")
        << QStringList{u"subject"_s};
    QTest::newRow("text too long")
        << QByteArray(R"({"text": ")" + longBody + R"("})") << QStringList{u"text"_s};
    QTest::newRow("only zero-width spaces")
        << QByteArray(R"({"text": "\u200b\u200b "})") << QStringList{u"text"_s};
    QTest::newRow("only an escaped NUL")
        << QByteArray(R"({"text": "\u0000"})") << QStringList{u"text"_s};
    QTest::newRow("escaped NUL inside")
        << QByteArray(R"({"text": "a\u0000b"})") << QStringList{u"text"_s};
    QTest::newRow("terminal escape")
        << QByteArray(R"({"text": "a\u001b[2Jb"})") << QStringList{u"text"_s};
    QTest::newRow("subject with NUL")
        << QByteArray(R"({"subject": "a\u0000", "body": "ok"})") << QStringList{u"subject"_s};
    QTest::newRow("lone surrogate")
        << QByteArray(R"({"text": "broken \ud800 text"})") << QStringList{u"text"_s};
    QTest::newRow("every failing field named")
        << QByteArray(R"({"subject": ")" + longSubject + R"(", "body": " ", "extra": 1})")
        << QStringList{u"body"_s, u"extra"_s, u"subject"_s};
}

void TestApiServer::postRejectsInvalidTickets()
{
    QFETCH(QByteArray, body);
    QFETCH(QStringList, fields);

    const HttpClient::Response response = client().postJson(u"/requests"_s, body);
    QCOMPARE(response.status, 422);
    QCOMPARE(response.errorCode(), u"validation_failed"_s);
    const QJsonObject reported = response.json()[u"error"_s][u"details"_s][u"fields"_s].toObject();
    QStringList reportedFields = reported.keys();
    reportedFields.sort();
    QCOMPARE(reportedFields, fields);
    for (const QString &field : fields)
        QVERIFY(!reported.value(field).toString().isEmpty());
    QCOMPARE(client().get(u"/requests"_s).json().value(u"total"_s).toInteger(), 0);
}

void TestApiServer::malformedJsonIsBadRequest_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("truncated") << QByteArray(R"({"text": "a)");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("not json") << QByteArray("text=hello");
    QTest::newRow("two values") << QByteArray(R"({"text": "a"} {"text": "b"})");
    // RFC 8259 allows no raw control character in a string; Qt's parser would take one.
    QTest::newRow("raw NUL in a string")
        << QByteArray(R"({"text": "a)") + '\0' + QByteArray(R"(b"})");
    QTest::newRow("raw escape in a string") << QByteArray("{\"text\": \"a\x1b[2Jb\"}");
    QTest::newRow("raw line break in a string") << QByteArray("{\"text\": \"a\nb\"}");
}

void TestApiServer::jsonThatIsNoObjectIsUnprocessable_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("held");
    QTest::newRow("array") << QByteArray(R"(["text"])") << u"an array"_s;
    QTest::newRow("number") << QByteArray("42") << u"a number"_s;
    QTest::newRow("string") << QByteArray(R"("text")") << u"a string"_s;
    QTest::newRow("null") << QByteArray("null") << u"null"_s;
    QTest::newRow("boolean") << QByteArray(" true ") << u"a boolean"_s;
}

// Valid JSON of the wrong shape is not malformed: the client learns what the body must be.
void TestApiServer::jsonThatIsNoObjectIsUnprocessable()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, held);
    const HttpClient::Response response = client().postJson(u"/requests"_s, body);
    QCOMPARE(response.status, 422);
    QCOMPARE(response.errorCode(), u"validation_failed"_s);
    const QString message = response.json()[u"error"_s][u"message"_s].toString();
    QVERIFY2(message.contains(u"must be a JSON object, not "_s + held), qPrintable(message));
    QCOMPARE(client().get(u"/requests"_s).json().value(u"total"_s).toInteger(), 0);
}

void TestApiServer::malformedJsonIsBadRequest()
{
    QFETCH(QByteArray, body);
    const HttpClient::Response response = client().postJson(u"/requests"_s, body);
    QCOMPARE(response.status, 400);
    QCOMPARE(response.errorCode(), u"malformed_json"_s);
    QVERIFY(response.header("Content-Type").startsWith("application/json"));
}

void TestApiServer::bodyMustBeJson()
{
    const HttpClient::Response response =
        client().send("POST", u"/requests"_s, R"({"text": "a"})", {{"Content-Type", "text/plain"}});
    QCOMPARE(response.status, 415);
    QCOMPARE(response.errorCode(), u"unsupported_media_type"_s);
    const HttpClient::Response noType = client().send("POST", u"/requests"_s, R"({"text": "a"})");
    QCOMPARE(noType.status, 415);
}

void TestApiServer::bodyOver64KiBIsTooLarge()
{
    const QByteArray body = R"({"text": ")" + QByteArray(65 * 1024, 'x') + R"("})";
    const HttpClient::Response response = client().postJson(u"/requests"_s, body);
    QCOMPARE(response.status, 413);
    QCOMPARE(response.errorCode(), u"payload_too_large"_s);
    QCOMPARE(client().get(u"/requests"_s).json().value(u"total"_s).toInteger(), 0);
}

void TestApiServer::idempotencyKeyMakesRetriesSafe()
{
    const Headers key{{"Idempotency-Key", "order-4411-retry"}};
    const HttpClient::Response first =
        client().postJson(u"/requests"_s, R"({"text": "Charged twice"})", key);
    QCOMPARE(first.status, 201);
    QVERIFY(first.header("Idempotent-Replayed").isEmpty());

    // Same request, different formatting: still the same request.
    const HttpClient::Response retry =
        client().postJson(u"/requests"_s, "{ \"text\" :\n \"Charged twice\" }", key);
    QCOMPARE(retry.status, 201);
    QCOMPARE(retry.json().value(u"id"_s), first.json().value(u"id"_s));
    QCOMPARE(retry.header("Idempotent-Replayed"), "true");
    QCOMPARE(retry.header("Location"), first.header("Location"));

    const HttpClient::Response conflict =
        client().postJson(u"/requests"_s, R"({"text": "Something else"})", key);
    QCOMPARE(conflict.status, 409);
    QCOMPARE(conflict.errorCode(), u"conflict"_s);
    QCOMPARE(client().get(u"/requests"_s).json().value(u"total"_s).toInteger(), 1);
}

void TestApiServer::invalidIdempotencyKeyIsRejected()
{
    // An empty key is a client bug, not the absence of a key: retries would store twice.
    for (const QByteArray &value : {QByteArray(256, 'k'), QByteArray("")}) {
        const Headers key{{"Idempotency-Key", value}};
        const HttpClient::Response response =
            client().postJson(u"/requests"_s, R"({"text": "x"})", key);
        QCOMPARE(response.status, 400);
        QVERIFY(response.json()[u"error"_s][u"details"_s][u"fields"_s].toObject().contains(
            u"Idempotency-Key"_s));
    }
    QCOMPARE(client().get(u"/requests"_s).json().value(u"total"_s).toInteger(), 0);
}

void TestApiServer::getReturnsTicketWithLatestClassification()
{
    const qint64 id = postText(u"Please refund my last invoice"_s);
    QVERIFY(id > 0);
    ClassificationRepository classifications(m_server->database());
    Classification classification;
    classification.ticketId = id;
    classification.category = Category::General;
    classification.confidence = 0.55;
    classification.model = u"rules-v1"_s;
    classifications.add(classification);
    classification.category = Category::Billing;
    classification.confidence = 0.91;
    classification.summary = u"Customer asks for a refund of the last invoice."_s;
    classification.model = u"fasttext-v1"_s;
    classification.processingMs = 3;
    classifications.add(classification);

    const QJsonObject ticket = client().get(u"/requests/%1"_s.arg(id)).json();
    QCOMPARE(ticket.value(u"category"_s).toString(), u"billing"_s);
    const QJsonObject latest = ticket.value(u"classification"_s).toObject();
    QCOMPARE(latest.value(u"category"_s).toString(), u"billing"_s);
    QCOMPARE(latest.value(u"confidence"_s).toDouble(), 0.91);
    QCOMPARE(latest.value(u"model"_s).toString(), u"fasttext-v1"_s);
    QCOMPARE(latest.value(u"summary"_s).toString(), classification.summary);
    QCOMPARE(latest.value(u"processing_ms"_s).toInt(), 3);
}

void TestApiServer::unknownTicketIsNotFound_data()
{
    QTest::addColumn<QString>("path");
    QTest::newRow("unknown id") << u"/requests/999999"_s;
    QTest::newRow("zero") << u"/requests/0"_s;
    QTest::newRow("not a number") << u"/requests/abc"_s;
    QTest::newRow("negative") << u"/requests/-3"_s;
    QTest::newRow("plus sign") << u"/requests/+1"_s;
    QTest::newRow("leading zero") << u"/requests/01"_s;
}

void TestApiServer::unknownTicketIsNotFound()
{
    QFETCH(QString, path);
    const HttpClient::Response response = client().get(path);
    QCOMPARE(response.status, 404);
    QCOMPARE(response.errorCode(), u"not_found"_s);
}

void TestApiServer::listFiltersAndPages()
{
    QList<qint64> ids;
    for (int i = 0; i < 7; ++i)
        ids.append(postText(u"Ticket number %1"_s.arg(i)));
    ClassificationRepository classifications(m_server->database());
    for (int i = 0; i < 7; ++i) {
        Classification classification;
        classification.ticketId = ids.at(i);
        classification.category = i % 2 ? Category::Billing : Category::Technical;
        classification.confidence = 0.8;
        classification.model = u"test"_s;
        classifications.add(classification);
    }

    QList<qint64> seen;
    QString next;
    int pages = 0;
    do {
        const QString cursor = next.isEmpty() ? QString() : u"&cursor="_s + next;
        const HttpClient::Response response =
            client().get(u"/requests?category=technical&limit=3"_s + cursor);
        QCOMPARE(response.status, 200);
        const QJsonObject page = response.json();
        QCOMPARE(page.value(u"total"_s).toInteger(), 4);
        QCOMPARE(page.value(u"limit"_s).toInt(), 3);
        for (const QJsonValue &item : page.value(u"items"_s).toArray()) {
            QCOMPARE(item[u"category"_s].toString(), u"technical"_s);
            seen.append(item[u"id"_s].toInteger());
        }
        next = page.value(u"next_cursor"_s).toString();
        ++pages;
    } while (!next.isEmpty() && pages < 10);
    QCOMPARE(pages, 2);
    // Newest first: the technical tickets are the even-numbered ones, last posted first.
    QCOMPARE(seen, (QList<qint64>{ids.at(6), ids.at(4), ids.at(2), ids.at(0)}));

    const QJsonObject search = client().get(u"/requests?q=NUMBER%203"_s).json();
    QCOMPARE(search.value(u"total"_s).toInteger(), 1);
    QCOMPARE(search.value(u"items"_s).toArray().first()[u"id"_s].toInteger(), ids.at(3));
    QCOMPARE(client().get(u"/requests?status=closed"_s).json().value(u"total"_s).toInteger(), 0);
}

void TestApiServer::listAcceptsPlusAsSpaceInSearch()
{
    postText(u"The paper jam is back"_s);
    postText(u"paperjam"_s);
    const QJsonObject page = client().get(u"/requests?q=paper+jam"_s).json();
    QCOMPARE(page.value(u"total"_s).toInteger(), 1);
}

void TestApiServer::invalidListParametersAreNamed_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<QStringList>("parameters");

    QTest::newRow("category") << u"category=urgent"_s << QStringList{u"category"_s};
    QTest::newRow("status") << u"status=done"_s << QStringList{u"status"_s};
    QTest::newRow("limit zero") << u"limit=0"_s << QStringList{u"limit"_s};
    QTest::newRow("limit too big") << u"limit=501"_s << QStringList{u"limit"_s};
    QTest::newRow("limit not a number") << u"limit=ten"_s << QStringList{u"limit"_s};
    QTest::newRow("cursor") << u"cursor=not-a-cursor"_s << QStringList{u"cursor"_s};
    QTest::newRow("unknown") << u"sort=asc"_s << QStringList{u"sort"_s};
    QTest::newRow("several") << u"category=x&limit=-1"_s << QStringList{u"category"_s, u"limit"_s};
    // A NUL reached the database before, which answered 500.
    QTest::newRow("search with NUL") << u"q=a%00b"_s << QStringList{u"q"_s};
    QTest::newRow("search with escape") << u"q=%1B%5B2J"_s << QStringList{u"q"_s};
    QTest::newRow("too many parameters")
        << QStringList(UrlQueryReader::kMaxParameters + 1, u"limit=5"_s).join(u'&')
        << QStringList{u"query"_s};
    // Only one pair past the limit is parsed; empty pairs, which QUrlQuery skips, do not count.
    QTest::newRow("a thousand parameters")
        << QStringList(1000, u"a=1"_s).join(u'&') << QStringList{u"query"_s};
    QTest::newRow("empty pairs, then too many")
        << QString(40, u'&') + QStringList(40, u"limit=5"_s).join(u'&') << QStringList{u"query"_s};
}

void TestApiServer::invalidListParametersAreNamed()
{
    QFETCH(QString, query);
    QFETCH(QStringList, parameters);
    const HttpClient::Response response = client().get(u"/requests?"_s + query);
    QCOMPARE(response.status, 400);
    QCOMPARE(response.errorCode(), u"invalid_parameter"_s);
    QStringList named = response.json()[u"error"_s][u"details"_s][u"fields"_s].toObject().keys();
    named.sort();
    QCOMPARE(named, parameters);
    for (const QString &parameter : parameters)
        QVERIFY(response.json()[u"error"_s][u"message"_s].toString().contains(parameter));
}

void TestApiServer::statsCountPerCategoryAndDay()
{
    const qint64 billing = postText(u"Invoice"_s);
    postText(u"Not yet classified"_s);
    Classification classification;
    classification.ticketId = billing;
    classification.category = Category::Billing;
    classification.confidence = 0.7;
    classification.model = u"test"_s;
    ClassificationRepository(m_server->database()).add(classification);

    const HttpClient::Response response = client().get(u"/stats?days=30"_s);
    QCOMPARE(response.status, 200);
    const QJsonObject stats = response.json();
    QCOMPARE(stats.value(u"days"_s).toInt(), 30);
    QCOMPARE(stats.value(u"total"_s).toInteger(), 2);
    QCOMPARE(stats.value(u"unclassified"_s).toInteger(), 1);
    QCOMPARE(stats[u"by_category"_s][u"billing"_s].toInteger(), 1);
    QCOMPARE(stats[u"by_category"_s][u"technical"_s].toInteger(), 0);
    const QJsonArray perDay = stats.value(u"per_day"_s).toArray();
    QCOMPARE(perDay.size(), 30);
    const QString today = QDateTime::currentDateTimeUtc().date().toString(Qt::ISODate);
    QCOMPARE(stats.value(u"to"_s).toString(), today);
    QCOMPARE(perDay.last()[u"date"_s].toString(), today);
    QCOMPARE(perDay.last()[u"total"_s].toInteger(), 2);
    QCOMPARE(perDay.first()[u"total"_s].toInteger(), 0);

    QCOMPARE(client().get(u"/stats"_s).json().value(u"days"_s).toInt(), 7);
}

void TestApiServer::invalidStatsDaysAreRejected()
{
    for (const QString &days : {u"0"_s, u"91"_s, u"week"_s}) {
        const HttpClient::Response response = client().get(u"/stats?days="_s + days);
        QCOMPARE(response.status, 400);
        QVERIFY(
            response.json()[u"error"_s][u"details"_s][u"fields"_s].toObject().contains(u"days"_s));
    }
}

void TestApiServer::statsReportCorrectionsConfidenceAndBacklog()
{
    using P = ClassificationProvider;
    constexpr qint64 day = Timestamps::kMsPerDay;
    const qint64 corrected = postText(u"Invoice shows the wrong VAT"_s);
    TestClassifications::add(m_server->database(), corrected, Category::Billing, P::Rules, 0.45);
    TestClassifications::add(m_server->database(), corrected, Category::Technical, P::Agent, 1.0);
    const qint64 confirmed = postText(u"VPN drops every hour"_s);
    TestClassifications::add(m_server->database(), confirmed, Category::Technical, P::Learned,
                             0.92);
    TestClassifications::add(m_server->database(), confirmed, Category::Technical, P::Agent, 1.0);
    TestClassifications::add(m_server->database(), postText(u"Opening hours?"_s), Category::General,
                             P::Rules, 0.15);
    TestClassifications::add(m_server->database(), addTicketCreatedAgo(3 * day), Category::Billing,
                             P::Remote, 0.71);
    TestClassifications::add(m_server->database(), addTicketCreatedAgo(10 * day), Category::General,
                             P::Rules, 0.5); // before the window
    const qint64 resolved = postText(u"Solved already"_s);
    QSqlQuery resolve(m_server->database().connection());
    QVERIFY(resolve.exec(u"UPDATE tickets SET status = 'resolved' WHERE id = %1"_s.arg(resolved)));

    const HttpClient::Response response = client().get(u"/stats?days=7"_s);
    QCOMPARE(response.status, 200);
    const QJsonObject stats = response.json();
    QCOMPARE(stats.value(u"total"_s).toInteger(), 5);

    const QJsonObject corrections = stats.value(u"corrections"_s).toObject();
    QCOMPARE(corrections.value(u"corrected"_s).toInteger(), 1);
    QCOMPARE(corrections.value(u"confirmed"_s).toInteger(), 1);
    QCOMPARE(corrections.value(u"rate"_s).toDouble(), 0.5);
    const QJsonObject byMachine = corrections.value(u"by_category"_s).toObject();
    QCOMPARE(byMachine[u"billing"_s].toObject(),
             (QJsonObject{{u"corrected"_s, 1}, {u"confirmed"_s, 0}, {u"rate"_s, 1.0}}));
    QCOMPARE(byMachine[u"technical"_s].toObject(),
             (QJsonObject{{u"corrected"_s, 0}, {u"confirmed"_s, 1}, {u"rate"_s, 0.0}}));
    QVERIFY(byMachine[u"general"_s][u"rate"_s].isNull());

    const QJsonObject confidence = stats[u"confidence"_s][u"by_category"_s].toObject();
    QCOMPARE(confidence[u"billing"_s].toArray(), (QJsonArray{0, 0, 0, 0, 1, 0, 0, 1, 0, 0}));
    QCOMPARE(confidence[u"technical"_s].toArray(), (QJsonArray{0, 0, 0, 0, 0, 0, 0, 0, 0, 1}));
    QCOMPARE(confidence[u"general"_s].toArray(), (QJsonArray{0, 1, 0, 0, 0, 0, 0, 0, 0, 0}));

    const QJsonObject backlog = stats.value(u"backlog"_s).toObject();
    QCOMPARE(backlog.value(u"total"_s).toInteger(), 5);
    QCOMPARE(backlog.value(u"by_age"_s).toObject(),
             (QJsonObject{
                 {u"under_1h"_s, 3}, {u"1h_to_1d"_s, 0}, {u"1d_to_7d"_s, 1}, {u"over_7d"_s, 1}}));
    const qint64 oldest = backlog.value(u"oldest_age_seconds"_s).toInteger();
    QVERIFY2(oldest >= 10 * 86400 && oldest < 10 * 86400 + 60, qPrintable(QString::number(oldest)));
    const QDateTime asOf = QDateTime::fromString(backlog.value(u"as_of"_s).toString(), Qt::ISODate);
    QVERIFY(qAbs(asOf.secsTo(QDateTime::currentDateTimeUtc())) < 60);

    // Thirty days reach back to the older ticket's result; the backlog does not depend on days.
    const QJsonObject month = client().get(u"/stats?days=30"_s).json();
    QCOMPARE(month[u"confidence"_s][u"by_category"_s][u"general"_s].toArray(),
             (QJsonArray{0, 1, 0, 0, 0, 1, 0, 0, 0, 0}));
    QCOMPARE(month[u"backlog"_s][u"by_age"_s].toObject(), backlog.value(u"by_age"_s).toObject());
}

void TestApiServer::statsMatchOpenApiSchema()
{
    const QJsonObject document = client().get(u"/openapi.json"_s).json();
    QCOMPARE(document[u"info"_s][u"version"_s].toString(), u"0.10.0"_s);
    const QJsonObject schema{{u"$ref"_s, u"#/components/schemas/Stats"_s}};

    // Empty: rates and the oldest age are null.
    QStringList violations =
        OpenApiSchema::violations(client().get(u"/stats"_s).json(), schema, document, u"stats"_s);
    QVERIFY2(violations.isEmpty(), qPrintable(violations.join(u"; "_s)));

    const qint64 ticket = postText(u"Refund please"_s);
    TestClassifications::add(m_server->database(), ticket, Category::Billing,
                             ClassificationProvider::Rules, 0.6);
    const qint64 verdict = TestClassifications::add(m_server->database(), ticket, Category::General,
                                                    ClassificationProvider::Agent, 1.0);
    const QJsonObject stats = client().get(u"/stats?days=90"_s).json();
    QVERIFY(!stats[u"backlog"_s][u"oldest_age_seconds"_s].isNull());
    violations = OpenApiSchema::violations(stats, schema, document, u"stats"_s);
    QVERIFY2(violations.isEmpty(), qPrintable(violations.join(u"; "_s)));

    // Auto-resolve on for one category, with one ticket it answered: thresholds and rates set.
    AutoResolveRepository autoResolve(m_server->database());
    autoResolve.setRule(Category::General, 0.9, Actor::user(u"admin"_s));
    QVERIFY(autoResolve.resolve({ticket, Category::General, verdict, ticket, 1.0, 0.95, u"Done."_s},
                                Actor::system(u"auto-resolve"_s)));
    const QJsonObject resolved = client().get(u"/stats?days=90"_s).json();
    const QJsonObject general =
        resolved[u"auto_resolve"_s][u"by_category"_s][u"general"_s].toObject();
    QCOMPARE(general[u"threshold"_s].toDouble(), 0.9);
    QCOMPARE(general[u"resolved"_s].toInteger(), 1);
    QCOMPARE(general[u"rate"_s].toDouble(), 1.0);
    QVERIFY(resolved[u"auto_resolve"_s][u"by_category"_s][u"billing"_s][u"threshold"_s].isNull());
    violations = OpenApiSchema::violations(resolved, schema, document, u"stats"_s);
    QVERIFY2(violations.isEmpty(), qPrintable(violations.join(u"; "_s)));

    // The check itself catches an undocumented field.
    QJsonObject extended = stats;
    extended.insert(u"surprise"_s, 1);
    QCOMPARE(OpenApiSchema::violations(extended, schema, document, u"stats"_s),
             QStringList{u"stats.surprise: not documented"_s});
}

void TestApiServer::wrongMethodIsNotAllowed_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QByteArray>("allow");

    QTest::newRow("DELETE /requests")
        << QByteArray("DELETE") << u"/requests"_s << QByteArray("POST, GET, HEAD, OPTIONS");
    QTest::newRow("PUT /requests/1")
        << QByteArray("PUT") << u"/requests/1"_s << QByteArray("GET, HEAD, PATCH, OPTIONS");
    QTest::newRow("POST /stats") << QByteArray("POST") << u"/stats"_s
                                 << QByteArray("GET, HEAD, OPTIONS");
    QTest::newRow("PATCH /health")
        << QByteArray("PATCH") << u"/health"_s << QByteArray("GET, HEAD, OPTIONS");
}

void TestApiServer::wrongMethodIsNotAllowed()
{
    QFETCH(QByteArray, method);
    QFETCH(QString, path);
    QFETCH(QByteArray, allow);
    const HttpClient::Response response =
        client().send(method, path, "{}", {{"Content-Type", "application/json"}});
    QCOMPARE(response.status, 405);
    QCOMPARE(response.header("Allow"), allow);
    QCOMPARE(response.errorCode(), u"method_not_allowed"_s);
}

void TestApiServer::optionsListsAllowedMethods()
{
    const HttpClient::Response response = client().send("OPTIONS", u"/requests"_s);
    QCOMPARE(response.status, 204);
    QCOMPARE(response.header("Allow"), "POST, GET, HEAD, OPTIONS");
}

void TestApiServer::unknownPathIsJsonNotFound()
{
    const HttpClient::Response response = client().get(u"/tickets"_s);
    QCOMPARE(response.status, 404);
    QVERIFY(response.header("Content-Type").startsWith("application/json"));
    QCOMPARE(response.errorCode(), u"not_found"_s);
    QVERIFY(!response.body.contains("<html"));
    QCOMPARE(response.header("X-Content-Type-Options"), "nosniff");
}

void TestApiServer::storageFailureIsInternalErrorWithoutDetails()
{
    // Break the schema under the server's feet, as a full disk or a bad migration would.
    {
        QSqlQuery query(m_server->database().connection());
        QVERIFY(query.exec(u"DROP TABLE idempotency_keys"_s));
    }
    const HttpClient::Response response =
        client().postJson(u"/requests"_s, R"({"text": "x"})", {{"Idempotency-Key", "k"}});
    QCOMPARE(response.status, 500);
    QCOMPARE(response.errorCode(), u"internal_error"_s);
    const QByteArray body = response.body.toLower();
    QVERIFY(!body.contains("idempotency_keys"));
    QVERIFY(!body.contains("sql"));
    // The failed request stored nothing: no half record.
    QCOMPARE(client().get(u"/requests"_s).json().value(u"total"_s).toInteger(), 0);
    QCOMPARE(client().postJson(u"/requests"_s, R"({"text": "still works"})").status, 201);
}

void TestApiServer::healthReportsDatabase()
{
    const HttpClient::Response response = client().get(u"/health"_s);
    QCOMPARE(response.status, 200);
    QCOMPARE(response.json().value(u"status"_s).toString(), u"ok"_s);
    QCOMPARE(response.json()[u"database"_s][u"status"_s].toString(), u"ok"_s);
    QVERIFY(response.json()[u"database"_s][u"schema_version"_s].toInt() >= 1);
}

void TestApiServer::openApiDocumentMatchesServedRoutes()
{
    const HttpClient::Response response = client().get(u"/openapi.json"_s);
    QCOMPARE(response.status, 200);
    const QJsonObject document = response.json();
    QVERIFY(document.value(u"openapi"_s).toString().startsWith(u"3.1"_s));
    const QJsonObject paths = document.value(u"paths"_s).toObject();
    QVERIFY(!paths.isEmpty());

    const QMetaEnum methods = QMetaEnum::fromType<QHttpServerRequest::Method>();
    QSet<QString> served;
    for (const ApiServer::Route &route : ApiServer::routes()) {
        const QString method = QString::fromLatin1(methods.valueToKey(int(route.method))).toLower();
        served.insert(method + u' ' + route.path);
        QVERIFY2(paths.value(route.path).toObject().contains(method),
                 qPrintable(u"%1 %2 is served but not documented"_s.arg(method, route.path)));
        // The scope the server demands is the one documented; open ones say they are.
        const QJsonArray security = paths[route.path][method][u"security"_s].toArray();
        const QJsonArray expected =
            route.scope ? QJsonArray{QJsonObject{
                              {u"bearerToken"_s, QJsonArray{QString(scopeName(*route.scope))}}}}
                        : QJsonArray{};
        QVERIFY2(paths[route.path][method].toObject().contains(u"security"_s),
                 qPrintable(method + u' ' + route.path));
        QCOMPARE(security, expected);
    }
    QVERIFY(document[u"components"_s][u"securitySchemes"_s][u"bearerToken"_s].isObject());

    const QStringList operationKeys{u"get"_s,    u"post"_s, u"put"_s,     u"patch"_s,
                                    u"delete"_s, u"head"_s, u"options"_s, u"trace"_s};
    for (auto path = paths.begin(); path != paths.end(); ++path) {
        for (const QString &method : path.value().toObject().keys()) {
            if (!operationKeys.contains(method))
                continue;
            QVERIFY2(served.contains(method + u' ' + path.key()),
                     qPrintable(u"%1 %2 is documented but not served"_s.arg(method, path.key())));
            // And the live server really answers it (neither 404 nor 405).
            QString url = path.key();
            const qint64 ticket = postText(u"probe"_s);
            url.replace(u"{id}"_s, QString::number(ticket));
            if (url.contains(u"{message}"_s)) {
                TicketMessage reply;
                reply.ticketId = ticket;
                reply.body = u"probe"_s;
                url.replace(u"{message}"_s, QString::number(MessageRepository(m_server->database())
                                                                .add(reply, Actor::user(u"alice"_s))
                                                                ->message.id));
            }
            // An event stream answers until the client leaves: a bad parameter answers at once.
            if (url == u"/events")
                url += u"?after=probe"_s;
            const HttpClient::Response live =
                client().send(method.toUpper().toLatin1(), url, "{\"text\": \"probe\"}",
                              {{"Content-Type", "application/json"}});
            QVERIFY2(live.status != 404 && live.status != 405, qPrintable(method + u' ' + url));
        }
    }
}

QTEST_GUILESS_MAIN(TestApiServer)
#include "tst_apiserver.moc"
