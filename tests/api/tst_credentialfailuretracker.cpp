#include "credentialfailuretracker.h"

#include <QRegularExpression>
#include <QTest>
#include <QThreadPool>

#include <atomic>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using Policy = CredentialFailureTracker::Policy;

class TestCredentialFailureTracker : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();

    void delaysGrow_data();
    void delaysGrow();
    void bansAtTheThreshold_data();
    void bansAtTheThreshold();
    void banIsLoggedWithAddressAndCount();
    void banExpires();
    void failuresOutsideTheWindowStartOver();
    void failuresWithinTheWindowAddUp();
    void successResetsTheDelay();
    void successDoesNotForgiveTheBanCount();
    void successDoesNotLiftABan();
    void successAloneIsNotRemembered();
    void failureWhileBannedDoesNotExtendTheBan();
    void addressesCount_data();
    void addressesCount();
    void floodOfAddressesStaysBoundedAndKeepsBans();
    void idleAddressesAreForgottenInTime();
    void concurrentFailuresBanOnce();

private:
    CredentialFailureTracker makeTracker(Policy policy = {}, qsizetype maxAddresses = 1000)
    {
        return CredentialFailureTracker(policy, maxAddresses, clock());
    }
    ApiClock clock()
    {
        return [this] {
            return std::chrono::milliseconds(m_nowMs.load());
        };
    }
    void advance(std::chrono::milliseconds by) { m_nowMs += by.count(); }
    // Fails n times, one second apart, and gives the last answer.
    CredentialFailureTracker::Failure fail(CredentialFailureTracker &tracker, int n,
                                           const QHostAddress &client)
    {
        CredentialFailureTracker::Failure last;
        for (int i = 0; i < n; ++i) {
            advance(1s);
            last = tracker.recordFailure(client);
        }
        return last;
    }

    std::atomic<qint64> m_nowMs{0};
    const QHostAddress m_client{u"203.0.113.7"_s};
    const QHostAddress m_other{u"198.51.100.20"_s};
};

Q_DECLARE_METATYPE(std::chrono::milliseconds)

void TestCredentialFailureTracker::init()
{
    m_nowMs = 5'000'000;
    // Only the tests that expect a ban may log one.
    QTest::failOnWarning(QRegularExpression(u"Banned"_s));
}

void TestCredentialFailureTracker::delaysGrow_data()
{
    QTest::addColumn<int>("freeFailures");
    QTest::addColumn<std::chrono::milliseconds>("firstDelay");
    QTest::addColumn<std::chrono::milliseconds>("maxDelay");
    QTest::addColumn<int>("failure");
    QTest::addColumn<std::chrono::milliseconds>("delay");

    // The defaults: three answered at once, then 1, 2, 4, 8, 8 ... seconds.
    const Policy defaults;
    const QList<std::chrono::milliseconds> expected{0ms,    0ms,    0ms,    1000ms, 2000ms,
                                                    4000ms, 8000ms, 8000ms, 8000ms};
    for (int i = 0; i < expected.size(); ++i) {
        QTest::addRow("default, failure %d", i + 1)
            << defaults.failuresBeforeDelay << defaults.firstDelay << defaults.maxDelay << i + 1
            << expected.at(i);
    }
    QTest::newRow("no free failures, 1st") << 0 << 250ms << 1000ms << 1 << 250ms;
    QTest::newRow("no free failures, 2nd") << 0 << 250ms << 1000ms << 2 << 500ms;
    QTest::newRow("no free failures, 3rd") << 0 << 250ms << 1000ms << 3 << 1000ms;
    QTest::newRow("no free failures, 4th") << 0 << 250ms << 1000ms << 4 << 1000ms;
    QTest::newRow("cap below the first") << 1 << 5000ms << 1000ms << 2 << 5000ms;
}

void TestCredentialFailureTracker::delaysGrow()
{
    QFETCH(int, freeFailures);
    QFETCH(std::chrono::milliseconds, firstDelay);
    QFETCH(std::chrono::milliseconds, maxDelay);
    QFETCH(int, failure);
    QFETCH(std::chrono::milliseconds, delay);

    Policy policy;
    policy.failuresBeforeDelay = freeFailures;
    policy.firstDelay = firstDelay;
    policy.maxDelay = maxDelay;
    CredentialFailureTracker tracker = makeTracker(policy);
    const CredentialFailureTracker::Failure answer = fail(tracker, failure, m_client);
    QCOMPARE(answer.failures, failure);
    QVERIFY(!answer.banned);
    QCOMPARE(answer.delay, delay);
}

void TestCredentialFailureTracker::bansAtTheThreshold_data()
{
    QTest::addColumn<int>("threshold");
    QTest::addColumn<std::chrono::milliseconds>("banDuration");
    QTest::addColumn<qint64>("retryAfter");

    QTest::newRow("default: 10, 15 minutes") << 10 << std::chrono::milliseconds(15min) << 900LL;
    QTest::newRow("first failure, one minute") << 1 << std::chrono::milliseconds(1min) << 60LL;
    QTest::newRow("3, rounded up to whole seconds") << 3 << 1500ms << 2LL;
}

void TestCredentialFailureTracker::bansAtTheThreshold()
{
    QFETCH(int, threshold);
    QFETCH(std::chrono::milliseconds, banDuration);
    QFETCH(qint64, retryAfter);

    Policy policy;
    policy.failuresBeforeBan = threshold;
    policy.banDuration = banDuration;
    CredentialFailureTracker tracker = makeTracker(policy);
    if (threshold > 1) {
        QVERIFY(!fail(tracker, threshold - 1, m_client).banned);
        QVERIFY(!tracker.ban(m_client).banned);
    }

    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"^Banned 203\\.0\\.113\\.7 "_s));
    const CredentialFailureTracker::Failure banning = fail(tracker, 1, m_client);
    QVERIFY(banning.banned);
    QCOMPARE(banning.failures, threshold);
    QCOMPARE(banning.retryAfterSeconds, retryAfter);
    QCOMPARE(banning.delay, 0ms);

    const CredentialFailureTracker::Ban ban = tracker.ban(m_client);
    QVERIFY(ban.banned);
    QCOMPARE(ban.retryAfterSeconds, retryAfter);
    QCOMPARE(ban.headers(),
             CredentialFailureTracker::Headers({{"Retry-After", QByteArray::number(retryAfter)}}));
    QVERIFY(!tracker.ban(m_other).banned);
    QVERIFY(tracker.ban(m_other).headers().isEmpty());
}

// The address and the count, so that an operator can act; the credential is never given to
// the tracker, so it cannot be logged.
void TestCredentialFailureTracker::banIsLoggedWithAddressAndCount()
{
    CredentialFailureTracker tracker = makeTracker();
    fail(tracker, 9, m_client);
    QTest::ignoreMessage(QtWarningMsg,
                         "Banned 203.0.113.7 for 900 s after 10 failed credentials in 9 s");
    QVERIFY(fail(tracker, 1, m_client).banned);
}

void TestCredentialFailureTracker::banExpires()
{
    CredentialFailureTracker tracker = makeTracker();
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"^Banned"_s));
    QVERIFY(fail(tracker, 10, m_client).banned);

    advance(15min - 1ms);
    const CredentialFailureTracker::Ban lastMoment = tracker.ban(m_client);
    QVERIFY(lastMoment.banned);
    QCOMPARE(lastMoment.retryAfterSeconds, 1);
    advance(1ms);
    QVERIFY(!tracker.ban(m_client).banned);

    // Counting starts afresh after a ban.
    const CredentialFailureTracker::Failure next = tracker.recordFailure(m_client);
    QVERIFY(!next.banned);
    QCOMPARE(next.failures, 1);
    QCOMPARE(next.delay, 0ms);
}

void TestCredentialFailureTracker::failuresOutsideTheWindowStartOver()
{
    CredentialFailureTracker tracker = makeTracker();
    QCOMPARE(fail(tracker, 9, m_client).delay, 8000ms);
    advance(10min);
    const CredentialFailureTracker::Failure next = tracker.recordFailure(m_client);
    QVERIFY(!next.banned);
    QCOMPARE(next.failures, 1);
    QCOMPARE(next.delay, 0ms);
}

void TestCredentialFailureTracker::failuresWithinTheWindowAddUp()
{
    CredentialFailureTracker tracker = makeTracker();
    fail(tracker, 5, m_client);
    advance(9min);
    QVERIFY(!fail(tracker, 4, m_client).banned);
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"^Banned"_s));
    QVERIFY(fail(tracker, 1, m_client).banned);
}

void TestCredentialFailureTracker::successResetsTheDelay()
{
    Policy policy;
    policy.failuresBeforeBan = 20;
    CredentialFailureTracker tracker = makeTracker(policy);
    QCOMPARE(fail(tracker, 6, m_client).delay, 4000ms);
    tracker.recordSuccess(m_client);
    const CredentialFailureTracker::Failure next = fail(tracker, 1, m_client);
    QCOMPARE(next.delay, 0ms);
    QCOMPARE(next.failures, 7);
    QCOMPARE(fail(tracker, 2, m_client).delay, 0ms);
    QCOMPARE(fail(tracker, 1, m_client).delay, 1000ms);
}

// A client holding one valid token must not buy endless guesses at others with good requests.
void TestCredentialFailureTracker::successDoesNotForgiveTheBanCount()
{
    CredentialFailureTracker tracker = makeTracker();
    for (int i = 0; i < 9; ++i) {
        const CredentialFailureTracker::Failure failure = fail(tracker, 1, m_client);
        QVERIFY(!failure.banned);
        QCOMPARE(failure.delay, 0ms);
        tracker.recordSuccess(m_client);
    }
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"^Banned"_s));
    QVERIFY(fail(tracker, 1, m_client).banned);
}

void TestCredentialFailureTracker::successDoesNotLiftABan()
{
    CredentialFailureTracker tracker = makeTracker();
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"^Banned"_s));
    fail(tracker, 10, m_client);
    // A request whose credential was checked just before the ban began.
    tracker.recordSuccess(m_client);
    QVERIFY(tracker.ban(m_client).banned);
}

void TestCredentialFailureTracker::successAloneIsNotRemembered()
{
    CredentialFailureTracker tracker = makeTracker();
    for (int i = 0; i < 100; ++i)
        tracker.recordSuccess(QHostAddress(quint32(0xc6336400 + i)));
    QCOMPARE(tracker.trackedAddresses(), 0);
}

void TestCredentialFailureTracker::failureWhileBannedDoesNotExtendTheBan()
{
    CredentialFailureTracker tracker = makeTracker();
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"^Banned"_s));
    fail(tracker, 10, m_client);
    advance(100s);
    const CredentialFailureTracker::Failure late = tracker.recordFailure(m_client);
    QVERIFY(late.banned);
    QCOMPARE(late.retryAfterSeconds, 800);
    QCOMPARE(tracker.ban(m_client).retryAfterSeconds, 800);
}

void TestCredentialFailureTracker::addressesCount_data()
{
    QTest::addColumn<QString>("banned");
    QTest::addColumn<QString>("other");
    QTest::addColumn<bool>("shared");

    QTest::newRow("other IPv4") << u"203.0.113.7"_s << u"203.0.113.8"_s << false;
    QTest::newRow("mapped IPv4 is the IPv4") << u"::ffff:203.0.113.7"_s << u"203.0.113.7"_s << true;
    QTest::newRow("IPv4 is the mapped IPv4") << u"203.0.113.7"_s << u"::ffff:203.0.113.7"_s << true;
    QTest::newRow("same IPv6 /64") << u"2001:db8:1:2::7"_s << u"2001:db8:1:2:ffff::1"_s << true;
    QTest::newRow("other IPv6 /64") << u"2001:db8:1:2::7"_s << u"2001:db8:1:3::7"_s << false;
}

void TestCredentialFailureTracker::addressesCount()
{
    QFETCH(QString, banned);
    QFETCH(QString, other);
    QFETCH(bool, shared);

    CredentialFailureTracker tracker = makeTracker();
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"^Banned"_s));
    QVERIFY(fail(tracker, 10, QHostAddress(banned)).banned);
    QVERIFY(tracker.ban(QHostAddress(banned)).banned);
    QCOMPARE(tracker.ban(QHostAddress(other)).banned, shared);
    QCOMPARE(tracker.recordFailure(QHostAddress(other)).banned, shared);
}

void TestCredentialFailureTracker::floodOfAddressesStaysBoundedAndKeepsBans()
{
    Policy policy;
    policy.failuresBeforeBan = 2;
    CredentialFailureTracker tracker = makeTracker(policy, 100);
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"^Banned 203\\.0\\.113\\.7 "_s));
    QVERIFY(fail(tracker, 2, m_client).banned);

    // One line for the whole flood, not one per eviction.
    QTest::ignoreMessage(QtWarningMsg,
                         QRegularExpression(u"^Credential failures: 100 addresses tracked"_s));
    QTest::failOnWarning(QRegularExpression(u"^Credential failures"_s));
    for (quint32 i = 0; i < 10'000; ++i) {
        tracker.recordFailure(QHostAddress(0x0a000000 + i));
        QVERIFY(tracker.trackedAddresses() <= 100);
        advance(1ms);
    }
    QVERIFY(tracker.ban(m_client).banned);
}

void TestCredentialFailureTracker::idleAddressesAreForgottenInTime()
{
    CredentialFailureTracker tracker = makeTracker();
    for (quint32 i = 0; i < 10; ++i)
        tracker.recordFailure(QHostAddress(0x0a000000 + i));
    QCOMPARE(tracker.trackedAddresses(), 10);
    advance(10min);
    tracker.recordFailure(m_client);
    QCOMPARE(tracker.trackedAddresses(), 1);
}

// The API's worker threads share one tracker: however their failures interleave, the address
// is banned exactly once, by the failure that reaches the threshold.
void TestCredentialFailureTracker::concurrentFailuresBanOnce()
{
    constexpr int kThreads = 8;
    constexpr int kFailuresPerThread = 50;
    Policy policy;
    policy.failuresBeforeBan = 100;
    CredentialFailureTracker tracker = makeTracker(policy);
    std::atomic<int> answeredLater = 0;
    std::atomic<int> refusedBanned = 0;
    std::atomic<int> banning = 0;
    QThreadPool pool;
    pool.setMaxThreadCount(kThreads);
    QTest::ignoreMessage(QtWarningMsg, "Banned 203.0.113.7 for 900 s after 100 failed "
                                       "credentials in 0 s");
    for (int thread = 0; thread < kThreads; ++thread) {
        pool.start([&] {
            for (int i = 0; i < kFailuresPerThread; ++i) {
                tracker.ban(m_client);
                const CredentialFailureTracker::Failure failure = tracker.recordFailure(m_client);
                if (!failure.banned)
                    ++answeredLater;
                else if (failure.failures == 100)
                    ++banning;
                else
                    ++refusedBanned;
                tracker.recordSuccess(m_other);
            }
        });
    }
    pool.waitForDone();
    QCOMPARE(answeredLater.load(), 99);
    QCOMPARE(banning.load(), 1);
    QCOMPARE(refusedBanned.load(), kThreads * kFailuresPerThread - 100);
    QVERIFY(tracker.ban(m_client).banned);
}

QTEST_GUILESS_MAIN(TestCredentialFailureTracker)
#include "tst_credentialfailuretracker.moc"
