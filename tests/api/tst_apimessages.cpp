// A ticket's conversation over the API: what integrations add and read, in the documented shape.
#include "messagerepository.h"
#include "openapischema.h"
#include "runningserver.h"
#include "testtoken.h"
#include "ticketrepository.h"

#include <QJsonArray>
#include <QTest>

using namespace Qt::StringLiterals;

class TestApiMessages : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void integrationAddsAndReadsTheConversation();
    void importedAnswerIsListed();
    void ticketKnowsWhomToAnswer();
    void invalidMessagesAreNamed_data();
    void invalidMessagesAreNamed();
    void unknownTicketIsNotFound();
    void replyFromADraftSaysSo();
    void addingNeedsTheRepliesScope();
    void retriedMessageWithTheSameKeyIsStoredOnce();
    void deliveringIntegrationReportsHowItWent();
    void invalidDeliveryReportsAreNamed_data();
    void invalidDeliveryReportsAreNamed();
    void answersMatchTheOpenApiDocument();
    void gatewayListsTheRepliesToSendAcrossTickets();
    void listingRepliesIsCheckedAtTheEdge();

private:
    qint64 post(const QString &text);
    HttpClient::Response addMessage(qint64 id, const QJsonObject &message);
    HttpClient::Response report(qint64 id, qint64 messageId, const QByteArray &body);

    std::unique_ptr<RunningServer> m_server;
};

void TestApiMessages::init()
{
    m_server = std::make_unique<RunningServer>();
    QVERIFY(m_server->isListening());
}

void TestApiMessages::cleanup()
{
    m_server.reset();
}

qint64 TestApiMessages::post(const QString &text)
{
    const HttpClient::Response response = m_server->client().postJson(
        u"/requests"_s, QJsonDocument(QJsonObject{{u"text"_s, text}}).toJson());
    return response.status == 201 ? response.json().value(u"id"_s).toInteger() : 0;
}

HttpClient::Response TestApiMessages::addMessage(qint64 id, const QJsonObject &message)
{
    return m_server->client().postJson(u"/requests/%1/messages"_s.arg(id),
                                       QJsonDocument(message).toJson());
}

HttpClient::Response TestApiMessages::report(qint64 id, qint64 messageId, const QByteArray &body)
{
    return m_server->client().send("PATCH", u"/requests/%1/messages/%2"_s.arg(id).arg(messageId),
                                   body, {{"Content-Type", "application/json"}});
}

void TestApiMessages::integrationAddsAndReadsTheConversation()
{
    const qint64 id = post(u"The printer is on fire"_s);
    QVERIFY(id > 0);
    const QJsonObject empty = m_server->client().get(u"/requests/%1/messages"_s.arg(id)).json();
    QCOMPARE(empty.value(u"request_id"_s).toInteger(), id);
    QVERIFY(empty.value(u"messages"_s).toArray().isEmpty());

    // A reply written in the CRM, the customer's answer relayed by mail, and a note.
    HttpClient::Response reply = addMessage(id, {{u"body"_s, u"Please unplug it first."_s}});
    QCOMPARE(reply.status, 201);
    QCOMPARE(reply.json().value(u"delivery"_s).toString(), u"pending"_s);
    QCOMPARE(reply.json()[u"author"_s][u"kind"_s].toString(), u"integration"_s);
    QCOMPARE(reply.json()[u"author"_s][u"name"_s].toString(), u"tests"_s); // the token's name
    const HttpClient::Response customer =
        addMessage(id, {{u"author"_s, u"customer"_s}, {u"body"_s, u"Done, thanks! 🙏"_s}});
    QCOMPARE(customer.status, 201);
    QVERIFY(customer.json().value(u"delivery"_s).isNull());
    QCOMPARE(customer.json()[u"author"_s][u"name"_s].toString(), QString());
    const HttpClient::Response note = addMessage(
        id, {{u"visibility"_s, u"internal"_s}, {u"body"_s, u"<b>Call back</b> on Monday"_s}});
    QCOMPARE(note.status, 201);
    QVERIFY(note.json().value(u"delivery"_s).isNull());

    const QJsonArray thread =
        m_server->client().get(u"/requests/%1/messages"_s.arg(id)).json()[u"messages"_s].toArray();
    QCOMPARE(thread.size(), 3);
    QCOMPARE(thread.at(0)[u"body"_s].toString(), u"Please unplug it first."_s);
    QCOMPARE(thread.at(1)[u"body"_s].toString(), u"Done, thanks! 🙏"_s);
    QCOMPARE(thread.at(1)[u"author"_s][u"kind"_s].toString(), u"customer"_s);
    // Plain text, stored and returned as sent.
    QCOMPARE(thread.at(2)[u"body"_s].toString(), u"<b>Call back</b> on Monday"_s);
    QCOMPARE(thread.at(2)[u"visibility"_s].toString(), u"internal"_s);
    QCOMPARE(thread.at(0)[u"id"_s].toInteger(), reply.json()[u"id"_s].toInteger());

    // A reply that asks the customer something, and their answer reopening the ticket.
    QCOMPARE(addMessage(id, {{u"body"_s, u"Which model?"_s}, {u"status"_s, u"waiting"_s}}).status,
             201);
    const auto status = [&] {
        return m_server->client().get(u"/requests/%1"_s.arg(id)).json()[u"status"_s].toString();
    };
    QCOMPARE(status(), u"waiting"_s);
    QCOMPARE(addMessage(id, {{u"author"_s, u"customer"_s}, {u"body"_s, u"The X200"_s}}).status,
             201);
    QCOMPARE(status(), u"open"_s);
}

void TestApiMessages::importedAnswerIsListed()
{
    TicketDraft draft =
        TicketDraft::fromSubjectAndBody(u"Refund"_s, u"Charged twice"_s, TicketSource::Import);
    draft.dataset = DatasetInfo{u"Billing and Payments"_s, u"high"_s, u"en"_s,
                                u"We refunded the second charge."_s};
    TicketRepository tickets(m_server->database());
    QVERIFY(tickets.createImported(draft, "k"));
    const qint64 id = tickets.list(TicketQuery{}).items.first().id;
    const QJsonArray thread =
        m_server->client().get(u"/requests/%1/messages"_s.arg(id)).json()[u"messages"_s].toArray();
    QCOMPARE(thread.size(), 1);
    QCOMPARE(thread.at(0)[u"author"_s][u"kind"_s].toString(), u"agent"_s);
    QCOMPARE(thread.at(0)[u"delivery"_s].toString(), u"delivered"_s);
    QCOMPARE(thread.at(0)[u"body"_s].toString(), u"We refunded the second charge."_s);
}

void TestApiMessages::ticketKnowsWhomToAnswer()
{
    const QJsonObject document = m_server->client().get(u"/openapi.json"_s).json();
    const HttpClient::Response created = m_server->client().postJson(
        u"/requests"_s, R"({"text": "Where is my parcel?", "requester": "ann@example.com",)"
                        R"( "thread_ref": "<a1@mail.example.com>"})");
    QCOMPARE(created.status, 201);
    QCOMPARE(created.json().value(u"requester"_s).toString(), u"ann@example.com"_s);
    const qint64 id = created.json().value(u"id"_s).toInteger();
    const QJsonObject read = m_server->client().get(u"/requests/%1"_s.arg(id)).json();
    QCOMPARE(read.value(u"requester"_s).toString(), u"ann@example.com"_s);
    QCOMPARE(read.value(u"thread_ref"_s).toString(), u"<a1@mail.example.com>"_s);
    const QStringList violations = OpenApiSchema::violations(
        read, QJsonObject{{u"$ref"_s, u"#/components/schemas/Ticket"_s}}, document, u"ticket"_s);
    QVERIFY2(violations.isEmpty(), qPrintable(violations.join(u"; "_s)));

    const HttpClient::Response forged = m_server->client().postJson(
        u"/requests"_s, R"({"text": "hi", "requester": "a@b.c\r\nBcc: all@example.com"})");
    QCOMPARE(forged.status, 422);
    QVERIFY(
        forged.json()[u"error"_s][u"details"_s][u"fields"_s].toObject().contains(u"requester"_s));
    const QJsonObject page = m_server->client().get(u"/requests"_s).json();
    QCOMPARE(page.value(u"total"_s).toInteger(), 1); // nothing of the refused one was stored
    QVERIFY(page[u"items"_s][0].toObject().contains(u"thread_ref"_s));
}

void TestApiMessages::invalidMessagesAreNamed_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("field");
    QTest::newRow("no body") << QByteArray(R"({"visibility":"public"})") << u"body"_s;
    QTest::newRow("blank") << QByteArray(R"({"body":" \n "})") << u"body"_s;
    QTest::newRow("control character") << QByteArray(R"({"body":"a\u001bb"})") << u"body"_s;
    QTest::newRow("number") << QByteArray(R"({"body":5})") << u"body"_s;
    QTest::newRow("too long") << (R"({"body":")" + QByteArray(20001, 'a') + R"("})") << u"body"_s;
    QTest::newRow("unknown visibility")
        << QByteArray(R"({"body":"x","visibility":"secret"})") << u"visibility"_s;
    QTest::newRow("agent is the window's")
        << QByteArray(R"({"body":"x","author":"agent"})") << u"author"_s;
    QTest::newRow("customer's note")
        << QByteArray(R"({"body":"x","author":"customer","visibility":"internal"})")
        << u"visibility"_s;
    QTest::newRow("unknown field")
        << QByteArray(R"({"body":"x","delivery":"delivered"})") << u"delivery"_s;
    QTest::newRow("unknown status")
        << QByteArray(R"({"body":"x","status":"pending"})") << u"status"_s;
    QTest::newRow("draft not an object")
        << QByteArray(R"({"body":"x","draft":"remote"})") << u"draft"_s;
    QTest::newRow("draft of an unknown provider")
        << QByteArray(R"({"body":"x","draft":{"provider":"gpt","model":"m","edits":0}})")
        << u"draft.provider"_s;
    QTest::newRow("draft without a model")
        << QByteArray(R"({"body":"x","draft":{"provider":"remote","edits":0}})")
        << u"draft.model"_s;
    QTest::newRow("draft with negative edits")
        << QByteArray(R"({"body":"x","draft":{"provider":"local","model":"m","edits":-1}})")
        << u"draft.edits"_s;
    QTest::newRow("draft with fractional edits")
        << QByteArray(R"({"body":"x","draft":{"provider":"local","model":"m","edits":1.5}})")
        << u"draft.edits"_s;
    QTest::newRow("draft with an unknown field")
        << QByteArray(R"({"body":"x","draft":{"provider":"local","model":"m","edits":1,"x":1}})")
        << u"draft.x"_s;
    QTest::newRow("customer's message from a draft")
        << QByteArray(
               R"({"body":"x","author":"customer","draft":{"provider":"local","model":"m","edits":1}})")
        << u"draft"_s;
}

void TestApiMessages::invalidMessagesAreNamed()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, field);
    const qint64 id = post(u"Printer"_s);
    const HttpClient::Response response =
        m_server->client().postJson(u"/requests/%1/messages"_s.arg(id), body);
    QCOMPARE(response.status, 422);
    QCOMPARE(response.errorCode(), u"validation_failed"_s);
    QVERIFY2(response.json()[u"error"_s][u"details"_s][u"fields"_s].toObject().contains(field),
             response.body.constData());
    // Nothing half-stored.
    QVERIFY(MessageRepository(m_server->database()).list(id).isEmpty());
}

void TestApiMessages::replyFromADraftSaysSo()
{
    const qint64 id = post(u"Printer"_s);
    const HttpClient::Response response = m_server->client().postJson(
        u"/requests/%1/messages"_s.arg(id),
        R"({"body":"Refunded.","draft":{"provider":"remote","model":"gpt-4o-mini","edits":12}})");
    QCOMPARE(response.status, 201);
    QCOMPARE(response.json()[u"draft"_s][u"provider"_s].toString(), u"remote"_s);
    QCOMPARE(response.json()[u"draft"_s][u"edits"_s].toInteger(), 12);
    const QList<TicketMessage> stored = MessageRepository(m_server->database()).list(id);
    QCOMPARE(stored.size(), 1);
    QCOMPARE(stored.first().draft, (DraftOrigin{u"remote"_s, u"gpt-4o-mini"_s, 12}));
    // It counts as sent for the remote provider.
    const QJsonArray drafts =
        m_server->client().get(u"/stats?days=1"_s).json()[u"drafts"_s].toArray();
    QCOMPARE(drafts.size(), 1);
    QCOMPARE(drafts.at(0)[u"sent"_s].toInteger(), 1);
}

void TestApiMessages::unknownTicketIsNotFound()
{
    // An empty segment is no id.
    QCOMPARE(m_server->client()
                 .send("PATCH", u"/requests/1/messages/"_s, R"({"delivery":"failed"})",
                       {{"Content-Type", "application/json"}})
                 .status,
             404);
    for (const QString &path : {u"/requests/999/messages"_s, u"/requests/+1/messages"_s}) {
        QCOMPARE(m_server->client().get(path).status, 404);
        const HttpClient::Response added = m_server->client().postJson(path, R"({"body":"hi"})");
        QCOMPARE(added.status, 404);
        QCOMPARE(added.errorCode(), u"not_found"_s);
    }
}

void TestApiMessages::retriedMessageWithTheSameKeyIsStoredOnce()
{
    const qint64 id = post(u"The printer is on fire"_s);
    const QByteArray body = R"({"author": "customer", "body": "Still burning."})";
    const QString path = u"/requests/%1/messages"_s.arg(id);
    const QList<std::pair<QByteArray, QByteArray>> key{{"Idempotency-Key", "mail-<a1@x>"}};
    const HttpClient::Response first = m_server->client().postJson(path, body, key);
    QCOMPARE(first.status, 201);
    QVERIFY(first.header("Idempotent-Replayed").isEmpty());
    // The same request, its keys in another order: the same message.
    const HttpClient::Response again = m_server->client().postJson(
        path, R"({"body": "Still burning.", "author": "customer"})", key);
    QCOMPARE(again.status, 201);
    QCOMPARE(again.header("Idempotent-Replayed"), QByteArray("true"));
    QCOMPARE(again.json()[u"id"_s].toInteger(), first.json()[u"id"_s].toInteger());
    QCOMPARE(m_server->client().get(path).json()[u"messages"_s].toArray().size(), 1);

    const HttpClient::Response changed =
        m_server->client().postJson(path, R"({"author": "customer", "body": "Out now."})", key);
    QCOMPARE(changed.status, 409);
    const qint64 other = post(u"Another ticket"_s);
    QCOMPARE(m_server->client().postJson(u"/requests/%1/messages"_s.arg(other), body, key).status,
             409);
    const HttpClient::Response malformed =
        m_server->client().postJson(path, body, {{"Idempotency-Key", ""}});
    QCOMPARE(malformed.status, 400);
    QCOMPARE(m_server->client().get(path).json()[u"messages"_s].toArray().size(), 1);
}

void TestApiMessages::addingNeedsTheRepliesScope()
{
    const qint64 id = post(u"Printer"_s);
    // A token that may file and change tickets, but not speak for the team or the customer.
    m_server->client().setBearerToken(makeTestToken(
        m_server->database(), Scope::TicketsRead | Scope::TicketsWrite, u"crm-readonly"_s));
    const HttpClient::Response refused = addMessage(id, {{u"body"_s, u"Hello"_s}});
    QCOMPARE(refused.status, 403);
    QCOMPARE(refused.json()[u"error"_s][u"details"_s][u"required_scope"_s].toString(),
             u"replies:write"_s);
    QCOMPARE(m_server->client().get(u"/requests/%1/messages"_s.arg(id)).status, 200);
    m_server->client().setBearerToken(
        makeTestToken(m_server->database(), Scope::RepliesWrite, u"mail-gateway"_s));
    QCOMPARE(addMessage(id, {{u"body"_s, u"Hello"_s}}).status, 201);
    QCOMPARE(addMessage(id, {{u"visibility"_s, u"internal"_s}, {u"body"_s, u"VIP"_s}}).status, 201);
    // Setting the status with a message is changing the ticket, which needs tickets:write.
    const HttpClient::Response closing =
        addMessage(id, {{u"body"_s, u"Closing"_s}, {u"status"_s, u"closed"_s}});
    QCOMPARE(closing.status, 403);
    QCOMPARE(closing.json()[u"error"_s][u"details"_s][u"required_scope"_s].toString(),
             u"tickets:write"_s);
    // A customer's answer still reopens the ticket: that is the conversation's own rule.
    QCOMPARE(addMessage(id, {{u"author"_s, u"customer"_s}, {u"body"_s, u"Thanks"_s}}).status, 201);
    // Reading the conversation is reading tickets.
    QCOMPARE(m_server->client().get(u"/requests/%1/messages"_s.arg(id)).status, 403);
    // A token that only reads tickets (a customer portal) sees what the customer sees.
    m_server->client().setBearerToken(
        makeTestToken(m_server->database(), Scope::TicketsRead, u"portal"_s));
    const QJsonArray seen =
        m_server->client().get(u"/requests/%1/messages"_s.arg(id)).json()[u"messages"_s].toArray();
    QCOMPARE(seen.size(), 2);
    QCOMPARE(seen.at(0)[u"body"_s].toString(), u"Hello"_s);
}

// A mail gateway reads the pending replies, sends them, and says how it went.
void TestApiMessages::deliveringIntegrationReportsHowItWent()
{
    const qint64 id = post(u"Printer"_s);
    const qint64 reply = addMessage(id, {{u"body"_s, u"Unplug it."_s}}).json()[u"id"_s].toInteger();
    const qint64 note = addMessage(id, {{u"visibility"_s, u"internal"_s}, {u"body"_s, u"Hm."_s}})
                            .json()[u"id"_s]
                            .toInteger();

    HttpClient::Response failed =
        report(id, reply, R"({"delivery":"failed","delivery_error":"550 mailbox unavailable"})");
    QCOMPARE(failed.status, 200);
    QCOMPARE(failed.json()[u"delivery"_s].toString(), u"failed"_s);
    QCOMPARE(failed.json()[u"delivery_error"_s].toString(), u"550 mailbox unavailable"_s);
    const HttpClient::Response delivered = report(id, reply, R"({"delivery":"delivered"})");
    QCOMPARE(delivered.status, 200);
    QCOMPARE(delivered.json()[u"delivery"_s].toString(), u"delivered"_s);
    QVERIFY(!delivered.json().contains(u"delivery_error"_s));
    const QJsonArray thread =
        m_server->client().get(u"/requests/%1/messages"_s.arg(id)).json()[u"messages"_s].toArray();
    QCOMPARE(thread.at(0)[u"delivery"_s].toString(), u"delivered"_s);

    // A note is nobody's to deliver; another ticket's message is not this ticket's.
    const HttpClient::Response onNote = report(id, note, R"({"delivery":"delivered"})");
    QCOMPARE(onNote.status, 409);
    QCOMPARE(onNote.errorCode(), u"conflict"_s);
    const qint64 other = post(u"Other"_s);
    QCOMPARE(report(other, reply, R"({"delivery":"delivered"})").status, 404);
    QCOMPARE(report(id, reply + 100, R"({"delivery":"delivered"})").status, 404);
    QCOMPARE(m_server->client()
                 .send("PATCH", u"/requests/%1/messages/x1"_s.arg(id), R"({"delivery":"failed"})",
                       {{"Content-Type", "application/json"}})
                 .status,
             404);

    // Reporting is the gateway's scope, not a reader's or a ticket writer's.
    m_server->client().setBearerToken(
        makeTestToken(m_server->database(), Scope::TicketsRead | Scope::TicketsWrite, u"crm"_s));
    QCOMPARE(report(id, reply, R"({"delivery":"pending"})").status, 403);
}

void TestApiMessages::invalidDeliveryReportsAreNamed_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("field");
    QTest::newRow("nothing") << QByteArray("{}") << u"delivery"_s;
    QTest::newRow("unknown status") << QByteArray(R"({"delivery":"sent"})") << u"delivery"_s;
    QTest::newRow("reason without failure")
        << QByteArray(R"({"delivery":"delivered","delivery_error":"x"})") << u"delivery_error"_s;
    QTest::newRow("blank reason") << QByteArray(R"({"delivery":"failed","delivery_error":" "})")
                                  << u"delivery_error"_s;
    QTest::newRow("unknown field")
        << QByteArray(R"({"delivery":"failed","body":"x"})") << u"body"_s;
}

void TestApiMessages::invalidDeliveryReportsAreNamed()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, field);
    const qint64 id = post(u"Printer"_s);
    const qint64 reply = addMessage(id, {{u"body"_s, u"Unplug it."_s}}).json()[u"id"_s].toInteger();
    const HttpClient::Response response = report(id, reply, body);
    QCOMPARE(response.status, 422);
    QVERIFY2(response.json()[u"error"_s][u"details"_s][u"fields"_s].toObject().contains(field),
             response.body.constData());
    QCOMPARE(MessageRepository(m_server->database()).list(id).first().delivery,
             DeliveryStatus::Pending);
}

void TestApiMessages::answersMatchTheOpenApiDocument()
{
    const QJsonObject document = m_server->client().get(u"/openapi.json"_s).json();
    const qint64 id = post(u"Printer"_s);
    const HttpClient::Response added =
        addMessage(id, {{u"author"_s, u"customer"_s}, {u"body"_s, u"Still broken"_s}});
    const qint64 reply = addMessage(id, {{u"body"_s, u"On our way"_s}}).json()[u"id"_s].toInteger();
    const HttpClient::Response failed =
        report(id, reply, R"({"delivery":"failed","delivery_error":"timeout"})");
    QCOMPARE(failed.status, 200);
    QStringList violations = OpenApiSchema::violations(
        added.json(), QJsonObject{{u"$ref"_s, u"#/components/schemas/Message"_s}}, document,
        u"message"_s);
    violations += OpenApiSchema::violations(
        failed.json(), QJsonObject{{u"$ref"_s, u"#/components/schemas/Message"_s}}, document,
        u"reported"_s);
    violations +=
        OpenApiSchema::violations(m_server->client().get(u"/requests/%1/messages"_s.arg(id)).json(),
                                  QJsonObject{{u"$ref"_s, u"#/components/schemas/Conversation"_s}},
                                  document, u"conversation"_s);
    QVERIFY2(violations.isEmpty(), qPrintable(violations.join(u"; "_s)));
    const QJsonObject paths = document.value(u"paths"_s).toObject();
    QVERIFY(paths[u"/requests/{id}/messages"_s].toObject().contains(u"post"_s));
}

// A mail gateway that polls: the replies to send, oldest first, each with whom to answer.
void TestApiMessages::gatewayListsTheRepliesToSendAcrossTickets()
{
    const auto file = [this](const QString &text, const QString &requester) {
        return m_server->client()
            .postJson(u"/requests"_s,
                      QJsonDocument(QJsonObject{{u"text"_s, text},
                                                {u"requester"_s, requester},
                                                {u"thread_ref"_s, u"<%1@mail>"_s.arg(requester)}})
                          .toJson())
            .json()
            .value(u"id"_s)
            .toInteger();
    };
    const qint64 printer = file(u"Printer"_s, u"ann@example.com"_s);
    const qint64 invoice = file(u"Invoice"_s, u"bo@example.com"_s);
    const auto reply = [this](qint64 id, const QJsonObject &message) {
        const HttpClient::Response added = addMessage(id, message);
        return added.status == 201 ? added.json()[u"id"_s].toInteger() : 0;
    };
    const qint64 first = reply(printer, {{u"body"_s, u"Unplug it."_s}});
    const qint64 second = reply(invoice, {{u"body"_s, u"Refunded."_s}});
    QVERIFY(reply(printer, {{u"visibility"_s, u"internal"_s}, {u"body"_s, u"Hm."_s}}));
    QVERIFY(reply(printer, {{u"author"_s, u"customer"_s}, {u"body"_s, u"Done"_s}}));
    const qint64 third = reply(printer, {{u"body"_s, u"Good to hear."_s}});
    QVERIFY(first && second && third);

    const auto ids = [](const QJsonObject &page) {
        QList<qint64> result;
        for (const QJsonValue &item : page[u"items"_s].toArray())
            result.append(item[u"id"_s].toInteger());
        return result;
    };
    const QJsonObject pending = m_server->client().get(u"/replies"_s).json();
    QCOMPARE(ids(pending), (QList<qint64>{first, second, third}));
    QVERIFY(pending[u"next_cursor"_s].isNull());
    const QJsonObject toBo = pending[u"items"_s][1].toObject();
    QCOMPARE(toBo[u"body"_s].toString(), u"Refunded."_s);
    QCOMPARE(toBo[u"delivery"_s].toString(), u"pending"_s);
    QCOMPARE(toBo[u"request"_s][u"id"_s].toInteger(), invoice);
    QCOMPARE(toBo[u"request"_s][u"requester"_s].toString(), u"bo@example.com"_s);
    QCOMPARE(toBo[u"request"_s][u"thread_ref"_s].toString(), u"<bo@example.com@mail>"_s);
    QCOMPARE(toBo[u"request"_s][u"subject"_s].toString(), QString());

    // Page by page, each reply once.
    const QJsonObject firstPage = m_server->client().get(u"/replies?limit=2"_s).json();
    QCOMPARE(ids(firstPage), (QList<qint64>{first, second}));
    const QString cursor = firstPage[u"next_cursor"_s].toString();
    QVERIFY(!cursor.isEmpty());
    const QJsonObject lastPage =
        m_server->client().get(u"/replies?limit=2&cursor="_s + cursor).json();
    QCOMPARE(ids(lastPage), QList<qint64>{third});
    QVERIFY(lastPage[u"next_cursor"_s].isNull());

    // Reported deliveries leave the pending list and are found under their status.
    QCOMPARE(report(printer, first, R"({"delivery":"delivered"})").status, 200);
    QCOMPARE(report(invoice, second, R"({"delivery":"failed","delivery_error":"550"})").status,
             200);
    QCOMPARE(ids(m_server->client().get(u"/replies"_s).json()), QList<qint64>{third});
    QCOMPARE(ids(m_server->client().get(u"/replies?delivery=failed"_s).json()),
             QList<qint64>{second});
    QCOMPARE(ids(m_server->client().get(u"/replies?delivery=delivered"_s).json()),
             QList<qint64>{first});

    const QJsonObject document = m_server->client().get(u"/openapi.json"_s).json();
    QStringList violations;
    for (const QJsonValue &item : pending[u"items"_s].toArray())
        violations += OpenApiSchema::violations(
            item.toObject(), QJsonObject{{u"$ref"_s, u"#/components/schemas/OutgoingReply"_s}},
            document, u"reply"_s);
    QVERIFY2(violations.isEmpty(), qPrintable(violations.join(u"; "_s)));
}

void TestApiMessages::listingRepliesIsCheckedAtTheEdge()
{
    const auto fields = [this](const QString &query) {
        const HttpClient::Response answer = m_server->client().get(u"/replies?"_s + query);
        return answer.status == 400
                   ? answer.json()[u"error"_s][u"details"_s][u"fields"_s].toObject().keys()
                   : QStringList{QString::number(answer.status)};
    };
    QCOMPARE(fields(u"delivery=sent"_s), QStringList{u"delivery"_s});
    QCOMPARE(fields(u"limit=0"_s), QStringList{u"limit"_s});
    QCOMPARE(fields(u"limit=501"_s), QStringList{u"limit"_s});
    QCOMPARE(fields(u"cursor=abc"_s), QStringList{u"cursor"_s});
    QCOMPARE(fields(u"order=newest"_s), QStringList{u"order"_s});
    QCOMPARE(fields(u"delivery=failed&limit=500"_s), QStringList{u"200"_s});

    // The replies come with whom they answer: both the gateway's scopes.
    m_server->client().setBearerToken(
        makeTestToken(m_server->database(), Scope::RepliesWrite, u"relay"_s));
    HttpClient::Response refused = m_server->client().get(u"/replies"_s);
    QCOMPARE(refused.status, 403);
    QCOMPARE(refused.json()[u"error"_s][u"details"_s][u"required_scope"_s].toString(),
             u"tickets:read"_s);
    m_server->client().setBearerToken(
        makeTestToken(m_server->database(), Scope::TicketsRead, u"portal"_s));
    refused = m_server->client().get(u"/replies"_s);
    QCOMPARE(refused.status, 403);
    QCOMPARE(refused.json()[u"error"_s][u"details"_s][u"required_scope"_s].toString(),
             u"replies:write"_s);
    m_server->client().setBearerToken({});
    QCOMPARE(m_server->client().get(u"/replies"_s).status, 401);
}

QTEST_MAIN(TestApiMessages)
#include "tst_apimessages.moc"
