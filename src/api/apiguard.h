#pragma once

#include "actor.h"
#include "apierror.h"
#include "hostallowlist.h"
#include "scope.h"

#include <QHttpServerRequest>

#include <optional>
#include <variant>

class TokenVerifier;

// The checks a request passes before any handler runs, in order: the Host it was sent to, then
// its bearer token and the scope the endpoint needs. Shared by every API thread of a node.
class ApiGuard final
{
public:
    static constexpr QByteArrayView kRealm = "support-console";

    ApiGuard(TokenVerifier &tokens, HostAllowList hosts);
    Q_DISABLE_COPY_MOVE(ApiGuard)

    // 421 for a Host the API is not known by.
    std::optional<ApiError> checkHost(const QHttpServerRequest &request) const;
    // The integration the request acts for, or the 401 or 403 to answer with. Throws
    // StorageError when the token cannot be looked up.
    std::variant<Actor, ApiError> authorize(const QHttpServerRequest &request, Scope needed);

private:
    TokenVerifier &m_tokens;
    const HostAllowList m_hosts;
};
