#pragma once

#include <QByteArrayView>
#include <QDateTime>

#include <chrono>
#include <functional>
#include <optional>

// When to try a failed LLM request again and how long to wait first. Pure and offline-testable.
class RetryPolicy final
{
public:
    // Uniform in [0, 1]; the jitter source, injectable so tests can pin the bounds.
    using RandomSource = std::function<double()>;

    RetryPolicy(int maxAttempts, std::chrono::milliseconds backoffBase,
                std::chrono::milliseconds backoffMax, std::chrono::milliseconds retryAfterMax,
                RandomSource random = {});

    // min(max, base * 2^(failedAttempts - 1)) with equal jitter: between half of that and all
    // of it, so retries spread out but never come back at once.
    std::chrono::milliseconds backoff(int failedAttempts) const;

    // The wait before the next attempt, or nothing when the request must not be retried: the
    // failure is permanent, the attempts are used up, or the server asked (Retry-After) for a
    // longer wait than retryAfterMax. A Retry-After replaces the backoff.
    std::optional<std::chrono::milliseconds>
    nextDelay(int attemptsMade, bool retryable,
              std::optional<std::chrono::milliseconds> retryAfter = std::nullopt) const;

    int maxAttempts() const { return m_maxAttempts; }

    // 408, 429 and 5xx are worth another try; any other 4xx is a request or configuration
    // error that would fail again the same way.
    static bool isRetryableStatus(int httpStatus);
    // Whether the status may carry a Retry-After this client honours (429, 503).
    static bool honoursRetryAfter(int httpStatus);
    // Retry-After as delta-seconds or an HTTP-date (RFC 9110); a date in the past is zero.
    // Nothing for a missing or malformed value.
    static std::optional<std::chrono::milliseconds> parseRetryAfter(QByteArrayView value,
                                                                    const QDateTime &now);

private:
    int m_maxAttempts;
    std::chrono::milliseconds m_backoffBase;
    std::chrono::milliseconds m_backoffMax;
    std::chrono::milliseconds m_retryAfterMax;
    RandomSource m_random;
};
