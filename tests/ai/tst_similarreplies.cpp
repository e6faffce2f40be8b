// Local drafts: replies of answered tickets that read like the one being answered, from a real
// database's full-text index.
#include "messagerepository.h"
#include "similarreplies.h"
#include "temporarydatabase.h"
#include "ticketrepository.h"

#include <QTest>

using namespace Qt::StringLiterals;

class TestSimilarReplies : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void queryWordsAreTheTellingOnes();
    void similarityComparesStems();
    void mostAlikeReplyComesFirstRedacted();
    void nothingAlikeSuggestsNothing();

private:
    qint64 answered(const QString &text, const QString &reply);

    std::unique_ptr<TemporaryDatabase> m_temporary;
};

void TestSimilarReplies::init()
{
    m_temporary = std::make_unique<TemporaryDatabase>();
}

void TestSimilarReplies::cleanup()
{
    m_temporary.reset();
}

qint64 TestSimilarReplies::answered(const QString &text, const QString &reply)
{
    const qint64 id = TicketRepository(m_temporary->database())
                          .create(TicketDraft::fromText(text, TicketSource::Api))
                          .id;
    if (!reply.isEmpty()) {
        TicketMessage message;
        message.ticketId = id;
        message.authorName = u"bob"_s;
        message.body = reply;
        MessageRepository(m_temporary->database()).add(message, Actor::user(u"bob"_s));
    }
    return id;
}

void TestSimilarReplies::queryWordsAreTheTellingOnes()
{
    QCOMPARE(
        SimilarReplies::queryWords(u"Hello, the VPN client disconnects and the VPN is down. "
                                   "Bitte helfen Sie uns."_s),
        (QStringList{u"disconnects"_s, u"client"_s, u"helfen"_s, u"down"_s, u"vpn"_s, u"uns"_s}));
    QVERIFY(SimilarReplies::queryWords(u"a an the of"_s).isEmpty());
    QString many;
    for (int i = 0; i < 30; ++i)
        many += u"word%1 "_s.arg(i);
    QCOMPARE(SimilarReplies::queryWords(many).size(), 12);
}

void TestSimilarReplies::similarityComparesStems()
{
    QCOMPARE(SimilarReplies::similarity(u"Invoices were charged twice"_s,
                                        u"the invoice was charged twice"_s),
             1.0);
    QCOMPARE(SimilarReplies::similarity(u"printer broken"_s, u"refund please"_s), 0.0);
    const double partly =
        SimilarReplies::similarity(u"printer driver install fails"_s, u"printer driver missing"_s);
    QVERIFY(partly > 0.5 && partly < 1.0);
    QCOMPARE(SimilarReplies::similarity(QString(), u"anything"_s), 0.0);
}

void TestSimilarReplies::mostAlikeReplyComesFirstRedacted()
{
    const qint64 best = answered(u"VPN client disconnects every five minutes since the update"_s,
                                 u"Please install client 4.2; write to ops@example.com or call "
                                 "+49 30 1234567 if it persists."_s);
    const qint64 second = answered(u"VPN client cannot connect at all"_s, u"Check the token."_s);
    answered(u"VPN disconnects every few minutes after the update"_s, QString()); // unanswered
    answered(u"Refund for the cancelled subscription"_s, u"Refunded."_s);
    const QString text = u"Our VPN client disconnects every five minutes after the update"_s;
    const qint64 self = answered(text, u"Looking into it"_s);

    MessageRepository messages(m_temporary->database());
    const QList<ReplySuggestion> suggestions = SimilarReplies::find(messages, text, self);
    QCOMPARE(suggestions.size(), 2);
    QCOMPARE(suggestions.at(0).ticketId, best);
    QCOMPARE(suggestions.at(1).ticketId, second);
    QVERIFY(suggestions.at(0).similarity > suggestions.at(1).similarity);
    QVERIFY(suggestions.at(0).similarity <= 1.0);
    // Written to another customer: their address and number stay with them.
    QVERIFY(!suggestions.at(0).reply.contains(u"ops@example.com"_s));
    QVERIFY(!suggestions.at(0).reply.contains(u"1234567"_s));
    QVERIFY(suggestions.at(0).reply.startsWith(u"Please install client 4.2"_s));
}

void TestSimilarReplies::nothingAlikeSuggestsNothing()
{
    answered(u"Refund for the cancelled subscription"_s, u"Refunded."_s);
    const qint64 self = answered(u"Printer is on fire"_s, QString());
    MessageRepository messages(m_temporary->database());
    QVERIFY(SimilarReplies::find(messages, u"Printer is on fire"_s, self).isEmpty());
}

QTEST_GUILESS_MAIN(TestSimilarReplies)
#include "tst_similarreplies.moc"
