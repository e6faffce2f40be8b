#pragma once

#include "actor.h"
#include "integrationtoken.h"
#include "tokenrepository.h"

#include <QCoreApplication>

#include <optional>
#include <variant>

class Database;
class TokenVerifier;

// Making, listing and revoking the API's integration tokens. Works on the calling thread's
// connection. Throws StorageError.
class IntegrationTokens final
{
    Q_DECLARE_TR_FUNCTIONS(IntegrationTokens)

public:
    // A revoke also clears this node's verifier at once; other nodes notice within
    // TokenVerifier::kRecheckMs.
    explicit IntegrationTokens(const Database &database, TokenVerifier *verifier = nullptr);

    static constexpr int kMaxExpiryDays = 3650;

    struct Created
    {
        IntegrationToken token;
        // Shown once, to be copied: nothing keeps it.
        QString secret;
    };
    // What to tell the person when it cannot be made.
    std::variant<Created, QString> create(const QString &name, Scopes scopes,
                                          std::optional<int> expiresInDays, const Actor &actor);
    QList<IntegrationToken> list();
    // False when no live token has the name.
    bool revoke(const QString &name, const Actor &actor);

private:
    TokenRepository m_tokens;
    TokenVerifier *m_verifier;
};
