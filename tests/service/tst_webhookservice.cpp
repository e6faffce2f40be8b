#include "messagerepository.h"
#include "secretskey.h"
#include "temporarydatabase.h"
#include "ticketrepository.h"
#include "ticketservice.h"
#include "webhookreceiver.h"
#include "webhookservice.h"

#include <QFile>
#include <QProcessEnvironment>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

class TestWebhookService : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void changesReachTheReceiverSignedAndTheSecretStaysSealed();
    void failedAttemptsAreTriedAgainUntilDelivered();
    void silentReceiverTimesOutAndIsTriedAgain();
    void deliveryFailsWhenItsAttemptsRunOut();
    void nodeWithoutTheKeyLeavesDeliveriesWaiting();
    void nodeWithAnotherKeyCannotSign();
    void removedWebhookReceivesNothingMore();
    void registrationsAreCheckedBeforeAnythingIsStored();
    void twoNodesDeliverEachEventOnce();

private:
    // Quick retries, so that a test sees several attempts within a second or two.
    static WebhookDispatcher::Options fastOptions();
    QProcessEnvironment keyFileEnvironment() const;
    // Registers the receiver for the types and tells it the secret.
    Webhook registerReceiver(WebhookService &service, WebhookReceiver &receiver,
                             const QStringList &types = {u"ticket.created"_s});
    qint64 createTicket(const QString &text = u"The printer is on fire"_s);

    std::unique_ptr<TemporaryDatabase> m_temporary;
    std::unique_ptr<TicketService> m_tickets;
    std::unique_ptr<SecretsKey> m_key;
    const Actor m_admin = Actor::user(u"admin"_s);
};

WebhookDispatcher::Options TestWebhookService::fastOptions()
{
    WebhookDispatcher::Options options;
    options.timeout = 500ms;
    options.firstRetryDelay = 50ms;
    options.maxRetryDelay = 200ms;
    options.maxAttempts = 4;
    options.pollInterval = 50ms;
    return options;
}

QProcessEnvironment TestWebhookService::keyFileEnvironment() const
{
    QProcessEnvironment environment;
    environment.insert(QString(SecretsKey::kFileVariable),
                       m_temporary->folder() + u"/secrets.key"_s);
    return environment;
}

void TestWebhookService::init()
{
    m_temporary = std::make_unique<TemporaryDatabase>();
    m_tickets = std::make_unique<TicketService>(m_temporary->database());
    m_key = std::make_unique<SecretsKey>(keyFileEnvironment(), QString());
}

void TestWebhookService::cleanup()
{
    m_key.reset();
    m_tickets.reset();
    m_temporary->database().closeThreadConnection();
    m_temporary.reset();
}

Webhook TestWebhookService::registerReceiver(WebhookService &service, WebhookReceiver &receiver,
                                             const QStringList &types)
{
    auto added = service.add(receiver.url(), types, m_admin);
    if (const QString *problem = std::get_if<QString>(&added))
        qFatal("registration refused: %s", qPrintable(*problem));
    const auto &created = std::get<WebhookService::Created>(added);
    receiver.setSecret(created.secret);
    return created.webhook;
}

qint64 TestWebhookService::createTicket(const QString &text)
{
    return TicketRepository(m_temporary->database())
        .create(TicketDraft::fromText(text, TicketSource::Api))
        .id;
}

void TestWebhookService::changesReachTheReceiverSignedAndTheSecretStaysSealed()
{
    WebhookReceiver receiver;
    WebhookService service(*m_tickets, *m_key, fastOptions());
    auto added = service.add(receiver.url(), {u"ticket.created"_s, u"ticket.replied"_s}, m_admin);
    QVERIFY(std::holds_alternative<WebhookService::Created>(added));
    const auto created = std::get<WebhookService::Created>(added);
    receiver.setSecret(created.secret);
    QVERIFY(created.secret.startsWith(u"whsec_"_s));
    QCOMPARE(created.webhook.createdBy, u"user:admin"_s);
    QSignalSpy attempted(&service, &WebhookService::deliveryAttempted);
    service.start();

    const qint64 ticket = createTicket();
    const Actor ada = Actor::user(u"ada"_s);
    TicketMessage reply;
    reply.ticketId = ticket;
    reply.authorName = ada.name;
    reply.body = u"We are on it."_s;
    QVERIFY(MessageRepository(m_temporary->database()).add(reply, ada));
    QTRY_COMPARE(receiver.acceptedIds().size(), 2);
    QCOMPARE(receiver.invalidSignatures(), 0);
    QCOMPARE(receiver.duplicates(), 0);
    const WebhookReceiver::Delivery &first = receiver.received().at(0);
    const WebhookReceiver::Delivery &second = receiver.received().at(1);
    QCOMPARE(first.contentType, QByteArray("application/json"));
    QCOMPARE(first.json[u"type"_s].toString(), u"ticket.created"_s);
    QCOMPARE(first.json[u"ticket_id"_s].toInteger(), ticket);
    QCOMPARE(QByteArray::number(first.json[u"id"_s].toInteger()), first.id);
    QCOMPARE(second.json[u"type"_s].toString(), u"ticket.replied"_s);
    QVERIFY(first.id.toLongLong() < second.id.toLongLong());

    QTRY_COMPARE(service.deliveries(created.webhook.id, WebhookDelivery::State::Delivered).size(),
                 2);
    const WebhookDelivery logged = service.deliveries(created.webhook.id).first();
    QCOMPARE(logged.lastStatus, 204);
    QCOMPARE(logged.attempts, 1);
    QVERIFY(logged.deliveredAt.isValid());
    QTRY_VERIFY(attempted.size() >= 2);
    QCOMPARE(attempted.first().first().toLongLong(), created.webhook.id);

    // The database holds the secret sealed, and the key that opens it is a file of its owner.
    QSqlQuery stored(m_temporary->database().connection());
    QVERIFY(stored.exec(u"SELECT sealed_secret FROM webhooks"_s) && stored.next());
    const QString sealed = stored.value(0).toString();
    QVERIFY(!sealed.contains(created.secret.mid(6)));
    QCOMPARE(m_key->forOpening()->open(sealed).value_or(QByteArray()), created.secret.toLatin1());
    const QString keyFile = m_temporary->folder() + u"/secrets.key"_s;
    QVERIFY(QFile::exists(keyFile));
    QVERIFY(!(QFile::permissions(keyFile) & (QFile::ReadOther | QFile::ReadGroup)));
}

void TestWebhookService::failedAttemptsAreTriedAgainUntilDelivered()
{
    WebhookReceiver receiver;
    receiver.enqueue(WebhookReceiver::Answer::fail(500));
    receiver.enqueue(WebhookReceiver::Answer::fail(429));
    WebhookService service(*m_tickets, *m_key, fastOptions());
    const Webhook webhook = registerReceiver(service, receiver);
    service.start();
    createTicket();
    QTRY_COMPARE(receiver.acceptedIds().size(), 1);
    QCOMPARE(receiver.received().size(), 3);
    // The same event, under the same id, each time freshly signed.
    for (const WebhookReceiver::Delivery &delivery : receiver.received()) {
        QCOMPARE(delivery.id, receiver.acceptedIds().first());
        QVERIFY(delivery.signatureValid);
    }
    QTRY_COMPARE(service.deliveries(webhook.id, WebhookDelivery::State::Delivered).size(), 1);
    QCOMPARE(service.deliveries(webhook.id).first().attempts, 3);
}

void TestWebhookService::silentReceiverTimesOutAndIsTriedAgain()
{
    WebhookReceiver receiver;
    receiver.enqueue(WebhookReceiver::Answer::silence());
    receiver.enqueue(WebhookReceiver::Answer::fail(503));
    receiver.setDefaultAnswer(WebhookReceiver::Answer::silence());
    WebhookService service(*m_tickets, *m_key, fastOptions());
    const Webhook webhook = registerReceiver(service, receiver);
    service.start();
    createTicket();
    QTRY_VERIFY(receiver.received().size() >= 2);
    // The log tells the last failure: the 503, or the silence after it.
    QTRY_VERIFY(!service.deliveries(webhook.id).first().lastError.isEmpty());
    const auto noAnswer = [&] {
        const WebhookDelivery delivery = service.deliveries(webhook.id).first();
        return delivery.lastError.contains(u"did not answer within 0.5 s"_s) &&
               delivery.lastStatus == 0;
    };
    QTRY_VERIFY_WITH_TIMEOUT(noAnswer(), 10'000);
    receiver.setDefaultAnswer(WebhookReceiver::Answer::accept());
    QTRY_COMPARE_WITH_TIMEOUT(service.deliveries(webhook.id).first().state,
                              WebhookDelivery::State::Delivered, 10'000);
}

void TestWebhookService::deliveryFailsWhenItsAttemptsRunOut()
{
    WebhookReceiver receiver;
    receiver.setDefaultAnswer(WebhookReceiver::Answer::fail(500));
    WebhookService service(*m_tickets, *m_key, fastOptions());
    const Webhook webhook = registerReceiver(service, receiver);
    service.start();
    createTicket();
    QTRY_COMPARE(service.deliveries(webhook.id, WebhookDelivery::State::Failed).size(), 1);
    const WebhookDelivery failed = service.deliveries(webhook.id).first();
    QCOMPARE(failed.attempts, fastOptions().maxAttempts);
    QCOMPARE(failed.lastStatus, 500);
    QVERIFY2(failed.lastError.contains(u"500"_s) &&
                 failed.lastError.contains(u"Internal Server Error"_s) &&
                 !failed.lastError.contains(u"on purpose"_s),
             qPrintable(failed.lastError));
    QVERIFY(!failed.nextAttemptAt.isValid());
    QCOMPARE(receiver.received().size(), fastOptions().maxAttempts);
    QTest::qWait(300);
    QCOMPARE(receiver.received().size(), fastOptions().maxAttempts);
}

void TestWebhookService::nodeWithoutTheKeyLeavesDeliveriesWaiting()
{
    WebhookReceiver receiver;
    Webhook webhook;
    {
        WebhookService registering(*m_tickets, *m_key, fastOptions());
        webhook = registerReceiver(registering, receiver);
    }
    QProcessEnvironment elsewhere;
    elsewhere.insert(QString(SecretsKey::kFileVariable), m_temporary->folder() + u"/missing.key"_s);
    SecretsKey noKey(elsewhere, QString());
    WebhookService service(*m_tickets, noKey, fastOptions());
    service.start();
    createTicket();
    QTRY_COMPARE(service.deliveries(webhook.id).size(), 1);
    QTest::qWait(300);
    QVERIFY(receiver.received().isEmpty());
    const WebhookDelivery waiting = service.deliveries(webhook.id).first();
    QCOMPARE(waiting.state, WebhookDelivery::State::Pending);
    QCOMPARE(waiting.attempts, 0);
    // Nor does it make a key of its own just to send.
    QVERIFY(!QFile::exists(m_temporary->folder() + u"/missing.key"_s));
}

void TestWebhookService::nodeWithAnotherKeyCannotSign()
{
    WebhookReceiver receiver;
    Webhook webhook;
    {
        WebhookService registering(*m_tickets, *m_key, fastOptions());
        webhook = registerReceiver(registering, receiver);
    }
    QProcessEnvironment other;
    other.insert(QString(SecretsKey::kKeyVariable),
                 QString::fromLatin1(SecretBox::generateKey().toBase64()));
    SecretsKey otherKey(other, QString());
    WebhookService service(*m_tickets, otherKey, fastOptions());
    service.start();
    createTicket();
    QTRY_VERIFY(!service.deliveries(webhook.id).isEmpty() &&
                service.deliveries(webhook.id).first().lastError.contains(u"share the key"_s));
    QVERIFY(receiver.received().isEmpty());
    // Handed back uncounted, for a node with the right key, and left alone for a while.
    const WebhookDelivery waiting = service.deliveries(webhook.id).first();
    QCOMPARE(waiting.attempts, 0);
    QCOMPARE(waiting.state, WebhookDelivery::State::Pending);
    QVERIFY(waiting.nextAttemptAt > QDateTime::currentDateTimeUtc().addSecs(30));
    // Nor may it register another webhook under its own key.
    const auto refused = service.add(receiver.url(), {u"ticket.created"_s}, m_admin);
    QVERIFY(std::holds_alternative<QString>(refused));
    QVERIFY2(std::get<QString>(refused).contains(u"not the one"_s),
             qPrintable(std::get<QString>(refused)));
}

void TestWebhookService::removedWebhookReceivesNothingMore()
{
    WebhookReceiver receiver;
    receiver.setDefaultAnswer(WebhookReceiver::Answer::fail(503));
    WebhookService service(*m_tickets, *m_key, fastOptions());
    const Webhook webhook = registerReceiver(service, receiver);
    service.start();
    createTicket();
    QTRY_VERIFY(!receiver.received().isEmpty());
    QVERIFY(service.remove(webhook.id, m_admin));
    QVERIFY(!service.remove(webhook.id, m_admin));
    QTRY_COMPARE(service.deliveries(webhook.id).first().state, WebhookDelivery::State::Cancelled);
    // An attempt already on the wire may still arrive; none is started after.
    QTest::qWait(fastOptions().timeout.count() + 100);
    const qsizetype seen = receiver.received().size();
    createTicket(u"After the removal"_s);
    QTest::qWait(400);
    QCOMPARE(receiver.received().size(), seen);
    QCOMPARE(service.deliveries(webhook.id).size(), 1);
    QVERIFY(!service.find(webhook.id)->isLive());
}

void TestWebhookService::registrationsAreCheckedBeforeAnythingIsStored()
{
    WebhookService service(*m_tickets, *m_key, fastOptions());
    const auto problem = [&](const QUrl &url, const QStringList &types) {
        const auto added = service.add(url, types, m_admin);
        return std::holds_alternative<QString>(added) ? std::get<QString>(added) : QString();
    };
    QVERIFY(
        problem(QUrl(u"http://crm.example.com/"_s), {u"ticket.created"_s}).contains(u"https"_s));
    QVERIFY(problem(QUrl(u"https://crm.example.com/"_s), {}).contains(u"ticket.created"_s));
    QVERIFY(problem(QUrl(u"https://crm.example.com/"_s), {u"ticket.gone"_s})
                .contains(u"ticket.gone"_s));

    QProcessEnvironment broken;
    broken.insert(QString(SecretsKey::kKeyVariable), u"c2hvcnQ="_s);
    SecretsKey brokenKey(broken, QString());
    WebhookService withoutKey(*m_tickets, brokenKey, fastOptions());
    const auto refused =
        withoutKey.add(QUrl(u"https://crm.example.com/"_s), {u"ticket.created"_s}, m_admin);
    QVERIFY(std::holds_alternative<QString>(refused));
    QVERIFY(std::get<QString>(refused).contains(SecretsKey::kKeyVariable));
    QVERIFY(service.list().isEmpty());
}

void TestWebhookService::twoNodesDeliverEachEventOnce()
{
    WebhookReceiver receiver;
    WebhookService first(*m_tickets, *m_key, fastOptions());
    SecretsKey sameKey(keyFileEnvironment(), QString());
    WebhookService second(*m_tickets, sameKey, fastOptions());
    const Webhook webhook = registerReceiver(first, receiver);
    first.start();
    second.start();
    constexpr int kTickets = 40;
    for (int i = 0; i < kTickets; ++i)
        createTicket(u"Ticket %1"_s.arg(i));
    QTRY_COMPARE_WITH_TIMEOUT(receiver.acceptedIds().size(), kTickets, 20'000);
    QTest::qWait(300);
    QCOMPARE(receiver.duplicates(), 0);
    QCOMPARE(receiver.received().size(), kTickets);
    QCOMPARE(first.deliveries(webhook.id, WebhookDelivery::State::Delivered, 0, 100).size(),
             kTickets);
}

QTEST_GUILESS_MAIN(TestWebhookService)
#include "tst_webhookservice.moc"
