#include "integrationtokens.h"

#include "credentialpolicy.h"
#include "servicelogging.h"
#include "tokensecret.h"
#include "tokenverifier.h"

IntegrationTokens::IntegrationTokens(const Database &database, TokenVerifier *verifier)
    : m_tokens(database)
    , m_verifier(verifier)
{}

std::variant<IntegrationTokens::Created, QString>
IntegrationTokens::create(const QString &name, Scopes scopes, std::optional<int> expiresInDays,
                          const Actor &actor)
{
    if (const QString problem = CredentialPolicy::nameProblem(name); !problem.isEmpty())
        return problem;
    if (!scopes)
        return tr("A token needs at least one scope.");
    if (expiresInDays && (*expiresInDays < 1 || *expiresInDays > kMaxExpiryDays))
        return tr("A token expires after 1 to %1 days.").arg(kMaxExpiryDays);
    Created created;
    created.secret = TokenSecret::generate();
    created.token.name = name;
    created.token.scopes = scopes;
    created.token.createdBy = actor.displayName();
    created.token.createdAt = QDateTime::currentDateTimeUtc();
    if (expiresInDays)
        created.token.expiresAt = created.token.createdAt.addDays(*expiresInDays);
    if (!m_tokens.add(created.token, TokenSecret::digest(created.secret.toLatin1())))
        return tr("A token named %1 already exists; revoke it first or choose another name.")
            .arg(name);
    qCInfo(lcService).noquote() << actor.displayName() << "created token" << name << "with"
                                << scopesText(scopes);
    return created;
}

QList<IntegrationToken> IntegrationTokens::list()
{
    return m_tokens.list();
}

bool IntegrationTokens::revoke(const QString &name, const Actor &actor)
{
    if (!m_tokens.revoke(name, QDateTime::currentDateTimeUtc()))
        return false;
    if (m_verifier)
        m_verifier->forgetAll();
    qCInfo(lcService).noquote() << actor.displayName() << "revoked token" << name;
    return true;
}
