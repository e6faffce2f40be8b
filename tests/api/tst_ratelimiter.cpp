#include "ratelimiter.h"

#include <QRegularExpression>
#include <QTest>
#include <QThreadPool>

#include <atomic>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using Headers = RateLimiter::Headers;

class TestRateLimiter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();

    void allowsExactlyTheQuota_data();
    void allowsExactlyTheQuota();
    void refillsAsTimePasses_data();
    void refillsAsTimePasses();
    void headers_data();
    void headers();
    void nextRequestFitsAfterRetryAfter_data();
    void nextRequestFitsAfterRetryAfter();
    void refusedRequestsTakeNothing();
    void keysAreIndependent();
    void fullTableForgetsFullBucketsFirst();
    void fullTableForgetsTheLeastRecentlySeen();
    void floodOfDistinctKeysStaysBounded();
    void idleKeysAreForgottenInTime();
    void policyIsClamped();
    void defaultPolicies();
    void concurrentChecksCountEveryRequestOnce();

private:
    RateLimiter::Policy policy(qint64 quota, qint64 windowSeconds) const
    {
        return {QByteArrayLiteral("test"), quota, windowSeconds};
    }
    ApiClock clock()
    {
        return [this] {
            return std::chrono::milliseconds(m_nowMs.load());
        };
    }
    void advance(qint64 ms) { m_nowMs += ms; }

    std::atomic<qint64> m_nowMs{0};
};

void TestRateLimiter::init()
{
    m_nowMs = 5'000'000;
}

void TestRateLimiter::allowsExactlyTheQuota_data()
{
    QTest::addColumn<qint64>("quota");
    QTest::addColumn<qint64>("windowSeconds");
    QTest::newRow("1 per second") << qint64(1) << qint64(1);
    QTest::newRow("3 per second") << qint64(3) << qint64(1);
    QTest::newRow("100 per minute") << qint64(100) << qint64(60);
    QTest::newRow("1000 per second") << qint64(1000) << qint64(1);
    QTest::newRow("7 per day") << qint64(7) << qint64(86400);
}

void TestRateLimiter::allowsExactlyTheQuota()
{
    QFETCH(qint64, quota);
    QFETCH(qint64, windowSeconds);

    RateLimiter limiter(policy(quota, windowSeconds), RateLimiter::kDefaultMaxKeys, clock());
    for (qint64 i = 1; i <= quota; ++i) {
        const RateLimiter::Decision decision = limiter.check(u"key"_s);
        QVERIFY2(decision.allowed, qPrintable(u"request %1"_s.arg(i)));
        QCOMPARE(decision.remaining, quota - i);
        QCOMPARE(decision.retryAfterSeconds, 0);
    }
    const RateLimiter::Decision refused = limiter.check(u"key"_s);
    QVERIFY(!refused.allowed);
    QCOMPARE(refused.remaining, 0);
    QVERIFY(refused.retryAfterSeconds >= 1);
}

void TestRateLimiter::refillsAsTimePasses_data()
{
    QTest::addColumn<qint64>("quota");
    QTest::addColumn<qint64>("windowSeconds");
    QTest::addColumn<qint64>("advanceMs");
    QTest::addColumn<qint64>("allowedAfter");

    // 10 per 10 s: one request back every second.
    QTest::newRow("no time") << qint64(10) << qint64(10) << qint64(0) << qint64(0);
    QTest::newRow("just short of one") << qint64(10) << qint64(10) << qint64(999) << qint64(0);
    QTest::newRow("exactly one") << qint64(10) << qint64(10) << qint64(1000) << qint64(1);
    QTest::newRow("half the window") << qint64(10) << qint64(10) << qint64(5000) << qint64(5);
    QTest::newRow("the whole window") << qint64(10) << qint64(10) << qint64(10000) << qint64(10);
    QTest::newRow("never more than the quota")
        << qint64(10) << qint64(10) << qint64(3'600'000) << qint64(10);
    // 3 per second: one back every 333⅓ ms.
    QTest::newRow("thirds: 333 ms") << qint64(3) << qint64(1) << qint64(333) << qint64(0);
    QTest::newRow("thirds: 334 ms") << qint64(3) << qint64(1) << qint64(334) << qint64(1);
    QTest::newRow("thirds: 667 ms") << qint64(3) << qint64(1) << qint64(667) << qint64(2);
    QTest::newRow("thirds: 1 s") << qint64(3) << qint64(1) << qint64(1000) << qint64(3);
}

void TestRateLimiter::refillsAsTimePasses()
{
    QFETCH(qint64, quota);
    QFETCH(qint64, windowSeconds);
    QFETCH(qint64, advanceMs);
    QFETCH(qint64, allowedAfter);

    RateLimiter limiter(policy(quota, windowSeconds), RateLimiter::kDefaultMaxKeys, clock());
    for (qint64 i = 0; i < quota; ++i)
        QVERIFY(limiter.check(u"key"_s).allowed);
    QVERIFY(!limiter.check(u"key"_s).allowed);

    advance(advanceMs);
    qint64 allowed = 0;
    while (allowed <= quota && limiter.check(u"key"_s).allowed)
        ++allowed;
    QCOMPARE(allowed, allowedAfter);
}

void TestRateLimiter::headers_data()
{
    QTest::addColumn<QByteArray>("name");
    QTest::addColumn<qint64>("quota");
    QTest::addColumn<qint64>("windowSeconds");
    QTest::addColumn<qint64>("requestsBefore");
    QTest::addColumn<qint64>("advanceMs");
    QTest::addColumn<Headers>("headers");

    QTest::newRow("first request")
        << QByteArray("token") << qint64(1000) << qint64(1) << qint64(0) << qint64(0)
        << Headers{{"RateLimit-Policy", R"("token";q=1000;w=1)"},
                   {"RateLimit", R"("token";r=999;t=1)"}};
    // The draft's own example: half of 100 a minute left, full again in 30 s.
    QTest::newRow("half spent") << QByteArray("default") << qint64(100) << qint64(60) << qint64(49)
                                << qint64(0)
                                << Headers{{"RateLimit-Policy", R"("default";q=100;w=60)"},
                                           {"RateLimit", R"("default";r=50;t=30)"}};
    QTest::newRow("last one allowed")
        << QByteArray("default") << qint64(100) << qint64(60) << qint64(99) << qint64(0)
        << Headers{{"RateLimit-Policy", R"("default";q=100;w=60)"},
                   {"RateLimit", R"("default";r=0;t=60)"}};
    // Refused: t and Retry-After name the same moment, when one request fits again (600 ms).
    QTest::newRow("refused") << QByteArray("default") << qint64(100) << qint64(60) << qint64(100)
                             << qint64(0)
                             << Headers{{"RateLimit-Policy", R"("default";q=100;w=60)"},
                                        {"RateLimit", R"("default";r=0;t=1)"},
                                        {"Retry-After", "1"}};
    QTest::newRow("refused, long window")
        << QByteArray("hourly") << qint64(1) << qint64(3600) << qint64(1) << qint64(0)
        << Headers{{"RateLimit-Policy", R"("hourly";q=1;w=3600)"},
                   {"RateLimit", R"("hourly";r=0;t=3600)"},
                   {"Retry-After", "3600"}};
    QTest::newRow("refused, half refilled")
        << QByteArray("hourly") << qint64(1) << qint64(3600) << qint64(1) << qint64(1'800'001)
        << Headers{{"RateLimit-Policy", R"("hourly";q=1;w=3600)"},
                   {"RateLimit", R"("hourly";r=0;t=1800)"},
                   {"Retry-After", "1800"}};
    // 1,499 ms to wait: Retry-After rounds up, never telling a client to come back too soon.
    QTest::newRow("refused, rounded up")
        << QByteArray("test") << qint64(2) << qint64(3) << qint64(2) << qint64(1)
        << Headers{{"RateLimit-Policy", R"("test";q=2;w=3)"},
                   {"RateLimit", R"("test";r=0;t=2)"},
                   {"Retry-After", "2"}};
    QTest::newRow("name escaped as an sf-string")
        << QByteArray("a\"b\\c\x01") << qint64(5) << qint64(10) << qint64(0) << qint64(0)
        << Headers{{"RateLimit-Policy", R"("a\"b\\c";q=5;w=10)"},
                   {"RateLimit", R"("a\"b\\c";r=4;t=2)"}};
}

void TestRateLimiter::headers()
{
    QFETCH(QByteArray, name);
    QFETCH(qint64, quota);
    QFETCH(qint64, windowSeconds);
    QFETCH(qint64, requestsBefore);
    QFETCH(qint64, advanceMs);
    QFETCH(Headers, headers);

    RateLimiter limiter({name, quota, windowSeconds}, RateLimiter::kDefaultMaxKeys, clock());
    for (qint64 i = 0; i < requestsBefore; ++i)
        limiter.check(u"key"_s);
    advance(advanceMs);
    const RateLimiter::Decision decision = limiter.check(u"key"_s);
    QCOMPARE(decision.headers(), headers);
    if (!decision.allowed)
        QCOMPARE(decision.resetSeconds, decision.retryAfterSeconds);
}

void TestRateLimiter::nextRequestFitsAfterRetryAfter_data()
{
    QTest::addColumn<qint64>("quota");
    QTest::addColumn<qint64>("windowSeconds");
    QTest::addColumn<qint64>("retryAfter");
    QTest::newRow("1 per second") << qint64(1) << qint64(1) << qint64(1);
    QTest::newRow("2 per 3 s") << qint64(2) << qint64(3) << qint64(2);
    QTest::newRow("1000 per second") << qint64(1000) << qint64(1) << qint64(1);
    QTest::newRow("60 per hour") << qint64(60) << qint64(3600) << qint64(60);
}

void TestRateLimiter::nextRequestFitsAfterRetryAfter()
{
    QFETCH(qint64, quota);
    QFETCH(qint64, windowSeconds);
    QFETCH(qint64, retryAfter);

    RateLimiter limiter(policy(quota, windowSeconds), RateLimiter::kDefaultMaxKeys, clock());
    for (qint64 i = 0; i < quota; ++i)
        limiter.check(u"key"_s);
    const RateLimiter::Decision refused = limiter.check(u"key"_s);
    QVERIFY(!refused.allowed);
    QCOMPARE(refused.retryAfterSeconds, retryAfter);
    advance(retryAfter * 1000);
    QVERIFY(limiter.check(u"key"_s).allowed);
}

void TestRateLimiter::refusedRequestsTakeNothing()
{
    RateLimiter limiter(policy(1, 1), RateLimiter::kDefaultMaxKeys, clock());
    QVERIFY(limiter.check(u"key"_s).allowed);
    for (int i = 0; i < 100; ++i) {
        advance(5);
        QVERIFY(!limiter.check(u"key"_s).allowed);
    }
    advance(500);
    QVERIFY(limiter.check(u"key"_s).allowed);
}

void TestRateLimiter::keysAreIndependent()
{
    RateLimiter limiter(policy(2, 60), RateLimiter::kDefaultMaxKeys, clock());
    QVERIFY(limiter.check(u"a"_s).allowed);
    QVERIFY(limiter.check(u"a"_s).allowed);
    QVERIFY(!limiter.check(u"a"_s).allowed);

    const RateLimiter::Decision first = limiter.check(u"b"_s);
    QVERIFY(first.allowed);
    QCOMPARE(first.remaining, 1);
    QCOMPARE(limiter.check(u"b"_s).remaining, 0);
    QVERIFY(!limiter.check(u"a"_s).allowed);
    QCOMPARE(limiter.trackedKeys(), 2);
}

// A key whose bucket has filled again is the same as a key never seen, so it goes first.
void TestRateLimiter::fullTableForgetsFullBucketsFirst()
{
    RateLimiter limiter(policy(1, 1), 4, clock());
    limiter.check(u"a"_s);
    advance(1000);
    for (const QString &key : {u"b"_s, u"c"_s, u"d"_s})
        QVERIFY(limiter.check(key).allowed);
    QVERIFY(limiter.check(u"e"_s).allowed);
    QCOMPARE(limiter.trackedKeys(), 4);
    for (const QString &key : {u"b"_s, u"c"_s, u"d"_s, u"e"_s})
        QVERIFY2(!limiter.check(key).allowed, qPrintable(key));
}

void TestRateLimiter::fullTableForgetsTheLeastRecentlySeen()
{
    RateLimiter limiter(policy(1, 60), 4, clock());
    for (const QString &key : {u"a"_s, u"b"_s, u"c"_s, u"d"_s}) {
        QVERIFY(limiter.check(key).allowed);
        advance(1);
    }
    QTest::ignoreMessage(QtWarningMsg, "Rate limit test: 4 keys tracked, forgot the 1 seen "
                                       "longest ago");
    QVERIFY(limiter.check(u"e"_s).allowed);
    QCOMPARE(limiter.trackedKeys(), 4);
    for (const QString &key : {u"b"_s, u"c"_s, u"d"_s, u"e"_s})
        QVERIFY2(!limiter.check(key).allowed, qPrintable(key));
    // Forgotten, so it starts again with a full bucket: the price of bounded memory.
    QVERIFY(limiter.check(u"a"_s).allowed);
}

void TestRateLimiter::floodOfDistinctKeysStaysBounded()
{
    RateLimiter limiter(policy(5, 60), 100, clock());
    // One line for the whole flood, not one per eviction.
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"^Rate limit test: 100 keys tracked"_s));
    QTest::failOnWarning(QRegularExpression(u"Rate limit"_s));
    for (int i = 0; i < 10'000; ++i) {
        QVERIFY(limiter.check(u"198.51.%1.%2"_s.arg(i / 256).arg(i % 256)).allowed);
        QVERIFY(limiter.trackedKeys() <= 100);
        advance(1);
    }
}

void TestRateLimiter::idleKeysAreForgottenInTime()
{
    RateLimiter limiter(policy(1, 1), RateLimiter::kDefaultMaxKeys, clock());
    for (int i = 0; i < 10; ++i)
        limiter.check(QString::number(i));
    QCOMPARE(limiter.trackedKeys(), 10);
    advance(60'000);
    limiter.check(u"now"_s);
    QCOMPARE(limiter.trackedKeys(), 1);
}

void TestRateLimiter::policyIsClamped()
{
    RateLimiter limiter(policy(0, 0), 0, clock());
    QTest::ignoreMessage(QtWarningMsg, "Rate limit test: 1 keys tracked, forgot the 1 seen "
                                       "longest ago");
    QCOMPARE(limiter.policy().quota, 1);
    QCOMPARE(limiter.policy().windowSeconds, 1);
    QCOMPARE(RateLimiter::policyFieldValue(policy(-5, -5)), R"("test";q=1;w=1)");
    QVERIFY(limiter.check(u"a"_s).allowed);
    QVERIFY(limiter.check(u"b"_s).allowed);
    QCOMPARE(limiter.trackedKeys(), 1);
}

void TestRateLimiter::defaultPolicies()
{
    QCOMPARE(RateLimiter::policyFieldValue(RateLimiter::Policy::perToken()),
             R"("token";q=1000;w=1)");
    QCOMPARE(RateLimiter::policyFieldValue(RateLimiter::Policy::perAddress()),
             R"("address";q=2000;w=1)");
}

// The API's worker threads share one limiter: with time standing still, exactly the quota is
// let through however the requests interleave, and the table stays within its bound. The
// shared key is checked all the time, so the flood of other keys never pushes it out.
void TestRateLimiter::concurrentChecksCountEveryRequestOnce()
{
    constexpr int kThreads = 8;
    constexpr int kRequestsPerThread = 2000;
    RateLimiter limiter(policy(5000, 3600), 1000, clock());
    std::atomic<int> allowed = 0;
    std::atomic<int> refused = 0;
    std::atomic<qsizetype> mostKeys = 0;
    QThreadPool pool;
    pool.setMaxThreadCount(kThreads);
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"^Rate limit test: 1000 keys"_s));
    for (int thread = 0; thread < kThreads; ++thread) {
        pool.start([&, thread] {
            for (int i = 0; i < kRequestsPerThread; ++i) {
                (limiter.check(u"shared"_s).allowed ? allowed : refused)++;
                limiter.check(u"%1-%2"_s.arg(thread).arg(i));
                const qsizetype keys = limiter.trackedKeys();
                qsizetype seen = mostKeys.load();
                while (keys > seen && !mostKeys.compare_exchange_weak(seen, keys)) {
                }
            }
        });
    }
    pool.waitForDone();
    QCOMPARE(allowed.load(), 5000);
    QCOMPARE(refused.load(), kThreads * kRequestsPerThread - 5000);
    QVERIFY2(mostKeys.load() <= 1000, qPrintable(QString::number(mostKeys.load())));
}

QTEST_GUILESS_MAIN(TestRateLimiter)
#include "tst_ratelimiter.moc"
