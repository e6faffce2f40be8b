#include "circuitbreaker.h"

#include <QTest>

using namespace std::chrono_literals;
using State = CircuitBreaker::State;

class TestCircuitBreaker : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();

    void startsClosedAndAllows();
    void opensAfterThresholdConsecutiveFailures();
    void successResetsTheCount();
    void openRefusesUntilDurationPassed();
    void halfOpenAllowsOneProbeAtATime();
    void probeSuccessCloses();
    void probeFailureReopensForAnotherFullDuration();
    void failureWhileOpenChangesNothing();
    void stateNames_data();
    void stateNames();

private:
    CircuitBreaker makeBreaker(int threshold = 3) { return {threshold, 1000ms, m_clock}; }

    std::chrono::milliseconds m_now{0};
    CircuitBreaker::Clock m_clock = [this] {
        return m_now;
    };
};

void TestCircuitBreaker::init()
{
    m_now = 5000ms;
}

void TestCircuitBreaker::startsClosedAndAllows()
{
    CircuitBreaker breaker = makeBreaker();
    QCOMPARE(breaker.state(), State::Closed);
    QVERIFY(breaker.allowRequest());
    QVERIFY(breaker.allowRequest());
    QCOMPARE(breaker.remainingOpenTime(), 0ms);
}

void TestCircuitBreaker::opensAfterThresholdConsecutiveFailures()
{
    CircuitBreaker breaker = makeBreaker(3);
    breaker.recordFailure();
    breaker.recordFailure();
    QCOMPARE(breaker.state(), State::Closed);
    QCOMPARE(breaker.consecutiveFailures(), 2);
    breaker.recordFailure();
    QCOMPARE(breaker.state(), State::Open);
    QVERIFY(!breaker.allowRequest());
    QCOMPARE(breaker.remainingOpenTime(), 1000ms);
}

void TestCircuitBreaker::successResetsTheCount()
{
    CircuitBreaker breaker = makeBreaker(3);
    breaker.recordFailure();
    breaker.recordFailure();
    breaker.recordSuccess();
    breaker.recordFailure();
    breaker.recordFailure();
    QCOMPARE(breaker.state(), State::Closed);
    breaker.recordFailure();
    QCOMPARE(breaker.state(), State::Open);
}

void TestCircuitBreaker::openRefusesUntilDurationPassed()
{
    CircuitBreaker breaker = makeBreaker(1);
    breaker.recordFailure();
    m_now += 999ms;
    QCOMPARE(breaker.state(), State::Open);
    QCOMPARE(breaker.remainingOpenTime(), 1ms);
    QVERIFY(!breaker.allowRequest());
    m_now += 1ms;
    QCOMPARE(breaker.state(), State::HalfOpen);
    QCOMPARE(breaker.remainingOpenTime(), 0ms);
}

void TestCircuitBreaker::halfOpenAllowsOneProbeAtATime()
{
    CircuitBreaker breaker = makeBreaker(1);
    breaker.recordFailure();
    m_now += 1000ms;
    QVERIFY(breaker.allowRequest());
    QCOMPARE(breaker.state(), State::HalfOpen);
    QVERIFY(!breaker.allowRequest());
    QVERIFY(!breaker.allowRequest());
}

void TestCircuitBreaker::probeSuccessCloses()
{
    CircuitBreaker breaker = makeBreaker(2);
    breaker.recordFailure();
    breaker.recordFailure();
    m_now += 1500ms;
    QVERIFY(breaker.allowRequest());
    breaker.recordSuccess();
    QCOMPARE(breaker.state(), State::Closed);
    QCOMPARE(breaker.consecutiveFailures(), 0);
    QVERIFY(breaker.allowRequest());
    QVERIFY(breaker.allowRequest());
    // A fresh count: one failure is not enough to open again.
    breaker.recordFailure();
    QCOMPARE(breaker.state(), State::Closed);
}

void TestCircuitBreaker::probeFailureReopensForAnotherFullDuration()
{
    CircuitBreaker breaker = makeBreaker(2);
    breaker.recordFailure();
    breaker.recordFailure();
    m_now += 1000ms;
    QVERIFY(breaker.allowRequest());
    breaker.recordFailure();
    QCOMPARE(breaker.state(), State::Open);
    QVERIFY(!breaker.allowRequest());
    m_now += 999ms;
    QCOMPARE(breaker.state(), State::Open);
    m_now += 1ms;
    QCOMPARE(breaker.state(), State::HalfOpen);
    QVERIFY(breaker.allowRequest());
}

void TestCircuitBreaker::failureWhileOpenChangesNothing()
{
    CircuitBreaker breaker = makeBreaker(1);
    breaker.recordFailure();
    m_now += 600ms;
    // A request that started before the breaker opened fails late: the open time must not
    // be extended by it.
    breaker.recordFailure();
    m_now += 400ms;
    QCOMPARE(breaker.state(), State::HalfOpen);
}

void TestCircuitBreaker::stateNames_data()
{
    QTest::addColumn<State>("state");
    QTest::addColumn<QString>("name");
    QTest::newRow("closed") << State::Closed << QStringLiteral("closed");
    QTest::newRow("open") << State::Open << QStringLiteral("open");
    QTest::newRow("half open") << State::HalfOpen << QStringLiteral("half_open");
}

void TestCircuitBreaker::stateNames()
{
    QFETCH(State, state);
    QFETCH(QString, name);
    QCOMPARE(CircuitBreaker::stateName(state), name);
}

QTEST_GUILESS_MAIN(TestCircuitBreaker)
#include "tst_circuitbreaker.moc"
