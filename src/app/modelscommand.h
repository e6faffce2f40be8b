#pragma once

#include "commandline.h"

// support-console models list|activate ID|pin|unpin: the trained local models every node of the
// database shares, and an admin's rollback and pin. Returns the process exit code.
class ModelsCommand final
{
public:
    static int run(const CommandLine &commandLine);
};
