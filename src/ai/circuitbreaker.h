#pragma once

#include <QLatin1StringView>

#include <chrono>
#include <functional>

// Stops calling a provider that keeps failing, and lets one probe through after a pause.
// A pure state machine: not thread-safe, no timers; the clock is injectable for tests.
class CircuitBreaker final
{
public:
    enum class State { Closed, Open, HalfOpen };
    // Monotonic time; only differences matter.
    using Clock = std::function<std::chrono::milliseconds()>;

    CircuitBreaker(int failureThreshold, std::chrono::milliseconds openDuration,
                   Clock clock = steadyClock());

    // Closed: yes. Open: no, until the open duration has passed; then it turns half-open and
    // the first caller gets the one probe. Half-open: no while the probe is out.
    bool allowRequest();
    // Closes the breaker and clears the failure count.
    void recordSuccess();
    // Counts a failure; opens at the threshold, and at once when half-open.
    void recordFailure();
    // The probe ended without telling whether the provider works (its caller gave up): the next
    // caller may probe instead.
    void releaseProbe() { m_probeInFlight = false; }

    // Open turns into half-open by itself when the duration has passed.
    State state() const;
    int consecutiveFailures() const { return m_consecutiveFailures; }
    // How long until an open breaker lets a probe through; zero unless open.
    std::chrono::milliseconds remainingOpenTime() const;

    // "closed", "open", "half_open".
    static QLatin1StringView stateName(State state);
    static Clock steadyClock();

private:
    void open();

    int m_failureThreshold;
    std::chrono::milliseconds m_openDuration;
    Clock m_clock;
    State m_state = State::Closed;
    int m_consecutiveFailures = 0;
    std::chrono::milliseconds m_openedAt{0};
    bool m_probeInFlight = false;
};
