#pragma once

#include "apiclock.h"

#include <QByteArray>
#include <QHash>
#include <QHostAddress>
#include <QList>
#include <QMutex>
#include <QString>

#include <atomic>
#include <chrono>
#include <limits>
#include <optional>
#include <utility>

// Slows down, then bans for a while, a client address that keeps presenting bad credentials,
// and logs the ban. It only counts and computes: the request path refuses a banned address
// before looking at its credential, and answers a failed attempt after the delay given here
// with a timer, never by sleeping. Addresses count as ClientAddressResolver::partitionKey()
// groups them (IPv6 by /64). Thread-safe; it remembers a bounded number of addresses.
class CredentialFailureTracker final
{
public:
    using Headers = QList<std::pair<QByteArray, QByteArray>>;

    struct Policy
    {
        // Failures answered at once: a mistyped or just rotated token is not an attack.
        int failuresBeforeDelay = 3;
        // The next failure waits this long, each one after it twice as long, up to maxDelay.
        std::chrono::milliseconds firstDelay = std::chrono::seconds(1);
        std::chrono::milliseconds maxDelay = std::chrono::seconds(8);
        // This many failures within the window ban the address for banDuration.
        int failuresBeforeBan = 10;
        std::chrono::milliseconds window = std::chrono::minutes(10);
        std::chrono::milliseconds banDuration = std::chrono::minutes(15);
    };

    // Whether a client may present a credential at all. A banned one is answered 429 with
    // Retry-After, not 403: the refusal is for a while and says how long, where 403 would claim
    // that the credential, which nobody looked at, lacks a permission. The ratelimit draft's
    // "abnormal-usage-detected" problem type is answered 429 as well.
    struct Ban
    {
        bool banned = false;
        qint64 retryAfterSeconds = 0;

        // Retry-After for the 429 answer to a banned client; empty when not banned.
        Headers headers() const;
    };

    // What to do with the answer to a failed attempt.
    struct Failure
    {
        // Failures within the current window, this one included.
        int failures = 0;
        // Answer the refusal this much later; zero answers at once.
        std::chrono::milliseconds delay{0};
        // This failure banned the address (or it already was): answer 429 at once, with
        // Retry-After, instead of the refusal.
        bool banned = false;
        qint64 retryAfterSeconds = 0;
    };

    static constexpr qsizetype kDefaultMaxAddresses = 50'000;

    CredentialFailureTracker();
    explicit CredentialFailureTracker(Policy policy, qsizetype maxAddresses = kDefaultMaxAddresses,
                                      ApiClock clock = {});
    Q_DISABLE_COPY_MOVE(CredentialFailureTracker)

    // Before a credential is checked. Costs no lock while nobody is banned.
    Ban ban(const QHostAddress &client) const;
    // After a credential was refused. The credential itself is never given here, so it can
    // never reach a log.
    Failure recordFailure(const QHostAddress &client);
    // After a credential was accepted: the next failure is answered at once again. It does
    // not forgive the failures counted towards a ban, or a client holding one valid token
    // could guess others without end by mixing in good requests; nor does it lift a ban.
    // Costs no lock while no address has failed lately.
    void recordSuccess(const QHostAddress &client);

    const Policy &policy() const { return m_policy; }
    qsizetype trackedAddresses() const;

private:
    struct Entry
    {
        // Failures since the last success within the window: they set the delay.
        int streak = 0;
        // Failures within the window that started at windowStart: they lead to a ban.
        int failures = 0;
        std::chrono::milliseconds windowStart{0};
        std::chrono::milliseconds bannedUntil{0};
        // When the last failure was, counting failures: many share a millisecond.
        quint64 lastFailure = 0;
    };

    std::chrono::milliseconds delayFor(int streak) const;
    bool isIdle(const Entry &entry, std::chrono::milliseconds now) const;
    void forgetIdle(std::chrono::milliseconds now);
    void makeRoom(std::chrono::milliseconds now);

    const Policy m_policy;
    const qsizetype m_maxAddresses;
    const ApiClock m_clock;

    mutable QMutex m_mutex;
    QHash<QString, Entry> m_entries;
    quint64 m_failures = 0;
    std::chrono::milliseconds m_lastSweep{0};
    std::optional<std::chrono::milliseconds> m_lastEvictionWarning;
    qsizetype m_evictedUnreported = 0;
    qsizetype m_liftedBansUnreported = 0;
    // The end of the latest ban given; until then ban() has to look.
    std::atomic<qint64> m_bansUntilMs{std::numeric_limits<qint64>::min()};
    // m_entries.size() for recordSuccess() to read without the lock.
    std::atomic<qsizetype> m_tracked = 0;
};
