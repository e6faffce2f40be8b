#pragma once

#include "commandline.h"

// support-console users add|list|disable|enable|passwd: the team's user list, for whoever holds
// the database credentials. Returns the process exit code.
class UsersCommand final
{
public:
    static int run(const CommandLine &commandLine);
};
