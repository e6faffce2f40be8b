// What a remote model is told when it drafts a reply: never an internal note, never personal
// data, and each part short enough for the first words to come quickly.
#include "replyprompt.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;

class TestReplyPrompt : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void contextIsTheConversationWithoutNotes();
    void personalDataIsRedactedEvenWhereATextIsCut();
    void requestAsksForAStream();
};

namespace {

TicketMessage said(MessageAuthor author, const QString &body,
                   MessageVisibility visibility = MessageVisibility::Public)
{
    TicketMessage message;
    message.author = author;
    message.visibility = visibility;
    message.body = body;
    return message;
}

} // namespace

void TestReplyPrompt::contextIsTheConversationWithoutNotes()
{
    DraftContext context;
    context.ticket.body = u"The VPN drops every five minutes."_s;
    context.ticket.category = Category::Technical;
    context.messages = {
        said(MessageAuthor::Agent, u"Which client version?"_s),
        said(MessageAuthor::Customer, u"Version 4.1."_s),
        said(MessageAuthor::Agent, u"Known bug, escalate"_s, MessageVisibility::Internal)};
    context.similar = {{7, u"VPN drops"_s, 0.8, u"Install 4.2."_s, Category::Technical}};
    const QString message = ReplyPrompt::userMessage(context);
    QVERIFY(message.contains(u"Category: technical"_s));
    QVERIFY(message.indexOf(u"The VPN drops"_s) < message.indexOf(u"Which client version?"_s));
    QVERIFY(message.indexOf(u"Which client version?"_s) < message.indexOf(u"Version 4.1."_s));
    QVERIFY(!message.contains(u"Known bug"_s));
    QVERIFY(message.contains(u"Install 4.2."_s));
}

void TestReplyPrompt::personalDataIsRedactedEvenWhereATextIsCut()
{
    DraftContext context;
    // The address straddles the cut: redacting after cutting would send half of it.
    const QString padding(ReplyPrompt::kMaxPartLength - 10, u'x');
    context.ticket.body = padding + u" dana.smith@example.com and more"_s;
    context.messages = {said(MessageAuthor::Customer, u"Call me on +49 30 1234567."_s)};
    const QString message = ReplyPrompt::userMessage(context);
    QVERIFY(!message.contains(u"dana"_s));
    QVERIFY(!message.contains(u"1234567"_s));
    QVERIFY(message.contains(u"<tel_num>"_s));
    // A part is cut, and never inside a character.
    DraftContext emoji;
    emoji.ticket.body = QString(ReplyPrompt::kMaxPartLength - 1, u'a') + u"😀😀"_s;
    const QString cut = ReplyPrompt::userMessage(emoji);
    QVERIFY(QStringView(cut).isValidUtf16());
    QVERIFY(!cut.contains(u"😀"_s));
}

void TestReplyPrompt::requestAsksForAStream()
{
    const QJsonObject request =
        QJsonDocument::fromJson(ReplyPrompt::request(u"gpt-test"_s, DraftContext{})).object();
    QCOMPARE(request.value(u"model"_s).toString(), u"gpt-test"_s);
    QCOMPARE(request.value(u"stream"_s).toBool(), true);
    const QJsonArray messages = request.value(u"messages"_s).toArray();
    QCOMPARE(messages.size(), 2);
    QCOMPARE(messages.at(0)[u"content"_s].toString(), ReplyPrompt::systemPrompt());
}

QTEST_APPLESS_MAIN(TestReplyPrompt)
#include "tst_replyprompt.moc"
