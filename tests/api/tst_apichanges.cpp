// Changing tickets over the API: PATCH with the ticket's ETag, so that nobody overwrites a change
// they have not seen, and the history of who changed what.
#include "classificationrepository.h"
#include "runningserver.h"
#include "testtoken.h"
#include "trainingexamplereader.h"
#include "useraccounts.h"

#include <QJsonArray>
#include <QSqlQuery>
#include <QTest>

using namespace Qt::StringLiterals;

class TestApiChanges : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void everyTicketAnswerCarriesItsETag();
    void patchChangesAndRecordsTheIntegration();
    void staleETagChangesNothing();
    void twoWritersWithOneETagOneWins();
    void ifMatchForms_data();
    void ifMatchForms();
    void invalidChangesAreNamed_data();
    void invalidChangesAreNamed();
    void assigneeMustBeAnEnabledUser();
    void integrationVerdictIsNotTrainingData();
    void changesNeedTheWriteScope();
    void historyOfUnknownTicketIsNotFound();

private:
    qint64 post(const QString &text);
    HttpClient::Response patch(qint64 id, const QByteArray &body, const QByteArray &ifMatch = {});
    QByteArray etagOf(qint64 id);

    std::unique_ptr<RunningServer> m_server;
};

void TestApiChanges::init()
{
    m_server = std::make_unique<RunningServer>();
    QVERIFY(m_server->isListening());
    UserAccounts users(m_server->database());
    QVERIFY(
        users.add(u"bob"_s, Role::Agent, u"correct horse battery"_s, Actor::system(u"t"_s)).ok());
    QVERIFY(
        users.add(u"carol"_s, Role::Agent, u"correct horse battery"_s, Actor::system(u"t"_s)).ok());
    QVERIFY(users.disable(u"carol"_s, Actor::system(u"t"_s)).ok());
}

void TestApiChanges::cleanup()
{
    m_server.reset();
}

qint64 TestApiChanges::post(const QString &text)
{
    const HttpClient::Response response = m_server->client().postJson(
        u"/requests"_s, QJsonDocument(QJsonObject{{u"text"_s, text}}).toJson());
    return response.status == 201 ? response.json().value(u"id"_s).toInteger() : 0;
}

HttpClient::Response TestApiChanges::patch(qint64 id, const QByteArray &body,
                                           const QByteArray &ifMatch)
{
    QList<std::pair<QByteArray, QByteArray>> headers{{"Content-Type", "application/json"}};
    if (!ifMatch.isNull())
        headers.append({"If-Match", ifMatch});
    return m_server->client().send("PATCH", u"/requests/%1"_s.arg(id), body, headers);
}

QByteArray TestApiChanges::etagOf(qint64 id)
{
    return m_server->client().get(u"/requests/%1"_s.arg(id)).header("ETag");
}

void TestApiChanges::everyTicketAnswerCarriesItsETag()
{
    const HttpClient::Response created =
        m_server->client().postJson(u"/requests"_s, R"({"text": "The printer is on fire"})");
    QCOMPARE(created.status, 201);
    QCOMPARE(created.header("ETag"), QByteArray(R"("1")"));
    const qint64 id = created.json().value(u"id"_s).toInteger();
    const QByteArray etag = etagOf(id);
    QVERIFY2(etag.startsWith('"') && etag.endsWith('"'), etag.constData());
    const HttpClient::Response changed = patch(id, R"({"status": "in_progress"})", etag);
    QCOMPARE(changed.status, 200);
    QVERIFY(changed.header("ETag") != etag);
    QCOMPARE(changed.header("ETag"), etagOf(id));
}

void TestApiChanges::patchChangesAndRecordsTheIntegration()
{
    const qint64 id = post(u"I was charged twice"_s);
    const HttpClient::Response changed =
        patch(id, R"({"status": "resolved", "category": "billing", "assignee": "bob"})");
    QCOMPARE(changed.status, 200);
    const QJsonObject ticket = changed.json();
    QCOMPARE(ticket.value(u"status"_s).toString(), u"resolved"_s);
    QCOMPARE(ticket.value(u"category"_s).toString(), u"billing"_s);
    QCOMPARE(ticket.value(u"assignee"_s).toString(), u"bob"_s);

    const HttpClient::Response history = m_server->client().get(u"/requests/%1/history"_s.arg(id));
    QCOMPARE(history.status, 200);
    const QJsonArray events = history.json().value(u"events"_s).toArray();
    QCOMPARE(events.size(), 3);
    QStringList fields;
    for (const QJsonValue &event : events) {
        fields.append(event[u"field"_s].toString());
        QCOMPARE(event[u"actor"_s][u"kind"_s].toString(), u"integration"_s);
        QCOMPARE(event[u"actor"_s][u"name"_s].toString(), u"tests"_s);
        QVERIFY(!event[u"at"_s].toString().isEmpty());
    }
    QCOMPARE(fields, (QStringList{u"status"_s, u"assignee"_s, u"category"_s}));
    QCOMPARE(events.at(0)[u"from"_s].toString(), u"open"_s);
    QCOMPARE(events.at(0)[u"to"_s].toString(), u"resolved"_s);
    QVERIFY(events.at(1)[u"from"_s].isNull());

    // Unassigning is a change too; a repeat of the current values records nothing new.
    QVERIFY(patch(id, R"({"assignee": null})").json().value(u"assignee"_s).isNull());
    QCOMPARE(patch(id, R"({"status": "resolved"})").status, 200);
    const QJsonArray after =
        m_server->client().get(u"/requests/%1/history"_s.arg(id)).json()[u"events"_s].toArray();
    QCOMPARE(after.size(), 4);
    QCOMPARE(after.last()[u"from"_s].toString(), u"bob"_s);
    QVERIFY(after.last()[u"to"_s].isNull());
}

void TestApiChanges::staleETagChangesNothing()
{
    const qint64 id = post(u"The app crashes"_s);
    const QByteArray read = etagOf(id);
    QCOMPARE(patch(id, R"({"status": "in_progress"})", read).status, 200);

    const HttpClient::Response stale = patch(id, R"({"status": "closed"})", read);
    QCOMPARE(stale.status, 412);
    QCOMPARE(stale.errorCode(), u"precondition_failed"_s);
    QCOMPARE(stale.header("ETag"), etagOf(id));
    const QJsonObject now = m_server->client().get(u"/requests/%1"_s.arg(id)).json();
    QCOMPARE(now.value(u"status"_s).toString(), u"in_progress"_s);
    QCOMPARE(m_server->client()
                 .get(u"/requests/%1/history"_s.arg(id))
                 .json()[u"events"_s]
                 .toArray()
                 .size(),
             1);
}

// Both read the same version; whichever lands second is told, whatever the order.
void TestApiChanges::twoWritersWithOneETagOneWins()
{
    const qint64 id = post(u"Refund please"_s);
    const QByteArray read = etagOf(id);
    HttpClient other(m_server->baseUrl());
    other.setBearerToken(
        makeTestToken(m_server->database(), Scope::TicketsRead | Scope::TicketsWrite, u"crm"_s));
    const HttpClient::Response first = patch(id, R"({"assignee": "bob"})", read);
    const HttpClient::Response second =
        other.send("PATCH", u"/requests/%1"_s.arg(id), R"({"status": "closed"})",
                   {{"Content-Type", "application/json"}, {"If-Match", read}});
    QCOMPARE(first.status, 200);
    QCOMPARE(second.status, 412);
    const QJsonObject now = m_server->client().get(u"/requests/%1"_s.arg(id)).json();
    QCOMPARE(now.value(u"status"_s).toString(), u"open"_s);
    QCOMPARE(now.value(u"assignee"_s).toString(), u"bob"_s);
}

void TestApiChanges::ifMatchForms_data()
{
    QTest::addColumn<QByteArray>("ifMatch");
    QTest::addColumn<int>("status");
    QTest::newRow("any") << QByteArray("*") << 200;
    QTest::newRow("weak never matches") << QByteArray("W/\"2\"") << 412;
    QTest::newRow("unquoted") << QByteArray("2") << 400;
    QTest::newRow("a list") << QByteArray("\"1\", \"2\"") << 400;
    QTest::newRow("no such version") << QByteArray("\"999\"") << 412;
}

void TestApiChanges::ifMatchForms()
{
    QFETCH(QByteArray, ifMatch);
    QFETCH(int, status);
    const qint64 id = post(u"Password reset"_s);
    const HttpClient::Response response = patch(id, R"({"status": "closed"})", ifMatch);
    QCOMPARE(response.status, status);
    QCOMPARE(m_server->client().get(u"/requests/%1"_s.arg(id)).json()[u"status"_s].toString(),
             status == 200 ? u"closed"_s : u"open"_s);
}

void TestApiChanges::invalidChangesAreNamed_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("field");
    QTest::newRow("unknown status") << QByteArray(R"({"status": "done"})") << 422 << u"status"_s;
    QTest::newRow("unknown category")
        << QByteArray(R"({"category": "sales"})") << 422 << u"category"_s;
    QTest::newRow("category null") << QByteArray(R"({"category": null})") << 422 << u"category"_s;
    QTest::newRow("read-only field") << QByteArray(R"({"body": "new"})") << 422 << u"body"_s;
    QTest::newRow("nothing") << QByteArray("{}") << 422 << u"status"_s;
    QTest::newRow("assignee empty") << QByteArray(R"({"assignee": ""})") << 422 << u"assignee"_s;
    QTest::newRow("not an object") << QByteArray("[1]") << 422 << QString();
}

void TestApiChanges::invalidChangesAreNamed()
{
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    QFETCH(QString, field);
    const qint64 id = post(u"Where is my parcel"_s);
    const HttpClient::Response response = patch(id, body);
    QCOMPARE(response.status, status);
    if (!field.isEmpty())
        QVERIFY2(response.json()[u"error"_s][u"details"_s][u"fields"_s].toObject().contains(field),
                 response.body.constData());
    QCOMPARE(m_server->client()
                 .get(u"/requests/%1/history"_s.arg(id))
                 .json()[u"events"_s]
                 .toArray()
                 .size(),
             0);
}

void TestApiChanges::assigneeMustBeAnEnabledUser()
{
    const qint64 id = post(u"Laptop broken"_s);
    const HttpClient::Response unknown = patch(id, R"({"assignee": "mallory"})");
    QCOMPARE(unknown.status, 422);
    QVERIFY(unknown.body.contains("is not a user"));
    const HttpClient::Response disabled = patch(id, R"({"assignee": "carol"})");
    QCOMPARE(disabled.status, 422);
    QVERIFY(disabled.body.contains("disabled"));
    // Nothing of a refused change is kept, also not the parts that were fine.
    QCOMPARE(patch(id, R"({"status": "closed", "assignee": "mallory"})").status, 422);
    QCOMPARE(m_server->client().get(u"/requests/%1"_s.arg(id)).json()[u"status"_s].toString(),
             u"open"_s);
}

// Only people's verdicts teach the model; an integration's counts apart.
void TestApiChanges::integrationVerdictIsNotTrainingData()
{
    const qint64 id = post(u"I need an invoice copy"_s);
    QCOMPARE(patch(id, R"({"category": "billing"})").status, 200);
    QCOMPARE(TrainingExampleReader(m_server->database()).read().size(), 0);
    QSqlQuery query(m_server->database().connection());
    QVERIFY(
        query.exec(u"SELECT actor_kind, model FROM classifications WHERE provider = 'agent'"_s));
    QVERIFY(query.next());
    QCOMPARE(query.value(0).toString(), u"integration"_s);
    QCOMPARE(query.value(1).toString(), u"tests"_s);

    ClassificationRepository(m_server->database())
        .addVerdict({id}, Category::Technical, Actor::user(u"bob"_s));
    QCOMPARE(TrainingExampleReader(m_server->database()).read().size(), 1);
}

void TestApiChanges::changesNeedTheWriteScope()
{
    const qint64 id = post(u"Cannot log in"_s);
    m_server->client().setBearerToken(
        makeTestToken(m_server->database(), Scope::TicketsRead, u"reader"_s));
    const HttpClient::Response refused = patch(id, R"({"status": "closed"})");
    QCOMPARE(refused.status, 403);
    QCOMPARE(refused.json()[u"error"_s][u"details"_s][u"required_scope"_s].toString(),
             u"tickets:write"_s);
    QCOMPARE(m_server->client().get(u"/requests/%1/history"_s.arg(id)).status, 200);
}

void TestApiChanges::historyOfUnknownTicketIsNotFound()
{
    QCOMPARE(m_server->client().get(u"/requests/424242/history"_s).status, 404);
    QCOMPARE(m_server->client().get(u"/requests/abc/history"_s).status, 404);
    QCOMPARE(patch(424242, R"({"status": "closed"})").status, 404);
}

QTEST_GUILESS_MAIN(TestApiChanges)
#include "tst_apichanges.moc"
