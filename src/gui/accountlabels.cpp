#include "accountlabels.h"

#include <QCoreApplication>
#include <QLocale>
#include <QStringList>

namespace {

QString translate(const char *text)
{
    return QCoreApplication::translate("AccountLabels", text);
}

} // namespace

QString AccountLabels::role(Role role)
{
    switch (role) {
    case Role::Agent:
        return translate("Agent");
    case Role::Manager:
        return translate("Manager");
    case Role::Admin:
        return translate("Admin");
    }
    return {};
}

QString AccountLabels::actor(const Actor &actor)
{
    switch (actor.kind) {
    case Actor::Kind::User:
        return actor.name;
    case Actor::Kind::Integration:
        return translate("%1 (integration)").arg(actor.name);
    case Actor::Kind::System:
        return translate("%1 (system)").arg(actor.name);
    }
    return actor.name;
}

QString AccountLabels::userState(const UserAccount &user)
{
    return user.disabled ? translate("Disabled") : translate("Active");
}

QString AccountLabels::tokenState(const IntegrationToken &token, const QDateTime &now)
{
    if (token.revokedAt.isValid())
        return translate("Revoked");
    return token.isLive(now) ? translate("Live") : translate("Expired");
}

QString AccountLabels::scopes(Scopes scopes)
{
    QStringList names;
    for (const Scope scope : kAllScopes) {
        if (scopes.testFlag(scope))
            names.append(scopeName(scope));
    }
    return names.join(QLatin1String(", "));
}

QString AccountLabels::moment(const QDateTime &when)
{
    if (!when.isValid())
        return QStringLiteral("–");
    const QDateTime local = when.toLocalTime();
    const QLocale locale;
    return locale.toString(local.date(), QLocale::ShortFormat) + u' ' +
           locale.toString(local.time(), QStringLiteral("HH:mm"));
}
