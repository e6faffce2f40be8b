// Webhooks over the API: an admin's token registers a receiver (its secret shown once), lists and
// removes webhooks and reads the delivery log, in the documented shape; a real receiver gets
// the changes signed.
#include "openapischema.h"
#include "runningserver.h"
#include "testtoken.h"
#include "testwebhooks.h"
#include "webhookreceiver.h"
#include "webhookservice.h"

#include <QJsonArray>
#include <QSqlQuery>
#include <QTest>

using namespace Qt::StringLiterals;

class TestApiWebhooks : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void registeredReceiverGetsChangesAndTheLogShowsThem();
    void secretIsShownOnceAndNeverListed();
    void invalidRegistrationsNameEveryField();
    void removalStopsAWebhookAndKeepsItListed();
    void deliveryLogPagesAndFilters();
    void unknownWebhooksAreNotFound();
    void everyEndpointNeedsTheWebhooksScope();
    void nodeWithoutWebhooksSaysSo();
    void answersMatchTheOpenApiDocument();

private:
    HttpClient::Response registerReceiver(const QStringList &events = {u"ticket.created"_s});
    qint64 post(const QString &text);

    std::unique_ptr<RunningServer> m_server;
    std::unique_ptr<TestWebhooks> m_nodeWebhooks;
    WebhookService *m_webhooks = nullptr;
    std::unique_ptr<WebhookReceiver> m_receiver;
    std::unique_ptr<HttpClient> m_admin;
};

void TestApiWebhooks::init()
{
    m_server = std::make_unique<RunningServer>();
    QVERIFY(m_server->isListening());
    // Failing receivers keep their deliveries pending through the test, however slow the run.
    m_nodeWebhooks = std::make_unique<TestWebhooks>(m_server->tickets(), 10'000);
    m_webhooks = &m_nodeWebhooks->service();
    m_server->tickets().setWebhooks(m_webhooks);
    m_receiver = std::make_unique<WebhookReceiver>();
    m_admin = std::make_unique<HttpClient>(m_server->baseUrl());
    m_admin->setBearerToken(
        makeTestToken(m_server->database(), Scope::WebhooksManage, u"integrations-admin"_s));
}

void TestApiWebhooks::cleanup()
{
    m_admin.reset();
    if (m_server)
        m_server->tickets().setWebhooks(nullptr);
    m_webhooks = nullptr;
    m_nodeWebhooks.reset();
    m_receiver.reset();
    m_server.reset();
}

HttpClient::Response TestApiWebhooks::registerReceiver(const QStringList &events)
{
    const HttpClient::Response response = m_admin->postJson(
        u"/webhooks"_s,
        QJsonDocument(QJsonObject{{u"url"_s, m_receiver->url().toString()},
                                  {u"events"_s, QJsonArray::fromStringList(events)}})
            .toJson());
    if (response.status == 201)
        m_receiver->setSecret(response.json()[u"secret"_s].toString());
    return response;
}

qint64 TestApiWebhooks::post(const QString &text)
{
    const HttpClient::Response response = m_server->client().postJson(
        u"/requests"_s, QJsonDocument(QJsonObject{{u"text"_s, text}}).toJson());
    return response.status == 201 ? response.json().value(u"id"_s).toInteger() : 0;
}

void TestApiWebhooks::registeredReceiverGetsChangesAndTheLogShowsThem()
{
    const HttpClient::Response registered = registerReceiver({u"ticket.created"_s});
    QCOMPARE(registered.status, 201);
    const QJsonObject webhook = registered.json()[u"webhook"_s].toObject();
    const qint64 webhookId = webhook[u"id"_s].toInteger();
    QCOMPARE(webhook[u"url"_s].toString(), m_receiver->url().toString());
    QCOMPARE(webhook[u"created_by"_s].toString(), u"integration:integrations-admin"_s);
    QCOMPARE(webhook[u"events"_s].toArray(), QJsonArray{u"ticket.created"_s});

    const qint64 ticket = post(u"The printer is on fire"_s);
    QVERIFY(ticket > 0);
    QTRY_COMPARE(m_receiver->acceptedIds().size(), 1);
    QCOMPARE(m_receiver->invalidSignatures(), 0);
    const WebhookReceiver::Delivery &delivery = m_receiver->received().first();
    QCOMPARE(delivery.json[u"ticket_id"_s].toInteger(), ticket);
    QCOMPARE(delivery.json[u"type"_s].toString(), u"ticket.created"_s);
    // What is pushed is what GET /events tells: no ticket text.
    QVERIFY(!delivery.body.contains("printer"));

    const auto delivered = [&] {
        const QJsonArray items =
            m_admin->get(u"/webhooks/%1/deliveries"_s.arg(webhookId)).json()[u"items"_s].toArray();
        return items.size() == 1 && items.first()[u"state"_s].toString() == u"delivered"_s;
    };
    QTRY_VERIFY(delivered());
    const QJsonObject logged = m_admin->get(u"/webhooks/%1/deliveries"_s.arg(webhookId))
                                   .json()[u"items"_s]
                                   .toArray()
                                   .first()
                                   .toObject();
    QCOMPARE(logged[u"event_id"_s].toInteger(), delivery.id.toLongLong());
    QCOMPARE(logged[u"ticket_id"_s].toInteger(), ticket);
    QCOMPARE(logged[u"last_status"_s].toInt(), 204);
    QCOMPARE(logged[u"attempts"_s].toInt(), 1);
}

void TestApiWebhooks::secretIsShownOnceAndNeverListed()
{
    const HttpClient::Response registered = registerReceiver();
    QCOMPARE(registered.status, 201);
    const QString secret = registered.json()[u"secret"_s].toString();
    QVERIFY(secret.startsWith(u"whsec_"_s));
    const QByteArray id = QByteArray::number(registered.json()[u"webhook"_s][u"id"_s].toInteger());
    const QByteArray secretBytes = secret.toLatin1();
    QVERIFY(!m_admin->get(u"/webhooks"_s).body.contains(secretBytes));
    QVERIFY(!m_admin->get(u"/webhooks/"_s + QString::fromLatin1(id)).body.contains(secretBytes));
    // Nor is it in the database in clear.
    QSqlQuery stored(m_server->database().connection());
    QVERIFY(stored.exec(u"SELECT sealed_secret, url FROM webhooks"_s) && stored.next());
    QVERIFY(!stored.value(0).toString().contains(secret.mid(6)));
}

void TestApiWebhooks::invalidRegistrationsNameEveryField()
{
    const HttpClient::Response refused = m_admin->postJson(
        u"/webhooks"_s, R"({"url": "http://crm.example.com/hooks", "events": ["ticket.gone"],
                            "active": true})");
    QCOMPARE(refused.status, 422);
    const QJsonObject fields = refused.json()[u"error"_s][u"details"_s][u"fields"_s].toObject();
    QVERIFY2(fields[u"url"_s].toString().contains(u"https"_s),
             qPrintable(fields[u"url"_s].toString()));
    QVERIFY(fields[u"events"_s].toString().contains(u"ticket.gone"_s));
    QVERIFY(fields.contains(u"active"_s));
    QCOMPARE(m_admin->postJson(u"/webhooks"_s, R"({"events": []})").status, 422);
    QCOMPARE(m_admin->postJson(u"/webhooks"_s, R"(["https://a.example/"])").status, 422);
    QCOMPARE(m_admin->postJson(u"/webhooks"_s, R"({"url": )").status, 400);
    QVERIFY(m_admin->get(u"/webhooks"_s).json()[u"items"_s].toArray().isEmpty());
}

void TestApiWebhooks::removalStopsAWebhookAndKeepsItListed()
{
    const HttpClient::Response registered = registerReceiver();
    const qint64 id = registered.json()[u"webhook"_s][u"id"_s].toInteger();
    const QString path = u"/webhooks/%1"_s.arg(id);
    const HttpClient::Response removed = m_admin->send("DELETE", path);
    QCOMPARE(removed.status, 200);
    QVERIFY(!removed.json()[u"removed_at"_s].toString().isEmpty());
    // Again: what is asked is already so.
    QCOMPARE(m_admin->send("DELETE", path).status, 200);
    post(u"After the removal"_s);
    QTest::qWait(300);
    QVERIFY(m_receiver->received().isEmpty());
    const QJsonArray listed = m_admin->get(u"/webhooks"_s).json()[u"items"_s].toArray();
    QCOMPARE(listed.size(), 1);
    QVERIFY(!listed.first()[u"removed_at"_s].isNull());
}

void TestApiWebhooks::deliveryLogPagesAndFilters()
{
    m_receiver->setDefaultAnswer(WebhookReceiver::Answer::fail(500));
    const qint64 id = registerReceiver().json()[u"webhook"_s][u"id"_s].toInteger();
    for (int i = 0; i < 5; ++i)
        post(u"Ticket %1"_s.arg(i));
    const QString log = u"/webhooks/%1/deliveries"_s.arg(id);
    QTRY_COMPARE(m_admin->get(log).json()[u"items"_s].toArray().size(), 5);

    const QJsonObject first = m_admin->get(log + u"?limit=3"_s).json();
    const QJsonArray firstItems = first[u"items"_s].toArray();
    QCOMPARE(firstItems.size(), 3);
    const QString cursor = first[u"next_cursor"_s].toString();
    QVERIFY(!cursor.isEmpty());
    const QJsonObject rest = m_admin->get(log + u"?limit=3&cursor="_s + cursor).json();
    QCOMPARE(rest[u"items"_s].toArray().size(), 2);
    QVERIFY(rest[u"next_cursor"_s].isNull());
    QVERIFY(firstItems.at(0)[u"id"_s].toInteger() > firstItems.at(1)[u"id"_s].toInteger());

    QTRY_VERIFY(m_admin->get(log + u"?state=pending"_s)
                    .json()[u"items"_s]
                    .toArray()
                    .first()[u"last_status"_s]
                    .toInt() == 500);
    QVERIFY(m_admin->get(log + u"?state=delivered"_s).json()[u"items"_s].toArray().isEmpty());
    const HttpClient::Response bad = m_admin->get(log + u"?state=lost&limit=0&cursor=x"_s);
    QCOMPARE(bad.status, 400);
    const QJsonObject fields = bad.json()[u"error"_s][u"details"_s][u"fields"_s].toObject();
    QCOMPARE(fields.keys(), (QStringList{u"cursor"_s, u"limit"_s, u"state"_s}));
}

void TestApiWebhooks::unknownWebhooksAreNotFound()
{
    for (const QString &path : {u"/webhooks/999"_s, u"/webhooks/abc"_s, u"/webhooks/0"_s,
                                u"/webhooks/999/deliveries"_s}) {
        const HttpClient::Response response = m_admin->get(path);
        QCOMPARE(response.status, 404);
        QCOMPARE(response.json()[u"error"_s][u"code"_s].toString(), u"not_found"_s);
    }
    QCOMPARE(m_admin->send("DELETE", u"/webhooks/999"_s).status, 404);
}

void TestApiWebhooks::everyEndpointNeedsTheWebhooksScope()
{
    // The test client's token may do everything else.
    HttpClient &other = m_server->client();
    QCOMPARE(other.get(u"/webhooks"_s).status, 403);
    QCOMPARE(
        other.get(u"/webhooks"_s).json()[u"error"_s][u"details"_s][u"required_scope"_s].toString(),
        u"webhooks:manage"_s);
    QCOMPARE(other.postJson(u"/webhooks"_s, R"({"url": "https://a.example/"})").status, 403);
    QCOMPARE(other.send("DELETE", u"/webhooks/1"_s).status, 403);
    QCOMPARE(other.get(u"/webhooks/1/deliveries"_s).status, 403);
    HttpClient anonymous(m_server->baseUrl());
    QCOMPARE(anonymous.get(u"/webhooks"_s).status, 401);
    QVERIFY(m_admin->get(u"/webhooks"_s).status == 200);
    QCOMPARE(m_admin->get(u"/requests"_s).status, 403);
}

void TestApiWebhooks::nodeWithoutWebhooksSaysSo()
{
    m_server->tickets().setWebhooks(nullptr);
    const HttpClient::Response response = m_admin->get(u"/webhooks"_s);
    QCOMPARE(response.status, 503);
    QCOMPARE(response.json()[u"error"_s][u"code"_s].toString(), u"unavailable"_s);
    QCOMPARE(m_admin->postJson(u"/webhooks"_s, R"({"url": "https://a.example/"})").status, 503);
}

void TestApiWebhooks::answersMatchTheOpenApiDocument()
{
    const QJsonObject document = m_server->client().get(u"/openapi.json"_s).json();
    const auto check = [&](const QJsonValue &value, const QString &schema) {
        const QStringList violations = OpenApiSchema::violations(
            value, QJsonObject{{u"$ref"_s, QString(u"#/components/schemas/"_s + schema)}}, document,
            schema);
        if (!violations.isEmpty())
            qWarning().noquote() << violations.join(u'\n');
        return violations.isEmpty();
    };
    const HttpClient::Response registered = registerReceiver();
    QVERIFY(check(registered.json(), u"CreatedWebhook"_s));
    const qint64 id = registered.json()[u"webhook"_s][u"id"_s].toInteger();
    QVERIFY(check(m_admin->get(u"/webhooks/%1"_s.arg(id)).json(), u"Webhook"_s));
    post(u"Printer"_s);
    const QString log = u"/webhooks/%1/deliveries"_s.arg(id);
    QTRY_COMPARE(m_admin->get(log + u"?state=delivered"_s).json()[u"items"_s].toArray().size(), 1);
    QVERIFY(check(m_admin->get(log).json()[u"items"_s].toArray().first(), u"WebhookDelivery"_s));
    QVERIFY(check(m_admin->send("DELETE", u"/webhooks/%1"_s.arg(id)).json(), u"Webhook"_s));
}

QTEST_GUILESS_MAIN(TestApiWebhooks)
#include "tst_apiwebhooks.moc"
