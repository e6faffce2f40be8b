// GET /events over the real server: every committed change in commit order, resumed after a
// reconnect without a gap or a repeat, internal notes only for those who may read them.
#include "changeeventrepository.h"
#include "database.h"
#include "eventstreamclient.h"
#include "runningserver.h"
#include "testtoken.h"

#include <QSet>
#include <QSqlQuery>
#include <QTest>

using namespace Qt::StringLiterals;

class TestApiEvents : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void changesArriveInCommitOrder();
    void reconnectingWithLastEventIdMissesNothing();
    void internalNotesOnlyForThoseWhoMayReadThem();
    void resumingFromBeforeWhatIsKeptSaysSo();
    void eventsPastTheirWeekGoBeforeAResumeIsChecked();
    void refusals();

private:
    qint64 post(const QString &text);
    void reply(qint64 ticketId, const QByteArray &body);
    std::unique_ptr<EventStreamClient> subscribe(const QByteArray &token,
                                                 const EventStreamClient::Headers &headers = {},
                                                 const QString &query = {});

    std::unique_ptr<RunningServer> m_server;
    QNetworkAccessManager m_manager;
};

void TestApiEvents::init()
{
    m_server = std::make_unique<RunningServer>();
    QVERIFY(m_server->isListening());
}

void TestApiEvents::cleanup()
{
    m_server.reset();
}

qint64 TestApiEvents::post(const QString &text)
{
    const HttpClient::Response response = m_server->client().postJson(
        u"/requests"_s, QJsonDocument(QJsonObject{{u"text"_s, text}}).toJson());
    return response.status == 201 ? response.json().value(u"id"_s).toInteger() : 0;
}

void TestApiEvents::reply(qint64 ticketId, const QByteArray &body)
{
    QCOMPARE(m_server->client().postJson(u"/requests/%1/messages"_s.arg(ticketId), body).status,
             201);
}

std::unique_ptr<EventStreamClient>
TestApiEvents::subscribe(const QByteArray &token, const EventStreamClient::Headers &headers,
                         const QString &query)
{
    auto client = std::make_unique<EventStreamClient>(
        m_manager, "GET", m_server->baseUrl().resolved(QUrl(u"/events"_s + query)), token,
        QByteArray(), headers);
    // Subscribed once the first comment is in: what is written from then on is told. A test
    // that gets a client still waiting fails on what it then expects.
    if (!QTest::qWaitFor(
            [&client] { return client->raw().contains(": subscribed") || client->finished(); },
            5000))
        qWarning("The event stream did not open within 5 s");
    return client;
}

void TestApiEvents::changesArriveInCommitOrder()
{
    const qint64 before = post(u"Before anyone listened"_s);
    QVERIFY(before > 0);
    const auto client = subscribe(m_server->token());
    QCOMPARE(client->status(), 200);
    QVERIFY(client->reply()
                ->header(QNetworkRequest::ContentTypeHeader)
                .toString()
                .startsWith(u"text/event-stream"_s));

    const qint64 id = post(u"Printer on fire"_s);
    QCOMPARE(m_server->client()
                 .send("PATCH", u"/requests/%1"_s.arg(id), R"({"status": "in_progress"})",
                       {{"Content-Type", "application/json"}})
                 .status,
             200);
    reply(id, R"({"body": "Fixed it."})");
    QCOMPARE(m_server->client()
                 .postJson(u"/requests/%1/feedback"_s.arg(id), R"({"rating": 5, "resolved": true})")
                 .status,
             201);

    QTRY_COMPARE_WITH_TIMEOUT(client->events().size(), 4, 5000);
    QCOMPARE(client->types(), (QStringList{u"ticket.created"_s, u"ticket.updated"_s,
                                           u"ticket.replied"_s, u"ticket.rated"_s}));
    qint64 last = 0;
    for (qsizetype i = 0; i < client->events().size(); ++i) {
        const QJsonObject data = client->data(i);
        QCOMPARE(data[u"ticket_id"_s].toInteger(), id);
        QCOMPARE(data[u"type"_s].toString(), client->events().at(i).type);
        // The event's id is its position, and positions only grow.
        QCOMPARE(client->events().at(i).lastEventId, QString::number(data[u"id"_s].toInteger()));
        QVERIFY(data[u"id"_s].toInteger() > last);
        last = data[u"id"_s].toInteger();
    }
    QCOMPARE(client->data(1)[u"after"_s].toString(), u"in_progress"_s);
    QCOMPARE(client->data(1)[u"actor"_s][u"kind"_s].toString(), u"integration"_s);
    QCOMPARE(client->data(2)[u"author"_s][u"kind"_s].toString(), u"integration"_s);
    QCOMPARE(client->data(3)[u"rating"_s].toInt(), 5);
    // Nothing from before it subscribed, and the stream stays open.
    QVERIFY(!client->finished());
}

void TestApiEvents::reconnectingWithLastEventIdMissesNothing()
{
    const qint64 id = post(u"VPN drops"_s);
    auto first = subscribe(m_server->token());
    reply(id, R"({"body": "One"})");
    QTRY_COMPARE(first->events().size(), 1);
    const QString lastSeen = first->events().last().lastEventId;
    first.reset(); // the client goes away

    // Changes meanwhile, by several writers.
    QList<qint64> tickets;
    for (int i = 0; i < 5; ++i)
        tickets.append(post(u"While away %1"_s.arg(i)));
    reply(id, R"({"body": "Two"})");

    const auto again = subscribe(m_server->token(), {{"Last-Event-ID", lastSeen.toLatin1()}});
    QTRY_COMPARE_WITH_TIMEOUT(again->events().size(), 6, 5000);
    QSet<qint64> created;
    for (qsizetype i = 0; i < 5; ++i) {
        QCOMPARE(again->events().at(i).type, u"ticket.created"_s);
        created.insert(again->data(i)[u"ticket_id"_s].toInteger());
    }
    QCOMPARE(created, QSet<qint64>(tickets.cbegin(), tickets.cend()));
    QCOMPARE(again->events().at(5).type, u"ticket.replied"_s);
    QVERIFY(again->data(0)[u"id"_s].toInteger() > lastSeen.toLongLong());
    // The same by the query parameter, for clients that cannot set the header.
    const auto byQuery = subscribe(m_server->token(), {}, u"?after="_s + lastSeen);
    QTRY_COMPARE_WITH_TIMEOUT(byQuery->events().size(), 6, 5000);
    QCOMPARE(byQuery->types(), again->types());
    QTest::qWait(300);
    QCOMPARE(byQuery->events().size(), 6); // and nothing twice
}

void TestApiEvents::internalNotesOnlyForThoseWhoMayReadThem()
{
    const QByteArray watcher = makeTestToken(m_server->database(), Scope::EventsRead, u"crm"_s);
    const QByteArray team =
        makeTestToken(m_server->database(), Scope::EventsRead | Scope::RepliesWrite, u"relay"_s);
    const qint64 id = post(u"Charged twice"_s);
    const auto crm = subscribe(watcher);
    const auto relay = subscribe(team);
    reply(id, R"({"body": "Ask finance", "visibility": "internal"})");
    reply(id, R"({"body": "Refunded."})");
    QTRY_COMPARE(relay->events().size(), 2);
    QTRY_COMPARE(crm->events().size(), 1);
    QCOMPARE(crm->data(0)[u"visibility"_s].toString(), u"public"_s);
    QCOMPARE(relay->data(0)[u"visibility"_s].toString(), u"internal"_s);
    QTest::qWait(300);
    QCOMPARE(crm->events().size(), 1);
}

void TestApiEvents::resumingFromBeforeWhatIsKeptSaysSo()
{
    for (int i = 0; i < 3; ++i)
        post(u"Old %1"_s.arg(i));
    ChangeEventRepository events(m_server->database());
    const qint64 latest = events.latestPosition();
    QCOMPARE(events.trimBefore(QDateTime::currentDateTimeUtc().addSecs(60)), 3);
    const auto client = subscribe(m_server->token(), {{"Last-Event-ID", "1"}});
    QTRY_COMPARE(client->events().size(), 1);
    QCOMPARE(client->types(), QStringList{u"reset"_s});
    QCOMPARE(client->data(0)[u"reason"_s].toString(), u"expired"_s);
    QCOMPARE(client->data(0)[u"resumes_after"_s].toInteger(), latest);
    const qint64 id = post(u"New"_s);
    QTRY_COMPARE(client->events().size(), 2);
    QCOMPARE(client->data(1)[u"ticket_id"_s].toInteger(), id);
    QVERIFY(client->data(1)[u"id"_s].toInteger() > latest);

    // An id this database never gave.
    const auto stranger = subscribe(m_server->token(), {{"Last-Event-ID", "999999"}});
    QTRY_COMPARE(stranger->events().size(), 1);
    QCOMPARE(stranger->data(0)[u"reason"_s].toString(), u"unknown"_s);
}

void TestApiEvents::eventsPastTheirWeekGoBeforeAResumeIsChecked()
{
    for (int i = 0; i < 3; ++i)
        post(u"Old %1"_s.arg(i));
    ChangeEventRepository events(m_server->database());
    const QList<ChangeEvent> old = events.after(0, 10);
    QCOMPARE(old.size(), 3);
    // Eight days old, and nobody has trimmed them yet.
    QSqlQuery age(m_server->database().connection());
    QVERIFY(age.prepare(u"UPDATE ticket_change_events SET created_at = ?"_s));
    age.addBindValue(QDateTime::currentMSecsSinceEpoch() - 8 * 86'400'000LL);
    QVERIFY(age.exec());
    age.finish();
    const auto client =
        subscribe(m_server->token(), {{"Last-Event-ID", QByteArray::number(old.first().position)}});
    QTRY_COMPARE(client->events().size(), 1);
    QCOMPARE(client->data(0)[u"reason"_s].toString(), u"expired"_s);
    QCOMPARE(client->data(0)[u"resumes_after"_s].toInteger(), old.last().position);
    QVERIFY(events.after(0, 10).isEmpty());
}

void TestApiEvents::refusals()
{
    const QByteArray reader = makeTestToken(m_server->database(), Scope::TicketsRead, u"crm"_s);
    HttpClient::Response response =
        m_server->client().send("GET", u"/events"_s, {}, {{"Authorization", "Bearer " + reader}});
    QCOMPARE(response.status, 403);
    QCOMPARE(response.json()[u"error"_s][u"details"_s][u"required_scope"_s].toString(),
             u"events:read"_s);
    response = m_server->client().send("GET", u"/events"_s, {}, {{"Authorization", "Bearer nope"}});
    QCOMPARE(response.status, 401);
    response = m_server->client().send("GET", u"/events"_s, {}, {{"Last-Event-ID", "-3"}});
    QCOMPARE(response.status, 400);
    QVERIFY(response.json()[u"error"_s][u"details"_s][u"fields"_s].toObject().contains(
        u"Last-Event-ID"_s));
    response = m_server->client().get(u"/events?after=1e3"_s);
    QCOMPARE(response.status, 400);
    response = m_server->client().get(u"/events?since=3"_s);
    QCOMPARE(response.status, 400);
}

QTEST_MAIN(TestApiEvents)
#include "tst_apievents.moc"
