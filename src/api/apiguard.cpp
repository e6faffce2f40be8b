#include "apiguard.h"

#include "apilogging.h"
#include "credentialfailuretracker.h"
#include "jsonkeys.h"
#include "tokenverifier.h"

namespace {

QByteArray challenge(const QByteArray &parameters = {})
{
    QByteArray value = "Bearer realm=\"" + ApiGuard::kRealm.toByteArray() + '"';
    if (!parameters.isEmpty())
        value += ", " + parameters;
    return value;
}

ApiError unauthorized(const QString &message, Scope needed, const QByteArray &parameters = {})
{
    ApiError error = ApiError::make(ApiError::Kind::Unauthorized, message);
    error.details.insert(JsonKey::requiredScope, QString(scopeName(needed)));
    error.headers.append({QByteArrayLiteral("WWW-Authenticate"), challenge(parameters)});
    return error;
}

} // namespace

ApiError ApiGuard::lacksScope(const QString &tokenName, Scope needed)
{
    ApiError error = ApiError::make(
        ApiError::Kind::Forbidden,
        QStringLiteral("The token %1 lacks the scope %2.").arg(tokenName, scopeName(needed)));
    error.details.insert(JsonKey::requiredScope, QString(scopeName(needed)));
    const QLatin1String scope = scopeName(needed);
    error.headers.append({QByteArrayLiteral("WWW-Authenticate"),
                          challenge(QByteArray("error=\"insufficient_scope\", scope=\"" +
                                               QByteArray(scope.data(), scope.size()) + '"'))});
    return error;
}

namespace {

ApiError tooManyRequests(const QString &message,
                         const QList<std::pair<QByteArray, QByteArray>> &headers)
{
    ApiError error = ApiError::make(ApiError::Kind::TooManyRequests, message);
    error.headers = headers;
    return error;
}

} // namespace

ApiGuard::ApiGuard(TokenVerifier &tokens, CredentialFailureTracker &failures, HostAllowList hosts,
                   ClientAddressResolver proxies, Limits limits, CorsPolicy cors)
    : m_tokens(tokens)
    , m_failures(failures)
    , m_hosts(std::move(hosts))
    , m_proxies(std::move(proxies))
    , m_limitLoopback(limits.limitLoopback)
    , m_cors(std::move(cors))
    , m_tokenLimiter(limits.perToken)
    , m_addressLimiter(limits.perAddress)
{}

QHostAddress ApiGuard::clientAddress(const HttpRequest &request) const
{
    const QHostAddress &peer = request.peer;
    // Most requests come straight from their client; then the header is not even read.
    if (m_proxies.trustedProxies().isEmpty())
        return ClientAddressResolver::normalized(peer);
    return m_proxies.resolve(peer, request.headerValues("X-Forwarded-For"));
}

bool ApiGuard::isLimited(const QHostAddress &client) const
{
    return m_limitLoopback || !client.isLoopback();
}

std::optional<ApiError> ApiGuard::admit(const HttpRequest &request, const QHostAddress &client)
{
    const QByteArray host = request.header("Host");
    if (!m_hosts.allows(host)) {
        qCInfo(lcApi).noquote() << "Refused a request for host"
                                << QString::fromLatin1(host).left(100) << "from"
                                << client.toString();
        return ApiError::make(
            ApiError::Kind::MisdirectedRequest,
            host.isEmpty()
                ? QStringLiteral("Send a Host header naming this server.")
                : QStringLiteral("This server does not answer for the host %1; configure it as "
                                 "an allowed host if a proxy or DNS name points here.")
                      .arg(QString::fromLatin1(host).left(100)));
    }
    if (const CredentialFailureTracker::Ban ban = m_failures.ban(client); ban.banned) {
        return tooManyRequests(QStringLiteral("Too many bad credentials came from this address; "
                                              "try again in %1 seconds.")
                                   .arg(ban.retryAfterSeconds),
                               ban.headers());
    }
    if (isLimited(client)) {
        const RateLimiter::Decision decision =
            m_addressLimiter.check(ClientAddressResolver::partitionKey(client));
        if (!decision.allowed) {
            return tooManyRequests(QStringLiteral("Too many requests from this address; try "
                                                  "again in %1 seconds.")
                                       .arg(decision.retryAfterSeconds),
                                   decision.headers());
        }
    }
    return std::nullopt;
}

ApiError ApiGuard::refusedCredential(const QString &reason, Scope needed,
                                     const QHostAddress &client)
{
    const CredentialFailureTracker::Failure failure = m_failures.recordFailure(client);
    if (failure.banned) {
        ApiError error = tooManyRequests(
            QStringLiteral("Too many bad credentials came from this address; try again in %1 "
                           "seconds.")
                .arg(failure.retryAfterSeconds),
            {{QByteArrayLiteral("Retry-After"), QByteArray::number(failure.retryAfterSeconds)}});
        return error;
    }
    ApiError error = unauthorized(
        reason, needed,
        QByteArray("error=\"invalid_token\", error_description=\"" + reason.toLatin1() + '"'));
    // Answered later by a timer on the worker's event loop, which serves others meanwhile.
    error.delay = failure.delay;
    return error;
}

std::variant<ApiGuard::Authorized, ApiError>
ApiGuard::authorize(const HttpRequest &request, const QHostAddress &client, Scope needed)
{
    const QByteArray authorization = request.header("Authorization");
    // No credential at all is a client that has not been set up yet, not a guess.
    if (authorization.isEmpty())
        return unauthorized(QStringLiteral("Send a token: Authorization: Bearer <token>."), needed);
    const qsizetype space = authorization.indexOf(' ');
    if (space < 0 || authorization.left(space).toLower() != "bearer")
        return unauthorized(QStringLiteral("Only bearer tokens are accepted: Authorization: "
                                           "Bearer <token>."),
                            needed, QByteArrayLiteral("error=\"invalid_request\""));
    const QByteArrayView secret = QByteArrayView(authorization).sliced(space + 1).trimmed();

    const auto verified = m_tokens.verify(secret);
    if (const auto *refusal = std::get_if<TokenVerifier::Refusal>(&verified)) {
        switch (*refusal) {
        case TokenVerifier::Refusal::Malformed:
        case TokenVerifier::Refusal::Unknown:
            return refusedCredential(QStringLiteral("The token is not valid."), needed, client);
        case TokenVerifier::Refusal::Expired:
            return refusedCredential(QStringLiteral("The token has expired."), needed, client);
        case TokenVerifier::Refusal::Revoked:
            return refusedCredential(QStringLiteral("The token was revoked."), needed, client);
        }
    }
    m_failures.recordSuccess(client);
    const auto &grant = std::get<TokenVerifier::Grant>(verified);
    if (!grant.scopes.testFlag(needed))
        return lacksScope(grant.name, needed);
    Authorized authorized{Actor::integration(grant.name), grant.scopes, {}};
    if (isLimited(client)) {
        const RateLimiter::Decision decision = m_tokenLimiter.check(QString::number(grant.tokenId));
        if (!decision.allowed) {
            return tooManyRequests(
                QStringLiteral("The token %1 made too many requests; try again in %2 seconds.")
                    .arg(grant.name)
                    .arg(decision.retryAfterSeconds),
                decision.headers());
        }
        authorized.headers = decision.headers();
    }
    return authorized;
}
