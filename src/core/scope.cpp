#include "scope.h"

#include "enumnames.h"

#include <QRegularExpression>
#include <QStringList>

static const EnumNameTable<Scope, 7> kScopeNames{{
    {Scope::TicketsRead, QLatin1String("tickets:read")},
    {Scope::TicketsWrite, QLatin1String("tickets:write")},
    {Scope::StatsRead, QLatin1String("stats:read")},
    {Scope::RepliesWrite, QLatin1String("replies:write")},
    {Scope::FeedbackWrite, QLatin1String("feedback:write")},
    {Scope::EventsRead, QLatin1String("events:read")},
    {Scope::WebhooksManage, QLatin1String("webhooks:manage")},
}};

QLatin1String scopeName(Scope scope)
{
    return enumName(kScopeNames, scope);
}

std::optional<Scope> scopeFromName(QStringView name)
{
    return enumFromName(kScopeNames, name);
}

Validated<Scopes> parseScopes(QStringView text)
{
    static const QRegularExpression separators(QStringLiteral("[,\\s]+"));
    Validated<Scopes> result;
    QStringList unknown;
    for (const QString &name : text.toString().split(separators, Qt::SkipEmptyParts)) {
        if (const std::optional<Scope> scope = scopeFromName(name))
            result.value |= *scope;
        else
            unknown.append(name);
    }
    QStringList known;
    for (const auto &[scope, name] : kScopeNames)
        known.append(name);
    const QString knownList = known.join(QLatin1String(", "));
    if (!unknown.isEmpty()) {
        result.errors.append(
            {QStringLiteral("scopes"), QStringLiteral("unknown scope %1; known scopes are %2")
                                           .arg(unknown.join(QLatin1String(", ")), knownList)});
    } else if (!result.value) {
        result.errors.append(
            {QStringLiteral("scopes"), QStringLiteral("name at least one of %1").arg(knownList)});
    }
    return result;
}

QString scopesText(Scopes scopes)
{
    QStringList names;
    for (const auto &[scope, name] : kScopeNames) {
        if (scopes.testFlag(scope))
            names.append(name);
    }
    return names.join(u' ');
}
