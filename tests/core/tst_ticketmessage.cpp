#include "ticketmessage.h"

#include <QTest>

using namespace Qt::StringLiterals;

class TestTicketMessage : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void namesRoundTrip();
    void onlyTheTeamsPublicRepliesAreDelivered();
    void statusAfterTheMessage();
    void editDistance_data();
    void editDistance();
    void bodyIsReadablePlainText_data();
    void bodyIsReadablePlainText();
};

void TestTicketMessage::namesRoundTrip()
{
    for (const MessageAuthor author :
         {MessageAuthor::Customer, MessageAuthor::Agent, MessageAuthor::Integration})
        QCOMPARE(messageAuthorFromName(QString(messageAuthorName(author))), author);
    for (const MessageVisibility visibility :
         {MessageVisibility::Public, MessageVisibility::Internal})
        QCOMPARE(messageVisibilityFromName(QString(messageVisibilityName(visibility))), visibility);
    for (const DeliveryStatus status :
         {DeliveryStatus::Pending, DeliveryStatus::Delivered, DeliveryStatus::Failed})
        QCOMPARE(deliveryStatusFromName(QString(deliveryStatusName(status))), status);
    QCOMPARE(messageVisibilityName(MessageVisibility::Internal), "internal"_L1);
    QCOMPARE(messageAuthorFromName(u"Agent"_s), std::nullopt); // names are exact
    QCOMPARE(deliveryStatusFromName(u"sent"_s), std::nullopt);
}

void TestTicketMessage::statusAfterTheMessage()
{
    TicketMessage reply;
    QCOMPARE(reply.statusAfter(TicketStatus::Open, std::nullopt), std::nullopt);
    QCOMPARE(reply.statusAfter(TicketStatus::Open, TicketStatus::Waiting), TicketStatus::Waiting);
    QCOMPARE(reply.statusAfter(TicketStatus::Waiting, TicketStatus::Waiting), std::nullopt);
    // The team's reply on a waiting ticket does not reopen it by itself.
    QCOMPARE(reply.statusAfter(TicketStatus::Waiting, std::nullopt), std::nullopt);
    TicketMessage customer;
    customer.author = MessageAuthor::Customer;
    QCOMPARE(customer.statusAfter(TicketStatus::Waiting, std::nullopt), TicketStatus::Open);
    QCOMPARE(customer.statusAfter(TicketStatus::Resolved, std::nullopt), TicketStatus::Open);
    QCOMPARE(customer.statusAfter(TicketStatus::Closed, std::nullopt), std::nullopt);
    QCOMPARE(customer.statusAfter(TicketStatus::InProgress, std::nullopt), std::nullopt);
    // What the relaying integration asks for wins.
    QCOMPARE(customer.statusAfter(TicketStatus::Waiting, TicketStatus::Resolved),
             TicketStatus::Resolved);
}

void TestTicketMessage::editDistance_data()
{
    QTest::addColumn<QString>("draft");
    QTest::addColumn<QString>("sent");
    QTest::addColumn<qint64>("edits");
    QTest::newRow("sent as drafted") << u"Please restart it."_s << u"Please restart it."_s << 0ll;
    QTest::newRow("nothing left") << u"abc"_s << QString() << 3ll;
    QTest::newRow("written from nothing") << QString() << u"abcd"_s << 4ll;
    QTest::newRow("kitten") << u"kitten"_s << u"sitting"_s << 3ll;
    QTest::newRow("greeting changed")
        << u"Hello <name>, please restart it."_s << u"Hello Dana, please restart it."_s << 5ll;
    QTest::newRow("sentence added") << u"Restart it."_s << u"Restart it. Then try again."_s << 16ll;
    QTest::newRow("all different") << u"abc"_s << u"xyz"_s << 3ll;
}

void TestTicketMessage::editDistance()
{
    QFETCH(QString, draft);
    QFETCH(QString, sent);
    QFETCH(qint64, edits);
    QCOMPARE(DraftOrigin::editDistance(draft, sent), edits);
    QCOMPARE(DraftOrigin::editDistance(sent, draft), edits);
}

void TestTicketMessage::onlyTheTeamsPublicRepliesAreDelivered()
{
    QVERIFY(TicketMessage::isDelivered(MessageAuthor::Agent, MessageVisibility::Public));
    QVERIFY(TicketMessage::isDelivered(MessageAuthor::Integration, MessageVisibility::Public));
    QVERIFY(!TicketMessage::isDelivered(MessageAuthor::Customer, MessageVisibility::Public));
    QVERIFY(!TicketMessage::isDelivered(MessageAuthor::Agent, MessageVisibility::Internal));
}

void TestTicketMessage::bodyIsReadablePlainText_data()
{
    QTest::addColumn<QString>("body");
    QTest::addColumn<QString>("problem");
    QTest::newRow("reply") << u"Thanks, fixed.\n\n— Alice 👋"_s << QString();
    QTest::newRow("html stays text") << u"<b>not bold</b>"_s << QString();
    QTest::newRow("blank") << u" \n\t\u200b"_s << u"must not be blank"_s;
    QTest::newRow("escape sequence") << u"hi \x1b[31m"_s << u"must not contain control"_s;
    QTest::newRow("lone surrogate") << QString(QChar(0xd800)) << u"valid Unicode"_s;
    QTest::newRow("longest") << QString(TicketMessage::kMaxBodyLength, u'a') << QString();
    QTest::newRow("too long") << QString(TicketMessage::kMaxBodyLength + 1, u'a')
                              << u"at most 20000"_s;
}

void TestTicketMessage::bodyIsReadablePlainText()
{
    QFETCH(QString, body);
    QFETCH(QString, problem);
    TicketMessage message;
    message.body = body;
    const FieldErrors errors = message.validate();
    if (problem.isEmpty()) {
        QVERIFY(errors.isEmpty());
        return;
    }
    QCOMPARE(errors.size(), 1);
    QCOMPARE(errors.first().field, u"body"_s);
    QVERIFY2(errors.first().message.contains(problem), qPrintable(errors.first().message));
}

QTEST_APPLESS_MAIN(TestTicketMessage)
#include "tst_ticketmessage.moc"
