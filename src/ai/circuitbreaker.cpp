#include "circuitbreaker.h"

#include <algorithm>

using namespace Qt::StringLiterals;

CircuitBreaker::CircuitBreaker(int failureThreshold, std::chrono::milliseconds openDuration,
                               Clock clock)
    : m_failureThreshold(std::max(1, failureThreshold))
    , m_openDuration(std::max(std::chrono::milliseconds(0), openDuration))
    , m_clock(clock ? std::move(clock) : steadyClock())
{}

bool CircuitBreaker::allowRequest()
{
    switch (state()) {
    case State::Closed:
        return true;
    case State::Open:
        return false;
    case State::HalfOpen:
        // state() reports half-open lazily; the transition is made by the caller that gets in.
        m_state = State::HalfOpen;
        if (m_probeInFlight)
            return false;
        m_probeInFlight = true;
        return true;
    }
    Q_UNREACHABLE();
    return false;
}

void CircuitBreaker::recordSuccess()
{
    m_state = State::Closed;
    m_consecutiveFailures = 0;
    m_probeInFlight = false;
}

void CircuitBreaker::recordFailure()
{
    switch (state()) {
    case State::Closed:
        if (++m_consecutiveFailures >= m_failureThreshold)
            open();
        break;
    case State::Open:
        // A request that started before the breaker opened; the breaker already knows.
        break;
    case State::HalfOpen:
        // The probe failed (or a late request did): the provider is still down.
        open();
        break;
    }
}

CircuitBreaker::State CircuitBreaker::state() const
{
    if (m_state == State::Open && m_clock() - m_openedAt >= m_openDuration)
        return State::HalfOpen;
    return m_state;
}

std::chrono::milliseconds CircuitBreaker::remainingOpenTime() const
{
    if (state() != State::Open)
        return std::chrono::milliseconds(0);
    return m_openDuration - (m_clock() - m_openedAt);
}

QLatin1StringView CircuitBreaker::stateName(State state)
{
    switch (state) {
    case State::Closed:
        return "closed"_L1;
    case State::Open:
        return "open"_L1;
    case State::HalfOpen:
        return "half_open"_L1;
    }
    Q_UNREACHABLE();
    return {};
}

CircuitBreaker::Clock CircuitBreaker::steadyClock()
{
    return [] {
        return std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::steady_clock::now().time_since_epoch());
    };
}

void CircuitBreaker::open()
{
    m_state = State::Open;
    m_openedAt = m_clock();
    m_probeInFlight = false;
    m_consecutiveFailures = std::max(m_consecutiveFailures, m_failureThreshold);
}
