#include "retrypolicy.h"

#include <QLocale>
#include <QRandomGenerator>
#include <QTimeZone>

#include <algorithm>
#include <array>

using namespace Qt::StringLiterals;
using std::chrono::milliseconds;

RetryPolicy::RetryPolicy(int maxAttempts, milliseconds backoffBase, milliseconds backoffMax,
                         milliseconds retryAfterMax, RandomSource random)
    : m_maxAttempts(std::max(1, maxAttempts))
    , m_backoffBase(std::max(milliseconds(0), backoffBase))
    , m_backoffMax(std::max(m_backoffBase, backoffMax))
    , m_retryAfterMax(std::max(milliseconds(0), retryAfterMax))
    , m_random(random ? std::move(random)
                      : RandomSource([] { return QRandomGenerator::global()->generateDouble(); }))
{}

milliseconds RetryPolicy::backoff(int failedAttempts) const
{
    // Doubling stops once past the cap, so large attempt numbers cannot overflow.
    milliseconds ceiling = m_backoffBase;
    for (int i = 1; i < failedAttempts && ceiling < m_backoffMax; ++i)
        ceiling *= 2;
    ceiling = std::min(ceiling, m_backoffMax);
    const double random = std::clamp(m_random(), 0.0, 1.0);
    const auto half = ceiling.count() / 2;
    return milliseconds(half + qRound64(random * double(ceiling.count() - half)));
}

std::optional<milliseconds> RetryPolicy::nextDelay(int attemptsMade, bool retryable,
                                                   std::optional<milliseconds> retryAfter) const
{
    if (!retryable || attemptsMade >= m_maxAttempts)
        return std::nullopt;
    if (retryAfter) {
        // Waiting less than the server asked only earns another 429; waiting longer than the
        // cap holds a worker that another provider could use.
        if (*retryAfter > m_retryAfterMax)
            return std::nullopt;
        return *retryAfter;
    }
    return backoff(attemptsMade);
}

bool RetryPolicy::isRetryableStatus(int httpStatus)
{
    return httpStatus == 408 || httpStatus == 429 || (httpStatus >= 500 && httpStatus <= 599);
}

bool RetryPolicy::honoursRetryAfter(int httpStatus)
{
    return httpStatus == 429 || httpStatus == 503;
}

std::optional<milliseconds> RetryPolicy::parseRetryAfter(QByteArrayView value, const QDateTime &now)
{
    const QByteArrayView trimmed = value.trimmed();
    if (trimmed.isEmpty())
        return std::nullopt;

    if (std::all_of(trimmed.begin(), trimmed.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        // More than a day is as good as forever here; clamping keeps the arithmetic safe.
        if (trimmed.size() > 6)
            return milliseconds(86'400'000);
        return milliseconds(std::min(trimmed.toInt(), 86'400) * 1000LL);
    }

    // IMF-fixdate first (what servers send), then the two obsolete forms RFC 9110 still
    // requires recipients to accept. English names whatever the user's locale.
    static constexpr std::array kFormats{
        "ddd, dd MMM yyyy HH:mm:ss 'GMT'"_L1,
        "dddd, dd-MMM-yy HH:mm:ss 'GMT'"_L1,
        "ddd MMM d HH:mm:ss yyyy"_L1,
    };
    const QString text = QString::fromLatin1(trimmed).simplified();
    const QLocale c = QLocale::c();
    for (const QLatin1StringView format : kFormats) {
        QDateTime date = c.toDateTime(text, format);
        if (!date.isValid())
            continue;
        date.setTimeZone(QTimeZone::utc());
        // Two-digit years of RFC 850 are in the past century for Qt; nobody means 1925.
        if (date.date().year() < 1970)
            date = date.addYears(100);
        return milliseconds(std::max<qint64>(0, now.msecsTo(date)));
    }
    return std::nullopt;
}
