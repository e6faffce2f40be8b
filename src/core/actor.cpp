#include "actor.h"

#include "enumnames.h"

#include <QtGlobal>

static const EnumNameTable<Actor::Kind, 3> kActorKindNames{{
    {Actor::Kind::User, QLatin1String("user")},
    {Actor::Kind::Integration, QLatin1String("integration")},
    {Actor::Kind::System, QLatin1String("system")},
}};

QLatin1String actorKindName(Actor::Kind kind)
{
    return enumName(kActorKindNames, kind);
}

std::optional<Actor::Kind> actorKindFromName(QStringView name)
{
    return enumFromName(kActorKindNames, name);
}

Actor Actor::desktopUser()
{
    const QString account = qEnvironmentVariable(
        "USER", qEnvironmentVariable("LOGNAME", qEnvironmentVariable("USERNAME")));
    return user(account.isEmpty() ? QStringLiteral("agent") : account);
}

QString Actor::displayName() const
{
    return actorKindName(kind) + u':' + name;
}
