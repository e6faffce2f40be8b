#pragma once

#include <QLatin1String>
#include <QString>
#include <QStringView>

#include <optional>

// Who makes a change: an agent in the window, an external system through the API, or the
// program itself (an import, the classifier). Every write of the service layer names one.
struct Actor
{
    enum class Kind { User, Integration, System };

    Kind kind = Kind::System;
    QString name;

    static Actor user(const QString &name) { return {Kind::User, name}; }
    static Actor integration(const QString &name) { return {Kind::Integration, name}; }
    static Actor system(const QString &name) { return {Kind::System, name}; }
    // The person signed in to this desktop session, by the operating system's account name.
    static Actor desktopUser();

    // "user:alice", "integration:api": one string for logs.
    QString displayName() const;

    friend bool operator==(const Actor &, const Actor &) = default;
};

QLatin1String actorKindName(Actor::Kind kind);
std::optional<Actor::Kind> actorKindFromName(QStringView name);
