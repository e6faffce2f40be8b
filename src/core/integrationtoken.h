#pragma once

#include "scope.h"

#include <QDateTime>
#include <QString>

// An external system's credential for the API, as the database lists it: never its secret.
struct IntegrationToken
{
    qint64 id = 0;
    QString name;
    Scopes scopes;
    QString createdBy;
    QDateTime createdAt;
    // Invalid: never.
    QDateTime expiresAt;
    QDateTime lastUsedAt;
    QDateTime revokedAt;

    bool isLive(const QDateTime &now) const
    {
        return !revokedAt.isValid() && (!expiresAt.isValid() || now < expiresAt);
    }
};
