// Streamed answers over the same transport as classification: text arrives as the server writes
// it, silence ends a stream, and nothing is repeated by a retry.
#include "fakellmserver.h"
#include "llmclient.h"
#include "llmprotocol.h"

#include <QElapsedTimer>
#include <QFutureWatcher>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using Behaviour = FakeLlmServer::Behaviour;
using StreamEnd = FakeLlmServer::Behaviour::StreamEnd;

Q_DECLARE_METATYPE(FakeLlmServer::Behaviour)

class TestLlmStreaming : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void piecesArriveInOrderAndComplete();
    void textArrivesWhileTheModelWrites();
    void aLongAnswerIsNotCutByItsLength();
    void silenceBetweenChunksEndsTheStream();
    void failureBeforeTheFirstTextIsRetried();
    void failureAfterTextIsNotRetried_data();
    void failureAfterTextIsNotRetried();
    void cancellingStopsTheRequest();
    void openBreakerRefusesAtOnce();
    void keyNeverReachesTheError();

private:
    LlmSettings settings() const;
    struct Collected
    {
        QString text;
        QStringList errors;
        bool finished = false;
    };
    static Collected waitFor(QFuture<LlmStreamPart> future);
    static QByteArray request()
    {
        return LlmProtocol::buildStreamRequest(u"m"_s, u"s"_s, u"u"_s, 0.3);
    }

    std::unique_ptr<FakeLlmServer> m_server;
};

void TestLlmStreaming::init()
{
    m_server = std::make_unique<FakeLlmServer>();
    QVERIFY(m_server->isListening());
}

void TestLlmStreaming::cleanup()
{
    m_server.reset();
}

LlmSettings TestLlmStreaming::settings() const
{
    LlmSettings settings;
    settings.baseUrl = m_server->baseUrl();
    settings.model = u"test-model"_s;
    settings.apiKey = u"sk-secret-streaming-key"_s;
    settings.timeout = 300ms;
    settings.maxAttempts = 3;
    settings.backoffBase = 10ms;
    settings.backoffMax = 40ms;
    settings.breakerFailureThreshold = 3;
    settings.breakerOpenDuration = 5s;
    return settings;
}

TestLlmStreaming::Collected TestLlmStreaming::waitFor(QFuture<LlmStreamPart> future)
{
    Collected collected;
    collected.finished = QTest::qWaitFor([&] { return future.isFinished(); }, 10000);
    for (const LlmStreamPart &part : future.results()) {
        collected.text += part.text;
        if (part.isError())
            collected.errors.append(part.error);
    }
    return collected;
}

void TestLlmStreaming::piecesArriveInOrderAndComplete()
{
    m_server->enqueue(Behaviour::stream({u"Hello Dana,"_s, u" please "_s, u"try again 🙂"_s}));
    LlmClient client(settings());
    const Collected got = waitFor(client.stream(request()));
    QVERIFY(got.finished);
    QCOMPARE(got.errors, QStringList());
    QCOMPARE(got.text, u"Hello Dana, please try again 🙂"_s);
    QCOMPARE(m_server->requestCount(), 1);
    const FakeLlmServer::ReceivedRequest &sent = m_server->requests().first();
    QCOMPARE(sent.header("Accept"), "text/event-stream"_ba);
    QCOMPARE(sent.header("Authorization"), "Bearer sk-secret-streaming-key"_ba);
    QCOMPARE(sent.json().value(u"stream"_s).toBool(), true);
    QCOMPARE(client.breakerState(), CircuitBreaker::State::Closed);
}

void TestLlmStreaming::textArrivesWhileTheModelWrites()
{
    m_server->enqueue(Behaviour::stream({u"First"_s, u" second"_s, u" third"_s}, 150ms));
    LlmClient client(settings());
    QFuture<LlmStreamPart> future = client.stream(request());
    QElapsedTimer sinceSent;
    connect(m_server.get(), &FakeLlmServer::streamEventSent, this, [&](int index) {
        if (index == 1)
            sinceSent.start();
    });
    QTRY_VERIFY(future.resultCount() >= 1);
    QVERIFY(!future.isFinished());
    QCOMPARE(future.resultAt(0).text, u"First"_s);
    QVERIFY(sinceSent.isValid() && sinceSent.elapsed() < 100);
    QVERIFY(waitFor(future).errors.isEmpty());
}

void TestLlmStreaming::aLongAnswerIsNotCutByItsLength()
{
    // Eight pieces 100 ms apart: longer in all than the 300 ms timeout, never silent that long.
    QStringList pieces;
    for (int i = 0; i < 8; ++i)
        pieces.append(u"piece %1. "_s.arg(i));
    m_server->enqueue(Behaviour::stream(pieces, 100ms));
    LlmClient client(settings());
    const Collected got = waitFor(client.stream(request()));
    QCOMPARE(got.errors, QStringList());
    QCOMPARE(got.text, pieces.join(QString()));
}

void TestLlmStreaming::silenceBetweenChunksEndsTheStream()
{
    m_server->enqueue(Behaviour::streamInterrupted({u"Hi"_s}, StreamEnd::Silence));
    LlmClient client(settings());
    QElapsedTimer timer;
    timer.start();
    const Collected got = waitFor(client.stream(request()));
    QVERIFY(got.finished);
    QCOMPARE(got.text, u"Hi"_s);
    QCOMPARE(got.errors.size(), 1);
    QVERIFY2(got.errors.first().contains(u"after 2 character"_s), qPrintable(got.errors.first()));
    QVERIFY(timer.elapsed() >= 250);
    QCOMPARE(m_server->requestCount(), 1);
}

void TestLlmStreaming::failureBeforeTheFirstTextIsRetried()
{
    m_server->enqueue(Behaviour::internalError());
    m_server->enqueue(Behaviour::streamMalformed({}));
    m_server->enqueue(Behaviour::stream({u"Recovered"_s}));
    LlmClient client(settings());
    const Collected got = waitFor(client.stream(request()));
    QCOMPARE(got.errors, QStringList());
    QCOMPARE(got.text, u"Recovered"_s);
    QCOMPARE(m_server->requestCount(), 3);
}

void TestLlmStreaming::failureAfterTextIsNotRetried_data()
{
    QTest::addColumn<Behaviour>("behaviour");
    QTest::addColumn<QString>("errorMentions");
    QTest::newRow("reset") << Behaviour::streamInterrupted({u"Part"_s}, StreamEnd::Reset)
                           << u"stopped after 4"_s;
    QTest::newRow("closed early") << Behaviour::streamInterrupted({u"Part"_s}, StreamEnd::Close)
                                  << u"ended before"_s;
    QTest::newRow("malformed") << Behaviour::streamMalformed({u"Part"_s}) << u"Unusable stream"_s;
}

void TestLlmStreaming::failureAfterTextIsNotRetried()
{
    QFETCH(Behaviour, behaviour);
    QFETCH(QString, errorMentions);
    m_server->enqueue(behaviour);
    m_server->setDefaultBehaviour(Behaviour::stream({u"Part again"_s}));
    LlmClient client(settings());
    const Collected got = waitFor(client.stream(request()));
    QCOMPARE(got.text, u"Part"_s); // never twice
    QCOMPARE(got.errors.size(), 1);
    QVERIFY2(got.errors.first().contains(errorMentions), qPrintable(got.errors.first()));
    QCOMPARE(m_server->requestCount(), 1);
}

void TestLlmStreaming::cancellingStopsTheRequest()
{
    m_server->enqueue(Behaviour::stream({u"One"_s, u" two"_s, u" three"_s, u" four"_s}, 200ms));
    LlmClient client(settings());
    QFuture<LlmStreamPart> future = client.stream(request());
    QTRY_VERIFY(future.resultCount() >= 1);
    future.cancel();
    QTRY_VERIFY(future.isFinished());
    QTRY_COMPARE(m_server->maxConcurrentRequests() > 0 && m_server->requestCount() == 1, true);
    // The server sees the client go: no more events are written to it.
    QSignalSpy sent(m_server.get(), &FakeLlmServer::streamEventSent);
    QTest::qWait(500);
    QCOMPARE(sent.size(), 0);
    // A cancelled stream says nothing about the server: the breaker stays closed.
    QCOMPARE(client.breakerState(), CircuitBreaker::State::Closed);
    m_server->enqueue(Behaviour::stream({u"Next"_s}));
    QCOMPARE(waitFor(client.stream(request())).text, u"Next"_s);
}

void TestLlmStreaming::openBreakerRefusesAtOnce()
{
    LlmSettings strict = settings();
    strict.maxAttempts = 1;
    strict.breakerFailureThreshold = 1;
    m_server->setDefaultBehaviour(Behaviour::internalError());
    LlmClient client(strict);
    QCOMPARE(waitFor(client.stream(request())).errors.size(), 1);
    QCOMPARE(client.breakerState(), CircuitBreaker::State::Open);
    QElapsedTimer timer;
    timer.start();
    const Collected refused = waitFor(client.stream(request()));
    QVERIFY(timer.elapsed() < 100);
    QVERIFY(refused.errors.first().contains(u"circuit breaker"_s));
    QCOMPARE(m_server->requestCount(), 1);
}

void TestLlmStreaming::keyNeverReachesTheError()
{
    m_server->enqueue(Behaviour::unauthorizedEchoingKey());
    LlmClient client(settings());
    const Collected got = waitFor(client.stream(request()));
    QCOMPARE(got.errors.size(), 1);
    QVERIFY(got.errors.first().contains(u"401"_s));
    QVERIFY(!got.errors.first().contains(u"sk-secret-streaming-key"_s));
}

QTEST_GUILESS_MAIN(TestLlmStreaming)
#include "tst_llmstreaming.moc"
