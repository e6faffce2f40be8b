#pragma once

#include "useraccount.h"

// A signed-in user for tests that open the window directly, as the sign-in hands one over:
// with an id and a role, without a password hash.
UserAccount testAccount(Role role, const QString &name = QStringLiteral("alice"));
