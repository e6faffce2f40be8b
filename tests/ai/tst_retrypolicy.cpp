#include "retrypolicy.h"

#include <QTest>
#include <QTimeZone>

using namespace std::chrono_literals;
using std::chrono::milliseconds;

class TestRetryPolicy : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void backoffDoublesUpToTheCapWithEqualJitter_data();
    void backoffDoublesUpToTheCapWithEqualJitter();
    void backoffStaysWithinBoundsForRealRandomness();
    void nextDelay_data();
    void nextDelay();
    void retryableStatuses_data();
    void retryableStatuses();
    void parseRetryAfter_data();
    void parseRetryAfter();
};

void TestRetryPolicy::backoffDoublesUpToTheCapWithEqualJitter_data()
{
    QTest::addColumn<int>("failedAttempts");
    QTest::addColumn<double>("random");
    QTest::addColumn<qint64>("expectedMs");

    // base 100 ms, cap 1000 ms: ceilings 100, 200, 400, 800, 1000, 1000...
    QTest::newRow("1st, low") << 1 << 0.0 << qint64(50);
    QTest::newRow("1st, high") << 1 << 1.0 << qint64(100);
    QTest::newRow("2nd, low") << 2 << 0.0 << qint64(100);
    QTest::newRow("2nd, middle") << 2 << 0.5 << qint64(150);
    QTest::newRow("3rd, high") << 3 << 1.0 << qint64(400);
    QTest::newRow("4th, high") << 4 << 1.0 << qint64(800);
    QTest::newRow("5th capped, high") << 5 << 1.0 << qint64(1000);
    QTest::newRow("5th capped, low") << 5 << 0.0 << qint64(500);
    QTest::newRow("100th does not overflow") << 100 << 1.0 << qint64(1000);
    QTest::newRow("out-of-range random is clamped") << 1 << 7.0 << qint64(100);
}

void TestRetryPolicy::backoffDoublesUpToTheCapWithEqualJitter()
{
    QFETCH(int, failedAttempts);
    QFETCH(double, random);
    QFETCH(qint64, expectedMs);
    const RetryPolicy policy(3, 100ms, 1000ms, 60s, [random] { return random; });
    QCOMPARE(policy.backoff(failedAttempts).count(), expectedMs);
}

void TestRetryPolicy::backoffStaysWithinBoundsForRealRandomness()
{
    const RetryPolicy policy(3, 500ms, 8000ms, 60s);
    for (int i = 0; i < 1000; ++i) {
        const milliseconds delay = policy.backoff(3);
        QVERIFY2(delay >= 1000ms && delay <= 2000ms, QByteArray::number(delay.count()).constData());
    }
}

void TestRetryPolicy::nextDelay_data()
{
    QTest::addColumn<int>("attemptsMade");
    QTest::addColumn<bool>("retryable");
    QTest::addColumn<qint64>("retryAfterMs"); // -1: none
    QTest::addColumn<qint64>("expectedMs");   // -1: no retry

    QTest::newRow("retryable, first failure") << 1 << true << qint64(-1) << qint64(100);
    QTest::newRow("retryable, second failure") << 2 << true << qint64(-1) << qint64(200);
    QTest::newRow("attempts used up") << 3 << true << qint64(-1) << qint64(-1);
    QTest::newRow("permanent") << 1 << false << qint64(-1) << qint64(-1);
    QTest::newRow("retry-after replaces backoff") << 1 << true << qint64(2000) << qint64(2000);
    QTest::newRow("retry-after zero") << 1 << true << qint64(0) << qint64(0);
    QTest::newRow("retry-after at the cap") << 1 << true << qint64(5000) << qint64(5000);
    QTest::newRow("retry-after over the cap fails fast") << 1 << true << qint64(5001) << qint64(-1);
    QTest::newRow("retry-after but attempts used up") << 3 << true << qint64(10) << qint64(-1);
}

void TestRetryPolicy::nextDelay()
{
    QFETCH(int, attemptsMade);
    QFETCH(bool, retryable);
    QFETCH(qint64, retryAfterMs);
    QFETCH(qint64, expectedMs);

    const RetryPolicy policy(3, 100ms, 1000ms, 5000ms, [] { return 1.0; });
    const auto retryAfter =
        retryAfterMs < 0 ? std::nullopt : std::optional<milliseconds>(retryAfterMs);
    const auto delay = policy.nextDelay(attemptsMade, retryable, retryAfter);
    QCOMPARE(delay.has_value(), expectedMs >= 0);
    if (delay)
        QCOMPARE(delay->count(), expectedMs);
}

void TestRetryPolicy::retryableStatuses_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<bool>("retryable");
    QTest::addColumn<bool>("retryAfter");

    QTest::newRow("400") << 400 << false << false;
    QTest::newRow("401") << 401 << false << false;
    QTest::newRow("403") << 403 << false << false;
    QTest::newRow("404") << 404 << false << false;
    QTest::newRow("408") << 408 << true << false;
    QTest::newRow("422") << 422 << false << false;
    QTest::newRow("429") << 429 << true << true;
    QTest::newRow("500") << 500 << true << false;
    QTest::newRow("502") << 502 << true << false;
    QTest::newRow("503") << 503 << true << true;
    QTest::newRow("504") << 504 << true << false;
}

void TestRetryPolicy::retryableStatuses()
{
    QFETCH(int, status);
    QFETCH(bool, retryable);
    QFETCH(bool, retryAfter);
    QCOMPARE(RetryPolicy::isRetryableStatus(status), retryable);
    QCOMPARE(RetryPolicy::honoursRetryAfter(status), retryAfter);
}

void TestRetryPolicy::parseRetryAfter_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<qint64>("expectedMs"); // -1: not parsed

    QTest::newRow("seconds") << QByteArray("2") << qint64(2000);
    QTest::newRow("zero") << QByteArray("0") << qint64(0);
    QTest::newRow("padded") << QByteArray("  17 ") << qint64(17000);
    QTest::newRow("huge is clamped to a day") << QByteArray("99999999999") << qint64(86400000);
    QTest::newRow("imf-fixdate") << QByteArray("Sun, 06 Nov 1994 08:49:37 GMT") << qint64(37000);
    QTest::newRow("imf-fixdate later")
        << QByteArray("Sun, 06 Nov 1994 08:51:00 GMT") << qint64(120000);
    QTest::newRow("rfc 850") << QByteArray("Sunday, 06-Nov-94 08:49:40 GMT") << qint64(40000);
    QTest::newRow("asctime") << QByteArray("Sun Nov  6 08:49:10 1994") << qint64(10000);
    QTest::newRow("date in the past") << QByteArray("Sun, 06 Nov 1994 08:00:00 GMT") << qint64(0);
    QTest::newRow("empty") << QByteArray() << qint64(-1);
    QTest::newRow("negative") << QByteArray("-5") << qint64(-1);
    QTest::newRow("fraction") << QByteArray("1.5") << qint64(-1);
    QTest::newRow("garbage") << QByteArray("soon") << qint64(-1);
    QTest::newRow("date without zone") << QByteArray("Sun, 06 Nov 1994 08:49:37") << qint64(-1);
}

void TestRetryPolicy::parseRetryAfter()
{
    QFETCH(QByteArray, value);
    QFETCH(qint64, expectedMs);
    const QDateTime now(QDate(1994, 11, 6), QTime(8, 49, 0), QTimeZone::utc());
    const auto parsed = RetryPolicy::parseRetryAfter(value, now);
    QCOMPARE(parsed.has_value(), expectedMs >= 0);
    if (parsed)
        QCOMPARE(parsed->count(), expectedMs);
}

QTEST_GUILESS_MAIN(TestRetryPolicy)
#include "tst_retrypolicy.moc"
