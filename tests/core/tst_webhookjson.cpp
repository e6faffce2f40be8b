#include "changeevent.h"
#include "webhookjson.h"

#include <QJsonArray>
#include <QTest>

using namespace Qt::StringLiterals;

class TestWebhookJson : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void urlsThatLeaveTheMachineMustBeHttps_data();
    void urlsThatLeaveTheMachineMustBeHttps();
    void eventsDefaultToEveryTypeInAFixedOrder();
    void badRegistrationsNameEveryField();
    void deliveryAndWebhookJson();
};

void TestWebhookJson::urlsThatLeaveTheMachineMustBeHttps_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<bool>("accepted");
    QTest::newRow("https") << u"https://crm.example.com/hooks?x=1"_s << true;
    QTest::newRow("http loopback") << u"http://127.0.0.1:9000/hook"_s << true;
    QTest::newRow("http localhost") << u"http://localhost/hook"_s << true;
    QTest::newRow("http ipv6 loopback") << u"http://[::1]:8080/"_s << true;
    QTest::newRow("http elsewhere") << u"http://crm.example.com/hooks"_s << false;
    QTest::newRow("http 127 lookalike") << u"http://127.0.0.1.example.com/"_s << false;
    QTest::newRow("ftp") << u"ftp://crm.example.com/"_s << false;
    QTest::newRow("relative") << u"/hooks"_s << false;
    QTest::newRow("password") << u"https://user:pw@crm.example.com/"_s << false;
    QTest::newRow("fragment") << u"https://crm.example.com/#x"_s << false;
    QTest::newRow("too long") << u"https://crm.example.com/"_s + QString(2000, u'a') << false;
}

void TestWebhookJson::urlsThatLeaveTheMachineMustBeHttps()
{
    QFETCH(QString, url);
    QFETCH(bool, accepted);
    QCOMPARE(WebhookJson::urlProblem(QUrl(url)).isEmpty(), accepted);
    const Validated<Webhook> parsed = WebhookJson::fromJson({{u"url"_s, url}});
    QCOMPARE(parsed.isValid(), accepted);
}

void TestWebhookJson::eventsDefaultToEveryTypeInAFixedOrder()
{
    const Validated<Webhook> all = WebhookJson::fromJson({{u"url"_s, u"https://a.example/"_s}});
    QVERIFY(all.isValid());
    QCOMPARE(all.value.eventTypes, ChangeEvent::types());
    const Validated<Webhook> some = WebhookJson::fromJson(
        {{u"url"_s, u"https://a.example/"_s},
         {u"events"_s, QJsonArray{u"ticket.rated"_s, u"ticket.created"_s, u"ticket.rated"_s}}});
    QVERIFY(some.isValid());
    QCOMPARE(some.value.eventTypes, (QStringList{u"ticket.created"_s, u"ticket.rated"_s}));
}

void TestWebhookJson::badRegistrationsNameEveryField()
{
    const Validated<Webhook> parsed = WebhookJson::fromJson(
        {{u"events"_s, QJsonArray{u"ticket.deleted"_s}}, {u"secret"_s, u"mine"_s}});
    QStringList fields;
    for (const FieldError &error : parsed.errors)
        fields.append(error.field);
    fields.sort();
    QCOMPARE(fields, (QStringList{u"events"_s, u"secret"_s, u"url"_s}));
    QVERIFY(
        !WebhookJson::fromJson({{u"url"_s, u"https://a.example/"_s}, {u"events"_s, QJsonArray{}}})
             .isValid());
    QVERIFY(!WebhookJson::fromJson(
                 {{u"url"_s, u"https://a.example/"_s}, {u"events"_s, u"ticket.created"_s}})
                 .isValid());
    QVERIFY(!WebhookJson::fromJson({{u"url"_s, 42}}).isValid());
}

void TestWebhookJson::deliveryAndWebhookJson()
{
    WebhookDelivery delivery;
    delivery.id = 7;
    delivery.webhookId = 2;
    delivery.eventId = 99;
    delivery.eventType = u"ticket.created"_s;
    delivery.ticketId = 5;
    delivery.state = WebhookDelivery::State::Failed;
    delivery.attempts = 15;
    delivery.createdAt = QDateTime::fromMSecsSinceEpoch(0, Qt::UTC);
    delivery.lastStatus = 500;
    delivery.lastError = u"The receiver answered 500."_s;
    const QJsonObject json = WebhookJson::toJson(delivery);
    QCOMPARE(json[u"state"_s].toString(), u"failed"_s);
    QCOMPARE(json[u"event_id"_s].toInteger(), 99);
    QCOMPARE(json[u"last_status"_s].toInt(), 500);
    QVERIFY(json[u"delivered_at"_s].isNull());
    QVERIFY(json[u"next_attempt_at"_s].isNull());
    QCOMPARE(json[u"created_at"_s].toString(), u"1970-01-01T00:00:00.000Z"_s);
    for (const auto state : {WebhookDelivery::State::Pending, WebhookDelivery::State::Delivered,
                             WebhookDelivery::State::Failed, WebhookDelivery::State::Cancelled})
        QCOMPARE(WebhookJson::stateFromName(QString(WebhookJson::stateName(state))), state);
    QCOMPARE(WebhookJson::stateFromName(u"lost"_s), std::nullopt);

    Webhook webhook;
    webhook.id = 2;
    webhook.url = QUrl(u"https://a.example/"_s);
    webhook.eventTypes = {u"ticket.rated"_s};
    const QJsonObject hook = WebhookJson::toJson(webhook);
    QCOMPARE(hook[u"events"_s].toArray().size(), 1);
    QVERIFY(hook[u"removed_at"_s].isNull());
    QVERIFY(!hook.contains(u"secret"_s));
}

QTEST_GUILESS_MAIN(TestWebhookJson)
#include "tst_webhookjson.moc"
