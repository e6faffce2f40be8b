#include "tokenverifier.h"

#include "integrationtoken.h"
#include "servicelogging.h"
#include "tokenrepository.h"
#include "tokensecret.h"

namespace {

// Live tokens are few; a bound keeps a bug elsewhere from growing the cache without end.
constexpr qsizetype kMaxEntries = 10'000;

} // namespace

TokenVerifier::TokenVerifier(const Database &database, Clock clock)
    : m_database(database)
    , m_clock(clock ? std::move(clock) : Clock([] { return QDateTime::currentDateTimeUtc(); }))
{}

std::variant<TokenVerifier::Grant, TokenVerifier::Refusal>
TokenVerifier::verify(QByteArrayView secret)
{
    if (!TokenSecret::hasSecretShape(secret))
        return Refusal::Malformed;
    const QByteArray digest = TokenSecret::digest(secret);
    const QDateTime now = m_clock();
    {
        QMutexLocker locker(&m_mutex);
        const auto found = m_entries.constFind(digest);
        if (found != m_entries.cend() && found->checkedAt.msecsTo(now) < kRecheckMs &&
            found->checkedAt <= now) {
            if (found->expiresAt.isValid() && now >= found->expiresAt)
                return Refusal::Expired;
            return found->grant;
        }
    }
    return lookUp(digest, now);
}

std::variant<TokenVerifier::Grant, TokenVerifier::Refusal>
TokenVerifier::lookUp(const QByteArray &digest, const QDateTime &now)
{
    TokenRepository tokens(m_database);
    const std::optional<IntegrationToken> token = tokens.findByDigest(digest);
    if (!token || token->revokedAt.isValid() ||
        (token->expiresAt.isValid() && now >= token->expiresAt)) {
        QMutexLocker locker(&m_mutex);
        m_entries.remove(digest);
        if (!token)
            return Refusal::Unknown;
        return token->revokedAt.isValid() ? Refusal::Revoked : Refusal::Expired;
    }

    Entry entry{{token->id, token->name, token->scopes}, token->expiresAt, now, token->lastUsedAt};
    const bool writeLastUse = !entry.lastUseWritten.isValid() ||
                              entry.lastUseWritten.msecsTo(now) >= kLastUseResolutionMs;
    if (writeLastUse) {
        entry.lastUseWritten = now;
        // A failed bookkeeping write must not refuse a good token.
        try {
            tokens.markUsed(token->id, now);
        } catch (const std::exception &error) {
            qCWarning(lcService) << "Could not note the use of token" << token->name
                                 << error.what();
        }
    }
    QMutexLocker locker(&m_mutex);
    if (m_entries.size() >= kMaxEntries)
        m_entries.clear();
    m_entries.insert(digest, entry);
    return entry.grant;
}

void TokenVerifier::forgetAll()
{
    QMutexLocker locker(&m_mutex);
    m_entries.clear();
}
