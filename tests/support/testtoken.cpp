#include "testtoken.h"

#include "integrationtokens.h"

#include <QtGlobal>

QByteArray makeTestToken(const Database &database, Scopes scopes, const QString &name)
{
    IntegrationTokens tokens(database);
    const auto created =
        tokens.create(name, scopes, std::nullopt, Actor::system(QStringLiteral("tests")));
    if (const auto *problem = std::get_if<QString>(&created))
        qFatal("Could not make a test token: %s", qPrintable(*problem));
    return std::get<IntegrationTokens::Created>(created).secret.toLatin1();
}
