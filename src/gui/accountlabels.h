#pragma once

#include "actor.h"
#include "integrationtoken.h"
#include "role.h"
#include "useraccount.h"

#include <QString>

// The words the window uses for users, roles and tokens, translated, in one place.
class AccountLabels final
{
public:
    static QString role(Role role);
    // Who made a change: a person by name, anything else with what it is.
    static QString actor(const Actor &actor);
    static QString userState(const UserAccount &user);
    // Live, expired or revoked, as of now.
    static QString tokenState(const IntegrationToken &token, const QDateTime &now);
    // The scopes' own names ("tickets:read"), as the API documentation and the command line
    // write them, so an admin recognises them everywhere.
    static QString scopes(Scopes scopes);
    // A moment in a list, or a dash for one that never happened.
    static QString moment(const QDateTime &when);
};
