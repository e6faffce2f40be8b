// Customers' ratings over the API: recorded by a survey integration, one current per ticket with
// its history, in the documented shape.
#include "openapischema.h"
#include "runningserver.h"
#include "testtoken.h"

#include <QJsonArray>
#include <QTest>

using namespace Qt::StringLiterals;

class TestApiFeedback : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void ratingIsRecordedAndAChangeKeepsItsHistory();
    void invalidRatingsAreNamed_data();
    void invalidRatingsAreNamed();
    void unknownTicketIsNotFound();
    void recordingNeedsTheFeedbackScope();
    void answersMatchTheOpenApiDocument();
    void ratingsRepliesAndResolutionsReachTheStatistics();

private:
    qint64 post(const QString &text);
    HttpClient::Response rate(qint64 id, const QByteArray &body);

    std::unique_ptr<RunningServer> m_server;
};

void TestApiFeedback::init()
{
    m_server = std::make_unique<RunningServer>();
    QVERIFY(m_server->isListening());
}

void TestApiFeedback::cleanup()
{
    m_server.reset();
}

qint64 TestApiFeedback::post(const QString &text)
{
    const HttpClient::Response response = m_server->client().postJson(
        u"/requests"_s, QJsonDocument(QJsonObject{{u"text"_s, text}}).toJson());
    return response.status == 201 ? response.json().value(u"id"_s).toInteger() : 0;
}

HttpClient::Response TestApiFeedback::rate(qint64 id, const QByteArray &body)
{
    return m_server->client().postJson(u"/requests/%1/feedback"_s.arg(id), body);
}

void TestApiFeedback::ratingIsRecordedAndAChangeKeepsItsHistory()
{
    const qint64 id = post(u"Printer on fire"_s);
    QVERIFY(id > 0);
    const QJsonObject none = m_server->client().get(u"/requests/%1/feedback"_s.arg(id)).json();
    QVERIFY(none.value(u"current"_s).isNull());
    QVERIFY(none.value(u"history"_s).toArray().isEmpty());

    const HttpClient::Response first =
        rate(id, R"({"rating": 2, "resolved": false, "comment": "Took <b>days</b> 😞"})");
    QCOMPARE(first.status, 201);
    QCOMPARE(first.json()[u"current"_s][u"rating"_s].toInt(), 2);
    QCOMPARE(first.json()[u"current"_s][u"comment"_s].toString(), u"Took <b>days</b> 😞"_s);
    QCOMPARE(first.json()[u"current"_s][u"rated_by"_s].toString(), u"tests"_s);

    const HttpClient::Response changed = rate(id, R"({"rating": 5, "resolved": true})");
    QCOMPARE(changed.status, 200); // replaced, not added
    const QJsonObject read = m_server->client().get(u"/requests/%1/feedback"_s.arg(id)).json();
    QCOMPARE(read[u"current"_s][u"rating"_s].toInt(), 5);
    QCOMPARE(read[u"current"_s][u"resolved"_s].toBool(), true);
    QCOMPARE(read[u"current"_s][u"comment"_s].toString(), QString());
    const QJsonArray history = read.value(u"history"_s).toArray();
    QCOMPARE(history.size(), 2);
    QCOMPARE(history.at(0)[u"rating"_s].toInt(), 2);
    QCOMPARE(history.at(1)[u"rating"_s].toInt(), 5);
    // Another ticket's rating is its own.
    const qint64 other = post(u"Other"_s);
    QVERIFY(m_server->client()
                .get(u"/requests/%1/feedback"_s.arg(other))
                .json()
                .value(u"current"_s)
                .isNull());
}

void TestApiFeedback::invalidRatingsAreNamed_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QStringList>("fields");
    QTest::newRow("no rating") << QByteArray(R"({"resolved": true})") << QStringList{u"rating"_s};
    QTest::newRow("no resolved") << QByteArray(R"({"rating": 3})") << QStringList{u"resolved"_s};
    QTest::newRow("zero") << QByteArray(R"({"rating": 0, "resolved": true})")
                          << QStringList{u"rating"_s};
    QTest::newRow("six") << QByteArray(R"({"rating": 6, "resolved": true})")
                         << QStringList{u"rating"_s};
    QTest::newRow("half") << QByteArray(R"({"rating": 3.5, "resolved": true})")
                          << QStringList{u"rating"_s};
    QTest::newRow("text") << QByteArray(R"({"rating": "5", "resolved": "yes"})")
                          << QStringList{u"rating"_s, u"resolved"_s};
    QTest::newRow("control character")
        << QByteArray(R"({"rating": 4, "resolved": true, "comment": "a\u001bb"})")
        << QStringList{u"comment"_s};
    QTest::newRow("too long") << (R"({"rating": 4, "resolved": true, "comment": ")" +
                                  QByteArray(2001, 'c') + R"("})")
                              << QStringList{u"comment"_s};
    QTest::newRow("unknown field")
        << QByteArray(R"({"rating": 4, "resolved": true, "nps": 9})") << QStringList{u"nps"_s};
}

void TestApiFeedback::invalidRatingsAreNamed()
{
    QFETCH(QByteArray, body);
    QFETCH(QStringList, fields);
    const qint64 id = post(u"Printer"_s);
    const HttpClient::Response response = rate(id, body);
    QCOMPARE(response.status, 422);
    QStringList named = response.json()[u"error"_s][u"details"_s][u"fields"_s].toObject().keys();
    named.sort();
    QCOMPARE(named, fields);
    // Nothing half stored.
    QVERIFY(m_server->client()
                .get(u"/requests/%1/feedback"_s.arg(id))
                .json()
                .value(u"history"_s)
                .toArray()
                .isEmpty());
}

void TestApiFeedback::unknownTicketIsNotFound()
{
    QCOMPARE(rate(424242, R"({"rating": 4, "resolved": true})").status, 404);
    QCOMPARE(m_server->client().get(u"/requests/424242/feedback"_s).status, 404);
    QCOMPARE(rate(0, R"({"rating": 4, "resolved": true})").status, 404);
}

void TestApiFeedback::recordingNeedsTheFeedbackScope()
{
    const qint64 id = post(u"Printer"_s);
    const QByteArray reader = makeTestToken(m_server->database(), Scope::TicketsRead, u"crm"_s);
    const HttpClient::Response refused = m_server->client().send(
        "POST", u"/requests/%1/feedback"_s.arg(id), R"({"rating": 1, "resolved": false})",
        {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + reader}});
    QCOMPARE(refused.status, 403);
    QCOMPARE(refused.json()[u"error"_s][u"details"_s][u"required_scope"_s].toString(),
             u"feedback:write"_s);
    // Reading the rating is reading the ticket.
    QCOMPARE(m_server->client()
                 .send("GET", u"/requests/%1/feedback"_s.arg(id), {},
                       {{"Authorization", "Bearer " + reader}})
                 .status,
             200);
}

void TestApiFeedback::answersMatchTheOpenApiDocument()
{
    const QJsonObject document = m_server->client().get(u"/openapi.json"_s).json();
    const qint64 id = post(u"Printer"_s);
    const HttpClient::Response recorded =
        rate(id, R"({"rating": 4, "resolved": true, "comment": "Quick"})");
    QStringList violations = OpenApiSchema::violations(
        recorded.json(), QJsonObject{{u"$ref"_s, u"#/components/schemas/Feedback"_s}}, document,
        u"feedback"_s);
    violations += OpenApiSchema::violations(
        m_server->client().get(u"/requests/%1/feedback"_s.arg(post(u"Unrated"_s))).json(),
        QJsonObject{{u"$ref"_s, u"#/components/schemas/Feedback"_s}}, document, u"unrated"_s);
    QVERIFY2(violations.isEmpty(), qPrintable(violations.join(u"; "_s)));
    const QJsonObject paths = document.value(u"paths"_s).toObject();
    QVERIFY(paths[u"/requests/{id}/feedback"_s].toObject().contains(u"post"_s));
}

void TestApiFeedback::ratingsRepliesAndResolutionsReachTheStatistics()
{
    const qint64 answered = post(u"Charged twice"_s);
    QCOMPARE(m_server->client()
                 .postJson(u"/requests/%1/messages"_s.arg(answered),
                           R"({"body": "Refunded.", "status": "resolved"})")
                 .status,
             201);
    QCOMPARE(rate(answered, R"({"rating": 4, "resolved": true})").status, 201);
    const qint64 unanswered = post(u"Printer"_s);
    QCOMPARE(rate(unanswered, R"({"rating": 1, "resolved": false})").status, 201);

    const HttpClient::Response response = m_server->client().get(u"/stats?days=1"_s);
    QCOMPARE(response.status, 200);
    const QJsonObject stats = response.json();
    const QJsonObject satisfaction = stats.value(u"satisfaction"_s).toObject();
    QCOMPARE(satisfaction.value(u"ratings"_s).toInteger(), 2);
    QCOMPARE(satisfaction.value(u"average_rating"_s).toDouble(), 2.5);
    QCOMPARE(satisfaction.value(u"resolved_rate"_s).toDouble(), 0.5);
    QCOMPARE(satisfaction[u"without_ai_draft"_s][u"ratings"_s].toInteger(), 2);
    QVERIFY(satisfaction[u"with_ai_draft"_s][u"average_rating"_s].isNull());
    QCOMPARE(stats[u"per_day"_s][0][u"satisfaction"_s][u"ratings"_s].toInteger(), 2);
    QCOMPARE(stats[u"first_reply"_s][u"count"_s].toInteger(), 1);
    QCOMPARE(stats[u"first_reply"_s][u"by_age"_s][u"under_1h"_s].toInteger(), 1);
    QCOMPARE(stats[u"resolution"_s][u"count"_s].toInteger(), 1);
    QVERIFY(stats[u"resolution"_s][u"average_seconds"_s].toInteger() < 3600);
    QVERIFY(stats.value(u"drafts"_s).toArray().isEmpty());

    const QStringList violations =
        OpenApiSchema::violations(stats, QJsonObject{{u"$ref"_s, u"#/components/schemas/Stats"_s}},
                                  m_server->client().get(u"/openapi.json"_s).json(), u"stats"_s);
    QVERIFY2(violations.isEmpty(), qPrintable(violations.join(u"; "_s)));
}

QTEST_MAIN(TestApiFeedback)
#include "tst_apifeedback.moc"
