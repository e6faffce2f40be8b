#include "credentialfailuretracker.h"

#include "apilogging.h"
#include "clientaddressresolver.h"

#include <QMutexLocker>

#include <algorithm>
#include <vector>

using namespace std::chrono_literals;

namespace {

// Forgetting the addresses whose window has passed costs a walk over all of them, so it is
// done at most this often unless the table is full.
constexpr std::chrono::milliseconds kSweepInterval = 60s;
constexpr std::chrono::milliseconds kEvictionWarningInterval = 60s;

CredentialFailureTracker::Policy clamped(CredentialFailureTracker::Policy policy)
{
    policy.failuresBeforeDelay = std::max(0, policy.failuresBeforeDelay);
    policy.failuresBeforeBan = std::max(1, policy.failuresBeforeBan);
    policy.firstDelay = std::max(0ms, policy.firstDelay);
    policy.maxDelay = std::max(policy.firstDelay, policy.maxDelay);
    policy.window = std::max(1ms, policy.window);
    // A ban of no time would tell the client to come back in 0 s.
    policy.banDuration = std::max<std::chrono::milliseconds>(1s, policy.banDuration);
    return policy;
}

// Retry-After counts whole seconds; rounding down would invite a retry that is still refused.
qint64 ceilSeconds(std::chrono::milliseconds duration)
{
    return (duration.count() + 999) / 1000;
}

} // namespace

CredentialFailureTracker::Headers CredentialFailureTracker::Ban::headers() const
{
    if (!banned)
        return {};
    return {{QByteArrayLiteral("Retry-After"), QByteArray::number(retryAfterSeconds)}};
}

CredentialFailureTracker::CredentialFailureTracker()
    : CredentialFailureTracker(Policy{})
{}

CredentialFailureTracker::CredentialFailureTracker(Policy policy, qsizetype maxAddresses,
                                                   ApiClock clock)
    : m_policy(clamped(policy))
    , m_maxAddresses(std::max<qsizetype>(1, maxAddresses))
    , m_clock(clock ? std::move(clock) : steadyApiClock())
{}

CredentialFailureTracker::Ban CredentialFailureTracker::ban(const QHostAddress &client) const
{
    // Every request asks, and almost always nobody is banned: then the lock is not needed.
    const std::chrono::milliseconds now = m_clock();
    if (now.count() >= m_bansUntilMs.load(std::memory_order_acquire))
        return {};
    const QString key = ClientAddressResolver::partitionKey(client);
    const QMutexLocker lock(&m_mutex);
    const auto entry = m_entries.constFind(key);
    if (entry == m_entries.cend() || entry->bannedUntil <= now)
        return {};
    return {true, ceilSeconds(entry->bannedUntil - now)};
}

CredentialFailureTracker::Failure
CredentialFailureTracker::recordFailure(const QHostAddress &client)
{
    const QString key = ClientAddressResolver::partitionKey(client);
    const QMutexLocker lock(&m_mutex);
    const std::chrono::milliseconds now = m_clock();
    if (now - m_lastSweep >= std::max(kSweepInterval, m_policy.window)) {
        forgetIdle(now);
        m_lastSweep = now;
    }
    auto entry = m_entries.find(key);
    if (entry == m_entries.end()) {
        if (m_entries.size() >= m_maxAddresses)
            makeRoom(now);
        entry = m_entries.insert(key, Entry{});
    }

    Failure failure;
    if (entry->bannedUntil > now) {
        // Its credential was checked just before the ban began; the ban stands as it is.
        failure.banned = true;
        failure.retryAfterSeconds = ceilSeconds(entry->bannedUntil - now);
        return failure;
    }
    if (entry->failures == 0 || now - entry->windowStart >= m_policy.window)
        *entry = Entry{0, 0, now, 0ms, 0};
    failure.failures = ++entry->failures;
    ++entry->streak;
    entry->lastFailure = ++m_failures;

    if (entry->failures >= m_policy.failuresBeforeBan) {
        entry->bannedUntil = now + m_policy.banDuration;
        qint64 latest = m_bansUntilMs.load(std::memory_order_relaxed);
        m_bansUntilMs.store(std::max<qint64>(latest, entry->bannedUntil.count()),
                            std::memory_order_release);
        qCWarning(lcApiAbuse).noquote().nospace()
            << "Banned " << key << " for " << ceilSeconds(m_policy.banDuration) << " s after "
            << entry->failures << " failed credentials in " << ceilSeconds(now - entry->windowStart)
            << " s";
        // Counting starts afresh once the ban is over.
        entry->failures = 0;
        entry->streak = 0;
        failure.banned = true;
        failure.retryAfterSeconds = ceilSeconds(m_policy.banDuration);
    } else {
        failure.delay = delayFor(entry->streak);
    }
    m_tracked.store(m_entries.size(), std::memory_order_relaxed);
    return failure;
}

void CredentialFailureTracker::recordSuccess(const QHostAddress &client)
{
    // Every authenticated request reports here, and almost always nobody has failed lately:
    // then there is nothing to reset and no lock to take. No entry is made for a success.
    if (m_tracked.load(std::memory_order_relaxed) == 0)
        return;
    const QString key = ClientAddressResolver::partitionKey(client);
    const QMutexLocker lock(&m_mutex);
    const auto entry = m_entries.find(key);
    if (entry == m_entries.end())
        return;
    entry->streak = 0;
    if (entry->failures == 0 && entry->bannedUntil <= m_clock())
        m_entries.erase(entry);
    m_tracked.store(m_entries.size(), std::memory_order_relaxed);
}

qsizetype CredentialFailureTracker::trackedAddresses() const
{
    const QMutexLocker lock(&m_mutex);
    return m_entries.size();
}

std::chrono::milliseconds CredentialFailureTracker::delayFor(int streak) const
{
    if (streak <= m_policy.failuresBeforeDelay)
        return 0ms;
    std::chrono::milliseconds delay = m_policy.firstDelay;
    for (int i = m_policy.failuresBeforeDelay + 1; i < streak && delay < m_policy.maxDelay; ++i)
        delay *= 2;
    return std::min(delay, m_policy.maxDelay);
}

bool CredentialFailureTracker::isIdle(const Entry &entry, std::chrono::milliseconds now) const
{
    return entry.bannedUntil <= now &&
           (entry.failures == 0 || now - entry.windowStart >= m_policy.window);
}

void CredentialFailureTracker::forgetIdle(std::chrono::milliseconds now)
{
    m_entries.removeIf(
        [this, now](const QHash<QString, Entry>::iterator &it) { return isIdle(it.value(), now); });
}

// The table is full of addresses with recent failures: a spread-out attack. The quarter of
// them that failed longest ago go, banned addresses last, since forgetting one lifts its ban.
void CredentialFailureTracker::makeRoom(std::chrono::milliseconds now)
{
    forgetIdle(now);
    if (m_entries.size() < m_maxAddresses)
        return;
    using Rank = std::pair<bool, quint64>;
    const auto rank = [now](const Entry &entry) {
        return Rank{entry.bannedUntil > now, entry.lastFailure};
    };
    std::vector<Rank> ranks;
    ranks.reserve(size_t(m_entries.size()));
    for (const Entry &entry : std::as_const(m_entries))
        ranks.push_back(rank(entry));
    const qsizetype evict = std::max<qsizetype>(1, m_entries.size() / 4);
    std::nth_element(ranks.begin(), ranks.begin() + (evict - 1), ranks.end());
    const Rank cutoff = ranks[size_t(evict - 1)];
    qsizetype evicted = 0;
    qsizetype liftedBans = 0;
    m_entries.removeIf([&](const QHash<QString, Entry>::iterator &it) {
        const Rank entryRank = rank(it.value());
        if (evicted >= evict || cutoff < entryRank)
            return false;
        ++evicted;
        liftedBans += entryRank.first ? 1 : 0;
        return true;
    });
    // A spread-out attack would fill the table again and again; one line a minute says as much.
    m_evictedUnreported += evicted;
    m_liftedBansUnreported += liftedBans;
    if (!m_lastEvictionWarning || now - *m_lastEvictionWarning >= kEvictionWarningInterval) {
        qCWarning(lcApiAbuse).nospace()
            << "Credential failures: " << m_maxAddresses << " addresses tracked, forgot the "
            << m_evictedUnreported << " that failed longest ago (" << m_liftedBansUnreported
            << " of them banned)";
        m_lastEvictionWarning = now;
        m_evictedUnreported = 0;
        m_liftedBansUnreported = 0;
    }
}
