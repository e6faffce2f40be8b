#include "role.h"

#include "enumnames.h"

static const EnumNameTable<Role, 3> kRoleNames{{
    {Role::Agent, QLatin1String("agent")},
    {Role::Manager, QLatin1String("manager")},
    {Role::Admin, QLatin1String("admin")},
}};

bool roleAllows(Role role, Permission permission)
{
    switch (permission) {
    case Permission::WorkTickets:
        return true;
    case Permission::ReadStatistics:
        return role == Role::Manager || role == Role::Admin;
    case Permission::Administer:
        return role == Role::Admin;
    }
    return false;
}

QLatin1String roleName(Role role)
{
    return enumName(kRoleNames, role);
}

std::optional<Role> roleFromName(QStringView name)
{
    return enumFromName(kRoleNames, name);
}
