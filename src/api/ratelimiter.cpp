#include "ratelimiter.h"

#include "apilogging.h"

#include <QMutexLocker>

#include <algorithm>
#include <vector>

using namespace std::chrono_literals;

// The header fields follow draft-ietf-httpapi-ratelimit-headers-09 (March 2025): RateLimit-Policy
// is a Structured Fields list of policies, a string item with the quota "q" and the window "w"
// in seconds; RateLimit is a list of service limits, the policy's name with the remaining
// quota "r" and the seconds until it resets "t". Earlier drafts (up to -06) used separate
// RateLimit-Limit/-Remaining/-Reset fields; -07 a dictionary of limit, remaining and reset.
//
// A token bucket rather than a sliding window: two integers per key and no per-request
// history, no burst at the edge of a fixed window, and a refused client learns to the
// millisecond when its next request fits. The bucket holds the policy's quota and refills it
// over the window, so q and w read as the draft means them for a client that starts full:
// q requests now, then q more every w seconds.

namespace {

constexpr qint64 kMaxQuota = 1'000'000'000;
constexpr qint64 kMaxWindowSeconds = 1'000'000;
// Forgetting the buckets that have filled up again costs a walk over every key, so it is done
// at most this often unless the table is full.
constexpr std::chrono::milliseconds kSweepInterval = 60s;
constexpr std::chrono::milliseconds kEvictionWarningInterval = 60s;

RateLimiter::Policy clamped(RateLimiter::Policy policy)
{
    policy.quota = std::clamp<qint64>(policy.quota, 1, kMaxQuota);
    policy.windowSeconds = std::clamp<qint64>(policy.windowSeconds, 1, kMaxWindowSeconds);
    return policy;
}

// An RFC 8941 sf-string. Characters it cannot hold are left out; names are ours, not a client's.
QByteArray structuredString(QByteArrayView text)
{
    QByteArray quoted;
    quoted.reserve(text.size() + 2);
    quoted.append('"');
    for (const char c : text) {
        if (c < 0x20 || c > 0x7e)
            continue;
        if (c == '"' || c == '\\')
            quoted.append('\\');
        quoted.append(c);
    }
    quoted.append('"');
    return quoted;
}

qint64 ceilDiv(qint64 numerator, qint64 denominator)
{
    return (numerator + denominator - 1) / denominator;
}

} // namespace

RateLimiter::Policy RateLimiter::Policy::perToken()
{
    return {QByteArrayLiteral("token"), 1000, 1};
}

RateLimiter::Policy RateLimiter::Policy::perAddress()
{
    return {QByteArrayLiteral("address"), 2000, 1};
}

RateLimiter::Headers RateLimiter::Decision::headers() const
{
    Headers headers;
    headers.reserve(allowed ? 2 : 3);
    headers.append({QByteArrayLiteral("RateLimit-Policy"), policyField});
    headers.append({QByteArrayLiteral("RateLimit"), policyName +
                                                        ";r=" + QByteArray::number(remaining) +
                                                        ";t=" + QByteArray::number(resetSeconds)});
    if (!allowed)
        headers.append({QByteArrayLiteral("Retry-After"), QByteArray::number(retryAfterSeconds)});
    return headers;
}

RateLimiter::RateLimiter(Policy policy, qsizetype maxKeys, ApiClock clock)
    : m_policy(clamped(std::move(policy)))
    , m_windowMs(m_policy.windowSeconds * 1000)
    , m_capacity(m_policy.quota * m_windowMs)
    , m_maxKeys(std::max<qsizetype>(1, maxKeys))
    , m_clock(clock ? std::move(clock) : steadyApiClock())
    , m_policyName(structuredString(m_policy.name))
    , m_policyField(policyFieldValue(m_policy))
{}

RateLimiter::Decision RateLimiter::check(const QString &key)
{
    Decision decision;
    decision.policyName = m_policyName;
    decision.policyField = m_policyField;

    const QMutexLocker lock(&m_mutex);
    // Read under the lock, so that every bucket sees time move forward.
    const std::chrono::milliseconds now = m_clock();
    if (now - m_lastSweep >=
        std::max<std::chrono::milliseconds>(kSweepInterval, 1s * m_policy.windowSeconds)) {
        forgetIdle(now);
        m_lastSweep = now;
    }
    auto bucket = m_buckets.find(key);
    if (bucket == m_buckets.end()) {
        if (m_buckets.size() >= m_maxKeys)
            makeRoom(now);
        bucket = m_buckets.insert(key, Bucket{m_capacity, now, 0});
    }
    refill(*bucket, now);
    bucket->lastCheck = ++m_checks;

    // m_windowMs parts are one request; m_policy.quota parts flow in each millisecond.
    if (bucket->level >= m_windowMs) {
        bucket->level -= m_windowMs;
        decision.allowed = true;
        decision.remaining = bucket->level / m_windowMs;
        decision.resetSeconds = ceilDiv(ceilDiv(m_capacity - bucket->level, m_policy.quota), 1000);
    } else {
        // At least one second: Retry-After has no smaller value, and 0 would invite a retry
        // that is refused again.
        decision.retryAfterSeconds =
            ceilDiv(ceilDiv(m_windowMs - bucket->level, m_policy.quota), 1000);
        decision.resetSeconds = decision.retryAfterSeconds;
    }
    return decision;
}

qsizetype RateLimiter::trackedKeys() const
{
    const QMutexLocker lock(&m_mutex);
    return m_buckets.size();
}

QByteArray RateLimiter::policyFieldValue(const Policy &policy)
{
    const Policy valid = clamped(policy);
    return structuredString(valid.name) + ";q=" + QByteArray::number(valid.quota) +
           ";w=" + QByteArray::number(valid.windowSeconds);
}

void RateLimiter::refill(Bucket &bucket, std::chrono::milliseconds now) const
{
    const qint64 elapsed = (now - bucket.updatedAt).count();
    if (elapsed <= 0)
        return;
    // A window or more fills any bucket; checked first so that elapsed * quota cannot overflow.
    bucket.level = elapsed >= m_windowMs
                       ? m_capacity
                       : std::min(m_capacity, bucket.level + elapsed * m_policy.quota);
    bucket.updatedAt = now;
}

bool RateLimiter::isIdle(const Bucket &bucket, std::chrono::milliseconds now) const
{
    // Full again: a fresh bucket for the key would be the same.
    return (now - bucket.updatedAt).count() >= m_windowMs;
}

void RateLimiter::forgetIdle(std::chrono::milliseconds now)
{
    m_buckets.removeIf([this, now](const QHash<QString, Bucket>::iterator &it) {
        return isIdle(it.value(), now);
    });
}

// The table is full: a flood of distinct keys, or more clients than it was sized for. Full
// buckets go first, since forgetting them changes nothing. If that is not enough, the quarter
// of the keys seen longest ago go too (the nearest to full); their next request starts with a
// full bucket, which lets them briefly exceed the limit, the price of bounded memory.
void RateLimiter::makeRoom(std::chrono::milliseconds now)
{
    forgetIdle(now);
    if (m_buckets.size() < m_maxKeys)
        return;
    std::vector<quint64> seen;
    seen.reserve(size_t(m_buckets.size()));
    for (const Bucket &bucket : std::as_const(m_buckets))
        seen.push_back(bucket.lastCheck);
    const qsizetype evict = std::max<qsizetype>(1, m_buckets.size() / 4);
    std::nth_element(seen.begin(), seen.begin() + (evict - 1), seen.end());
    const quint64 cutoff = seen[size_t(evict - 1)];
    qsizetype evicted = 0;
    m_buckets.removeIf([&](const QHash<QString, Bucket>::iterator &it) {
        if (evicted >= evict || it.value().lastCheck > cutoff)
            return false;
        ++evicted;
        return true;
    });
    // A flood would fill the table again and again; one line a minute says as much.
    m_evictedUnreported += evicted;
    if (!m_lastEvictionWarning || now - *m_lastEvictionWarning >= kEvictionWarningInterval) {
        qCWarning(lcApiAbuse).nospace()
            << "Rate limit " << m_policy.name.constData() << ": " << m_maxKeys
            << " keys tracked, forgot the " << m_evictedUnreported << " seen longest ago";
        m_lastEvictionWarning = now;
        m_evictedUnreported = 0;
    }
}
