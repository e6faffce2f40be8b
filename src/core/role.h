#pragma once

#include <QLatin1String>
#include <QStringView>

#include <array>
#include <optional>

// What a person signed in to the console may do. Each role may do everything the one before it
// may: an agent works tickets, a manager also reads statistics and exports, an admin also
// manages users, tokens and settings.
enum class Role { Agent, Manager, Admin };
inline constexpr std::array<Role, 3> kAllRoles{Role::Agent, Role::Manager, Role::Admin};

enum class Permission { WorkTickets, ReadStatistics, Administer };

bool roleAllows(Role role, Permission permission);

QLatin1String roleName(Role role);
std::optional<Role> roleFromName(QStringView name);
