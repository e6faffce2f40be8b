#include "apiguard.h"

#include "apilogging.h"
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

ApiGuard::ApiGuard(TokenVerifier &tokens, HostAllowList hosts)
    : m_tokens(tokens)
    , m_hosts(std::move(hosts))
{}

std::optional<ApiError> ApiGuard::checkHost(const QHttpServerRequest &request) const
{
    const QByteArray host = request.value(QByteArrayLiteral("Host"));
    if (m_hosts.allows(host))
        return std::nullopt;
    qCInfo(lcApi).noquote() << "Refused a request for host" << QString::fromLatin1(host).left(100)
                            << "from" << request.remoteAddress().toString();
    return ApiError::make(
        ApiError::Kind::MisdirectedRequest,
        host.isEmpty()
            ? QStringLiteral("Send a Host header naming this server.")
            : QStringLiteral("This server does not answer for the host %1; configure it as an "
                             "allowed host if a proxy or DNS name points here.")
                  .arg(QString::fromLatin1(host).left(100)));
}

std::variant<Actor, ApiError> ApiGuard::authorize(const QHttpServerRequest &request, Scope needed)
{
    const QByteArray authorization = request.value(QByteArrayLiteral("Authorization"));
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
        QString reason;
        switch (*refusal) {
        case TokenVerifier::Refusal::Malformed:
        case TokenVerifier::Refusal::Unknown:
            reason = QStringLiteral("The token is not valid.");
            break;
        case TokenVerifier::Refusal::Expired:
            reason = QStringLiteral("The token has expired.");
            break;
        case TokenVerifier::Refusal::Revoked:
            reason = QStringLiteral("The token was revoked.");
            break;
        }
        return unauthorized(
            reason, needed,
            QByteArray("error=\"invalid_token\", error_description=\"" + reason.toLatin1() + '"'));
    }
    const auto &grant = std::get<TokenVerifier::Grant>(verified);
    if (!grant.scopes.testFlag(needed)) {
        ApiError error = ApiError::make(
            ApiError::Kind::Forbidden,
            QStringLiteral("The token %1 lacks the scope %2.").arg(grant.name, scopeName(needed)));
        error.details.insert(JsonKey::requiredScope, QString(scopeName(needed)));
        const QLatin1String scope = scopeName(needed);
        error.headers.append({QByteArrayLiteral("WWW-Authenticate"),
                              challenge(QByteArray("error=\"insufficient_scope\", scope=\"" +
                                                   QByteArray(scope.data(), scope.size()) + '"'))});
        return error;
    }
    return Actor::integration(grant.name);
}
