#pragma once

#include "actor.h"
#include "apierror.h"
#include "clientaddressresolver.h"
#include "corspolicy.h"
#include "hostallowlist.h"
#include "httprequest.h"
#include "ratelimiter.h"
#include "scope.h"

#include <optional>
#include <variant>

class CredentialFailureTracker;
class TokenVerifier;

// How many requests the API takes from one token and one client address.
struct ApiLimits
{
    RateLimiter::Policy perToken = RateLimiter::Policy::perToken();
    RateLimiter::Policy perAddress = RateLimiter::Policy::perAddress();
    // Clients on this machine (scripts, a benchmark) are not rate limited unless set: they could
    // reach the database directly anyway. Bans apply to them all the same.
    bool limitLoopback = false;
};

// The checks a request passes before any handler runs, in order: the Host it was sent to, a
// ban of its client for bad credentials, its client's rate limit; then its bearer token, the
// scope the endpoint needs and the token's rate limit. Shared by every API thread of a node.
class ApiGuard final
{
public:
    static constexpr QByteArrayView kRealm = "support-console";

    using Limits = ApiLimits;

    ApiGuard(TokenVerifier &tokens, CredentialFailureTracker &failures, HostAllowList hosts,
             ClientAddressResolver proxies = {}, Limits limits = {}, CorsPolicy cors = {});
    Q_DISABLE_COPY_MOVE(ApiGuard)

    // 403 for a token that lacks a scope, naming it.
    static ApiError lacksScope(const QString &tokenName, Scope needed);

    const CorsPolicy &cors() const { return m_cors; }
    // The peer is a reverse proxy this node believes about its clients.
    bool isTrustedProxy(const QHostAddress &peer) const { return m_proxies.isTrusted(peer); }

    // The client the request comes from: the socket's peer, or the address a trusted proxy
    // forwarded.
    QHostAddress clientAddress(const HttpRequest &request) const;
    // 421 for a Host the API is not known by; 429 for a banned or too busy client.
    std::optional<ApiError> admit(const HttpRequest &request, const QHostAddress &client);

    struct Authorized
    {
        Actor actor;
        // Everything the token may do, for answers that depend on more than the needed scope.
        Scopes scopes;
        // The token's RateLimit headers, for the answer.
        QList<std::pair<QByteArray, QByteArray>> headers;
    };
    // The integration the request acts for; or 401 (possibly to be answered after a delay),
    // 403, or 429. Throws StorageError when the token cannot be looked up.
    std::variant<Authorized, ApiError> authorize(const HttpRequest &request,
                                                 const QHostAddress &client, Scope needed);

private:
    bool isLimited(const QHostAddress &client) const;
    ApiError refusedCredential(const QString &reason, Scope needed, const QHostAddress &client);

    TokenVerifier &m_tokens;
    CredentialFailureTracker &m_failures;
    const HostAllowList m_hosts;
    const ClientAddressResolver m_proxies;
    const bool m_limitLoopback;
    const CorsPolicy m_cors;
    RateLimiter m_tokenLimiter;
    RateLimiter m_addressLimiter;
};
