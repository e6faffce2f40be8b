// Drafted replies over the API: streamed as server-sent events while the model writes them, the
// similar tickets' replies without a remote model or when it fails, and the model stopped when
// the client leaves.
#include "eventstreamclient.h"
#include "fakellmserver.h"
#include "messagerepository.h"
#include "replydrafter.h"
#include "runningserver.h"
#include "testtoken.h"

#include <QJsonArray>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using Behaviour = FakeLlmServer::Behaviour;

class TestApiDrafts : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void localDraftOffersSimilarTicketsReplies();
    void remoteDraftStreamsWhileTheModelWrites();
    void clientLeavingStopsTheModel();
    void remoteFailureBeforeTextFallsBackToSimilarTickets();
    void refusalsAreJsonBeforeAnyStream();

private:
    qint64 post(const QString &text);
    void useRemoteModel(std::chrono::milliseconds timeout = 2s);
    QUrl draftUrl(qint64 ticketId) const
    {
        return m_server->baseUrl().resolved(QUrl(u"/requests/%1/draft"_s.arg(ticketId)));
    }

    std::unique_ptr<RunningServer> m_server;
    std::unique_ptr<FakeLlmServer> m_llm;
    std::unique_ptr<ReplyDrafter> m_drafter;
    QNetworkAccessManager m_manager;
    qint64 m_answered = 0;
    qint64 m_asking = 0;
};

void TestApiDrafts::init()
{
    m_server = std::make_unique<RunningServer>();
    QVERIFY(m_server->isListening());
    // An answered ticket like the one asking, and the reply it got.
    m_answered = post(u"My invoice was charged twice this month, please refund the payment"_s);
    TicketMessage reply;
    reply.ticketId = m_answered;
    reply.authorName = u"ada"_s;
    reply.body = u"We refunded the second payment; write to ada@example.com if it is not back."_s;
    QVERIFY(MessageRepository(m_server->database()).add(reply, Actor::user(u"ada"_s)));
    m_asking = post(u"The invoice charged my card twice, I need a refund of the payment"_s);
    QVERIFY(m_asking > 0);
}

void TestApiDrafts::cleanup()
{
    if (m_server)
        m_server->tickets().setDrafter(nullptr);
    m_drafter.reset();
    m_llm.reset();
    m_server.reset();
}

qint64 TestApiDrafts::post(const QString &text)
{
    const HttpClient::Response response = m_server->client().postJson(
        u"/requests"_s, QJsonDocument(QJsonObject{{u"text"_s, text}}).toJson());
    return response.status == 201 ? response.json().value(u"id"_s).toInteger() : 0;
}

void TestApiDrafts::useRemoteModel(std::chrono::milliseconds timeout)
{
    m_llm = std::make_unique<FakeLlmServer>();
    QVERIFY(m_llm->isListening());
    ClassificationOptions options;
    options.llm.baseUrl = m_llm->baseUrl();
    options.llm.model = u"draft-model"_s;
    options.llm.timeout = timeout;
    options.llm.maxAttempts = 1;
    m_drafter = std::make_unique<ReplyDrafter>(options);
    m_server->tickets().setDrafter(m_drafter.get());
}

void TestApiDrafts::localDraftOffersSimilarTicketsReplies()
{
    EventStreamClient client(m_manager, "POST", draftUrl(m_asking), m_server->token(), "{}");
    QTRY_VERIFY(client.finished());
    QCOMPARE(client.status(), 200);
    QVERIFY(client.reply()
                ->header(QNetworkRequest::ContentTypeHeader)
                .toString()
                .startsWith(u"text/event-stream"_s));
    QCOMPARE(client.reply()->rawHeader("Cache-Control"), "no-store");
    QCOMPARE(client.types(), (QStringList{u"draft"_s, u"suggestion"_s, u"done"_s}));
    QCOMPARE(client.data(0)[u"provider"_s].toString(), u"local"_s);
    const QJsonObject suggestion = client.data(1);
    QCOMPARE(suggestion[u"ticket_id"_s].toInteger(), m_answered);
    QVERIFY(suggestion[u"similarity"_s].toDouble() > 0);
    // Written to another customer: their address does not travel.
    QVERIFY(suggestion[u"reply"_s].toString().contains(u"We refunded the second payment"_s));
    QVERIFY(!suggestion[u"reply"_s].toString().contains(u"ada@example.com"_s));
    QCOMPARE(client.data(2)[u"complete"_s].toBool(), true);

    // Offered to the token, for the local provider's acceptance rate.
    const QJsonArray drafts =
        m_server->client().get(u"/stats?days=1"_s).json()[u"drafts"_s].toArray();
    QCOMPARE(drafts.size(), 1);
    QCOMPARE(drafts.at(0)[u"provider"_s].toString(), u"local"_s);
    QCOMPARE(drafts.at(0)[u"offered"_s].toInteger(), 1);
}

void TestApiDrafts::remoteDraftStreamsWhileTheModelWrites()
{
    useRemoteModel();
    m_llm->enqueue(Behaviour::stream({u"Hello"_s, u" there,"_s, u" refunded."_s}, 300ms));
    EventStreamClient client(m_manager, "POST", draftUrl(m_asking), m_server->token(), "{}");
    QTRY_VERIFY_WITH_TIMEOUT(client.finished(), 10000);
    QCOMPARE(client.types().first(), u"draft"_s);
    QCOMPARE(client.data(0)[u"provider"_s].toString(), u"remote"_s);
    QCOMPARE(client.data(0)[u"model"_s].toString(), u"draft-model"_s);
    QString text;
    for (qsizetype i = 0; i < client.events().size(); ++i) {
        if (client.events().at(i).type == u"text")
            text += client.data(i)[u"text"_s].toString();
    }
    QCOMPARE(text, u"Hello there, refunded."_s);
    QCOMPARE(client.types().last(), u"done"_s);
    QCOMPARE(client.data(client.events().size() - 1)[u"complete"_s].toBool(), true);
    QCOMPARE(client.indexOf(u"suggestion"_s), -1);
    // The first words came while the model was still writing the rest.
    const qsizetype firstText = client.indexOf(u"text"_s);
    QVERIFY(client.arrivedMs(client.events().size() - 1) - client.arrivedMs(firstText) >= 400);
    // What the model saw is the ticket, redacted like a classification.
    QCOMPARE(m_llm->requestCount(), 1);
    QVERIFY(m_llm->requests().first().json()[u"stream"_s].toBool());
}

void TestApiDrafts::clientLeavingStopsTheModel()
{
    useRemoteModel();
    m_llm->enqueue(Behaviour::stream(
        {u"One"_s, u" two"_s, u" three"_s, u" four"_s, u" five"_s, u" six"_s}, 200ms));
    QSignalSpy sent(m_llm.get(), &FakeLlmServer::streamEventSent);
    auto client = std::make_unique<EventStreamClient>(m_manager, "POST", draftUrl(m_asking),
                                                      m_server->token(), "{}");
    QTRY_VERIFY(client->indexOf(u"text"_s) >= 0);
    client->reply()->abort();
    const qsizetype sentWhenLeft = sent.size();
    // The server notices, cancels the draft, and the model's connection is closed: at most the
    // event already on its way is written after that.
    QTest::qWait(900);
    QVERIFY2(sent.size() <= sentWhenLeft + 1,
             qPrintable(u"%1 events after leaving"_s.arg(sent.size() - sentWhenLeft)));
    QVERIFY(sent.size() < 8);
    // The server goes on answering.
    QCOMPARE(m_server->client().get(u"/requests/%1"_s.arg(m_asking)).status, 200);
}

void TestApiDrafts::remoteFailureBeforeTextFallsBackToSimilarTickets()
{
    useRemoteModel();
    m_llm->setDefaultBehaviour(Behaviour::internalError());
    EventStreamClient client(m_manager, "POST", draftUrl(m_asking), m_server->token(), "{}");
    QTRY_VERIFY_WITH_TIMEOUT(client.finished(), 10000);
    QCOMPARE(client.types(), (QStringList{u"draft"_s, u"error"_s, u"suggestion"_s, u"done"_s}));
    QVERIFY(!client.data(1)[u"message"_s].toString().isEmpty());
    QCOMPARE(client.data(2)[u"ticket_id"_s].toInteger(), m_answered);
    QCOMPARE(client.data(3)[u"complete"_s].toBool(), false);
}

void TestApiDrafts::refusalsAreJsonBeforeAnyStream()
{
    const auto draft = [this](const QString &path, const QByteArray &body,
                              const QByteArray &token = {}) {
        QList<std::pair<QByteArray, QByteArray>> headers;
        if (!token.isEmpty())
            headers.append({"Authorization", "Bearer " + token});
        return m_server->client().postJson(path, body, headers);
    };
    HttpClient::Response response = draft(u"/requests/999999/draft"_s, "{}");
    QCOMPARE(response.status, 404);
    QCOMPARE(response.errorCode(), u"not_found"_s);
    QVERIFY(response.header("Content-Type").startsWith("application/json"));

    response = draft(u"/requests/%1/draft"_s.arg(m_asking), R"({"tone": "friendly"})");
    QCOMPARE(response.status, 422);
    QCOMPARE(response.json()[u"error"_s][u"details"_s][u"fields"_s].toObject().keys(),
             QStringList{u"tone"_s});

    const QByteArray relay = makeTestToken(m_server->database(), Scope::RepliesWrite, u"relay"_s);
    response = draft(u"/requests/%1/draft"_s.arg(m_asking), "{}", relay);
    QCOMPARE(response.status, 403);
    const QByteArray reader = makeTestToken(m_server->database(), Scope::TicketsRead, u"crm"_s);
    response = draft(u"/requests/%1/draft"_s.arg(m_asking), "{}", reader);
    QCOMPARE(response.status, 403);
    // None of them was offered a draft.
    QVERIFY(m_server->client().get(u"/stats?days=1"_s).json()[u"drafts"_s].toArray().isEmpty());
}

QTEST_MAIN(TestApiDrafts)
#include "tst_apidrafts.moc"
