#pragma once

#include "apiclock.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QMutex>
#include <QString>

#include <chrono>
#include <optional>
#include <utility>

// How many requests one key (an API token, a client address) may make: a token bucket per key
// holding the policy's quota and refilling it over the policy's window, with the answer's
// RateLimit headers. Thread-safe; it remembers a bounded number of keys.
class RateLimiter final
{
public:
    using Headers = QList<std::pair<QByteArray, QByteArray>>;

    struct Policy
    {
        // The policy's name in the headers: printable ASCII.
        QByteArray name;
        // Requests a key may make at once from a full bucket: the header's "q".
        qint64 quota = 1;
        // Seconds an empty bucket takes to fill again, the header's "w": a key keeps
        // quota / windowSeconds requests a second once its burst is spent.
        qint64 windowSeconds = 1;

        // 1,000 requests a second per API token.
        static Policy perToken();
        // 2,000 a second per client address (IPv6: per /64).
        static Policy perAddress();
    };

    // The answer to one request.
    struct Decision
    {
        bool allowed = false;
        // Requests left in the bucket after this one.
        qint64 remaining = 0;
        // Allowed: seconds until the bucket is full again. Refused: seconds until the next
        // request will be allowed, the same moment as Retry-After.
        qint64 resetSeconds = 0;
        // Refused: the Retry-After value; 0 when allowed.
        qint64 retryAfterSeconds = 0;
        // The policy's name and RateLimit-Policy value, serialised.
        QByteArray policyName;
        QByteArray policyField;

        // RateLimit-Policy and RateLimit for every answer, Retry-After too for a refusal.
        Headers headers() const;
    };

    static constexpr qsizetype kDefaultMaxKeys = 50'000;

    // The quota is clamped to 1..10^9 and the window to 1..10^6 seconds.
    explicit RateLimiter(Policy policy, qsizetype maxKeys = kDefaultMaxKeys, ApiClock clock = {});
    Q_DISABLE_COPY_MOVE(RateLimiter)

    // Takes one request from key's bucket if there is one. A refused request takes nothing,
    // so a client that keeps retrying is let in as soon as its bucket has refilled by one.
    Decision check(const QString &key);

    const Policy &policy() const { return m_policy; }
    qsizetype trackedKeys() const;

    // The policy's RateLimit-Policy value: "token";q=1000;w=1 (draft-ietf-httpapi-ratelimit-
    // headers-09, section 3).
    static QByteArray policyFieldValue(const Policy &policy);

private:
    // A bucket's content in 1/(quota * window ms) parts of a request, so that refilling by
    // quota parts a millisecond is exact integer arithmetic: a request costs window ms parts
    // and a full bucket holds quota * window ms of them.
    struct Bucket
    {
        qint64 level = 0;
        std::chrono::milliseconds updatedAt{0};
        // When the key was last asked for, counting checks: many share a millisecond.
        quint64 lastCheck = 0;
    };

    void refill(Bucket &bucket, std::chrono::milliseconds now) const;
    bool isIdle(const Bucket &bucket, std::chrono::milliseconds now) const;
    void forgetIdle(std::chrono::milliseconds now);
    void makeRoom(std::chrono::milliseconds now);

    const Policy m_policy;
    const qint64 m_windowMs;
    const qint64 m_capacity;
    const qsizetype m_maxKeys;
    const ApiClock m_clock;
    const QByteArray m_policyName;
    const QByteArray m_policyField;

    mutable QMutex m_mutex;
    QHash<QString, Bucket> m_buckets;
    quint64 m_checks = 0;
    std::chrono::milliseconds m_lastSweep{0};
    std::optional<std::chrono::milliseconds> m_lastEvictionWarning;
    qsizetype m_evictedUnreported = 0;
};
